package lexicon

import (
	"bytes"
	"compress/gzip"
	"io"
	"slices"
	"sync"
	"testing"
)

func TestLoad(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	tb := loaded
	if n := len(tb.wordOff) - 1; n < 140000 {
		t.Errorf("%d words, want WordNet's ~147,000 lemmas and the exception forms", n)
	}
	if m := tb.synEnd[3]; m != 117659 {
		t.Errorf("%d synsets, want WordNet 3.0's 117,659", m)
	}
}

func TestLemmas(t *testing.T) {
	tests := []struct {
		word  string
		first string   // the most likely base form
		also  []string // further base forms that must be there
	}{
		{"countries", "country", nil},
		{"won", "win", []string{"won"}}, // the verb outranks the currency
		{"better", "good", []string{"better", "well"}},
		{"located", "locate", []string{"located"}},
		{"children", "child", nil},
		{"women", "woman", nil},
		{"geese", "goose", nil},
		{"ran", "run", nil},
		{"tallest", "tall", nil},
		{"deeper", "deep", nil},
		{"scored", "score", nil},
		{"boxes", "box", nil},
		{"data", "data", []string{"datum"}},
		{"country", "country", nil},
		{"Cities", "city", nil},
		{"prime ministers", "prime minister", nil},
		{"looked up", "look up", nil},
		{"blorfs", "blorf", []string{"blorfs"}}, // unknown: stemmer, then the word
		{"zqxv", "zqxv", nil},
		{"1990", "1990", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := Lemmas(tt.word)
			if len(got) == 0 || got[0] != tt.first {
				t.Fatalf("Lemmas(%q) = %q, want %q first", tt.word, got, tt.first)
			}
			for _, w := range tt.also {
				if !slices.Contains(got, w) {
					t.Errorf("Lemmas(%q) = %q, want %q among them", tt.word, got, w)
				}
			}
			if len(got) != len(slices.Compact(slices.Clone(got))) {
				t.Errorf("Lemmas(%q) = %q has duplicates", tt.word, got)
			}
		})
	}
	if got := Lemmas(""); got != nil {
		t.Errorf("Lemmas(\"\") = %q, want nil", got)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"blorfs": "blorf", "zindies": "zindy", "plaxes": "plax", "grommits": "grommit",
		"blorfing": "blorf", "zappped": "zapp", "snizzled": "snizzl", "bus": "bus",
		"glass": "glass", "crisis": "crisis", "x1s": "x1s", "bcds": "bcds",
	} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPOS(t *testing.T) {
	tests := []struct {
		lemma string
		want  POSMask
	}{
		{"film", Noun | Verb},
		{"quickly", Adv},
		{"fast", Noun | Verb | Adj | Adv},
		{"tall", Noun | Adj},
		{"countries", 0}, // an inflection, not a lemma
		{"zqxv", 0},
	}
	for _, tt := range tests {
		if got := POS(tt.lemma); got != tt.want {
			t.Errorf("POS(%q) = %v, want %v", tt.lemma, got, tt.want)
		}
	}
	if s := (Noun | Adj).String(); s != "noun|adj" {
		t.Errorf("String = %q", s)
	}
}

// has checks that got holds every one of want.
func has(t *testing.T, call string, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s = %q, want %q among them", call, got, w)
		}
	}
}

func TestSynonyms(t *testing.T) {
	has(t, `Synonyms("film")`, Synonyms("film"), "movie", "picture")
	has(t, `Synonyms("nation")`, Synonyms("nation"), "country", "state")
	has(t, `Synonyms("cars")`, Synonyms("cars"), "automobile", "auto")
	if got := Synonyms("film"); got[0] != "movie" {
		t.Errorf(`Synonyms("film")[0] = %q, want "movie" (the most tagged lemma of the first sense)`, got[0])
	}
	if got := Synonyms("country"); slices.Contains(got, "country") {
		t.Errorf(`Synonyms("country") = %q holds the word itself`, got)
	}
	if got := Synonyms("zqxv"); got != nil {
		t.Errorf(`Synonyms("zqxv") = %q, want nil`, got)
	}
}

func TestRelated(t *testing.T) {
	has(t, `Related("win")`, Related("win"), "winner")
	has(t, `Related("won")`, Related("won"), "winner")
	has(t, `Related("tall")`, Related("tall"), "height", "tallness")
	has(t, `Related("old")`, Related("old"), "age")
	has(t, `Related("long")`, Related("long"), "length")
	has(t, `Related("located")`, Related("located"), "location")
	has(t, `Related("score")`, Related("score"), "scorer")
	has(t, `Related("national")`, Related("national"), "nation")
	has(t, `Related("height")`, Related("height"), "tall", "short")
}

