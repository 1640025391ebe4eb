package lexicon

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
)

//go:embed wordnet.bin
var wordnetBin []byte

// maxPayload bounds the decompressed table; the embedded one is about 3.4 MB.
const maxPayload = 64 << 20

var (
	loadOnce sync.Once
	loaded   *table
	loadErr  error
)

// Load decodes the embedded table if that has not happened yet and reports
// whether it is usable. Every lookup calls it; call it at start-up to pay
// the decoding there (some tens of milliseconds) and to see a broken table
// at once. With a broken table the WordNet lookups return nothing and
// Lemmas falls back to its stemmer.
func Load() error {
	loadOnce.Do(func() {
		loaded, loadErr = decode(wordnetBin)
		if loadErr != nil {
			loadErr = fmt.Errorf("lexicon: decode embedded wordnet.bin: %w", loadErr)
		}
	})
	return loadErr
}

func get() *table {
	if Load() != nil {
		return nil
	}
	return loaded
}

// csr holds rows of ids in one array: row i is val[off[i]:off[i+1]].
type csr struct {
	off []uint32
	val []uint32
}

func (c *csr) row(i uint32) []uint32 { return c.val[c.off[i]:c.off[i+1]] }

// table is the decoded lexicon. It is never written after decode, so any
// number of goroutines may read it.
type table struct {
	text    string   // all words, concatenated
	wordOff []uint32 // word i is text[wordOff[i]:wordOff[i+1]]
	slots   []uint32 // hash index of the words: id+1, 0 for an empty slot
	shift   uint     // 64 - log2(len(slots))
	mask    []POSMask
	counts  []uint32 // 4 per word: tag counts by part of speech

	synEnd  [4]uint32 // synsets [synEnd[p-1], synEnd[p]) have part of speech p
	members csr       // per synset
	hyper   csr       // per synset
	senses  csr       // per word

	related, antonyms, attributes csr // per word

	excForm []uint32 // sorted
	excPOS  []POSMask
	excBase []uint32
}

func (t *table) word(id uint32) string { return t.text[t.wordOff[id]:t.wordOff[id+1]] }

func (t *table) id(w string) (uint32, bool) { return t.find(w, "", "") }

// hash3 is FNV-1a over the bytes of a, b and c in turn, so that a word can
// be looked up in pieces without being built.
func hash3(a, b, c string) uint64 {
	h := uint64(14695981039346656037)
	for _, s := range [3]string{a, b, c} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
	}
	return h
}

// slot is the first slot to probe for hash h (Fibonacci hashing spreads
// FNV's weaker low bits).
func (t *table) slot(h uint64) uint64 { return (h * 0x9E3779B97F4A7C15) >> t.shift }

// find looks up the word a+b+c.
func (t *table) find(a, b, c string) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(hash3(a, b, c)); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		w := t.word(s - 1)
		if len(w) == len(a)+len(b)+len(c) && w[:len(a)] == a && w[len(a):len(a)+len(b)] == b && w[len(a)+len(b):] == c {
			return s - 1, true
		}
	}
}

// buildIndex fills the hash index at a load of at most three quarters.
func (t *table) buildIndex() {
	n := len(t.wordOff) - 1
	bits := uint(1)
	for 1<<bits < n+n/3+1 {
		bits++
	}
	t.slots = make([]uint32, 1<<bits)
	t.shift = 64 - bits
	mask := uint64(len(t.slots) - 1)
	for id := 0; id < n; id++ {
		i := t.slot(hash3(t.word(uint32(id)), "", ""))
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = uint32(id) + 1
	}
}

func (t *table) count(id uint32, p int) uint32 { return t.counts[4*int(id)+p] }

func (t *table) synPOS(s uint32) POSMask {
	for p, end := range t.synEnd {
		if s < end {
			return AllPOS[p]
		}
	}
	return 0
}

// exceptions returns the range of exception entries for word id.
func (t *table) exceptions(id uint32) (lo, hi int) {
	lo = sort.Search(len(t.excForm), func(i int) bool { return t.excForm[i] >= id })
	hi = lo
	for hi < len(t.excForm) && t.excForm[hi] == id {
		hi++
	}
	return lo, hi
}

var errTruncated = errors.New("table ends early")

// reader reads the payload's uvarints; the first error sticks.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 {
		r.err = fmt.Errorf("byte %d: %w", r.pos, errTruncated)
		return 0
	}
	r.pos += n
	return v
}

// id reads a uvarint that must be below limit.
func (r *reader) id(limit int) uint32 {
	v := r.uvarint()
	if r.err == nil && v >= uint64(limit) {
		r.err = fmt.Errorf("byte %d: id %d out of range (%d)", r.pos, v, limit)
		return 0
	}
	return uint32(v)
}

