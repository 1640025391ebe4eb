package spss

import (
	"encoding/binary"
	"testing"
	"unicode/utf8"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// FuzzOpen feeds arbitrary bytes to the reader: it must never panic, and
// every error must say the file is corrupt or unsupported. Seeds: the corpus,
// generated files of every compression and byte order, and the shared
// collection of bad files of other formats.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 15s ./formats/spss/
func FuzzOpen(f *testing.F) {
	for _, b := range formatstest.ReadFiles(f, "testdata/*.sav", "testdata/*.zsav", "../../../shared/testdata/bad/*") {
		f.Add(b)
	}
	for comp := range 3 {
		f.Add(smallFile(comp).bytes())
		rf, _ := richFile(binary.BigEndian, comp, 3)
		f.Add(rf.bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := openBytes(t.Context(), b, formats.Options{})
		if err != nil {
			formatstest.CheckErr(t, err)
			return
		}
		if !utf8.ValidString(tb.Label) {
			t.Fatalf("label %q is not UTF-8", tb.Label)
		}
		if err := formatstest.CheckRows(t, tb, 10000); err != nil {
			formatstest.CheckErr(t, err)
		}
	})
}
