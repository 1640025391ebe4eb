package chat

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// planQuestion turns one question about one table into a plan. It
// abstains when any word of the question is left unexplained, when a
// column's role is unclear, or when no known kind of question fits.
// Planning stops, abstaining with the reason planExpired, when ctx is done.
func planQuestion(ctx context.Context, s *schema, text string) *plan {
	toks := tokenize(text)
	if len(toks) == 0 {
		return abstain("the question is empty")
	}
	if len(toks) > maxQuestionWords {
		return abstain("the question is too long (over %d words); ask it in fewer words", maxQuestionWords)
	}
	st := &qstate{question: newQuestion(ctx, s, toks), dangling: -1}
	st.consumed = make([]bool, len(st.ms))
	var p *plan
	if !st.expired() {
		p = st.decide()
	}
	if !st.expired() && p.Intent != intentAbstain {
		p = st.compareValues(p)
	}
	if st.expired() {
		p = abstain("%s", planExpired)
	} else if p.Intent != intentAbstain {
		if st.check != nil && p.Intent != intentCompare {
			p = abstain("I could not place the comparison with an aggregate")
		} else if st.orConditions() {
			p = abstain("I can only combine conditions with and, or alternatives of one column")
		} else if st.dangling >= 0 && p.Intent != intentCompareGroups {
			p = abstain("I could not tell what %q compares with", st.raw(st.dangling))
		} else if c := st.namedNonText(p); c != "" {
			// "the name of the month": month numbers read as January-December.
			if base, ok := monthBase(st.colByName(c)); ok {
				p.MonthName, p.MonthBase = true, base
			} else {
				p = abstain("the question asks for a name but %s holds numbers", quoteIdent(c))
			}
		} else if st.problem != "" {
			p = abstain("%s", st.problem)
		} else if w := st.unexplained(); len(w) > 0 {
			p = abstain("I don't know what %q means for this data", strings.Join(w, " "))
		} else if free := st.freeColumns(); len(free) > 0 {
			p = abstain("I am not sure what to do with %s", quoteIdent(st.ms[free[0]].col.Name))
		}
	}
	p.Table = s.info.Name
	p.schema = s
	return p
}

// maxQuestionWords bounds the words of one question: some rules look at
// every pair of words.
const maxQuestionWords = 400

// planExpired is the reason of a plan cut short by its context.
const planExpired = "planning was stopped before it ended"

func (st *qstate) decide() *plan {
	st.useWords("is it true that", "true or false", "answer true or false", "in this dataset", "in the dataset", "of the dataset", "in the data", "in the table", "in total", "altogether")
	st.limits()
	st.valueFilters()
	st.textFilters()
	st.namedFilters()
	st.splitComparisons()
	st.numericFilters()
	st.signFilters()
	st.nullFilters()
	st.equalityNumbers()
	st.onDates()
	st.quotedLookups()
	if st.problem != "" {
		return abstain("%s", st.problem)
	}
	if i, _ := st.firstOf("how many more", "how many fewer", "how many less", "how much more", "how much less", "how much higher", "how much lower", "how much bigger", "how much larger", "how much smaller"); i == 0 {
		// A difference between two amounts, which no plan computes yet.
		return abstain("I cannot compute differences between two amounts yet")
	}
	if p := st.meta(); p != nil {
		return p
	}
	first := st.raw(0)
	if first == "is" && st.raw(1) == "it" && st.raw(2) == "true" {
		first = "is"
	}
	switch first {
	case "is", "are", "does", "do", "did", "was", "were", "has", "have", "can", "could":
		return st.decideBool()
	}
	if st.has("true or false") {
		return st.decideBool()
	}
	if p := st.groupRanking(); p != nil {
		return p
	}
	for _, w := range []string{"percentage", "percent", "proportion", "share", "fraction", "rate"} {
		if st.has(w) {
			return st.decideShare()
		}
	}
	if p := st.decideMode(); p != nil {
		return p
	}
	if p := st.groupRanking(); p != nil {
		return p
	}
	if p := st.decideWhich(); p != nil {
		return p
	}
	if p := st.decideAggregate(); p != nil {
		return p
	}
	if p := st.decideCount(); p != nil {
		return p
	}
	if p := st.decideRanked(); p != nil {
		return p
	}
	return st.decideList()
}

// meta answers questions about the table itself and whole-table
// statistics: column counts and lists, labels, correlation, missing values.
func (st *qstate) meta() *plan {
	colWords := []string{"columns", "variables", "fields", "features", "attributes", "column"}
	if len(st.ms) == 0 && len(st.filters) == 0 {
		for _, w := range colWords {
			if st.has("how many "+w, "number of "+w, "count of "+w, "count the "+w) {
				st.useWords("how many", "number of", "count of", "count the", w)
				return &plan{Intent: intentColumnCount, Single: true}
			}
		}
		if st.has("missing", "null", "nulls", "empty", "blank") {
			return &plan{Intent: intentMissing}
		}
		for _, w := range colWords {
			if st.has(w) && st.has("list", "what are", "which", "show", "name", "what", "give") {
				st.useWords(w)
				return &plan{Intent: intentListColumns}
			}
		}
	}
	free := st.freeColumns()
	if st.has("correlation", "correlated", "correlate", "relationship", "relation") {
		switch st.raw(0) {
		case "is", "are", "does", "do", "was", "were":
			return abstain("whether a correlation counts as one is a judgement; ask for the correlation instead")
		}
		if len(free) == 2 && len(st.filters) == 0 && st.ms[free[0]].col != st.ms[free[1]].col {
			a, b := st.ms[free[0]].col, st.ms[free[1]].col
			if a.kind != kindNumber || b.kind != kindNumber {
				return abstain("correlation needs two numeric columns")
			}
			st.consume(free[0])
			st.consume(free[1])
			return &plan{Intent: intentCorrelation, Select: []string{a.Name, b.Name}, Single: true}
		}
		return abstain("I need exactly two numeric columns to correlate")
	}
	if len(free) == 1 && len(st.filters) == 0 && st.has("mean", "means", "meaning", "represent", "represents", "stand for", "describe", "definition") &&
		!st.has("average", "median") && (st.has("what does", "what do", "meaning of", "describe", "what is meant")) {
		c := st.ms[free[0]].col
		st.consume(free[0])
		return &plan{Intent: intentDescribe, Target: c.Name, Single: true}
	}
	if len(free) == 1 && len(st.filters) == 0 && st.has("missing", "null", "nulls") && st.has("how many") {
		c := st.ms[free[0]].col
		st.consume(free[0])
		st.useWords("missing", "null", "nulls")
		return &plan{Intent: intentAggregate, Agg: aggCount, Filters: []filter{{Col: c.Name, Op: "null"}}, Single: true}
	}
	return nil
}

