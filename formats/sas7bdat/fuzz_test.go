package sas7bdat

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"datachat/formats"
)

// FuzzOpen feeds damaged files to the reader: it must never panic, and what
// it returns must honour the formats contract. Seeds are the corpus files
// and, when present, the shared collection of malformed files.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/sas7bdat/
func FuzzOpen(f *testing.F) {
	for _, pat := range []string{"testdata/*.sas7bdat", "../../../shared/testdata/bad/*"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if d, err := os.ReadFile(p); err == nil {
				f.Add(d)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tabs, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			return
		}
		for _, tab := range tabs {
			dst := make([]any, len(tab.Columns))
			for n := 0; ; n++ {
				err := tab.Rows.Next(dst)
				if err == io.EOF {
					break
				}
				if err != nil {
					break
				}
				for i, v := range dst {
					checkValue(t, tab.Columns[i].Kind, v)
				}
			}
		}
	})
}

// checkValue fails when v is not nil or the Go type of kind.
func checkValue(t *testing.T, kind formats.Kind, v any) {
	if v == nil {
		return
	}
	ok := false
	switch kind {
	case formats.String:
		s, isStr := v.(string)
		ok = isStr && utf8.ValidString(s)
	case formats.Float64:
		_, ok = v.(float64)
	case formats.Date, formats.Timestamp:
		_, ok = v.(time.Time)
	case formats.Time:
		_, ok = v.(time.Duration)
	}
	if !ok {
		t.Fatalf("value %#v does not fit kind %v", v, kind)
	}
}
