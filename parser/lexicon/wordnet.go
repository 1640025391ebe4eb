package lexicon

import "slices"

// synonymSenses is how many of a lemma's senses Synonyms reads.
const synonymSenses = 3

// maxDepth caps Classes' depth; WordNet's deepest chain is under 20.
const maxDepth = 32

// Lemmas returns the base forms of a word form, most likely first, found
// with WordNet's morphy: the exception lists and detachment rules of every
// part of speech, and the word itself when it is a lemma. "Most likely" is
// the highest summed tag count of a base form over the parts of speech it
// was reached in; ties go to the word itself. So "countries" gives
// ["country"], "won" ["win", "won"] (the verb is tagged far more often than
// the currency), "better" ["good", "better", "well"]. Collocations inflect
// their last word as nouns ("prime ministers") and their first as verbs
// ("looked up"). A word WordNet does not know gives the light fallback
// stemmer's result and then the word itself ("blorfs": ["blorf",
// "blorfs"]), or just the word; the empty string gives nil.
func Lemmas(word string) []string {
	word = lower(word)
	if word == "" {
		return nil
	}
	var buf [16]cand
	t := get()
	cs := t.lemmaCands(word, buf[:0])
	if len(cs) == 0 {
		if s := stem(word); s != word {
			return []string{s, word}
		}
		return []string{word}
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = t.word(c.id)
	}
	return out
}

// POS reports the parts of speech lemma has in WordNet (no inflection is
// undone: POS("countries") is 0).
func POS(lemma string) POSMask {
	t := get()
	if t == nil {
		return 0
	}
	if id, ok := t.id(lower(lemma)); ok {
		return t.mask[id]
	}
	return 0
}

// Synonyms returns the other lemmas of the first three senses of word's
// most likely lemma (Lemmas), most often tagged sense first and, within a
// sense, the lemma most often tagged in it first: "film" gives "movie",
// "picture", "moving picture", ... Multi-word lemmas use spaces.
func Synonyms(word string) []string {
	t := get()
	if t == nil {
		return nil
	}
	id, ok := t.best(lower(word))
	if !ok {
		return nil
	}
	senses := t.senses.row(id)
	if len(senses) > synonymSenses {
		senses = senses[:synonymSenses]
	}
	var out outList
	out.skip(id)
	for _, s := range senses {
		out.addAll(t.members.row(s))
	}
	return out.words(t)
}

// Related returns the derivationally related forms, attribute links,
// pertainyms and participle bases of all WordNet lemmas of word (Lemmas),
// by sense: "tall" gives "height", "tallness", ...; "located" reaches
// "location" through "locate".
func Related(word string) []string {
	if t := get(); t != nil {
		return t.union(word, &t.related)
	}
	return nil
}

// Antonyms returns the antonyms of all WordNet lemmas of word (Lemmas):
// the direct ones by sense or, for a word without any, those of the heads
// of its satellite senses ("highest" gives "low"; "huge", a satellite of
// "large", gives "small"). Nouns and verbs have antonyms too ("win":
// "lose"). A few opposites WordNet does not link follow (antonyms.go:
// "before", "after").
func Antonyms(word string) []string {
	var out []string
	if t := get(); t != nil {
		out = t.union(word, &t.antonyms)
	}
	for _, a := range antonymExtra[lower(word)] {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Attributes returns the nouns an adjective is a value of (WordNet's "="
// pointers), for all WordNet lemmas of word, so comparatives and
// superlatives work too: "tallest" gives "height", ...; "heavy" "weight".
// A satellite adjective reaches its head's attributes.
func Attributes(word string) []string {
	if t := get(); t != nil {
		return t.union(word, &t.attributes)
	}
	return nil
}

// Classes returns the lemmas of the hypernyms (instance hypernyms
// included) of all senses of word's most likely lemma, up to depth levels
// up, nearest first: Classes("monday", 2) gives "weekday", "day of the
// week"; Classes("france", 2) "european nation", "european country", ...,
// "country", "state", ...
func Classes(word string, depth int) []string {
	t := get()
	if t == nil || depth <= 0 {
		return nil
	}
	id, ok := t.best(lower(word))
	if !ok {
		return nil
	}
	depth = min(depth, maxDepth)
	var seen, frontier, next []uint32
	frontier = append(frontier, t.senses.row(id)...)
	seen = append(seen, frontier...)
	var out outList
	out.skip(id)
	for d := 0; d < depth && len(frontier) > 0; d++ {
		next = next[:0]
		for _, s := range frontier {
			for _, h := range t.hyper.row(s) {
				if !contains(seen, h) {
					seen = append(seen, h)
					next = append(next, h)
				}
			}
		}
		for _, h := range next {
			out.addAll(t.members.row(h))
		}
		frontier, next = next, frontier
	}
	return out.words(t)
}

// union collects the rows of rel for every WordNet lemma of word, leaving
// out the word and those lemmas.
func (t *table) union(word string, rel *csr) []string {
	var buf [16]cand
	cs := t.lemmaCands(lower(word), buf[:0])
	var out outList
	for _, c := range cs {
		out.skip(c.id)
	}
	for _, c := range cs {
		out.addAll(rel.row(c.id))
	}
	return out.words(t)
}

// outList gathers word ids once each, in order, after the ids to skip.
type outList struct {
	buf   [48]uint32
	ids   []uint32
	nskip int
}

func (o *outList) skip(id uint32) {
	if o.ids == nil {
		o.ids = o.buf[:0]
	}
	if !contains(o.ids, id) {
		o.ids = append(o.ids, id)
		o.nskip++
	}
}

func (o *outList) addAll(ids []uint32) {
	if o.ids == nil {
		o.ids = o.buf[:0]
	}
	for _, w := range ids {
		if !contains(o.ids, w) {
			o.ids = append(o.ids, w)
		}
	}
}

func (o *outList) words(t *table) []string {
	if len(o.ids) == o.nskip {
		return nil
	}
	out := make([]string, 0, len(o.ids)-o.nskip)
	for _, w := range o.ids[o.nskip:] {
		out = append(out, t.word(w))
	}
	return out
}

func contains(s []uint32, v uint32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
