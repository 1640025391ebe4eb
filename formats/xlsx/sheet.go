package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"datachat/formats"
)

const (
	// maxCols is Excel's column limit (XFD).
	maxCols = 16384
	// maxRows is Excel's row limit.
	maxRows = 1 << 20
	// maxMergeCells caps the total area of a sheet's merged ranges, which
	// bounds the work of filling them.
	maxMergeCells = 1 << 26
	// maxMerges caps the number of merged ranges of a sheet.
	maxMerges = 1 << 20
)

// cat is the category of one cell's value.
type cat uint8

const (
	catEmpty cat = iota
	catInt
	catFloat
	catBool
	catString
	catDate
	catDateTime
	catTime
	catElapsed
)

// cell is one decoded cell value.
type cell struct {
	cat cat
	i   int64   // catInt, catBool (0 or 1)
	f   float64 // catFloat, catElapsed (a serial)
	s   string  // catString
	t   time.Time
	d   time.Duration // catTime
}

// text is the cell's displayed text: General format for numbers, ISO 8601
// for dates and times.
func (c *cell) text() string {
	switch c.cat {
	case catInt:
		return strconv.FormatInt(c.i, 10)
	case catFloat:
		return generalNumber(c.f)
	case catBool:
		if c.i != 0 {
			return "TRUE"
		}
		return "FALSE"
	case catString:
		return c.s
	case catDate:
		return c.t.Format("2006-01-02")
	case catDateTime:
		return c.t.Format("2006-01-02 15:04:05.999")
	case catTime:
		return formatClock(c.d)
	case catElapsed:
		return formatElapsed(c.f)
	}
	return ""
}

// mergeRange is a merged range, 1-based and inclusive.
type mergeRange struct{ r1, c1, r2, c2 int }

// rowBuf holds one row's cells by column, cleared in O(cells set).
type rowBuf struct {
	vals    []cell
	stamp   []uint32
	seq     uint32
	touched []int
}

func (b *rowBuf) reset() {
	b.seq++
	if b.seq == 0 { // wrapped: clear the stamps once
		clear(b.stamp)
		b.seq = 1
	}
	b.touched = b.touched[:0]
}

func (b *rowBuf) set(col int, c cell) {
	if col >= len(b.vals) {
		n := max(2*len(b.vals), col+1, 16)
		n = min(n, maxCols+1)
		b.vals = append(b.vals, make([]cell, n-len(b.vals))...)
		b.stamp = append(b.stamp, make([]uint32, n-len(b.stamp))...)
	}
	if b.stamp[col] != b.seq {
		b.stamp[col] = b.seq
		b.touched = append(b.touched, col)
	}
	b.vals[col] = c
}

func (b *rowBuf) get(col int) (cell, bool) {
	if col < len(b.vals) && b.stamp[col] == b.seq {
		return b.vals[col], true
	}
	return cell{}, false
}

// empty reports whether no cell of the row has a value.
func (b *rowBuf) empty() bool {
	for _, c := range b.touched {
		if b.vals[c].cat != catEmpty {
			return false
		}
	}
	return true
}

type activeMerge struct {
	mergeRange
	val cell
}

// scanner streams a worksheet's rows, filling merged ranges with their
// top-left value when it is given the sheet's merges.
type scanner struct {
	b       *book
	sheet   string
	maxCell int
	rc      io.ReadCloser
	lx      *lexer

	row     rowBuf
	rowNum  int // number of the row in row
	lastXML int // number of the last <row> read

	pending   []mergeRange // sorted by r1
	active    []activeMerge
	peeked    int // number of the <row> whose start tag was read, or 0
	doneData  bool
	inData    bool
	collect   bool // collect <mergeCell>s after sheetData
	merges    []mergeRange
	mergeArea int64

	// lazyText makes the scanner skip building the text of inline and
	// formula strings (the first pass only needs to know they are text).
	lazyText bool

	// scratch for cell parsing
	vbuf, ibuf []byte
}

