package spss

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
	"sort"
	"strconv"
	"strings"
)

// This file holds a small system file writer used only by the tests, so that
// they can produce what the corpus lacks: big-endian files, very long
// strings, long string labels and missing values, several zlib blocks, and
// corrupt variants of all of these.

// byteOrder reads and appends in one byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tvar is one variable of a test file.
type tvar struct {
	name      string // short name, at most 8 bytes
	long      string // long name, "" for none
	width     int    // 0 numeric, else string width
	format    uint32 // print format; 0 = F8.2 or A<width>
	label     string
	missing   []float64   // discrete user-missing numbers
	missRange *[2]float64 // user-missing range
	strMiss   []string
	numLabels map[float64]string
	strLabels map[string]string
}

// tfile is a test file; rows hold float64, string or nil (system-missing).
type tfile struct {
	order       byteOrder
	compression int
	label       string
	encoding    string // subtype 20; "" writes none
	charCode    int32  // subtype 3 character code; 0 writes no subtype 3
	vars        []tvar
	rows        [][]any
	ncases      *int // nil = len(rows)
	blockSize   int  // zlib: uncompressed bytes per block (default 4096)
	// sharedLabels are written as one value label record for every numeric
	// variable.
	sharedLabels map[float64]string
	dataOffset   int // set by bytes: where the data starts
}

func fmtCode(typ, width, dec int) uint32 { return uint32(typ<<16 | width<<8 | dec) }

type wbuf struct {
	bytes.Buffer
	order byteOrder
}

func (w *wbuf) i32(v int32) { w.Write(w.order.AppendUint32(nil, uint32(v))) }
func (w *wbuf) i64(v int64) { w.Write(w.order.AppendUint64(nil, uint64(v))) }
func (w *wbuf) f64(v float64) {
	w.Write(w.order.AppendUint64(nil, math.Float64bits(v)))
}
func (w *wbuf) pad(s string, n int) {
	b := []byte(s)
	if len(b) > n {
		b = b[:n]
	}
	w.Write(b)
	w.Write(bytes.Repeat([]byte{' '}, n-len(b)))
}

// segWidths is how a string of width w is split into variable records.
func segWidths(w int) []int {
	if w <= 255 {
		return []int{w}
	}
	n := (w + 251) / 252
	out := make([]int, n)
	for i := range out {
		out[i] = 255
	}
	out[n-1] = w - 252*(n-1)
	return out
}

func slotsFor(width int) int {
	if width == 0 {
		return 1
	}
	n := 0
	for _, s := range segWidths(width) {
		n += (s + 7) / 8
	}
	return n
}

