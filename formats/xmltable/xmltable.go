// Package xmltable reads an XML document as one table of repeating records.
//
// Record element: Options.Record names it, by local name ("item") or by
// prefix and local name ("g:item"); every element of that name is a record,
// except one nested inside another record, which is part of the outer one.
// Otherwise the reader finds it in a first pass: among elements that have
// child elements or attributes, the element path (from the root) that occurs
// most often; ties go to the shallower path, then to the one seen first. When
// no such path repeats but a leaf element path does (<list><v>1</v><v>2</v>),
// the leaf is the record. A document where nothing repeats is one record: its
// root.
//
// Columns: the record's attributes, and for each element inside it the path
// from the record joined with "_" ("address_city"), its attributes included
// ("shipTo_country"). Leaf elements give their text (trimmed), empty leaves
// NULL; an element with children gives its own text only if it has any. The
// record's own text is a column named after the record. A path repeated
// inside one record (two <author> children) gives one cell with the values
// joined by "; " in document order. Columns are in order of first appearance.
//
// Namespaces: names are local names; when two columns get the same name, the
// clashing ones are qualified with their prefixes ("f_id", "g_id"), and any
// clash left gets a suffix _2, _3, ... xmlns declarations are not columns.
//
// Typing: every column is typed with package infer; empty cells are NULL.
//
// Encodings: the encoding the XML declaration names (any WHATWG label, so
// ISO-8859-1 is read as windows-1252), UTF-16 with a byte order mark, or
// Options.Encoding, which wins over both.
//
// Entities: the five XML entities, character references and the HTML named
// entities (&nbsp; ...) are decoded. Entities a DTD declares are not
// expanded: a reference to one stays in the text as written (&name;), and a
// DTD whose entities refer to other entities (the "billion laughs" attack) is
// refused. Minor syntax faults (an attribute without quotes or value) are
// accepted; mismatched or unclosed tags are errors.
//
// Limits: documents larger than 256 MiB, elements nested more than 256 deep,
// more than 100,000 distinct element paths, more than 10,000 columns, more
// than 10 million cells, and cells longer than Options.MaxCellBytes (default
// 16 MiB) are refused with an error.
package xmltable

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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
	maxDepth       = 256
	maxPaths       = 100_000
	maxColumns     = 10_000
	maxCells       = 10_000_000
	defaultMaxCell = 16 << 20
)

var _ formats.OpenFunc = Open

// Open reads the XML document in r (size bytes) and returns its records as
// one table (named ""). See the package comment for how records and columns
// are found.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	if size < 0 {
		return nil, fmt.Errorf("open xml: negative size %d", size)
	}
	if size > maxInput {
		return nil, fmt.Errorf("open xml: document is %d bytes, more than the %d MiB this reader accepts: %w", size, maxInput>>20, formats.ErrUnsupported)
	}
	maxCell := opts.MaxCellBytes
	if maxCell <= 0 {
		maxCell = defaultMaxCell
	}
	var m matcher
	if opts.Record != "" {
		prefix, local, ok := strings.Cut(opts.Record, ":")
		if !ok {
			prefix, local = "", opts.Record
		}
		m = matcher{byName: true, prefix: prefix, local: local, anyPrefix: !ok}
	} else {
		path, err := detect(ctx, r, size, opts.Encoding)
		if err != nil {
			return nil, err
		}
		m = matcher{path: path}
	}
	t, err := extract(ctx, r, size, opts.Encoding, m, maxCell)
	if err != nil {
		return nil, err
	}
	return []*formats.Table{t}, nil
}

// newDecoder returns a lenient decoder over the document in r, converted to
// UTF-8 as the package comment describes.
func newDecoder(r io.ReaderAt, size int64, override string) (*xml.Decoder, error) {
	sec := io.NewSectionReader(r, 0, size)
	var bom [3]byte
	n, err := io.ReadFull(sec, bom[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read start of document: %w", err)
	}
	var src io.Reader = io.NewSectionReader(r, 0, size)
	converted := false
	switch {
	case override != "":
		enc, err := htmlindex.Get(override)
		if err != nil {
			return nil, fmt.Errorf("encoding %q: %w", override, formats.ErrUnsupported)
		}
		src = decodeWith(src, enc)
		converted = true
	case n >= 3 && bom == [3]byte{0xEF, 0xBB, 0xBF}:
		src = io.NewSectionReader(r, 3, size-3)
		converted = true
	case n >= 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF):
		src = decodeWith(src, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM))
		converted = true
	}
	d := xml.NewDecoder(src)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if converted {
			return in, nil
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("encoding %q: %w", label, formats.ErrUnsupported)
		}
		return decodeWith(in, enc), nil
	}
	return d, nil
}

