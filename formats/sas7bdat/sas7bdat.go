// Package sas7bdat reads SAS data sets (.sas7bdat files) written by SAS on
// any platform: 32- and 64-bit layouts, either byte order, uncompressed or
// compressed with RLE (COMPRESS=CHAR, "SASYZCRL") or RDC (COMPRESS=BINARY,
// "SASYZCR2").
//
// The layout was learned from Matthew Shotwell's "SAS7BDAT Database Binary
// Format" notes (R package sas7bdat) and other public descriptions. Open reads
// the metadata pages; rows are then decoded page by page from the
// io.ReaderAt, so memory stays bounded by one page plus one row.
//
// Numbers are float64; SAS missing values (., .A-.Z, ._) become nil. Numeric
// columns with a date, datetime or time format become formats.Date,
// formats.Timestamp or formats.Time (SAS counts days and seconds from
// 1960-01-01). Strings are converted from the code page the file declares to
// UTF-8, with invalid bytes replaced by U+FFFD; trailing blanks are removed.
package sas7bdat

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"

	"datachat/formats"
)

// Limits that keep hostile files from making the reader allocate without
// bound. Real SAS files stay far below them.
const (
	maxHeaderLen   = 1 << 20  // header length field
	minPageSize    = 512      // smallest page size accepted
	maxPageSize    = 16 << 20 // largest page size accepted
	maxColumns     = 1 << 18  // columns (SAS itself stops far lower in practice)
	maxRowLength   = 64 << 20 // bytes in one uncompressed row
	maxTextBytes   = 64 << 20 // column text kept for names, labels, formats
	maxTextBlocks  = 1 << 16  // column text subheaders (indexed by uint16)
	minHeaderBytes = 288      // bytes needed to read the fixed header fields
)

var magic = []byte{
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xc2, 0xea, 0x81, 0x60,
	0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00,
	0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11,
}

// Page types (the low byte of the 0x0F00 nibble selects the kind).
const (
	pageKindMask = 0x0F00
	pageMeta     = 0x0000
	pageData     = 0x0100
	pageMix      = 0x0200
	pageAMD      = 0x0400
	pageDeleted  = 0x0080 // page carries a deleted-row bitmap
	pageSpecial  = 0x8000 // "comp" and other pages without rows or metadata
)

// Subheader signatures, as uint32 read in the file's byte order.
const (
	sigRowSize    = 0xF7F7F7F7
	sigColSize    = 0xF6F6F6F6
	sigCounts     = 0xFFFFFC00
	sigColText    = 0xFFFFFFFD
	sigColName    = 0xFFFFFFFF
	sigColAttr    = 0xFFFFFFFC
	sigColFmt     = 0xFFFFFBFE
	sigColList    = 0xFFFFFFFE
	compNone      = 0
	compTruncated = 1
	compRLE       = 4
)

type compression int

const (
	compressionNone compression = iota
	compressionRLE
	compressionRDC
)

// file holds what Open learned about the file layout.
type file struct {
	r        io.ReaderAt
	size     int64
	u64      bool
	order    binary.ByteOrder
	le       bool
	wordLen  int   // 4 or 8: integer width in subheaders
	ptrLen   int   // subheader pointer length: 12 or 24
	pageHdr  int   // page header length: 24 or 40
	hdrLen   int64 // file header length
	pageSize int64
	pages    int64 // pages that fit in the file
	// announced is the page count the header gives.
	announced int64
	name      string
	enc       *Charset
	// statTransfer is set for files whose release field reads "9.0000M0",
	// as Stat/Transfer writes; they do not align mix-page rows.
	statTransfer bool

	rowLength   int64
	rowCount    int64
	mixRowCount int64
	compression compression
	label       string
	cols        []column
}

// column is one variable as laid out in a row.
type column struct {
	name    string
	label   string
	format  string
	offset  int64
	width   int64
	numeric bool
	kind    formats.Kind
}

// attr is a column's place in the row, from a column attributes subheader.
type attr struct {
	offset, width int64
	numeric       bool
}

// textRef points into a column text subheader.
type textRef struct{ idx, off, n int }

// meta accumulates the metadata subheaders while the pages are scanned.
type meta struct {
	haveRowSize bool
	colCount    int64
	haveColSize bool
	texts       [][]byte
	textBytes   int
	names       []textRef
	attrs       []attr
	fmts        []textRef
	labels      []textRef
	labelRef    textRef
	compRef     textRef
}

