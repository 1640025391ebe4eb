package sas7bdat

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"datachat/formats"
)

// rows streams the rows of a file page by page. Only one page and one row
// buffer are held at a time.
type rows struct {
	ctx     context.Context
	f       *file
	maxCell int

	page    []byte
	next    int64 // next page to load
	emitted int64
	skipped int64 // deleted rows skipped
	err     error

	// Uncompressed rows of the current page.
	dataStart, dataCount, dataIdx int
	deleted                       []byte // deleted-row bitmap, or nil

	// Row subheaders of the current page (compressed files).
	subs   []subPtr
	subIdx int
	row    []byte // decompressed row
}

func newRows(ctx context.Context, f *file, opts formats.Options) *rows {
	return &rows{ctx: ctx, f: f, maxCell: opts.MaxCellBytes}
}

// Next implements formats.Rows.
func (r *rows) Next(b *formats.Batch) error {
	b.Len = 0
	if r.err != nil {
		return r.err
	}
	if len(b.Cols) < len(r.f.cols) {
		return fmt.Errorf("sas7bdat: the batch has %d columns for %d", len(b.Cols), len(r.f.cols))
	}
	err := formats.Fill(b, r.next1)
	if err != nil {
		r.err = err
	}
	return err
}

// next1 decodes the next row into row at of b.
func (r *rows) next1(b *formats.Batch, at int) error {
	f := r.f
	rl := int(f.rowLength)
	for {
		if r.emitted >= f.rowCount || len(f.cols) == 0 {
			return io.EOF
		}
		for r.dataIdx < r.dataCount {
			i := r.dataIdx
			r.dataIdx++
			if r.deleted != nil && r.deleted[i/8]&(0x80>>(i%8)) != 0 {
				r.skipped++
				continue
			}
			s := r.dataStart + i*rl
			r.decode(r.page[s:s+rl], b, at)
			r.emitted++
			return nil
		}
		for r.subIdx < len(r.subs) {
			sp := r.subs[r.subIdx]
			r.subIdx++
			src := r.page[sp.off : sp.off+sp.n]
			var row []byte
			if sp.comp == compNone {
				if len(src) < rl {
					return corrupt("page %d: uncompressed row subheader is %d bytes, row length is %d", r.next-1, len(src), rl)
				}
				row = src[:rl]
			} else {
				if r.row == nil {
					r.row = make([]byte, rl)
				}
				var err error
				if f.compression == compressionRDC {
					err = rdcDecompress(r.row, src)
				} else {
					err = rleDecompress(r.row, src)
				}
				if err != nil {
					return fmt.Errorf("sas7bdat: page %d row subheader %d: %w: %w", r.next-1, r.subIdx-1, err, formats.ErrCorrupt)
				}
				row = r.row
			}
			r.decode(row, b, at)
			r.emitted++
			return nil
		}
		if r.next >= f.pages {
			if r.emitted+r.skipped < f.rowCount {
				return corrupt("file ends after %d of the %d rows it announces", r.emitted, f.rowCount)
			}
			return io.EOF
		}
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err := r.load(r.next); err != nil {
			return err
		}
		r.next++
	}
}

