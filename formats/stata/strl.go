package stata

import (
	"bufio"
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

// buildStrLIndex scans the <strls> section once, reading only GSO headers.
func buildStrLIndex(ctx context.Context, r io.ReaderAt, f *file) (*strlIndex, error) {
	x := newStrLIndex(f.release)
	sec := io.NewSectionReader(r, f.strlStart, f.strlEnd-f.strlStart)
	br := bufio.NewReaderSize(sec, 64<<10)
	hdr := make([]byte, x.headerLen())
	pos := f.strlStart
	sorted := true
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if _, err := io.ReadFull(br, hdr[:3]); err != nil {
			return nil, truncated(err, "strL section", pos)
		}
		if string(hdr[:3]) == "</s" {
			end := make([]byte, 5)
			if _, err := io.ReadFull(br, end); err != nil || string(end) != "trls>" {
				return nil, corrupt("bad end of strL section at offset %d", pos)
			}
			break
		}
		if string(hdr[:3]) != "GSO" {
			return nil, corrupt("expected a GSO record or </strls> at offset %d, found %q", pos, printable(hdr[:3]))
		}
		if _, err := io.ReadFull(br, hdr[3:]); err != nil {
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
		if len(x.keys) >= maxStrLs {
			return nil, unsupported("more than %d strL values", maxStrLs)
		}
		if len(x.keys) > 0 && k <= x.keys[len(x.keys)-1] {
			sorted = false
		}
		x.keys = append(x.keys, k)
		x.offs = append(x.offs, pos)
		if d, err := br.Discard(int(min(length, int64(1<<62)))); err != nil || int64(d) != length {
			return nil, corrupt("GSO record at offset %d claims %d bytes, past the end of the strL section", pos, length)
		}
		pos += x.headerLen() + length
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
