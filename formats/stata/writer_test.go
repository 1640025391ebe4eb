package stata

// A small test-only .dta writer, written from Stata's published format
// description (dta_113, dta_115, dta_117, dta and dta_119 help files), used
// to produce files of the releases no corpus file covers (104-114, 119, MSF
// variants), the fuzz seeds and the benchmark file. Every file it writes is
// also read by ReadStat (and pandas, when installed) in the differential
// tests, so the writer and the reader are not only checked against each other.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
)

// missTag is an extended missing value .a-.z in test data.
type missTag byte

// wcol is one variable of a file to write.
type wcol struct {
	name    string
	st      storage
	width   int // str width
	format  string
	label   string
	lblName string
	vals    []any // nil (.), int64, float64, string or missTag
}

// wfile is a dataset to write.
type wfile struct {
	release int
	msf     bool
	label   string
	cols    []wcol
	nobs    int
	labels  map[string]map[int32]string
}

func (w *wfile) bo() binary.ByteOrder {
	if w.msf {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// fixed pads s with NULs to n bytes.
func fixed(s string, n int) []byte {
	b := make([]byte, n)
	copy(b, s)
	return b
}

func (w *wfile) width(c *wcol) int {
	switch c.st {
	case stByte:
		return 1
	case stInt:
		return 2
	case stLong, stFloat:
		return 4
	case stDouble, stStrL:
		return 8
	}
	return c.width
}

// cell encodes one value.
func (w *wfile) cell(buf *bytes.Buffer, ci, row int, c *wcol, strl map[string][2]int) {
	bo := w.bo()
	v := c.vals[row]
	tagged := w.release >= 113
	tag := -1 // -1 = value, 0 = ".", 1.. = .a..
	switch x := v.(type) {
	case nil:
		tag = 0
	case missTag:
		tag = int(x-'a') + 1
		if !tagged {
			tag = 0
		}
	}
	var b [8]byte
	switch c.st {
	case stByte:
		n := int64(0)
		if tag >= 0 {
			n = 101 + int64(tag)
			if !tagged {
				n = 127
			}
		} else {
			n = toInt(v)
		}
		buf.WriteByte(byte(int8(n)))
	case stInt:
		n := int64(0)
		if tag >= 0 {
			n = 32741 + int64(tag)
			if !tagged {
				n = 32767
			}
		} else {
			n = toInt(v)
		}
		bo.PutUint16(b[:], uint16(int16(n)))
		buf.Write(b[:2])
	case stLong:
		n := int64(0)
		if tag >= 0 {
			n = 2147483621 + int64(tag)
			if !tagged {
				n = 2147483647
			}
		} else {
			n = toInt(v)
		}
		bo.PutUint32(b[:], uint32(int32(n)))
		buf.Write(b[:4])
	case stFloat:
		var bits uint32
		if tag >= 0 {
			bits = 0x7f000000 + uint32(tag)<<11
		} else {
			bits = math.Float32bits(float32(toFloat(v)))
		}
		bo.PutUint32(b[:], bits)
		buf.Write(b[:4])
	case stDouble:
		var bits uint64
		if tag >= 0 {
			bits = 0x7fe0000000000000 + uint64(tag)<<40
		} else {
			bits = math.Float64bits(toFloat(v))
		}
		bo.PutUint64(b[:], bits)
		buf.Write(b[:8])
	case stStr:
		s, _ := v.(string)
		buf.Write(fixed(s, c.width))
	case stStrL:
		s, _ := v.(string)
		vo := [2]int{0, 0}
		if s != "" {
			if prev, ok := strl[s]; ok {
				vo = prev // cross-link to the first occurrence
			} else {
				vo = [2]int{ci + 1, row + 1}
				strl[s] = vo
			}
		}
		w.putVO(b[:], vo)
		buf.Write(b[:])
	}
}

// putVO encodes a (v,o) data cell.
func (w *wfile) putVO(b []byte, vo [2]int) {
	v, o := uint64(vo[0]), uint64(vo[1])
	switch w.release {
	case 117:
		w.bo().PutUint32(b[:4], uint32(v))
		w.bo().PutUint32(b[4:], uint32(o))
		return
	}
	vLen := 2
	if w.release == 119 {
		vLen = 3
	}
	if w.msf {
		binary.BigEndian.PutUint64(b, v<<(8*(8-vLen))|o)
	} else {
		binary.LittleEndian.PutUint64(b, v|o<<(8*vLen))
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	panic(fmt.Sprintf("not a number: %T", v))
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("not a number: %T", v))
}

// bytes renders the file.
func (w *wfile) bytes() []byte {
	if w.release >= 117 {
		return w.tagged()
	}
	return w.old()
}

func (w *wfile) old() []byte {
	bo := w.bo()
	l := layoutFor(w.release)
	var buf bytes.Buffer
	order := byte(2)
	if w.msf {
		order = 1
	}
	buf.Write([]byte{byte(w.release), order, 1, 0})
	var b [8]byte
	bo.PutUint16(b[:], uint16(len(w.cols)))
	buf.Write(b[:2])
	bo.PutUint32(b[:], uint32(w.nobs))
	buf.Write(b[:4])
	buf.Write(fixed(w.label, int(l.dataLabel)))
	if l.timestamp > 0 {
		buf.Write(fixed("01 Jan 2020 12:00", int(l.timestamp)))
	}
	for i := range w.cols {
		c := &w.cols[i]
		var code byte
		if l.newTypes {
			code = map[storage]byte{stByte: 251, stInt: 252, stLong: 253, stFloat: 254, stDouble: 255}[c.st]
			if c.st == stStr {
				code = byte(c.width)
			}
		} else {
			code = map[storage]byte{stByte: 'b', stInt: 'i', stLong: 'l', stFloat: 'f', stDouble: 'd'}[c.st]
			if c.st == stStr {
				code = byte(0x7f + c.width)
			}
		}
		buf.WriteByte(code)
	}
	for i := range w.cols {
		buf.Write(fixed(w.cols[i].name, int(l.nameLen)))
	}
	buf.Write(make([]byte, 2*(len(w.cols)+1)))
	for i := range w.cols {
		buf.Write(fixed(w.cols[i].format, int(l.fmtLen)))
	}
	for i := range w.cols {
		buf.Write(fixed(w.cols[i].lblName, int(l.nameLen)))
	}
	for i := range w.cols {
		buf.Write(fixed(w.cols[i].label, int(l.varLabelLen)))
	}
	if l.expLenLen > 0 {
		buf.Write(make([]byte, 1+l.expLenLen))
	}
	for r := 0; r < w.nobs; r++ {
		for i := range w.cols {
			w.cell(&buf, i, r, &w.cols[i], nil)
		}
	}
	if w.release >= 110 {
		w.writeLabels(&buf, false)
	}
	return buf.Bytes()
}

// writeLabels appends the value-label tables (modern layout).
func (w *wfile) writeLabels(buf *bytes.Buffer, tagged bool) {
	bo := w.bo()
	l := layoutFor(w.release)
	names := make([]string, 0, len(w.labels))
	for n := range w.labels {
		names = append(names, n)
	}
	sort.Strings(names)
	var b [4]byte
	for _, name := range names {
		t := w.labels[name]
		codes := make([]int32, 0, len(t))
		for c := range t {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
		var txt bytes.Buffer
		offs := make([]int32, len(codes))
		for i, c := range codes {
			offs[i] = int32(txt.Len())
			txt.WriteString(t[c])
			txt.WriteByte(0)
		}
		var tb bytes.Buffer
		put := func(v int32) { bo.PutUint32(b[:], uint32(v)); tb.Write(b[:]) }
		put(int32(len(codes)))
		put(int32(txt.Len()))
		for _, o := range offs {
			put(o)
		}
		for _, c := range codes {
			put(c)
		}
		tb.Write(txt.Bytes())
		if tagged {
			buf.WriteString("<lbl>")
		}
		bo.PutUint32(b[:], uint32(tb.Len()))
		buf.Write(b[:])
		buf.Write(fixed(name, int(l.nameLen)))
		buf.Write([]byte{0, 0, 0})
		buf.Write(tb.Bytes())
		if tagged {
			buf.WriteString("</lbl>")
		}
	}
}

func (w *wfile) tagged() []byte {
	bo := w.bo()
	l := layoutFor(w.release)
	var buf bytes.Buffer
	var b [8]byte
	u16 := func(v uint16) { bo.PutUint16(b[:], v); buf.Write(b[:2]) }
	u32 := func(v uint32) { bo.PutUint32(b[:], v); buf.Write(b[:4]) }
	u64 := func(v uint64) { bo.PutUint64(b[:], v); buf.Write(b[:8]) }
	var m [14]uint64
	buf.WriteString("<stata_dta><header><release>")
	fmt.Fprintf(&buf, "%d", w.release)
	buf.WriteString("</release><byteorder>")
	if w.msf {
		buf.WriteString("MSF")
	} else {
		buf.WriteString("LSF")
	}
	buf.WriteString("</byteorder><K>")
	if w.release == 119 {
		u32(uint32(len(w.cols)))
	} else {
		u16(uint16(len(w.cols)))
	}
	buf.WriteString("</K><N>")
	if w.release == 117 {
		u32(uint32(w.nobs))
	} else {
		u64(uint64(w.nobs))
	}
	buf.WriteString("</N><label>")
	if w.release == 117 {
		buf.WriteByte(byte(len(w.label)))
	} else {
		u16(uint16(len(w.label)))
	}
	buf.WriteString(w.label)
	buf.WriteString("</label><timestamp>")
	buf.WriteByte(17)
	buf.WriteString("01 Jan 2020 12:00")
	buf.WriteString("</timestamp></header>")
	m[1] = uint64(buf.Len())
	buf.WriteString("<map>")
	mapAt := buf.Len()
	buf.Write(make([]byte, 14*8))
	buf.WriteString("</map>")
	m[2] = uint64(buf.Len())
	buf.WriteString("<variable_types>")
	for i := range w.cols {
		c := &w.cols[i]
		code := map[storage]uint16{stByte: 65530, stInt: 65529, stLong: 65528, stFloat: 65527, stDouble: 65526, stStrL: 32768}[c.st]
		if c.st == stStr {
			code = uint16(c.width)
		}
		u16(code)
	}
	buf.WriteString("</variable_types>")
	section := func(idx int, tag string, width int, get func(c *wcol) string) {
		m[idx] = uint64(buf.Len())
		buf.WriteString("<" + tag + ">")
		for i := range w.cols {
			buf.Write(fixed(get(&w.cols[i]), width))
		}
		buf.WriteString("</" + tag + ">")
	}
	section(3, "varnames", int(l.nameLen), func(c *wcol) string { return c.name })
	m[4] = uint64(buf.Len())
	buf.WriteString("<sortlist>")
	sortEntry := 2
	if w.release == 119 {
		sortEntry = 4
	}
	buf.Write(make([]byte, sortEntry*(len(w.cols)+1)))
	buf.WriteString("</sortlist>")
	section(5, "formats", int(l.fmtLen), func(c *wcol) string { return c.format })
	section(6, "value_label_names", int(l.nameLen), func(c *wcol) string { return c.lblName })
	section(7, "variable_labels", int(l.varLabelLen), func(c *wcol) string { return c.label })
	m[8] = uint64(buf.Len())
	buf.WriteString("<characteristics>")
	// One characteristic, to be skipped by readers.
	ch := append(append(fixed("_dta", int(l.nameLen)), fixed("note1", int(l.nameLen))...), "a note\x00"...)
	buf.WriteString("<ch>")
	u32(uint32(len(ch)))
	buf.Write(ch)
	buf.WriteString("</ch>")
	buf.WriteString("</characteristics>")
	m[9] = uint64(buf.Len())
	buf.WriteString("<data>")
	strl := map[string][2]int{}
	for r := 0; r < w.nobs; r++ {
		for i := range w.cols {
			w.cell(&buf, i, r, &w.cols[i], strl)
		}
	}
	buf.WriteString("</data>")
	m[10] = uint64(buf.Len())
	buf.WriteString("<strls>")
	type gso struct {
		vo [2]int
		s  string
	}
	var gsos []gso
	for s, vo := range strl {
		gsos = append(gsos, gso{vo, s})
	}
	sort.Slice(gsos, func(i, j int) bool {
		if gsos[i].vo[1] != gsos[j].vo[1] {
			return gsos[i].vo[1] < gsos[j].vo[1]
		}
		return gsos[i].vo[0] < gsos[j].vo[0]
	})
	for _, g := range gsos {
		buf.WriteString("GSO")
		u32(uint32(g.vo[0]))
		if w.release == 117 {
			u32(uint32(g.vo[1]))
		} else {
			u64(uint64(g.vo[1]))
		}
		buf.WriteByte(130)
		u32(uint32(len(g.s) + 1))
		buf.WriteString(g.s)
		buf.WriteByte(0)
	}
	buf.WriteString("</strls>")
	m[11] = uint64(buf.Len())
	buf.WriteString("<value_labels>")
	w.writeLabels(&buf, true)
	buf.WriteString("</value_labels>")
	m[12] = uint64(buf.Len())
	buf.WriteString("</stata_dta>")
	m[13] = uint64(buf.Len())
	out := buf.Bytes()
	for i, v := range m {
		bo.PutUint64(out[mapAt+8*i:], v)
	}
	return out
}
