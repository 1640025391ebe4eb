package stata

import (
	"context"
	"errors"
	"testing"
	"time"

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
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		err := readAllErr(ctx, data)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("reading %d bytes took %v", len(data), d)
		}
		if err == nil {
			return
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("reading %d bytes took over 10s", len(data))
		}
		formatstest.CheckErr(t, err)
	})
}
