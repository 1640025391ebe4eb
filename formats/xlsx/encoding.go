package xlsx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"

	"datachat/formats"
)

var xmlEncodingAttr = regexp.MustCompile(`^<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// utf8Reader returns r as UTF-8: Excel writes UTF-8, but a part may start
// with a UTF-16 byte-order mark or declare another encoding.
func utf8Reader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 512)
	head, _ := br.Peek(256)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(br), nil
	}
	m := xmlEncodingAttr.FindSubmatch(head)
	if m == nil {
		return br, nil
	}
	label := strings.ToLower(string(m[1]))
	if label == "utf-8" || label == "utf8" || label == "us-ascii" || label == "ascii" {
		return br, nil
	}
	cr, err := charset.NewReaderLabel(label, br)
	if err != nil {
		return nil, fmt.Errorf("%w: XML part declares encoding %q, which is not supported", formats.ErrUnsupported, m[1])
	}
	return cr, nil
}
