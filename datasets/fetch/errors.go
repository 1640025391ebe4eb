package fetch

import "errors"

// Sentinel errors. Every error Fetch returns matches exactly one of them with
// errors.Is (and possibly also its cause, such as context.Canceled).
var (
	// ErrScheme means the source is a URL that cannot be fetched: malformed,
	// without a host, or with a scheme other than http, https or file (also
	// when a redirect leads to one).
	ErrScheme = errors.New("unsupported URL scheme")
	// ErrNotAllowed means a local path lies outside the allowed directories,
	// or local files are not allowed at all.
	ErrNotAllowed = errors.New("path not allowed")
	// ErrPrivateAddress means a URL's host (or a redirect's host) resolved to
	// a loopback, private, link-local or otherwise non-public address.
	ErrPrivateAddress = errors.New("address not allowed")
	// ErrTooLarge means a download exceeded the size limit.
	ErrTooLarge = errors.New("download too large")
	// ErrTooManyRedirects means a URL redirected more often than allowed.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrTimeout means the fetch took longer than the time limit.
	ErrTimeout = errors.New("fetch timed out")
	// ErrFetch means the data could not be got: the server answered with an
	// error status, the host could not be resolved or reached, the transfer
	// broke, or a local file could not be read.
	ErrFetch = errors.New("fetch failed")
	// ErrNotFound means a local path does not exist (or no source was given).
	ErrNotFound = errors.New("file not found")
	// ErrNotFile means a local path is a directory or another non-regular
	// file.
	ErrNotFile = errors.New("not a regular file")
	// ErrCache means the download cache could not be read or written; it is a
	// fault of the server, not of the source.
	ErrCache = errors.New("download cache failed")
)

// Error is the error Fetch returns. Its message is written for whoever gave
// the source; with Config.HidePaths it holds no host paths.
type Error struct {
	// Kind is one of the sentinel errors above.
	Kind error
	// Source is the source as given, with any URL password removed.
	Source string
	// Status is the HTTP status code when the server answered with an error
	// status, else 0.
	Status int

	msg   string
	cause error
}

// Error returns the message.
func (e *Error) Error() string { return e.msg }

// Unwrap returns the kind and, if any, the underlying cause, so errors.Is
// matches both.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.cause}
}
