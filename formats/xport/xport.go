// Package xport reads SAS transport files (.xpt): the version 5 layout of
// SAS technical note TS-140 (LIBRARY/MEMBER/NAMESTR headers, 8-character
// names, IBM 360 floating point) and the version 8/9 layout (LIBV8, MEMBV8,
// NAMSTV8 headers, 32-character names, LABELV8/LABELV9 records for long
// labels and formats).
//
// Every member of the library becomes one table; when there is more than
// one, Table.Name is the member name. Numbers are converted from IBM
// hexadecimal floating point to float64; the missing values ., .A-.Z and ._
// become nil. Numeric columns with date, datetime or time formats become
// dates, timestamps or times as in package sas7bdat. Character values are
// taken as UTF-8 when valid and as Windows-1252 otherwise, unless
// formats.Options.Encoding names the encoding.
//
// Open scans the file once to find where each member's observations start
// and end; rows are then read lazily, a block at a time.
package xport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"datachat/formats"
	"datachat/formats/sas7bdat"
)

const (
	recLen      = 80
	maxColumns  = 1 << 16  // variables in one member
	maxRowLen   = 64 << 20 // bytes in one observation
	maxMembers  = 1 << 16  // members in one library
	maxLabelLen = 1 << 16  // one LABELV8/V9 text
	scanChunk   = recLen * 13107
)

const headPrefix = "HEADER RECORD*******"

// header returns the 48-byte start of a header record for a name such as
// "MEMBER  " or "MEMBV8  ".
func header(name string) string {
	return headPrefix + name + "HEADER RECORD!!!!!!!"
}

var (
	libV5 = header("LIBRARY ")
	libV8 = header("LIBV8   ")
)

func corrupt(format string, args ...any) error {
	return fmt.Errorf("xport: %s: %w", fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

// reader reads the file sequentially by absolute offset.
type reader struct {
	r    io.ReaderAt
	size int64
	pos  int64
}

func (x *reader) read(n int64) ([]byte, error) {
	if n < 0 || n > x.size-x.pos {
		return nil, corrupt("file ends at byte %d, %d bytes short of a %d-byte structure at offset %d", x.size, n-(x.size-x.pos), n, x.pos)
	}
	b := make([]byte, n)
	if _, err := x.r.ReadAt(b, x.pos); err != nil && !(err == io.EOF && x.pos+n == x.size) {
		return nil, fmt.Errorf("xport: read at offset %d: %w", x.pos, err)
	}
	x.pos += n
	return b, nil
}

func (x *reader) record() ([]byte, error) { return x.read(recLen) }

// align moves to the next 80-byte boundary.
func (x *reader) align() {
	if r := x.pos % recLen; r != 0 {
		x.pos += recLen - r
	}
}

// member is one data set of the library, as Open found it.
type member struct {
	name, label string
	cols        []column
	rowLen      int64
	dataStart   int64
	dataEnd     int64
	rows        int64
}

type column struct {
	name, label, format string
	numeric             bool
	pos, width          int64
	kind                formats.Kind
}

// Open reads the library and member headers of a transport file and returns
// one table per member.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	var dec *sas7bdat.Charset
	if opts.Encoding != "" {
		var err error
		if dec, err = sas7bdat.LookupCharset(opts.Encoding); err != nil {
			return nil, fmt.Errorf("xport: %w", err)
		}
	}
	x := &reader{r: r, size: size}
	first, err := x.record()
	if err != nil {
		return nil, corrupt("file is %d bytes, too short for a transport library header", size)
	}
	v8 := false
	switch string(first[:48]) {
	case libV5:
	case libV8:
		v8 = true
	default:
		return nil, corrupt("not a SAS transport file (no LIBRARY header record)")
	}
	if _, err := x.read(2 * recLen); err != nil {
		return nil, err
	}
	var members []*member
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if x.pos+recLen > size {
			break
		}
		rec, err := x.record()
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(rec, []byte(headPrefix)) {
			if len(members) > 0 && isBlank(rec) {
				break // trailing padding
			}
			return nil, corrupt("expected a MEMBER header record at offset %d", x.pos-recLen)
		}
		if len(members) >= maxMembers {
			return nil, corrupt("more than %d members", maxMembers)
		}
		m, err := readMember(ctx, x, rec, v8, dec)
		if err != nil {
			return nil, err
		}
		members = append(members, m)
		x.pos = m.dataEnd
		x.align()
	}
	if len(members) == 0 {
		return nil, corrupt("library holds no members")
	}
	tabs := make([]*formats.Table, len(members))
	for i, m := range members {
		cols := make([]formats.Column, len(m.cols))
		for j, c := range m.cols {
			cols[j] = formats.Column{Name: c.name, Kind: c.kind, Label: c.label, Format: c.format}
		}
		t := &formats.Table{
			Label:    m.label,
			Columns:  cols,
			RowCount: m.rows,
			Rows:     &rows{ctx: ctx, r: r, m: m, dec: dec, maxCell: opts.MaxCellBytes},
		}
		if len(members) > 1 {
			t.Name = m.name
		}
		tabs[i] = t
	}
	return tabs, nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != 0 {
			return false
		}
	}
	return true
}