func (r *reader) byte() byte {
	if r.err == nil && r.pos >= len(r.b) {
		r.err = fmt.Errorf("byte %d: %w", r.pos, errTruncated)
	}
	if r.err != nil {
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}

func (r *reader) bytes(n int) []byte {
	if r.err == nil && (n < 0 || n > len(r.b)-r.pos) {
		r.err = fmt.Errorf("byte %d: %w", r.pos, errTruncated)
	}
	if r.err != nil {
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos]
}

// maxIDs bounds the ids of one section, so that a corrupt count cannot ask
// for more memory than a real table needs many times over.
const maxIDs = 1 << 24

// init makes room for rows rows holding ids ids in all.
func (c *csr) init(rows int, ids uint32) {
	c.off = make([]uint32, 1, rows+1)
	c.val = make([]uint32, 0, ids)
}

// readRows reads a total and then rows lists of ids below limit into c.
func (r *reader) readRows(c *csr, rows, limit int) {
	c.init(rows, r.id(maxIDs))
	for i := 0; i < rows && r.err == nil; i++ {
		r.appendRow(c, limit)
	}
}

// appendRow reads one list of ids below limit as c's next row.
func (r *reader) appendRow(c *csr, limit int) {
	n := r.id(limit + 1) // a row holds each id at most once
	for j := uint32(0); j < n && r.err == nil; j++ {
		c.val = append(c.val, r.id(limit))
	}
	c.off = append(c.off, uint32(len(c.val)))
}

// decode reads a gzip'd table (format.go).
func decode(z []byte) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, err
	}
	// gzip's trailer holds the payload's size, which spares ReadAll's
	// regrowing; it is only a hint.
	size := 0
	if len(z) >= 4 {
		size = int(min(binary.LittleEndian.Uint32(z[len(z)-4:]), maxPayload))
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(zr, maxPayload+1)); err != nil {
		return nil, err
	}
	payload := buf.Bytes()
	if len(payload) > maxPayload {
		return nil, fmt.Errorf("payload larger than %d bytes", maxPayload)
	}
	return decodePayload(payload)
}

func decodePayload(payload []byte) (*table, error) {
	r := &reader{b: payload}
	if string(r.bytes(len(FormatMagic))) != FormatMagic {
		return nil, errors.New("not a lexicon table (bad magic)")
	}
	if v := r.uvarint(); r.err == nil && v != FormatVersion {
		return nil, fmt.Errorf("format version %d, want %d", v, FormatVersion)
	}
	t := &table{}
	n := int(r.id(maxIDs))
	text := make([]byte, 0, len(payload)/2)
	t.wordOff = make([]uint32, 1, n+1)
	prev := 0
	for i := 0; i < n && r.err == nil; i++ {
		shared := int(r.uvarint())
		if shared > len(text)-prev {
			return nil, fmt.Errorf("word %d: shares %d bytes with a shorter word", i, shared)
		}
		start := len(text)
		text = append(text, text[prev:prev+shared]...)
		text = append(text, r.bytes(int(r.uvarint()))...)
		prev = start
		t.wordOff = append(t.wordOff, uint32(len(text)))
	}
	t.text = string(text)
	if r.err != nil {
		return nil, r.err
	}
	t.buildIndex()
	t.mask = make([]POSMask, n)
	t.counts = make([]uint32, 4*n)
	for i := 0; i < n && r.err == nil; i++ {
		t.mask[i] = POSMask(r.byte())
		for p, bit := range AllPOS {
			if t.mask[i]&bit != 0 {
				t.counts[4*i+p] = uint32(min(r.uvarint(), 1<<32-1))
			}
		}
	}
	m := 0
	for p := range t.synEnd {
		m += int(r.id(maxIDs))
		t.synEnd[p] = uint32(m)
	}
	t.members.init(m, r.id(maxIDs))
	t.hyper.init(m, r.id(maxIDs))
	for s := 0; s < m && r.err == nil; s++ {
		r.appendRow(&t.members, n)
		r.appendRow(&t.hyper, m)
	}
	if r.err != nil {
		return nil, r.err
	}
	t.invertMembers(n)
	var order []uint32
	for w := 0; w < n && r.err == nil; w++ {
		row := t.senses.row(uint32(w))
		if len(row) < 2 {
			continue
		}
		order = append(order[:0], row...)
		for j := range row {
			row[j] = order[r.id(len(order))]
		}
	}
	r.readRows(&t.related, n, n)
	r.readRows(&t.antonyms, n, n)
	r.readRows(&t.attributes, n, n)
	k := int(r.id(maxIDs))
	form := uint32(0)
	for i := 0; i < k && r.err == nil; i++ {
		form += r.id(n - int(form))
		t.excForm = append(t.excForm, form)
		t.excPOS = append(t.excPOS, POSMask(r.byte()))
		t.excBase = append(t.excBase, r.id(n))
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(payload) {
		return nil, fmt.Errorf("%d bytes left over after the table", len(payload)-r.pos)
	}
	return t, nil
}

// invertMembers fills senses with each word's synsets in ascending order.
func (t *table) invertMembers(n int) {
	off := make([]uint32, n+1)
	for _, w := range t.members.val {
		off[w+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	val := make([]uint32, len(t.members.val))
	next := append([]uint32(nil), off[:n]...)
	for s := 0; s+1 < len(t.members.off); s++ {
		for _, w := range t.members.row(uint32(s)) {
			val[next[w]] = uint32(s)
			next[w]++
		}
	}
	t.senses = csr{off: off, val: val}
}
