package xport

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"datachat/formats"
)

// FuzzOpen feeds damaged transport files to the reader: it must never
// panic, and what it returns must honour the formats contract. Seeds are
// hand-built v5 and v8 libraries and the shared collection of malformed
// files.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/xport/
func FuzzOpen(f *testing.F) {
	num := xvar{name: "X", numeric: true, width: 8, format: "DATE", fl: 9}
	str := xvar{name: "S", width: 5, label: "text"}
	obs := append(floatToIBM(21310), "hello"...)
	obs = append(obs, missingIBM('.')...)
	obs = append(obs, "     "...)
	f.Add(buildXPT(false, xmember{name: "A", label: "first", vars: []xvar{num, str}, obs: obs},
		xmember{name: "B", vars: []xvar{{name: "T", numeric: true, width: 4, format: "TIME", fl: 8}}, obs: floatToIBM(3600)[:4]}))
	f.Add(buildXPT(true, xmember{name: "LONG_MEMBER", vars: []xvar{num, {name: "S", longName: "long_name", width: 5}},
		obs: obs, longLabels: map[int]string{1: "a label longer than forty characters, for LABELV8"}}))
	files, _ := filepath.Glob("../../../shared/testdata/bad/*")
	for _, p := range files {
		if d, err := os.ReadFile(p); err == nil {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tabs, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			return
		}
		for _, tab := range tabs {
			dst := make([]any, len(tab.Columns))
			for tab.Rows.Next(dst) == nil {
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
