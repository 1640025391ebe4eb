package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"datachat/formats"
)

// DefaultMaxCellBytes is the longest cell text accepted when
// formats.Options.MaxCellBytes is 0. Excel itself stops at 32767 characters.
const DefaultMaxCellBytes = 1 << 20

// ErrSheetNotFound is wrapped by the error Open returns when opts.Sheet names
// no sheet of the workbook.
var ErrSheetNotFound = errors.New("sheet not found")

// ErrNoData is wrapped by the error Open returns when the selected sheet, or
// every sheet of the workbook, is empty.
var ErrNoData = errors.New("no data")

var _ formats.OpenFunc = Open

// Open reads an .xlsx or .xlsm workbook from r (size bytes long) and returns
// one table per non-empty worksheet, or only the sheet named by opts.Sheet.
// It reads every selected sheet once to find its header row and column types;
// the tables' Rows read the sheet a second time, streaming, from r.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	maxCell := opts.MaxCellBytes
	if maxCell <= 0 {
		maxCell = DefaultMaxCellBytes
	}
	p, err := openPackage(r, size)
	if err != nil {
		return nil, err
	}
	b, err := readBook(p, maxCell)
	if err != nil {
		return nil, err
	}
	refs, err := selectSheets(b, opts.Sheet)
	if err != nil {
		return nil, err
	}
	var tables []*formats.Table
	var skipped []string
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := openSheet(ctx, b, ref, maxCell)
		if err != nil {
			return nil, fmt.Errorf("read sheet %q: %w", ref.name, err)
		}
		if t == nil {
			if opts.Sheet != "" {
				return nil, fmt.Errorf("%w: sheet %q is empty (error cells such as #N/A count as empty)", ErrNoData, ref.name)
			}
			skipped = append(skipped, ref.name)
			continue
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		return nil, fmt.Errorf("%w: every worksheet of the workbook is empty (error cells such as #N/A count as empty)", ErrNoData)
	}
	for _, name := range skipped {
		tables[0].Warnings = append(tables[0].Warnings, fmt.Sprintf("sheet %q was not loaded: it holds no values (error cells such as #N/A count as empty)", name))
	}
	return tables, nil
}

// selectSheets returns the worksheets to read.
func selectSheets(b *book, want string) ([]sheetRef, error) {
	if want == "" {
		var out []sheetRef
		for _, s := range b.sheets {
			if s.kind == "worksheet" && s.part != nil {
				out = append(out, s)
			}
		}
		return out, nil
	}
	var found *sheetRef
	for i, s := range b.sheets {
		if s.name == want {
			found = &b.sheets[i]
			break
		}
		if found == nil && strings.EqualFold(s.name, want) {
			found = &b.sheets[i]
		}
	}
	if found == nil {
		names := make([]string, len(b.sheets))
		for i, s := range b.sheets {
			names[i] = strconv.Quote(s.name)
		}
		return nil, fmt.Errorf("%w: the workbook has no sheet %q; its sheets are %s", ErrSheetNotFound, want, strings.Join(names, ", "))
	}
	if found.kind != "worksheet" {
		return nil, fmt.Errorf("%w: sheet %q is a %s, not a worksheet", ErrNoData, want, found.kind)
	}
	if found.part == nil {
		return nil, fmt.Errorf("%w: sheet %q has no worksheet part in the archive", formats.ErrCorrupt, want)
	}
	return []sheetRef{*found}, nil
}

// layout is what the first pass learns about a sheet.
type layout struct {
	header    map[int]string // header text by column
	minCol    int
	maxCol    int
	masks     []uint16 // categories seen in data rows, by column
	rows      int64
	merges    []mergeRange
	hasHeader bool // the first non-empty row (the header) was seen
}

// scan is the first pass over a sheet: it finds the header row, the used
// columns and the categories of every column's data.
func scan(ctx context.Context, b *book, ref sheetRef, maxCell int, merges []mergeRange) (*layout, error) {
	s, err := newScanner(b, ref, maxCell, merges, merges == nil)
	if err != nil {
		return nil, err
	}
	defer s.close()
	l := &layout{header: map[int]string{}, minCol: maxCols + 1}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if s.row.empty() {
			continue
		}
		for _, c := range s.row.touched {
			v := &s.row.vals[c]
			if v.cat == catEmpty {
				continue
			}
			l.minCol = min(l.minCol, c)
			l.maxCol = max(l.maxCol, c)
			if !l.hasHeader {
				l.header[c] = v.text()
				continue
			}
			if c >= len(l.masks) {
				l.masks = append(l.masks, make([]uint16, c+1-len(l.masks))...)
			}
			l.masks[c] |= 1 << v.cat
		}
		if l.hasHeader {
			l.rows++
		}
		l.hasHeader = true
		// Text matters for the header only.
		s.lazyText = true
	}
	l.merges = s.merges
	return l, nil
}

