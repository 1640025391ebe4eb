package chat

import (
	"context"
	"sort"
	"strings"
)

// mentionKind says what a span of question words refers to.
type mentionKind int

const (
	mColumn  mentionKind = iota + 1 // a column
	mValue                          // a value of a text column
	mGeneric                        // words about the data that name no single column
)

// mention is a span of tokens [start, end) that refers to the data.
type mention struct {
	start, end int
	kind       mentionKind
	col        *column
	value      string
	score      float64
	ambiguous  []*column // other columns holding the same value
}

type candidate struct {
	kind  mentionKind
	col   *column
	value string
	score float64
}

const maxSpan = 5

// findMentions matches spans of the question to columns and values,
// longest and best first, without overlaps. Each span is matched against
// every column and value, so it stops early when ctx is done.
func findMentions(ctx context.Context, s *schema, toks []token) []mention {
	type scored struct {
		m     mention
		cands []candidate
	}
	var all []scored
	for i := range toks {
		if ctx.Err() != nil {
			break
		}
		if i == 0 && len(toks) > 1 && (toks[0].raw == "name" || toks[0].raw == "list" || toks[0].raw == "show") &&
			(toks[1].raw == "the" || toks[1].raw == "all" || toks[1].isNum) {
			continue // "Name the 2 countries ...": a command, not a column or value
		}
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			span := toks[i:j]
			if (hasNumber(span) && !s.numericNames) || (j-i > 1 && hasQuoted(span)) {
				break
			}
			cands := matchSpan(s, span)
			if len(cands) == 0 {
				continue
			}
			sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
			all = append(all, scored{m: mention{start: i, end: j}, cands: cands})
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		la, lb := all[a].m.end-all[a].m.start, all[b].m.end-all[b].m.start
		if all[a].cands[0].score != all[b].cands[0].score && (la == lb || all[a].cands[0].score >= 0.9 || all[b].cands[0].score >= 0.9) {
			return all[a].cands[0].score > all[b].cands[0].score
		}
		if la != lb {
			return la > lb
		}
		return all[a].m.start < all[b].m.start
	})
	used := make([]bool, len(toks))
	var out []mention
	for _, sc := range all {
		free := true
		for k := sc.m.start; k < sc.m.end; k++ {
			if used[k] {
				free = false
			}
		}
		if !free {
			continue
		}
		m := sc.m
		best := sc.cands[0]
		m.kind, m.col, m.value, m.score = best.kind, best.col, best.value, best.score
		for _, c := range sc.cands[1:] {
			if best.kind == mColumn && c.kind == mColumn && best.score < 0.95 && c.col != best.col && m.end-m.start == 1 {
				// One word naming part of several columns ("home" in
				// "Home Team" and "Home Score") names none of them.
				m.kind, m.col = mGeneric, nil
				break
			}
			if c.score < best.score || c.col == best.col {
				continue
			}
			if best.kind == mValue && c.kind == mValue {
				m.ambiguous = append(m.ambiguous, c.col)
			} else if best.kind == mColumn && c.kind == mColumn {
				m.kind, m.col = mGeneric, nil
			}
		}
		for k := m.start; k < m.end; k++ {
			used[k] = true
		}
		out = append(out, m)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return mergeSplit(toks, out)
}

