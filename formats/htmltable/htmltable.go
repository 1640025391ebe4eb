// Package htmltable reads the tables of an HTML page.
//
// Every <table> element becomes a formats.Table named by its position among
// the page's <table> start tags ("1", "2", ...); a table without any cell is
// skipped, so names may have gaps but always match the page. A <caption> is
// the table's Label.
//
// The page is read with a streaming HTML tokenizer, so memory grows with the
// cells kept, not with the page's markup. Table structure follows the HTML
// rules that matter for data: <td> and <th> close an open cell, <tr> closes an
// open row, a cell outside any row opens one, and </table> closes everything.
//
// Header: the rows of the first <thead>, or else the leading rows made only of
// <th> cells, name the columns; several header rows are joined per column with
// a space. A table with neither takes its first row as header only when that
// row is plainly one: distinct non-empty cells, one of which fails to parse as
// the kind (number, date, ...) of the column below it. Columns without a
// header get the names column_1, column_2, ... (the column's position);
// duplicate names get a suffix _2, _3, ...
//
// Spans: colspan and rowspan copy the cell's text into every slot they cover.
// colspan is capped at 1000 and rowspan at 65534 (the HTML limits); rowspan=0
// counts as 1, and a rowspan never reaches past its row group (thead, tbody,
// tfoot) nor creates rows. Short rows get NULL cells at the end.
//
// Text: whitespace runs (including newlines and no-break spaces) collapse to
// one space and cells are trimmed; <br> and block elements (p, div, li, ...)
// separate words with a space; script, style and template contents are
// dropped; invalid UTF-8 becomes U+FFFD.
//
// Nested tables: a <table> inside a cell is a table of its own (numbered by
// where it starts); its text is not part of the outer cell.
//
// Typing: every column is typed with package infer (integers, decimals with
// thousands separators, currency and percent signs, booleans, dates and
// timestamps; empty cells are NULL).
//
// Limits: pages larger than 256 MiB, more than 10 million cells in all (after
// spans are expanded), tables nested more than 64 deep and cells longer than
// Options.MaxCellBytes (default 16 MiB) are refused with an error.
package htmltable

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"datachat/formats"
	"datachat/formats/infer"
)

// Limits; see the package comment.
const (
	maxInput       = 256 << 20
	maxCells       = 10_000_000
	maxColspan     = 1000
	maxRowspan     = 65534
	maxNesting     = 64
	maxTokenBytes  = 64 << 20
	defaultMaxCell = 16 << 20
)

// ErrNoTable is returned (wrapped) for a page without any <table> element, or
// whose tables have no cells. It wraps formats.ErrCorrupt.
var ErrNoTable = fmt.Errorf("page has no <table> with cells: %w", formats.ErrCorrupt)

var _ formats.OpenFunc = Open

// Open reads the HTML page in r (size bytes) and returns one table per
// non-empty <table> element, in document order. Options.Encoding overrides the
// page's declared character encoding; Options.MaxCellBytes caps a cell's text.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	if size < 0 {
		return nil, fmt.Errorf("open html: negative size %d", size)
	}
	if size > maxInput {
		return nil, fmt.Errorf("open html: page is %d bytes, more than the %d MiB this reader accepts: %w", size, maxInput>>20, formats.ErrUnsupported)
	}
	src, err := decoded(r, size, opts.Encoding)
	if err != nil {
		return nil, err
	}
	p := &parser{maxCell: opts.MaxCellBytes}
	if p.maxCell <= 0 {
		p.maxCell = defaultMaxCell
	}
	if err := p.run(ctx, src); err != nil {
		return nil, err
	}
	if len(p.done) == 0 {
		if p.started > 0 {
			return nil, fmt.Errorf("open html: %d <table> elements, all empty: %w", p.started, ErrNoTable)
		}
		return nil, fmt.Errorf("open html: %w", ErrNoTable)
	}
	slices.SortFunc(p.done, func(a, b *builder) int { return a.index - b.index })
	tables := make([]*formats.Table, 0, len(p.done))
	for _, b := range p.done {
		tables = append(tables, b.table())
	}
	return tables, nil
}

