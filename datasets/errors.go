package datasets

import (
	"errors"
	"fmt"
)

// Sentinel errors of the catalog. Errors a client can fix wrap one of these, so
// adapters (MCP tools, REST) can tell them from infrastructure failures.
var (
	// ErrUnknownDataset is returned for a table name the session has not loaded.
	ErrUnknownDataset = errors.New("unknown dataset")
	// ErrUnsupportedFormat is returned for a file whose format datachat cannot read.
	ErrUnsupportedFormat = errors.New("unsupported format")
	// ErrRefused is returned for SQL that the sandbox does not run (writes,
	// settings, file or network access, several statements).
	ErrRefused = errors.New("statement refused")
	// ErrBadSQL is returned for SQL that DuckDB cannot parse, bind or run.
	ErrBadSQL = errors.New("query failed")
	// ErrTimeout is returned when a query runs past the configured timeout.
	ErrTimeout = errors.New("query timed out")
	// ErrBadFile is returned when a file cannot be parsed as its format.
	ErrBadFile = errors.New("cannot read file")
	// ErrClosed is returned after a catalog has been closed (session expired).
	ErrClosed = errors.New("session closed")
	// ErrUnknownWorkspace is returned for a workspace handle this server does
	// not know (never made here, or expired).
	ErrUnknownWorkspace = errors.New("unknown workspace")
)

// QueryError is a failed client query: DuckDB's message plus a hint saying
// what to try next (the tables there are, the closest column name).
type QueryError struct {
	Kind error // ErrRefused, ErrBadSQL or ErrTimeout
	Msg  string
	Hint string
}

func (e *QueryError) Error() string {
	if e.Hint == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s\nhint: %s", e.Msg, e.Hint)
}

// Unwrap lets errors.Is match the kind.
func (e *QueryError) Unwrap() error { return e.Kind }

// UserError reports whether err is a mistake the client can fix (as opposed to
// an infrastructure failure).
func UserError(err error) bool {
	for _, k := range []error{ErrUnknownDataset, ErrUnknownWorkspace, ErrUnsupportedFormat, ErrRefused, ErrBadSQL, ErrTimeout, ErrBadFile, ErrLimit} {
		if errors.Is(err, k) {
			return true
		}
	}
	var qe *QueryError
	return errors.As(err, &qe) || fetchUserError(err)
}
