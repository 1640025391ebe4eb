package fetch

import (
	"mime"
	"net/url"
	"path"
	"strings"
)

// compressionExts are suffixes that wrap another format; the extension of
// "x.csv.gz" is ".csv.gz".
var compressionExts = map[string]bool{
	".gz": true, ".gzip": true, ".bz2": true, ".xz": true, ".zst": true, ".zstd": true,
	".lz4": true, ".br": true, ".snappy": true, ".z": true,
}

// maxExtPart bounds one extension part; longer "extensions" are part of the
// name, as in "report.final-version-for-review".
const maxExtPart = 12

// extOf returns the lower-case extension of a base name, including one
// compression suffix, or "" if it has none. Extensions are limited to ASCII
// letters and digits, so they are safe in cache file names.
func extOf(name string) string {
	last := extPart(name)
	if last == "" {
		return ""
	}
	if compressionExts[last] {
		if inner := extPart(name[:len(name)-len(last)]); inner != "" {
			return inner + last
		}
	}
	return last
}

// extPart returns the last ".xyz" of name, lower-cased, if it is a plausible
// extension and not the whole name.
func extPart(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 || len(name)-i-1 > maxExtPart {
		return ""
	}
	for _, c := range name[i+1:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return ""
		}
	}
	return strings.ToLower(name[i:])
}

// validExt reports whether ext could have come from extOf.
func validExt(ext string) bool {
	return ext == "" || extOf("x"+ext) == ext
}

// cleanName makes a base name out of a file name a server or URL offered:
// the last path element, trimmed, without control characters; "" if nothing
// usable is left.
func cleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "." || s == ".." || len(s) > 255 {
		return ""
	}
	return s
}

// dispositionName returns the file name of a Content-Disposition header, or
// "". mime.ParseMediaType also decodes the RFC 2231 filename* form.
func dispositionName(header string) string {
	if header == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(header)
	if err != nil {
		return ""
	}
	return cleanName(params["filename"])
}

// urlName returns the last segment of a URL's path, or "".
func urlName(u *url.URL) string {
	if u == nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	if p == "" {
		return ""
	}
	return cleanName(path.Base(p))
}

// contentTypeExts maps media types to the extension the engine expects.
var contentTypeExts = map[string]string{
	"text/csv":                       ".csv",
	"application/csv":                ".csv",
	"text/tab-separated-values":      ".tsv",
	"application/json":               ".json",
	"application/x-ndjson":           ".ndjson",
	"application/ndjson":             ".ndjson",
	"application/jsonl":              ".jsonl",
	"application/vnd.apache.parquet": ".parquet",
	"application/x-parquet":          ".parquet",
	"application/parquet":            ".parquet",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
	"application/vnd.ms-excel": ".xls",
	"text/html":                ".html",
	"application/xhtml+xml":    ".html",
	"application/xml":          ".xml",
	"text/xml":                 ".xml",
	"application/x-stata-dta":  ".dta",
	"application/x-spss-sav":   ".sav",
	"application/x-sas-data":   ".sas7bdat",
}

// contentTypeExt returns the extension for a Content-Type header, or "".
func contentTypeExt(header string) string {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		return ""
	}
	return contentTypeExts[mt]
}

// remoteName picks the name and extension of a download: the
// Content-Disposition file name first, then the last segment of the URL as
// given or, failing an extension there, of the final URL after redirects,
// then the content type for the extension.
func remoteName(disposition, contentType string, given, final *url.URL) (name, ext string) {
	candidates := []string{dispositionName(disposition), urlName(given), urlName(final)}
	for _, n := range candidates {
		if n != "" && extOf(n) != "" {
			return n, extOf(n)
		}
	}
	for _, n := range candidates {
		if n != "" {
			name = n
			break
		}
	}
	if name == "" {
		name = "download"
	}
	return name, contentTypeExt(contentType)
}
