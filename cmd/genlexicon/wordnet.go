package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// posFiles names the dict files of each part of speech, in the table's order.
var posFiles = [4]struct {
	suffix string // data.<suffix>, index.<suffix>
	exc    string // <exc>.exc
	letter byte   // the pointer's part-of-speech letter
}{
	{"noun", "noun", 'n'},
	{"verb", "verb", 'v'},
	{"adj", "adj", 'a'},
	{"adv", "adv", 'r'},
}

// wnWord is one word of a synset as the data file spells it.
type wnWord struct {
	key   string // lower case, underscores: the sense key's lemma
	lexID int
}

// pointer is one pointer of a synset. src and dst are 1-based word numbers
// (both 0 for a pointer between whole synsets).
type pointer struct {
	sym      string
	target   int // synset index, resolved after all data files are read
	src, dst int

	tpos byte // target's file letter and offset, before resolution
	toff int
}

type synset struct {
	pos     int // index into posFiles
	sat     bool
	lexFile int
	words   []wnWord
	ptrs    []pointer
	counts  []int // per word: its sense's cntlist tag count
}

// wordnet is the parsed dictionary.
type wordnet struct {
	synsets []synset
	// index maps a lemma (sense-key form) to its synsets in sense order, per
	// part of speech.
	index [4]map[string][]int
	// exc maps an inflected form (key form) to its base forms, per part of
	// speech, in file order.
	exc [4]map[string][]string
	// count maps a sense key to its cntlist tag count.
	count map[string]int
}