// readMember parses the headers of the member whose MEMBER record is rec and
// finds where its observations end.
func readMember(ctx context.Context, x *reader, rec []byte, v8 bool, dec *sas7bdat.Charset) (*member, error) {
	at := x.pos - recLen
	memb, dscr, namst, obs := "MEMBER  ", "DSCRPTR ", "NAMESTR ", "OBS     "
	if v8 {
		memb, dscr, namst, obs = "MEMBV8  ", "DSCPTV8 ", "NAMSTV8 ", "OBSV8   "
	}
	if string(rec[:48]) != header(memb) {
		return nil, corrupt("expected a %s header record at offset %d", strings.TrimSpace(memb), at)
	}
	nsLen := int64(140)
	if n, err := strconv.Atoi(strings.TrimSpace(string(rec[74:78]))); err == nil && (n == 136 || n == 140) {
		nsLen = int64(n)
	}
	rec, err := x.record()
	if err != nil {
		return nil, err
	}
	if string(rec[:48]) != header(dscr) {
		return nil, corrupt("expected a %s header record at offset %d", strings.TrimSpace(dscr), x.pos-recLen)
	}
	d1, err := x.record()
	if err != nil {
		return nil, err
	}
	d2, err := x.record()
	if err != nil {
		return nil, err
	}
	m := &member{}
	if v8 {
		m.name = decodeText(d1[8:40], dec)
	} else {
		m.name = decodeText(d1[8:16], dec)
	}
	m.label = decodeText(d2[32:72], dec)

	rec, err = x.record()
	if err != nil {
		return nil, err
	}
	if string(rec[:48]) != header(namst) {
		return nil, corrupt("member %s: expected a %s header record at offset %d", m.name, strings.TrimSpace(namst), x.pos-recLen)
	}
	nvar, err := strconv.Atoi(strings.TrimSpace(string(rec[48:58])))
	if err != nil || nvar < 0 || nvar > maxColumns {
		return nil, corrupt("member %s: bad variable count %q", m.name, strings.TrimSpace(string(rec[48:58])))
	}
	if int64(nvar)*nsLen > x.size-x.pos {
		return nil, corrupt("member %s: %d variable descriptors do not fit in the file", m.name, nvar)
	}
	ns, err := x.read(int64(nvar) * nsLen)
	if err != nil {
		return nil, err
	}
	x.align()
	m.cols = make([]column, nvar)
	for i := range m.cols {
		c, err := parseNamestr(ns[int64(i)*nsLen:int64(i+1)*nsLen], v8, dec)
		if err != nil {
			return nil, fmt.Errorf("member %s variable %d: %w", m.name, i+1, err)
		}
		m.cols[i] = c
	}

	// Optional LABELV8/LABELV9 records, then the OBS header.
	for {
		rec, err = x.record()
		if err != nil {
			return nil, err
		}
		name := string(rec[:48])
		if name == header(obs) {
			break
		}
		if v8 && (name == header("LABELV8 ") || name == header("LABELV9 ")) {
			if err := readLongLabels(x, m, rec, name == header("LABELV9 "), dec); err != nil {
				return nil, err
			}
			continue
		}
		return nil, corrupt("member %s: expected an %s header record at offset %d", m.name, strings.TrimSpace(obs), x.pos-recLen)
	}
	if err := m.finishColumns(); err != nil {
		return nil, err
	}
	m.dataStart = x.pos
	end, err := findMemberEnd(ctx, x.r, x.size, m.dataStart)
	if err != nil {
		return nil, err
	}
	m.dataEnd = end
	if err := m.countRows(x.r); err != nil {
		return nil, err
	}
	return m, nil
}

