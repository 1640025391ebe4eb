package stata

import (
	"encoding/binary"
	"strconv"
)

// layout gives the field widths that vary between releases.
type layout struct {
	nameLen     int64 // variable names and value-label names
	fmtLen      int64 // display formats
	varLabelLen int64 // variable labels
	dataLabel   int64 // dataset label (old layout)
	timestamp   int64 // timestamp (old layout)
	expLenLen   int64 // length field of an expansion field (old layout); 0 = none
	newTypes    bool  // type codes 251..255 (111+) instead of 'b','i','l','f','d'
	tagged113   bool  // extended missing values .a-.z exist (113+)
}

func layoutFor(release int) layout {
	var l layout
	switch {
	case release < 105:
		l.fmtLen = 7
	case release < 114:
		l.fmtLen = 12
	case release < 118:
		l.fmtLen = 49
	default:
		l.fmtLen = 57
	}
	switch {
	case release < 110:
		l.nameLen = 9
	case release < 118:
		l.nameLen = 33
	default:
		l.nameLen = 129
	}
	switch {
	case release < 108:
		l.varLabelLen, l.dataLabel = 32, 32
	case release < 118:
		l.varLabelLen, l.dataLabel = 81, 81
	default:
		l.varLabelLen, l.dataLabel = 321, 321
	}
	switch {
	case release < 105:
		l.expLenLen = 0
	case release < 110:
		l.expLenLen = 2
	default:
		l.expLenLen = 4
	}
	if release >= 105 {
		l.timestamp = 18
	}
	l.newTypes = release >= 111
	l.tagged113 = release >= 113
	return l
}

// readOld parses the binary header of releases 104 to 115.
func (f *file) readOld(c *cursor) error {
	b, err := c.read(4)
	if err != nil {
		return err
	}
	f.release = int(b[0])
	if f.release < 104 || f.release > 115 {
		return unsupported("not a Stata file or unsupported release %d (first byte 0x%02x); releases 104-115 and 117-119 are supported", f.release, b[0])
	}
	switch b[1] {
	case 1:
		c.bo = binary.BigEndian
	case 2:
		c.bo = binary.LittleEndian
	default:
		return corrupt("not a Stata .dta file, or a corrupt release %d header: byte order code is %d, want 1 or 2", f.release, b[1])
	}
	f.bo, f.msf = c.bo, b[1] == 1
	if b[2] != 1 {
		return corrupt("not a Stata .dta file, or a corrupt release %d header: file type is %d, want 1", f.release, b[2])
	}
	l := layoutFor(f.release)
	nvar, err := c.u16()
	if err != nil {
		return err
	}
	nobs, err := c.u32()
	if err != nil {
		return err
	}
	f.nobs = int64(nobs)
	lab, err := c.read(l.dataLabel)
	if err != nil {
		return err
	}
	f.label = string(cstring(lab))
	if _, err := c.read(l.timestamp); err != nil {
		return err
	}

	// Each variable needs at least a type byte, a name, a sort entry, a
	// format, a label name and a label: refuse counts the file cannot hold.
	perVar := 1 + l.nameLen + 2 + l.fmtLen + l.nameLen + l.varLabelLen
	if int64(nvar)*perVar > c.size-c.off {
		return corrupt("header claims %d variables but the file is too short for their descriptors", nvar)
	}
	types, err := c.read(int64(nvar))
	if err != nil {
		return err
	}
	f.vars = make([]variable, nvar)
	for i, t := range types {
		if err := f.setOldType(&f.vars[i], t, l); err != nil {
			return err
		}
	}
	if err := f.readDescriptors(c, l, 2); err != nil {
		return err
	}
	if l.expLenLen > 0 {
		if err := skipExpansionFields(c, l.expLenLen); err != nil {
			return err
		}
	}
	f.dataStart = c.off
	if err := f.setDataEnd(c.size - f.dataStart); err != nil {
		return err
	}
	f.vlStart, f.vlEnd = f.dataEnd, c.size
	return nil
}

// setOldType decodes a one-byte type code of releases 104-115.
func (f *file) setOldType(v *variable, t byte, l layout) error {
	if l.newTypes {
		switch {
		case t == 251:
			v.st, v.width = stByte, 1
		case t == 252:
			v.st, v.width = stInt, 2
		case t == 253:
			v.st, v.width = stLong, 4
		case t == 254:
			v.st, v.width = stFloat, 4
		case t == 255:
			v.st, v.width = stDouble, 8
		case t >= 1 && t <= 244:
			v.st, v.width = stStr, int(t)
		default:
			return corrupt("unknown variable type code %d in release %d file", t, f.release)
		}
		return nil
	}
	switch {
	case t == 'b':
		v.st, v.width = stByte, 1
	case t == 'i':
		v.st, v.width = stInt, 2
	case t == 'l':
		v.st, v.width = stLong, 4
	case t == 'f':
		v.st, v.width = stFloat, 4
	case t == 'd':
		v.st, v.width = stDouble, 8
	case t >= 0x80:
		v.st, v.width = stStr, int(t)-0x7f
	default:
		return corrupt("unknown variable type code %d in release %d file", t, f.release)
	}
	return nil
}

