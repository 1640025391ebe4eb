package chat

import "strings"

// Questions often name the thing a row stands for instead of a column:
// "which country has the most people", "who paid the most". When the
// table has one column that names its rows, that column is the answer.

// nonEntityNouns are nouns after "which" that ask for a time or a kind of
// value, never for the row's name.
var nonEntityNouns = set(`year years month months day days date dates time times period periods week weeks hour hours
season seasons quarter quarters decade decades century centuries value values number numbers amount amounts
column columns field fields variable variables type types kind kinds categories group groups class classes
level levels one ones`)

var nonEntityStems = func() map[string]bool {
	m := map[string]bool{}
	for w := range nonEntityNouns {
		m[stem(w)] = true
	}
	return m
}()

// nameColumn returns the text column that names the rows, or nil when
// there is none or several could. noun is the word the question used for
// the rows ("country"), or "" for "who".
func (st *qstate) nameColumn(noun string) *column {
	nameStem, titleStem := stem("name"), stem("title")
	var cands []*column
	for _, c := range st.s.cols {
		if c.kind != kindText || c.binary || st.s.info.Rows == 0 || float64(c.distinct) < 0.9*float64(st.s.info.Rows) {
			continue
		}
		for _, w := range c.words {
			if w == nameStem || w == titleStem {
				cands = append(cands, c)
				break
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	if noun != "" {
		// A table named for its rows ("countries.csv") is not about
		// cities.
		ns := stem(noun)
		table := strings.ToLower(st.s.info.Name)
		for w := range entityWords {
			if len(w) >= 4 && strings.Contains(table, w) && stem(w) != ns && !strings.Contains(table, ns) {
				return nil
			}
		}
	}
	if noun != "" {
		// "player_name" for "which player".
		var own []*column
		ns := stem(noun)
		for _, c := range cands {
			for _, w := range c.words {
				if w == ns {
					own = append(own, c)
					break
				}
			}
		}
		if len(own) == 1 {
			return own[0]
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	// "name" beside "local_name": the plain one.
	var plain []*column
	for _, c := range cands {
		if len(c.words) == 1 {
			plain = append(plain, c)
		}
	}
	if len(plain) == 1 {
		return plain[0]
	}
	return nil
}

// entityNoun reports whether the word at i names the rows rather than a
// column or value: a noun the data does not know, or a generic entity word.
func (st *qstate) entityNoun(i int) bool {
	if i < 0 || i >= len(st.toks) || st.toks[i].isNum || st.toks[i].quoted {
		return false
	}
	r := st.raw(i)
	if nonEntityStems[stem(r)] || len(r) < 3 {
		return false
	}
	if mi := st.at(i); mi >= 0 {
		return st.ms[mi].kind == mGeneric && st.ms[mi].end == i+1 && entityWords[r]
	}
	if entityWords[r] {
		return true
	}
	_, sup := superlatives[r]
	_, agg := aggWords[r]
	_, cmp := comparativeOps[r]
	return !sup && !agg && !cmp && !stopwords[r] && !knownWords[r] && !linkWords[r] && !fillers[r] && !negations[r] && !st.s.words[st.toks[i].stem]
}

// ownColumn returns the one column whose name holds noun ("customer_name"
// or "CustomerID" for "customers"), or nil.
func (st *qstate) ownColumn(noun string) *column {
	ns := stem(noun)
	var found *column
	for _, c := range st.s.cols {
		for _, w := range c.words {
			if w == ns {
				if found != nil && found != c {
					return nil
				}
				found = c
			}
		}
	}
	return found
}

// genericAttr finds a generic noun before pos that is followed by "of" and
// names one column ("the customer of the order ..."), with its mention.
func (st *qstate) genericAttr(pos int) (int, *column) {
	for gi, g := range st.ms {
		if g.kind != mGeneric || g.end != g.start+1 || g.end > pos || st.raw(g.end) != "of" || st.consumed[gi] {
			continue
		}
		if c := st.ownColumn(st.raw(g.start)); c != nil && (c.kind == kindText || c.kind == kindNumber) {
			return gi, c
		}
	}
	return -1, nil
}

// agentColumn returns the one text column named for whoever does verb
// ("directed" -> director, "produced" -> producer), or nil.
func (st *qstate) agentColumn(verb string) *column {
	base := stem(verb)
	var found *column
	for _, w := range []string{base, stem(base + "or"), stem(base + "er")} {
		c := st.ownColumn(w)
		if c == nil {
			continue
		}
		if found != nil && found != c {
			return nil
		}
		found = c
	}
	if found == nil || found.kind != kindText || found.binary {
		return nil
	}
	return found
}
