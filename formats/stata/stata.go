// Package stata reads Stata .dta datasets: the old binary layouts of releases
// 104 to 115 and the tagged <stata_dta> layout of releases 117, 118 and 119,
// in either byte order.
//
// Byte, int and long variables become Int64 columns; float and double
// variables become Float64 columns (even when every value is integral); str1
// to str2045 and strL variables become String columns. Numeric variables whose
// display format is a date format become Date (%td, %d, and the period formats
// %tw, %tm, %tq, %th and %ty, each mapped to the first day of its period) or
// Timestamp (%tc and %tC) columns. %tC counts leap seconds; this reader ignores
// them and converts %tC exactly like %tc, so such values may be off by up to
// the number of leap seconds since 1960 (under half a minute).
//
// Missing values (the system missing value "." and the extended missing values
// ".a" to ".z", that is every code above a type's largest non-missing value)
// become nil. Variable labels, value labels and the dataset label are
// reported in Column.Label, Column.ValueLabels and Table.Label. Value labels
// are keyed by int64 for integer columns and float64 for float and double
// columns; labels of the missing codes .a-.z are dropped (those values read
// as nil), date columns get none, and columns sharing a label table share
// one map, which callers must not modify. Before release 117 the label
// tables run to the end of the file without an end marker (and their layout
// before release 110 is poorly documented), so there they are read on a
// best-effort basis: tables that do not parse are ignored. Strings are
// decoded from Windows-1252 before release 118 and from UTF-8 from release 118
// on (Options.Encoding overrides both), and always come out as valid UTF-8.
//
// Date values are floored to their period (a %td value of 10.7 is
// 11jan1960), %tc values are rounded to the microsecond, and date values
// hundreds of thousands of years from 1960 become nil. A strL longer than
// Options.MaxCellBytes (default 64 MiB) ends the rows with an error wrapping
// formats.ErrUnsupported; a binary strL is read as text like any other, with
// invalid UTF-8 replaced by U+FFFD.
//
// Rows are read lazily from the io.ReaderAt in chunks of about a megabyte;
// strL values are located by an index of (v,o) keys and file offsets built
// when the file is opened (16 bytes per strL, capped) and read on demand.
package stata

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"datachat/formats"
)

// Limits that keep hostile files from claiming unbounded resources.
const (
	// maxVars is above Stata/MP's limit of 120,000 variables.
	maxVars = 1 << 20
	// maxStrLs caps the number of strL objects indexed (16 bytes each).
	maxStrLs = 1 << 24
	// defaultMaxCell caps one strL value unless Options.MaxCellBytes says otherwise.
	defaultMaxCell = 64 << 20
	// maxLabelBytes caps the total size of the value-label tables kept.
	maxLabelBytes = 256 << 20
	// chunkBytes is the target size of one read of the data section.
	chunkBytes = 1 << 20
)

// storage is a Stata storage type.
type storage uint8

const (
	stByte storage = iota
	stInt
	stLong
	stFloat
	stDouble
	stStr
	stStrL
)

// variable is one variable's descriptor as the file records it.
type variable struct {
	st       storage
	width    int // bytes in the data record
	offset   int // offset within the data record
	name     string
	format   string
	lblName  string
	label    string
	date     dateKind
	kind     formats.Kind
	labelMap map[any]string
}

// file holds everything Open learnt from the metadata.
type file struct {
	release   int
	bo        binary.ByteOrder
	msf       bool // big-endian
	nobs      int64
	label     string
	vars      []variable
	rowWidth  int
	dataStart int64 // first byte of the first observation
	dataEnd   int64 // first byte after the last observation
	strlStart int64 // first byte after <strls> (tagged layout only)
	strlEnd   int64 // offset of <value_labels> (tagged layout only)
	vlStart   int64 // where value labels start
	vlEnd     int64 // where value labels end
	dec       *decoder
	maxCell   int
}

// Open reads the metadata of the .dta file in r (size bytes long) and returns
// its single table, whose rows are then read lazily from r. Errors about
// malformed files wrap formats.ErrCorrupt; valid files using features this
// reader does not handle wrap formats.ErrUnsupported.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("open dta: negative size %d", size)
	}
	f := &file{maxCell: opts.MaxCellBytes}
	if f.maxCell <= 0 {
		f.maxCell = defaultMaxCell
	}
	if size == 0 {
		return nil, fmt.Errorf("open dta: %w", corrupt("empty file"))
	}
	c := &cursor{r: r, size: size}
	first, err := c.read(1)
	if err != nil {
		return nil, fmt.Errorf("open dta: %w", err)
	}
	if first[0] == '<' {
		err = f.readTagged(c)
	} else {
		c.off = 0
		err = f.readOld(c)
	}
	if err != nil {
		return nil, fmt.Errorf("open dta: %w", err)
	}
	if f.dec, err = newDecoder(opts.Encoding, f.release); err != nil {
		return nil, fmt.Errorf("open dta: %w", err)
	}
	if err := f.finishVars(); err != nil {
		return nil, fmt.Errorf("open dta: %w", err)
	}
	var idx *strlIndex
	if f.hasStrL() {
		if idx, err = buildStrLIndex(ctx, r, f); err != nil {
			return nil, fmt.Errorf("open dta: index strLs: %w", err)
		}
	}
	if err := f.readValueLabels(ctx, r); err != nil {
		return nil, fmt.Errorf("open dta: read value labels: %w", err)
	}

	t := &formats.Table{
		Label:    f.dec.text([]byte(f.label)),
		Columns:  make([]formats.Column, len(f.vars)),
		RowCount: f.nobs,
	}
	names := newNamer(len(f.vars))
	for i := range f.vars {
		v := &f.vars[i]
		t.Columns[i] = formats.Column{
			Name:        names.unique(v.name, i),
			Kind:        v.kind,
			Label:       v.label,
			Format:      v.format,
			ValueLabels: v.labelMap,
		}
	}
	nobs := f.nobs
	if len(f.vars) == 0 {
		// Observations without variables carry nothing to show.
		nobs = 0
		t.RowCount = 0
	}
	t.Rows = newRows(ctx, r, f, idx, nobs)
	return []*formats.Table{t}, nil
}