// load reads page n and finds its rows.
func (r *rows) load(n int64) error {
	f := r.f
	if r.page == nil {
		r.page = make([]byte, f.pageSize)
	}
	r.dataStart, r.dataCount, r.dataIdx = 0, 0, 0
	r.deleted = nil
	r.subs, r.subIdx = r.subs[:0], 0
	if err := f.readPage(n, r.page); err != nil {
		return err
	}
	pi, err := f.parsePageHeader(n, r.page)
	if err != nil {
		return err
	}
	if pi.typ&pageSpecial != 0 {
		return nil
	}
	rl := int(f.rowLength)
	kind := pi.typ & pageKindMask
	remaining := f.rowCount - r.emitted
	if kind == pageData {
		return r.setData(n, pi, f.pageHdr, int64(pi.blockCount), remaining)
	}
	for i := 0; i < pi.subCount; i++ {
		sp, err := f.subPointer(n, r.page, i)
		if err != nil {
			return err
		}
		if sp.n == 0 || sp.typ != 1 {
			continue
		}
		switch sp.comp {
		case compRLE | compTruncated:
			// A compressed row marked deleted (seen in files written after
			// rows were removed with COMPRESS=YES).
			r.skipped++
		case compRLE:
			r.subs = append(r.subs, sp)
		case compNone:
			if f.compression == compressionNone || sp.n < rl {
				continue
			}
			switch f.signature(r.page[sp.off:]) {
			case sigRowSize, sigColSize, sigCounts, sigColText, sigColName, sigColAttr, sigColFmt, sigColList:
				continue
			}
			r.subs = append(r.subs, sp)
		}
	}
	if kind == pageMix {
		start := f.pageHdr + pi.subCount*f.ptrLen
		// Rows start on an 8-byte boundary, except in files from
		// Stat/Transfer (release "9.0000M0"), which put them right after
		// the pointers; for those, skip 4 bytes only when they look like
		// padding.
		if start%8 == 4 && start+4 <= len(r.page) {
			pad := string(r.page[start : start+4])
			if !f.statTransfer || pad == "\x00\x00\x00\x00" || pad == "    " {
				start += 4
			}
		}
		count := int64(pi.blockCount - pi.subCount)
		if f.mixRowCount > 0 && (count <= 0 || count > f.mixRowCount) {
			count = f.mixRowCount
		}
		return r.setData(n, pi, start, count, remaining)
	}
	return nil
}

// setData records count uncompressed rows starting at start on the page,
// clamped to the rows still expected and to the page size.
func (r *rows) setData(n int64, pi pageInfo, start int, count, remaining int64) error {
	f := r.f
	rl := f.rowLength
	if rl == 0 || count <= 0 || remaining <= 0 {
		return nil
	}
	fit := (f.pageSize - int64(start)) / rl
	if fit < 0 {
		fit = 0
	}
	count = min(count, fit)
	onPage := count
	if count > remaining {
		count = remaining
	}
	r.dataStart, r.dataCount = start, int(count)
	if pi.typ&pageDeleted != 0 {
		r.deleted = r.deletedBitmap(pi, start, onPage)
	}
	return nil
}

// deletedBitmap locates the bitmap (one bit per row, most significant bit
// first, 1 = deleted) that pages flagged 0x80 carry after their rows. The
// location follows the description in epam/parso; if it points outside the
// page the flag is ignored.
func (r *rows) deletedBitmap(pi pageInfo, start int, rowsOnPage int64) []byte {
	f := r.f
	po := 12
	if f.u64 {
		po = 24
	}
	ptr := int64(f.order.Uint32(r.page[po:]))
	off := int64(start) + ptr + rowsOnPage*f.rowLength
	n := (rowsOnPage + 7) / 8
	if ptr == 0 || off < 0 || off+n > f.pageSize {
		return nil
	}
	bm := r.page[off : off+n]
	out := make([]byte, len(bm))
	copy(out, bm)
	return out
}

// decode converts one uncompressed row into row at of b.
func (r *rows) decode(row []byte, b *formats.Batch, at int) {
	f := r.f
	for i := range f.cols {
		c := &f.cols[i]
		out := &b.Cols[i]
		cell := row[c.offset : c.offset+c.width]
		if !c.numeric {
			out.SetStr(at, f.enc.Decode(cell, r.maxCell))
			continue
		}
		v, ok := number(cell, f.le)
		if !ok {
			out.SetNull(at)
			continue
		}
		StoreNumeric(out, at, v)
	}
}

// number decodes a possibly truncated IEEE double (widths 1-8 keep the most
// significant bytes). ok is false for NaN, which is how SAS stores missing
// values (., .A-.Z, ._).
func number(b []byte, le bool) (float64, bool) {
	var u uint64
	if len(b) == 8 {
		if le {
			u = binary.LittleEndian.Uint64(b)
		} else {
			u = binary.BigEndian.Uint64(b)
		}
	} else {
		var tmp [8]byte
		if le {
			copy(tmp[8-len(b):], b)
			u = binary.LittleEndian.Uint64(tmp[:])
		} else {
			copy(tmp[:], b)
			u = binary.BigEndian.Uint64(tmp[:])
		}
	}
	v := math.Float64frombits(u)
	if v != v {
		return 0, false
	}
	return v, true
}
