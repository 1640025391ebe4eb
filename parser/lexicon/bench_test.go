package lexicon

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkDecode times decoding the embedded table, what the first lookup
// pays once, and reports the share of it spent inflating the gzip stream
// (the reference: decoding can cost no less).
func BenchmarkDecode(b *testing.B) {
	var inflate, total time.Duration
	for b.Loop() {
		t0 := time.Now()
		zr, err := gzip.NewReader(bytes.NewReader(wordnetBin))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := decode(wordnetBin); err != nil {
			b.Fatal(err)
		}
		inflate += t1.Sub(t0)
		total += time.Since(t1)
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N)/1e6, "decode-ms")
	b.ReportMetric(float64(inflate)/float64(total), "inflate-share")
}

// benchWords are word forms of the kinds a question holds: inflected,
// irregular, base forms, unknown words.
var benchWords = []string{"countries", "won", "highest", "population", "players", "located",
	"children", "scored", "blorfs", "team", "better", "average"}

// BenchmarkLemmasSynonyms times one Lemmas and one Synonyms lookup against
// the reference of fetching the same answers from a map of precomputed
// copies, the least any lookup returning fresh slices can cost.
func BenchmarkLemmasSynonyms(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	ref := map[string][2][]string{}
	for _, w := range benchWords {
		ref[w] = [2][]string{Lemmas(w), Synonyms(w)}
	}
	var lex, floor time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := benchWords[i%len(benchWords)]
		t0 := time.Now()
		_ = Lemmas(w)
		_ = Synonyms(w)
		t1 := time.Now()
		r := ref[w]
		_, _ = slices.Clone(r[0]), slices.Clone(r[1])
		floor += time.Since(t1)
		lex += t1.Sub(t0)
		i++
	}
	b.ReportMetric(float64(lex.Nanoseconds())/float64(b.N), "lookup-ns")
	b.ReportMetric(float64(lex)/float64(floor), "x-precomputed")
}

// BenchmarkLemmas times Lemmas alone.
func BenchmarkLemmas(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = Lemmas(benchWords[i%len(benchWords)])
		i++
	}
}

// BenchmarkBinarySize reports what the package adds to a program: the size
// of a program that calls lexicon.POS minus that of one that does not, both
// built in a scratch module that points back at this one. It builds once;
// its ns/op means nothing.
func BenchmarkBinarySize(b *testing.B) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command on PATH")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("go.mod", "module sizeprobe\n\ngo 1.26\n\nrequire datachat v0.0.0\n\nreplace datachat => "+root+"\n")
	write("go.sum", string(sum))
	size := func(src string) int64 {
		write("main.go", src)
		out := filepath.Join(dir, "probe")
		cmd := exec.Command(goBin, "build", "-mod=mod", "-o", out, ".")
		cmd.Dir = dir
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("build probe: %v\n%s", err, msg)
		}
		fi, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		return fi.Size()
	}
	without := size("package main\n\nimport \"os\"\n\nfunc main() { os.Exit(len(os.Args[0]) % 2) }\n")
	with := size("package main\n\nimport (\n\t\"os\"\n\n\t\"datachat/parser/lexicon\"\n)\n\n" +
		"func main() { os.Exit(int(lexicon.POS(os.Args[0])) % 2) }\n")
	for b.Loop() {
	}
	b.ReportMetric(float64(with-without), "added-bytes")
	b.ReportMetric(float64(len(wordnetBin)), "embedded-bytes")
}
