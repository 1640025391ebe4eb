package datasets

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"datachat/formats"
)

// Limits bound what one load may read and create. Each has a command-line
// flag (named in its errors) and a default used when the field is zero.
type Limits struct {
	// Inflated caps the bytes a compressed file (.gz) may inflate to
	// (--max-download; default 1 GiB).
	Inflated int64
	// Depth caps the nesting of JSON values and XML elements (--max-depth;
	// default 64).
	Depth int
	// Tables caps the tables one file may hold: sheets, HTML tables
	// (--max-tables; default 100).
	Tables int
	// Columns caps the columns of one table, and the members of one JSON
	// object (--max-columns; default 2000).
	Columns int
	// CellBytes caps one cell or string (--max-cell; default 1 MiB).
	CellBytes int
	// LoadTimeout caps the whole of one load, from fetching the file to the
	// last row (--load-timeout; default 2 min).
	LoadTimeout time.Duration
}

// Defaults of Limits.
const (
	DefaultMaxInflated  = 1 << 30
	DefaultMaxDepth     = 64
	DefaultMaxTables    = 100
	DefaultMaxColumns   = 2000
	DefaultMaxCellBytes = 1 << 20
	DefaultLoadTimeout  = 2 * time.Minute
)

func (l *Limits) defaults() {
	if l.Inflated <= 0 {
		l.Inflated = DefaultMaxInflated
	}
	if l.Depth <= 0 {
		l.Depth = DefaultMaxDepth
	}
	if l.Tables <= 0 {
		l.Tables = DefaultMaxTables
	}
	if l.Columns <= 0 {
		l.Columns = DefaultMaxColumns
	}
	if l.CellBytes <= 0 {
		l.CellBytes = DefaultMaxCellBytes
	}
	if l.LoadTimeout <= 0 {
		l.LoadTimeout = DefaultLoadTimeout
	}
}

// ErrLimit is matched by every LimitError.
var ErrLimit = errors.New("limit exceeded")

// LimitError says which limit a file or request passed. Its message names
// the flag that sets the limit.
type LimitError struct {
	// Flag is the command-line flag of the limit, such as "--max-depth".
	Flag string
	// Msg says what passed the limit and what to do.
	Msg string
}

func (e *LimitError) Error() string { return e.Msg }

// Unwrap lets errors.Is match ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }

// limitf makes a LimitError; the message should mention the limit's value,
// and the flag is appended to it.
func limitf(flag, format string, args ...any) error {
	return &LimitError{Flag: flag, Msg: fmt.Sprintf(format, args...) + " (limit set by " + flag + ")"}
}

// checkTables checks what a reader found against the tables and columns
// limits, before anything is created.
func (c *Catalog) checkTables(tables []*formats.Table) error {
	if len(tables) == 0 {
		return fmt.Errorf("%w: the file holds no table", ErrBadFile)
	}
	if n := c.cfg.Limits.Tables; len(tables) > n {
		return limitf("--max-tables", "the file holds %d tables, more than %d; load one sheet of a workbook with sheet, or split the file", len(tables), n)
	}
	for _, t := range tables {
		if n := c.cfg.Limits.Columns; len(t.Columns) > n {
			name := ""
			if t.Name != "" {
				name = " " + strconv.Quote(t.Name)
			}
			return limitf("--max-columns", "table%s has %d columns, more than %d", name, len(t.Columns), n)
		}
	}
	return nil
}
