// Package text reads plain-text files. Sniff tells delimited text, which the
// caller loads as CSV, from other text; Open reads other text as a table of
// lines (line_number BIGINT, text VARCHAR).
//
// Open decodes UTF-16 files that start with a byte order mark and skips a
// UTF-8 one; Options.Encoding (a WHATWG label such as "latin1" or
// "windows-1252") overrides both. Otherwise the text is taken as UTF-8 and
// invalid bytes become U+FFFD. Lines end at "\n" or "\r\n"; a final line
// without a newline counts, an empty file has no lines. A line longer than
// Options.MaxCellBytes (default 1 MiB) is cut at a character boundary and the
// rest of it dropped. A file with NUL bytes in its first 8 KiB is refused as
// binary unless Options.Encoding is set.
package text

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"

	"datachat/formats"
)

const (
	defaultMaxLine = 1 << 20
	binaryProbe    = 8 << 10
	sniffRecords   = 1000
)

// delimiters Sniff tries, in order of preference when several fit.
var delimiters = []byte{',', '\t', ';', '|'}

// Sniff reports whether sample, the start of a text file, is delimited text,
// and with which delimiter (',', '\t', ';' or '|'). It is when the sample
// holds at least two non-blank records (up to 1000 are read) and every one
// has the same number of fields, more than one, for that delimiter. Fields
// may be quoted with '"' (a doubled quote inside is a quote, and quoted
// fields may span lines). A last record cut short by the end of the sample
// is ignored when it has fewer fields. When several delimiters fit, the one
// giving the most fields wins. Samples with NUL bytes (binary, or UTF-16) are
// never delimited.
func Sniff(sample []byte) (delim byte, ok bool) {
	if bytes.IndexByte(sample, 0) >= 0 {
		return 0, false
	}
	sample = bytes.TrimPrefix(sample, []byte("\xef\xbb\xbf"))
	best, bestFields := byte(0), 1
	for _, d := range delimiters {
		if n := fieldCount(sample, d); n > bestFields {
			best, bestFields = d, n
		}
	}
	return best, best != 0
}

// fieldCount returns the number of fields every record of sample has with
// delimiter d, or 0 when the records disagree or there are fewer than two.
func fieldCount(sample []byte, d byte) int {
	want, records := 0, 0
	fields, fieldStart, inQuotes, blank := 1, true, false, true
	for i := 0; i < len(sample) && records < sniffRecords; i++ {
		c := sample[i]
		if inQuotes {
			if c == '"' {
				if i+1 < len(sample) && sample[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
			continue
		}
		switch {
		case c == '"' && fieldStart:
			inQuotes, fieldStart, blank = true, false, false
		case c == d:
			fields++
			fieldStart, blank = true, false
		case c == '\n':
			if !blank {
				if records == 0 {
					want = fields
				} else if fields != want {
					return 0
				}
				records++
			}
			fields, fieldStart, blank = 1, true, true
		case c == '\r' || c == ' ' && fieldStart:
			// Not content: "\r\n" ends lines and leading spaces may precede a quote.
		default:
			fieldStart, blank = false, false
		}
	}
	// The last record may be cut short by the end of the sample.
	if !blank && records < sniffRecords && !inQuotes {
		switch {
		case records == 0:
			want = fields
			records++
		case fields > want:
			return 0
		case fields == want:
			records++
		}
	}
	if records < 2 || want < 2 {
		return 0
	}
	return want
}

var _ formats.OpenFunc = Open

// Open returns the text in r (size bytes) as one table (named "") of its
// lines: line_number (from 1) and text. Rows are read lazily from r.
func Open(ctx context.Context, r io.ReaderAt, size int64, opts formats.Options) ([]*formats.Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open text: %w", err)
	}
	if size < 0 {
		return nil, fmt.Errorf("open text: negative size %d", size)
	}
	head := make([]byte, min(size, binaryProbe))
	if _, err := io.ReadFull(io.NewSectionReader(r, 0, size), head); err != nil {
		return nil, fmt.Errorf("open text: read start of file: %w", err)
	}
	var src io.Reader = io.NewSectionReader(r, 0, size)
	switch {
	case opts.Encoding != "":
		enc, err := htmlindex.Get(opts.Encoding)
		if err != nil {
			return nil, fmt.Errorf("open text: encoding %q: %w", opts.Encoding, formats.ErrUnsupported)
		}
		if enc != xunicode.UTF8 {
			src = enc.NewDecoder().Reader(src)
		}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		src = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Reader(src)
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		src = io.NewSectionReader(r, 3, size-3)
	case bytes.IndexByte(head, 0) >= 0:
		return nil, fmt.Errorf("open text: file has NUL bytes, so it is binary or UTF-16 without a byte order mark (set the encoding to read it as text): %w", formats.ErrUnsupported)
	}
	maxLine := opts.MaxCellBytes
	if maxLine <= 0 {
		maxLine = defaultMaxLine
	}
	return []*formats.Table{{
		Columns: []formats.Column{
			{Name: "line_number", Kind: formats.Int64},
			{Name: "text", Kind: formats.String},
		},
		Rows:     &lines{r: bufio.NewReaderSize(src, 64<<10), max: maxLine},
		RowCount: -1,
	}}, nil
}

// lines streams the lines of a text.
type lines struct {
	r    *bufio.Reader
	max  int
	n    int64
	buf  []byte
	done bool
}

// Next implements formats.Rows.
func (l *lines) Next(b *formats.Batch) error {
	b.Len = 0
	for b.Len < b.Cap() {
		text, err := l.line()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b.Cols[0].SetInt(b.Len, l.n)
		b.Cols[1].SetStr(b.Len, text)
		b.Len++
	}
	if b.Len == 0 {
		return io.EOF
	}
	return nil
}

// line reads the next line, cut to the longest allowed, and counts it.
func (l *lines) line() (string, error) {
	if l.done {
		return "", io.EOF
	}
	l.buf = l.buf[:0]
	truncated, sawNewline := false, false
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !truncated {
			room := l.max - len(l.buf)
			if len(chunk) > room {
				l.buf = append(l.buf, chunk[:room]...)
				truncated = true
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		if err == nil {
			sawNewline = true
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			l.done = true
			if len(l.buf) == 0 && !truncated {
				return "", io.EOF
			}
			break
		}
		return "", fmt.Errorf("read line %d: %w", l.n+1, err)
	}
	line := l.buf
	if sawNewline && !truncated {
		line = bytes.TrimSuffix(line, []byte("\n"))
	}
	if !truncated {
		line = bytes.TrimSuffix(line, []byte("\r"))
	}
	text := strings.ToValidUTF8(string(line), "\uFFFD")
	if len(text) > l.max {
		// Cut at a character boundary, also when U+FFFD replacements made the
		// line longer or the byte cut split a character.
		i := l.max
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i]
	}
	if truncated {
		text = strings.TrimSuffix(text, "\uFFFD")
	}
	l.n++
	return text, nil
}
