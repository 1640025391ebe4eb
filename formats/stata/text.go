package stata

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// decoder turns the file's bytes into valid UTF-8.
type decoder struct {
	utf8  bool              // bytes are UTF-8 (invalid sequences become U+FFFD)
	table *[256]rune        // single-byte code page, when the encoding is one
	other encoding.Encoding // any other encoding the caller named
}

// newDecoder picks the encoding: name if given, otherwise Windows-1252 (a
// superset of Latin-1 that Stata used) before release 118 and UTF-8 after.
func newDecoder(name string, release int) (*decoder, error) {
	if name == "" {
		if release >= 118 {
			return &decoder{utf8: true}, nil
		}
		return singleByte(charmap.Windows1252), nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, unsupported("unknown text encoding %q", name)
	}
	if enc == unicode.UTF8 {
		return &decoder{utf8: true}, nil
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		return singleByte(cm), nil
	}
	return &decoder{other: enc}, nil
}

func singleByte(cm *charmap.Charmap) *decoder {
	var t [256]rune
	for i := range t {
		t[i] = cm.DecodeByte(byte(i))
	}
	return &decoder{table: &t}
}

// text decodes b, which the caller may reuse afterwards.
func (d *decoder) text(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	switch {
	case d.utf8:
		if utf8.Valid(b) {
			return string(b)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case d.table != nil:
		var sb strings.Builder
		sb.Grow(len(b) + len(b)/2)
		for _, c := range b {
			if c < 0x80 {
				sb.WriteByte(c)
			} else {
				sb.WriteRune(d.table[c])
			}
		}
		return sb.String()
	default:
		out, err := d.other.NewDecoder().Bytes(b)
		if err != nil {
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		return strings.ToValidUTF8(string(out), "\uFFFD")
	}
}
