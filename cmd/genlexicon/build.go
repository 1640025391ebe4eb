package main

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// table is the lexicon in the shape the payload stores it.
type table struct {
	words      []string // display form, byte order
	mask       []posMask
	counts     [][4]int // per word and part of speech
	synPOS     []posMask
	members    [][]int // per synset, word ids
	hypernyms  [][]int // per synset, synset ids
	senses     [][]int // per word, synset ids
	related    [][]int // per word, word ids
	antonyms   [][]int
	attributes [][]int
	exc        []excEntry
}

type excEntry struct {
	form int
	pos  posMask
	base int
}

// build derives the table from the parsed dictionary. Every step runs in a
// fixed order, so the same dictionary always gives the same table.
func build(wn *wordnet) (*table, error) {
	t := &table{}
	keys := map[string]bool{}
	for p := range posFiles {
		for k := range wn.index[p] {
			keys[k] = true
		}
	}
	for _, s := range wn.synsets {
		for _, w := range s.words {
			keys[w.key] = true
		}
	}
	type excLine struct {
		p     int
		form  string
		bases []string
	}
	var excs []excLine
	for p := range posFiles {
		forms := sortedKeys(wn.exc[p])
		for _, f := range forms {
			var bases []string
			for _, b := range wn.exc[p][f] {
				// A base that is no lemma of this part of speech would send
				// Lemmas to a word WordNet does not know in that role.
				if _, ok := wn.index[p][b]; ok && !slices.Contains(bases, b) {
					bases = append(bases, b)
				}
			}
			if len(bases) > 0 {
				keys[f] = true
				excs = append(excs, excLine{p, f, bases})
			}
		}
	}
	disp := map[string]string{} // display form -> key form
	for k := range keys {
		d := display(k)
		if o, dup := disp[d]; dup && o != k {
			return nil, fmt.Errorf("lemmas %q and %q read the same", o, k)
		}
		disp[d] = k
	}
	t.words = sortedKeys(disp)
	id := make(map[string]int, len(t.words)) // key form -> word id
	for i, d := range t.words {
		id[disp[d]] = i
	}
	n := len(t.words)
	t.mask = make([]posMask, n)
	t.counts = make([][4]int, n)
	t.senses = make([][]int, n)
	for i, d := range t.words {
		k := disp[d]
		var perPOS [4][]int
		for p := range posFiles {
			syns, ok := wn.index[p][k]
			if !ok {
				continue
			}
			t.mask[i] |= posBit(p)
			perPOS[p] = syns
			for _, s := range syns {
				t.counts[i][p] += wn.tagCount(s, wn.wordIndex(s, k))
			}
		}
		t.senses[i] = mergeSenses(wn, k, perPOS)
	}

	t.synPOS = make([]posMask, len(wn.synsets))
	t.members = make([][]int, len(wn.synsets))
	t.hypernyms = make([][]int, len(wn.synsets))
	for s := range wn.synsets {
		sy := &wn.synsets[s]
		t.synPOS[s] = posBit(sy.pos)
		order := make([]int, len(sy.words))
		cnt := make([]int, len(sy.words))
		for k := range sy.words {
			order[k] = k
			cnt[k] = wn.tagCount(s, k)
		}
		sort.SliceStable(order, func(a, b int) bool { return cnt[order[a]] > cnt[order[b]] })
		for _, k := range order {
			t.members[s] = appendNew(t.members[s], id[sy.words[k].key])
		}
		for _, pt := range sy.ptrs {
			if pt.sym == "@" || pt.sym == "@i" {
				t.hypernyms[s] = appendNew(t.hypernyms[s], pt.target)
			}
		}
	}

	// The payload stores senses as an order over the synsets a word is a
	// member of, so the two must be the same set.
	memberOf := make([][]int, n)
	for s, ms := range t.members {
		for _, w := range ms {
			memberOf[w] = append(memberOf[w], s)
		}
	}
	for i := range t.words {
		if !slices.Equal(memberOf[i], slices.Sorted(slices.Values(t.senses[i]))) {
			return nil, fmt.Errorf("lemma %q: index senses %v differ from synset members %v", t.words[i], t.senses[i], memberOf[i])
		}
	}

	t.related = make([][]int, n)
	t.antonyms = make([][]int, n)
	t.attributes = make([][]int, n)
	for i, d := range t.words {
		k := disp[d]
		for _, s := range t.senses[i] {
			t.related[i] = wn.relatedOf(t, id, s, k, t.related[i])
			t.antonyms[i] = wn.lexicalTargets(id, s, wn.wordIndex(s, k), "!", t.antonyms[i])
			if wn.synsets[s].pos == 2 {
				t.attributes[i] = wn.synsetTargets(t, s, "=", t.attributes[i])
			}
		}
		// Satellites reach attributes after the word's own, and antonyms
		// when the word has none of its own ("huge": "small"), through the
		// head adjective of each satellite sense. A word with direct
		// antonyms keeps only those: the heads of its rarer senses would
		// bury them ("high" would gain "sober").
		direct := len(t.antonyms[i]) > 0
		for _, s := range t.senses[i] {
			h, ok := wn.head(s)
			if !ok {
				continue
			}
			for hk := range wn.synsets[h].words {
				if direct {
					break
				}
				t.antonyms[i] = wn.lexicalTargets(id, h, hk, "!", t.antonyms[i])
			}
			t.attributes[i] = wn.synsetTargets(t, h, "=", t.attributes[i])
		}
		t.related[i] = without(t.related[i], i)
		t.antonyms[i] = without(t.antonyms[i], i)
		t.attributes[i] = without(t.attributes[i], i)
	}

	for _, e := range excs {
		for _, b := range e.bases {
			t.exc = append(t.exc, excEntry{form: id[e.form], pos: posBit(e.p), base: id[b]})
		}
	}
	sort.SliceStable(t.exc, func(a, b int) bool { return t.exc[a].form < t.exc[b].form })
	return t, nil
}

