package xport

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// This file writes small transport files by hand, following TS-140, so the
// tests control every byte.

type xvar struct {
	name, label, format string
	fl, fd              int
	numeric             bool
	width               int
	longName            string // v8 namestr long name (bytes 88-120)
}

type xmember struct {
	name, label string
	vars        []xvar
	obs         []byte // observations, already encoded
	longLabels  map[int]string
}

func pad(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

func put16(b []byte, v int) { b[0], b[1] = byte(v>>8), byte(v) }

// buildXPT writes a library with the given members in version 5 or 8 layout.
func buildXPT(v8 bool, members ...xmember) []byte {
	var buf bytes.Buffer
	rec := func(s string) {
		if len(s) != recLen {
			panic(fmt.Sprintf("record of %d bytes: %q", len(s), s))
		}
		buf.WriteString(s)
	}
	alignBlank := func() {
		if r := buf.Len() % recLen; r != 0 {
			buf.WriteString(strings.Repeat(" ", recLen-r))
		}
	}
	zeros := "000000000000000000000000000000  "
	lib, memb, dscr, namst, obs := "LIBRARY ", "MEMBER  ", "DSCRPTR ", "NAMESTR ", "OBS     "
	if v8 {
		lib, memb, dscr, namst, obs = "LIBV8   ", "MEMBV8  ", "DSCPTV8 ", "NAMSTV8 ", "OBSV8   "
	}
	stamp := "01JAN20:00:00:00"
	rec(header(lib) + zeros)
	rec("SAS     SAS     SASLIB  9.4     Linux   " + strings.Repeat(" ", 24) + stamp)
	rec(stamp + strings.Repeat(" ", 64))
	for _, m := range members {
		rec(header(memb) + "000000000000000001600000000140  ")
		rec(header(dscr) + zeros)
		if v8 {
			rec("SAS     " + pad(m.name, 32) + "SASDATA 9.4     Linux   " + stamp)
		} else {
			rec("SAS     " + pad(m.name, 8) + "SASDATA 9.4     Linux   " + strings.Repeat(" ", 24) + stamp)
		}
		rec(stamp + strings.Repeat(" ", 16) + pad(m.label, 40) + pad("", 8))
		rec(header(namst) + fmt.Sprintf("000000%04d", len(m.vars)) + "00000000000000000000  ")
		pos := 0
		for i, v := range m.vars {
			ns := make([]byte, 140)
			typ := 2
			if v.numeric {
				typ = 1
			}
			put16(ns[0:], typ)
			put16(ns[4:], v.width)
			put16(ns[6:], i+1)
			copy(ns[8:16], pad(v.name, 8))
			copy(ns[16:56], pad(v.label, 40))
			copy(ns[56:64], pad(v.format, 8))
			put16(ns[64:], v.fl)
			put16(ns[66:], v.fd)
			copy(ns[72:80], pad("", 8))
			ns[84], ns[85], ns[86], ns[87] = byte(pos>>24), byte(pos>>16), byte(pos>>8), byte(pos)
			if v8 {
				copy(ns[88:120], pad(v.longName, 32))
			}
			buf.Write(ns)
			pos += v.width
		}
		alignBlank()
		if len(m.longLabels) > 0 {
			rec(header("LABELV8 ") + fmt.Sprintf("%-32d", len(m.longLabels)))
			for i := range m.vars {
				l, ok := m.longLabels[i]
				if !ok {
					continue
				}
				name := m.vars[i].longName
				if name == "" {
					name = m.vars[i].name
				}
				h := make([]byte, 6)
				put16(h[0:], i+1)
				put16(h[2:], len(name))
				put16(h[4:], len(l))
				buf.Write(h)
				buf.WriteString(name)
				buf.WriteString(l)
			}
			alignBlank()
		}
		rec(header(obs) + zeros)
		buf.Write(m.obs)
		alignBlank()
	}
	return buf.Bytes()
}

// floatToIBM encodes v as an 8-byte IBM hexadecimal float (used to build
// test files; the byte-level tests pin the encoding independently).
func floatToIBM(v float64) []byte {
	out := make([]byte, 8)
	if v == 0 {
		return out
	}
	sign := byte(0)
	if v < 0 {
		sign, v = 0x80, -v
	}
	m, k := math.Frexp(v) // v = m * 2^k, 0.5 <= m < 1
	q := (k + 3) >> 2     // ceil(k/4) for any sign
	f := m * math.Ldexp(1, k-4*q)
	frac := uint64(math.Round(f * (1 << 56)))
	if frac >= 1<<56 {
		frac >>= 4
		q++
	}
	out[0] = sign | byte(q+64)
	for i := 7; i >= 1; i-- {
		out[i] = byte(frac)
		frac >>= 8
	}
	return out
}

// missingIBM is the transport encoding of the SAS missing value c ('.',
// 'A'-'Z' or '_').
func missingIBM(c byte) []byte {
	return []byte{c, 0, 0, 0, 0, 0, 0, 0}
}
