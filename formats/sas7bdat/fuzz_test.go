package sas7bdat

import (
	"testing"

	"datachat/formats/formatstest"
)

// FuzzOpen feeds damaged files to the reader: it must never panic, and what
// it returns must honour the formats contract. Seeds are the corpus files
// and, when present, the shared collection of malformed files.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/sas7bdat/
func FuzzOpen(f *testing.F) {
	for _, d := range formatstest.ReadFiles(f, "testdata/*.sas7bdat", "../../../shared/testdata/bad/*") {
		// Small seeds only: the fuzzer mutates and re-runs each seed many
		// times, and large ones make every execution slow.
		if len(d) <= 64<<10 {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.CheckOpen(t, Open, data)
	})
}
