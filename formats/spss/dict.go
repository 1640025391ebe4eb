package spss

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"datachat/formats"
)

const (
	headerSize = 176
	// maxLabelBytes caps a variable label; SPSS writes at most 255 (PSPP up
	// to 65535), so anything longer is corruption.
	maxLabelBytes = 1 << 16
	// maxExtensionBytes caps an extension record that is read into memory.
	maxExtensionBytes = 256 << 20
	// maxStringWidth is the widest string SPSS allows.
	maxStringWidth = 32767
	// maxSlots caps the 8-byte positions of a case (SPSS's own practical
	// limit is far lower); it bounds the case buffer and the dictionary.
	maxSlots = 1 << 20
	// deflateMaxRatio bounds how much a deflate stream can expand (1032:1).
	deflateMaxRatio = 1032
)

// Compression codes of the file header.
const (
	compressNone     = 0
	compressBytecode = 1
	compressZlib     = 2
)

// rawVar is a variable as the dictionary records give it, before decoding.
type rawVar struct {
	shortName []byte
	width     int // 0 numeric, else string width in bytes
	print     printFormat
	label     []byte
	hasLabel  bool
	nMissing  int32
	missing   [][]byte // 8 bytes each
	slot      int      // first 8-byte slot of the case
	// segments of a string, filled in once very long strings are merged.
	segments []segment

	labelSets  []*labelSet // value label records (types 3 and 4)
	strLabels  []strLabel  // long string value labels (subtype 21)
	longMiss   [][]byte    // long string missing values (subtype 22)
	continuing int         // continuation records still expected
}

// segment is the part of a string's value held by consecutive slots.
type segment struct {
	slot int // first slot
	used int // bytes of the value it holds
}

// labelSet holds the labels of one value label record. The variables that
// its variables record lists share it, and share the maps built from it, so
// that a record naming many variables costs no more than one.
type labelSet struct {
	values [][8]byte
	labels [][]byte
	// maps caches the label map by the width values are cut to (0 numeric).
	maps map[int]map[any]string
}

type strLabel struct {
	value []byte
	label []byte
}

// dictionary is everything read before the data.
type dictionary struct {
	order       binary.ByteOrder
	compression int
	bias        float64
	ncases      int64
	label       []byte
	vars        []*rawVar
	nslots      int
	slotVar     []int // slot -> index into vars of the variable that starts there, or -1
	slotStr     []bool
	encoding    string
	charCode    int32
	sysmis      uint64
	dataOffset  int64
	veryLong    []byte // subtype 14 contents
	longNames   []byte // subtype 13 contents
	longLabels  [][]byte
	longMissing [][]byte
}

// readDictionary reads the header and every dictionary record up to the
// dictionary termination record.
func readDictionary(ctx context.Context, r io.ReaderAt, size int64) (*dictionary, error) {
	if size < headerSize {
		return nil, corruptf("file is %d bytes, shorter than the %d-byte SPSS header", size, headerSize)
	}
	c := &cursor{r: r, size: size, order: binary.LittleEndian}
	h, err := c.bytes(headerSize, "file header")
	if err != nil {
		return nil, err
	}
	magic := string(h[:4])
	switch magic {
	case "$FL2", "$FL3":
	case "\x5b\xc6\xd3\xf2":
		return nil, fmt.Errorf("spss: EBCDIC system files are not supported: %w", formats.ErrUnsupported)
	default:
		return nil, corruptf("not an SPSS system file: starts with %q instead of \"$FL2\" or \"$FL3\"", magic)
	}
	d := &dictionary{sysmis: math.Float64bits(-math.MaxFloat64), ncases: -1}
	// The layout code is 2 or 3 in the writer's byte order.
	switch {
	case isLayout(binary.LittleEndian.Uint32(h[64:])):
		d.order = binary.LittleEndian
	case isLayout(binary.BigEndian.Uint32(h[64:])):
		d.order = binary.BigEndian
	default:
		return nil, corruptf("file header layout code %#x is neither 2 nor 3 in either byte order", binary.LittleEndian.Uint32(h[64:]))
	}
	c.order = d.order
	d.compression = int(int32(d.order.Uint32(h[72:])))
	switch d.compression {
	case compressNone, compressBytecode:
	case compressZlib:
		if magic != "$FL3" {
			return nil, corruptf("zlib compression (code 2) in a %q file; only $FL3 files use it", magic)
		}
	default:
		return nil, corruptf("file header compression code %d is not 0, 1 or 2", d.compression)
	}
	if n := int32(d.order.Uint32(h[80:])); n >= 0 {
		d.ncases = int64(n)
	}
	d.bias = math.Float64frombits(d.order.Uint64(h[84:]))
	if math.IsNaN(d.bias) || math.IsInf(d.bias, 0) {
		return nil, corruptf("file header compression bias is %v", d.bias)
	}
	d.label = bytes.TrimRight(h[109:173], " \x00")

	for i := 0; ; i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("spss: read dictionary: %w", err)
			}
		}
		start := c.pos
		rt, err := c.int32("record type")
		if err != nil {
			return nil, err
		}
		switch rt {
		case 2:
			err = d.readVariable(c, start)
		case 3:
			err = d.readValueLabels(c, start)
		case 4:
			err = corruptf("value label variables record at offset %d without a value label record before it", start)
		case 6:
			err = d.readDocument(c, start)
		case 7:
			err = d.readExtension(c, start)
		case 999:
			if _, err = c.int32("dictionary termination filler"); err != nil {
				return nil, err
			}
			d.dataOffset = c.pos
			return d, d.finish()
		default:
			err = corruptf("unknown record type %d at offset %d", rt, start)
		}
		if err != nil {
			return nil, err
		}
	}
}

