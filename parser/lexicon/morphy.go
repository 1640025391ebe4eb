package lexicon

import (
	"slices"
	"strings"
)

// rule is one of morphy's detachment rules: a word ending in suf may be an
// inflection of the word ending in repl instead.
type rule struct{ suf, repl string }

// rules are WordNet's detachment rules (morphy(7WN)) per part of speech,
// in the table's order; adverbs have only their exception list.
var rules = [4][]rule{
	{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	nil,
}

// doubling are the endings before which English doubles a final consonant,
// per part of speech.
var doubling = [4][]string{nil, {"ed", "ing"}, {"er", "est"}, nil}

const verbPOS = 1 // Verb's index in AllPOS

// cand is one base form Lemmas found for a word.
type cand struct {
	id    uint32
	pos   POSMask // the parts of speech it was found in
	score uint32  // summed tag counts over pos
	self  bool    // the word itself
}

// lemmaCands appends the WordNet lemmas of word to cs, most likely first:
// the highest summed tag count over the parts of speech the lemma was
// reached in, ties to the word itself and then to the order found (by part
// of speech: exceptions, then rules).
func (t *table) lemmaCands(word string, cs []cand) []cand {
	if t == nil || word == "" {
		return cs
	}
	base := len(cs)
	self, selfOK := t.id(word)
	add := func(id uint32, p int) {
		for i := base; i < len(cs); i++ {
			if cs[i].id == id {
				if cs[i].pos&AllPOS[p] == 0 {
					cs[i].pos |= AllPOS[p]
					cs[i].score += t.count(id, p)
				}
				return
			}
		}
		cs = append(cs, cand{id: id, pos: AllPOS[p], score: t.count(id, p), self: selfOK && id == self})
	}
	// tryRules adds the lemmas that head+rest is an inflection of, where
	// head is the word that inflects (the whole word, or a collocation's
	// first word).
	tryRules := func(p int, head, rest string) {
		bit := AllPOS[p]
		if hid, ok := t.id(head); ok {
			lo, hi := t.exceptions(hid)
			for i := lo; i < hi; i++ {
				if t.excPOS[i] != bit {
					continue
				}
				if id, ok := t.find(t.word(t.excBase[i]), rest, ""); ok && t.mask[id]&bit != 0 {
					add(id, p)
				}
			}
		}
		for _, r := range rules[p] {
			if len(head) > len(r.suf) && strings.HasSuffix(head, r.suf) {
				if id, ok := t.find(head[:len(head)-len(r.suf)], r.repl, rest); ok && t.mask[id]&bit != 0 {
					add(id, p)
				}
			}
		}
		// Beyond morphy: a doubled final consonant before -ed, -ing, -er,
		// -est ("snorkelled", which the exception lists miss).
		for _, suf := range doubling[p] {
			if base, ok := strings.CutSuffix(head, suf); ok {
				if u := undouble(base); u != base {
					if id, ok := t.find(u, rest, ""); ok && t.mask[id]&bit != 0 {
						add(id, p)
					}
				}
			}
		}
	}
	for p, bit := range AllPOS {
		if selfOK && t.mask[self]&bit != 0 {
			add(self, p)
		}
		// Noun rules on the whole string inflect a collocation's last
		// word too ("home teams").
		tryRules(p, word, "")
	}
	// A verb collocation inflects its first word ("looked up").
	if i := strings.IndexByte(word, ' '); i > 0 {
		tryRules(verbPOS, word[:i], word[i:])
	}
	slices.SortStableFunc(cs[base:], func(a, b cand) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case a.self != b.self:
			if a.self {
				return -1
			}
			return 1
		}
		return 0
	})
	return cs
}

// best is the most likely WordNet lemma of word.
func (t *table) best(word string) (uint32, bool) {
	var buf [16]cand
	cs := t.lemmaCands(word, buf[:0])
	if len(cs) == 0 {
		return 0, false
	}
	return cs[0].id, true
}

// stem is the light fallback for words WordNet does not know: it undoes
// the regular plural, -ing and -ed of alphabetic words of four letters or
// more, and leaves a word alone when what would remain has no vowel.
func stem(w string) string {
	if len(w) < 4 || strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return w
	}
	n := len(w)
	s := w
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		s = w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		s = w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		s = w[:n-1]
	case strings.HasSuffix(w, "ied"):
		s = w[:n-3] + "y"
	case strings.HasSuffix(w, "ing") && n > 5:
		s = undoubleGuess(w[:n-3])
	case strings.HasSuffix(w, "ed") && n > 4:
		s = undoubleGuess(w[:n-2])
	}
	if !strings.ContainsAny(s, "aeiouy") {
		return w
	}
	return s
}

// undouble drops the second of a doubled final consonant ("stopp" ->
// "stop").
func undouble(s string) string {
	n := len(s)
	if n >= 3 && s[n-1] == s[n-2] && !strings.ContainsRune("aeiouy", rune(s[n-1])) {
		return s[:n-1]
	}
	return s
}

// undoubleGuess undoes a doubled consonant where no dictionary can say,
// keeping the doubles English base forms end in ("buzz", "spell", "kiss").
func undoubleGuess(s string) string {
	if n := len(s); n >= 3 && strings.ContainsRune("lsz", rune(s[n-1])) {
		return s
	}
	return undouble(s)
}

// lower lower-cases w, allocating only when w has an upper-case letter.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(w)
		}
	}
	return w
}
