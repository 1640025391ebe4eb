package stata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"datachat/formats"
)

// rows streams observations from the data section, a chunk at a time.
type rows struct {
	ctx  context.Context
	r    io.ReaderAt
	f    *file
	idx  *strlIndex
	nobs int64

	next    int64 // index of the next observation to return
	buf     []byte
	bufFrom int64 // index of the first observation in buf
	bufN    int64 // observations in buf
	err     error

	cols   []colState
	gsoBuf []byte
}

// maxInterned caps the distinct strings remembered per column.
const maxInterned = 512

// colState remembers a column's recent strings, so repeated values (codes,
// categories) share one allocation instead of one per row, and its last
// date conversion.
type colState struct {
	interned map[string]string // raw bytes -> decoded string
	lastNum  float64           // last date value converted, and its result
	lastDate int64
	hasDate  bool
	lastStr  string
	lastKey  uint64
	hasKey   bool
}

var _ formats.Rows = (*rows)(nil)

func newRows(ctx context.Context, r io.ReaderAt, f *file, idx *strlIndex, nobs int64) *rows {
	return &rows{ctx: ctx, r: r, f: f, idx: idx, nobs: nobs, cols: make([]colState, len(f.vars))}
}

// Next implements formats.Rows.
func (rs *rows) Next(b *formats.Batch) error {
	b.Len = 0
	if rs.err != nil {
		return rs.err
	}
	if len(b.Cols) < len(rs.f.vars) {
		return fmt.Errorf("read dta rows: the batch has %d columns for %d variables", len(b.Cols), len(rs.f.vars))
	}
	w := int64(rs.f.rowWidth)
	for b.Len < b.Cap() && rs.next < rs.nobs {
		if rs.next >= rs.bufFrom+rs.bufN {
			if err := rs.fill(); err != nil {
				rs.err = err
				return err
			}
		}
		// Decode the buffered records that fit in the batch.
		k := min(int64(b.Cap()-b.Len), rs.bufFrom+rs.bufN-rs.next)
		for ; k > 0; k-- {
			rec := rs.buf[(rs.next-rs.bufFrom)*w : (rs.next-rs.bufFrom+1)*w]
			if err := rs.decode(rec, b, b.Len); err != nil {
				rs.err = fmt.Errorf("read dta row %d: %w", rs.next+1, err)
				return rs.err
			}
			rs.next++
			b.Len++
		}
	}
	if b.Len == 0 {
		return io.EOF
	}
	return nil
}

// fill reads the next chunk of observations.
func (rs *rows) fill() error {
	if err := rs.ctx.Err(); err != nil {
		return err
	}
	w := int64(rs.f.rowWidth)
	n := max(1, chunkBytes/w)
	n = min(n, rs.nobs-rs.next)
	if int64(cap(rs.buf)) < n*w {
		rs.buf = make([]byte, n*w)
	}
	b := rs.buf[:n*w]
	off := rs.f.dataStart + rs.next*w
	if k, err := rs.r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && int64(k) == n*w) {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return corrupt("read dta rows %d-%d: data truncated at offset %d", rs.next+1, rs.next+n, off)
		}
		return fmt.Errorf("read dta rows %d-%d at offset %d: %w", rs.next+1, rs.next+n, off, err)
	}
	rs.bufFrom, rs.bufN = rs.next, n
	return nil
}

// decode converts one record into row r of b.
func (rs *rows) decode(rec []byte, b *formats.Batch, r int) error {
	f := rs.f
	tagged := f.release >= 113
	bo := f.bo
	for i := range f.vars {
		v := &f.vars[i]
		out := &b.Cols[i]
		cell := rec[v.offset : v.offset+v.width]
		var num float64
		switch v.st {
		case stByte:
			x := int8(cell[0])
			if (tagged && x > 100) || (!tagged && x > 126) {
				out.SetNull(r)
				continue
			}
			if v.date == dateNone {
				out.SetInt(r, int64(x))
				continue
			}
			num = float64(x)
		case stInt:
			x := int16(bo.Uint16(cell))
			if (tagged && x > 32740) || (!tagged && x > 32766) {
				out.SetNull(r)
				continue
			}
			if v.date == dateNone {
				out.SetInt(r, int64(x))
				continue
			}
			num = float64(x)
		case stLong:
			x := int32(bo.Uint32(cell))
			if (tagged && x > 2147483620) || (!tagged && x > 2147483646) {
				out.SetNull(r)
				continue
			}
			if v.date == dateNone {
				out.SetInt(r, int64(x))
				continue
			}
			num = float64(x)
		case stFloat:
			bits := bo.Uint32(cell)
			// Every positive value above the largest float (1.fffffeX+7e),
			// including infinity and NaN, is a missing code.
			if int32(bits) > 0x7effffff {
				out.SetNull(r)
				continue
			}
			num = float64(math.Float32frombits(bits))
			if num != num { // negative NaN
				out.SetNull(r)
				continue
			}
			if v.date == dateNone {
				out.SetFloat(r, num)
				continue
			}
		case stDouble:
			bits := bo.Uint64(cell)
			if int64(bits) > 0x7fdfffffffffffff {
				out.SetNull(r)
				continue
			}
			num = math.Float64frombits(bits)
			if num != num {
				out.SetNull(r)
				continue
			}
			if v.date == dateNone {
				out.SetFloat(r, num)
				continue
			}
		case stStr:
			s := cstring(cell)
			cs := &rs.cols[i]
			if v, ok := cs.interned[string(s)]; ok {
				out.SetStr(r, v)
				continue
			}
			v := f.dec.text(s)
			if cs.interned == nil {
				cs.interned = make(map[string]string)
			}
			if len(cs.interned) < maxInterned {
				cs.interned[string(s)] = v
			}
			out.SetStr(r, v)
			continue
		case stStrL:
			val, err := rs.strL(i, cell)
			if err != nil {
				return err
			}
			out.SetStr(r, val)
			continue
		}
		cs := &rs.cols[i]
		if cs.hasDate && cs.lastNum == num {
			out.SetInt(r, cs.lastDate)
			continue
		}
		t, ok := toTime(v.date, num)
		if !ok {
			out.SetNull(r)
			continue
		}
		if v.kind == formats.Date {
			out.SetDate(r, t)
		} else {
			out.SetTimestamp(r, t)
		}
		cs.lastNum, cs.lastDate, cs.hasDate = num, out.Int[r], true
	}
	return nil
}

// strL resolves a (v,o) cell through the index.
func (rs *rows) strL(col int, cell []byte) (string, error) {
	k, ok := rs.idx.cellKey(rs.f, cell)
	if !ok {
		return "", corrupt("strL cell of column %d holds an impossible (v,o) reference", col+1)
	}
	if k == 0 {
		return "", nil
	}
	cs := &rs.cols[col]
	if cs.hasKey && cs.lastKey == k {
		return cs.lastStr, nil
	}
	off, ok := rs.idx.find(k)
	if !ok {
		return "", corrupt("strL cell of column %d refers to a GSO record that does not exist", col+1)
	}
	content, buf, err := rs.idx.readGSO(rs.r, rs.f, off, rs.gsoBuf)
	rs.gsoBuf = buf
	if err != nil {
		return "", err
	}
	s := rs.f.dec.text(content)
	cs.hasKey, cs.lastKey, cs.lastStr = true, k, s
	return s, nil
}
