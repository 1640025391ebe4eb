package spss

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"datachat/formats"
)

// windowSize is how much of the dictionary the cursor reads at once.
const windowSize = 64 << 10

// cursor reads the dictionary records sequentially from a ReaderAt, through a
// read-ahead window, checking every length against the file size.
type cursor struct {
	r     io.ReaderAt
	size  int64
	pos   int64
	order binary.ByteOrder

	win    []byte
	winOff int64
}

// corruptf returns an error wrapping formats.ErrCorrupt.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("spss: %s: %w", fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

// errTruncated reports a record that runs past the end of the file.
func (c *cursor) errTruncated(n int64, what string) error {
	return corruptf("%s at offset %d needs %d bytes but the file ends after %d (truncated file?)", what, c.pos, n, c.size-c.pos)
}

// next returns the next n bytes, valid until the following call.
func (c *cursor) next(n int64, what string) ([]byte, error) {
	if n < 0 || n > c.size-c.pos {
		return nil, c.errTruncated(n, what)
	}
	if c.pos >= c.winOff && c.pos+n <= c.winOff+int64(len(c.win)) {
		s := c.win[c.pos-c.winOff : c.pos-c.winOff+n]
		c.pos += n
		return s, nil
	}
	want := max(n, min(int64(windowSize), c.size-c.pos))
	if int64(cap(c.win)) < want {
		c.win = make([]byte, want)
	}
	c.win = c.win[:want]
	if k, err := c.r.ReadAt(c.win, c.pos); k < len(c.win) {
		c.win = c.win[:0]
		if err == nil || errors.Is(err, io.EOF) {
			return nil, corruptf("%s at offset %d: file ends early", what, c.pos)
		}
		return nil, fmt.Errorf("spss: read %s at offset %d: %w", what, c.pos, err)
	}
	c.winOff = c.pos
	c.pos += n
	return c.win[:n], nil
}

// bytes is next with a copy the caller may keep.
func (c *cursor) bytes(n int64, what string) ([]byte, error) {
	b, err := c.next(n, what)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

func (c *cursor) skip(n int64, what string) error {
	if n < 0 || n > c.size-c.pos {
		return c.errTruncated(n, what)
	}
	c.pos += n
	return nil
}

func (c *cursor) int32(what string) (int32, error) {
	b, err := c.next(4, what)
	if err != nil {
		return 0, err
	}
	return int32(c.order.Uint32(b)), nil
}

func (c *cursor) int64(what string) (int64, error) {
	b, err := c.next(8, what)
	if err != nil {
		return 0, err
	}
	return int64(c.order.Uint64(b)), nil
}

func (c *cursor) float64(what string) (float64, error) {
	b, err := c.next(8, what)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(c.order.Uint64(b)), nil
}
