// Package xlsx reads Excel workbooks (.xlsx and .xlsm, Office Open XML) as
// tables: one per non-empty worksheet, named after the sheet.
//
// The first non-empty row of a sheet is its header; blank header cells are
// named column_N (N is the column's position in the table) and repeated
// names get a suffix (name, name_2). Leading empty rows and columns are
// skipped, and so are empty rows between data rows. A column's type comes
// from its cells: numbers (BIGINT when every value is a whole number that
// fits, else DOUBLE), booleans, dates, timestamps and times (numbers whose
// number format is a date or time format, in the 1900 or 1904 date system,
// and ISO 8601 cells), or text. A column whose values disagree becomes text,
// each value written as Excel's General format shows numbers and as ISO 8601
// for dates. Formula cells give their cached values; error cells (#N/A,
// #DIV/0!, ...) and empty strings are NULL.
//
// Hidden sheets are read like visible ones; chart sheets are skipped.
//
// Merged cells are filled with the value of their top-left cell, in the
// header and in the data. Excel shows that value across the whole range and
// keeps nothing in the other cells, so a range merged over several rows (a
// category written once beside its rows) or several columns (a group title
// above its columns) means that value for each row and column it covers;
// leaving the other cells NULL would lose rows from filters and groupings,
// and would leave header cells blank. Because a sheet lists its merged
// ranges after its cells, a sheet that has any is read once more before its
// rows are streamed.
//
// Typing a column needs all of its values, so a sheet is read twice: Open
// streams it once to find the header, the used columns and the categories
// of every column's values, and the table's Rows stream it again, decoding
// from the zip archive without holding the sheet in memory. The shared
// strings (text that cells point to) are held in memory.
//
// Hostile files fail fast: every zip entry's declared uncompressed size is
// checked before anything is inflated (a worksheet may claim at most 1 GiB,
// the shared strings 256 MiB, other parts 32 MiB, all entries together 4
// GiB; archive/zip refuses to inflate past a declared size), a sheet may use
// at most 16384 columns and 1048576 rows, one cell at most
// formats.Options.MaxCellBytes (DefaultMaxCellBytes), and merged ranges at
// most 2^26 cells. Password-protected workbooks and legacy binary .xls files
// are refused with errors wrapping formats.ErrUnsupported; damaged archives
// and zips that are not workbooks with errors wrapping formats.ErrCorrupt.
//
// Worksheets and shared strings are read with a small XML lexer of this
// package (fast, allocation-light, and bounded: no token may exceed the cell
// limit or 64 KiB, whichever is larger); the small metadata parts (workbook, relationships, styles) with
// encoding/xml. excelize's row iterator is not used because it yields only
// each cell's formatted text: it loses the cell type and number format
// needed to tell numbers from numeric text and dates from numbers, and its
// other cell accessors load the whole sheet into memory. The tests and the
// benchmark use excelize to write workbooks.
package xlsx
