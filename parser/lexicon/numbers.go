package lexicon

import (
	"strconv"
	"strings"
)

// numberWords are the cardinal words Number reads.
var numberWords = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

// scaleWords multiply what comes before them ("three thousand").
var scaleWords = map[string]float64{
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// multiplierWords stand alone as a factor: "twice as many".
var multiplierWords = map[string]float64{
	"once": 1, "twice": 2, "thrice": 3,
	"double": 2, "triple": 3, "treble": 3, "quadruple": 4,
}

// ordinalWords are the ordinals Ordinal reads; compounds ("twenty-first")
// join a tens word and one of the first nine with a hyphen.
var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
	"sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
	"hundredth": 100, "thousandth": 1000, "millionth": 1e6,
}

// fromEnd are ordinals counted from the end: Ordinal gives -1 for the last.
var fromEnd = map[string]int{
	"last": -1, "final": -1, "penultimate": -2, "second-to-last": -2,
	"next-to-last": -2, "antepenultimate": -3, "third-to-last": -3,
}

// Ordinal reads an ordinal: a word ("third", "twenty-first"), digits with
// their English suffix ("1st", "22nd", "113th"), or a position from the end
// as a negative number ("last" -1, "penultimate" -2).
func Ordinal(word string) (int, bool) {
	word = lower(word)
	if v, ok := ordinalWords[word]; ok {
		return v, true
	}
	if v, ok := fromEnd[word]; ok {
		return v, true
	}
	if tens, unit, ok := strings.Cut(word, "-"); ok {
		t, okT := numberWords[tens]
		u, okU := ordinalWords[unit]
		if okT && okU && t >= 20 && int(t)%10 == 0 && u < 10 {
			return int(t) + u, true
		}
		return 0, false
	}
	if len(word) < 3 {
		return 0, false
	}
	digits, suf := word[:len(word)-2], word[len(word)-2:]
	n, err := strconv.Atoi(digits)
	if err != nil || n <= 0 || digits[0] == '+' || digits[0] == '0' {
		return 0, false
	}
	want := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			want = "st"
		case 2:
			want = "nd"
		case 3:
			want = "rd"
		}
	}
	return n, suf == want
}

// numKind is what the last part of a number phrase was.
type numKind int

const (
	kNone numKind = iota
	kSign         // "minus"
	kA            // "a" before a scale ("a hundred") or "half a"
	kZero
	kUnit   // one..nine
	kTeen   // ten..nineteen
	kTens   // twenty..ninety
	kDigits // 1,200 or 3.5
	kHundred
	kScale // thousand, million, ...
	kDozen
	kHalf  // "half", or "and a half" complete
	kAnd   // "and" inside a number
	kAndA  // "and a" before "half"
	kMulti // twice, double: nothing may follow
)

// numState is a number phrase read so far.
type numState struct {
	kind      numKind
	afterAnd  numKind // what "and" followed
	neg       bool
	total     float64 // completed thousands, millions, ...
	cur       float64 // the group under construction
	lastScale float64
}

func (s numState) complete() bool {
	switch s.kind {
	case kNone, kSign, kA, kAnd, kAndA:
		return false
	}
	return true
}

// afterGroup reports an "and" after hundreds or thousands ("two hundred
// and five"), which a smaller number may follow.
func (s numState) afterGroup() bool {
	return s.kind == kAnd && (s.afterAnd == kHundred || s.afterAnd == kScale)
}

func (s numState) value() float64 {
	v := s.total + s.cur
	if s.neg {
		return -v
	}
	return v
}

// word reads one word of the phrase: a signed number whole, any other word
// hyphen by hyphen ("twenty-one").
func (s *numState) word(w string, first bool) bool {
	if _, ok := parseDigits(w); ok {
		return s.step(w, first)
	}
	for rest, j := w, 0; ; j++ {
		part, tail, more := strings.Cut(rest, "-")
		if part == "" || !s.step(part, first && j == 0) {
			return false
		}
		if !more {
			return true
		}
		rest = tail
	}
}

