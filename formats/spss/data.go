package spss

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"datachat/formats"
)

const (
	// readBufSize is the buffer between the file (or inflater) and the decoder.
	readBufSize = 256 << 10
	// spssEpochUnix is 1582-10-14 00:00:00 UTC, the origin of SPSS dates,
	// in Unix seconds.
	spssEpochUnix = -12219379200
	// maxUnixSeconds bounds dates and timestamps to what DuckDB can hold
	// (microseconds in an int64); values beyond it are returned as nil.
	maxUnixSeconds = 9.2e12
	// maxTrailerBytes caps the zlib block table.
	maxTrailerBytes = 256 << 20
)

// caseSource fills a case buffer with the next case, laid out as in an
// uncompressed file: one 8-byte slot per variable position. It returns io.EOF
// when the data ends cleanly before a case.
type caseSource interface {
	readCase(buf []byte) error
}

// rows streams the cases of a system file.
type rows struct {
	src     caseSource
	cols    []colDecoder
	buf     []byte
	scratch []byte
	order   binary.ByteOrder
	sysmis  uint64
	text    *textDecoder
	maxCell int
	ncases  int64
	n       int64
	err     error
}

var _ formats.Rows = (*rows)(nil)

func newRows(d *dictionary, r io.ReaderAt, size int64, cols []colDecoder, text *textDecoder, maxCell int) (*rows, error) {
	rs := &rows{
		cols:    cols,
		buf:     make([]byte, 8*d.nslots),
		order:   d.order,
		sysmis:  d.sysmis,
		text:    text,
		maxCell: maxCell,
		ncases:  d.ncases,
	}
	remaining := size - d.dataOffset
	caseBytes := int64(8 * d.nslots)
	switch d.compression {
	case compressNone:
		if d.ncases >= 0 && d.ncases > remaining/caseBytes {
			return nil, corruptf("the header announces %d cases of %d bytes, but only %d bytes of data follow the dictionary", d.ncases, caseBytes, remaining)
		}
		rs.src = &rawSource{r: bufio.NewReaderSize(io.NewSectionReader(r, d.dataOffset, remaining), readBufSize)}
	case compressBytecode:
		rs.src = newBytecodeSource(d, io.NewSectionReader(r, d.dataOffset, remaining))
	case compressZlib:
		z, err := newZlibStream(d, r, size)
		if err != nil {
			return nil, err
		}
		rs.src = newBytecodeSource(d, z)
	}
	return rs, nil
}

// Next implements formats.Rows.
func (rs *rows) Next(b *formats.Batch) error {
	b.Len = 0
	if rs.err != nil {
		return rs.err
	}
	if len(b.Cols) < len(rs.cols) {
		return fmt.Errorf("spss: Next needs a batch of %d columns, got %d", len(rs.cols), len(b.Cols))
	}
	for b.Len < b.Cap() {
		if rs.ncases >= 0 && rs.n >= rs.ncases {
			rs.err = io.EOF
			break
		}
		err := rs.src.readCase(rs.buf)
		if err == io.EOF {
			if rs.ncases >= 0 {
				err = corruptf("the data ends after %d cases, but the header announces %d (truncated file?)", rs.n, rs.ncases)
			}
			rs.err = err
			break
		}
		if err != nil {
			rs.err = fmt.Errorf("spss: read case %d: %w", rs.n+1, err)
			break
		}
		for i := range rs.cols {
			rs.store(&rs.cols[i], &b.Cols[i], b.Len)
		}
		rs.n++
		b.Len++
	}
	if rs.err == io.EOF && b.Len > 0 {
		// The next call reports the end.
		return nil
	}
	return rs.err
}

