package fetch

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExtOf(t *testing.T) {
	tests := []struct{ name, ext string }{
		{"a.csv", ".csv"},
		{"A.CSV", ".csv"},
		{"a.csv.gz", ".csv.gz"},
		{"a.tar.gz", ".tar.gz"},
		{"2024.11.sales.tsv.zst", ".tsv.zst"},
		{"x.gz", ".gz"},
		{".gz", ""},
		{"data.sas7bdat", ".sas7bdat"},
		{"noext", ""},
		{".hidden", ""},
		{"trailing.", ""},
		{"a.csv ", ""},
		{"report.final-version", ""},
		{"a.verylongextension1", ""},
		{"a.b/c", ""},
		{"a..gz", ".gz"},
		{"ü.csv", ".csv"},
		{"a.çsv", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.ext, extOf(tt.name))
		})
	}
}

func TestRemoteName(t *testing.T) {
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		require.NoError(t, err)
		return u
	}
	tests := []struct {
		name                     string
		disposition, contentType string
		given, final             string
		wantName, wantExt        string
	}{
		{"url", "", "", "http://h/a/b.csv?x=1", "http://h/a/b.csv?x=1", "b.csv", ".csv"},
		{"trailing slash", "", "", "http://h/a/b.json/", "http://h/a/b.json/", "b.json", ".json"},
		{"final url has ext", "", "", "http://h/s/abc", "http://cdn/f/real.parquet", "real.parquet", ".parquet"},
		{"given url has ext", "", "", "http://h/x.csv", "http://cdn/blob/123", "x.csv", ".csv"},
		{"disposition without ext", `attachment; filename="export"`, "text/csv", "http://h/e", "http://h/e", "export", ".csv"},
		{"bad disposition", `attachment; filename="a.csv`, "", "http://h/b.tsv", "http://h/b.tsv", "b.tsv", ".tsv"},
		{"control characters", "attachment; filename=\"a\x01b.csv\"", "", "http://h/", "http://h/", "ab.csv", ".csv"},
		{"dot-dot disposition", `attachment; filename=".."`, "", "http://h/", "http://h/", "download", ""},
		{"content type with params", "", "application/vnd.apache.parquet; x=y", "http://h/", "http://h/", "download", ".parquet"},
		{"unknown content type", "", "application/octet-stream", "http://h/blob", "http://h/blob", "blob", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, ext := remoteName(tt.disposition, tt.contentType, mustURL(tt.given), mustURL(tt.final))
			require.Equal(t, tt.wantName, name)
			require.Equal(t, tt.wantExt, ext)
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ name, ext, stem string }{
		{"sales.CSV.gz", ".csv.gz", "sales"},
		{"export", ".csv", "export"},
		{".csv", ".csv", ".csv"},
		{"x", "", "x"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.stem, (&File{Name: tt.name, Ext: tt.ext}).Stem(), tt.name)
	}
}

// FuzzNames checks that names from hostile headers and URLs are single path
// elements and extensions are safe for cache file names.
func FuzzNames(f *testing.F) {
	f.Add(`attachment; filename="a.csv.gz"`, "/x/y.tsv", "text/csv")
	f.Add(`attachment; filename*=UTF-8''%2e%2e%2fetc.csv`, "/../../", "")
	f.Add("inline", "/a%00b.csv", "application/json")
	f.Fuzz(func(t *testing.T, disposition, path, contentType string) {
		u := &url.URL{Scheme: "http", Host: "h", Path: path}
		name, ext := remoteName(disposition, contentType, u, u)
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
			t.Fatalf("unsafe name %q", name)
		}
		if !validExt(ext) || strings.ContainsAny(ext, "/\\") || ext != strings.ToLower(ext) {
			t.Fatalf("unsafe ext %q", ext)
		}
	})
}
