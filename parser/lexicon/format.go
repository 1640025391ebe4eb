package lexicon

// The generated table, wordnet.bin, is a gzip stream (RFC 1952, no name, no
// time stamp) of the payload below. A uvarint is encoding/binary's unsigned
// varint; a list is a uvarint length followed by that many uvarints; a word id
// is an index into the sorted word list, a synset id an index into the
// synset list.
//
//	magic      "DCWN"
//	version    uvarint, FormatVersion
//	words      uvarint n, then n entries in byte order, each front-coded
//	           against the previous one: uvarint length of the shared
//	           prefix, uvarint length of the rest, the rest's bytes
//	pos        per word: one byte POSMask, then for each bit set (Noun, Verb,
//	           Adj, Adv in that order) a uvarint: the summed cntlist tag
//	           counts of the word's senses in that part of speech
//	synsets    four uvarints: how many noun, verb, adjective and adverb
//	           synsets follow, in that order; two uvarints: how many member
//	           ids and how many hypernym ids follow in all; then per synset a
//	           list of member word ids (the member most often tagged in this
//	           sense first) and a list of hypernym and instance-hypernym
//	           synset ids
//	senses     a word's senses are the synsets it is a member of; for each
//	           word with two or more, their order: per sense, most often
//	           tagged first across all parts of speech (ties to the lower
//	           WordNet sense number, then to the part of speech listed
//	           first), a uvarint giving its position among the word's
//	           synset ids in ascending order
//	related    uvarint total of the ids below, then per word a list of word
//	           ids: attribute links, derivationally related forms,
//	           pertainyms, participles, by sense
//	antonyms   the same shape: direct antonyms by sense; for a word without
//	           any, the indirect ones of its satellite senses through their
//	           heads
//	attributes the same shape: the nouns an adjective is a value of, its own
//	           "=" pointers, then those of its satellite senses' heads
//	exceptions uvarint k, then k entries sorted by form: uvarint form id minus
//	           the previous entry's form id, one byte POSMask bit, uvarint
//	           base word id
//
// Words are lower case with spaces between the words of a collocation.
const (
	// FormatMagic opens every payload.
	FormatMagic = "DCWN"
	// FormatVersion is the payload layout described above.
	FormatVersion = 1
)

// POSMask is a set of WordNet parts of speech.
type POSMask uint8

// The parts of speech; adjective satellites count as Adj.
const (
	Noun POSMask = 1 << iota
	Verb
	Adj
	Adv
)

// AllPOS lists the single parts of speech in the table's order.
var AllPOS = [4]POSMask{Noun, Verb, Adj, Adv}

// String names the parts of speech in m, such as "noun|verb".
func (m POSMask) String() string {
	names := [...]string{"noun", "verb", "adj", "adv"}
	s := ""
	for i, p := range AllPOS {
		if m&p != 0 {
			if s != "" {
				s += "|"
			}
			s += names[i]
		}
	}
	if s == "" {
		return "none"
	}
	return s
}