// groupBy finds "by X", "per X", "for each X", "in each X", "across X".
func (st *qstate) groupBy() (col *column, fn string, ok bool) {
	for i := 0; i < len(st.toks); i++ {
		w := st.raw(i)
		if w != "by" && w != "per" && w != "each" && w != "every" && w != "across" {
			continue
		}
		if w == "by" && (st.limit > 0 || st.raw(i-1) == "sorted" || st.raw(i-1) == "ordered" || passiveVerb(st.raw(i-1))) {
			// "paid by survivors", "written by": an agent, not a grouping.
			continue
		}
		j := i + 1
		if st.raw(j) == "the" || st.raw(j) == "each" || st.raw(j) == "every" {
			j++
		}
		if mi := st.at(j); j < len(st.toks) && mi >= 0 && st.ms[mi].kind == mColumn {
			st.use(i, j)
			st.consume(mi)
			return st.ms[mi].col, "", true
		}
		if p := st.raw(j); p == "year" || p == "month" || p == "years" || p == "months" {
			if c := st.onlyDateColumn(); c != nil {
				st.use(i, j+1)
				return c, monthFunc(st, c, strings.TrimSuffix(p, "s")), true
			}
		}
		if st.raw(j) == "calendar" && (st.raw(j+1) == "month" || st.raw(j+1) == "months") {
			if c := st.onlyDateColumn(); c != nil {
				st.use(i, j+2)
				return c, "month", true
			}
		}
	}
	return nil, "", false
}

// irregularParticiples are past participles that do not end in -ed.
var irregularParticiples = set(`paid made written done taken held owned sold spent given won bought brought caught built drawn driven eaten grown known seen shown thrown worn chosen`)

// passiveVerb reports whether w is a past participle, so that "by" after
// it names who did something ("paid by survivors") rather than groups.
func passiveVerb(w string) bool {
	if groupingVerbs[w] {
		return false
	}
	return irregularParticiples[w] || len(w) > 4 && strings.HasSuffix(w, "ed")
}

// groupingVerbs are participles whose "by" does group: "grouped by class".
var groupingVerbs = set(`grouped sorted ordered ranked split broken separated categorized categorised classified aggregated segmented divided partitioned listed summarized summarised counted totaled totalled averaged bucketed binned clustered arranged organized organised`)

// superlative finds the first superlative word outside "most common".
func (st *qstate) superlative() (pos int, desc bool) {
	for i := range st.toks {
		d, ok := superlatives[st.raw(i)]
		if !ok {
			continue
		}
		if st.raw(i) == "top" || st.raw(i) == "bottom" {
			if st.limit == 0 {
				continue
			}
			// "top 4 highest fares": the later word says what to sort by.
			j := i + 1
			for j < len(st.toks) && (st.toks[j].isNum || fillers[st.raw(j)]) {
				j++
			}
			if _, ok := superlatives[st.raw(j)]; ok {
				st.use(i, i+1)
				continue
			}
		}
		return i, d
	}
	return -1, false
}

// orderColumn finds the column a superlative at pos sorts by: the
// superlative word itself (oldest -> age) or the column after it.
func (st *qstate) orderColumn(pos int) (int, *column) {
	if mi := st.at(pos); mi >= 0 && st.ms[mi].kind == mColumn {
		// "hottest temperatures": the next mention may repeat the column.
		if mj, m := st.mentionAfter(st.ms[mi].end-1, 2); m != nil && m.kind == mColumn && m.col == st.ms[mi].col {
			st.consume(mj)
		}
		return mi, st.ms[mi].col
	}
	k := pos
	for k+1 < len(st.toks) && st.at(k+1) < 0 && (st.raw(k+1) == "number" || st.raw(k+1) == "amount" || st.raw(k+1) == "of" || st.raw(k+1) == "value" || fillers[st.raw(k+1)] || st.toks[k+1].isNum && k+1 == st.limitAt) {
		k++
	}
	if mi, m := st.mentionAfter(k, 0); m != nil && m.kind == mColumn {
		return mi, m.col
	}
	if w := st.raw(pos); w == "earliest" || w == "latest" || w == "newest" {
		if c := st.onlyDateColumn(); c != nil {
			return -1, c
		}
	}
	return -1, nil
}

