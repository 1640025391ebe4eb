package sas7bdat

import (
	"bytes"
	"testing"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// FuzzOpen feeds damaged files to the reader: it must never panic, and what
// it returns must honour the formats contract. Seeds are the corpus files
// and, when present, the shared collection of malformed files.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/sas7bdat/
func FuzzOpen(f *testing.F) {
	for _, d := range formatstest.ReadFiles(f, "testdata/*.sas7bdat", "../../../shared/testdata/bad/*") {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tabs, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			return
		}
		for _, tab := range tabs {
			// A read error is allowed; the values before it must fit.
			_ = formatstest.CheckRows(t, tab, 0)
		}
	})
}
