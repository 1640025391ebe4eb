package xport

import (
	"testing"

	"datachat/formats/formatstest"
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
	for _, d := range formatstest.ReadFiles(f, "../../../shared/testdata/bad/*") {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.CheckOpen(t, Open, data)
	})
}
