// Package spss reads SPSS system files: .sav files, uncompressed or with
// bytecode compression, and .zsav files, whose data is zlib-compressed. Both
// byte orders are read. It follows the description of the format in the GNU
// PSPP manual ("System File Format").
//
// Numeric variables become Float64 columns, except those whose print format
// is a date (DATE, ADATE, EDATE, SDATE, JDATE, MOYR, QYR, WKYR: Date), a date
// and time (DATETIME, YMDHMS: Timestamp) or a time of day or duration (TIME,
// DTIME, MTIME: Time). SPSS keeps these as seconds since 1582-10-14.
// String variables, including long strings and very long strings stored as
// 255-byte segments, become String columns with trailing spaces removed.
// System-missing values and values the variable declares user-missing
// (discrete values and ranges) are returned as nil.
//
// Strings are decoded from the character set the file names (the encoding
// record, else the character code of the machine integer info record, else
// windows-1252) into UTF-8. Variable labels, value labels (float64 keys for
// numeric columns, string keys for string columns) and the file label are
// reported in the table metadata.
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

var _ formats.OpenFunc = Open

// Open reads the dictionary of the system file in r (size bytes long) and
// returns its only table, whose rows are decoded lazily from r. Malformed
// files give errors wrapping formats.ErrCorrupt; valid files using features
// this reader lacks (EBCDIC, non-IEEE floating point, unknown character sets)
// give errors wrapping formats.ErrUnsupported. opts.Encoding overrides the
// character set the file declares; opts.MaxCellBytes caps a decoded string.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	d, err := readDictionary(ctx, r, size)
	if err != nil {
		return nil, err
	}
	encName := opts.Encoding
	if encName == "" {
		encName = d.encodingName()
	}
	text, err := newTextDecoder(encName)
	if err != nil {
		return nil, err
	}
	cols, decs, err := d.columns(text)
	if err != nil {
		return nil, err
	}
	rows, err := newRows(d, r, size, decs, text, opts.MaxCellBytes)
	if err != nil {
		return nil, err
	}
	t := &formats.Table{
		Label:    text.decode(d.label),
		Columns:  cols,
		Rows:     rows,
		RowCount: d.ncases,
	}
	return []*formats.Table{t}, nil
}

// encodingName is the character set the file declares.
func (d *dictionary) encodingName() string {
	if d.encoding != "" {
		return d.encoding
	}
	if d.charCode != 0 {
		if enc := codePageEncoding(int(d.charCode)); enc != nil {
			return "cp" + strconv.Itoa(int(d.charCode))
		}
	}
	return defaultEncoding
}

// colDecoder turns a column's bytes in the case buffer into a value.
type colDecoder struct {
	kind formats.Kind
	// off is the byte offset of the value in the case buffer (numbers and
	// one-segment strings); segs is set for very long strings.
	off   int
	width int
	segs  []segment

	nDiscrete int
	discrete  [3]float64
	hasRange  bool
	lo, hi    float64
	strMiss   [][]byte
}