// parseNamestr decodes one 140-byte variable descriptor.
func parseNamestr(b []byte, v8 bool, dec *sas7bdat.Charset) (column, error) {
	be := func(o int) int64 { return int64(b[o])<<8 | int64(b[o+1]) }
	var c column
	switch be(0) {
	case 1:
		c.numeric = true
	case 2:
	default:
		return c, corrupt("variable type %d is neither numeric (1) nor character (2)", be(0))
	}
	c.width = be(4)
	c.name = decodeText(b[8:16], dec)
	c.label = decodeText(b[16:56], dec)
	fmtName := decodeText(b[56:64], dec)
	// Width and decimals are signed; some writers store -1 for "none".
	c.format = formatString(fmtName, int64(int16(be(64))), int64(int16(be(66))))
	c.pos = int64(b[84])<<24 | int64(b[85])<<16 | int64(b[86])<<8 | int64(b[87])
	if v8 && len(b) >= 120 {
		if long := decodeText(b[88:120], dec); long != "" {
			c.name = long
		}
	}
	if c.numeric && (c.width < 2 || c.width > 8) {
		return c, corrupt("numeric variable %s has length %d (want 2 to 8)", c.name, c.width)
	}
	if c.width < 1 {
		return c, corrupt("variable %s has length %d", c.name, c.width)
	}
	return c, nil
}

// formatString spells a SAS format as it is written in code: "DATE9.",
// "8.2", "BEST12.", or "" when the variable has none.
func formatString(name string, width, decimals int64) string {
	width, decimals = max(width, 0), max(decimals, 0)
	if name == "" && width == 0 {
		return ""
	}
	s := name
	if width > 0 {
		s += strconv.FormatInt(width, 10)
	}
	s += "."
	if decimals > 0 {
		s += strconv.FormatInt(decimals, 10)
	}
	return s
}

// readLongLabels reads a LABELV8 (labels) or LABELV9 (labels and formats)
// section whose header record is rec.
func readLongLabels(x *reader, m *member, rec []byte, v9 bool, dec *sas7bdat.Charset) error {
	n, err := strconv.Atoi(strings.TrimSpace(string(rec[48:58])))
	if err != nil || n < 0 || n > len(m.cols) {
		return corrupt("member %s: bad long-label count %q", m.name, strings.TrimSpace(string(rec[48:58])))
	}
	for i := 0; i < n; i++ {
		nf := 3
		if v9 {
			nf = 5
		}
		hb, err := x.read(int64(2 * nf))
		if err != nil {
			return err
		}
		f := make([]int64, nf)
		var total int64
		for k := range f {
			f[k] = int64(hb[2*k])<<8 | int64(hb[2*k+1])
			if k > 0 {
				if f[k] > maxLabelLen {
					return corrupt("member %s: long label field of %d bytes", m.name, f[k])
				}
				total += f[k]
			}
		}
		body, err := x.read(total)
		if err != nil {
			return err
		}
		idx := int(f[0]) - 1
		if idx < 0 || idx >= len(m.cols) {
			return corrupt("member %s: long label for variable %d of %d", m.name, idx+1, len(m.cols))
		}
		c := &m.cols[idx]
		nameLen := f[1]
		if v9 {
			fmtLen, infmtLen, labLen := f[2], f[3], f[4]
			if name := decodeText(body[:nameLen], dec); name != "" {
				c.name = name
			}
			if fm := decodeText(body[nameLen:nameLen+fmtLen], dec); fm != "" {
				c.format = fm
			}
			c.label = decodeText(body[nameLen+fmtLen+infmtLen:nameLen+fmtLen+infmtLen+labLen], dec)
		} else {
			if name := decodeText(body[:nameLen], dec); name != "" {
				c.name = name
			}
			c.label = decodeText(body[nameLen:nameLen+f[2]], dec)
		}
	}
	x.align()
	return nil
}

