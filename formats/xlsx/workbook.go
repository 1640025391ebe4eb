package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"datachat/formats"
)

// maxStyles caps the number of cell formats (Excel's own limit is 64000).
const maxStyles = 1 << 20

// sheetRef is a sheet listed in the workbook.
type sheetRef struct {
	name  string
	part  *zip.File // nil when the relationship target is missing
	kind  string    // relationship type suffix: "worksheet", "chartsheet", ...
	state string    // "", "hidden", "veryHidden"
}

// book is what a workbook's metadata parts say: its sheets, date system,
// the kind of every cell style and the shared strings.
type book struct {
	pkg      *pkg
	sheets   []sheetRef
	date1904 bool
	styles   []styleKind // indexed by the cell's s attribute
	sst      []string
}

func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// unmarshalPart decodes a small metadata part into v.
func (p *pkg) unmarshalPart(f *zip.File, v any) error {
	b, err := p.readAll(f, maxMetaBytes)
	if err != nil {
		return err
	}
	if err := newDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("%w: parse %s: %v", formats.ErrCorrupt, f.Name, err)
	}
	return nil
}

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// rel is a relationship: the last segment of its type URI ("worksheet",
// "styles", ...) and its target resolved to a part name.
type rel struct{ typ, target string }

// relsOf reads the relationships of the part named source and returns them by
// id.
func (p *pkg) relsOf(source string) (map[string]rel, error) {
	dir, file := path.Split(source)
	f := p.part(dir + "_rels/" + file + ".rels")
	out := map[string]rel{}
	if f == nil {
		return out, nil
	}
	var rels xmlRels
	if err := p.unmarshalPart(f, &rels); err != nil {
		return nil, err
	}
	for _, r := range rels.Rels {
		if strings.EqualFold(r.Mode, "External") {
			continue
		}
		target := strings.ReplaceAll(r.Target, "\\", "/")
		if !strings.HasPrefix(target, "/") {
			target = dir + target
		}
		typ := r.Type[strings.LastIndex(r.Type, "/")+1:]
		out[r.ID] = rel{typ, normPart(target)}
	}
	return out, nil
}

type xmlWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		ID    string `xml:"id,attr"`
	} `xml:"sheets>sheet"`
}