// Open reads the header and metadata of a sas7bdat file and returns its one
// table, whose rows are read lazily from r.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	f, err := openFile(ctx, r, size, opts)
	if err != nil {
		return nil, err
	}
	cols := make([]formats.Column, len(f.cols))
	for i, c := range f.cols {
		cols[i] = formats.Column{Name: c.name, Kind: c.kind, Label: c.label, Format: c.format}
	}
	rowCount := f.rowCount
	if len(cols) == 0 {
		rowCount = 0 // rows without columns carry nothing
	}
	t := &formats.Table{
		Label:    f.label,
		Columns:  cols,
		Rows:     newRows(ctx, f, opts),
		RowCount: rowCount,
	}
	return []*formats.Table{t}, nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("sas7bdat: %s: %w", fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

func openFile(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) (*file, error) {
	if size < minHeaderBytes {
		return nil, corrupt("file is %d bytes, too short for a SAS header", size)
	}
	head := make([]byte, minHeaderBytes)
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("sas7bdat: read header: %w", err)
	}
	if !bytes.Equal(head[:32], magic) {
		return nil, corrupt("not a SAS7BDAT file (bad magic number)")
	}
	f := &file{r: r, size: size}
	// Byte 32 selects the 64-bit layout (8-byte integers in page and
	// subheader structures); byte 35 pads the header fields after the
	// timestamps by 4 bytes.
	a1 := 0
	if head[32] == 0x33 {
		f.u64 = true
	}
	if head[35] == 0x33 {
		a1 = 4
	}
	switch head[37] {
	case 0x01:
		f.order, f.le = binary.LittleEndian, true
	case 0x00:
		f.order = binary.BigEndian
	default:
		return nil, corrupt("unknown byte order flag 0x%02x", head[37])
	}
	if f.u64 {
		f.wordLen, f.ptrLen, f.pageHdr = 8, 24, 40
	} else {
		f.wordLen, f.ptrLen, f.pageHdr = 4, 12, 24
	}
	enc, err := pickCharset(head[70], opts.Encoding)
	if err != nil {
		return nil, err
	}
	f.enc = enc
	f.name = strings.TrimRight(string(head[92:156]), " \x00")

	a2 := 0
	if f.u64 {
		a2 = 4
	}
	if rel := 216 + a1 + a2; rel+8 <= len(head) {
		f.statTransfer = string(head[rel:rel+8]) == "9.0000M0"
	}
	hdrLen := int64(int32(f.order.Uint32(head[196+a1:])))
	pageSize := int64(int32(f.order.Uint32(head[200+a1:])))
	var pageCount int64
	if f.u64 {
		pageCount = int64(f.order.Uint64(head[204+a1:]))
	} else {
		pageCount = int64(f.order.Uint32(head[204+a1:]))
	}
	if hdrLen < minHeaderBytes || hdrLen > maxHeaderLen || hdrLen > size {
		return nil, corrupt("header length %d is invalid for a %d-byte file", hdrLen, size)
	}
	if pageSize < minPageSize || pageSize > maxPageSize {
		return nil, corrupt("page size %d is outside [%d, %d]", pageSize, minPageSize, maxPageSize)
	}
	if pageCount < 0 {
		return nil, corrupt("negative page count %d", pageCount)
	}
	f.hdrLen, f.pageSize = hdrLen, pageSize
	// Never trust the page count beyond what the file can hold.
	fit := (size - hdrLen) / pageSize
	f.pages = min(pageCount, fit)
	f.announced = pageCount
	if err := f.readMeta(ctx); err != nil {
		return nil, err
	}
	return f, nil
}

// readPage reads page n into buf (len pageSize).
func (f *file) readPage(n int64, buf []byte) error {
	off := f.hdrLen + n*f.pageSize
	if _, err := f.r.ReadAt(buf, off); err != nil {
		if err == io.EOF {
			return corrupt("page %d at offset %d is truncated", n, off)
		}
		return fmt.Errorf("sas7bdat: read page %d: %w", n, err)
	}
	return nil
}

// pageInfo is the parsed header of one page.
type pageInfo struct {
	typ        uint16
	blockCount int
	subCount   int
}

func (f *file) parsePageHeader(n int64, p []byte) (pageInfo, error) {
	var pi pageInfo
	o := 16
	if f.u64 {
		o = 32
	}
	pi.typ = f.order.Uint16(p[o:])
	pi.blockCount = int(f.order.Uint16(p[o+2:]))
	pi.subCount = int(f.order.Uint16(p[o+4:]))
	if int64(f.pageHdr+pi.subCount*f.ptrLen) > f.pageSize {
		return pi, corrupt("page %d: %d subheader pointers do not fit in a %d-byte page", n, pi.subCount, f.pageSize)
	}
	return pi, nil
}

// subPtr is one subheader pointer of a page.
type subPtr struct {
	off, n int
	comp   byte
	typ    byte
}

func (f *file) word(b []byte) int64 {
	if f.u64 {
		return int64(f.order.Uint64(b))
	}
	return int64(int32(f.order.Uint32(b)))
}