// readWordNet parses the WordNet 3.0 dict files in dir.
func readWordNet(dir string) (*wordnet, error) {
	wn := &wordnet{count: map[string]int{}}
	byOffset := [4]map[int]int{}
	for p, f := range posFiles {
		byOffset[p] = map[int]int{}
		if err := eachLine(filepath.Join(dir, "data."+f.suffix), func(line string) error {
			return wn.addSynset(p, line, byOffset[p])
		}); err != nil {
			return nil, err
		}
	}
	letters := map[byte]int{'n': 0, 'v': 1, 'a': 2, 's': 2, 'r': 3}
	for i := range wn.synsets {
		s := &wn.synsets[i]
		for j := range s.ptrs {
			pt := &s.ptrs[j]
			p, ok := letters[pt.tpos]
			if !ok {
				return nil, fmt.Errorf("synset %d: pointer to part of speech %q", i, pt.tpos)
			}
			t, ok := byOffset[p][pt.toff]
			if !ok {
				return nil, fmt.Errorf("synset %d: pointer to missing synset %c %08d", i, pt.tpos, pt.toff)
			}
			pt.target = t
		}
	}
	for p, f := range posFiles {
		wn.index[p] = map[string][]int{}
		if err := eachLine(filepath.Join(dir, "index."+f.suffix), func(line string) error {
			return wn.addIndex(p, line, byOffset[p])
		}); err != nil {
			return nil, err
		}
		wn.exc[p] = map[string][]string{}
		if err := eachLine(filepath.Join(dir, f.exc+".exc"), func(line string) error {
			fs := strings.Fields(line)
			if len(fs) < 2 {
				return fmt.Errorf("exception line %q: want a form and its bases", line)
			}
			wn.exc[p][fs[0]] = append(wn.exc[p][fs[0]], fs[1:]...)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	// cntlist.rev is optional: without it every sense counts 0 and WordNet's
	// sense order stands.
	err := eachLine(filepath.Join(dir, "cntlist.rev"), func(line string) error {
		fs := strings.Fields(line)
		if len(fs) != 3 {
			return fmt.Errorf("cntlist line %q: want key, sense number, count", line)
		}
		n, err := strconv.Atoi(fs[2])
		if err != nil {
			return fmt.Errorf("cntlist line %q: %w", line, err)
		}
		wn.count[fs[0]] += n
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	for s := range wn.synsets {
		sy := &wn.synsets[s]
		sy.counts = make([]int, len(sy.words))
		for k := range sy.words {
			sy.counts[k] = wn.count[wn.senseKey(s, k)]
		}
	}
	return wn, nil
}

// eachLine calls fn for each line of the file that is not part of the
// licence header (header lines start with two spaces).
func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(line, "  ") || strings.TrimSpace(line) == "" {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// addSynset parses one data file line:
// offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt (ptr offset pos st)... [frames] | gloss
func (wn *wordnet) addSynset(p int, line string, byOffset map[int]int) error {
	if i := strings.Index(line, " | "); i >= 0 {
		line = line[:i]
	}
	fs := strings.Fields(line)
	if len(fs) < 4 {
		return fmt.Errorf("short synset line")
	}
	off, err := strconv.Atoi(fs[0])
	if err != nil {
		return fmt.Errorf("synset offset: %w", err)
	}
	lexFile, err := strconv.Atoi(fs[1])
	if err != nil {
		return fmt.Errorf("lex_filenum: %w", err)
	}
	s := synset{pos: p, sat: fs[2] == "s", lexFile: lexFile}
	wcnt, err := strconv.ParseUint(fs[3], 16, 8)
	if err != nil {
		return fmt.Errorf("w_cnt: %w", err)
	}
	i := 4
	for k := 0; k < int(wcnt); k++ {
		if i+1 >= len(fs) {
			return fmt.Errorf("synset %08d: words cut short", off)
		}
		id, err := strconv.ParseUint(fs[i+1], 16, 8)
		if err != nil {
			return fmt.Errorf("synset %08d: lex_id: %w", off, err)
		}
		s.words = append(s.words, wnWord{key: wordKey(fs[i]), lexID: int(id)})
		i += 2
	}
	if i >= len(fs) {
		return fmt.Errorf("synset %08d: no pointer count", off)
	}
	pcnt, err := strconv.Atoi(fs[i])
	if err != nil {
		return fmt.Errorf("synset %08d: p_cnt: %w", off, err)
	}
	i++
	for k := 0; k < pcnt; k++ {
		if i+3 >= len(fs) {
			return fmt.Errorf("synset %08d: pointers cut short", off)
		}
		toff, err := strconv.Atoi(fs[i+1])
		if err != nil {
			return fmt.Errorf("synset %08d: pointer offset: %w", off, err)
		}
		st := fs[i+3]
		src, err1 := strconv.ParseUint(st[:2], 16, 8)
		dst, err2 := strconv.ParseUint(st[2:], 16, 8)
		if len(st) != 4 || err1 != nil || err2 != nil {
			return fmt.Errorf("synset %08d: pointer source/target %q", off, st)
		}
		s.ptrs = append(s.ptrs, pointer{sym: fs[i], tpos: fs[i+2][0], toff: toff, src: int(src), dst: int(dst)})
		i += 4
	}
	byOffset[off] = len(wn.synsets)
	wn.synsets = append(wn.synsets, s)
	return nil
}

// addIndex parses one index file line:
// lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
func (wn *wordnet) addIndex(p int, line string, byOffset map[int]int) error {
	fs := strings.Fields(line)
	if len(fs) < 6 {
		return fmt.Errorf("short index line")
	}
	n, err1 := strconv.Atoi(fs[2])
	pc, err2 := strconv.Atoi(fs[3])
	if err1 != nil || err2 != nil || len(fs) != 4+pc+2+n {
		return fmt.Errorf("index line for %q: counts do not match its fields", fs[0])
	}
	var syns []int
	for _, o := range fs[len(fs)-n:] {
		off, err := strconv.Atoi(o)
		if err != nil {
			return fmt.Errorf("index line for %q: offset: %w", fs[0], err)
		}
		s, ok := byOffset[off]
		if !ok {
			return fmt.Errorf("index line for %q: missing synset %08d", fs[0], off)
		}
		syns = append(syns, s)
	}
	wn.index[p][fs[0]] = syns
	return nil
}

// wordKey turns a data file word into sense-key form: lower case, without an
// adjective's syntactic marker ("galore(ip)").
func wordKey(w string) string {
	if i := strings.IndexByte(w, '('); i > 0 && strings.HasSuffix(w, ")") {
		w = w[:i]
	}
	return strings.ToLower(w)
}

// display turns a key-form lemma into the table's form: spaces for
// underscores.
func display(key string) string { return strings.ReplaceAll(key, "_", " ") }

// senseKey is the WordNet sense key of word k of synset s, as cntlist.rev
// spells it: lemma%ss_type:lex_filenum:lex_id:head_word:head_id.
func (wn *wordnet) senseKey(s, k int) string {
	sy := &wn.synsets[s]
	w := sy.words[k]
	ssType := sy.pos + 1
	head, headID := "", ""
	if sy.sat {
		ssType = 5
		for _, pt := range sy.ptrs {
			if pt.sym == "&" {
				hw := wn.synsets[pt.target].words[0]
				head, headID = hw.key, fmt.Sprintf("%02d", hw.lexID)
				break
			}
		}
	}
	return fmt.Sprintf("%s%%%d:%02d:%02d:%s:%s", w.key, ssType, sy.lexFile, w.lexID, head, headID)
}

// tagCount is how often word k of synset s was tagged in the semantic
// concordance (0 when unknown or k is -1).
func (wn *wordnet) tagCount(s, k int) int {
	if k < 0 {
		return 0
	}
	return wn.synsets[s].counts[k]
}

// The payload's layout (parser/lexicon/format.go). The generator cannot
// import package lexicon, which embeds the generator's output; the golden
// test in this package and the decoding tests there keep the two in step.
const (
	formatMagic   = "DCWN"
	formatVersion = 1
)

// posMask mirrors lexicon.POSMask: noun, verb, adjective, adverb bits.
type posMask uint8

var allPOS = [4]posMask{1, 2, 4, 8}

// posBit is the posMask bit of part of speech p.
func posBit(p int) posMask { return allPOS[p] }