// mergeSplit joins two mentions of one column split by "in" or "of"
// ("amount in USD" for amount_usd) into one.
func mergeSplit(toks []token, ms []mention) []mention {
	var out []mention
	for _, m := range ms {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.kind == mColumn && m.kind == mColumn && p.col == m.col && m.start == p.end+1 &&
				(toks[p.end].raw == "in" || toks[p.end].raw == "of") && len(p.ambiguous) == 0 && len(m.ambiguous) == 0 {
				p.end = m.end
				p.score = max(p.score, m.score)
				continue
			}
			// "years of experience" for years_experience: a word shared by
			// several columns, then the one it belongs to.
			if p.kind == mGeneric && p.end == p.start+1 && m.kind == mColumn && m.start == p.end+1 && toks[p.end].raw == "of" &&
				len(m.ambiguous) == 0 && hasWord(m.col.words, toks[p.start].stem) {
				*p = mention{start: p.start, end: m.end, kind: mColumn, col: m.col, score: m.score}
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

func hasNumber(ts []token) bool {
	for _, t := range ts {
		if t.isNum {
			return true
		}
	}
	return false
}

func hasQuoted(ts []token) bool {
	for _, t := range ts {
		if t.quoted {
			return true
		}
	}
	return false
}

// matchSpan lists the columns and values a span of tokens may name.
func matchSpan(s *schema, span []token) []candidate {
	var stems []string
	var raws []string
	content := false
	for _, t := range span {
		if t.isNum {
			stems = append(stems, t.raw)
			raws = append(raws, t.raw)
			continue
		}
		if t.quoted {
			stems = append(stems, strings.Fields(t.stem)...)
			raws = append(raws, t.raw)
			content = true
			continue
		}
		stems = append(stems, t.stem)
		raws = append(raws, t.raw)
		if !stopwords[t.raw] && !skipWords[t.raw] {
			content = true
		}
	}
	if len(stems) == 0 {
		return nil
	}
	// A span may not start or end with a filler word unless it names a
	// column or value exactly.
	edgeStop := stopwords[raws[0]] || stopwords[raws[len(raws)-1]] || skipWords[raws[0]] || skipWords[raws[len(raws)-1]]
	phrase := strings.Join(raws, " ")
	quoted := len(span) == 1 && span[0].quoted
	var out []candidate
	for _, c := range s.cols {
		if acronym(c, raws) {
			out = append(out, candidate{kind: mColumn, col: c, score: 0.9})
			continue
		}
		if quoted && strings.EqualFold(strings.TrimSpace(c.Name), phrase) {
			out = append(out, candidate{kind: mColumn, col: c, score: 1.2})
			continue
		}
		if sc := columnScore(c, stems, raws); sc > 0 && (content || sc >= 1) && (!edgeStop || sc >= 0.95) {
			if sc < 0.95 && (idLike(c.Name) || len(span) == 1 && entityWords[raws[0]]) {
				// "passengers" is not PassengerId; an id column is named in full.
				out = append(out, candidate{kind: mGeneric, score: sc})
				continue
			}
			out = append(out, candidate{kind: mColumn, col: c, score: sc})
		}
		for vi, v := range c.values {
			if c.binary {
				continue
			}
			if quoted && strings.EqualFold(strings.TrimSpace(v), phrase) {
				out = append(out, candidate{kind: mValue, col: c, value: v, score: 1.2})
				continue
			}
			if !content {
				continue
			}
			if c.many && !namelike(span) {
				continue
			}
			if sc := valueScore(c.valueStems[vi], v, stems, raws); sc > 0 && (!edgeStop || sc >= 1) && (!c.many || sc >= 1) {
				out = append(out, candidate{kind: mValue, col: c, value: v, score: sc})
			}
		}
	}
	return out
}

// skipWords may sit inside a name but never start or end a mention.
var skipWords = set(`and or of the a an in on at for to with by`)

func equalStems(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func subRun(whole, part []string) bool {
	for i := 0; i+len(part) <= len(whole); i++ {
		if equalStems(whole[i:i+len(part)], part) {
			return true
		}
	}
	return false
}

// columnScore rates how well question words name a column: 1 for its
// whole name, less for part of it, a synonym or an abbreviation.
func columnScore(c *column, stems, raws []string) float64 {
	words := c.words
	switch {
	case len(words) == 0:
		return 0
	case equalStems(words, stems):
		return 1
	case len(c.labelWords) > 0 && equalStems(c.labelWords, stems):
		return 0.95
	case len(raws) == 1 && len(words) > 1 && raws[0] == strings.Join(splitName(c.Name), ""):
		return 1 // sibsp -> SibSp
	}
	best := 0.0
	if len(stems) < len(words) && subRun(words, stems) {
		best = 0.5 + 0.4*float64(len(stems))/float64(len(words))
	}
	if len(c.labelWords) > 0 && len(stems) < len(c.labelWords) && subRun(c.labelWords, stems) {
		if sc := 0.45 + 0.4*float64(len(stems))/float64(len(c.labelWords)); sc > best {
			best = sc
		}
	}
	if len(stems) == 1 && !knownWords[raws[0]] {
		q, raw := stems[0], raws[0]
		for _, w := range append(append([]string{}, words...), c.labelWords...) {
			switch {
			case q == w:
				// Already scored as a sub-run.
			case sameConcept(q, w) || sameConcept(raw, w):
				sc := 0.55
				if len(words) > 1 {
					sc = 0.5
				}
				if sc > best {
					best = sc
				}
			case len(w) >= 4 && len(raw) > len(w) && strings.HasPrefix(raw, w) && !stopwords[raw]:
				// qty -> quantity, abbreviated column names
				if best < 0.5 {
					best = 0.5
				}
			case len(words) == 1 && len(q) >= 5 && len(w) > len(q) && len(w)-len(q) <= 2 && strings.HasSuffix(w, q):
				// pclass -> class
				if best < 0.5 {
					best = 0.5
				}
			}
		}
	}
	return best
}

// valueScore rates how well question words name a value of a column.
func valueScore(vstems []string, v string, stems, raws []string) float64 {
	if len(vstems) == 0 {
		return 0
	}
	if equalStems(vstems, stems) {
		if strings.EqualFold(strings.Join(raws, " "), strings.Join(splitName(v), " ")) {
			return 1.05
		}
		return 1
	}
	if len(vstems) == 1 && len(stems) == 1 {
		lv := strings.ToLower(strings.TrimSpace(v))
		if g := valueConcept[lv]; g > 0 && (valueConcept[raws[0]] == g || valueConcept[stems[0]] == g) {
			return 0.9 // women -> female
		}
		if len(lv) >= 4 && len(raws[0]) > len(lv) && strings.HasPrefix(raws[0], lv) && demonymSuffix[raws[0][len(lv):]] {
			return 0.7 // northeastern -> northeast, brazilians -> Brazil
		}
	}
	return 0
}

// acronym reports whether words spell a column's name by their initials
// (gross domestic product -> GDP).
func acronym(c *column, raws []string) bool {
	if len(raws) < 2 || len(c.words) != 1 || len(c.words[0]) != len(raws) {
		return false
	}
	name := strings.ToLower(strings.Join(splitName(c.Name), ""))
	if len(name) != len(raws) {
		return false
	}
	for i, r := range raws {
		if r == "" || r[0] != name[i] || stopwords[r] {
			return false
		}
	}
	return true
}

// namelike reports whether a span is written like a name: its content
// words are capitalised (the span may not start the question, where every
// word is capitalised).
func namelike(span []token) bool {
	content := 0
	for _, t := range span {
		if stopwords[t.raw] || skipWords[t.raw] || t.isNum {
			continue
		}
		if !t.cap {
			return false
		}
		content++
	}
	return content > 0
}

// demonymSuffix are endings that turn a place or group into a word for its
// people or things (northeast-ern, brazil-ian-s); "indiana" is not "india".
var demonymSuffix = set(`s es n ns an ans ian ians ern erns ese ish i is er ers ic`)

func hasWord(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}
