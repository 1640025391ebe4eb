package stata

import (
	"context"
	"io"

	"datachat/formats"
)

// labelTable maps a value-label table's integer codes to labels.
type labelTable map[int32]string

// readValueLabels reads the label tables that some column uses and attaches
// them to those columns. Tables nobody uses are skipped.
func (f *file) readValueLabels(ctx context.Context, r io.ReaderAt) error {
	wanted := map[string]bool{}
	for i := range f.vars {
		v := &f.vars[i]
		if v.lblName != "" && (v.kind == formats.Int64 || v.kind == formats.Float64) {
			wanted[v.lblName] = true
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	tables := map[string]labelTable{}
	c := &cursor{r: r, size: f.vlEnd, bo: f.bo, off: f.vlStart}
	var err error
	switch {
	case f.release >= 117:
		err = f.readTaggedLabels(ctx, c, wanted, tables)
	case f.release < 105:
		err = f.readLabels104(ctx, c, wanted, tables)
	default:
		err = f.readOldLabels(ctx, c, wanted, tables)
	}
	// Old layouts have no end marker: the tables simply run to the end of
	// the file, so a writer's trailing bytes look like a broken table. Keep
	// what parsed rather than refuse the data over its labels.
	if err != nil && f.release < 117 && ctx.Err() == nil {
		err = nil
	}
	if err != nil {
		return err
	}
	// Columns that use the same table with the same key type share one map,
	// so many variables naming one big table cost one copy of it.
	type shareKey struct {
		table string
		kind  formats.Kind
		limit int64
	}
	shared := map[shareKey]map[any]string{}
	for i := range f.vars {
		v := &f.vars[i]
		t, ok := tables[v.lblName]
		if !ok || (v.kind != formats.Int64 && v.kind != formats.Float64) {
			continue
		}
		limit := f.maxNonMissing(v.st)
		key := shareKey{v.lblName, v.kind, limit}
		if m, ok := shared[key]; ok {
			v.labelMap = m
			continue
		}
		m := make(map[any]string, len(t))
		for code, lab := range t {
			// Labels of the missing codes .a-.z cannot be reached: those
			// values are read as nil.
			if int64(code) > limit {
				continue
			}
			if v.kind == formats.Int64 {
				m[int64(code)] = lab
			} else {
				m[float64(code)] = lab
			}
		}
		if len(m) == 0 {
			m = nil
		}
		shared[key] = m
		v.labelMap = m
	}
	return nil
}

// maxNonMissing is the largest non-missing integer a storage type holds, as
// far as value-label codes (4-byte integers) are concerned.
func (f *file) maxNonMissing(st storage) int64 {
	tagged := f.release >= 113
	switch st {
	case stByte:
		if tagged {
			return 100
		}
		return 126
	case stInt:
		if tagged {
			return 32740
		}
		return 32766
	case stLong:
		if tagged {
			return 2147483620
		}
		return 2147483646
	}
	// Float and double codes are stored as 4-byte integers whose missing codes
	// are those of long.
	if tagged {
		return 2147483620
	}
	return 2147483646
}

// readTaggedLabels reads <lbl>...</lbl> records up to </value_labels>.
func (f *file) readTaggedLabels(ctx context.Context, c *cursor, wanted map[string]bool, tables map[string]labelTable) error {
	nameLen := layoutFor(f.release).nameLen
	total := int64(0)
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		at := c.off
		b, err := c.read(5)
		if err != nil {
			return err
		}
		switch string(b) {
		case "</val":
			return c.expect("ue_labels>")
		case "<lbl>":
		default:
			return corrupt("expected <lbl> or </value_labels> at offset %d, found %q", at, printable(b))
		}
		if err := f.readLabelTable(c, nameLen, wanted, tables, &total); err != nil {
			return err
		}
		if err := c.expect("</lbl>"); err != nil {
			return err
		}
	}
}

// readOldLabels reads the label tables of releases 105-115, which run to the
// end of the file.
func (f *file) readOldLabels(ctx context.Context, c *cursor, wanted map[string]bool, tables map[string]labelTable) error {
	nameLen := layoutFor(f.release).nameLen
	total := int64(0)
	for n := 0; c.size-c.off >= 4+nameLen+3; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := f.readLabelTable(c, nameLen, wanted, tables, &total); err != nil {
			return err
		}
	}
	return nil
}

// readLabelTable reads one table: length, name, padding and the table itself.
func (f *file) readLabelTable(c *cursor, nameLen int64, wanted map[string]bool, tables map[string]labelTable, total *int64) error {
	at := c.off
	n32, err := c.u32()
	if err != nil {
		return err
	}
	length := int64(n32)
	nb, err := c.read(nameLen)
	if err != nil {
		return err
	}
	name := f.dec.text(cstring(nb))
	if _, err := c.read(3); err != nil {
		return err
	}
	if length > c.size-c.off {
		return corrupt("value-label table %q at offset %d claims %d bytes, past the end of the file", name, at, length)
	}
	if !wanted[name] {
		c.off += length
		return nil
	}
	*total += length
	if *total > maxLabelBytes {
		return unsupported("value labels larger than %d bytes", maxLabelBytes)
	}
	tb, err := c.read(length)
	if err != nil {
		return err
	}
	if length < 8 {
		return corrupt("value-label table %q at offset %d is too short (%d bytes)", name, at, length)
	}
	cnt := int64(f.bo.Uint32(tb[0:4]))
	txtLen := int64(f.bo.Uint32(tb[4:8]))
	if cnt > (length-8)/8 || 8+8*cnt+txtLen > length {
		return corrupt("value-label table %q at offset %d claims %d entries and %d text bytes, more than its %d bytes", name, at, cnt, txtLen, length)
	}
	offs := tb[8 : 8+4*cnt]
	vals := tb[8+4*cnt : 8+8*cnt]
	txt := tb[8+8*cnt : 8+8*cnt+txtLen]
	t := tables[name]
	if t == nil {
		t = make(labelTable, cnt)
		tables[name] = t
	}
	for i := int64(0); i < cnt; i++ {
		o := int64(f.bo.Uint32(offs[4*i:]))
		if o >= txtLen {
			return corrupt("value-label table %q: entry %d points outside its text", name, i)
		}
		t[int32(f.bo.Uint32(vals[4*i:]))] = f.dec.text(cstring(txt[o:]))
	}
	return nil
}

// readLabels104 reads release 104 tables: a 2-byte length, a 12-byte name,
// 2 bytes of padding, then 8-byte labels for the codes 0, 1, 2, ...
func (f *file) readLabels104(ctx context.Context, c *cursor, wanted map[string]bool, tables map[string]labelTable) error {
	for c.size-c.off >= 16 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n16, err := c.u16()
		if err != nil {
			return err
		}
		nb, err := c.read(12)
		if err != nil {
			return err
		}
		name := f.dec.text(cstring(nb))
		if _, err := c.read(2); err != nil {
			return err
		}
		tb, err := c.read(int64(n16))
		if err != nil {
			return err
		}
		if !wanted[name] {
			continue
		}
		t := labelTable{}
		for i := 0; 8*(i+1) <= len(tb); i++ {
			if lab := cstring(tb[8*i : 8*i+8]); len(lab) > 0 {
				t[int32(i)] = f.dec.text(lab)
			}
		}
		tables[name] = t
	}
	return nil
}