func (st *qstate) decideBool() *plan {
	st.useWords("is it true that", "is it true", "true or false")
	neg := false
	if i, n := st.firstOf("there are no", "there is no", "there were no", "there was no", "no one", "nobody", "none of"); i >= 0 {
		neg = true
		st.use(i, i+n)
	}
	// Two groups compared: "do women survive more than men?"
	if p := st.compareGroups(); p != nil {
		return p
	}
	// "Is S the most common port?": the mode compared with a value.
	if i, n := st.firstOf("most common", "most frequent", "most popular", "least common", "least frequent"); i >= 0 {
		var expect *filter
		var rest []filter
		for _, f := range st.filters {
			if f.Op == "=" && len(f.Alts) == 0 && expect == nil {
				if c := st.colByName(f.Col); c != nil && c.kind == kindText {
					expect = &f
					continue
				}
			}
			rest = append(rest, f)
		}
		if expect == nil {
			return abstain("I could not find the value to compare with the most common one")
		}
		st.use(i, i+n)
		st.consumeCol(st.colByName(expect.Col))
		before := len(st.filters)
		st.binaryFilters()
		rest = append(rest, st.filters[before:]...)
		return &plan{Intent: intentGroup, Agg: aggCount, GroupBy: expect.Col, Filters: rest, OrderAgg: true, Desc: st.raw(i) == "most",
			Limit: 1, Single: true, GroupOnly: true, Expect: expect.Value}
	}
	if st.check != nil {
		st.binaryFilters()
		c := st.check
		return &plan{Intent: intentCompare, Agg: c.Value2.(string), Target: c.Col, Op: c.Op, Threshold: c.Value.(float64), Filters: st.filters, Single: true}
	}
	if i, n := st.firstOf("are all", "do all", "is every", "does every", "are every", "did all", "were all", "all of the", "all the", "all"); i >= 0 {
		st.use(i, i+n)
		st.binaryFilters()
		if len(st.filters) == 0 {
			return abstain("I could not find the condition to check")
		}
		fs := sortedFilters(st.filters)
		return &plan{Intent: intentAll, Filters: fs[:len(fs)-1], Cond: fs[len(fs)-1:], Single: true}
	}
	// A superlative row checked against a condition: "is the oldest
	// passenger a woman?"
	if pos, desc := st.superlative(); pos >= 0 && st.limit == 0 {
		mi, oc := st.orderColumn(pos)
		if oc != nil {
			st.consume(mi)
			st.consumeCol(oc)
			st.use(pos, pos+1)
			st.binaryFilters()
			if len(st.filters) != 1 {
				return abstain("I could not find one condition to check")
			}
			return &plan{Intent: intentRows, Cond: st.filters, OrderBy: oc.Name, Desc: desc, Limit: 1, Single: true}
		}
	}
	st.binaryFilters()
	if len(st.filters) == 0 {
		return abstain("I could not find what to look for")
	}
	st.useWords("any", "anyone", "anybody", "anything", "there", "contain", "contains", "have", "has", "include", "includes", "at least one", "some")
	return &plan{Intent: intentExists, Filters: st.filters, Negate: neg, Single: true}
}

// compareGroups reads "do women survive more than men?" and "is the
// average fare of women higher than that of men?".
func (st *qstate) compareGroups() *plan {
	than := st.find("than")
	if than < 0 {
		return nil
	}
	// "do sequels rate higher than non-sequels": one yes/no column on
	// both sides, once negated.
	var bin []int
	for _, mi := range st.freeColumns() {
		if st.ms[mi].col.binary {
			bin = append(bin, mi)
		}
	}
	if len(bin) == 2 && st.ms[bin[0]].col == st.ms[bin[1]].col && st.ms[bin[0]].end <= than && st.ms[bin[1]].start > than {
		x, y := st.ms[bin[0]], st.ms[bin[1]]
		nx, ny := st.negatedBefore(x.start), st.negatedBefore(y.start)
		if nx != ny {
			for _, m := range []mention{x, y} {
				v := m.col.truthy
				if st.negatedBefore(m.start) {
					v = m.col.falsy
				}
				st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: v, pos: m.start})
			}
			st.consume(bin[0])
			st.consume(bin[1])
		}
	}
	var a, b *filter
	for i := range st.filters {
		f := &st.filters[i]
		if f.Op != "=" {
			continue
		}
		if f.pos < than && (a == nil || f.pos > a.pos) {
			a = f
		}
		if f.pos > than && b == nil {
			b = f
		}
	}
	if a == nil || b == nil || a.Col != b.Col {
		return nil
	}
	op := ""
	for k := than - 1; k >= 0; k-- {
		switch st.raw(k) {
		case "more", "higher", "greater", "better", "larger", "bigger", "longer", "older":
			op = ">"
		case "less", "fewer", "lower", "worse", "smaller", "shorter", "younger":
			op = "<"
		}
		if op != "" {
			st.use(k, k+1)
			break
		}
	}
	if op == "" {
		return nil
	}
	st.use(than, than+1)
	var rest []filter
	for _, f := range st.filters {
		if f.pos != a.pos && f.pos != b.pos {
			rest = append(rest, f)
		}
	}
	free := st.freeColumns()
	agg, target := aggCount, ""
	for _, mi := range free {
		c := st.ms[mi].col
		if target != "" && c.Name != target {
			return abstain("I could not tell what to compare")
		}
		target = c.Name
		if c.kind != kindNumber && !c.binary {
			return abstain("%s is not numeric", quoteIdent(c.Name))
		}
		agg = aggAvg
		if c.binary && c.kind != kindNumber {
			agg = "share"
		}
		if a := st.aggBefore(st.ms[mi].start); a == aggSum {
			agg = aggSum
		}
		st.consume(mi)
	}
	st.useWords("average", "mean", "that of", "those of", "on average", "likely", "to")
	return &plan{Intent: intentCompareGroups, Agg: agg, Target: target, GroupBy: a.Col, Groups: []any{a.Value, b.Value}, Op: op, Filters: rest, Single: true}
}

// compareValues turns a pooled aggregate over two or more values of one
// column ("average age of survivors vs non-survivors", "men and women")
// into one figure per value: the values stay as filters (joined with OR)
// and the column becomes the grouping. "1st or 2nd class" stays pooled.
func (st *qstate) compareValues(p *plan) *plan {
	if p.Intent != intentAggregate && p.Intent != intentShare {
		return p
	}
	counts := map[string]map[string]bool{}
	col := ""
	for _, f := range p.Filters {
		if f.Op != "=" || len(f.Alts) > 0 {
			continue
		}
		if counts[f.Col] == nil {
			counts[f.Col] = map[string]bool{}
		}
		counts[f.Col][fmt.Sprint(f.Value)] = true
		if len(counts[f.Col]) >= 2 {
			if col != "" && col != f.Col {
				return abstain("I can compare the values of one column at a time")
			}
			col = f.Col
		}
	}
	if col == "" {
		return p
	}
	explicit := st.has("vs", "versus", "compare", "compared", "comparing", "comparison", "against", "between", "each")
	if !explicit && (!st.has("and") || st.has("total", "combined", "together", "altogether", "sum", "in all")) {
		// "1st or 2nd class", "the total fare of men and women
		// combined": one pooled figure.
		return p
	}
	st.useWords("vs", "versus", "compare", "compared", "comparing", "comparison", "against", "between", "each")
	g := *p
	g.Intent, g.GroupBy, g.Single = intentGroup, col, false
	if p.Intent == intentShare {
		g.Agg = "share"
	}
	return &g
}