// readBook reads the workbook part, its relationships, styles and shared
// strings.
func readBook(p *pkg, maxCell int) (*book, error) {
	root, err := p.relsOf("")
	if err != nil {
		return nil, err
	}
	wbName := ""
	for _, id := range slices.Sorted(maps.Keys(root)) {
		if r := root[id]; r.typ == "officeDocument" && wbName == "" {
			wbName = r.target
		}
	}
	if wbName == "" || p.part(wbName) == nil {
		wbName = "xl/workbook.xml"
	}
	wbPart := p.part(wbName)
	if wbPart == nil && p.part("xl/workbook.bin") != nil {
		return nil, fmt.Errorf("%w: this is a binary Excel workbook (.xlsb), which is not supported; save it as .xlsx or csv", formats.ErrUnsupported)
	}
	if wbPart == nil && p.part("content.xml") != nil && p.part("mimetype") != nil {
		return nil, fmt.Errorf("%w: this is an OpenDocument file (.ods), not an Excel workbook; save it as .xlsx or csv", formats.ErrUnsupported)
	}
	if wbPart == nil {
		return nil, fmt.Errorf("%w: the zip archive is not an Excel workbook (it has no xl/workbook.xml)", formats.ErrCorrupt)
	}
	var wb xmlWorkbook
	if err := p.unmarshalPart(wbPart, &wb); err != nil {
		return nil, err
	}
	rels, err := p.relsOf(wbName)
	if err != nil {
		return nil, err
	}
	b := &book{pkg: p}
	b.date1904 = wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")
	for i, s := range wb.Sheets {
		ref := sheetRef{name: s.Name, state: s.State}
		if strings.TrimSpace(ref.name) == "" {
			ref.name = "Sheet" + strconv.Itoa(i+1) // Excel forbids blank names
		}
		if r, ok := rels[s.ID]; ok {
			ref.kind = r.typ
			ref.part = p.part(r.target)
		}
		b.sheets = append(b.sheets, ref)
	}
	for _, id := range slices.Sorted(maps.Keys(rels)) {
		r := rels[id]
		f := p.part(r.target)
		if f == nil {
			continue
		}
		switch {
		case r.typ == "styles" && b.styles == nil:
			if b.styles, err = readStyles(p, f); err != nil {
				return nil, err
			}
		case r.typ == "sharedStrings" && b.sst == nil:
			if b.sst, err = readSharedStrings(p, f, maxCell); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

type xmlStyles struct {
	NumFmts []struct {
		ID   string `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs []struct {
		NumFmtID string `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// readStyles returns the kind of number format of every cell style.
func readStyles(p *pkg, f *zip.File) ([]styleKind, error) {
	var st xmlStyles
	if err := p.unmarshalPart(f, &st); err != nil {
		return nil, err
	}
	if len(st.CellXfs) > maxStyles {
		return nil, fmt.Errorf("%w: %s has %d cell formats (more than %d)", formats.ErrCorrupt, f.Name, len(st.CellXfs), maxStyles)
	}
	custom := make(map[int]string, len(st.NumFmts))
	for _, nf := range st.NumFmts {
		if id, err := strconv.Atoi(strings.TrimSpace(nf.ID)); err == nil {
			custom[id] = nf.Code
		}
	}
	kinds := make([]styleKind, len(st.CellXfs))
	for i, xf := range st.CellXfs {
		id, err := strconv.Atoi(strings.TrimSpace(xf.NumFmtID))
		if err != nil {
			continue
		}
		if code, ok := custom[id]; ok {
			kinds[i] = classifyFormat(code)
		} else {
			kinds[i] = builtinKind(id)
		}
	}
	return kinds, nil
}

// readSharedStrings streams the shared-strings part into memory (its size is
// capped by maxSharedStringsBytes).
func readSharedStrings(p *pkg, f *zip.File, maxCell int) ([]string, error) {
	rc, err := p.open(f, maxSharedStringsBytes)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	ur, err := utf8Reader(rc)
	if err != nil {
		return nil, err
	}
	lx := newLexer(ur, max(maxCell, 64<<10))
	var out []string
	var buf []byte
	for {
		err := lx.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, xmlError(f.Name, err)
		}
		if lx.kind != tokStart || string(lx.name) != "si" {
			continue
		}
		if lx.selfClose {
			out = append(out, "")
			continue
		}
		if buf, err = readRichText(lx, buf[:0], maxCell); err != nil {
			return nil, xmlError(f.Name, err)
		}
		out = append(out, decodeXString(string(buf)))
	}
}

// xmlError wraps an XML syntax error (or passes an already wrapped one on).
func xmlError(part string, err error) error {
	if errors.Is(err, formats.ErrCorrupt) {
		return err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: parse %s: %v", formats.ErrCorrupt, part, err)
}

var errCellTooLong = errors.New("cell text too long")

// readRichText appends to buf the text of a string item (<si>) whose start
// tag was just read: its <t> elements, directly or in runs (<r>), but not
// phonetic hints (<rPh>).
func readRichText(lx *lexer, buf []byte, maxCell int) ([]byte, error) {
	depth, inT, skip := 1, 0, 0
	for depth > 0 {
		if err := lx.next(); err != nil {
			return nil, err
		}
		switch lx.kind {
		case tokStart:
			depth++
			switch string(lx.name) {
			case "t":
				inT++
			case "rPh":
				skip++
			}
		case tokEnd:
			depth--
			switch string(lx.name) {
			case "t":
				inT--
			case "rPh":
				skip--
			}
		case tokText:
			if inT > 0 && skip == 0 {
				if len(buf)+len(lx.text) > maxCell {
					return nil, fmt.Errorf("%w: a string is longer than %d bytes", errCellTooLong, maxCell)
				}
				buf = append(buf, lx.text...)
			}
		}
	}
	return buf, nil
}

// decodeXString undoes OOXML's _xHHHH_ escapes (used for control characters)
// and makes the text valid UTF-8.
func decodeXString(s string) string {
	if !strings.Contains(s, "_x") {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	var sb strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				r := rune(v)
				if !utf8.ValidRune(r) {
					r = utf8.RuneError
				}
				sb.WriteRune(r)
				i += 7
				continue
			}
		}
		sb.WriteByte(s[i])
		i++
	}
	return strings.ToValidUTF8(sb.String(), "\uFFFD")
}