// readDescriptors reads names, sort list, formats, label names and variable
// labels (old layout: back to back; sortEntry is 2 bytes).
func (f *file) readDescriptors(c *cursor, l layout, sortEntry int64) error {
	n := len(f.vars)
	names, err := c.fixedStrings(n, l.nameLen)
	if err != nil {
		return err
	}
	if _, err := c.read(int64(n+1) * sortEntry); err != nil {
		return err
	}
	fmts, err := c.fixedStrings(n, l.fmtLen)
	if err != nil {
		return err
	}
	lbls, err := c.fixedStrings(n, l.nameLen)
	if err != nil {
		return err
	}
	vlabels, err := c.fixedStrings(n, l.varLabelLen)
	if err != nil {
		return err
	}
	for i := range f.vars {
		f.vars[i].name, f.vars[i].format, f.vars[i].lblName, f.vars[i].label = names[i], fmts[i], lbls[i], vlabels[i]
	}
	return nil
}

// skipExpansionFields skips the (type, length, contents) records that end
// with a zero type and length.
func skipExpansionFields(c *cursor, lenLen int64) error {
	for {
		at := c.off
		typ, err := c.u8()
		if err != nil {
			return err
		}
		var n int64
		if lenLen == 2 {
			v, err := c.u16()
			if err != nil {
				return err
			}
			n = int64(v)
		} else {
			v, err := c.u32()
			if err != nil {
				return err
			}
			n = int64(v)
		}
		if typ == 0 && n == 0 {
			return nil
		}
		if n > c.size-c.off {
			return corrupt("expansion field at offset %d claims %d bytes past the end of the file", at, n)
		}
		c.off += n
	}
}

// setDataEnd checks that nobs rows fit in avail bytes and sets dataEnd.
func (f *file) setDataEnd(avail int64) error {
	if f.rowWidthSum() == 0 {
		f.dataEnd = f.dataStart
		return nil
	}
	w := f.rowWidthSum()
	if f.nobs < 0 || f.nobs > avail/w {
		return corrupt("header claims %d observations of %d bytes, but only %d bytes of data follow (truncated file or wrong count)", f.nobs, w, avail)
	}
	f.dataEnd = f.dataStart + f.nobs*w
	return nil
}

func (f *file) rowWidthSum() int64 {
	var w int64
	for i := range f.vars {
		w += int64(f.vars[i].width)
	}
	return w
}