// step reads one word (or one part of a hyphenated word) and reports
// whether it continues the phrase.
func (s *numState) step(w string, first bool) bool {
	if s.kind == kMulti {
		return false
	}
	if v, ok := numberWords[w]; ok {
		switch {
		case v == 0:
			if s.kind != kNone && s.kind != kSign {
				return false
			}
			s.kind = kZero
		case v < 10:
			if !(s.kind == kNone || s.kind == kSign || s.kind == kTens || s.kind == kHundred ||
				s.kind == kScale || s.afterGroup()) {
				return false
			}
			s.cur += v
			s.kind = kUnit
		default:
			if !(s.kind == kNone || s.kind == kSign || s.kind == kHundred || s.kind == kScale ||
				s.afterGroup()) {
				return false
			}
			s.cur += v
			s.kind = kTeen
			if v >= 20 {
				s.kind = kTens
			}
		}
		return true
	}
	if v, ok := scaleWords[w]; ok {
		switch s.kind {
		case kNone, kA:
			if s.cur == 0 {
				s.cur = 1
			}
		case kUnit, kTeen, kTens, kDigits, kHundred, kDozen, kHalf:
		default:
			return false
		}
		if s.lastScale != 0 && v >= s.lastScale {
			return false
		}
		s.total += s.cur * v
		s.cur = 0
		s.lastScale = v
		s.kind = kScale
		return true
	}
	switch w {
	case "hundred":
		switch s.kind {
		case kNone, kA:
			if s.cur == 0 {
				s.cur = 1
			}
		case kUnit, kTeen, kDigits:
		default:
			return false
		}
		if s.cur >= 100 {
			return false
		}
		s.cur *= 100
		s.kind = kHundred
	case "dozen":
		switch s.kind {
		case kA:
			if s.cur == 0 {
				s.cur = 1
			}
		case kUnit, kTeen, kTens, kDigits:
		default:
			return false
		}
		s.cur *= 12
		s.kind = kDozen
	case "minus", "negative":
		if s.kind != kNone {
			return false
		}
		s.neg, s.kind = true, kSign
	case "a", "an":
		switch s.kind {
		case kNone:
			if !first {
				return false
			}
			s.kind = kA
		case kHalf: // "half a million"
			s.kind = kA
		case kAnd:
			s.kind = kAndA
		default:
			return false
		}
	case "half":
		switch s.kind {
		case kNone, kSign:
			s.cur = 0.5
		case kAndA:
			s.cur += 0.5
		default:
			return false
		}
		s.kind = kHalf
	case "and":
		switch s.kind {
		case kUnit, kTeen, kTens, kDigits, kHundred, kScale, kDozen:
		default:
			return false
		}
		s.afterAnd = s.kind
		s.kind = kAnd
	default:
		if v, ok := multiplierWords[w]; ok && s.kind == kNone {
			s.cur, s.kind = v, kMulti
			return true
		}
		v, ok := parseDigits(w)
		if !ok || !(s.kind == kNone || s.kind == kSign) {
			return false
		}
		s.cur, s.kind = v, kDigits
	}
	return true
}

// parseDigits reads a plain decimal number: digits, optionally grouped in
// threes with commas, an optional fraction, an optional leading sign.
func parseDigits(w string) (float64, bool) {
	body := strings.TrimLeft(w, "+-")
	if len(w)-len(body) > 1 || body == "" {
		return 0, false
	}
	intPart, frac, hasFrac := strings.Cut(body, ".")
	if hasFrac && (frac == "" || strings.IndexFunc(frac, notDigit) >= 0) {
		return 0, false
	}
	if intPart == "" && !hasFrac {
		return 0, false
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		intPart = strings.Join(groups, "")
	}
	if strings.IndexFunc(intPart, notDigit) >= 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64)
	return v, err == nil
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

// Number reads the longest number phrase at the start of words (one word
// per element, lower case) and returns its value and how many words it
// took: digits ("1,200", "3.5"), cardinals ("twenty-one", "twenty one",
// "two hundred and five", "three thousand", "a million", "2 million"),
// "a dozen", "half" (0.5), "half a million", "two and a half", a leading
// "minus", and the multipliers "once", "twice", "thrice", "double",
// "triple" standing alone. A hyphenated word counts whole or not at all.
func Number(words []string) (value float64, n int, ok bool) {
	var s numState
	for i, w := range words {
		w = lower(w)
		next := s
		if !next.word(w, i == 0) {
			break
		}
		s = next
		if s.complete() {
			value, n, ok = s.value(), i+1, true
		}
	}
	return value, n, ok
}
