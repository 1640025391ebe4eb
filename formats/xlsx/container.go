package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/richardlehane/mscfb"

	"datachat/formats"
)

// Caps on what a workbook may declare. A part's declared uncompressed size is
// checked before anything is decompressed, and archive/zip refuses to inflate
// an entry past its declared size, so these bound both time and memory.
var (
	// maxSheetBytes caps one worksheet part (streamed, never held in memory).
	maxSheetBytes int64 = 1 << 30
	// maxSharedStringsBytes caps the shared-strings part, which is held in memory.
	maxSharedStringsBytes int64 = 256 << 20
	// maxMetaBytes caps the other parts we parse (workbook, relationships, styles).
	maxMetaBytes int64 = 32 << 20
	// maxTotalBytes caps the sum of all declared uncompressed sizes.
	maxTotalBytes int64 = 4 << 30
	// maxEntries caps the number of entries in the zip directory.
	maxEntries = 100_000
)

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// pkg is an opened OOXML package: the zip directory, with part names matched
// case-insensitively as the OPC specification requires.
type pkg struct {
	zr    *zip.Reader
	parts map[string]*zip.File
}

// openPackage checks the container and its declared sizes and returns the zip
// directory. It reads only the zip's central directory.
func openPackage(r io.ReaderAt, size int64) (*pkg, error) {
	if size < 0 {
		return nil, fmt.Errorf("negative file size %d", size)
	}
	head := make([]byte, 8)
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read file header: %w", err)
	}
	head = head[:n]
	if int64(n) > size {
		head = head[:size]
	}
	if bytes.Equal(head, cfbMagic) {
		return nil, compoundFileError(r, size)
	}
	if !bytes.HasPrefix(head, zipMagic) {
		return nil, fmt.Errorf("%w: not an xlsx workbook (an xlsx file is a zip archive, and this file does not start like one)", formats.ErrCorrupt)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: the workbook's zip archive is damaged or truncated: %v", formats.ErrCorrupt, err)
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("%w: the zip archive has %d entries (more than %d)", formats.ErrCorrupt, len(zr.File), maxEntries)
	}
	p := &pkg{zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
	var total int64
	for _, f := range zr.File {
		us := f.UncompressedSize64
		if us > uint64(maxTotalBytes) {
			return nil, fmt.Errorf("%w: zip entry %q claims %d bytes uncompressed (limit %d)", formats.ErrCorrupt, f.Name, us, maxTotalBytes)
		}
		total += int64(us)
		if total > maxTotalBytes {
			return nil, fmt.Errorf("%w: the zip entries claim more than %d bytes uncompressed in total", formats.ErrCorrupt, maxTotalBytes)
		}
		name := normPart(f.Name)
		if _, dup := p.parts[name]; dup {
			return nil, fmt.Errorf("%w: zip entry %q appears twice", formats.ErrCorrupt, f.Name)
		}
		p.parts[name] = f
	}
	return p, nil
}

// normPart turns a zip entry name or a resolved relationship target into the
// key of pkg.parts.
func normPart(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	return strings.ToLower(name)
}

// part returns the named part, or nil.
func (p *pkg) part(name string) *zip.File {
	return p.parts[normPart(name)]
}

// open opens a part for streaming after checking its declared size against
// limit.
func (p *pkg) open(f *zip.File, limit int64) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: part %s claims %d bytes uncompressed (limit %d)", formats.ErrCorrupt, f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: open part %s: %v", formats.ErrCorrupt, f.Name, err)
	}
	return &zipPartReader{rc: rc, name: f.Name}, nil
}

// zipPartReader turns archive/zip's read errors (bad checksum, data past the
// declared size, truncated stream) into ErrCorrupt.
type zipPartReader struct {
	rc   io.ReadCloser
	name string
}

func (z *zipPartReader) Read(b []byte) (int, error) {
	n, err := z.rc.Read(b)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: read part %s (damaged, or longer than its zip entry declares): %v", formats.ErrCorrupt, z.name, err)
	}
	return n, err
}

func (z *zipPartReader) Close() error { return z.rc.Close() }

// readAll reads a whole (small) part into memory.
func (p *pkg) readAll(f *zip.File, limit int64) ([]byte, error) {
	rc, err := p.open(f, limit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil {
		return nil, err
	}
	return b, nil
}

// compoundFileError explains an OLE2 compound file: either an encrypted
// OOXML workbook (Excel wraps those in a compound file) or a legacy .xls.
func compoundFileError(r io.ReaderAt, size int64) error {
	legacy := fmt.Errorf("%w: this is a legacy binary Excel (.xls) or other OLE2 file, which is not supported; save it as .xlsx or csv", formats.ErrUnsupported)
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return legacy
	}
	for _, f := range doc.File {
		switch f.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return fmt.Errorf("%w: the workbook is password-protected; save an unprotected copy", formats.ErrUnsupported)
		}
	}
	return legacy
}