// store decodes one column of the current case into row r of out.
func (rs *rows) store(c *colDecoder, out *formats.Vector, r int) {
	if c.kind == formats.String {
		var b []byte
		if c.segs == nil {
			b = rs.buf[c.off : c.off+c.width]
		} else {
			b = rs.scratch[:0]
			for _, s := range c.segs {
				b = append(b, rs.buf[8*s.slot:8*s.slot+s.used]...)
			}
			rs.scratch = b
			b = b[:min(len(b), c.width)]
		}
		b = trimRight(b)
		for _, m := range c.strMiss {
			if string(b) == string(m) {
				out.SetNull(r)
				return
			}
		}
		s := rs.text.decode(b)
		if rs.maxCell > 0 && len(s) > rs.maxCell {
			s = cutUTF8(s, rs.maxCell)
		}
		out.SetStr(r, s)
		return
	}
	bits := rs.order.Uint64(rs.buf[c.off:])
	if bits == rs.sysmis {
		out.SetNull(r)
		return
	}
	v := math.Float64frombits(bits)
	if v != v || v == -math.MaxFloat64 {
		out.SetNull(r)
		return
	}
	if (c.nDiscrete > 0 || c.hasRange) && c.userMissing(v) {
		out.SetNull(r)
		return
	}
	switch c.kind {
	case formats.Date:
		days := math.Floor(v / 86400)
		storeUnix(out, r, days*86400, 0)
	case formats.Timestamp:
		whole := math.Floor(v)
		us := math.Round((v - whole) * 1e6)
		storeUnix(out, r, whole, int64(us))
	case formats.Time:
		us := math.Round(v * 1e6)
		if math.Abs(us) > 9.2e15 {
			out.SetNull(r)
			return
		}
		out.SetInt(r, int64(us))
	default:
		out.SetFloat(r, v)
	}
}

// userMissing tells whether v is one of the column's user-missing values.
func (c *colDecoder) userMissing(v float64) bool {
	if c.hasRange && v >= c.lo && v <= c.hi {
		return true
	}
	for _, m := range c.discrete[:c.nDiscrete] {
		if v == m {
			return true
		}
	}
	return false
}

// storeUnix stores SPSS seconds (whole) plus microseconds in row r of out
// (as days for a Date vector), or NULL when out of range.
func storeUnix(out *formats.Vector, r int, spssSeconds float64, usec int64) {
	u := spssSeconds + spssEpochUnix
	if !(math.Abs(u) <= maxUnixSeconds) {
		out.SetNull(r)
		return
	}
	if out.Kind == formats.Date {
		out.SetInt(r, int64(math.Floor(u/86400)))
		return
	}
	out.SetInt(r, int64(u)*1_000_000+usec)
}

func trimRight(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == 0) {
		n--
	}
	return b[:n]
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// rawSource reads uncompressed cases.
type rawSource struct {
	r *bufio.Reader
}

func (s *rawSource) readCase(buf []byte) error {
	n, err := io.ReadFull(s.r, buf)
	switch {
	case err == nil:
		return nil
	case err == io.EOF:
		return io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return corruptf("the data ends %d bytes into a %d-byte case (truncated file?)", n, len(buf))
	}
	return err
}

// unitReader yields the 8-byte units that bytecode-compressed data is made of.
type unitReader struct {
	r    io.Reader
	buf  []byte
	i, n int
	err  error
}

func (u *unitReader) next() ([]byte, error) {
	if u.n-u.i < 8 {
		if err := u.fill(); err != nil {
			return nil, err
		}
	}
	s := u.buf[u.i : u.i+8]
	u.i += 8
	return s, nil
}

func (u *unitReader) fill() error {
	copy(u.buf, u.buf[u.i:u.n])
	u.n -= u.i
	u.i = 0
	for empty := 0; u.n < 8 && u.err == nil; {
		k, err := u.r.Read(u.buf[u.n:])
		u.n += k
		u.err = err
		if k == 0 && err == nil {
			if empty++; empty > 100 {
				u.err = io.ErrNoProgress
			}
		}
	}
	if u.n >= 8 {
		return nil
	}
	if u.err == io.EOF {
		// Fewer than 8 stray bytes after the last unit are ignored.
		return io.EOF
	}
	return u.err
}