func isLayout(v uint32) bool { return v == 2 || v == 3 }

// readVariable reads a variable record (type 2), the rest of it after the
// record type.
func (d *dictionary) readVariable(c *cursor, start int64) error {
	if d.nslots >= maxSlots {
		return fmt.Errorf("spss: more than %d variable positions: %w", maxSlots, formats.ErrUnsupported)
	}
	b, err := c.next(28, "variable record")
	if err != nil {
		return err
	}
	typ := int32(d.order.Uint32(b))
	hasLabel := int32(d.order.Uint32(b[4:]))
	nMissing := int32(d.order.Uint32(b[8:]))
	print := decodeFormat(d.order.Uint32(b[12:]))
	name := bytes.TrimRight(b[20:28], " \x00")
	name = append([]byte(nil), name...)
	if hasLabel != 0 && hasLabel != 1 {
		return corruptf("variable record at offset %d: label flag is %d instead of 0 or 1", start, hasLabel)
	}
	var label []byte
	if hasLabel == 1 {
		n, err := c.int32("variable label length")
		if err != nil {
			return err
		}
		if n < 0 || n > maxLabelBytes {
			return corruptf("variable record at offset %d: label length %d is out of range", start, n)
		}
		padded := (int64(n) + 3) &^ 3
		if label, err = c.bytes(padded, "variable label"); err != nil {
			return err
		}
		label = label[:n]
	}
	var missing [][]byte
	switch nMissing {
	case 0, 1, 2, 3, -2, -3:
		k := int64(nMissing)
		if k < 0 {
			k = -k
		}
		if k > 0 {
			all, err := c.bytes(8*k, "missing values")
			if err != nil {
				return err
			}
			for i := int64(0); i < k; i++ {
				missing = append(missing, all[8*i:8*i+8])
			}
		}
	default:
		return corruptf("variable record at offset %d: missing value count %d is not one of 0..3, -2, -3", start, nMissing)
	}

	if typ == -1 {
		// Continuation of the previous long string.
		if len(d.vars) == 0 || d.vars[len(d.vars)-1].continuing == 0 {
			return corruptf("variable record at offset %d continues a string, but no string variable needs more space", start)
		}
		v := d.vars[len(d.vars)-1]
		v.continuing--
		d.slotVar = append(d.slotVar, -1)
		d.slotStr = append(d.slotStr, true)
		d.nslots++
		return nil
	}
	if typ < 0 || typ > 255 {
		return corruptf("variable record at offset %d: type %d is neither numeric (0), a string width (1..255) nor a continuation (-1)", start, typ)
	}
	if len(d.vars) > 0 && d.vars[len(d.vars)-1].continuing > 0 {
		p := d.vars[len(d.vars)-1]
		return corruptf("string variable %q of width %d lacks %d continuation records before offset %d", p.shortName, p.width, p.continuing, start)
	}
	if typ > 0 && nMissing < 0 {
		return corruptf("string variable record at offset %d has a missing value range, which strings cannot have", start)
	}
	v := &rawVar{
		shortName: name, width: int(typ), print: print,
		label: label, hasLabel: hasLabel == 1, nMissing: nMissing, missing: missing,
		slot: d.nslots,
	}
	if typ > 0 {
		v.continuing = (int(typ)+7)/8 - 1
	}
	d.slotVar = append(d.slotVar, len(d.vars))
	d.slotStr = append(d.slotStr, typ > 0)
	d.vars = append(d.vars, v)
	d.nslots++
	return nil
}