func (f *file) hasStrL() bool {
	for i := range f.vars {
		if f.vars[i].st == stStrL {
			return true
		}
	}
	return false
}

// finishVars decodes the names and labels and decides each column's kind.
func (f *file) finishVars() error {
	off := 0
	for i := range f.vars {
		v := &f.vars[i]
		v.offset = off
		off += v.width
		v.name = f.dec.text([]byte(v.name))
		v.label = f.dec.text([]byte(v.label))
		v.format = f.dec.text([]byte(v.format))
		v.lblName = f.dec.text([]byte(v.lblName))
		switch v.st {
		case stByte, stInt, stLong:
			v.kind = formats.Int64
		case stFloat, stDouble:
			v.kind = formats.Float64
		default:
			v.kind = formats.String
		}
		if v.st <= stDouble {
			v.date = parseDateFormat(v.format)
			switch v.date {
			case dateNone:
			case dateTC:
				v.kind = formats.Timestamp
			default:
				v.kind = formats.Date
			}
		}
	}
	f.rowWidth = off
	return nil
}

// namer makes column names non-empty and unique in linear time, however
// many variables share a name.
type namer struct {
	seen map[string]bool
	next map[string]int // next suffix to try for a base name
}

func newNamer(n int) *namer {
	return &namer{seen: make(map[string]bool, n), next: map[string]int{}}
}

func (nm *namer) unique(name string, i int) string {
	if name == "" {
		name = "var" + strconv.Itoa(i+1)
	}
	base := name
	n := nm.next[base]
	if n == 0 {
		n = 2
	}
	for nm.seen[name] {
		name = base + "_" + strconv.Itoa(n)
		n++
	}
	nm.next[base] = n
	nm.seen[name] = true
	return name
}

// corrupt returns an error wrapping formats.ErrCorrupt.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

// unsupported returns an error wrapping formats.ErrUnsupported.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), formats.ErrUnsupported)
}

// cursor reads a file sequentially through an io.ReaderAt, refusing to read
// past size, so every claimed length is checked before memory is allocated.
type cursor struct {
	r    io.ReaderAt
	off  int64
	size int64
	bo   binary.ByteOrder
	buf  []byte
}

// read returns the next n bytes; the slice is valid until the next call.
func (c *cursor) read(n int64) ([]byte, error) {
	if n < 0 || n > c.size-c.off {
		return nil, corrupt("file truncated: need %d bytes at offset %d, file has %d", n, c.off, c.size)
	}
	if int64(cap(c.buf)) < n {
		c.buf = make([]byte, n)
	}
	b := c.buf[:n]
	if n > 0 {
		// A ReaderAt may report io.EOF along with a complete read at the end.
		if k, err := c.r.ReadAt(b, c.off); err != nil && !(errors.Is(err, io.EOF) && int64(k) == n) {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, corrupt("file shorter than its stated size: %d bytes at offset %d", n, c.off)
			}
			return nil, fmt.Errorf("read %d bytes at offset %d: %w", n, c.off, err)
		}
	}
	c.off += n
	return b, nil
}

// expect reads len(tag) bytes and checks they spell tag.
func (c *cursor) expect(tag string) error {
	at := c.off
	b, err := c.read(int64(len(tag)))
	if err != nil {
		return err
	}
	if string(b) != tag {
		return corrupt("expected %q at offset %d, found %q", tag, at, printable(b))
	}
	return nil
}

func (c *cursor) u8() (uint8, error) {
	b, err := c.read(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (c *cursor) u16() (uint16, error) {
	b, err := c.read(2)
	if err != nil {
		return 0, err
	}
	return c.bo.Uint16(b), nil
}

func (c *cursor) u32() (uint32, error) {
	b, err := c.read(4)
	if err != nil {
		return 0, err
	}
	return c.bo.Uint32(b), nil
}

func (c *cursor) u64() (uint64, error) {
	b, err := c.read(8)
	if err != nil {
		return 0, err
	}
	return c.bo.Uint64(b), nil
}

// uint reads an unsigned integer of width bytes (1, 2, 4 or 8): several
// header fields are wider in later releases.
func (c *cursor) uint(width int) (uint64, error) {
	switch width {
	case 1:
		v, err := c.u8()
		return uint64(v), err
	case 2:
		v, err := c.u16()
		return uint64(v), err
	case 4:
		v, err := c.u32()
		return uint64(v), err
	}
	return c.u64()
}

// fixedStrings reads n fields of width bytes each, each cut at its first NUL.
func (c *cursor) fixedStrings(n int, width int64) ([]string, error) {
	if int64(n)*width > c.size-c.off {
		return nil, corrupt("file truncated: %d fields of %d bytes at offset %d do not fit", n, width, c.off)
	}
	b, err := c.read(int64(n) * width)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		out[i] = string(cstring(b[int64(i)*width : int64(i+1)*width]))
	}
	return out, nil
}

// cstring cuts b at its first NUL byte.
func cstring(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// printable renders bytes for an error message.
func printable(b []byte) string {
	if len(b) > 16 {
		b = b[:16]
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		} else {
			out = append(out, '.')
		}
	}
	return string(out)
}