func newScanner(b *book, ref sheetRef, maxCell int, merges []mergeRange, collect bool) (*scanner, error) {
	rc, err := b.pkg.open(ref.part, maxSheetBytes)
	if err != nil {
		return nil, err
	}
	ur, err := utf8Reader(rc)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("sheet %q: %w", ref.name, err)
	}
	s := &scanner{b: b, sheet: ref.name, maxCell: maxCell, rc: rc, lx: newLexer(ur, max(maxCell, 64<<10)), collect: collect}
	s.pending = append(s.pending, merges...)
	sort.SliceStable(s.pending, func(i, j int) bool { return s.pending[i].r1 < s.pending[j].r1 })
	return s, nil
}

func (s *scanner) close() {
	if s.rc != nil {
		s.rc.Close()
		s.rc = nil
	}
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: sheet %q: %s", formats.ErrCorrupt, s.sheet, fmt.Sprintf(format, args...))
}

func (s *scanner) xmlErr(err error) error {
	if errors.Is(err, formats.ErrCorrupt) {
		return err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: sheet %q: %v", formats.ErrCorrupt, s.sheet, err)
}

// next loads the next row into s.row (s.rowNum is its number). It returns
// io.EOF after the last row.
func (s *scanner) next() error {
	if s.peeked == 0 && !s.doneData {
		if err := s.peekRow(); err != nil {
			return err
		}
	}
	// Rows absent from the file but inside a merged range get its value.
	cand := s.rowNum + 1
	s.dropMerges(cand)
	if len(s.active) > 0 && (s.doneData || cand < s.peeked) {
		s.row.reset()
		s.rowNum = cand
		s.fillMerges()
		return nil
	}
	if s.doneData {
		return io.EOF
	}
	s.row.reset()
	s.rowNum = s.peeked
	s.peeked = 0
	if err := s.readCells(); err != nil {
		return err
	}
	s.startMerges()
	s.fillMerges()
	return nil
}

// dropMerges forgets active merges that end above row r.
func (s *scanner) dropMerges(r int) {
	keep := s.active[:0]
	for _, m := range s.active {
		if m.r2 >= r {
			keep = append(keep, m)
		}
	}
	s.active = keep
}

// startMerges activates the merges whose top row is the current row, taking
// their value from the top-left cell; merges whose top row is absent are
// dropped (their value is empty).
func (s *scanner) startMerges() {
	for len(s.pending) > 0 && s.pending[0].r1 <= s.rowNum {
		m := s.pending[0]
		s.pending = s.pending[1:]
		if m.r1 != s.rowNum {
			continue
		}
		if v, ok := s.row.get(m.c1); ok && v.cat != catEmpty {
			s.active = append(s.active, activeMerge{mergeRange: m, val: v})
		}
	}
}

func (s *scanner) fillMerges() {
	for _, m := range s.active {
		if m.r1 > s.rowNum || m.r2 < s.rowNum {
			continue
		}
		for c := m.c1; c <= m.c2; c++ {
			s.row.set(c, m.val)
		}
	}
}

// peekRow reads up to the next <row> start tag (setting s.peeked) or the end
// of sheetData (setting s.doneData, then reading merges if collecting).
func (s *scanner) peekRow() error {
	lx := s.lx
	for {
		err := lx.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				s.doneData = true
				return nil
			}
			return s.xmlErr(err)
		}
		switch lx.kind {
		case tokStart:
			switch string(lx.name) {
			case "sheetData":
				s.inData = true
			case "row":
				if !s.inData {
					continue
				}
				n := s.lastXML + 1
				if v := lx.attr("r"); v != nil {
					r, ok := atoi(v)
					if !ok || r < 1 || r > maxRows {
						return s.errorf("bad row number %q", v)
					}
					n = r
				}
				if n > maxRows {
					return s.errorf("more than %d rows", maxRows)
				}
				s.lastXML, s.peeked = n, n
				return nil
			case "mergeCell":
				if err := s.addMerge(string(lx.attr("ref"))); err != nil {
					return err
				}
			}
		case tokEnd:
			if string(lx.name) == "sheetData" {
				s.inData = false
				if !s.collect {
					s.doneData = true
					return nil
				}
			}
		}
	}
}