func (f *tfile) bytes() []byte {
	var order byteOrder = binary.LittleEndian
	if f.order != nil {
		order = f.order
	}
	w := &wbuf{order: order}
	nslots := 0
	for _, v := range f.vars {
		nslots += slotsFor(v.width)
	}
	ncases := len(f.rows)
	if f.ncases != nil {
		ncases = *f.ncases
	}
	magic := "$FL2"
	if f.compression == 2 {
		magic = "$FL3"
	}
	w.WriteString(magic)
	w.pad("@(#) SPSS DATA FILE datachat test writer", 60)
	w.i32(2)
	w.i32(int32(nslots))
	w.i32(int32(f.compression))
	w.i32(0)
	w.i32(int32(ncases))
	w.f64(100)
	w.WriteString("01 Jan 26")
	w.WriteString("00:00:00")
	w.pad(f.label, 64)
	w.Write([]byte{0, 0, 0})

	slot := 0
	firstSlot := make([]int, len(f.vars))
	var veryLong []string
	for i, v := range f.vars {
		firstSlot[i] = slot
		if v.width == 0 {
			w.i32(2)
			w.i32(0)
			w.i32(b2i(v.label != ""))
			miss := v.missing
			n := len(miss)
			if v.missRange != nil {
				n = -2 - len(miss)
			}
			w.i32(int32(n))
			pf := v.format
			if pf == 0 {
				pf = fmtCode(5, 8, 2)
			}
			w.i32(int32(pf))
			w.i32(int32(pf))
			w.pad(v.name, 8)
			writeLabel(w, v.label)
			if v.missRange != nil {
				w.f64(v.missRange[0])
				w.f64(v.missRange[1])
			}
			for _, m := range miss {
				w.f64(m)
			}
			slot++
			continue
		}
		segs := segWidths(v.width)
		if len(segs) > 1 {
			veryLong = append(veryLong, v.name+"="+leftPad(v.width))
		}
		for k, sw := range segs {
			name := v.name
			if k > 0 {
				name = v.name[:min(len(v.name), 5)] + strconv.Itoa(k)
			}
			w.i32(2)
			w.i32(int32(sw))
			hasLabel := k == 0 && v.label != ""
			w.i32(b2i(hasLabel))
			nm := 0
			if k == 0 && v.width <= 8 {
				nm = len(v.strMiss)
			}
			w.i32(int32(nm))
			pf := fmtCode(1, sw, 0)
			w.i32(int32(pf))
			w.i32(int32(pf))
			w.pad(name, 8)
			if hasLabel {
				writeLabel(w, v.label)
			}
			for _, m := range v.strMiss[:nm] {
				w.pad(m, 8)
			}
			for range (sw+7)/8 - 1 {
				w.i32(2)
				w.i32(-1)
				w.i32(0)
				w.i32(0)
				w.i32(0)
				w.i32(0)
				w.pad("", 8)
			}
			slot += (sw + 7) / 8
		}
	}
	// Value labels: type 3/4 for numbers and short strings.
	for i, v := range f.vars {
		if len(v.numLabels) == 0 && (len(v.strLabels) == 0 || v.width > 8) {
			continue
		}
		w.i32(3)
		if v.width == 0 {
			keys := make([]float64, 0, len(v.numLabels))
			for k := range v.numLabels {
				keys = append(keys, k)
			}
			sort.Float64s(keys)
			w.i32(int32(len(keys)))
			for _, k := range keys {
				w.f64(k)
				writeValueLabel(w, v.numLabels[k])
			}
		} else {
			keys := sortedKeys(v.strLabels)
			w.i32(int32(len(keys)))
			for _, k := range keys {
				w.pad(k, 8)
				writeValueLabel(w, v.strLabels[k])
			}
		}
		w.i32(4)
		w.i32(1)
		w.i32(int32(firstSlot[i] + 1))
	}
	if len(f.sharedLabels) > 0 {
		w.i32(3)
		w.i32(int32(len(f.sharedLabels)))
		for k, l := range f.sharedLabels {
			w.f64(k)
			writeValueLabel(w, l)
		}
		var idx []int32
		for i, v := range f.vars {
			if v.width == 0 {
				idx = append(idx, int32(firstSlot[i]+1))
			}
		}
		w.i32(4)
		w.i32(int32(len(idx)))
		for _, x := range idx {
			w.i32(x)
		}
	}
	if f.charCode != 0 {
		w.i32(7)
		w.i32(3)
		w.i32(4)
		w.i32(8)
		endian := int32(2)
		if order == binary.BigEndian {
			endian = 1
		}
		for _, x := range []int32{1, 0, 0, -1, 1, 1, endian, f.charCode} {
			w.i32(x)
		}
	}
	// Machine floating-point info.
	w.i32(7)
	w.i32(4)
	w.i32(8)
	w.i32(3)
	w.f64(-math.MaxFloat64)
	w.f64(math.MaxFloat64)
	w.f64(math.Nextafter(-math.MaxFloat64, 0))
	var longNames []string
	for _, v := range f.vars {
		if v.long != "" {
			longNames = append(longNames, v.name+"="+v.long)
		}
	}
	if len(longNames) > 0 {
		writeText(w, 13, strings.Join(longNames, "\t"))
	}
	if len(veryLong) > 0 {
		writeText(w, 14, strings.Join(veryLong, "\x00\t")+"\x00\t")
	}
	if f.encoding != "" {
		writeText(w, 20, f.encoding)
	}
	// Long string value labels and missing values.
	lw := &wbuf{order: order}
	mw := &wbuf{order: order}
	for _, v := range f.vars {
		// These records name variables by their long names.
		name := v.name
		if v.long != "" {
			name = v.long
		}
		if v.width > 8 && len(v.strLabels) > 0 {
			lw.i32(int32(len(name)))
			lw.WriteString(name)
			lw.i32(int32(v.width))
			keys := sortedKeys(v.strLabels)
			lw.i32(int32(len(keys)))
			for _, k := range keys {
				val := k + strings.Repeat(" ", max(0, v.width-len(k)))
				lw.i32(int32(len(val)))
				lw.WriteString(val)
				lw.i32(int32(len(v.strLabels[k])))
				lw.WriteString(v.strLabels[k])
			}
		}
		if v.width > 8 && len(v.strMiss) > 0 {
			mw.i32(int32(len(name)))
			mw.WriteString(name)
			mw.WriteByte(byte(len(v.strMiss)))
			mw.i32(8)
			for _, m := range v.strMiss {
				mw.pad(m, 8)
			}
		}
	}
	if lw.Len() > 0 {
		writeText(w, 21, lw.String())
	}
	if mw.Len() > 0 {
		writeText(w, 22, mw.String())
	}
	w.i32(999)
	w.i32(0)

	// Cases as 8-byte slots.
	var cases []byte
	for _, row := range f.rows {
		for i, v := range f.vars {
			if v.width == 0 {
				x, ok := row[i].(float64)
				if !ok {
					x = -math.MaxFloat64
				}
				cases = order.AppendUint64(cases, math.Float64bits(x))
				continue
			}
			s, _ := row[i].(string)
			off := 0
			for _, sw := range segWidths(v.width) {
				seg := make([]byte, 8*((sw+7)/8))
				for j := range seg {
					seg[j] = ' '
				}
				take := min(len(s)-off, 255, sw)
				if take > 0 {
					copy(seg, s[off:off+take])
					off += take
				}
				cases = append(cases, seg...)
			}
		}
	}
	dataOffset := w.Len()
	f.dataOffset = dataOffset
	switch f.compression {
	case 0:
		w.Write(cases)
	case 1:
		w.Write(bytecodeEncode(cases, f.slotIsString(), order))
	case 2:
		writeZlib(w, bytecodeEncode(cases, f.slotIsString(), order), int64(dataOffset), f.blockSize)
	}
	return w.Bytes()
}