// finishColumns checks positions, sets kinds and makes names unique.
func (m *member) finishColumns() error {
	seen := make(map[string]bool, len(m.cols))
	var widths int64
	for i := range m.cols {
		c := &m.cols[i]
		if c.pos < 0 || c.pos+c.width > maxRowLen {
			return corrupt("member %s variable %s at position %d does not fit in an observation", m.name, c.name, c.pos)
		}
		m.rowLen = max(m.rowLen, c.pos+c.width)
		widths += c.width
		c.kind = formats.String
		if c.numeric {
			c.kind = sas7bdat.KindForFormat(c.format)
		}
		base := c.name
		if base == "" {
			base = "col" + strconv.Itoa(i+1)
		}
		name := base
		for k := 2; seen[strings.ToLower(name)]; k++ {
			name = base + "_" + strconv.Itoa(k)
		}
		seen[strings.ToLower(name)] = true
		c.name = name
	}
	// Variables do not overlap; this also bounds the work per observation.
	if widths > m.rowLen {
		return corrupt("member %s: variables overlap (%d bytes of variables in a %d-byte observation)", m.name, widths, m.rowLen)
	}
	return nil
}

// findMemberEnd returns the offset of the next MEMBER header at an 80-byte
// boundary after start, or the end of the file.
func findMemberEnd(ctx context.Context, r io.ReaderAt, size, start int64) (int64, error) {
	v5, v8 := []byte(header("MEMBER  ")), []byte(header("MEMBV8  "))
	buf := make([]byte, min(scanChunk, max(size-start, 0)))
	for off := start; off+recLen <= size; {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n := min(int64(len(buf)), size-off)
		n -= n % recLen
		b := buf[:n]
		if _, err := r.ReadAt(b, off); err != nil && err != io.EOF {
			return 0, fmt.Errorf("xport: read at offset %d: %w", off, err)
		}
		for i := int64(0); i+recLen <= n; i += recLen {
			rec := b[i : i+48]
			if bytes.Equal(rec, v5) || bytes.Equal(rec, v8) {
				return off + i, nil
			}
		}
		off += n
	}
	return size, nil
}

// countRows derives the number of observations from the data length,
// dropping all-blank observations that lie in the final 80-byte record: they
// are the padding the format adds after the last real one.
func (m *member) countRows(r io.ReaderAt) error {
	if m.rowLen == 0 {
		return nil
	}
	span := m.dataEnd - m.dataStart
	n := span / m.rowLen
	if n == 0 {
		return nil
	}
	lastRec := m.dataStart + ((span-1)/recLen)*recLen
	b := make([]byte, m.dataEnd-lastRec)
	if _, err := r.ReadAt(b, lastRec); err != nil && err != io.EOF {
		return fmt.Errorf("xport: read member %s tail: %w", m.name, err)
	}
	for n > 0 {
		rs := m.dataStart + (n-1)*m.rowLen
		if rs < lastRec || !isSpaces(b[rs-lastRec:rs-lastRec+m.rowLen]) {
			break
		}
		n--
	}
	m.rows = n
	return nil
}

func isSpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// decodeText trims a blank-padded text field and converts it to UTF-8.
func decodeText(b []byte, dec *sas7bdat.Charset) string {
	return decodeCell(b, dec, 0)
}

func decodeCell(b []byte, dec *sas7bdat.Charset, maxBytes int) string {
	if dec != nil {
		return dec.Decode(b, maxBytes)
	}
	b = bytes.TrimRight(b, " \x00")
	var s string
	if utf8.Valid(b) {
		s = string(b)
	} else {
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			out = b
		}
		s = strings.ToValidUTF8(string(out), "\uFFFD")
	}
	if maxBytes > 0 && len(s) > maxBytes {
		cut := maxBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// IBMToFloat converts an IBM System/360 hexadecimal floating point number
// (big-endian, 2 to 8 bytes; shorter values are truncated on the right) to
// float64. ok is false for the SAS missing values ., .A-.Z and ._, which
// transport files store as that character followed by zero bytes.
func IBMToFloat(b []byte) (v float64, ok bool) {
	var u uint64
	for i := 0; i < 8; i++ {
		u <<= 8
		if i < len(b) {
			u |= uint64(b[i])
		}
	}
	if len(b) == 0 {
		return 0, false
	}
	if u&0x00FFFFFFFFFFFFFF == 0 {
		switch c := b[0]; {
		case c == '.' || c == '_' || (c >= 'A' && c <= 'Z'):
			return 0, false
		}
	}
	frac := u & 0x00FFFFFFFFFFFFFF
	if frac == 0 {
		return 0, true
	}
	exp := int((u>>56)&0x7F) - 64
	v = math.Ldexp(float64(frac), 4*exp-56)
	if u>>63 != 0 {
		v = -v
	}
	return v, true
}
