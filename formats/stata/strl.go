package stata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// strlIndex maps (v,o) keys to the file offsets of their GSO records, so
// strL values are read on demand rather than held in memory.
type strlIndex struct {
	keys   []uint64 // sorted
	offs   []int64  // offsets of the "GSO" records, parallel to keys
	vShift uint     // key = v<<vShift | o
	oLen   int64    // bytes of o in a GSO header (4 in 117, 8 after)
	vLen   int      // bytes of v in a data cell (4 in 117, 2 in 118, 3 in 119)
}

func newStrLIndex(release int) *strlIndex {
	switch release {
	case 117:
		return &strlIndex{vShift: 32, oLen: 4, vLen: 4}
	case 118:
		return &strlIndex{vShift: 48, oLen: 8, vLen: 2}
	default:
		return &strlIndex{vShift: 40, oLen: 8, vLen: 3}
	}
}

// headerLen is the size of a GSO header: "GSO", v, o, type and length.
func (x *strlIndex) headerLen() int64 { return 3 + 4 + x.oLen + 1 + 4 }

// key builds the index key, reporting false when v or o cannot be referenced
// from a data cell of this release.
func (x *strlIndex) key(v, o uint64) (uint64, bool) {
	if o>>x.vShift != 0 || v>>(64-x.vShift) != 0 {
		return 0, false
	}
	return v<<x.vShift | o, true
}

// cellKey decodes the 8-byte (v,o) cell of a strL variable.
func (x *strlIndex) cellKey(f *file, b []byte) (uint64, bool) {
	var v, o uint64
	if x.vLen == 4 {
		v, o = uint64(f.bo.Uint32(b[:4])), uint64(f.bo.Uint32(b[4:8]))
	} else {
		n := x.vLen
		if f.msf {
			for _, c := range b[:n] {
				v = v<<8 | uint64(c)
			}
			for _, c := range b[n:8] {
				o = o<<8 | uint64(c)
			}
		} else {
			for i := n - 1; i >= 0; i-- {
				v = v<<8 | uint64(b[i])
			}
			for i := 7; i >= n; i-- {
				o = o<<8 | uint64(b[i])
			}
		}
	}
	if v == 0 && o == 0 {
		return 0, true
	}
	return x.key(v, o)
}

// find returns the offset of the GSO record with key k.
func (x *strlIndex) find(k uint64) (int64, bool) {
	i, ok := slices.BinarySearch(x.keys, k)
	if !ok {
		return 0, false
	}
	return x.offs[i], true
}

// window reads a section of r through a buffer, refilling it from wherever
// the next read starts, so skipping a large GSO costs no I/O. Refills grow
// from 4 KiB to the buffer's size while reads stay sequential and shrink
// back after a jump.
type window struct {
	r          io.ReaderAt
	end        int64 // end of the section
	buf        []byte
	start, len int64 // file offset and length of the buffered bytes
	size       int64 // bytes to read at the next refill
}

// at returns the n bytes at off (n <= len(buf)).
func (w *window) at(off, n int64) ([]byte, error) {
	if off < w.start || off+n > w.start+w.len {
		if n > w.end-off {
			return nil, io.ErrUnexpectedEOF
		}
		if off <= w.start+w.len && off >= w.start {
			w.size = min(2*w.size, int64(cap(w.buf)))
		} else {
			w.size = 4 << 10
		}
		size := min(max(w.size, n), w.end-off)
		k, err := w.r.ReadAt(w.buf[:size], off)
		if int64(k) < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		w.start, w.len = off, int64(k)
	}
	return w.buf[off-w.start : off-w.start+n], nil
}