// decoded returns the page as UTF-8: in the encoding named by override, else
// the one its byte order mark or <meta> declares, else UTF-8 when the start of
// the page is valid UTF-8, else windows-1252 (the HTML standard's fallback).
func decoded(r io.ReaderAt, size int64, override string) (io.Reader, error) {
	sec := io.NewSectionReader(r, 0, size)
	var enc encoding.Encoding
	if override != "" {
		e, err := htmlindex.Get(override)
		if err != nil {
			return nil, fmt.Errorf("open html: encoding %q: %w", override, formats.ErrUnsupported)
		}
		enc = e
	} else {
		head := make([]byte, min(size, 1024))
		if _, err := io.ReadFull(sec, head); err != nil {
			return nil, fmt.Errorf("open html: read start of page: %w", err)
		}
		if _, err := sec.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("open html: %w", err)
		}
		enc, _, _ = charset.DetermineEncoding(head, "text/html")
	}
	if enc == xunicode.UTF8 || enc == encoding.Nop {
		return sec, nil // invalid bytes become U+FFFD as cells are read
	}
	return transform.NewReader(sec, enc.NewDecoder()), nil
}

// parser turns the token stream into tables.
type parser struct {
	maxCell int
	stack   []*builder // open tables, innermost last
	done    []*builder // finished, non-empty tables
	started int        // <table> start tags seen
	cells   int        // cells stored in all tables
	skip    string     // element whose content is dropped (script, style, ...)
	skipN   int
}

// blockTags separate the words of a cell with a space.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true,
	"dl": true, "dt": true, "dd": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "hr": true, "pre": true,
	"blockquote": true, "section": true, "article": true, "header": true,
	"footer": true, "address": true, "figure": true, "figcaption": true,
	"img": true, "option": true,
}

// skipTags have content that is not cell text.
var skipTags = map[string]bool{"script": true, "style": true, "template": true, "noscript": true}

func (p *parser) run(ctx context.Context, src io.Reader) error {
	z := html.NewTokenizer(src)
	z.SetMaxBuf(maxTokenBytes)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("open html: %w", err)
			}
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			err := z.Err()
			if errors.Is(err, io.EOF) {
				for len(p.stack) > 0 {
					if err := p.endTable(); err != nil {
						return err
					}
				}
				return nil
			}
			if errors.Is(err, html.ErrBufferExceeded) {
				return fmt.Errorf("open html: a single token is longer than %d MiB: %w", maxTokenBytes>>20, formats.ErrUnsupported)
			}
			return fmt.Errorf("open html: read page: %w", err)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if err := p.start(z, string(name), hasAttr, tt == html.SelfClosingTagToken); err != nil {
				return err
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if err := p.end(string(name)); err != nil {
				return err
			}
		case html.TextToken:
			if p.skip != "" || len(p.stack) == 0 {
				continue
			}
			if err := p.top().text(z.Text(), p.maxCell); err != nil {
				return err
			}
		}
	}
}

func (p *parser) top() *builder { return p.stack[len(p.stack)-1] }

func (p *parser) start(z *html.Tokenizer, name string, hasAttr, selfClosing bool) error {
	if p.skip != "" {
		if name == p.skip && !selfClosing {
			p.skipN++
		}
		return nil
	}
	if skipTags[name] && !selfClosing {
		p.skip, p.skipN = name, 1
		return nil
	}
	if name == "table" {
		p.started++
		if len(p.stack) >= maxNesting {
			return fmt.Errorf("open html: tables nested more than %d deep: %w", maxNesting, formats.ErrUnsupported)
		}
		if len(p.stack) > 0 {
			p.top().space()
		}
		p.stack = append(p.stack, &builder{index: p.started, p: p})
		return nil
	}
	if len(p.stack) == 0 {
		return nil
	}
	b := p.top()
	switch name {
	case "caption":
		if err := b.closeRow(); err != nil {
			return err
		}
		b.inCaption = true
	case "thead", "tbody", "tfoot":
		if err := b.closeRow(); err != nil {
			return err
		}
		b.section = name
		b.pending = b.pending[:0]
	case "tr":
		if err := b.closeRow(); err != nil {
			return err
		}
		return b.openRow()
	case "td", "th":
		if err := b.closeCell(); err != nil {
			return err
		}
		if !b.inRow {
			if err := b.openRow(); err != nil {
				return err
			}
		}
		colspan, rowspan := 1, 1
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "colspan":
				colspan = span(v, maxColspan)
			case "rowspan":
				rowspan = span(v, maxRowspan)
			}
		}
		b.cell = &cell{th: name == "th", colspan: colspan, rowspan: rowspan}
	default:
		if blockTags[name] {
			b.space()
		}
	}
	return nil
}