// bytecodeSource decodes bytecode-compressed cases (compression 1, and the
// inflated stream of compression 2).
type bytecodeSource struct {
	in     unitReader
	cmd    [8]byte
	ci     int
	bias   float64
	isStr  []bool
	order  binary.ByteOrder
	sysmis [8]byte
	done   bool
}

var spaces = [8]byte{' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}

func newBytecodeSource(d *dictionary, r io.Reader) *bytecodeSource {
	s := &bytecodeSource{
		in:    unitReader{r: r, buf: make([]byte, readBufSize)},
		ci:    8,
		bias:  d.bias,
		isStr: d.slotStr,
		order: d.order,
	}
	d.order.PutUint64(s.sysmis[:], d.sysmis)
	return s
}

func (s *bytecodeSource) readCase(buf []byte) error {
	for slot := 0; slot < len(s.isStr); {
		if s.ci == 8 {
			if s.done {
				return s.end(slot)
			}
			u, err := s.in.next()
			if err == io.EOF {
				s.done = true
				return s.end(slot)
			}
			if err != nil {
				return err
			}
			copy(s.cmd[:], u)
			s.ci = 0
		}
		code := s.cmd[s.ci]
		s.ci++
		dst := buf[8*slot : 8*slot+8]
		switch code {
		case 0:
			continue
		case 252:
			s.done = true
			s.ci = 8
			return s.end(slot)
		case 253:
			u, err := s.in.next()
			if err == io.EOF {
				return corruptf("compressed data ends inside a literal value")
			}
			if err != nil {
				return err
			}
			copy(dst, u)
		case 254:
			copy(dst, spaces[:])
		case 255:
			if s.isStr[slot] {
				copy(dst, spaces[:])
			} else {
				copy(dst, s.sysmis[:])
			}
		default:
			if s.isStr[slot] {
				// Seen in real files: a biased zero in a string means NULs.
				clear(dst)
			} else {
				s.order.PutUint64(dst, math.Float64bits(float64(code)-s.bias))
			}
		}
		slot++
	}
	return nil
}

func (s *bytecodeSource) end(slot int) error {
	if slot == 0 {
		return io.EOF
	}
	return corruptf("compressed data ends in the middle of a case (after %d of %d positions)", slot, len(s.isStr))
}

// zblock is one entry of the zlib block table (.zsav trailer).
type zblock struct {
	coff, csize int64
	usize       int64
}

// zlibStream inflates the blocks of a .zsav file one after another, each
// only when the reader reaches it.
type zlibStream struct {
	r      io.ReaderAt
	blocks []zblock
	i      int
	z      io.ReadCloser
	active bool
	left   int64
}

// newZlibStream reads and checks the zlib data header and trailer.
func newZlibStream(d *dictionary, r io.ReaderAt, size int64) (*zlibStream, error) {
	zh, err := readExact(r, size, d.dataOffset, 24, "zlib data header")
	if err != nil {
		return nil, err
	}
	zheaderOfs := int64(d.order.Uint64(zh))
	ztrailerOfs := int64(d.order.Uint64(zh[8:]))
	ztrailerLen := int64(d.order.Uint64(zh[16:]))
	if zheaderOfs != d.dataOffset {
		return nil, corruptf("zlib header offset %d does not match its position %d", zheaderOfs, d.dataOffset)
	}
	if ztrailerOfs < zheaderOfs+24 || ztrailerOfs > size {
		return nil, corruptf("zlib trailer offset %d is outside the data (%d..%d)", ztrailerOfs, zheaderOfs+24, size)
	}
	if ztrailerLen < 24 || (ztrailerLen-24)%24 != 0 || ztrailerLen > size-ztrailerOfs || ztrailerLen > maxTrailerBytes {
		return nil, corruptf("zlib trailer length %d is invalid (at offset %d in a %d-byte file)", ztrailerLen, ztrailerOfs, size)
	}
	t, err := readExact(r, size, ztrailerOfs, ztrailerLen, "zlib trailer")
	if err != nil {
		return nil, err
	}
	blockSize := int64(int32(d.order.Uint32(t[16:])))
	nblocks := int64(int32(d.order.Uint32(t[20:])))
	if nblocks != (ztrailerLen-24)/24 {
		return nil, corruptf("zlib trailer claims %d blocks but has room for %d", nblocks, (ztrailerLen-24)/24)
	}
	if blockSize <= 0 {
		return nil, corruptf("zlib trailer block size %d is invalid", blockSize)
	}
	z := &zlibStream{r: r, blocks: make([]zblock, nblocks)}
	next := zheaderOfs + 24
	for i := range z.blocks {
		e := t[24+24*i:]
		b := zblock{
			coff:  int64(d.order.Uint64(e[8:])),
			usize: int64(int32(d.order.Uint32(e[16:]))),
			csize: int64(int32(d.order.Uint32(e[20:]))),
		}
		if b.coff < next || b.csize <= 0 || b.coff > ztrailerOfs-b.csize {
			return nil, corruptf("zlib block %d at offset %d with %d bytes lies outside the compressed data (%d..%d)", i, b.coff, b.csize, next, ztrailerOfs)
		}
		if b.usize < 0 || b.usize > blockSize || b.usize > deflateMaxRatio*b.csize+1024 {
			return nil, corruptf("zlib block %d claims %d uncompressed bytes from %d compressed (block size %d)", i, b.usize, b.csize, blockSize)
		}
		next = b.coff + b.csize
		z.blocks[i] = b
	}
	return z, nil
}

// readExact reads n bytes at off, which must lie within the file.
func readExact(r io.ReaderAt, size, off, n int64, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > size || n > size-off {
		return nil, corruptf("%s at offset %d needs %d bytes but the file is %d bytes (truncated file?)", what, off, n, size)
	}
	b := make([]byte, n)
	if k, err := r.ReadAt(b, off); k < len(b) {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, corruptf("%s at offset %d: file ends early", what, off)
		}
		return nil, fmt.Errorf("spss: read %s at offset %d: %w", what, off, err)
	}
	return b, nil
}

