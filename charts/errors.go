package charts

import "errors"

// Sentinel errors returned (wrapped, with details) by Render, VegaLite and
// Choose. Check them with errors.Is.
var (
	// ErrNoRows means the data has no rows, or no row with usable values
	// for the chart's columns.
	ErrNoRows = errors.New("no rows to chart")
	// ErrUnknownColumn means a spec names a column that is not in the data.
	ErrUnknownColumn = errors.New("unknown column")
	// ErrWrongType means a column has the wrong type for the chart kind,
	// for example a text column as the y axis of a bar chart.
	ErrWrongType = errors.New("wrong column type")
	// ErrBadSpec means the spec itself is incomplete or inconsistent, for
	// example an unknown kind or a grouped bar chart without a group column.
	ErrBadSpec = errors.New("bad chart spec")
	// ErrBadData means the data is malformed, for example a row whose
	// length differs from the number of columns.
	ErrBadData = errors.New("bad chart data")
	// ErrFormat means Render was asked for an image format other than
	// "png" or "svg".
	ErrFormat = errors.New("unsupported image format")
)
