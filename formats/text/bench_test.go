package text

import (
	"strings"
	"testing"

	"datachat/formats/formatstest"
)

// BenchmarkOpen reads 100,000 lines of prose.
func BenchmarkOpen(b *testing.B) {
	data := []byte(strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n", 100_000))
	formatstest.BenchOpen(b, Open, data)
}

// BenchmarkSniff sniffs a 64 KiB sample of semicolon-separated text.
func BenchmarkSniff(b *testing.B) {
	data := []byte(strings.Repeat("\"Parasol Bastia\";DRIVECO;2B033;9.431030;42.664299;7;\"24/24 7/7\";;2020/12/15\n", 900))[:64<<10]
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, ok := Sniff(data); !ok {
			b.Fatal("not delimited")
		}
	}
}