// columns builds the table's columns and their decoders.
func (d *dictionary) columns(text *textDecoder) ([]formats.Column, []colDecoder, error) {
	longNames := d.parseLongNames(text)
	cols := make([]formats.Column, 0, len(d.vars))
	decs := make([]colDecoder, 0, len(d.vars))
	byName := map[string]*rawVar{}
	seen := map[string]bool{}
	suffix := map[string]int{} // last suffix tried per duplicated name
	for i, v := range d.vars {
		short := text.decode(v.shortName)
		name := longNames[strings.ToUpper(short)]
		if name == "" {
			name = short
		}
		byName[strings.ToUpper(short)] = v
		byName[strings.ToUpper(name)] = v
		if name == "" {
			name = "VAR" + strconv.Itoa(i+1)
		}
		base := name
		for seen[strings.ToUpper(name)] {
			suffix[strings.ToUpper(base)]++
			name = base + "_" + strconv.Itoa(suffix[strings.ToUpper(base)]+1)
		}
		seen[strings.ToUpper(name)] = true
		col := formats.Column{Name: name, Format: v.print.String()}
		if v.width > 255 {
			// The print format's width is one byte: give the real width.
			col.Format = "A" + strconv.Itoa(v.width)
		}
		if v.hasLabel {
			col.Label = text.decode(v.label)
		}
		dec := colDecoder{off: 8 * v.slot, width: v.width}
		if v.width == 0 {
			col.Kind = v.print.numericKind()
			dec.kind = col.Kind
			d.numericMissing(v, &dec)
		} else {
			col.Kind = formats.String
			dec.kind = formats.String
			if len(v.segments) > 1 {
				dec.segs = v.segments
			}
			for _, m := range v.missing {
				dec.strMiss = append(dec.strMiss, bytes.TrimRight(m, " \x00"))
			}
		}
		cols = append(cols, col)
		decs = append(decs, dec)
	}
	if err := d.applyLongStringRecords(byName, text); err != nil {
		return nil, nil, err
	}
	merged := 0
	var err error
	for i, v := range d.vars {
		if len(v.longMiss) > 0 {
			decs[i].strMiss = decs[i].strMiss[:0]
			for _, m := range v.longMiss {
				decs[i].strMiss = append(decs[i].strMiss, bytes.TrimRight(m, " \x00"))
			}
		}
		if cols[i].ValueLabels, err = d.valueLabels(v, cols[i].Kind, text, &merged); err != nil {
			return nil, nil, err
		}
	}
	return cols, decs, nil
}

func (d *dictionary) numericMissing(v *rawVar, dec *colDecoder) {
	f := func(i int) float64 { return math.Float64frombits(d.order.Uint64(v.missing[i])) }
	switch v.nMissing {
	case 1, 2, 3:
		for i := range int(v.nMissing) {
			dec.discrete[i] = f(i)
		}
		dec.nDiscrete = int(v.nMissing)
	case -2, -3:
		dec.hasRange = true
		dec.lo, dec.hi = f(0), f(1)
		if v.nMissing == -3 {
			dec.discrete[0] = f(2)
			dec.nDiscrete = 1
		}
	}
}

// maxMergedLabels caps the value labels copied for variables that several
// value label records label (each record's own map is shared, not copied).
const maxMergedLabels = 1 << 22

// labelMap builds (once) the map of a label set for values of the given
// width (0 = numeric).
func (s *labelSet) labelMap(width int, order binary.ByteOrder, text *textDecoder) map[any]string {
	if m, ok := s.maps[width]; ok {
		return m
	}
	m := make(map[any]string, len(s.values))
	for i, val := range s.values {
		label := text.decode(bytes.TrimRight(s.labels[i], " \x00"))
		if width == 0 {
			m[math.Float64frombits(order.Uint64(val[:]))] = label
		} else {
			m[text.decode(trimRight(val[:width]))] = label
		}
	}
	if s.maps == nil {
		s.maps = map[int]map[any]string{}
	}
	s.maps[width] = m
	return m
}

// valueLabels converts a variable's labels to the map the contract wants.
// Variables labelled by the same record share one map. Date and time
// columns get none: their keys would not be float64 or string.
func (d *dictionary) valueLabels(v *rawVar, kind formats.Kind, text *textDecoder, merged *int) (map[any]string, error) {
	width := 0
	switch {
	case kind == formats.String:
		width = min(v.width, 8)
	case kind != formats.Float64:
		return nil, nil
	}
	var maps []map[any]string
	for _, s := range v.labelSets {
		maps = append(maps, s.labelMap(width, d.order, text))
	}
	if kind == formats.String && len(v.strLabels) > 0 {
		m := make(map[any]string, len(v.strLabels))
		for _, l := range v.strLabels {
			m[text.decode(trimRight(l.value))] = text.decode(bytes.TrimRight(l.label, " \x00"))
		}
		*merged += len(m)
		maps = append(maps, m)
	}
	switch len(maps) {
	case 0:
		return nil, nil
	case 1:
		return maps[0], nil
	}
	out := map[any]string{}
	for _, m := range maps {
		*merged += len(m)
		if *merged > maxMergedLabels {
			return nil, fmt.Errorf("spss: more than %d value labels in total: %w", maxMergedLabels, formats.ErrUnsupported)
		}
		for k, l := range m {
			out[k] = l
		}
	}
	return out, nil
}