// readValueLabels reads a value label record (type 3) and the value label
// variables record (type 4) that must follow it.
func (d *dictionary) readValueLabels(c *cursor, start int64) error {
	n, err := c.int32("value label count")
	if err != nil {
		return err
	}
	// Each label takes at least 16 bytes.
	if n < 0 || int64(n) > (c.size-c.pos)/16 {
		return corruptf("value label record at offset %d claims %d labels, more than the file can hold", start, n)
	}
	set := &labelSet{values: make([][8]byte, 0, n), labels: make([][]byte, 0, n)}
	for i := int32(0); i < n; i++ {
		b, err := c.next(9, "value label")
		if err != nil {
			return err
		}
		var value [8]byte
		copy(value[:], b)
		ln := int64(b[8])
		padded := (ln+1+7)&^7 - 1
		lb, err := c.next(padded, "value label text")
		if err != nil {
			return err
		}
		set.values = append(set.values, value)
		set.labels = append(set.labels, append([]byte(nil), lb[:ln]...))
	}
	at := c.pos
	rt, err := c.int32("record type")
	if err != nil {
		return err
	}
	if rt != 4 {
		return corruptf("value label record at offset %d is followed by record type %d at offset %d instead of 4", start, rt, at)
	}
	nv, err := c.int32("value label variable count")
	if err != nil {
		return err
	}
	if nv < 1 || int(nv) > d.nslots {
		return corruptf("value label variables record at offset %d lists %d variables, but the dictionary has %d positions", at, nv, d.nslots)
	}
	idx, err := c.next(4*int64(nv), "value label variable indexes")
	if err != nil {
		return err
	}
	for i := int32(0); i < nv; i++ {
		k := int32(d.order.Uint32(idx[4*i:]))
		if k < 1 || int(k) > d.nslots || d.slotVar[k-1] < 0 {
			return corruptf("value label variables record at offset %d: index %d is not the position of a variable", at, k)
		}
		v := d.vars[d.slotVar[k-1]]
		v.labelSets = append(v.labelSets, set)
	}
	return nil
}

// readDocument skips a document record (type 6).
func (d *dictionary) readDocument(c *cursor, start int64) error {
	n, err := c.int32("document line count")
	if err != nil {
		return err
	}
	if n < 0 {
		return corruptf("document record at offset %d has %d lines", start, n)
	}
	return c.skip(80*int64(n), "document lines")
}