func decodeWith(r io.Reader, enc encoding.Encoding) io.Reader {
	if enc == xunicode.UTF8 {
		return r
	}
	return transform.NewReader(r, enc.NewDecoder())
}

// walker reads tokens, checks nesting and limits, and keeps the element stack.
type walker struct {
	ctx   context.Context
	d     *xml.Decoder
	stack []xml.Name // open elements (Space is the prefix)
	n     int
}

// next returns the next token (a copy that stays valid), or io.EOF at the end
// of a well-formed document.
func (w *walker) next() (xml.Token, error) {
	w.n++
	if w.n%4096 == 0 {
		if err := w.ctx.Err(); err != nil {
			return nil, err
		}
	}
	tok, err := w.d.RawToken()
	if errors.Is(err, io.EOF) {
		if len(w.stack) > 0 {
			return nil, w.corrupt("document ends inside <%s>", qname(w.stack[len(w.stack)-1]))
		}
		return nil, io.EOF
	}
	if err != nil {
		if errors.Is(err, formats.ErrUnsupported) {
			return nil, err
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("line %d: %s: %w", se.Line, se.Msg, formats.ErrCorrupt)
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(w.stack) >= maxDepth {
			return nil, fmt.Errorf("%s: elements nested more than %d deep: %w", w.pos(), maxDepth, formats.ErrUnsupported)
		}
		w.stack = append(w.stack, t.Name)
		return t.Copy(), nil
	case xml.EndElement:
		if len(w.stack) == 0 {
			return nil, w.corrupt("unexpected </%s>", qname(t.Name))
		}
		open := w.stack[len(w.stack)-1]
		if open != t.Name {
			return nil, w.corrupt("<%s> closed by </%s>", qname(open), qname(t.Name))
		}
		w.stack = w.stack[:len(w.stack)-1]
		return t, nil
	case xml.Directive:
		if err := checkDTD(t); err != nil {
			return nil, fmt.Errorf("%s: %w", w.pos(), err)
		}
		return nil, nil
	case xml.CharData:
		return t, nil // only read before the next call
	}
	return nil, nil // comments and processing instructions
}

func (w *walker) pos() string {
	line, _ := w.d.InputPos()
	return "line " + strconv.Itoa(line)
}

func (w *walker) corrupt(format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", w.pos(), fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// checkDTD refuses a DOCTYPE whose entity values refer to other entities,
// which is how entity-expansion bombs are built.
func checkDTD(dir xml.Directive) error {
	rest := []byte(dir)
	for {
		i := bytes.Index(rest, []byte("<!ENTITY"))
		if i < 0 {
			return nil
		}
		rest = rest[i+len("<!ENTITY"):]
		fields := bytes.Fields(rest)
		if len(fields) < 2 {
			return nil
		}
		name := fields[0]
		if string(name) == "%" && len(fields) > 1 {
			name = fields[1]
		}
		// The literal value is the first quoted string after the name, unless
		// SYSTEM or PUBLIC comes first (an external entity, never fetched).
		j := bytes.Index(rest, name) + len(name)
		body := bytes.TrimLeft(rest[j:], " \t\r\n")
		if len(body) == 0 || (body[0] != '"' && body[0] != '\'') {
			continue
		}
		end := bytes.IndexByte(body[1:], body[0])
		if end < 0 {
			return nil
		}
		if bytes.ContainsAny(body[1:1+end], "&%") {
			return fmt.Errorf("the DTD declares entity %q whose value refers to other entities; nested entity expansion is not supported: %w",
				name, formats.ErrUnsupported)
		}
		rest = body[1+end:]
	}
}

// pathStats counts the occurrences of one element path.
type pathStats struct {
	count, leafCount int
	depth, order     int
}

// detect finds the record element path, as described in the package comment.
func detect(ctx context.Context, r io.ReaderAt, size int64, override string) (string, error) {
	d, err := newDecoder(r, size, override)
	if err != nil {
		return "", fmt.Errorf("open xml: %w", err)
	}
	w := &walker{ctx: ctx, d: d}
	type frame struct {
		path     string
		children bool
		attrs    bool
	}
	var frames []frame
	stats := map[string]*pathStats{}
	for {
		tok, err := w.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("open xml: find records: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path := "/" + qname(t.Name)
			if len(frames) > 0 {
				frames[len(frames)-1].children = true
				path = frames[len(frames)-1].path + path
			}
			frames = append(frames, frame{path: path, attrs: hasDataAttr(t.Attr)})
		case xml.EndElement:
			f := frames[len(frames)-1]
			frames = frames[:len(frames)-1]
			s := stats[f.path]
			if s == nil {
				if len(stats) >= maxPaths {
					return "", fmt.Errorf("open xml: more than %d distinct element paths; name the record element (Options.Record): %w", maxPaths, formats.ErrUnsupported)
				}
				s = &pathStats{depth: len(frames), order: len(stats)}
				stats[f.path] = s
			}
			if f.children || f.attrs {
				s.count++
			} else {
				s.leafCount++
			}
		}
	}
	if len(stats) == 0 {
		return "", fmt.Errorf("open xml: document has no elements: %w", formats.ErrCorrupt)
	}
	best, bestLeaf := "", ""
	better := func(a, b *pathStats, ac, bc int) bool {
		if ac != bc {
			return ac > bc
		}
		if a.depth != b.depth {
			return a.depth < b.depth
		}
		return a.order < b.order
	}
	for p, s := range stats {
		if s.count > 0 && (best == "" || better(s, stats[best], s.count, stats[best].count)) {
			best = p
		}
		if s.leafCount > 0 && (bestLeaf == "" || better(s, stats[bestLeaf], s.leafCount, stats[bestLeaf].leafCount)) {
			bestLeaf = p
		}
	}
	if bestLeaf != "" && stats[bestLeaf].leafCount > 1 && (best == "" || stats[best].count <= 1) {
		return bestLeaf, nil
	}
	if best == "" {
		return bestLeaf, nil // a document that is a single leaf element
	}
	return best, nil
}

// hasDataAttr reports whether attrs has an attribute other than a namespace
// declaration.
func hasDataAttr(attrs []xml.Attr) bool {
	for _, a := range attrs {
		if !isNamespaceDecl(a.Name) {
			return true
		}
	}
	return false
}

func isNamespaceDecl(n xml.Name) bool {
	return n.Space == "xmlns" || (n.Space == "" && n.Local == "xmlns")
}

// matcher says which elements are records.
type matcher struct {
	path      string // element path from detect, or
	byName    bool   // match by name from Options.Record
	prefix    string
	local     string
	anyPrefix bool
}

func (m matcher) match(path string, n xml.Name) bool {
	if !m.byName {
		return path == m.path
	}
	return n.Local == m.local && (m.anyPrefix || n.Space == m.prefix)
}

// column is one column found in the records.
type column struct {
	parts []xml.Name // path from the record; the last may be an attribute
	attr  bool
}

// extractor builds the table in the second pass.
type extractor struct {
	maxCell int
	cols    []column
	index   map[string]int // column key -> index in cols
	vals    []string       // current record's values by column
	touched []int          // columns set in the current record
	mark    []int          // by column: the record that last set it
	record  int            // number of the current record, from 1
	rows    [][]string
	cells   int
}

type frame struct {
	path     string // element path from the root (detect's key)
	rel      []xml.Name
	text     strings.Builder
	children bool
	attrs    bool
}

func extract(ctx context.Context, r io.ReaderAt, size int64, override string, m matcher, maxCell int) (*formats.Table, error) {
	d, err := newDecoder(r, size, override)
	if err != nil {
		return nil, fmt.Errorf("open xml: %w", err)
	}
	w := &walker{ctx: ctx, d: d}
	e := &extractor{maxCell: maxCell, index: map[string]int{}, record: 1}
	var frames []*frame
	recDepth := -1 // depth of the open record's element, or -1 outside records
	for {
		tok, err := w.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("open xml: read records: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			f := &frame{path: "/" + qname(t.Name)}
			if len(frames) > 0 {
				parent := frames[len(frames)-1]
				parent.children = true
				f.path = parent.path + f.path
				if recDepth >= 0 {
					f.rel = append(append([]xml.Name(nil), parent.rel...), t.Name)
				}
			}
			if recDepth < 0 && m.match(f.path, t.Name) {
				recDepth = len(frames)
			}
			frames = append(frames, f)
			if recDepth < 0 {
				continue
			}
			for _, a := range t.Attr {
				if isNamespaceDecl(a.Name) {
					continue
				}
				f.attrs = true
				if err := e.set(f.rel, a.Name, true, a.Value); err != nil {
					return nil, fmt.Errorf("open xml: %s: %w", w.pos(), err)
				}
			}
		case xml.CharData:
			if recDepth < 0 || len(frames) == 0 {
				continue
			}
			f := frames[len(frames)-1]
			if f.text.Len()+len(t) > e.maxCell {
				return nil, fmt.Errorf("open xml: %s: text longer than %d bytes (Options.MaxCellBytes): %w", w.pos(), e.maxCell, formats.ErrUnsupported)
			}
			f.text.Write(t)
		case xml.EndElement:
			f := frames[len(frames)-1]
			frames = frames[:len(frames)-1]
			if recDepth < 0 {
				continue
			}
			text := strings.TrimSpace(f.text.String())
			if text != "" || (!f.children && !f.attrs) {
				var name xml.Name
				rel := f.rel
				if len(rel) > 0 {
					name, rel = rel[len(rel)-1], rel[:len(rel)-1]
				} else {
					name = t.Name // the record's own text
				}
				if err := e.set(rel, name, false, text); err != nil {
					return nil, fmt.Errorf("open xml: %s: %w", w.pos(), err)
				}
			}
			if len(frames) == recDepth {
				recDepth = -1
				if err := e.endRecord(); err != nil {
					return nil, fmt.Errorf("open xml: %s: %w", w.pos(), err)
				}
			}
		}
	}
	if len(e.rows) == 0 {
		if m.byName {
			return nil, fmt.Errorf("open xml: no <%s> element in the document: %w", m.local, formats.ErrCorrupt)
		}
		return nil, fmt.Errorf("open xml: document has no elements: %w", formats.ErrCorrupt)
	}
	return e.table(), nil
}

// set adds value to the column for the element or attribute name at path rel
// in the current record.
func (e *extractor) set(rel []xml.Name, name xml.Name, attr bool, value string) error {
	var kb strings.Builder
	for _, p := range rel {
		kb.WriteString(qname(p))
		kb.WriteByte('/')
	}
	if attr {
		kb.WriteByte('@')
	}
	kb.WriteString(qname(name))
	key := kb.String()
	c, ok := e.index[key]
	if !ok {
		if len(e.cols) >= maxColumns {
			return fmt.Errorf("more than %d distinct fields: %w", maxColumns, formats.ErrUnsupported)
		}
		c = len(e.cols)
		e.index[key] = c
		parts := append(append([]xml.Name(nil), rel...), name)
		e.cols = append(e.cols, column{parts: parts, attr: attr})
	}
	for len(e.vals) <= c {
		e.vals = append(e.vals, "")
		e.mark = append(e.mark, 0)
	}
	if e.mark[c] != e.record {
		e.mark[c] = e.record
		e.touched = append(e.touched, c)
	}
	switch old := e.vals[c]; {
	case value == "":
	case old == "":
		e.vals[c] = value
	default:
		if len(old)+2+len(value) > e.maxCell {
			return fmt.Errorf("values of %s longer than %d bytes (Options.MaxCellBytes): %w", key, e.maxCell, formats.ErrUnsupported)
		}
		e.vals[c] = old + "; " + value
	}
	return nil
}

func (e *extractor) endRecord() error {
	width := 0
	for _, c := range e.touched {
		width = max(width, c+1)
	}
	e.cells += max(width, 1)
	if e.cells > maxCells {
		return fmt.Errorf("more than %d cells: %w", maxCells, formats.ErrUnsupported)
	}
	row := make([]string, width)
	for _, c := range e.touched {
		row[c] = e.vals[c]
		e.vals[c] = ""
	}
	e.touched = e.touched[:0]
	e.record++
	e.rows = append(e.rows, row)
	return nil
}

func (e *extractor) table() *formats.Table {
	names := columnNames(e.cols)
	kinds := infer.Kinds(e.rows, len(e.cols))
	cols := make([]formats.Column, len(e.cols))
	for i := range cols {
		cols[i] = formats.Column{Name: names[i], Kind: kinds[i]}
	}
	return &formats.Table{
		Columns:  cols,
		Rows:     infer.NewRows(e.rows, kinds),
		RowCount: int64(len(e.rows)),
	}
}

// columnNames joins each column's path with "_", qualifies clashing names with
// their prefixes, and makes the rest unique with a numeric suffix.
func columnNames(cols []column) []string {
	join := func(c column, qualified bool) string {
		parts := make([]string, len(c.parts))
		for i, p := range c.parts {
			if qualified && p.Space != "" {
				parts[i] = p.Space + "_" + p.Local
			} else {
				parts[i] = p.Local
			}
		}
		return strings.Join(parts, "_")
	}
	names := make([]string, len(cols))
	count := map[string]int{}
	for i, c := range cols {
		names[i] = join(c, false)
		count[names[i]]++
	}
	for i, c := range cols {
		if count[names[i]] > 1 {
			names[i] = join(c, true)
		}
	}
	used := make(map[string]bool, len(cols))
	for i, n := range names {
		if n == "" {
			n = "column_" + strconv.Itoa(i+1)
		}
		u := n
		for k := 2; used[u]; k++ {
			u = n + "_" + strconv.Itoa(k)
		}
		used[u] = true
		names[i] = u
	}
	return names
}