func (p *parser) end(name string) error {
	if p.skip != "" {
		if name == p.skip {
			p.skipN--
			if p.skipN == 0 {
				p.skip = ""
			}
		}
		return nil
	}
	if len(p.stack) == 0 {
		return nil
	}
	b := p.top()
	switch name {
	case "table":
		return p.endTable()
	case "caption":
		b.inCaption = false
	case "thead", "tbody", "tfoot":
		if err := b.closeRow(); err != nil {
			return err
		}
		b.section = ""
		b.pending = b.pending[:0]
	case "tr":
		return b.closeRow()
	case "td", "th":
		return b.closeCell()
	default:
		if blockTags[name] {
			b.space()
		}
	}
	return nil
}

func (p *parser) endTable() error {
	b := p.top()
	if err := b.closeRow(); err != nil {
		return err
	}
	p.stack = p.stack[:len(p.stack)-1]
	if len(b.rows) > 0 && b.width > 0 {
		p.done = append(p.done, b)
	}
	return nil
}

// span parses a colspan or rowspan value as browsers do: leading digits, at
// least 1, at most limit.
func span(v []byte, limit int) int {
	v = bytes.TrimSpace(v)
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		if n > limit {
			return limit
		}
	}
	return max(n, 1)
}

// cell is the cell being read.
type cell struct {
	th               bool
	colspan, rowspan int
	text             strings.Builder
	pendingSpace     bool
}

// carry is a rowspan cell's text still to be copied into later rows.
type carry struct {
	text string
	left int
}

// builder collects one table's rows.
type builder struct {
	p         *parser
	index     int
	caption   strings.Builder
	capSpace  bool
	inCaption bool
	section   string // "thead", "tbody", "tfoot" or "" outside row groups
	pending   []carry

	rows   [][]string
	isHead []bool // row came from a <thead>
	allTH  []bool // row's own cells are all <th>
	width  int

	inRow   bool
	cur     []string
	set     []bool
	own     int // cells of the current row written by its own <td>/<th>
	ownTH   bool
	colNext int
	cell    *cell
}

func (b *builder) openRow() error {
	b.inRow = true
	b.cur, b.set = b.cur[:0], b.set[:0]
	b.own, b.ownTH, b.colNext = 0, true, 0
	for c := range b.pending {
		if b.pending[c].left > 0 {
			b.put(c, b.pending[c].text)
			b.pending[c].left--
		}
	}
	return nil
}

// put stores text in column c of the current row.
func (b *builder) put(c int, text string) {
	for len(b.cur) <= c {
		b.cur = append(b.cur, "")
		b.set = append(b.set, false)
	}
	b.cur[c], b.set[c] = text, true
}

func (b *builder) closeCell() error {
	c := b.cell
	if c == nil {
		return nil
	}
	b.cell = nil
	text := c.text.String()
	col := b.colNext
	for col < len(b.set) && b.set[col] {
		col++
	}
	if b.p.cells+col+c.colspan > maxCells {
		return b.tooMany() // checked before the row grows
	}
	for i := range c.colspan {
		b.put(col+i, text)
		if c.rowspan > 1 {
			for len(b.pending) <= col+i {
				b.pending = append(b.pending, carry{})
			}
			b.pending[col+i] = carry{text: text, left: c.rowspan - 1}
		}
	}
	b.colNext = col + c.colspan
	b.own++
	b.ownTH = b.ownTH && c.th
	return nil
}

