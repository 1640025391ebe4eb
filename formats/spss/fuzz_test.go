package spss

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"datachat/formats"
)

// FuzzOpen feeds arbitrary bytes to the reader: it must never panic, and
// every error must say the file is corrupt or unsupported. Seeds: the corpus,
// generated files of every compression and byte order, and the shared
// collection of bad files of other formats.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/spss/
func FuzzOpen(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"testdata/*.sav", "testdata/*.zsav", "../../../shared/testdata/bad/*"} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for comp := range 3 {
		f.Add(smallFile(comp).bytes())
		rf, _ := richFile(binary.BigEndian, comp, 3)
		f.Add(rf.bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := openBytes(t.Context(), b, formats.Options{})
		if err != nil {
			checkErr(t, err)
			return
		}
		if !utf8.ValidString(tb.Label) {
			t.Fatalf("label %q is not UTF-8", tb.Label)
		}
		dst := make([]any, len(tb.Columns))
		for range 10000 {
			err := tb.Rows.Next(dst)
			if err != nil {
				if err.Error() != "EOF" {
					checkErr(t, err)
				}
				return
			}
			for i, v := range dst {
				checkKind(t, tb.Columns[i].Kind, v)
			}
		}
	})
}

func checkErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, formats.ErrCorrupt) && !errors.Is(err, formats.ErrUnsupported) {
		t.Fatalf("error wraps neither ErrCorrupt nor ErrUnsupported: %v", err)
	}
}

func checkKind(t *testing.T, k formats.Kind, v any) {
	t.Helper()
	if v == nil {
		return
	}
	ok := false
	switch k {
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
		t.Fatalf("value %#v does not fit kind %v", v, k)
	}
}