// mergeSenses orders a lemma's senses of all parts of speech by tag count.
// Within one part of speech WordNet's order stands (it is already by count);
// between them the higher count goes first, ties to the earlier sense number
// and then to the part of speech listed first.
func mergeSenses(wn *wordnet, key string, perPOS [4][]int) []int {
	var out []int
	var at [4]int
	for {
		best := -1
		bestCnt := 0
		for p := range perPOS {
			if at[p] >= len(perPOS[p]) {
				continue
			}
			s := perPOS[p][at[p]]
			c := wn.tagCount(s, wn.wordIndex(s, key))
			if best < 0 || c > bestCnt || (c == bestCnt && at[p] < at[best]) {
				best, bestCnt = p, c
			}
		}
		if best < 0 {
			return out
		}
		out = append(out, perPOS[best][at[best]])
		at[best]++
	}
}

// wordIndex is the position of lemma key among synset s's words (-1 if absent).
func (wn *wordnet) wordIndex(s int, key string) int {
	for k, w := range wn.synsets[s].words {
		if w.key == key {
			return k
		}
	}
	return -1
}

// head is the head synset of satellite synset s.
func (wn *wordnet) head(s int) (int, bool) {
	if !wn.synsets[s].sat {
		return 0, false
	}
	for _, pt := range wn.synsets[s].ptrs {
		if pt.sym == "&" {
			return pt.target, true
		}
	}
	return 0, false
}

// relatedOf appends what Related lists for word k (key form) in sense s:
// the members of attribute synsets, then derivationally related forms,
// pertainyms and participles of the word.
func (wn *wordnet) relatedOf(t *table, id map[string]int, s int, key string, out []int) []int {
	out = wn.synsetTargets(t, s, "=", out)
	k := wn.wordIndex(s, key)
	for _, sym := range []string{"+", "\\", "<"} {
		out = wn.lexicalTargets(id, s, k, sym, out)
	}
	return out
}