func (b *builder) closeRow() error {
	if err := b.closeCell(); err != nil {
		return err
	}
	if !b.inRow {
		return nil
	}
	b.inRow = false
	if len(b.cur) == 0 {
		return nil // <tr></tr>: no row
	}
	b.p.cells += len(b.cur)
	if b.p.cells > maxCells {
		return b.tooMany()
	}
	b.rows = append(b.rows, append([]string(nil), b.cur...))
	b.isHead = append(b.isHead, b.section == "thead")
	b.allTH = append(b.allTH, b.own > 0 && b.ownTH)
	b.width = max(b.width, len(b.cur))
	return nil
}

func (b *builder) tooMany() error {
	return fmt.Errorf("open html: table %d: more than %d cells: %w", b.index, maxCells, formats.ErrUnsupported)
}

// text adds raw text to the open cell or caption, collapsing whitespace.
func (b *builder) text(raw []byte, maxCell int) error {
	var dst *strings.Builder
	var pend *bool
	switch {
	case b.cell != nil:
		dst, pend = &b.cell.text, &b.cell.pendingSpace
	case b.inCaption:
		dst, pend = &b.caption, &b.capSpace
	default:
		return nil
	}
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		raw = raw[size:]
		if unicode.IsSpace(r) {
			*pend = true
			continue
		}
		if *pend && dst.Len() > 0 {
			dst.WriteByte(' ')
		}
		*pend = false
		dst.WriteRune(r) // an invalid byte decodes as U+FFFD
		if dst.Len() > maxCell {
			return fmt.Errorf("open html: table %d row %d: cell text longer than %d bytes (Options.MaxCellBytes): %w",
				b.index, len(b.rows)+1, maxCell, formats.ErrUnsupported)
		}
	}
	return nil
}

// space separates the words before and after a <br> or block element.
func (b *builder) space() {
	switch {
	case b.cell != nil:
		b.cell.pendingSpace = true
	case b.inCaption:
		b.capSpace = true
	}
}

// table returns the finished table.
func (b *builder) table() *formats.Table {
	header := 0 // leading rows that name columns
	var data [][]string
	var head [][]string
	if slices.Contains(b.isHead, true) {
		for i, row := range b.rows {
			if b.isHead[i] {
				head = append(head, row)
			} else {
				data = append(data, row)
			}
		}
	} else {
		for header < len(b.rows) && b.allTH[header] {
			header++
		}
		if header == 0 && firstRowIsHeader(b.rows, b.width) {
			header = 1
		}
		head, data = b.rows[:header], b.rows[header:]
	}
	cols := make([]formats.Column, b.width)
	used := make(map[string]bool, b.width)
	kinds := infer.Kinds(data, b.width)
	for c := range cols {
		var parts []string
		for _, row := range head {
			if c < len(row) && row[c] != "" && (len(parts) == 0 || parts[len(parts)-1] != row[c]) {
				parts = append(parts, row[c])
			}
		}
		name := strings.Join(parts, " ")
		if name == "" {
			name = "column_" + strconv.Itoa(c+1)
		}
		cols[c] = formats.Column{Name: unique(name, used), Kind: kinds[c]}
	}
	return &formats.Table{
		Name:     strconv.Itoa(b.index),
		Label:    b.caption.String(),
		Columns:  cols,
		Rows:     infer.NewRows(data, kinds),
		RowCount: int64(len(data)),
	}
}

// firstRowIsHeader reports whether the first row of a table without <th> or
// <thead> header names its columns: its cells are distinct and non-empty, and
// in at least one column the rows below have a kind (number, date, ...) that
// the first row's cell does not parse as.
func firstRowIsHeader(rows [][]string, width int) bool {
	if len(rows) < 2 || len(rows[0]) != width {
		return false
	}
	first := rows[0]
	seen := make(map[string]bool, width)
	for _, v := range first {
		if v == "" || seen[v] {
			return false
		}
		seen[v] = true
	}
	for c, k := range infer.Kinds(rows[1:], width) {
		if k != formats.String && infer.Value(k, first[c]) == nil {
			return true
		}
	}
	return false
}

// unique returns name, or name_2, name_3, ... whichever is not yet used, and
// marks it used.
func unique(name string, used map[string]bool) string {
	n := name
	for i := 2; used[n]; i++ {
		n = name + "_" + strconv.Itoa(i)
	}
	used[n] = true
	return n
}