func (f *file) subPointer(n int64, p []byte, i int) (subPtr, error) {
	b := p[f.pageHdr+i*f.ptrLen:]
	off := f.word(b)
	ln := f.word(b[f.wordLen:])
	sp := subPtr{comp: b[2*f.wordLen], typ: b[2*f.wordLen+1]}
	if ln == 0 {
		return sp, nil
	}
	if off < 0 || ln < 0 || off > f.pageSize || ln > f.pageSize-off {
		return sp, corrupt("page %d: subheader %d (offset %d, length %d) lies outside the %d-byte page", n, i, off, ln, f.pageSize)
	}
	sp.off, sp.n = int(off), int(ln)
	return sp, nil
}

func (f *file) signature(b []byte) uint32 {
	if len(b) < 4 {
		return 0
	}
	s := f.order.Uint32(b)
	if f.u64 && !f.le && (s == 0 || s == 0xFFFFFFFF) && len(b) >= 8 {
		s = f.order.Uint32(b[4:])
	}
	return s
}

// readMeta scans pages until the column metadata is complete.
func (f *file) readMeta(ctx context.Context) error {
	m := &meta{}
	buf := make([]byte, f.pageSize)
	for n := int64(0); n < f.pages; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f.readPage(n, buf); err != nil {
			return err
		}
		pi, err := f.parsePageHeader(n, buf)
		if err != nil {
			return err
		}
		kind := pi.typ & pageKindMask
		if pi.typ&pageSpecial != 0 {
			continue
		}
		if kind == pageData {
			if m.complete(false) {
				break
			}
			continue
		}
		for i := 0; i < pi.subCount; i++ {
			sp, err := f.subPointer(n, buf, i)
			if err != nil {
				return err
			}
			if sp.n == 0 || sp.comp == compTruncated || sp.comp == compRLE {
				continue
			}
			if err := f.metaSubheader(n, m, buf[sp.off:sp.off+sp.n]); err != nil {
				return err
			}
		}
		if m.complete(true) {
			break
		}
	}
	return f.finishMeta(m)
}

// complete reports whether every column's name and attributes (and, when
// withFormats, its format subheader) have been seen.
func (m *meta) complete(withFormats bool) bool {
	if !m.haveRowSize || !m.haveColSize {
		return false
	}
	c := int(m.colCount)
	if len(m.names) < c || len(m.attrs) < c {
		return false
	}
	return !withFormats || len(m.fmts) >= c
}

func (f *file) metaSubheader(n int64, m *meta, b []byte) error {
	w := f.wordLen
	switch f.signature(b) {
	case sigRowSize:
		if len(b) < 16*w {
			return corrupt("page %d: row size subheader is %d bytes", n, len(b))
		}
		if m.haveRowSize {
			return nil
		}
		m.haveRowSize = true
		f.rowLength = f.word(b[5*w:])
		f.rowCount = f.word(b[6*w:])
		f.mixRowCount = f.word(b[15*w:])
		if len(b) >= 130 {
			m.labelRef = f.textRef(b[len(b)-130:])
			m.compRef = f.textRef(b[len(b)-118:])
		}
	case sigColSize:
		if len(b) < 2*w {
			return corrupt("page %d: column size subheader is %d bytes", n, len(b))
		}
		if m.haveColSize {
			return nil
		}
		m.haveColSize = true
		m.colCount = f.word(b[w:])
		if m.colCount < 0 || m.colCount > maxColumns {
			return corrupt("column count %d is outside [0, %d]", m.colCount, maxColumns)
		}
	case sigColText:
		if len(m.texts) >= maxTextBlocks || m.textBytes+len(b) > maxTextBytes {
			return corrupt("too much column text (more than %d blocks or %d bytes)", maxTextBlocks, maxTextBytes)
		}
		blob := bytes.Clone(b[w:])
		m.texts = append(m.texts, blob)
		m.textBytes += len(blob)
	case sigColName:
		if len(b) < 2*w+12 {
			return nil
		}
		cnt := (len(b) - 2*w - 12) / 8
		for i := 0; i < cnt; i++ {
			if len(m.names) >= maxColumns {
				return corrupt("more than %d column names", maxColumns)
			}
			m.names = append(m.names, f.textRef(b[w+8+8*i:]))
		}
	case sigColAttr:
		if len(b) < 2*w+12 {
			return nil
		}
		step := w + 8
		cnt := (len(b) - 2*w - 12) / step
		for i := 0; i < cnt; i++ {
			if len(m.attrs) >= maxColumns {
				return corrupt("more than %d column attributes", maxColumns)
			}
			e := b[w+8+step*i:]
			m.attrs = append(m.attrs, attr{
				offset:  f.word(e),
				width:   int64(f.order.Uint32(e[w:])),
				numeric: e[w+6] == 1,
			})
		}
	case sigColFmt:
		if len(b) < 3*w+34 {
			return nil
		}
		if len(m.fmts) >= maxColumns {
			return corrupt("more than %d column formats", maxColumns)
		}
		m.fmts = append(m.fmts, f.textRef(b[3*w+22:]))
		m.labels = append(m.labels, f.textRef(b[3*w+28:]))
	case sigCounts, sigColList:
		// Not needed to read the data.
	}
	return nil
}