func (z *zlibStream) Read(p []byte) (int, error) {
	for {
		if !z.active {
			if z.i == len(z.blocks) {
				return 0, io.EOF
			}
			b := z.blocks[z.i]
			sec := io.NewSectionReader(z.r, b.coff, b.csize)
			var err error
			if z.z == nil {
				z.z, err = zlib.NewReader(sec)
			} else {
				err = z.z.(zlib.Resetter).Reset(sec, nil)
			}
			if err != nil {
				return 0, corruptf("zlib block %d at offset %d: %v", z.i, b.coff, err)
			}
			z.active = true
			z.left = b.usize
		}
		if z.left == 0 {
			// The block must end exactly here (this also checks the Adler-32).
			var one [1]byte
			n, err := io.ReadFull(z.z, one[:])
			if n > 0 {
				return 0, corruptf("zlib block %d inflates to more than the %d bytes the trailer declares", z.i, z.blocks[z.i].usize)
			}
			if err != io.EOF {
				return 0, corruptf("zlib block %d: %v", z.i, err)
			}
			z.active = false
			z.i++
			continue
		}
		if int64(len(p)) > z.left {
			p = p[:z.left]
		}
		n, err := z.z.Read(p)
		z.left -= int64(n)
		if err == io.EOF && z.left > 0 {
			return n, corruptf("zlib block %d inflates to %d bytes fewer than the %d the trailer declares", z.i, z.left, z.blocks[z.i].usize)
		}
		if err != nil && err != io.EOF {
			return n, corruptf("zlib block %d: %v", z.i, err)
		}
		if n > 0 {
			return n, nil
		}
	}
}