func sortedFilters(fs []filter) []filter {
	out := append([]filter(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// decideShare reads "what share of passengers survived", "survival rate of
// women", "percentage of female passengers in first class".
func (st *qstate) decideShare() *plan {
	st.useWords("percentage", "percent", "proportion", "share", "fraction", "rate", "what", "is", "the")
	gc, fn, grouped := st.groupBy()
	var cond []filter
	free := st.freeColumns()
	var bins []int
	for _, mi := range free {
		if st.ms[mi].col.binary {
			bins = append(bins, mi)
		}
	}
	if len(bins) == 1 {
		m := st.ms[bins[0]]
		v := m.col.truthy
		if st.negatedBefore(m.start) {
			v = m.col.falsy
		}
		cond = []filter{{Col: m.col.Name, Op: "=", Value: v, pos: m.start}}
		st.consume(bins[0])
	}
	st.binaryFilters()
	fs := sortedFilters(st.filters)
	if cond == nil {
		if len(fs) == 0 {
			return abstain("I could not find the condition to measure")
		}
		cond, fs = fs[len(fs)-1:], fs[:len(fs)-1]
	}
	pct := st.has("percentage", "percent", "%")
	if grouped {
		return &plan{Intent: intentGroup, Agg: "share", Cond: cond, Filters: fs, GroupBy: gc.Name, GroupFunc: fn, Percent: pct}
	}
	return &plan{Intent: intentShare, Cond: cond, Filters: fs, Single: true, Percent: pct}
}

// decideMode reads "most common X", "3 most frequent X", "least common X".
func (st *qstate) decideMode() *plan {
	i, n := st.firstOf("most common", "most frequent", "most popular", "most often", "least common", "least frequent", "least popular", "most frequently", "most commonly", "mode of", "modal")
	if i < 0 {
		return nil
	}
	desc := st.raw(i) != "least"
	st.use(i, i+n)
	var target *column
	var plain []int
	for _, mi := range st.freeColumns() {
		if !st.ms[mi].col.binary {
			plain = append(plain, mi)
		}
	}
	if len(plain) == 1 {
		// "which product was returned most often": the one column that is
		// not a yes/no filter.
		target = st.ms[plain[0]].col
		st.consume(plain[0])
	} else if mi, m := st.mentionAfter(i+n-1, 2); m != nil && m.kind == mColumn {
		target = m.col
		st.consume(mi)
	} else if mi, m := st.mentionBefore(i, 3); m != nil && m.kind == mColumn {
		target = m.col
		st.consume(mi)
	} else if free := st.freeColumns(); len(free) == 1 {
		target = st.ms[free[0]].col
		st.consume(free[0])
	}
	if target == nil {
		return abstain("I could not tell which column's values to count")
	}
	st.consumeCol(target)
	st.binaryFilters()
	lim := st.limit
	single := lim == 0
	if lim == 0 {
		lim = 1
	}
	return &plan{Intent: intentGroup, Agg: aggCount, GroupBy: target.Name, Filters: st.filters, OrderAgg: true, Desc: desc, Limit: lim, Single: single, GroupOnly: true}
}

// decideWhich reads "which X has the highest Y", "which X has the most
// entries", "what X has the lowest average Y".
func (st *qstate) decideWhich() *plan {
	w := st.raw(0)
	start := 0
	if w == "in" || w == "for" || w == "among" {
		start = 1
		w = st.raw(1)
	}
	if w != "which" && w != "what" {
		return nil
	}
	pos, desc := st.superlative()
	if pos < 0 {
		return nil
	}
	var gcol *column
	gmi := -1
	gap := 1
	if st.limit > 0 && st.limitAt <= start+2 {
		gap = 2
	}
	if mi, m := st.mentionAfter(start, gap); m != nil && m.kind == mColumn && mi >= 0 && m.end <= pos {
		gcol, gmi = m.col, mi
	}
	byName := false
	if gcol == nil {
		// "which country has the most people": the rows' name column.
		k := start + 1
		if st.limit > 0 && st.limitAt == k {
			k++
		}
		if k < pos && st.raw(k+1) != "of" && st.entityNoun(k) {
			gcol = st.nameColumn(st.raw(k))
			byName = gcol != nil
			st.use(k, k+1)
		}
	}
	if gcol == nil {
		return nil
	}
	st.consume(gmi)
	st.use(start, start+1)
	st.use(pos, pos+1)
	lim := st.limit
	single := lim == 0
	if lim == 0 {
		lim = 1
	}
	// Aggregate per group: "which class has the highest average fare".
	for k := pos + 1; k < len(st.toks) && k <= pos+2; k++ {
		if a, ok := aggWords[st.raw(k)]; ok && a != aggMax && a != aggMin {
			mi, m := st.mentionAfter(k, 2)
			if m == nil || m.kind != mColumn || m.col.kind != kindNumber {
				return abstain("I could not tell which column to aggregate")
			}
			st.use(k, k+1)
			st.consume(mi)
			st.binaryFilters()
			return &plan{Intent: intentGroup, Agg: a, Target: m.col.Name, GroupBy: gcol.Name, Filters: st.filters, OrderAgg: true, Desc: desc, Limit: lim, Single: single, GroupOnly: true}
		}
	}
	mi, oc := st.orderColumn(pos)
	if oc == nil {
		// "which X has the most entries / the highest number of people"
		rest := false
		for k := pos + 1; k < len(st.toks); k++ {
			r := st.raw(k)
			if !(fillers[r] || r == "number" || r == "count" || entityWords[r] || stopwords[r] || r == "?" || r == "rows" || linkWords[r]) {
				rest = true
			}
		}
		if rest || !(st.raw(pos) == "most" || st.has("number of", "count")) {
			return abstain("I could not tell what to rank %s by", quoteIdent(gcol.Name))
		}
		if byName {
			// The name column holds one row each: counting rows per name
			// ranks nothing ("which port had the most passengers" on a
			// table without a port column is not a tie between names).
			return abstain("I could not tell which column %q names", st.raw(start+1))
		}
		st.useWords("number of", "count")
		st.binaryFilters()
		return &plan{Intent: intentGroup, Agg: aggCount, GroupBy: gcol.Name, Filters: st.filters, OrderAgg: true, Desc: desc, Limit: lim, Single: single, GroupOnly: true}
	}
	if oc.kind != kindNumber && oc.kind != kindDate {
		return abstain("%s is not numeric", quoteIdent(oc.Name))
	}
	if oc == gcol {
		return abstain("I could not tell which column names the answer")
	}
	if w := st.raw(pos); (w == "most" || w == "least" || w == "fewest") && gcol.distinct < st.s.info.Rows {
		// "which country has the most medals" may mean the total per
		// country or the single row with the most.
		return abstain("%q could mean a total per %s or a single row", w, quoteIdent(gcol.Name))
	}
	st.consume(mi)
	st.consumeCol(oc)
	st.binaryFilters()
	return &plan{Intent: intentRows, Select: []string{gcol.Name}, OrderBy: oc.Name, Desc: desc, Limit: lim, Single: single, Filters: st.filters}
}

// aggregateWord finds the first aggregation keyword and its column.
func (st *qstate) aggregateWord() (agg string, pos int) {
	for i := range st.toks {
		a, ok := aggWords[st.raw(i)]
		if !ok || st.used[i] {
			continue
		}
		if a == aggSum && (st.raw(i+1) == "number" || st.raw(i+1) == "count" || st.used[i]) {
			continue
		}
		if a == aggAvg && st.raw(i) == "mean" && (st.raw(i-1) == "does" || st.raw(i-1) == "do") {
			continue
		}
		return a, i
	}
	if i := st.find("standard deviation"); i >= 0 {
		return aggStd, i + 1
	}
	return "", -1
}

// decideAggregate reads "average age", "total fare by class", "median of
// X for women", "range of X", "what is the highest X".
func (st *qstate) decideAggregate() *plan {
	agg, pos := st.aggregateWord()
	if q, at := st.quantileWord(); at >= 0 {
		agg, pos = q, at
	}
	if agg != "" && pos > 0 {
		if _, sup := superlatives[st.raw(pos-1)]; sup {
			return nil // "the highest average X" ranks groups
		}
	}
	if agg == "" {
		// "what is the highest X" with one column and no list words.
		sp, desc := st.superlative()
		if sp < 0 || st.limit > 0 || st.raw(sp) == "most" || st.raw(sp) == "least" || st.raw(sp) == "top" {
			return nil
		}
		mi, oc := st.orderColumn(sp)
		if oc == nil || len(st.freeColumns()) > 1 && (mi < 0 || !st.onlyCol(oc)) {
			return nil
		}
		if st.has("list", "which", "who") || st.raw(0) == "list" {
			return nil
		}
		if _, c := st.genericAttr(sp); c != nil && c != oc {
			return nil // "the customer of the order with the lowest amount"
		}
		agg, pos = aggMin, sp
		if desc {
			agg = aggMax
		}
	}
	st.use(pos, pos+1)
	st.useWords("standard deviation")
	var target *column
	tmi := -1
	k := pos
	for k+1 < len(st.toks) && st.at(k+1) < 0 && (st.raw(k+1) == "number" || st.raw(k+1) == "amount" || st.raw(k+1) == "of" || st.raw(k+1) == "value" || st.raw(k+1) == "values" || fillers[st.raw(k+1)] ||
		agg == aggRange && aggWords[st.raw(k+1)] != "") {
		// "the range (max - min) of X"
		k++
	}
	if mi := st.at(pos); mi >= 0 && st.ms[mi].kind == mColumn {
		target, tmi = st.ms[mi].col, mi
	} else if mi, m := st.mentionAfter(k, 0); m != nil && m.kind == mColumn {
		target, tmi = m.col, mi
	}
	if target == nil {
		return abstain("I could not tell which column to aggregate")
	}
	if target.kind != kindNumber && !(target.kind == kindDate && (agg == aggMin || agg == aggMax)) {
		return abstain("%s is not numeric", quoteIdent(target.Name))
	}
	st.use(pos+1, k+1)
	st.consume(tmi)
	st.consumeCol(target)
	gc, fn, grouped := st.groupBy()
	st.binaryFilters()
	if grouped {
		p := &plan{Intent: intentGroup, Agg: agg, Target: target.Name, GroupBy: gc.Name, GroupFunc: fn, Filters: st.filters}
		return p
	}
	return &plan{Intent: intentAggregate, Agg: agg, Target: target.Name, Filters: st.filters, Single: true}
}

func (st *qstate) onlyCol(c *column) bool {
	for _, mi := range st.freeColumns() {
		if st.ms[mi].col != c {
			return false
		}
	}
	return true
}

// decideCount reads "how many X", "number of X by Y", "how many unique X".
func (st *qstate) decideCount() *plan {
	i, n := st.firstOf("how many", "number of", "count of", "count the", "count")
	if i < 0 {
		return nil
	}
	if st.raw(i) == "number" && (st.raw(i-1) == "the" && i >= 2 && st.raw(i-2) == "is" || st.raw(0) == "list") {
		// "list the number of siblings of ...": a column, not a count.
		if st.raw(0) == "list" {
			return nil
		}
	}
	if mi := st.at(i + n); st.raw(i) == "how" && mi >= 0 && st.ms[mi].kind == mColumn && st.ms[mi].col.kind == kindNumber && !st.ms[mi].col.binary &&
		st.has("does", "did", "do") {
		// "how many children does the oldest passenger have" reads a
		// column of one row, not a count of rows.
		st.use(i, i+n)
		return nil
	}
	st.use(i, i+n)
	st.useWords("total")
	if j, dn := st.firstOf("unique", "distinct", "different"); j >= 0 {
		st.use(j, j+dn)
		mi, m := st.mentionAfter(j, 2)
		if m == nil || m.kind != mColumn {
			if free := st.freeColumns(); len(free) == 1 {
				mi, m = free[0], &st.ms[free[0]]
			}
		}
		if m != nil && m.kind == mGeneric && m.end == m.start+1 {
			// "how many unique customers": the one column named for them.
			if c := st.ownColumn(st.raw(m.start)); c != nil {
				st.consume(mi)
				m = &mention{start: m.start, end: m.end, kind: mColumn, col: c}
			}
		}
		if m == nil || m.kind != mColumn {
			return abstain("I could not tell which column's distinct values to count")
		}
		st.consume(mi)
		st.consumeCol(m.col)
		gc, fn, grouped := st.groupBy()
		st.binaryFilters()
		if grouped {
			return &plan{Intent: intentGroup, Agg: aggDistinct, Target: m.col.Name, GroupBy: gc.Name, GroupFunc: fn, Filters: st.filters}
		}
		return &plan{Intent: intentAggregate, Agg: aggDistinct, Target: m.col.Name, Filters: st.filters, Single: true}
	}
	gc, fn, grouped := st.groupBy()
	// "how many regions are there": distinct values of a text column.
	if free := st.freeColumns(); len(free) == 1 && !grouped && len(st.filters) == 0 {
		m := st.ms[free[0]]
		if m.col.kind == kindText && m.start == i+n && !m.col.binary && st.toks[m.end-1].raw != st.toks[m.end-1].stem+"" && strings.HasSuffix(st.toks[m.end-1].raw, "s") {
			st.consume(free[0])
			return &plan{Intent: intentAggregate, Agg: aggDistinct, Target: m.col.Name, Single: true}
		}
	}
	st.binaryFilters()
	if grouped {
		return &plan{Intent: intentGroup, Agg: aggCount, GroupBy: gc.Name, GroupFunc: fn, Filters: st.filters}
	}
	return &plan{Intent: intentAggregate, Agg: aggCount, Filters: st.filters, Single: true}
}

// decideRanked reads "top 5 X by Y", "the 3 highest X", "list the X of the
// 5 people with the lowest Y", "what is the X of the person with the
// highest Y", and "the first 5 X".
func (st *qstate) decideRanked() *plan {
	pos, desc := st.superlative()
	if pos < 0 {
		if st.limitKw == "first" || st.limitKw == "last" {
			return st.firstRows()
		}
		return nil
	}
	st.use(pos, pos+1)
	var mi int
	var oc *column
	if st.raw(pos) == "top" || st.raw(pos) == "bottom" {
		// "top 5 X by Y" or "top 5 X"
		if b := st.find("by"); b > pos {
			m, c := st.mentionAfter(b, 1)
			if c != nil && c.kind == mColumn {
				mi, oc = m, c.col
				st.use(b, b+1)
			}
		} else if m, c := st.mentionAfter(pos, 2); c != nil && c.kind == mColumn {
			mi, oc = m, c.col
			if groupable(oc) {
				return abstain("I could not tell what to rank %s by", quoteIdent(oc.Name))
			}
		}
	} else {
		mi, oc = st.orderColumn(pos)
	}
	if oc == nil {
		return abstain("I could not tell what to rank by")
	}
	if oc.kind != kindNumber && oc.kind != kindDate {
		return abstain("%s is not numeric", quoteIdent(oc.Name))
	}
	if rankLike(oc, st.raw(pos)) {
		return abstain("%q is ambiguous for a rank column", st.raw(pos))
	}
	st.consume(mi)
	var sel *column
	for _, fm := range st.freeColumns() {
		if st.ms[fm].col == oc {
			if st.ms[fm].end <= pos && sel == nil {
				sel = oc // "the ages of the 5 oldest passengers"
			}
			continue
		}
		if st.ms[fm].col.binary && st.ms[fm].start > pos {
			continue
		}
		if sel != nil && sel != st.ms[fm].col {
			return abstain("I could not tell which column to list")
		}
		sel = st.ms[fm].col
		if st.ms[fm].start > pos && sel.distinct < st.s.info.Rows {
			// "the 3 most expensive products" may rank rows or products.
			return abstain("I could not tell whether to rank rows or distinct %s", quoteIdent(sel.Name))
		}
		st.consume(fm)
	}
	st.consumeCol(oc)
	if w := st.raw(0); sel != nil && sel != oc && (w == "who" || w == "whom") && sel.kind != kindText {
		// "who released the film ...": a year is not a who.
		return abstain("I could not tell which column names the answer")
	}
	if w := st.raw(0); sel == oc && (w == "who" || w == "whom") {
		// "who paid the highest fare": the verb named the ranked column.
		nc := st.nameColumn("")
		if nc == nil || nc == oc {
			return abstain("I could not tell which column names the answer")
		}
		sel = nc
	}
	if sel == nil {
		// "the customer of the order with the highest amount": a generic
		// noun followed by "of" names the column called after it.
		if gi, c := st.genericAttr(pos); c != nil && c != oc {
			sel = c
			st.consume(gi)
		}
	}
	if sel == nil {
		switch w := st.raw(0); {
		case w == "who" && strings.HasSuffix(st.raw(1), "ed") && st.at(1) < 0 && st.agentColumn(st.raw(1)) != nil && st.agentColumn(st.raw(1)) != oc:
			// "who directed the film with the most votes": the director.
			sel = st.agentColumn(st.raw(1))
			st.use(1, 2)
		case (w == "who" || w == "whom") && st.nameColumn("") != nil && st.nameColumn("") != oc:
			sel = st.nameColumn("")
		case w == "which" && st.entityNoun(1) && st.raw(2) != "of" && st.nameColumn(st.raw(1)) != nil && st.nameColumn(st.raw(1)) != oc:
			sel = st.nameColumn(st.raw(1))
			st.use(1, 2)
		case st.limit > 0 && st.limitAt+1 < pos && st.entityNoun(st.limitAt+1) && st.raw(st.limitAt+2) != "of" &&
			st.nameColumn(st.raw(st.limitAt+1)) != nil && st.nameColumn(st.raw(st.limitAt+1)) != oc:
			// "name the 2 countries with the most people"
			sel = st.nameColumn(st.raw(st.limitAt + 1))
			st.use(st.limitAt+1, st.limitAt+2)
		case w == "who" || w == "which" || w == "whom":
			return abstain("I could not tell which column names the answer")
		}
	}
	if sel == nil {
		// "the 3 most populous countries" asks for countries, not
		// populations: a noun after the ranked column names the answer.
		end := pos + 1
		if mi >= 0 {
			end = st.ms[mi].end
		}
	scan:
		for k := end; k < len(st.toks); k++ {
			if st.entityNoun(k) {
				if nc := st.nameColumn(st.raw(k)); nc != nil && nc != oc {
					sel = nc
					st.use(k, k+1)
					break
				}
			}
			if mk := st.at(k); mk >= 0 {
				if st.ms[mk].kind == mGeneric {
					return abstain("I could not tell which column names the %s", st.raw(k))
				}
				break
			}
			r := st.raw(k)
			if r == "" || stopwords[r] || fillers[r] || linkWords[r] || knownWords[r] && !entityWords[r] {
				break scan
			}
			return abstain("I could not tell which column names the %s", r)
		}
		if sel == nil {
			sel = oc
		}
	} else {
		st.consumeCol(sel)
	}
	st.binaryFilters()
	lim := st.limit
	single := lim == 0 && !st.has("list", "what are", "which are")
	if lim == 0 {
		lim = 1
	}
	st.useWords("list", "what are", "what is", "show", "give", "provide", "values")
	if st.nth > 0 {
		single = true
	}
	return &plan{Intent: intentRows, Select: []string{sel.Name}, OrderBy: oc.Name, Desc: desc, Limit: lim, Nth: st.nth, Single: single, Filters: st.filters}
}

// firstRows reads "the first 5 X" and "the last 3 X".
func (st *qstate) firstRows() *plan {
	free := st.freeColumns()
	var sel *column
	for _, mi := range free {
		if sel != nil && st.ms[mi].col != sel {
			return abstain("I could not tell which column to list")
		}
		sel = st.ms[mi].col
		st.consume(mi)
	}
	if sel == nil {
		return abstain("I could not tell which column to list")
	}
	st.binaryFilters()
	single := st.limit == 1 && !st.has("list", "what are")
	st.useWords("list", "what are", "what is", "show", "give", "provide", "values")
	return &plan{Intent: intentRows, Select: []string{sel.Name}, Limit: st.limit, FromEnd: st.limitKw == "last", Filters: st.filters, Single: single}
}

// decideList reads "list the unique X of ...", "what are the X of the rows
// where ...", "what is the X of <a row named by its values>".
func (st *qstate) decideList() *plan {
	distinct := false
	if j, dn := st.firstOf("unique", "distinct", "different"); j >= 0 {
		st.use(j, j+dn)
		distinct = true
	}
	first := st.raw(0)
	listy := first == "list" || first == "show" || first == "provide" || first == "give" || first == "name" || st.has("what are", "which are", "what were")
	single := !listy && (st.has("what is", "what was", "what's", "who is", "who was", "whats") || first == "how" && st.raw(1) == "many")
	if !listy && !single && (first == "which" || first == "what") {
		// "which district does Springfield belong to", "what continent is Brazil in"
		if mi, m := st.mentionAfter(0, 0); m != nil && m.kind == mColumn {
			switch st.raw(m.end) {
			case "does", "do", "did", "is", "was", "are", "were":
				single = true
				st.consume(mi)
				st.use(0, 1)
				st.use(m.end, m.end+1)
			}
		}
	}
	// "which countries in Europe ...", "list the countries with ...": the
	// rows' names.
	ent := -1
	for k := 1; k < len(st.toks) && k <= 3; k++ {
		if st.entityNoun(k) {
			ent = k
			break
		}
		if !fillers[st.raw(k)] && !(k == 1 && (first == "which" || first == "what") || st.raw(k) == "are" || st.raw(k) == "were") {
			break
		}
	}
	if ent >= 0 && !listy && !single && first == "which" && ent == 1 && strings.HasSuffix(st.raw(1), "s") {
		listy = true
	}
	if !listy && !single {
		return abstain("I did not recognise the kind of question")
	}
	free := st.freeColumns()
	if len(free) == 0 && ent >= 0 && (listy || first == "which") {
		if c := st.nameColumn(st.raw(ent)); c != nil {
			st.use(ent, ent+1)
			st.use(0, 1)
			free = nil
			st.binaryFilters()
			if len(st.filters) == 0 {
				return abstain("listing every value of %s is not an answer I can be sure of", quoteIdent(c.Name))
			}
			st.useWords("list", "show", "provide", "give", "name", "what are", "which are", "what were")
			return &plan{Intent: intentRows, Select: []string{c.Name}, Distinct: distinct, Filters: st.filters, Single: single}
		}
	}
	var sel *column
	if single && (first == "which" || first == "what") && st.used[0] {
		if _, m := st.mentionAfter(0, 0); m != nil && m.kind == mColumn {
			sel = m.col
		}
	}
	if single && (first == "which" || first == "what") && st.used[0] {
		if _, m := st.mentionAfter(0, 0); m != nil && m.kind == mColumn {
			sel = m.col
		}
	}
	for _, mi := range free {
		c := st.ms[mi].col
		if c.binary && sel != nil && sel != c {
			continue
		}
		if sel != nil && sel != c {
			if !sel.binary {
				return abstain("I could not tell which column to list")
			}
		}
		sel = c
	}
	if sel == nil {
		return abstain("I could not tell which column to list")
	}
	st.consumeCol(sel)
	st.binaryFilters()
	if len(st.filters) == 0 && !distinct {
		return abstain("listing every value of %s is not an answer I can be sure of", quoteIdent(sel.Name))
	}
	st.useWords("list", "show", "provide", "give", "name", "what are", "which are", "what were", "what is", "what was", "who is", "who was")
	return &plan{Intent: intentRows, Select: []string{sel.Name}, Distinct: distinct || single, Filters: st.filters, Single: single}
}

// groupRanking reads rankings of groups: "which class has the highest
// average fare", "the 3 countries with the most people", "which X has
// the highest number of rows".
func (st *qstate) groupRanking() *plan {
	for pos := range st.toks {
		desc, ok := superlatives[st.raw(pos)]
		k := pos + 1
		if ok && (st.raw(pos) == "top" || st.raw(pos) == "bottom") {
			// "the top 3 regions by total sales": rank groups by an aggregate.
			b := st.find("by")
			if st.limit == 0 || b < pos || aggWords[st.raw(b+1)] == "" {
				continue
			}
			st.use(b, b+1)
			k = b + 1
		} else if !ok {
			continue
		}
		for fillers[st.raw(k)] {
			k++
		}
		agg := ""
		var target *column
		tmi := -1
		if a, ok := aggWords[st.raw(k)]; ok && a != aggMax && a != aggMin && a != aggRange {
			if a == aggSum && (st.raw(k+1) == "number" || st.raw(k+1) == "count") {
				agg = aggCount
				k += 2
			} else {
				mi, m := st.mentionAfter(k, 2)
				if m == nil || m.kind != mColumn || m.col.kind != kindNumber {
					return abstain("I could not tell which column to aggregate")
				}
				agg, target, tmi = a, m.col, mi
				st.use(k, k+1)
			}
		} else if mi := st.at(k); k < len(st.toks) && mi >= 0 && st.ms[mi].kind == mColumn && st.ms[mi].col.binary &&
			(st.raw(st.ms[mi].end) == "rate" || st.raw(st.ms[mi].end) == "percentage" || st.raw(st.ms[mi].end) == "share") {
			// "the lowest survival rate"
			c := st.ms[mi].col
			agg, target, tmi = "share", c, mi
			st.use(st.ms[mi].end, st.ms[mi].end+1)
		} else if st.raw(k) == "number" && st.raw(k+1) == "of" || st.raw(k) == "count" && st.raw(k+1) == "of" {
			agg = aggCount
			k += 2
		} else if st.raw(pos) == "most" || st.raw(pos) == "least" || st.raw(pos) == "fewest" {
			agg = aggCount
		} else {
			continue
		}
		if agg == aggCount {
			// Only the things counted may follow: "the most passengers".
			for j := k; j < len(st.toks); j++ {
				if mi := st.at(j); mi >= 0 && st.ms[mi].kind == mColumn && !st.ms[mi].col.binary || st.toks[j].isNum && !st.used[j] {
					return nil
				}
			}
			st.use(pos+1, k)
		}
		st.use(pos, pos+1)
		if tmi >= 0 {
			st.consume(tmi)
			st.consumeCol(target)
		}
		var group *column
		plain := 0
		for _, mi := range st.freeColumns() {
			if !st.ms[mi].col.binary {
				plain++
			}
		}
		for _, mi := range st.freeColumns() {
			c := st.ms[mi].col
			if c.binary && (st.ms[mi].start > pos || plain == 1) {
				continue // a yes/no filter: "which product was returned most"
			}
			if group != nil && group != c {
				return abstain("I could not tell which column's groups to rank")
			}
			group = c
		}
		if group == nil {
			return nil
		}
		if !groupable(group) {
			// "which passenger paid the most": a measure, not groups.
			return nil
		}
		st.consumeCol(group)
		st.useWords("which", "what", "who")
		st.binaryFilters()
		lim := st.limit
		single := lim == 0 && !st.has("list", "what are", "which are")
		if lim == 0 {
			lim = 1
		}
		p := &plan{Intent: intentGroup, Agg: agg, GroupBy: group.Name, Filters: st.filters, OrderAgg: true, Desc: desc, Limit: lim, Single: single, GroupOnly: true}
		if target != nil {
			p.Target = target.Name
		}
		return p
	}
	return nil
}

// rankLike reports a column whose small values are the best (rank,
// position), where "top" and "best" read the wrong way round.
func rankLike(c *column, sup string) bool {
	switch sup {
	case "highest", "lowest", "largest", "smallest", "maximum", "minimum", "max", "min", "greatest", "biggest":
		return false
	}
	for _, w := range c.words {
		switch w {
		case "rank", "ranking", "position", "place", "placement", "standing":
			return true
		}
	}
	return false
}

// namedNonText returns the answer column when the question asks for "the
// name of" it but it is not a text column.
func (st *qstate) namedNonText(p *plan) string {
	named := st.has("name of", "names of", "full name", "full names")
	for _, m := range st.ms {
		if m.kind == mColumn && (st.raw(m.end) == "name" || st.raw(m.end) == "names") {
			named = true // "the day names"
		}
	}
	if !named {
		return ""
	}
	col := ""
	switch {
	case p.Intent == intentGroup && p.GroupOnly:
		col = p.GroupBy
	case p.Intent == intentRows && len(p.Select) == 1:
		col = p.Select[0]
	default:
		return ""
	}
	if st.s != nil {
		for _, sc := range st.s.cols {
			if sc.Name == col && sc.kind != kindText {
				return col
			}
		}
	}
	return ""
}

// groupable reports whether a column's values make sensible groups: text,
// booleans, dates, or integers with few values.
func groupable(c *column) bool {
	switch c.kind {
	case kindText, kindBool, kindDate:
		return true
	case kindNumber:
		return c.isInt && c.distinct <= 50
	}
	return false
}

func (st *qstate) colByName(name string) *column {
	for _, c := range st.s.cols {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// orConditions reports an "or" joining conditions that are not
// alternatives values of one column ("older than 60 or younger than 10").
func (st *qstate) orConditions() bool {
	hasOr := false
	for i := range st.toks {
		if st.raw(i) == "or" && !st.used[i] {
			hasOr = true
		}
	}
	if !hasOr || len(st.filters) < 2 {
		return false
	}
	col := ""
	for _, f := range st.filters {
		if f.Op != "=" || (col != "" && f.Col != col) {
			return true
		}
		col = f.Col
	}
	return false
}

// quantileWord reads "the 90th percentile", "the first quartile", "the
// lower quartile", "the interquartile range": an aggregation named like
// "quantile:0.9" (or "iqr") and its position.
func (st *qstate) quantileWord() (string, int) {
	for i := range st.toks {
		switch st.raw(i) {
		case "percentile":
			if i > 0 && st.toks[i-1].isNum && st.toks[i-1].num > 0 && st.toks[i-1].num < 100 {
				st.use(i-1, i)
				return fmt.Sprintf("quantile:%g", st.toks[i-1].num/100), i
			}
		case "quartile":
			switch p := st.raw(i - 1); {
			case p == "first" || p == "lower" || i > 0 && st.toks[i-1].isNum && st.toks[i-1].num == 1:
				st.use(i-1, i)
				return "quantile:0.25", i
			case p == "third" || p == "upper" || i > 0 && st.toks[i-1].isNum && st.toks[i-1].num == 3:
				st.use(i-1, i)
				return "quantile:0.75", i
			}
		case "interquartile":
			if st.raw(i+1) == "range" {
				st.use(i, i+1)
				return "iqr", i + 1
			}
		}
	}
	return "", -1
}