// readExtension reads an extension record (type 7).
func (d *dictionary) readExtension(c *cursor, start int64) error {
	b, err := c.next(12, "extension record header")
	if err != nil {
		return err
	}
	sub := int32(d.order.Uint32(b))
	size := int32(d.order.Uint32(b[4:]))
	count := int32(d.order.Uint32(b[8:]))
	if size < 0 || count < 0 {
		return corruptf("extension record %d at offset %d: negative size %d or count %d", sub, start, size, count)
	}
	n := int64(size) * int64(count)
	if n > c.size-c.pos {
		return corruptf("extension record %d at offset %d claims %d bytes, but only %d remain in the file", sub, start, n, c.size-c.pos)
	}
	want := func(wantSize, wantCount int32) error {
		if size != wantSize || (wantCount >= 0 && count != wantCount) {
			return corruptf("extension record %d at offset %d has size %d and count %d; expected size %d", sub, start, size, count, wantSize)
		}
		return nil
	}
	switch sub {
	case 3, 4, 16:
		var err error
		switch sub {
		case 3:
			err = want(4, 8)
		case 4:
			err = want(8, 3)
		case 16:
			err = want(8, 2)
		}
		if err != nil {
			return err
		}
		body, err := c.next(n, "extension record")
		if err != nil {
			return err
		}
		switch sub {
		case 3:
			if fp := int32(d.order.Uint32(body[16:])); fp != 1 {
				return fmt.Errorf("spss: floating-point representation %d (not IEEE 754) is not supported: %w", fp, formats.ErrUnsupported)
			}
			d.charCode = int32(d.order.Uint32(body[28:]))
		case 4:
			d.sysmis = d.order.Uint64(body)
		case 16:
			if nc := int64(d.order.Uint64(body[8:])); nc >= 0 && d.ncases < 0 {
				d.ncases = nc
			}
		}
		return nil
	case 13, 14, 20, 21, 22:
		if size != 1 {
			return corruptf("extension record %d at offset %d has element size %d instead of 1", sub, start, size)
		}
		if n > maxExtensionBytes {
			return corruptf("extension record %d at offset %d is %d bytes, more than the %d this reader accepts", sub, start, n, maxExtensionBytes)
		}
		body, err := c.bytes(n, "extension record")
		if err != nil {
			return err
		}
		switch sub {
		case 13:
			d.longNames = append(d.longNames, body...)
		case 14:
			d.veryLong = append(d.veryLong, body...)
		case 20:
			d.encoding = strings.TrimRight(string(body), "\x00 ")
		case 21:
			d.longLabels = append(d.longLabels, body)
		case 22:
			d.longMissing = append(d.longMissing, body)
		}
		return nil
	}
	return c.skip(n, "extension record")
}

// finish checks the variable list and merges the segments of very long
// strings into one variable each.
func (d *dictionary) finish() error {
	if len(d.vars) == 0 {
		return corruptf("the dictionary has no variables")
	}
	if p := d.vars[len(d.vars)-1]; p.continuing > 0 {
		return corruptf("string variable %q of width %d lacks %d continuation records", p.shortName, p.width, p.continuing)
	}
	for _, v := range d.vars {
		if v.width > 0 {
			v.segments = []segment{{slot: v.slot, used: v.width}}
		}
	}
	if err := d.mergeVeryLongStrings(); err != nil {
		return err
	}
	return nil
}

// mergeVeryLongStrings applies the very long string record (subtype 14):
// "SHORT=00600\x00\t" entries give the real width of a string stored as
// segments of 255 bytes in consecutive variables.
func (d *dictionary) mergeVeryLongStrings() error {
	if len(d.veryLong) == 0 {
		return nil
	}
	widths := map[string]int{}
	for _, entry := range bytes.Split(d.veryLong, []byte{'\t'}) {
		entry = bytes.Trim(entry, "\x00 \r\n")
		if len(entry) == 0 {
			continue
		}
		k, v, ok := bytes.Cut(entry, []byte{'='})
		if !ok {
			return corruptf("very long string record: entry %q has no '='", entry)
		}
		w, err := strconv.Atoi(strings.TrimSpace(strings.Trim(string(v), "\x00")))
		if err != nil || w < 1 || w > maxStringWidth {
			return corruptf("very long string record: width %q of %q is not in 1..%d", v, k, maxStringWidth)
		}
		widths[strings.ToUpper(string(k))] = w
	}
	out := d.vars[:0:0]
	for i := 0; i < len(d.vars); i++ {
		v := d.vars[i]
		w, ok := widths[strings.ToUpper(string(v.shortName))]
		if !ok || v.width == 0 {
			out = append(out, v)
			continue
		}
		nseg := (w + 251) / 252
		if nseg <= 1 {
			// A width that needs one segment: PSPP ignores such entries.
			out = append(out, v)
			continue
		}
		if i+nseg > len(d.vars) {
			return corruptf("very long string %q of width %d needs %d segments, but only %d variables follow", v.shortName, w, nseg, len(d.vars)-i)
		}
		segs := make([]segment, 0, nseg)
		for k := 0; k < nseg; k++ {
			s := d.vars[i+k]
			if s.width == 0 {
				return corruptf("very long string %q: segment %d (%q) is numeric", v.shortName, k, s.shortName)
			}
			// Data is packed 255 bytes per segment; the concatenation
			// is cut to the width when a value is decoded.
			segs = append(segs, segment{slot: s.slot, used: min(s.width, 255)})
		}
		v.width = w
		v.segments = segs
		out = append(out, v)
		i += nseg - 1
	}
	d.vars = out
	return nil
}