// synsetTargets appends the members of the synsets that s points to with sym.
func (wn *wordnet) synsetTargets(t *table, s int, sym string, out []int) []int {
	for _, pt := range wn.synsets[s].ptrs {
		if pt.sym == sym {
			for _, w := range t.members[pt.target] {
				out = appendNew(out, w)
			}
		}
	}
	return out
}

// lexicalTargets appends the words that word k of synset s points to with
// sym. A pointer between whole synsets counts for every word and reaches
// every word of its target.
func (wn *wordnet) lexicalTargets(id map[string]int, s, k int, sym string, out []int) []int {
	for _, pt := range wn.synsets[s].ptrs {
		if pt.sym != sym || (pt.src != 0 && pt.src != k+1) {
			continue
		}
		tw := wn.synsets[pt.target].words
		if pt.dst == 0 {
			for _, w := range tw {
				out = appendNew(out, id[w.key])
			}
		} else if pt.dst <= len(tw) {
			out = appendNew(out, id[tw[pt.dst-1].key])
		}
	}
	return out
}

func appendNew(out []int, v int) []int {
	if slices.Contains(out, v) {
		return out
	}
	return append(out, v)
}

func without(s []int, v int) []int {
	return slices.DeleteFunc(s, func(x int) bool { return x == v })
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// encode writes the payload that format.go in package lexicon describes.
func (t *table) encode() []byte {
	b := []byte(formatMagic)
	b = binary.AppendUvarint(b, formatVersion)
	b = binary.AppendUvarint(b, uint64(len(t.words)))
	prev := ""
	for _, w := range t.words {
		shared := 0
		for shared < len(w) && shared < len(prev) && w[shared] == prev[shared] {
			shared++
		}
		b = binary.AppendUvarint(b, uint64(shared))
		b = binary.AppendUvarint(b, uint64(len(w)-shared))
		b = append(b, w[shared:]...)
		prev = w
	}
	for i, m := range t.mask {
		b = append(b, byte(m))
		for p, bit := range allPOS {
			if m&bit != 0 {
				b = binary.AppendUvarint(b, uint64(t.counts[i][p]))
			}
		}
	}
	// Synsets come grouped by part of speech (as read, file by file), so
	// four counts give each synset's part of speech.
	for _, p := range allPOS {
		n := 0
		for _, sp := range t.synPOS {
			if sp == p {
				n++
			}
		}
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = binary.AppendUvarint(b, uint64(total(t.members)))
	b = binary.AppendUvarint(b, uint64(total(t.hypernyms)))
	for s := range t.synPOS {
		b = appendList(b, t.members[s])
		b = appendList(b, t.hypernyms[s])
	}
	for _, l := range t.senses {
		if len(l) < 2 {
			continue
		}
		// The decoder finds a word's synsets from the members; only
		// their order needs storing: each sense's position in the
		// ascending list of the word's synset ids.
		asc := slices.Sorted(slices.Values(l))
		for _, s := range l {
			i, _ := slices.BinarySearch(asc, s)
			b = binary.AppendUvarint(b, uint64(i))
		}
	}
	for _, lists := range [][][]int{t.related, t.antonyms, t.attributes} {
		b = binary.AppendUvarint(b, uint64(total(lists)))
		for _, l := range lists {
			b = appendList(b, l)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(t.exc)))
	last := 0
	for _, e := range t.exc {
		b = binary.AppendUvarint(b, uint64(e.form-last))
		b = append(b, byte(e.pos))
		b = binary.AppendUvarint(b, uint64(e.base))
		last = e.form
	}
	return b
}

// total is the number of ids in all lists.
func total(lists [][]int) int {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	return n
}

func appendList(b []byte, l []int) []byte {
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, v := range l {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}