// readTagged parses the <stata_dta> layout of releases 117 to 119.
func (f *file) readTagged(c *cursor) error {
	c.off = 0
	if err := c.expect("<stata_dta><header><release>"); err != nil {
		return unsupported("not a Stata file: %v", err)
	}
	rel, err := c.read(3)
	if err != nil {
		return err
	}
	f.release, err = strconv.Atoi(string(rel))
	if err != nil || f.release < 117 || f.release > 119 {
		return unsupported("unsupported Stata release %q; releases 104-115 and 117-119 are supported", printable(rel))
	}
	if err := c.expect("</release><byteorder>"); err != nil {
		return err
	}
	bo, err := c.read(3)
	if err != nil {
		return err
	}
	switch string(bo) {
	case "MSF":
		c.bo = binary.BigEndian
	case "LSF":
		c.bo = binary.LittleEndian
	default:
		return corrupt("bad byte order %q (want MSF or LSF)", printable(bo))
	}
	f.bo, f.msf = c.bo, string(bo) == "MSF"
	if err := c.expect("</byteorder><K>"); err != nil {
		return err
	}
	// Release 119 widened K (variables) to 4 bytes; 118 widened N
	// (observations) to 8 and the label length to 2.
	width := func(r117, later int) int {
		if f.release == 117 {
			return r117
		}
		return later
	}
	kw := 2
	if f.release == 119 {
		kw = 4
	}
	k, err := c.uint(kw)
	if err != nil {
		return err
	}
	nvar := int64(k)
	if nvar > maxVars {
		return corrupt("header claims %d variables, more than Stata allows", nvar)
	}
	if err := c.expect("</K><N>"); err != nil {
		return err
	}
	nobs, err := c.uint(width(4, 8))
	if err != nil {
		return err
	}
	if nobs > 1<<62 {
		return corrupt("header claims %d observations", nobs)
	}
	f.nobs = int64(nobs)
	if err := c.expect("</N><label>"); err != nil {
		return err
	}
	labLen, err := c.uint(width(1, 2))
	if err != nil {
		return err
	}
	lab, err := c.read(int64(labLen))
	if err != nil {
		return err
	}
	f.label = string(lab)
	if err := c.expect("</label><timestamp>"); err != nil {
		return err
	}
	tsLen, err := c.u8()
	if err != nil {
		return err
	}
	if _, err := c.read(int64(tsLen)); err != nil {
		return err
	}
	if err := c.expect("</timestamp></header><map>"); err != nil {
		return err
	}
	var m [14]int64
	for i := range m {
		v, err := c.u64()
		if err != nil {
			return err
		}
		if v > uint64(c.size) {
			return corrupt("map entry %d points to offset %d, past the end of the %d-byte file", i+1, v, c.size)
		}
		m[i] = int64(v)
	}
	if err := c.expect("</map>"); err != nil {
		return err
	}

	l := layoutFor(f.release)
	sortEntry := int64(2)
	if f.release == 119 {
		sortEntry = 4
	}
	perVar := 2 + l.nameLen + sortEntry + l.fmtLen + l.nameLen + l.varLabelLen
	if nvar*perVar > c.size-c.off {
		return corrupt("header claims %d variables but the file is too short for their descriptors", nvar)
	}
	if err := c.expect("<variable_types>"); err != nil {
		return err
	}
	f.vars = make([]variable, nvar)
	for i := range f.vars {
		t, err := c.u16()
		if err != nil {
			return err
		}
		v := &f.vars[i]
		switch {
		case t >= 1 && t <= 2045:
			v.st, v.width = stStr, int(t)
		case t == 32768:
			v.st, v.width = stStrL, 8
		case t == 65526:
			v.st, v.width = stDouble, 8
		case t == 65527:
			v.st, v.width = stFloat, 4
		case t == 65528:
			v.st, v.width = stLong, 4
		case t == 65529:
			v.st, v.width = stInt, 2
		case t == 65530:
			v.st, v.width = stByte, 1
		default:
			return corrupt("unknown variable type code %d for variable %d", t, i+1)
		}
	}
	if err := c.expect("</variable_types>"); err != nil {
		return err
	}
	n := int(nvar)
	var names, fmts, lbls, vlabels []string
	sections := []struct {
		tag   string
		width int64
		dst   *[]string
	}{
		{"varnames", l.nameLen, &names},
		{"sortlist", sortEntry, nil},
		{"formats", l.fmtLen, &fmts},
		{"value_label_names", l.nameLen, &lbls},
		{"variable_labels", l.varLabelLen, &vlabels},
	}
	for _, s := range sections {
		if err := c.expect("<" + s.tag + ">"); err != nil {
			return err
		}
		if s.dst == nil {
			if _, err := c.read(int64(n+1) * s.width); err != nil {
				return err
			}
		} else {
			v, err := c.fixedStrings(n, s.width)
			if err != nil {
				return err
			}
			*s.dst = v
		}
		if err := c.expect("</" + s.tag + ">"); err != nil {
			return err
		}
	}
	for i := range f.vars {
		f.vars[i].name, f.vars[i].format, f.vars[i].lblName, f.vars[i].label = names[i], fmts[i], lbls[i], vlabels[i]
	}

	// Characteristics are skipped: the map says where the data start.
	c.off = m[9]
	if err := c.expect("<data>"); err != nil {
		return err
	}
	f.dataStart = c.off
	if err := f.setDataEnd(c.size - f.dataStart); err != nil {
		return err
	}
	c.off = f.dataEnd
	if err := c.expect("</data>"); err != nil {
		return corrupt("data section does not end where %d observations of %d bytes should: %v", f.nobs, f.rowWidthSum(), err)
	}
	if m[10] < c.off || m[11] < m[10] {
		return corrupt("map offsets of <strls> (%d) and <value_labels> (%d) are out of order", m[10], m[11])
	}
	c.off = m[10]
	if err := c.expect("<strls>"); err != nil {
		return err
	}
	f.strlStart, f.strlEnd = c.off, m[11]
	c.off = m[11]
	if err := c.expect("<value_labels>"); err != nil {
		return err
	}
	f.vlStart, f.vlEnd = c.off, c.size
	return nil
}
