package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dictDir is where Debian's wordnet-base puts the WordNet 3.0 dict files.
const dictDir = "/usr/share/wordnet"

// TestGolden checks that the committed table is what the generator makes
// of the dict files. It compares payloads, not gzip bytes, so that a
// change in compress/flate's output cannot fail it.
func TestGolden(t *testing.T) {
	if _, err := os.Stat(filepath.Join(dictDir, "data.noun")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("WordNet dict files missing under CI (apt-get install wordnet-base): %v", err)
		}
		t.Skipf("WordNet dict files missing (apt-get install wordnet-base): %v", err)
	}
	got, err := generate(dictDir)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := readTable(t, "../../parser/lexicon/wordnet.bin")
	if !bytes.Equal(got, want) {
		t.Fatalf("parser/lexicon/wordnet.bin is stale (%d payload bytes, the generator makes %d): "+
			"run go run ./cmd/genlexicon -dict %s -out parser/lexicon/wordnet.bin", len(want), len(got), dictDir)
	}
}

// readTable reads a gzip'd table file: its payload and its gzip header.
func readTable(t *testing.T, path string) ([]byte, gzip.Header) {
	t.Helper()
	z, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate %s: %v", path, err)
	}
	return payload, zr.Header
}

// miniDict is a dictionary of a few synsets in WordNet's file formats.
var miniDict = map[string]string{
	"data.noun": "  1 licence header line\n" +
		"00000001 05 n 01 cat 0 002 @ 00000002 n 0000 + 00000040 v 0101 | a small feline\n" +
		"00000002 05 n 02 feline 0 felid 0 000 | cats and their kin\n" +
		"00000003 07 n 01 height 0 002 = 00000020 a 0000 = 00000021 a 0000 | vertical extent\n",
	"index.noun": "cat n 1 2 @ + 1 1 00000001  \n" +
		"feline n 1 0 1 0 00000002  \nfelid n 1 0 1 0 00000002  \n" +
		"height n 1 1 = 1 0 00000003  \n",
	"data.verb":  "00000040 35 v 01 cat 0 001 + 00000001 n 0101 01 + 02 00 | to vomit\n",
	"index.verb": "cat v 1 1 + 1 0 00000040  \n",
	"data.adj": "00000020 00 a 01 tall 0 002 ! 00000021 a 0101 = 00000003 n 0000 | of great height\n" +
		"00000021 00 a 01 short(a) 0 002 ! 00000020 a 0101 = 00000003 n 0000 | of little height\n" +
		"00000022 00 s 01 lanky 0 001 & 00000020 a 0000 | tall and thin\n",
	"index.adj": "tall a 1 2 ! = 1 0 00000020  \nshort a 1 2 ! = 1 0 00000021  \nlanky a 1 1 & 1 0 00000022  \n",
	"data.adv":  "00000030 02 r 01 quickly 0 000 | with speed\n",
	"index.adv": "quickly r 1 0 1 0 00000030  \n",
	"noun.exc":  "felides felid\n",
	"verb.exc":  "catted cat\n",
	"adj.exc":   "taller tall\nshorter short notalemma\n",
	"adv.exc":   "",
	// cat as a noun is tagged more often than as a verb
	"cntlist.rev": "cat%1:05:00:: 1 9\ncat%2:35:00:: 1 2\ntall%3:00:00:: 1 5\n",
}

