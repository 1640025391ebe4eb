package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func writeTemp(t testing.TB, name string, body []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, body, 0o600))
	return p
}

func gzipped(t testing.TB, body []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(body)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestCheckJSONShapes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want jsonShape
	}{
		{`[{"a":1},{"a":2}]`, jsonShape{Values: 1, TopArray: true, Records: 2, LargestRecord: 7}},
		{"{\"a\":1}\n{\"a\":22}\n", jsonShape{Values: 2, Records: 2, LargestRecord: 8}},
		{`{"meta":{"n":2},"rows":[{"a":1},null,{"a":2}]}`, jsonShape{Values: 1, Records: 1, LargestRecord: 46, Unnest: "rows"}},
		{`{"x":[{"a":1}],"y":[{"b":2}]}`, jsonShape{Values: 1, Records: 1, LargestRecord: 29}},
		{`{"x":[1,2]}`, jsonShape{Values: 1, Records: 1, LargestRecord: 11}},
		{`{"x":[{"a":[{"deep":1}]}]}`, jsonShape{Values: 1, Records: 1, LargestRecord: 26, Unnest: "x"}},
		{`[{"k\u00e9y":[{"a":1}]}]`, jsonShape{Values: 1, TopArray: true, Records: 1, LargestRecord: 22, Unnest: "kéy"}},
		{`[["a","b"],[1,2]]`, jsonShape{Values: 1, TopArray: true, Records: 2, LargestRecord: 9, ArrayOfArrays: true}},
		{"\xef\xbb\xbf [1, -0.5e+3, true, false, null, \"\\\"\\u00e9\"]", jsonShape{Values: 1, TopArray: true, Records: 6, LargestRecord: 10}},
		{`[]`, jsonShape{Values: 1, TopArray: true}},
		{`[1] [2]`, jsonShape{Values: 2, Records: 2, LargestRecord: 3}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			for _, gz := range []bool{false, true} {
				body := []byte(tc.in)
				if gz {
					body = gzipped(t, body)
				}
				got, err := checkJSON(t.Context(), writeTemp(t, "x.json", body), jsonLimits{Depth: 64, Members: 100, String: 100})
				require.NoError(t, err)
				want := tc.want
				want.Inflated = int64(len(tc.in))
				require.Equal(t, want, *got)
			}
		})
	}
}

func TestCheckJSONRejects(t *testing.T) {
	for _, in := range []string{
		`[{"a":1},]`, `{"id":0,}`, `[1 2]`, `{"a" 1}`, `{1:2}`, `[01]`, `[1.]`, `[1e]`, `[-]`, `[.5]`,
		`[tru]`, `[nul]`, `[truex]`, `["a\x"]`, "[\"a\nb\"]", `["\u12"]`, `[1}`, `{"a":1]`, `[`, `{"a":`,
		`"abc`, `]`, `}`, `,`, "  \n", ``, `[1]x`, `{"a":1}}`,
	} {
		t.Run(in, func(t *testing.T) {
			_, err := checkJSON(t.Context(), writeTemp(t, "x.json", []byte(in)), jsonLimits{})
			require.ErrorIs(t, err, ErrBadFile)
		})
	}
}

// TestCheckJSONLimits builds hostile files (deep nesting, wide objects, long
// strings, compressed or not) and checks that each fails on its limit, with
// an error naming the flag.
func TestCheckJSONLimits(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 30000) + "1" + strings.Repeat("}", 30000) + "\n"
	deepArrays := strings.Repeat("[", 30000) + strings.Repeat("]", 30000)
	wide := wideObject(200_000)
	long := `[{"s":"` + strings.Repeat("x", 2<<20) + `"}]`
	lim := jsonLimits{Depth: 64, Members: 2000, String: 1 << 20, Inflated: 1 << 20}
	for _, tc := range []struct {
		name, body, flag string
		gz               bool
	}{
		{"deep ndjson", deep, "--max-depth", false},
		{"deep ndjson gz", deep, "--max-depth", true},
		{"deep arrays", deepArrays, "--max-depth", false},
		{"wide object", wide, "--max-columns", false},
		{"long string", long, "--max-cell", false},
		{"inflates past the limit", `[` + strings.Repeat(`{"a":1},`, 200_000) + `{"a":1}]`, "--max-download", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(tc.body)
			if tc.gz {
				body = gzipped(t, body)
			}
			_, err := checkJSON(t.Context(), writeTemp(t, "x.json", body), lim)
			var le *LimitError
			require.True(t, errors.As(err, &le), "got %v", err)
			require.Equal(t, tc.flag, le.Flag)
			require.Contains(t, err.Error(), tc.flag)
			require.True(t, UserError(err))
		})
	}
	// The same files within raised limits pass the check.
	_, err := checkJSON(t.Context(), writeTemp(t, "x.json", []byte(long)), jsonLimits{String: 4 << 20})
	require.NoError(t, err)
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// wideObject is a JSON object with n members.
func wideObject(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + itoa(i) + `":1`)
	}
	b.WriteString("}")
	return b.String()
}

// FuzzCheckJSON checks the streaming check against encoding/json: a single
// document is accepted exactly when json.Valid accepts it.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`[{"a":1,"b":"x"}]`, `{"rows":[{"a":null}]}`, "{\"a\":1}\n{\"a\":2}", `[["h"],[1.5e3]]`, `"\u00e9"`, `[1,]`} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	path := filepath.Join(dir, "x.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		shape, err := checkJSON(t.Context(), path, jsonLimits{Depth: 1000})
		valid := json.Valid(b)
		if errors.Is(err, ErrLimit) {
			return
		}
		if valid && err != nil && len(bytes.TrimSpace(b)) > 0 && !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Fatalf("json.Valid accepts %q, checkJSON says %v", b, err)
		}
		if err == nil && shape.Values == 1 && !valid && !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) && !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Fatalf("checkJSON accepts %q, json.Valid does not", b)
		}
	})
}
