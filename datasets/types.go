package datasets

import "time"

// TableInfo describes one loaded table of a session's catalog.
type TableInfo struct {
	// Name is the SQL table name (a plain identifier, unique in the session).
	Name string `json:"name"`
	// Source is where the data came from (the path or URL the client gave).
	Source string `json:"source"`
	// Format is the reader that loaded it (csv, parquet, xlsx, stata, ...).
	Format string `json:"format"`
	// Label is the dataset label the file gave, or "".
	Label string `json:"label,omitempty"`
	// Rows is the row count.
	Rows int64 `json:"rows"`
	// Columns describes the columns in table order.
	Columns []ColumnInfo `json:"columns"`
	// LoadedAt is when the table's data was read from its file: tables that
	// the dataset cache serves from one read share it.
	LoadedAt time.Time `json:"loaded_at"`
	// Warnings say what the load changed or skipped to read the file (bytes
	// that were not UTF-8, rows that could not be parsed).
	Warnings []string `json:"warnings,omitempty"`
	// Version identifies the data when the dataset cache knows it: tables
	// of equal versions hold equal rows, whatever their names and sources.
	Version string `json:"-"`

	part string // the reader's name of the table in its file ("" for one)
}

// ColumnInfo describes one column of a loaded table.
type ColumnInfo struct {
	// Name is the SQL column name.
	Name string `json:"name"`
	// Type is DuckDB's type name (BIGINT, DOUBLE, VARCHAR, DATE, ...).
	Type string `json:"type"`
	// Label is the variable label (from Stata/SAS/SPSS files), or "".
	Label string `json:"label,omitempty"`
}

// Result is the outcome of a read-only query.
type Result struct {
	// Columns are the result's column names.
	Columns []string `json:"columns"`
	// Types are DuckDB's type names of the columns.
	Types []string `json:"types"`
	// Rows holds at most the requested number of rows. Values are nil, bool,
	// int64, float64, string, time.Time, or (for nested and other types) their
	// JSON-friendly Go form.
	Rows [][]any `json:"rows"`
	// RowCount is len(Rows).
	RowCount int `json:"row_count"`
	// Truncated says whether more rows (or characters) existed than were returned.
	Truncated bool `json:"truncated"`
	// CutCells counts the values cut short to keep the result within its
	// character cap (--max-chars); Truncated is then true too.
	CutCells int `json:"cut_cells,omitempty"`
}
