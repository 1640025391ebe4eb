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
// 16 MiB) are refused with an error. Column names are cut to 256 bytes.
package xmltable

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
		return t, nil // RawToken allocates names and attributes afresh
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

// paths interns element paths, so that deep documents with long names cost
// memory once per distinct path and not once per element.
type paths struct {
	ids   map[pathKey]int32
	nodes []pathKey
}

// pathKey is a path: its parent path's id (-1 at the top) and its last name.
type pathKey struct {
	parent int32
	name   xml.Name
}

func newPaths() *paths { return &paths{ids: map[pathKey]int32{}} }

// id returns the id of the path made of parent's path and name.
func (p *paths) id(parent int32, name xml.Name) (int32, error) {
	k := pathKey{parent, name}
	if id, ok := p.ids[k]; ok {
		return id, nil
	}
	if len(p.nodes) >= maxPaths {
		return 0, fmt.Errorf("more than %d distinct element paths: %w", maxPaths, formats.ErrUnsupported)
	}
	id := int32(len(p.nodes))
	p.ids[k] = id
	p.nodes = append(p.nodes, k)
	return id, nil
}

// names returns the names along path id, from the top; none for a negative id.
func (p *paths) names(id int32) []xml.Name {
	var out []xml.Name
	for ; id >= 0; id = p.nodes[id].parent {
		out = append(out, p.nodes[id].name)
	}
	slices.Reverse(out)
	return out
}

// pathStats counts the occurrences of one element path.
type pathStats struct {
	count, leafCount int
	depth            int
}

// detect finds the record element path, as described in the package comment.
func detect(ctx context.Context, r io.ReaderAt, size int64, override string) ([]xml.Name, error) {
	d, err := newDecoder(r, size, override)
	if err != nil {
		return nil, fmt.Errorf("open xml: %w", err)
	}
	w := &walker{ctx: ctx, d: d}
	type frame struct {
		id       int32
		children bool
		attrs    bool
	}
	var frames []frame
	ps := newPaths()
	var stats []pathStats // by path id, which is also the order of first sight
	for {
		tok, err := w.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("open xml: find records: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			parent := int32(-1)
			if len(frames) > 0 {
				frames[len(frames)-1].children = true
				parent = frames[len(frames)-1].id
			}
			id, err := ps.id(parent, t.Name)
			if err != nil {
				return nil, fmt.Errorf("open xml: find records: %s: %w; name the record element (Options.Record)", w.pos(), err)
			}
			if int(id) == len(stats) {
				stats = append(stats, pathStats{depth: len(frames)})
			}
			frames = append(frames, frame{id: id, attrs: hasDataAttr(t.Attr)})
		case xml.EndElement:
			f := frames[len(frames)-1]
			frames = frames[:len(frames)-1]
			if f.children || f.attrs {
				stats[f.id].count++
			} else {
				stats[f.id].leafCount++
			}
		}
	}
	if len(stats) == 0 {
		return nil, fmt.Errorf("open xml: document has no elements: %w", formats.ErrCorrupt)
	}
	// Ids follow the order of first sight, so on equal counts and depths the
	// first path seen wins.
	best, bestLeaf := -1, -1
	for id, s := range stats {
		if s.count > 0 && (best < 0 || s.count > stats[best].count ||
			s.count == stats[best].count && s.depth < stats[best].depth) {
			best = id
		}
		if s.leafCount > 0 && (bestLeaf < 0 || s.leafCount > stats[bestLeaf].leafCount ||
			s.leafCount == stats[bestLeaf].leafCount && s.depth < stats[bestLeaf].depth) {
			bestLeaf = id
		}
	}
	if best < 0 || (bestLeaf >= 0 && stats[bestLeaf].leafCount > 1 && stats[best].count <= 1) {
		best = bestLeaf
	}
	return ps.names(int32(best)), nil
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
	path      []xml.Name // element path from detect, or
	byName    bool       // match by name from Options.Record
	prefix    string
	local     string
	anyPrefix bool
}

// onPath reports whether an element at depth named n, whose parent is on the
// record path (or which is the root), is on the record path; match reports
// whether it is a record.
func (m matcher) onPath(depth int, n xml.Name) bool {
	return !m.byName && depth < len(m.path) && m.path[depth] == n
}

func (m matcher) match(depth int, n xml.Name, onPath bool) bool {
	if !m.byName {
		return onPath && depth == len(m.path)-1
	}
	return n.Local == m.local && (m.anyPrefix || n.Space == m.prefix)
}

// ownText is the rel of the column holding a record's own text.
const ownText = -2

// colKey identifies a column: the path inside the record of the element that
// holds the value (rel, -1 for the record itself), and the value's element or
// attribute name.
type colKey struct {
	rel  int32
	name xml.Name
	attr bool
}