// parseLongNames reads the long variable names record (subtype 13):
// "SHORT=Long name\tSHORT2=Other".
func (d *dictionary) parseLongNames(text *textDecoder) map[string]string {
	m := map[string]string{}
	for _, entry := range bytes.Split(d.longNames, []byte{'\t'}) {
		k, v, ok := bytes.Cut(entry, []byte{'='})
		if !ok {
			continue
		}
		k = bytes.Trim(k, "\x00 \r\n")
		v = bytes.Trim(v, "\x00 \r\n")
		if len(k) > 0 && len(v) > 0 {
			m[strings.ToUpper(text.decode(k))] = text.decode(v)
		}
	}
	return m
}

// recordReader walks the body of a subtype 21 or 22 record.
type recordReader struct {
	b     []byte
	order binary.ByteOrder
	what  string
}

func (r *recordReader) int32() (int, error) {
	if len(r.b) < 4 {
		return 0, corruptf("%s ends inside a length field", r.what)
	}
	v := int32(r.order.Uint32(r.b))
	r.b = r.b[4:]
	if v < 0 {
		return 0, corruptf("%s has negative length %d", r.what, v)
	}
	return int(v), nil
}

func (r *recordReader) bytes(n int) ([]byte, error) {
	if n > len(r.b) {
		return nil, corruptf("%s claims %d bytes where %d remain", r.what, n, len(r.b))
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s, nil
}

// applyLongStringRecords attaches long string value labels (subtype 21) and
// long string missing values (subtype 22) to their variables.
func (d *dictionary) applyLongStringRecords(byName map[string]*rawVar, text *textDecoder) error {
	for _, body := range d.longLabels {
		r := &recordReader{b: body, order: d.order, what: "long string value labels record"}
		for len(r.b) > 0 {
			n, err := r.int32()
			if err != nil {
				return err
			}
			name, err := r.bytes(n)
			if err != nil {
				return err
			}
			if _, err := r.int32(); err != nil { // width
				return err
			}
			nl, err := r.int32()
			if err != nil {
				return err
			}
			if nl > len(r.b)/8 {
				return corruptf("%s claims %d labels for %q in %d bytes", r.what, nl, name, len(r.b))
			}
			v := byName[strings.ToUpper(text.decode(name))]
			for range nl {
				vl, err := r.int32()
				if err != nil {
					return err
				}
				val, err := r.bytes(vl)
				if err != nil {
					return err
				}
				ll, err := r.int32()
				if err != nil {
					return err
				}
				lab, err := r.bytes(ll)
				if err != nil {
					return err
				}
				if v != nil && v.width > 0 {
					v.strLabels = append(v.strLabels, strLabel{val, lab})
				}
			}
		}
	}
	for _, body := range d.longMissing {
		r := &recordReader{b: body, order: d.order, what: "long string missing values record"}
		for len(r.b) > 0 {
			n, err := r.int32()
			if err != nil {
				return err
			}
			name, err := r.bytes(n)
			if err != nil {
				return err
			}
			cnt, err := r.bytes(1)
			if err != nil {
				return err
			}
			k := int(cnt[0])
			if k < 1 || k > 3 {
				return corruptf("%s gives %q %d missing values instead of 1 to 3", r.what, name, k)
			}
			vl, err := r.int32()
			if err != nil {
				return err
			}
			if vl > 256 {
				return corruptf("%s: missing value length %d for %q is too long", r.what, vl, name)
			}
			vals, err := r.bytes(k * vl)
			if err != nil {
				return err
			}
			v := byName[strings.ToUpper(text.decode(name))]
			if v == nil || v.width == 0 {
				continue
			}
			for i := range k {
				v.longMiss = append(v.longMiss, vals[i*vl:(i+1)*vl])
			}
		}
	}
	return nil
}
