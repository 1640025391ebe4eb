package datasets

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"datachat/datasets/fetch"
)

// Format names, as load_file's format argument takes them.
const (
	FormatCSV      = "csv"
	FormatTSV      = "tsv"
	FormatJSON     = "json"
	FormatNDJSON   = "ndjson"
	FormatParquet  = "parquet"
	FormatXLSX     = "xlsx"
	FormatXLS      = "xls"
	FormatHTML     = "html"
	FormatXML      = "xml"
	FormatTXT      = "txt"
	FormatStata    = "dta"
	FormatSAS7BDAT = "sas7bdat"
	FormatXPT      = "xpt"
	FormatSAV      = "sav"
)

// formatAliases maps what a client may write (and file extensions) to a format.
var formatAliases = map[string]string{
	"csv": FormatCSV, "tsv": FormatTSV, "tab": FormatTSV,
	"json": FormatJSON, "ndjson": FormatNDJSON, "jsonl": FormatNDJSON,
	"parquet": FormatParquet, "pq": FormatParquet,
	"xlsx": FormatXLSX, "xlsm": FormatXLSX, "excel": FormatXLSX, "xls": FormatXLS,
	"html": FormatHTML, "htm": FormatHTML, "xml": FormatXML,
	"txt": FormatTXT, "text": FormatTXT,
	"dta": FormatStata, "stata": FormatStata,
	"sas7bdat": FormatSAS7BDAT, "sas": FormatSAS7BDAT, "xpt": FormatXPT, "xport": FormatXPT,
	"sav": FormatSAV, "zsav": FormatSAV, "spss": FormatSAV,
}

// SupportedFormats lists the format names datachat reads, sorted.
func SupportedFormats() []string {
	seen := map[string]bool{}
	for _, f := range formatAliases {
		if f == FormatXLS {
			continue
		}
		if f == FormatCSV || f == FormatTSV || f == FormatJSON || f == FormatNDJSON || f == FormatParquet || readers[f] != nil {
			seen[f] = true
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func unsupported(what string) error {
	return fmt.Errorf("%w: %s; supported formats: %s (optionally .gz-compressed for csv, tsv and json); pass format to override detection",
		ErrUnsupportedFormat, what, strings.Join(SupportedFormats(), ", "))
}

// normalizeFormat maps a client-given format name to a format.
func normalizeFormat(name string) (string, error) {
	f, ok := formatAliases[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "."))]
	if !ok {
		return "", unsupported(fmt.Sprintf("unknown format %q", name))
	}
	return f, nil
}

// detectFormat picks a format from the extension, then the Content-Type, then
// the first bytes of the file.
func detectFormat(src *Source) (string, error) {
	ext := strings.ToLower(src.Ext)
	if ext == ".gz" {
		ext = filepath.Ext(strings.TrimSuffix(strings.ToLower(src.Name), ".gz"))
	}
	ext = strings.TrimSuffix(ext, ".gz")
	if f, ok := formatAliases[strings.TrimPrefix(ext, ".")]; ok && ext != "" {
		return f, nil
	}
	if src.ContentType != "" {
		if mt, _, err := mime.ParseMediaType(src.ContentType); err == nil {
			if f := formatFromMIME(mt); f != "" {
				return f, nil
			}
		}
	}
	head, err := readHead(src.Path, 512)
	if err != nil {
		return "", err
	}
	if f := sniffFormat(head); f != "" {
		return f, nil
	}
	if what := fetch.NotTable(head, false); what != "" {
		return "", notTable(src, what)
	}
	return "", unsupported("could not tell the format of " + displayName(src))
}

// refuseNonTable refuses a file whose content is plainly not a table (a
// PDF, an image, an archive, a Word document, an HTML page named .csv),
// whatever its name says, naming what it is.
func refuseNonTable(src *Source, format string) error {
	head, err := readHead(src.Path, 512)
	if err != nil {
		return err
	}
	what := fetch.NotTable(head, format == FormatHTML || format == FormatXML)
	if what == "" && format == FormatXLSX && bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		if f, err := os.Open(src.Path); err == nil {
			what = fetch.ZipKind(f, src.Size)
			f.Close()
		}
	}
	if what == "" {
		return nil
	}
	return notTable(src, what)
}

// notTable is the refusal of a file that holds what instead of a table.
func notTable(src *Source, what string) error {
	hint := "load a data file (CSV, JSON, Excel, Parquet, ...)"
	if strings.HasPrefix(what, "an HTML") {
		hint = "check the URL; to read the tables of a web page, pass format html"
	}
	return fmt.Errorf("%w: %s is %s, not a table; %s", ErrUnsupportedFormat, displayName(src), what, hint)
}

func displayName(src *Source) string {
	if src.Name != "" {
		return src.Name
	}
	return "the file"
}

func formatFromMIME(mt string) string {
	switch mt {
	case "text/csv", "application/csv":
		return FormatCSV
	case "text/tab-separated-values":
		return FormatTSV
	case "application/json":
		return FormatJSON
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines":
		return FormatNDJSON
	case "application/vnd.apache.parquet", "application/x-parquet":
		return FormatParquet
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel.sheet.macroenabled.12":
		return FormatXLSX
	case "application/vnd.ms-excel":
		return FormatXLS
	case "text/html", "application/xhtml+xml":
		return FormatHTML
	case "application/xml", "text/xml":
		return FormatXML
	case "application/x-stata-dta", "application/x-stata":
		return FormatStata
	case "application/x-sas-data", "application/x-sas":
		return FormatSAS7BDAT
	case "application/x-spss-sav", "application/x-spss":
		return FormatSAV
	}
	return ""
}

var sas7bdatMagic = []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc2, 0xea, 0x81, 0x60, 0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11}

// sniffFormat recognises a format from a file's first bytes.
func sniffFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return FormatParquet
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return FormatXLSX
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return FormatXLS
	case bytes.HasPrefix(head, []byte("$FL2")), bytes.HasPrefix(head, []byte("$FL3")):
		return FormatSAV
	case bytes.HasPrefix(head, sas7bdatMagic):
		return FormatSAS7BDAT
	case bytes.HasPrefix(head, []byte("HEADER RECORD*******LIBRARY HEADER RECORD")), bytes.HasPrefix(head, []byte("HEADER RECORD*******LIBV8")):
		return FormatXPT
	case bytes.HasPrefix(head, []byte("<stata_dta>")):
		return FormatStata
	case len(head) > 4 && head[0] >= 104 && head[0] <= 115 && (head[1] == 1 || head[1] == 2) && head[2] == 1:
		return FormatStata
	}
	text := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	lower := bytes.ToLower(text)
	switch {
	case len(text) == 0:
		return ""
	case text[0] == '[' || text[0] == '{':
		if bytes.Count(text, []byte("\n{")) > 0 && text[0] == '{' {
			return FormatNDJSON
		}
		return FormatJSON
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.Contains(lower, []byte("<html")), bytes.Contains(lower, []byte("<table")):
		return FormatHTML
	case bytes.HasPrefix(lower, []byte("<?xml")), text[0] == '<':
		return FormatXML
	}
	if isText(head) {
		return FormatTXT
	}
	return ""
}

func isText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	return !bytes.ContainsRune(b, 0)
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open file: %w", err)
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("read file: %w", err)
	}
	return buf[:k], nil
}