func TestAttributes(t *testing.T) {
	for word, want := range map[string][]string{
		"tall": {"height", "stature"}, "heavy": {"weight"}, "deep": {"depth"},
		"fast": {"speed"}, "tallest": {"height"}, "deeper": {"depth"},
		"huge": {"size"}, // a satellite, through its head "large"
		"old":  {"age"}, "wide": {"width"},
	} {
		has(t, "Attributes("+word+")", Attributes(word), want...)
	}
	if got := Attributes("heavy"); got[0] != "weight" {
		t.Errorf(`Attributes("heavy")[0] = %q, want "weight" first`, got[0])
	}
	if got := Attributes("table"); got != nil {
		t.Errorf(`Attributes("table") = %q, want nil`, got)
	}
}

func TestClasses(t *testing.T) {
	has(t, `Classes("france", 2)`, Classes("france", 2), "european country", "country", "state")
	has(t, `Classes("london", 3)`, Classes("london", 3), "national capital", "city")
	has(t, `Classes("tuesday", 1)`, Classes("tuesday", 1), "weekday")
	if got := Classes("tuesday", 1); slices.Contains(got, "day of the week") {
		t.Errorf(`Classes("tuesday", 1) = %q goes past depth 1`, got)
	}
	has(t, `Classes("tuesday", 2)`, Classes("tuesday", 2), "weekday", "day of the week")
	if got := Classes("france", 0); got != nil {
		t.Errorf("depth 0 gives %q", got)
	}
	if got := Classes("france", 1000); len(got) == 0 {
		t.Error("a huge depth gives nothing")
	}
}

func TestAntonyms(t *testing.T) {
	for word, want := range map[string]string{
		"highest": "low", "high": "low", "most": "least", "first": "last",
		"before": "after", "huge": "small", "win": "lose", "increase": "decrease",
	} {
		has(t, "Antonyms("+word+")", Antonyms(word), want)
	}
	if got := Antonyms("high"); slices.Contains(got, "sober") {
		t.Errorf(`Antonyms("high") = %q: a word with direct antonyms takes none through heads`, got)
	}
}

// TestAntonymPairsNotInWordNet keeps the hand-written pairs to what
// WordNet lacks.
func TestAntonymPairsNotInWordNet(t *testing.T) {
	tb := get()
	for _, p := range antonymPairs {
		if got := tb.union(p[0], &tb.antonyms); slices.Contains(got, p[1]) {
			t.Errorf("WordNet already links %q and %q: drop the pair", p[0], p[1])
		}
	}
}

// TestConcurrent runs lookups from many goroutines (run with -race) and
// checks each sees what a lone caller sees.
func TestConcurrent(t *testing.T) {
	words := []string{"countries", "film", "tallest", "france", "won", "deeper", "before"}
	lookup := func(w string) []string {
		var out []string
		out = append(out, Lemmas(w)...)
		out = append(out, Synonyms(w)...)
		out = append(out, Related(w)...)
		out = append(out, Attributes(w)...)
		out = append(out, Antonyms(w)...)
		out = append(out, Classes(w, 3)...)
		return out
	}
	want := map[string][]string{}
	for _, w := range words {
		want[w] = lookup(w)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 50; i++ {
				w := words[(g+i)%len(words)]
				if got := lookup(w); !slices.Equal(got, want[w]) {
					t.Errorf("concurrent lookup of %q differs", w)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestDecodeCorrupt feeds broken tables to the decoder: each gives an
// error or a table, never a panic, and what decodes stays in range.
func TestDecodeCorrupt(t *testing.T) {
	payload := gunzip(t, wordnetBin)
	if _, err := decodePayload(payload); err != nil {
		t.Fatalf("the embedded table: %v", err)
	}
	for _, cut := range []int{0, 3, 5, 100, 1000, len(payload) / 3, len(payload) / 2, len(payload) - 1} {
		if _, err := decodePayload(payload[:cut]); err == nil {
			t.Errorf("a table cut at byte %d decoded", cut)
		}
	}
	for i := 0; i < 12; i++ {
		b := slices.Clone(payload)
		at := (i*7919*104729 + 13) % len(b)
		b[at] ^= 0x5a
		bad, err := decodePayload(b)
		if err != nil {
			continue
		}
		// A flip that still decodes must give lookups that do not panic.
		var cs [16]cand
		for _, w := range []string{"countries", "film", "tall"} {
			for _, c := range bad.lemmaCands(w, cs[:0]) {
				_ = bad.union(bad.word(c.id), &bad.related)
			}
		}
	}
	if _, err := decode([]byte("not gzip")); err == nil {
		t.Error("a non-gzip table decoded")
	}
}

func gunzip(t *testing.T, z []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