// buildStrLIndex scans the <strls> section once, reading only GSO headers.
func buildStrLIndex(ctx context.Context, r io.ReaderAt, f *file) (*strlIndex, error) {
	x := newStrLIndex(f.release)
	w := &window{r: r, end: f.strlEnd, buf: make([]byte, 64<<10)}
	hl := x.headerLen()
	pos := f.strlStart
	sorted := true
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tag, err := w.at(pos, 3)
		if err != nil {
			return nil, truncated(err, "strL section", pos)
		}
		if string(tag) == "</s" {
			end, err := w.at(pos, 8)
			if err != nil || string(end) != "</strls>" {
				return nil, corrupt("bad end of strL section at offset %d", pos)
			}
			break
		}
		if string(tag) != "GSO" {
			return nil, corrupt("expected a GSO record or </strls> at offset %d, found %q", pos, printable(tag))
		}
		hdr, err := w.at(pos, hl)
		if err != nil {
			return nil, truncated(err, "GSO header", pos)
		}
		v := uint64(f.bo.Uint32(hdr[3:7]))
		var o uint64
		if x.oLen == 4 {
			o = uint64(f.bo.Uint32(hdr[7:11]))
		} else {
			o = f.bo.Uint64(hdr[7:15])
		}
		t := hdr[7+x.oLen]
		length := int64(f.bo.Uint32(hdr[8+x.oLen:]))
		if t != 129 && t != 130 {
			return nil, corrupt("GSO record at offset %d has unknown type %d (want 129 or 130)", pos, t)
		}
		k, ok := x.key(v, o)
		if !ok {
			return nil, corrupt("GSO record at offset %d has (v,o) = (%d,%d), beyond what a data cell can refer to", pos, v, o)
		}
		if length > f.strlEnd-pos-hl {
			return nil, corrupt("GSO record at offset %d claims %d bytes, past the end of the strL section", pos, length)
		}
		if len(x.keys) >= maxStrLs {
			return nil, unsupported("more than %d strL values", maxStrLs)
		}
		if len(x.keys) > 0 && k <= x.keys[len(x.keys)-1] {
			sorted = false
		}
		x.keys = append(x.keys, k)
		x.offs = append(x.offs, pos)
		pos += hl + length
	}
	if !sorted {
		idx := make([]int, len(x.keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int {
			switch {
			case x.keys[a] < x.keys[b]:
				return -1
			case x.keys[a] > x.keys[b]:
				return 1
			}
			return 0
		})
		keys := make([]uint64, len(idx))
		offs := make([]int64, len(idx))
		for i, j := range idx {
			keys[i], offs[i] = x.keys[j], x.offs[j]
		}
		x.keys, x.offs = keys, offs
	}
	return x, nil
}

// truncated turns a short read into a corrupt-file error.
func truncated(err error, what string, at int64) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("%s truncated at offset %d", what, at)
	}
	return fmt.Errorf("read %s at offset %d: %w", what, at, err)
}

// readGSO reads the contents of the GSO record at off, honouring maxCell.
// buf is scratch space; the returned slice may alias it.
func (x *strlIndex) readGSO(r io.ReaderAt, f *file, off int64, buf []byte) ([]byte, []byte, error) {
	const guess = 512
	hl := x.headerLen()
	if cap(buf) < int(hl)+guess {
		buf = make([]byte, int(hl)+guess)
	}
	want := min(int64(hl)+guess, f.strlEnd-off)
	if want < hl {
		return nil, buf, corrupt("GSO record at offset %d truncated", off)
	}
	b := buf[:want]
	if k, err := r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && int64(k) == want) {
		return nil, buf, truncated(err, "GSO record", off)
	}
	t := b[7+x.oLen]
	length := int64(f.bo.Uint32(b[8+x.oLen : hl]))
	if length > int64(f.maxCell) {
		return nil, buf, unsupported("strL at offset %d is %d bytes, more than the %d-byte cell limit (raise Options.MaxCellBytes)", off, length, f.maxCell)
	}
	if off+hl+length > f.strlEnd {
		return nil, buf, corrupt("GSO record at offset %d claims %d bytes, past the end of the strL section", off, length)
	}
	var content []byte
	if hl+length <= want {
		content = b[hl : hl+length]
	} else {
		if int64(cap(buf)) < length {
			buf = make([]byte, length)
		}
		content = buf[:length]
		if k, err := r.ReadAt(content, off+hl); err != nil && !(errors.Is(err, io.EOF) && int64(k) == length) {
			return nil, buf, truncated(err, "strL", off+hl)
		}
	}
	if t == 130 && len(content) > 0 && content[len(content)-1] == 0 {
		content = content[:len(content)-1]
	}
	return content, buf, nil
}