func (f *file) textRef(b []byte) textRef {
	return textRef{
		idx: int(f.order.Uint16(b)),
		off: int(f.order.Uint16(b[2:])),
		n:   int(f.order.Uint16(b[4:])),
	}
}

// text returns the raw bytes a reference points to, or nil if it points
// outside the column text seen.
func (m *meta) text(r textRef) []byte {
	if r.n == 0 || r.idx >= len(m.texts) {
		return nil
	}
	t := m.texts[r.idx]
	if r.off+r.n > len(t) {
		return nil
	}
	return t[r.off : r.off+r.n]
}

func (f *file) finishMeta(m *meta) error {
	if (!m.haveRowSize || !m.haveColSize) && f.pages < f.announced {
		return corrupt("file is truncated: the header announces %d pages of %d bytes, %d fit in %d bytes", f.announced, f.pageSize, f.pages, f.size)
	}
	if !m.haveRowSize {
		return corrupt("no row size subheader found in %d pages", f.pages)
	}
	if !m.haveColSize {
		return corrupt("no column size subheader found in %d pages", f.pages)
	}
	if f.rowLength < 0 || f.rowLength > maxRowLength {
		return corrupt("row length %d is outside [0, %d]", f.rowLength, maxRowLength)
	}
	if f.rowCount < 0 {
		return corrupt("negative row count %d", f.rowCount)
	}
	nc := int(m.colCount)
	if len(m.names) < nc || len(m.attrs) < nc {
		return corrupt("file declares %d columns but describes %d names and %d attributes", nc, len(m.names), len(m.attrs))
	}
	if nc > 0 && f.rowLength == 0 {
		return corrupt("row length is 0 for %d columns", nc)
	}
	if c := m.text(m.compRef); c != nil {
		switch {
		case bytes.HasPrefix(c, []byte("SASYZCRL")):
			f.compression = compressionRLE
		case bytes.HasPrefix(c, []byte("SASYZCR2")):
			f.compression = compressionRDC
		}
	}
	if f.compression == compressionNone && len(m.texts) > 0 {
		// Older writers leave the reference empty; the literal then sits
		// near the start of the first column text block.
		head := m.texts[0][:min(len(m.texts[0]), 64)]
		switch {
		case bytes.Contains(head, []byte("SASYZCRL")):
			f.compression = compressionRLE
		case bytes.Contains(head, []byte("SASYZCR2")):
			f.compression = compressionRDC
		}
	}
	f.label = f.enc.decodeTrim(m.text(m.labelRef))

	f.cols = make([]column, nc)
	seen := make(map[string]int, nc)
	var widths int64
	for i := 0; i < nc; i++ {
		a := m.attrs[i]
		c := column{offset: a.offset, width: a.width, numeric: a.numeric}
		if c.offset < 0 || c.width < 0 || c.offset > f.rowLength || c.width > f.rowLength-c.offset {
			return corrupt("column %d (offset %d, width %d) lies outside the %d-byte row", i+1, c.offset, c.width, f.rowLength)
		}
		// Columns do not overlap, so their widths add up to at most the row
		// length; this also bounds the work per row.
		if widths += c.width; widths > f.rowLength {
			return corrupt("column widths add up to more than the %d-byte row", f.rowLength)
		}
		if c.numeric && (c.width < 1 || c.width > 8) {
			return corrupt("numeric column %d has width %d (want 1 to 8)", i+1, c.width)
		}
		c.name = f.enc.decodeTrim(m.text(m.names[i]))
		if i < len(m.fmts) {
			c.format = f.enc.decodeTrim(m.text(m.fmts[i]))
			c.label = f.enc.decodeTrim(m.text(m.labels[i]))
		}
		c.name = uniqueName(c.name, i, seen)
		c.kind = formats.String
		if c.numeric {
			c.kind = KindForFormat(c.format)
		}
		f.cols[i] = c
	}
	return nil
}

// uniqueName returns name, or a replacement when it is empty or already used.
func uniqueName(name string, i int, seen map[string]int) string {
	if name == "" {
		name = "col" + strconv.Itoa(i+1)
	}
	key := strings.ToLower(name)
	if _, dup := seen[key]; !dup {
		seen[key] = 1
		return name
	}
	for k := seen[key] + 1; ; k++ {
		cand := name + "_" + strconv.Itoa(k)
		ck := strings.ToLower(cand)
		if _, dup := seen[ck]; !dup {
			seen[key] = k
			seen[ck] = 1
			return cand
		}
	}
}
