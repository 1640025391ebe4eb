package spss

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"

	"datachat/formats"
)

// defaultEncoding is what files that name no character set are read as.
const defaultEncoding = "windows-1252"

// textDecoder turns the file's bytes into valid UTF-8.
type textDecoder struct {
	name string
	utf8 bool
	dec  *encoding.Decoder
}

// newTextDecoder finds the encoding called name ("UTF-8", "windows-1252",
// "ISO-8859-1", "CP1252", ...).
func newTextDecoder(name string) (*textDecoder, error) {
	enc, err := lookupEncoding(name)
	if err != nil {
		return nil, err
	}
	if enc == unicode.UTF8 || enc == encoding.Nop {
		return &textDecoder{name: name, utf8: true}, nil
	}
	return &textDecoder{name: name, dec: enc.NewDecoder()}, nil
}

func lookupEncoding(name string) (encoding.Encoding, error) {
	n := strings.TrimSpace(name)
	up := strings.ToUpper(n)
	switch up {
	case "UTF-8", "UTF8":
		return unicode.UTF8, nil
	case "ASCII", "US-ASCII", "ANSI_X3.4-1968":
		return charmap.Windows1252, nil
	}
	// SPSS writes Windows code pages as "CP1252" or "windows-1252".
	if rest, ok := strings.CutPrefix(up, "CP"); ok {
		if cp, err := strconv.Atoi(rest); err == nil {
			if enc := codePageEncoding(cp); enc != nil {
				return enc, nil
			}
		}
	}
	if enc, err := ianaindex.IANA.Encoding(n); err == nil && enc != nil {
		return enc, nil
	}
	if enc, err := htmlindex.Get(n); err == nil && enc != nil {
		return enc, nil
	}
	return nil, fmt.Errorf("spss: character encoding %q is not supported: %w", name, formats.ErrUnsupported)
}

// codePageEncoding maps the Windows code page numbers found in the character
// code of the machine integer info record. It returns nil for unknown pages.
func codePageEncoding(cp int) encoding.Encoding {
	switch cp {
	case 65001:
		return unicode.UTF8
	case 2, 3, 1252: // 7-bit and 8-bit ASCII: read as the usual superset
		return charmap.Windows1252
	case 28591:
		return charmap.ISO8859_1
	case 28592:
		return charmap.ISO8859_2
	case 28605:
		return charmap.ISO8859_15
	case 20127:
		return charmap.Windows1252
	}
	for _, name := range []string{"windows-" + strconv.Itoa(cp), "IBM" + strconv.Itoa(cp), "cp" + strconv.Itoa(cp)} {
		if enc, err := ianaindex.IANA.Encoding(name); err == nil && enc != nil {
			return enc
		}
		if enc, err := htmlindex.Get(name); err == nil && enc != nil {
			return enc
		}
	}
	return nil
}

// decode converts b to a valid UTF-8 string. b is not retained.
func (d *textDecoder) decode(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	if d.utf8 {
		if utf8.Valid(b) {
			return string(b)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	d.dec.Reset()
	out, err := d.dec.Bytes(b)
	if err != nil {
		// Single-byte decoders do not fail; multi-byte ones may on a cut
		// character: keep what is valid.
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	if utf8.Valid(out) {
		return string(out)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}
