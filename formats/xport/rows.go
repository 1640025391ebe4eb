package xport

import (
	"context"
	"fmt"
	"io"

	"datachat/formats"
	"datachat/formats/sas7bdat"
)

// blockSize is roughly how many bytes of observations one read fetches.
const blockSize = 256 << 10

// rows streams the observations of one member, a block at a time.
type rows struct {
	ctx     context.Context
	r       io.ReaderAt
	m       *member
	dec     *sas7bdat.Charset
	maxCell int

	buf     []byte
	bufRows int64 // rows in buf
	bufIdx  int64
	next    int64 // index of the next row to read from the file
	err     error
}

// Next implements formats.Rows.
func (x *rows) Next(b *formats.Batch) error {
	b.Len = 0
	if x.err != nil {
		return x.err
	}
	if len(b.Cols) < len(x.m.cols) {
		return fmt.Errorf("xport: the batch has %d columns for %d", len(b.Cols), len(x.m.cols))
	}
	return formats.Fill(b, x.next1)
}

// next1 decodes the next row into row at of b.
func (x *rows) next1(b *formats.Batch, at int) error {
	if x.err != nil {
		return x.err
	}
	m := x.m
	if x.bufIdx >= x.bufRows {
		if x.next >= m.rows {
			x.err = io.EOF
			return x.err
		}
		if err := x.ctx.Err(); err != nil {
			x.err = err
			return err
		}
		per := max(1, blockSize/m.rowLen)
		n := min(per, m.rows-x.next)
		if int64(cap(x.buf)) < n*m.rowLen {
			x.buf = make([]byte, n*m.rowLen)
		}
		x.buf = x.buf[:n*m.rowLen]
		off := m.dataStart + x.next*m.rowLen
		if _, err := x.r.ReadAt(x.buf, off); err != nil && !(err == io.EOF && off+int64(len(x.buf)) <= m.dataEnd) {
			x.err = fmt.Errorf("xport: member %s: read rows at offset %d: %w", m.name, off, err)
			return x.err
		}
		x.bufRows, x.bufIdx = n, 0
		x.next += n
	}
	row := x.buf[x.bufIdx*m.rowLen : (x.bufIdx+1)*m.rowLen]
	x.bufIdx++
	for i := range m.cols {
		c := &m.cols[i]
		out := &b.Cols[i]
		cell := row[c.pos : c.pos+c.width]
		if !c.numeric {
			out.SetStr(at, decodeCell(cell, x.dec, x.maxCell))
			continue
		}
		v, ok := IBMToFloat(cell)
		if !ok {
			out.SetNull(at)
			continue
		}
		sas7bdat.StoreNumeric(out, at, v)
	}
	return nil
}