// extractor builds the table in the second pass.
type extractor struct {
	maxCell int
	rels    *paths // element paths inside records
	cols    []colKey
	index   map[colKey]int
	vals    []string // current record's values by column
	touched []int    // columns set in the current record
	mark    []int    // by column: the record that last set it
	record  int      // number of the current record, from 1
	rows    [][]string
	cells   int
}

type frame struct {
	name     xml.Name
	onPath   bool   // on the detected record path
	rel      int32  // path inside the record, -1 for the record itself
	text     []byte // reused by the next element at the same depth
	children bool
	attrs    bool
}

func extract(ctx context.Context, r io.ReaderAt, size int64, override string, m matcher, maxCell int) (*formats.Table, error) {
	d, err := newDecoder(r, size, override)
	if err != nil {
		return nil, fmt.Errorf("open xml: %w", err)
	}
	w := &walker{ctx: ctx, d: d}
	e := &extractor{maxCell: maxCell, rels: newPaths(), index: map[colKey]int{}, record: 1}
	var frames []frame // frames[len:cap] keep their text buffers for reuse
	recDepth := -1     // depth of the open record's element, or -1 outside records
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
			depth := len(frames)
			if depth < cap(frames) {
				frames = frames[:depth+1]
			} else {
				frames = append(frames, frame{})
			}
			f := &frames[depth]
			*f = frame{name: t.Name, rel: -1, text: f.text[:0]}
			if depth > 0 {
				parent := &frames[depth-1]
				parent.children = true
				f.onPath = parent.onPath && m.onPath(depth, t.Name)
				if recDepth >= 0 {
					if f.rel, err = e.rels.id(parent.rel, t.Name); err != nil {
						return nil, fmt.Errorf("open xml: %s: %w", w.pos(), err)
					}
				}
			} else {
				f.onPath = m.onPath(0, t.Name)
			}
			if recDepth < 0 && m.match(depth, t.Name, f.onPath) {
				recDepth = depth
			}
			if recDepth < 0 {
				continue
			}
			for _, a := range t.Attr {
				if isNamespaceDecl(a.Name) {
					continue
				}
				f.attrs = true
				if err := e.set(colKey{rel: f.rel, name: a.Name, attr: true}, a.Value); err != nil {
					return nil, fmt.Errorf("open xml: %s: %w", w.pos(), err)
				}
			}
		case xml.CharData:
			if recDepth < 0 || len(frames) == 0 {
				continue
			}
			f := &frames[len(frames)-1]
			if len(f.text)+len(t) > e.maxCell {
				return nil, fmt.Errorf("open xml: %s: text longer than %d bytes (Options.MaxCellBytes): %w", w.pos(), e.maxCell, formats.ErrUnsupported)
			}
			f.text = append(f.text, t...)
		case xml.EndElement:
			f := &frames[len(frames)-1]
			frames = frames[:len(frames)-1]
			if recDepth < 0 {
				continue
			}
			text := string(bytes.TrimSpace(f.text))
			if text != "" || (!f.children && !f.attrs) {
				k := colKey{rel: ownText, name: f.name}
				if f.rel >= 0 {
					k.rel = e.rels.nodes[f.rel].parent
				}
				if err := e.set(k, text); err != nil {
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

// set adds value to column k in the current record.
func (e *extractor) set(k colKey, value string) error {
	c, ok := e.index[k]
	if !ok {
		if len(e.cols) >= maxColumns {
			return fmt.Errorf("more than %d distinct fields: %w", maxColumns, formats.ErrUnsupported)
		}
		c = len(e.cols)
		e.index[k] = c
		e.cols = append(e.cols, k)
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
			return fmt.Errorf("repeated values of %s longer than %d bytes (Options.MaxCellBytes): %w", k.name.Local, e.maxCell, formats.ErrUnsupported)
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
	parts := make([][]xml.Name, len(e.cols))
	for i, k := range e.cols {
		parts[i] = append(e.rels.names(k.rel), k.name)
	}
	names := columnNames(parts)
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

// maxName caps a column name's length in bytes.
const maxName = 256

// columnNames joins each column's path with "_", qualifies clashing names with
// their prefixes, cuts names to maxName bytes and makes them unique with a
// numeric suffix.
func columnNames(paths [][]xml.Name) []string {
	join := func(path []xml.Name, qualified bool) string {
		var b strings.Builder
		for i, p := range path {
			if i > 0 {
				b.WriteByte('_')
			}
			if qualified && p.Space != "" {
				b.WriteString(p.Space)
				b.WriteByte('_')
			}
			b.WriteString(p.Local)
			if b.Len() > maxName {
				break
			}
		}
		s := b.String()
		if len(s) > maxName {
			i := maxName
			for i > 0 && !utf8.RuneStart(s[i]) {
				i--
			}
			s = s[:i]
		}
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	names := make([]string, len(paths))
	count := map[string]int{}
	for i, p := range paths {
		names[i] = join(p, false)
		count[names[i]]++
	}
	for i, p := range paths {
		if count[names[i]] > 1 {
			names[i] = join(p, true)
		}
	}
	used := make(map[string]bool, len(paths))
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
