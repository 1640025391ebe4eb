package stata

import (
	"testing"

	"datachat/formats/formatstest"
)

// FuzzOpen opens arbitrary bytes and reads every row: it must never panic or
// hang, and every error must be a clean one. Seeds: the .dta corpus, the
// malformed files of other formats in testdata/bad, and generated files of
// every release and byte order.
func FuzzOpen(f *testing.F) {
	for _, data := range formatstest.ReadFiles(f, "testdata/*.dta", "testdata/bad/*") {
		f.Add(data)
	}
	for _, rel := range allReleases {
		for _, msf := range []bool{false, true} {
			f.Add(sampleCase(rel, msf).w.bytes())
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := readAllErr(t.Context(), data)
		if err == nil {
			return
		}
		formatstest.CheckErr(t, err)
	})
}