// openSheet runs the first pass over a sheet and returns its table, or nil
// when the sheet is empty.
func openSheet(ctx context.Context, b *book, ref sheetRef, maxCell int) (*formats.Table, error) {
	l, err := scan(ctx, b, ref, maxCell, nil)
	if err != nil {
		return nil, err
	}
	if len(l.merges) > 0 {
		// Merged ranges come after the cells in the file, and filling them
		// can change the header and the columns' types: scan again.
		merges := l.merges
		if l, err = scan(ctx, b, ref, maxCell, merges); err != nil {
			return nil, err
		}
		l.merges = merges
	}
	if !l.hasHeader {
		return nil, nil
	}
	width := l.maxCol - l.minCol + 1
	cols := make([]formats.Column, width)
	names := newNamer()
	// Names from the header first, so that they win over generated ones.
	for i := range cols {
		if h := strings.TrimSpace(l.header[l.minCol+i]); h != "" {
			cols[i].Name = names.name(h, i+1)
		}
	}
	for i := range cols {
		c := l.minCol + i
		if cols[i].Name == "" {
			cols[i].Name = names.name("", i+1)
		}
		var m uint16
		if c < len(l.masks) {
			m = l.masks[c]
		}
		cols[i].Kind = kindOf(m)
	}
	return &formats.Table{
		Name:     ref.name,
		Columns:  cols,
		RowCount: l.rows,
		Rows:     &rows{b: b, ref: ref, maxCell: maxCell, l: l, cols: cols},
	}, nil
}

// kindOf picks a column's kind from the categories of its values: one kind
// when they agree (integers widen to floats, dates to timestamps), else
// String with every value's displayed text.
func kindOf(m uint16) formats.Kind {
	const (
		ints  = 1 << catInt
		nums  = 1<<catInt | 1<<catFloat
		dates = 1<<catDate | 1<<catDateTime
	)
	switch {
	case m == 0:
		return formats.String
	case m == ints:
		return formats.Int64
	case m&^nums == 0:
		return formats.Float64
	case m == 1<<catBool:
		return formats.Bool
	case m == 1<<catDate:
		return formats.Date
	case m&^dates == 0:
		return formats.Timestamp
	case m == 1<<catTime:
		return formats.Time
	}
	return formats.String
}

// namer makes column names unique (case-insensitively, as SQL compares
// identifiers) and names blank header cells column_N.
type namer struct{ seen map[string]bool }

func newNamer() *namer { return &namer{seen: map[string]bool{}} }

func (n *namer) name(h string, pos int) string {
	if h == "" {
		h = "column_" + strconv.Itoa(pos)
	}
	name := h
	for i := 2; n.seen[strings.ToLower(name)]; i++ {
		name = h + "_" + strconv.Itoa(i)
	}
	n.seen[strings.ToLower(name)] = true
	return name
}

// rows is the second pass: it streams a sheet's data rows.
type rows struct {
	b       *book
	ref     sheetRef
	maxCell int
	l       *layout
	cols    []formats.Column

	s       *scanner
	started bool // the header row has been skipped
	done    bool
	err     error
}

// Next implements formats.Rows.
func (r *rows) Next(b *formats.Batch) error { return formats.Fill(b, r.next1) }

// next1 stores the next data row in row at of b.
func (r *rows) next1(b *formats.Batch, at int) error {
	if r.err != nil {
		return r.err
	}
	if r.done {
		return io.EOF
	}
	if len(b.Cols) < len(r.cols) {
		return fmt.Errorf("read sheet %q: got a batch of %d columns for %d", r.ref.name, len(b.Cols), len(r.cols))
	}
	if r.s == nil {
		s, err := newScanner(r.b, r.ref, r.maxCell, r.l.merges, false)
		if err != nil {
			r.err = fmt.Errorf("read sheet %q: %w", r.ref.name, err)
			return r.err
		}
		r.s = s
	}
	for {
		err := r.s.next()
		if errors.Is(err, io.EOF) {
			r.s.close()
			r.done = true
			return io.EOF
		}
		if err != nil {
			r.s.close()
			r.err = fmt.Errorf("read sheet %q: %w", r.ref.name, err)
			return r.err
		}
		if r.s.row.empty() {
			continue
		}
		if !r.started {
			r.started = true
			continue
		}
		for i := range r.cols {
			b.Cols[i].SetNull(at)
		}
		for _, c := range r.s.row.touched {
			i := c - r.l.minCol
			if i < 0 || i >= len(r.cols) {
				continue
			}
			if !store(&r.s.row.vals[c], &b.Cols[i], at) {
				r.s.close()
				r.err = fmt.Errorf("%w: sheet %q: row %d: a %s value in %s column %q (did the file change while it was read?)",
					formats.ErrCorrupt, r.ref.name, r.s.rowNum, catNames[r.s.row.vals[c].cat], r.cols[i].Kind, r.cols[i].Name)
				return r.err
			}
		}
		return nil
	}
}

var catNames = [...]string{"empty", "integer", "number", "boolean", "text", "date", "date-time", "time", "duration"}

// store stores a cell's value in row r of out, or returns false when the
// cell's category does not fit the vector's kind.
func store(v *cell, out *formats.Vector, r int) bool {
	if v.cat == catEmpty {
		out.SetNull(r)
		return true
	}
	switch out.Kind {
	case formats.Int64:
		out.SetInt(r, v.i)
		return v.cat == catInt
	case formats.Float64:
		if v.cat == catInt {
			out.SetFloat(r, float64(v.i))
			return true
		}
		out.SetFloat(r, v.f)
		return v.cat == catFloat
	case formats.Bool:
		out.SetBool(r, v.i != 0)
		return v.cat == catBool
	case formats.Date:
		out.SetDate(r, v.t)
		return v.cat == catDate
	case formats.Timestamp:
		out.SetTimestamp(r, v.t)
		return v.cat == catDate || v.cat == catDateTime
	case formats.Time:
		out.SetTime(r, v.d)
		return v.cat == catTime
	}
	out.SetStr(r, v.text())
	return true
}
