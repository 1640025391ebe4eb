package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// codebook describes the columns of a generated Stata or SPSS file: their
// variable labels, value labels (codes to labels) and which hold dates.
// Columns it does not name are numbers when every cell parses as one, else
// strings. An empty cell is a missing value.
type codebook struct {
	label string
	vars  map[string]variable
}

type variable struct {
	label  string
	labels map[int]string
	date   bool // cells are YYYY-MM-DD
}

// column is one column of a generated file, typed.
type column struct {
	name string
	meta variable
	str  bool
	nums []float64 // NaN for missing
	strs []string
	// width is the longest string in bytes (at least 1).
	width int
}

// epochs of the two formats' dates.
var (
	stataEpoch = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	spssEpoch  = time.Date(1582, 10, 14, 0, 0, 0, 0, time.UTC)
)

func typedColumns(head []string, rows [][]string, cb *codebook) ([]column, error) {
	cols := make([]column, len(head))
	for j, name := range head {
		c := column{name: name, meta: cb.vars[name], width: 1}
		if !c.meta.date {
			for _, r := range rows {
				if r[j] == "" {
					continue
				}
				if _, err := strconv.ParseFloat(r[j], 64); err != nil {
					c.str = true
					break
				}
			}
		}
		for i, r := range rows {
			v := r[j]
			switch {
			case c.str:
				c.strs = append(c.strs, v)
				c.width = max(c.width, len(v))
			case v == "":
				c.nums = append(c.nums, math.NaN())
			case c.meta.date:
				t, err := time.Parse("2006-01-02", v)
				if err != nil {
					return nil, fmt.Errorf("row %d, %s: %w", i+1, name, err)
				}
				c.nums = append(c.nums, t.Sub(stataEpoch).Hours()/24)
			default:
				x, _ := strconv.ParseFloat(v, 64)
				c.nums = append(c.nums, x)
			}
		}
		if c.str && len(c.meta.labels) > 0 {
			return nil, fmt.Errorf("%s: value labels on a string column", name)
		}
		cols[j] = c
	}
	return cols, nil
}

func fixed(s string, n int) []byte {
	b := make([]byte, n)
	copy(b, s)
	return b
}

func sortedCodes(m map[int]string) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// stataType picks the smallest Stata 114 storage type that holds a numeric
// column: byte, int, long or double.
func stataType(c column) byte {
	if c.meta.date {
		return 253
	}
	lo, hi, whole := 0.0, 0.0, true
	for _, x := range c.nums {
		if math.IsNaN(x) {
			continue
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
		whole = whole && x == math.Trunc(x)
	}
	switch {
	case !whole:
		return 255
	case lo >= -127 && hi <= 100:
		return 251
	case lo >= -32767 && hi <= 32740:
		return 252
	case lo >= -2147483647 && hi <= 2147483620:
		return 253
	}
	return 255
}

// dtaBytes writes a Stata release 114 file (little-endian), the layout of
// Stata 10 and 11 described in Stata's dta documentation.
func dtaBytes(head []string, rows [][]string, cb *codebook) ([]byte, error) {
	cols, err := typedColumns(head, rows, cb)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(&b, le, v) }
	b.Write([]byte{114, 2, 1, 0})
	put(uint16(len(cols)))
	put(uint32(len(rows)))
	b.Write(fixed(cb.label, 81))
	b.Write(fixed("01 Jan 2025 00:00", 18))
	// Files before release 118 have no declared encoding; readers take
	// their strings as Latin-1.
	for j := range cols {
		if !cols[j].str {
			continue
		}
		cols[j].width = 1
		for i, v := range cols[j].strs {
			l, err := latin1(v)
			if err != nil {
				return nil, fmt.Errorf("%s, row %d: %w", cols[j].name, i+1, err)
			}
			cols[j].strs[i] = l
			cols[j].width = max(cols[j].width, len(l))
		}
	}
	types := make([]byte, len(cols))
	for j, c := range cols {
		if c.str {
			if c.width > 244 {
				return nil, fmt.Errorf("%s: strings longer than 244 bytes", c.name)
			}
			types[j] = byte(c.width)
		} else {
			types[j] = stataType(c)
		}
	}
	b.Write(types)
	for _, c := range cols {
		b.Write(fixed(c.name, 33))
	}
	b.Write(make([]byte, 2*(len(cols)+1)))
	for j, c := range cols {
		format := "%9.0g"
		switch {
		case c.str:
			format = fmt.Sprintf("%%%ds", c.width)
		case c.meta.date:
			format = "%td"
		case types[j] == 255:
			format = "%10.2f"
		}
		b.Write(fixed(format, 49))
	}
	for _, c := range cols {
		name := ""
		if len(c.meta.labels) > 0 {
			name = c.name
		}
		b.Write(fixed(name, 33))
	}
	for _, c := range cols {
		l, err := latin1(c.meta.label)
		if err != nil {
			return nil, fmt.Errorf("label of %s: %w", c.name, err)
		}
		b.Write(fixed(l, 81))
	}
	b.Write(make([]byte, 5)) // no expansion fields
	for i := range rows {
		for j, c := range cols {
			if c.str {
				b.Write(fixed(c.strs[i], int(types[j])))
				continue
			}
			x := c.nums[i]
			miss := math.IsNaN(x)
			switch types[j] {
			case 251:
				if miss {
					x = 101
				}
				b.WriteByte(byte(int8(x)))
			case 252:
				if miss {
					x = 32741
				}
				put(int16(x))
			case 253:
				if miss {
					x = 2147483621
				}
				put(int32(x))
			default:
				if miss {
					x = math.Ldexp(1, 1023)
				}
				put(x)
			}
		}
	}
	for _, c := range cols {
		if len(c.meta.labels) == 0 {
			continue
		}
		codes := sortedCodes(c.meta.labels)
		var txt bytes.Buffer
		var offs []int32
		for _, k := range codes {
			l, err := latin1(c.meta.labels[k])
			if err != nil {
				return nil, fmt.Errorf("value label of %s: %w", c.name, err)
			}
			offs = append(offs, int32(txt.Len()))
			txt.WriteString(l)
			txt.WriteByte(0)
		}
		put(int32(8 + 8*len(codes) + txt.Len()))
		b.Write(fixed(c.name, 33))
		b.Write(make([]byte, 3))
		put(int32(len(codes)))
		put(int32(txt.Len()))
		put(offs)
		for _, k := range codes {
			put(int32(k))
		}
		b.Write(txt.Bytes())
	}
	return b.Bytes(), nil
}