func writeDict(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildMini(t *testing.T) {
	dir := writeDict(t, miniDict)
	wn, err := readWordNet(dir)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := build(wn)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]int{}
	for i, w := range tb.words {
		id[w] = i
	}
	words := func(ids []int) []string {
		var out []string
		for _, i := range ids {
			out = append(out, tb.words[i])
		}
		return out
	}
	if !slices.IsSorted(tb.words) {
		t.Errorf("words not sorted: %q", tb.words)
	}
	// exception forms become words; a base that is no lemma is dropped
	for _, w := range []string{"felides", "catted", "taller", "shorter", "short"} {
		if _, ok := id[w]; !ok {
			t.Errorf("word %q missing from %q", w, tb.words)
		}
	}
	if _, ok := id["notalemma"]; ok {
		t.Error("an exception base that is no lemma became a word")
	}
	cat := id["cat"]
	if tb.mask[cat] != 1|2 || tb.counts[cat] != [4]int{9, 2, 0, 0} {
		t.Errorf("cat: mask %v counts %v", tb.mask[cat], tb.counts[cat])
	}
	// the noun sense (tag count 9) before the verb sense (2)
	if got := tb.senses[cat]; len(got) != 2 || tb.synPOS[got[0]] != 1 || tb.synPOS[got[1]] != 2 {
		t.Errorf("cat senses %v", got)
	}
	if got := words(tb.members[tb.hypernyms[tb.senses[cat][0]][0]]); !slices.Equal(got, []string{"feline", "felid"}) {
		t.Errorf("cat's hypernym holds %q", got)
	}
	checks := []struct {
		name string
		got  []int
		want []string
	}{
		{"antonyms of tall", tb.antonyms[id["tall"]], []string{"short"}},
		{"antonyms of lanky (through its head)", tb.antonyms[id["lanky"]], []string{"short"}},
		{"attributes of tall", tb.attributes[id["tall"]], []string{"height"}},
		{"attributes of lanky (through its head)", tb.attributes[id["lanky"]], []string{"height"}},
		{"related of height", tb.related[id["height"]], []string{"tall", "short"}},
		{"related of cat (its one derivation leads to itself)", tb.related[id["cat"]], nil},
	}
	for _, c := range checks {
		if got := words(c.got); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	var excs []string
	for _, e := range tb.exc {
		excs = append(excs, tb.words[e.form]+">"+tb.words[e.base])
	}
	if want := []string{"catted>cat", "felides>felid", "shorter>short", "taller>tall"}; !slices.Equal(excs, want) {
		t.Errorf("exceptions %q, want %q", excs, want)
	}
	a, b := tb.encode(), tb.encode()
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte(formatMagic)) {
		t.Error("encode is not deterministic or lacks the magic")
	}
	// The dictionary read twice gives the same payload.
	p1, err1 := generate(dir)
	p2, err2 := generate(dir)
	if err1 != nil || err2 != nil || !bytes.Equal(p1, p2) {
		t.Errorf("generate twice: %v %v, equal %v", err1, err2, bytes.Equal(p1, p2))
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		file, body, want string
	}{
		{"data.noun", "00000001 05 n zz cat 0 000 | bad word count\n", "data.noun:1: w_cnt"},
		{"data.noun", "00000001 05 n 01 cat 0 001 @ 00000099 n 0000 | dangling\n", "missing synset n 00000099"},
		{"data.noun", "00000001 05 n 02 cat 0 | cut short\n", "data.noun:1"},
		{"index.noun", "cat n 2 0 1 0 00000001\n", "index.noun:1: index line for \"cat\": counts"},
		{"index.noun", "cat n 1 0 1 0 00000077\n", "missing synset 00000077"},
		{"cntlist.rev", "cat%1:05:00:: 1 many\n", "cntlist.rev:1"},
		{"adj.exc", "lonely\n", "adj.exc:1: exception line"},
	}
	for _, tt := range tests {
		files := map[string]string{}
		for k, v := range miniDict {
			files[k] = v
		}
		files[tt.file] = tt.body
		_, err := readWordNet(writeDict(t, files))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: error %v, want it to say %q", tt.file, tt.body, err, tt.want)
		}
	}
	// cntlist.rev may be missing; the other files may not.
	files := map[string]string{}
	for k, v := range miniDict {
		if k != "cntlist.rev" && k != "index.adv" {
			files[k] = v
		}
	}
	dir := writeDict(t, files)
	if _, err := readWordNet(dir); err == nil || !strings.Contains(err.Error(), "index.adv") {
		t.Errorf("missing index.adv: %v", err)
	}
}

func TestRunWritesFile(t *testing.T) {
	dir := writeDict(t, miniDict)
	out := filepath.Join(t.TempDir(), "mini.bin")
	var log bytes.Buffer
	if err := run([]string{"-dict", dir, "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	payload, hdr := readTable(t, out)
	want, _ := generate(dir)
	if !bytes.Equal(payload, want) || hdr.Name != "" || !hdr.ModTime.IsZero() {
		t.Errorf("written table differs from the payload or carries a name/time stamp (%q %v)", hdr.Name, hdr.ModTime)
	}
	if err := run([]string{"-dict", filepath.Join(dir, "nope")}, &log); err == nil {
		t.Error("a missing dict directory gave no error")
	}
}
