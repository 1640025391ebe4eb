// Package formats defines what every file-format reader yields: tables made of
// typed columns and a stream of rows. Readers live in sub-packages (one per
// format) and know nothing of MCP or DuckDB sessions; the datasets package
// turns their tables into DuckDB tables through the Appender.
package formats

import (
	"context"
	"errors"
	"io"
)

// Kind is the logical type of a column. Each kind has exactly one Go type that
// Rows.Next may store for it (besides nil, which is NULL).
type Kind int

const (
	// String values are Go strings (valid UTF-8).
	String Kind = iota
	// Int64 values are Go int64.
	Int64
	// Float64 values are Go float64 (NaN and ±Inf are allowed but discouraged:
	// a reader turns a "missing" code into nil instead).
	Float64
	// Bool values are Go bool.
	Bool
	// Date values are time.Time at midnight UTC.
	Date
	// Timestamp values are time.Time in UTC.
	Timestamp
	// Time values are time.Duration since midnight.
	Time
)

// String returns the kind's name, as DuckDB spells the matching SQL type.
func (k Kind) String() string {
	switch k {
	case String:
		return "VARCHAR"
	case Int64:
		return "BIGINT"
	case Float64:
		return "DOUBLE"
	case Bool:
		return "BOOLEAN"
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Time:
		return "TIME"
	}
	return "VARCHAR"
}

// Column describes one column of a table.
type Column struct {
	// Name is the column name as the file gives it (the catalog sanitises and
	// de-duplicates it; readers should still make names unique and non-empty).
	Name string
	// Kind is the logical type of every non-nil value in the column.
	Kind Kind
	// Label is the variable label (Stata, SAS, SPSS), or "".
	Label string
	// Format is the file's display format for the column (for example "%td",
	// "DATE9.", "F8.2"), or "". Informational only.
	Format string
	// ValueLabels maps codes to labels (Stata value labels, SPSS value labels).
	// Keys have the Go type of the column's values (int64, float64 or string).
	// Nil when the column has none.
	ValueLabels map[any]string
}

// Rows streams a table's rows.
type Rows interface {
	// Next stores the next row's values in dst, which has one slot per column.
	// Each value is nil (NULL) or of the Go type of the column's Kind. Next
	// returns io.EOF after the last row, and any other error when the file is
	// corrupt (wrapped with where it was found).
	Next(dst []any) error
}

// Table is one table found in a file: a sheet, an HTML <table>, or the only
// table of a single-table format.
type Table struct {
	// Name distinguishes tables of a multi-table file (sheet name, "1", "2",
	// ...); it is "" for the only table of a single-table format.
	Name string
	// Label is the dataset label the file gives, or "".
	Label string
	// Columns describes the columns, in order.
	Columns []Column
	// Rows streams the rows. It is read once.
	Rows Rows
	// RowCount is the number of rows the file announces, or -1 when unknown.
	// It is a hint for progress reports only.
	RowCount int64
}

// Options are the choices a caller may pass to a reader. Readers ignore the
// options that do not apply to them.
type Options struct {
	// Sheet selects one sheet of a workbook by name ("" = every non-empty sheet).
	Sheet string
	// Record names the repeating XML element that makes a row ("" = detect).
	Record string
	// Encoding overrides the character encoding the file declares ("" = as declared
	// or the format's default).
	Encoding string
	// MaxCellBytes caps one decoded cell/string (0 = the reader's default).
	MaxCellBytes int
}

// OpenFunc is the signature every reader package exports as Open: it reads the
// file's metadata from r (size bytes long) and returns its tables, whose Rows
// then read from r lazily. r must stay open until every table's rows are read.
type OpenFunc func(ctx context.Context, r io.ReaderAt, size int64, opts Options) ([]*Table, error)

// ErrCorrupt is wrapped by readers' errors about malformed input, so callers can
// tell "this file is broken" from I/O failures with errors.Is.
var ErrCorrupt = errors.New("corrupt or unsupported file")

// ErrUnsupported is wrapped by errors about valid files using a feature the
// reader does not support (for example an encrypted workbook or legacy .xls).
var ErrUnsupported = errors.New("unsupported file feature")

// SliceRows is a Rows over rows already in memory; readers of small formats
// (HTML, XML) that must see every value before typing a column use it.
type SliceRows struct {
	Data [][]any
	i    int
}

// Next implements Rows.
func (s *SliceRows) Next(dst []any) error {
	if s.i >= len(s.Data) {
		return io.EOF
	}
	copy(dst, s.Data[s.i])
	s.i++
	return nil
}