// savBytes writes an uncompressed SPSS system file (little-endian) with
// long variable names and UTF-8 text, after the system file layout that
// the PSPP manual documents.
func savBytes(head []string, rows [][]string, cb *codebook) ([]byte, error) {
	cols, err := typedColumns(head, rows, cb)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(&b, le, v) }
	elems := func(c column) int {
		if !c.str {
			return 1
		}
		return (c.width + 7) / 8
	}
	caseSize := 0
	for _, c := range cols {
		caseSize += elems(c)
	}
	b.WriteString("$FL2")
	b.Write(fixed(pad("@(#) SPSS DATA FILE datachat trainset generator", 60), 60))
	put(int32(2))
	put(int32(caseSize))
	put(int32(0)) // not compressed
	put(int32(0)) // no weight
	put(int32(len(rows)))
	put(100.0)
	b.WriteString("01 Jan 25")
	b.WriteString("00:00:00")
	b.Write(fixed(pad(cb.label, 64), 64))
	b.Write(make([]byte, 3))
	short := make([]string, len(cols))
	index := make([]int, len(cols)) // 1-based position of the variable's first element
	at := 1
	for j, c := range cols {
		short[j] = fmt.Sprintf("V%d", j+1)
		index[j] = at
		at += elems(c)
		put(int32(2))
		format := int32(5<<16 | 8<<8)
		switch {
		case c.str:
			put(int32(c.width))
			format = int32(1<<16 | c.width<<8)
		case c.meta.date:
			put(int32(0))
			format = int32(20<<16 | 11<<8)
		default:
			put(int32(0))
			if hasFraction(c.nums) {
				format |= 2
			}
		}
		put(int32(boolInt(c.meta.label != "")))
		put(int32(0)) // no missing values
		put(format)
		put(format)
		b.Write(fixed(pad(short[j], 8), 8))
		if c.meta.label != "" {
			put(int32(len(c.meta.label)))
			b.Write(fixed(c.meta.label, (len(c.meta.label)+3)/4*4))
		}
		for range elems(c) - 1 {
			put([]int32{2, -1, 0, 0, 0, 0})
			b.Write(fixed(pad("", 8), 8))
		}
	}
	for j, c := range cols {
		if len(c.meta.labels) == 0 {
			continue
		}
		codes := sortedCodes(c.meta.labels)
		put(int32(3))
		put(int32(len(codes)))
		for _, k := range codes {
			put(float64(k))
			l := c.meta.labels[k]
			n := (len(l) + 1 + 7) / 8 * 8
			b.WriteByte(byte(len(l)))
			b.Write(fixed(pad(l, n-1), n-1))
		}
		put([]int32{4, 1, int32(index[j])})
	}
	put([]int32{7, 3, 4, 8}) // machine integer info
	put([]int32{1, 0, 0, 0, 1, 1, 2, 65001})
	put([]int32{7, 4, 8, 3}) // machine floating-point info
	put([]float64{-math.MaxFloat64, math.MaxFloat64, -math.Nextafter(math.MaxFloat64, 0)})
	var names []string
	for j, c := range cols {
		names = append(names, short[j]+"="+c.name)
	}
	long := strings.Join(names, "\t")
	put([]int32{7, 13, 1, int32(len(long))})
	b.WriteString(long)
	put([]int32{7, 20, 1, 5})
	b.WriteString("UTF-8")
	put([]int32{999, 0})
	for i := range rows {
		for _, c := range cols {
			switch {
			case c.str:
				b.Write(fixed(pad(c.strs[i], 8*elems(c)), 8*elems(c)))
			case math.IsNaN(c.nums[i]):
				put(-math.MaxFloat64)
			case c.meta.date:
				put((c.nums[i]*86400 + float64(stataEpoch.Unix()-spssEpoch.Unix())))
			default:
				put(c.nums[i])
			}
		}
	}
	return b.Bytes(), nil
}

// latin1 encodes s in ISO-8859-1.
func latin1(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return "", fmt.Errorf("%q has a character outside Latin-1", s)
		}
		b = append(b, byte(r))
	}
	return string(b), nil
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func hasFraction(xs []float64) bool {
	for _, x := range xs {
		if !math.IsNaN(x) && x != math.Trunc(x) {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
