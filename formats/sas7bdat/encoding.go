package sas7bdat

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"datachat/formats"
)

// Charset turns the bytes of a character value into valid UTF-8.
type Charset struct {
	name string
	enc  encoding.Encoding // nil for UTF-8 and ASCII
}

// sasEncodings maps the encoding byte of the SAS header (offset 70) to a
// decoder. Codes follow the table SAS documents for its ENCODING= values as
// seen in files (20 = UTF-8, 29 = latin1, 62 = wlatin1, ...).
var sasEncodings = map[byte]struct {
	name string
	enc  encoding.Encoding
}{
	20:  {"UTF-8", nil},
	28:  {"US-ASCII", nil},
	29:  {"ISO-8859-1", charmap.ISO8859_1},
	30:  {"ISO-8859-2", charmap.ISO8859_2},
	31:  {"ISO-8859-3", charmap.ISO8859_3},
	32:  {"ISO-8859-4", charmap.ISO8859_4},
	33:  {"ISO-8859-5", charmap.ISO8859_5},
	34:  {"ISO-8859-6", charmap.ISO8859_6},
	35:  {"ISO-8859-7", charmap.ISO8859_7},
	36:  {"ISO-8859-8", charmap.ISO8859_8},
	37:  {"ISO-8859-9", charmap.ISO8859_9},
	39:  {"ISO-8859-11", charmap.Windows874},
	40:  {"ISO-8859-15", charmap.ISO8859_15},
	41:  {"CP437", charmap.CodePage437},
	42:  {"CP850", charmap.CodePage850},
	43:  {"CP852", charmap.CodePage852},
	44:  {"CP857", charmap.CodePage850}, // closest table x/text offers
	45:  {"CP858", charmap.CodePage858},
	46:  {"CP862", charmap.CodePage862},
	48:  {"CP865", charmap.CodePage865},
	49:  {"CP866", charmap.CodePage866},
	51:  {"CP874", charmap.Windows874},
	58:  {"CP860", charmap.CodePage860},
	59:  {"CP863", charmap.CodePage863},
	60:  {"WINDOWS-1250", charmap.Windows1250},
	61:  {"WINDOWS-1251", charmap.Windows1251},
	62:  {"WINDOWS-1252", charmap.Windows1252},
	63:  {"WINDOWS-1253", charmap.Windows1253},
	64:  {"WINDOWS-1254", charmap.Windows1254},
	65:  {"WINDOWS-1255", charmap.Windows1255},
	66:  {"WINDOWS-1256", charmap.Windows1256},
	67:  {"WINDOWS-1257", charmap.Windows1257},
	68:  {"WINDOWS-1258", charmap.Windows1258},
	69:  {"MACROMAN", charmap.Macintosh},
	118: {"CP950", traditionalchinese.Big5},
	123: {"BIG-5", traditionalchinese.Big5},
	125: {"GB18030", simplifiedchinese.GB18030},
	126: {"CP936", simplifiedchinese.GBK},
	134: {"EUC-JP", japanese.EUCJP},
	136: {"CP949", korean.EUCKR},
	138: {"CP932", japanese.ShiftJIS},
	140: {"EUC-KR", korean.EUCKR},
	141: {"CP949", korean.EUCKR},
	142: {"CP949", korean.EUCKR},
	167: {"ISO-2022-JP", japanese.ISO2022JP},
	205: {"GB18030", simplifiedchinese.GB18030},
	227: {"ISO-8859-14", charmap.ISO8859_14},
	242: {"ISO-8859-13", charmap.ISO8859_13},
}

// pickCharset chooses the decoder: the caller's override, else the code the
// file declares, else Windows-1252 (what SAS on Windows writes when the byte
// is 0 or unknown; every byte decodes, so nothing is lost).
func pickCharset(code byte, override string) (*Charset, error) {
	if override != "" {
		return LookupCharset(override)
	}
	if e, ok := sasEncodings[code]; ok {
		return &Charset{name: e.name, enc: e.enc}, nil
	}
	return &Charset{name: "WINDOWS-1252", enc: charmap.Windows1252}, nil
}

// LookupCharset returns the decoder for an IANA or common encoding name
// ("utf-8", "latin1", "windows-1252", "big5", "shift_jis", ...). It is used
// for formats.Options.Encoding by this package and by package xport.
func LookupCharset(name string) (*Charset, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "utf-8", "utf8":
		return &Charset{name: "UTF-8"}, nil
	case "ascii", "us-ascii":
		return &Charset{name: "US-ASCII"}, nil
	case "latin1", "latin-1":
		return &Charset{name: "ISO-8859-1", enc: charmap.ISO8859_1}, nil
	case "wlatin1":
		return &Charset{name: "WINDOWS-1252", enc: charmap.Windows1252}, nil
	case "cp950":
		return &Charset{name: "CP950", enc: traditionalchinese.Big5}, nil
	case "cp932", "sjis":
		return &Charset{name: "CP932", enc: japanese.ShiftJIS}, nil
	case "cp949":
		return &Charset{name: "CP949", enc: korean.EUCKR}, nil
	case "cp936", "gb2312":
		return &Charset{name: "CP936", enc: simplifiedchinese.GBK}, nil
	}
	e, err := ianaindex.IANA.Encoding(n)
	if err != nil || e == nil {
		return nil, fmt.Errorf("unknown encoding %q: %w", name, formats.ErrUnsupported)
	}
	return &Charset{name: strings.ToUpper(n), enc: e}, nil
}

// trimValue drops the blanks and NULs SAS pads character values with.
func trimValue(b []byte) []byte {
	return bytes.TrimRight(b, " \x00")
}

func (c *Charset) decodeTrim(b []byte) string {
	return c.Decode(b, 0)
}

// Decode converts one padded value to UTF-8, capping it at max bytes of
// output when max > 0.
func (c *Charset) Decode(b []byte, max int) string {
	b = trimValue(b)
	if len(b) == 0 {
		return ""
	}
	var s string
	if isASCII(b) {
		s = string(b)
	} else if c.enc == nil {
		s = strings.ToValidUTF8(string(b), "\uFFFD")
	} else {
		out, err := c.enc.NewDecoder().Bytes(b)
		if err != nil {
			// Decoders replace bad input themselves; this is a last resort.
			out = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
		}
		s = strings.ToValidUTF8(string(out), "\uFFFD")
	}
	if max > 0 && len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