// atoi parses a small non-negative decimal number, allowing surrounding
// spaces.
func atoi(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (s *scanner) addMerge(ref string) error {
	if !s.collect {
		return nil
	}
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return nil // a single cell
	}
	c1, r1, err1 := parseRef(a)
	c2, r2, err2 := parseRef(b)
	if err1 != nil || err2 != nil || r1 == 0 || r2 == 0 {
		return s.errorf("bad merged range %q", ref)
	}
	if r1 > r2 {
		r1, r2 = r2, r1
	}
	if c1 > c2 {
		c1, c2 = c2, c1
	}
	if len(s.merges) >= maxMerges {
		return s.errorf("more than %d merged ranges", maxMerges)
	}
	s.mergeArea += int64(r2-r1+1) * int64(c2-c1+1)
	if s.mergeArea > maxMergeCells {
		return s.errorf("merged ranges cover more than %d cells", maxMergeCells)
	}
	s.merges = append(s.merges, mergeRange{r1, c1, r2, c2})
	return nil
}

// parseRef parses a cell reference such as "AB12" (or "AB", row 0) into a
// 1-based column and row. "$" signs are allowed.
func parseRef[T string | []byte](ref T) (col, row int, err error) {
	i := 0
	for i < len(ref) && ref[i] == '$' {
		i++
	}
	start := i
	for i < len(ref) {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxCols {
			return 0, 0, fmt.Errorf("column of %q is past XFD", ref)
		}
		i++
	}
	if i == start {
		return 0, 0, fmt.Errorf("bad cell reference %q", ref)
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	for ; i < len(ref); i++ {
		c := ref[i]
		if c < '0' || c > '9' {
			return 0, 0, fmt.Errorf("bad cell reference %q", ref)
		}
		row = row*10 + int(c-'0')
		if row > maxRows {
			return 0, 0, fmt.Errorf("row of %q is past %d", ref, maxRows)
		}
	}
	return col, row, nil
}

// readCells reads the cells of the row whose start tag was just read.
func (s *scanner) readCells() error {
	lx := s.lx
	if lx.selfClose {
		lx.pendEnd = false
		return nil
	}
	col := 0
	for {
		if err := lx.next(); err != nil {
			return s.xmlErr(err)
		}
		switch lx.kind {
		case tokStart:
			if string(lx.name) != "c" {
				continue
			}
			c := col + 1
			if r := lx.attr("r"); r != nil {
				var err error
				if c, _, err = parseRef(r); err != nil {
					return s.errorf("%v", err)
				}
			}
			if c > maxCols {
				return s.errorf("row %d has more than %d columns", s.rowNum, maxCols)
			}
			col = c
			v, err := s.readCell()
			if err != nil {
				return err
			}
			s.row.set(c, v)
		case tokEnd:
			switch string(lx.name) {
			case "row":
				return nil
			case "sheetData":
				s.inData = false
				return nil
			}
		}
	}
}

// readCell reads one <c> element whose start tag was just read and decodes
// its value: the cached value of a formula, nil for errors and empty text.
func (s *scanner) readCell() (cell, error) {
	lx := s.lx
	var typ [16]byte
	tn := copy(typ[:], lx.attr("t"))
	style := -1
	if v := lx.attr("s"); v != nil {
		if n, ok := atoi(v); ok {
			style = n
		}
	}
	s.vbuf = s.vbuf[:0]
	s.ibuf = s.ibuf[:0]
	inV, hasV := false, false
	inT, inRPh, depth := 0, 0, 0
	for {
		if err := lx.next(); err != nil {
			return cell{}, s.xmlErr(err)
		}
		switch lx.kind {
		case tokStart:
			depth++
			switch string(lx.name) {
			case "v":
				if depth == 1 {
					inV, hasV = true, true
				}
			case "t":
				inT++
			case "rPh":
				inRPh++
			}
		case tokEnd:
			if depth == 0 {
				// </c>, or a stray end tag that closes the cell anyway.
				return s.decodeCell(string(typ[:tn]), style, hasV)
			}
			depth--
			switch string(lx.name) {
			case "v":
				inV = false
			case "t":
				inT--
			case "rPh":
				inRPh--
			}
		case tokText:
			switch {
			case inV:
				if len(s.vbuf)+len(lx.text) > s.maxCell {
					return cell{}, s.errorf("row %d: cell value longer than %d bytes", s.rowNum, s.maxCell)
				}
				s.vbuf = append(s.vbuf, lx.text...)
			case inT > 0 && inRPh == 0:
				if len(s.ibuf)+len(lx.text) > s.maxCell {
					return cell{}, s.errorf("row %d: cell text longer than %d bytes", s.rowNum, s.maxCell)
				}
				s.ibuf = append(s.ibuf, lx.text...)
			}
		}
	}
}

func (s *scanner) decodeCell(typ string, style int, hasV bool) (cell, error) {
	v := s.vbuf
	inline := s.ibuf
	switch typ {
	case "s":
		if !hasV {
			return cell{}, nil
		}
		idx, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil || idx < 0 || idx >= len(s.b.sst) {
			return cell{}, s.errorf("row %d: shared string index %q out of range (the workbook has %d)", s.rowNum, v, len(s.b.sst))
		}
		return stringCell(s.b.sst[idx]), nil
	case "inlineStr":
		if s.lazyText {
			return lazyString(len(inline) > 0 || len(v) > 0), nil
		}
		if len(inline) == 0 && hasV {
			return stringCell(decodeXString(string(v))), nil
		}
		return stringCell(decodeXString(string(inline))), nil
	case "str":
		if s.lazyText {
			return lazyString(len(v) > 0), nil
		}
		return stringCell(decodeXString(string(v))), nil
	case "e":
		return cell{}, nil
	case "b":
		switch strings.TrimSpace(string(v)) {
		case "1", "true", "TRUE":
			return cell{cat: catBool, i: 1}, nil
		case "0", "false", "FALSE":
			return cell{cat: catBool}, nil
		case "":
			return cell{}, nil
		}
		return stringCell(decodeXString(string(v))), nil
	case "d":
		return isoCell(strings.TrimSpace(string(v))), nil
	}
	// A number (t="n" or no t).
	if !hasV {
		return cell{}, nil
	}
	txt := strings.TrimSpace(string(v))
	if txt == "" {
		return cell{}, nil
	}
	var kind styleKind
	if style >= 0 && style < len(s.b.styles) {
		kind = s.b.styles[style]
	}
	if kind == fmtNumber {
		if n, err := strconv.ParseInt(txt, 10, 64); err == nil {
			return cell{cat: catInt, i: n}, nil
		}
	}
	f, err := strconv.ParseFloat(txt, 64)
	if err != nil {
		return stringCell(decodeXString(string(v))), nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return cell{}, nil
	}
	return numberCell(f, kind, s.b.date1904), nil
}

// lazyString is a text cell whose text was not built.
func lazyString(nonEmpty bool) cell {
	if nonEmpty {
		return cell{cat: catString}
	}
	return cell{}
}

func stringCell(s string) cell {
	if s == "" {
		return cell{}
	}
	return cell{cat: catString, s: s}
}

// numberCell types a number by its cell's number format.
func numberCell(f float64, kind styleKind, date1904 bool) cell {
	switch kind {
	case fmtDate:
		if serialOK(f) {
			return cell{cat: catDate, f: f, t: serialDate(f, date1904)}
		}
	case fmtDateTime:
		if serialOK(f) {
			return cell{cat: catDateTime, f: f, t: serialTime(f, date1904)}
		}
	case fmtTime, fmtElapsed:
		if f >= 0 && f < 1 {
			return cell{cat: catTime, f: f, d: serialClock(f)}
		}
		if kind == fmtElapsed {
			return cell{cat: catElapsed, f: f}
		}
		if serialOK(f) {
			return cell{cat: catTime, f: f, d: serialClock(f)}
		}
	}
	if f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
		return cell{cat: catInt, i: int64(f)}
	}
	return cell{cat: catFloat, f: f}
}

// isoCell decodes a t="d" cell (an ISO 8601 date, date-time or time).
func isoCell(v string) cell {
	if v == "" {
		return cell{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return cell{cat: catDateTime, t: t.UTC()}
		}
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return cell{cat: catDate, t: t}
	}
	if t, err := time.Parse("15:04:05.999999999", v); err == nil {
		return cell{cat: catTime, d: t.Sub(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))}
	}
	return stringCell(v)
}