func (f *tfile) slotIsString() []bool {
	var out []bool
	for _, v := range f.vars {
		for range slotsFor(v.width) {
			out = append(out, v.width > 0)
		}
	}
	return out
}

func bytecodeEncode(cases []byte, isStr []bool, order byteOrder) []byte {
	var out, lits []byte
	cmd := make([]byte, 0, 8)
	flush := func() {
		for len(cmd) < 8 {
			cmd = append(cmd, 0)
		}
		out = append(out, cmd...)
		out = append(out, lits...)
		cmd, lits = cmd[:0], lits[:0]
	}
	emit := func(c byte, lit []byte) {
		cmd = append(cmd, c)
		lits = append(lits, lit...)
		if len(cmd) == 8 {
			flush()
		}
	}
	for i := 0; i+8 <= len(cases); i += 8 {
		u := cases[i : i+8]
		if isStr[(i/8)%len(isStr)] {
			if string(u) == "        " {
				emit(254, nil)
			} else {
				emit(253, u)
			}
			continue
		}
		x := math.Float64frombits(order.Uint64(u))
		switch {
		case x == -math.MaxFloat64:
			emit(255, nil)
		case x == math.Trunc(x) && x >= -99 && x <= 151:
			emit(byte(x+100), nil)
		default:
			emit(253, u)
		}
	}
	emit(252, nil)
	if len(cmd) > 0 {
		flush()
	}
	return out
}

func writeZlib(w *wbuf, data []byte, zheaderOfs int64, blockSize int) {
	if blockSize <= 0 {
		blockSize = 4096
	}
	type entry struct{ uofs, cofs, usize, csize int64 }
	var blocks [][]byte
	var entries []entry
	cofs := zheaderOfs + 24
	for off := 0; off < len(data); off += blockSize {
		chunk := data[off:min(off+blockSize, len(data))]
		var zb bytes.Buffer
		zw := zlib.NewWriter(&zb)
		zw.Write(chunk)
		zw.Close()
		blocks = append(blocks, zb.Bytes())
		entries = append(entries, entry{zheaderOfs + int64(off), cofs, int64(len(chunk)), int64(zb.Len())})
		cofs += int64(zb.Len())
	}
	w.i64(zheaderOfs)
	w.i64(cofs)
	w.i64(24 + 24*int64(len(entries)))
	for _, b := range blocks {
		w.Write(b)
	}
	w.i64(-100)
	w.i64(0)
	w.i32(int32(blockSize))
	w.i32(int32(len(entries)))
	for _, e := range entries {
		w.i64(e.uofs)
		w.i64(e.cofs)
		w.i32(int32(e.usize))
		w.i32(int32(e.csize))
	}
}

func writeLabel(w *wbuf, s string) {
	if s == "" {
		return
	}
	w.i32(int32(len(s)))
	w.WriteString(s)
	w.Write(make([]byte, (4-len(s)%4)%4))
}

func writeValueLabel(w *wbuf, s string) {
	w.WriteByte(byte(len(s)))
	w.WriteString(s)
	w.Write(make([]byte, (8-(len(s)+1)%8)%8))
}

func writeText(w *wbuf, subtype int32, s string) {
	w.i32(7)
	w.i32(subtype)
	w.i32(1)
	w.i32(int32(len(s)))
	w.WriteString(s)
}

func leftPad(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(0, 5-len(s))) + s
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
