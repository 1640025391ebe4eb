package chat

import (
	"fmt"
	"sort"
	"strings"
)

// comparator is a phrase that compares a column with a number.
type comparator struct {
	words string
	op    string
}

// comparators, longest first so that "no more than" wins over "more than".
var comparators = func() []comparator {
	cs := []comparator{
		{"greater than or equal to", ">="}, {"more than or equal to", ">="}, {"higher than or equal to", ">="},
		{"less than or equal to", "<="}, {"lower than or equal to", "<="}, {"fewer than or equal to", "<="},
		{"at least", ">="}, {"no less than", ">="}, {"not less than", ">="}, {"no fewer than", ">="}, {"or more", ">="},
		{"at most", "<="}, {"no more than", "<="}, {"not more than", "<="}, {"up to", "<="}, {"or less", "<="}, {"or fewer", "<="},
		{"more than", ">"}, {"greater than", ">"}, {"higher than", ">"}, {"larger than", ">"}, {"bigger than", ">"},
		{"over", ">"}, {"above", ">"}, {"exceeding", ">"}, {"exceeds", ">"}, {"exceed", ">"}, {"in excess of", ">"},
		{"less than", "<"}, {"fewer than", "<"}, {"lower than", "<"}, {"smaller than", "<"}, {"under", "<"}, {"below", "<"},
		{"equal to", "="}, {"equals", "="}, {"exactly", "="}, {"=", "="}, {">", ">"}, {">=", ">="}, {"<", "<"}, {"<=", "<="},
		{"not equal to", "!="}, {"other than", "!="},
		{"after", ">"}, {"before", "<"}, {"since", ">="}, {"later than", ">"}, {"earlier than", "<"},
		{"between", "between"},
	}
	sort.SliceStable(cs, func(a, b int) bool { return len(strings.Fields(cs[a].words)) > len(strings.Fields(cs[b].words)) })
	return cs
}()

// comparativeOps gives the direction of comparative adjectives; the
// adjective itself names the column through the synonym groups.
var comparativeOps = map[string]string{
	"older": ">", "younger": "<", "hotter": ">", "colder": "<", "warmer": ">", "cheaper": "<",
	"heavier": ">", "lighter": "<", "taller": ">", "shorter": "<", "longer": ">", "faster": ">",
	"slower": "<", "expensive": ">", "richer": ">", "poorer": "<",
}

// superlatives give the sort direction: true for descending.
var superlatives = map[string]bool{
	"highest": true, "largest": true, "biggest": true, "greatest": true, "maximum": true, "max": true,
	"most": true, "top": true, "best": true, "longest": true, "oldest": true, "hottest": true, "tallest": true,
	"heaviest": true, "latest": true, "newest": true, "fastest": true, "richest": true, "warmest": true,
	"lowest": false, "smallest": false, "least": false, "fewest": false, "minimum": false, "min": false,
	"bottom": false, "worst": false, "shortest": false, "youngest": false, "coldest": false, "lightest": false,
	"earliest": false, "cheapest": false, "slowest": false, "poorest": false,
}

// aggWords name an aggregation of a column.
var aggWords = map[string]string{
	"average": aggAvg, "mean": aggAvg, "avg": aggAvg, "median": aggMedian, "sum": aggSum, "total": aggSum,
	"std": aggStd, "stdev": aggStd, "stddev": aggStd, "variance": aggVar, "range": aggRange,
	"maximum": aggMax, "max": aggMax, "minimum": aggMin, "min": aggMin,
}

// recordVerbs may stand between a column and its comparison.
var recordVerbs = set(`recorded measured observed reported registered logged noted`)

// measureNouns may follow a column to say what it measures.
var measureNouns = set(`speed level levels rate rates reading readings measurement measurements figure figures score scores`)

var unitWords = set(`years year yrs of dollars dollar usd euros eur percent pounds kg kgs cm km mph units unit points pts the`)

var negations = set(`not no non without never excluding except nobody none`)

// qstate carries what the extraction steps found.
type qstate struct {
	*question
	consumed []bool // per mention: used as a filter or a role
	filters  []filter
	limit    int
	limitAt  int
	limitKw  string // top, bottom, first, last or a superlative
	nth      int    // "the second highest": rank of the one row asked for
	check    *filter
	problem  string
	dangling int // a comparison with no number after it, or -1
}

func (st *qstate) fail(format string, args ...any) {
	if st.problem == "" {
		st.problem = strings.TrimSpace(fmt.Sprintf(format, args...))
	}
}

func (st *qstate) consume(mi int) {
	if mi >= 0 {
		st.consumed[mi] = true
		st.use(st.ms[mi].start, st.ms[mi].end)
	}
}

// limits finds "top 5", "first five", "the 3 highest", "5 most common".
func (st *qstate) limits() {
	for i, t := range st.toks {
		if !t.isNum || t.ordinal || t.money || t.percent || t.num < 1 || t.num != float64(int(t.num)) || t.num > 1000 || st.at(i) >= 0 {
			continue
		}
		prev := st.raw(i - 1)
		next := st.raw(i + 1)
		if next == "most" || next == "least" {
			next = "most"
		}
		_, isSup := superlatives[next]
		// "the 2 countries with the most people": a count of rows ranked
		// by the superlative that follows.
		ranked := ""
		if !isSup && (prev == "the" || prev == "of") {
			after := i + 3
			if mk := st.at(i + 1); mk >= 0 {
				after = st.ms[mk].end + 1
			}
			if w := st.raw(after - 1); w == "with" || w == "having" || w == "that" || w == "who" || w == "which" || w == "whose" {
				for k := after; k < len(st.toks) && k <= after+3; k++ {
					if _, ok := superlatives[st.raw(k)]; ok && st.raw(k) != "top" && st.raw(k) != "bottom" {
						ranked = st.raw(k)
						break
					}
				}
			}
		}
		switch {
		case ranked != "":
			st.limitKw = ranked
			st.use(i, i+1)
		case prev == "top" || prev == "bottom" || prev == "first" || prev == "last" || (prev == "which" || prev == "what") && i == 1:
			st.limitKw = prev
			st.use(i-1, i+1)
		case isSup:
			st.limitKw = next
			st.use(i, i+1)
		case superlatives[prev] || prev == "lowest" || prev == "smallest" || prev == "least" || prev == "fewest":
			// "the highest 5 values"
			if _, ok := superlatives[prev]; !ok {
				continue
			}
			st.limitKw = prev
			st.use(i, i+1)
		default:
			continue
		}
		if st.limit != 0 {
			st.fail("more than one count of results")
			return
		}
		st.limit, st.limitAt = int(t.num), i
	}
	for i, t := range st.toks {
		if t.isNum && t.ordinal && t.num >= 2 && t.num <= 100 {
			if _, ok := superlatives[st.raw(i+1)]; ok && st.limit == 0 {
				st.nth, st.limit, st.limitAt, st.limitKw = int(t.num), int(t.num), i, st.raw(i+1)
				st.use(i, i+1)
			}
		}
	}
	if st.limitKw == "first" || st.limitKw == "last" {
		// "the 5 categories of the last five rows" repeats the count.
		for i, t := range st.toks {
			if t.isNum && !st.used[i] && int(t.num) == st.limit && i+1 < len(st.toks) && st.at(i+1) >= 0 {
				st.use(i, i+1)
			}
		}
	}
	if st.limit == 0 {
		for _, kw := range []string{"first", "last"} {
			if i := st.find("the " + kw + " row"); i >= 0 {
				st.limit, st.limitAt, st.limitKw = 1, i+1, kw
				st.use(i, i+3)
			}
		}
	}
}

// valueFilters turns named values into equality filters.
func (st *qstate) valueFilters() {
	for mi := range st.ms {
		m := &st.ms[mi]
		if m.kind != mValue {
			continue
		}
		if len(m.ambiguous) > 0 {
			// Prefer a column the question names as well.
			choice := (*column)(nil)
			for _, c := range append([]*column{m.col}, m.ambiguous...) {
				for mj, o := range st.ms {
					if mj != mi && o.kind == mColumn && o.col == c {
						if choice != nil && choice != c {
							choice = nil
							break
						}
						choice = c
					}
				}
			}
			if choice == nil {
				// A name found in several name-like columns (name,
				// local name) may match in any of them.
				all := true
				for _, c := range append([]*column{m.col}, m.ambiguous...) {
					all = all && c.many
				}
				if !all {
					st.fail("%q is a value of several columns", st.toks[m.start].raw)
					return
				}
				f := filter{Col: m.col.Name, Op: "=", Value: m.value, pos: m.start}
				for _, c := range m.ambiguous {
					f.Alts = append(f.Alts, c.Name)
				}
				st.filters = append(st.filters, f)
				st.consume(mi)
				continue
			}
			m.col = choice
		}
		op := "="
		if st.negatedBefore(m.start) {
			op = "!="
		}
		st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, Value: m.value, pos: m.start})
		st.consume(mi)
		// "in the north district", "the 'Drama' genre"
		if mj, o := st.mentionAfter(m.end-1, 1); o != nil && o.kind == mColumn && o.col == m.col {
			st.consume(mj)
		}
		if mj, o := st.mentionBefore(m.start, 2); o != nil && o.kind == mColumn && o.col == m.col {
			st.consume(mj)
		}
	}
}

// negatedBefore reports a negation within three words before position i
// that no other mention separates from it.
func (st *qstate) negatedBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if st.at(k) >= 0 {
			return false
		}
		if negations[st.raw(k)] {
			st.use(k, k+1)
			return true
		}
	}
	return false
}

// numericFilters finds comparisons of a column with numbers.
// splitComparisons reads "more votes than 400000", "fewer pages than 100":
// the column between the comparative and "than".
func (st *qstate) splitComparisons() {
	ops := map[string]string{"more": ">", "greater": ">", "higher": ">", "fewer": "<", "less": "<", "lower": "<"}
	for i := range st.toks {
		op, ok := ops[st.raw(i)]
		if !ok || st.used[i] {
			continue
		}
		mi := st.at(i + 1)
		if mi < 0 || st.ms[mi].kind != mColumn || st.ms[mi].start != i+1 || st.consumed[mi] {
			continue
		}
		m := st.ms[mi]
		j := m.end + 1
		if st.raw(m.end) != "than" || j >= len(st.toks) || !st.toks[j].isNum || st.at(j) >= 0 || st.toks[j].percent {
			continue
		}
		if m.col.kind != kindNumber || m.col.binary {
			continue
		}
		if st.raw(i-1) == "there" || st.raw(i-1) == "no" || st.raw(i-1) == "not" {
			continue // "are there more X than 5" counts rows; negations are read elsewhere
		}
		st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, Value: st.toks[j].num, pos: i, cast: m.col.numText})
		st.consume(mi)
		st.use(i, j+1)
	}
}

func (st *qstate) numericFilters() {
	// i moves by hand here, so the loop also ends when planning expires.
	for i := 0; i < len(st.toks) && !st.expired(); i++ {
		op, n, adjCol := "", 0, -1
		for _, c := range comparators {
			if st.find1(c.words, i) {
				op, n = c.op, len(strings.Fields(c.words))
				break
			}
		}
		if op == "" {
			if st.raw(i) == "expensive" && (st.raw(i-1) == "more" || st.raw(i-1) == "less") {
				// Read at the word before, "more expensive than"; stepping
				// back to it here looped for ever when that reading found
				// no number.
				continue
			}
			if o, ok := comparativeOps[st.raw(i)]; ok && st.raw(i+1) == "than" {
				op, n, adjCol = o, 2, st.at(i)
			} else if st.raw(i) == "more" && st.raw(i+1) == "expensive" && st.raw(i+2) == "than" {
				op, n, adjCol = ">", 3, st.at(i+1)
			} else if st.raw(i) == "less" && st.raw(i+1) == "expensive" && st.raw(i+2) == "than" {
				op, n, adjCol = "<", 3, st.at(i+1)
			}
		}
		if op == "" {
			continue
		}
		j := i + n
		if j < len(st.toks) && st.toks[j].date != "" {
			if op == "between" && st.raw(j+1) == "and" && j+2 < len(st.toks) && st.toks[j+2].date != "" {
				st.dateRange(i, j, j+2)
				i = j + 2
				continue
			}
			st.dateFilter(i, j, op)
			i = j
			continue
		}
		if j < len(st.toks) && op != "between" && st.aggregateComparison(i, j, op, adjCol) {
			continue
		}
		if j < len(st.toks) && op != "between" && op != "=" && op != "!=" && st.columnComparison(i, j, op, adjCol) {
			continue
		}
		if j >= len(st.toks) || !st.toks[j].isNum || st.at(j) >= 0 {
			if op != "between" && st.dangling < 0 {
				st.dangling = i
			}
			continue
		}
		num := st.toks[j]
		var num2 *token
		end := j + 1
		if op == "between" {
			if st.raw(j+1) != "and" || j+2 >= len(st.toks) || !st.toks[j+2].isNum {
				continue
			}
			num2 = &st.toks[j+2]
			end = j + 3
		}
		// "are there more than 100 passengers older than 50": a count.
		if (st.raw(i-1) == "there" && (st.raw(i-2) == "are" || st.raw(i-2) == "were" || st.raw(i-2) == "is")) && op != "between" && op != "=" {
			if w := st.raw(end); w == "unique" || w == "distinct" || w == "different" {
				// "are there more than 5 unique continents"
				if mk := st.at(end + 1); mk >= 0 && st.ms[mk].kind == mColumn && !st.ms[mk].col.binary && st.ms[mk].col.kind != kindNumber {
					st.check = &filter{Col: st.ms[mk].col.Name, Op: op, Value: num.num, Value2: aggDistinct, pos: i}
					st.consume(mk)
					st.use(i-2, end+1)
					i = end - 1
					continue
				}
			}
			st.check = &filter{Op: op, Value: num.num, Value2: aggCount, pos: i}
			st.use(i-2, end)
			i = end - 1
			continue
		}
		// Which column: the comparative adjective, a column right after the
		// number (over 60 years of age), or a column right before the
		// comparison (age over 60).
		mi := adjCol
		if mi >= 0 && st.ms[mi].kind != mColumn {
			mi = -1
		}
		if mi < 0 {
			var units []int
			for k := end; k < len(st.toks) && k <= end+3; k++ {
				if unitWords[st.raw(k)] && (st.at(k) < 0 || st.ms[st.at(k)].score < 0.95) {
					units = append(units, k) // "years" in "18 years old" is a unit, not YearsInJob
					continue
				}
				if st.at(k) >= 0 {
					if m := st.ms[st.at(k)]; m.kind == mColumn && !m.col.binary && m.col.kind != kindText {
						mi = st.at(k)
						st.use(end, k)
						for _, u := range units {
							st.consume(st.at(u))
						}
					}
					break
				}
				break
			}
		}
		if mi < 0 {
			// "is the fare of the oldest passenger above 30": the column
			// before the ranked row is compared, not the ranking one.
			mi = st.rowAttrBefore(i)
		}
		if mi < 0 {
			at := i
			if recordVerbs[st.raw(at-1)] && st.at(at-1) < 0 {
				// "the average fare recorded above 30"
				at--
			}
			if measureNouns[st.raw(at-1)] && st.at(at-1) < 0 && st.at(at-2) >= 0 && st.ms[st.at(at-2)].kind == mColumn {
				// "the gust speed faster than 3": the noun says what the column measures.
				at--
			}
			mb, m := st.mentionBefore(at, 3)
			if m != nil && m.kind == mColumn && !m.col.binary && m.col.kind != kindNumber {
				// "is the number of unique continents greater than 5"
				if j, dn := st.firstOf("unique", "distinct", "different"); j >= 0 && j+dn == m.start &&
					(st.raw(j-1) == "of" && (st.raw(j-2) == "number" || st.raw(j-2) == "count") || st.raw(j-1) == "many" && st.raw(j-2) == "how") {
					st.check = &filter{Col: m.col.Name, Op: op, Value: num.num, Value2: aggDistinct, pos: i}
					st.consume(mb)
					st.use(j-2, m.start)
					st.use(at, end)
					i = end - 1
					continue
				}
			}
			if m != nil && m.kind == mColumn && m.col.binary {
				// "the average age of survivors lower than 30": the yes/no
				// column is a filter; the aggregate is before it.
				if mb2, m2 := st.mentionBefore(m.start, 2); m2 != nil && m2.kind == mColumn && !m2.col.binary && (st.raw(m.start-1) == "of" || st.raw(m.start-1) == "for" || st.raw(m.start-1) == "among") {
					if agg := st.aggBefore(m2.start); agg != "" {
						st.check = &filter{Col: m2.col.Name, Op: op, Value: num.num, Value2: agg, pos: i}
						st.consume(mb2)
						st.use(i, end)
						i = end - 1
						continue
					}
				}
				m = nil
			}
			if m != nil && m.kind == mColumn {
				if st.aggBefore(m.start) != "" {
					// "is the average age over 30": a check, not a filter.
					agg := st.aggBefore(m.start)
					st.check = &filter{Col: m.col.Name, Op: op, Value: num.num, Value2: agg, pos: i}
					st.consume(mb)
					st.use(at, end)
					i = end - 1
					continue
				}
				mi = mb
				st.use(at, i)
			}
		}
		if mi < 0 && num.money {
			mi = st.moneyColumn()
		}
		if n := st.find("number of"); mi < 0 && n >= 0 && n < i && op != "between" && op != "=" && !num.money {
			// "is the number of female passengers greater than 300": a count.
			st.check = &filter{Op: op, Value: num.num, Value2: aggCount, pos: i}
			st.use(n, n+2)
			st.use(i, end)
			i = end - 1
			continue
		}
		if mi < 0 && (op == ">" || op == "<" || op == ">=" || op == "between") && num.num >= 1000 && num.num <= 3000 && num.num == float64(int(num.num)) {
			// "born after 1990": a year compares with the only date column.
			if c := st.onlyDateColumn(); c != nil {
				st.filters = append(st.filters, filter{Col: c.Name, Op: "year" + op, Value: num.num, Value2: valueOr(num2), pos: i})
				st.use(i, end)
				i = end - 1
				continue
			}
			// "placed after 2020": the one numeric column of years.
			if w := st.raw(i); w == "after" || w == "before" || w == "since" || w == "later" || w == "earlier" {
				if c := st.onlyYearColumn(); c != nil {
					st.filters = append(st.filters, filter{Col: c.Name, Op: op, Value: num.num, pos: i, cast: c.numText})
					st.use(i, end)
					i = end - 1
					continue
				}
			}
		}
		if mi < 0 && op != "=" {
			st.fail("I could not tell which column %q compares", strings.TrimSpace(st.toks[i].raw+" "+num.raw))
			return
		}
		if mi < 0 {
			continue
		}
		c := st.ms[mi].col
		if c.kind != kindNumber && c.kind != kindDate {
			st.fail("column %q is not numeric", c.Name)
			return
		}
		f := filter{Col: c.Name, Op: op, Value: num.num, pos: i, cast: c.numText}
		if num2 != nil {
			f.Value2 = num2.num
		}
		if c.kind == kindDate {
			if num.num < 1000 || num.num > 3000 {
				st.fail("I can only compare dates with years")
				return
			}
			f.Op = "year" + op
		}
		if num.percent && c.kind == kindNumber {
			// "humidity over 50%": fine for a 0-100 column, scaled for a
			// 0-1 column, ambiguous otherwise.
			switch {
			case c.hasRange && c.min >= 0 && c.max <= 1:
				f.Value = num.num / 100
				if num2 != nil {
					f.Value2 = num2.num / 100
				}
			case c.hasRange && c.min >= 0 && c.max <= 100 && c.max > 1:
			default:
				st.fail("I could not tell how %s holds percentages", quoteIdent(c.Name))
				return
			}
		}
		st.filters = append(st.filters, f)
		st.consume(mi)
		if a := st.rowAttrBefore(i); a >= 0 && st.ms[a].col == c {
			st.consume(a) // "the runtime of the longest film over 120 minutes"
		}
		// "earn more than 5000 monthly": both words name the column.
		for _, k := range []int{i - 1, i - 2, end, end + 1} {
			if mk := st.at(k); mk >= 0 && st.ms[mk].kind == mColumn && st.ms[mk].col == c {
				st.consume(mk)
			}
		}
		st.use(i, end)
		i = end - 1
	}
}

// rowAttrBefore reads "<column> of the <superlative> <noun>" or "<column>
// of the <noun> with the <superlative> <column>" ending right before
// position i and returns the mention of the first column, or -1.
func (st *qstate) rowAttrBefore(i int) int {
	k := i - 1
	isSup := func(w string) bool { _, ok := superlatives[w]; return ok && w != "top" && w != "bottom" }
	noun := func(k int) bool {
		// One row: "the oldest passengers" would be several.
		if w := st.raw(k); strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			return false
		}
		mk := st.at(k)
		return mk >= 0 && st.ms[mk].kind == mGeneric || mk < 0 && st.entityNoun(k)
	}
	if mk := st.at(k); mk >= 0 && st.ms[mk].kind == mColumn && isSup(st.raw(st.ms[mk].start-1)) {
		// "... with the highest fare"
		k = st.ms[mk].start - 2
		if st.raw(k) == "the" {
			k--
		}
		switch {
		case st.raw(k) == "with":
			k--
		case (st.raw(k) == "has" || st.raw(k) == "had") && (st.raw(k-1) == "who" || st.raw(k-1) == "that"):
			k -= 2
		default:
			return -1
		}
		if !noun(k) {
			return -1
		}
		k--
	} else if noun(k) && isSup(st.raw(k-1)) {
		k -= 2 // "the oldest passenger"
	} else if mk := st.at(k); mk >= 0 && st.ms[mk].kind == mColumn && isSup(st.raw(st.ms[mk].start-1)) {
		return -1
	} else {
		return -1
	}
	if st.raw(k) == "the" {
		k--
	}
	if st.raw(k) != "of" {
		return -1
	}
	mk := st.at(k - 1)
	if mk < 0 || st.ms[mk].kind != mColumn || st.ms[mk].col.kind != kindNumber || st.ms[mk].col.binary {
		return -1
	}
	for q := st.ms[mk].start - 1; q >= 0 && q >= st.ms[mk].start-3; q-- {
		if _, agg := aggWords[st.raw(q)]; agg || isSup(st.raw(q)) {
			return -1 // "the average age of the oldest passengers"
		}
	}
	return mk
}

// moneyColumn returns the mention of the only money-like column, or -1.
func (st *qstate) moneyColumn() int {
	found := -1
	for mi, m := range st.ms {
		if m.kind == mColumn && m.col.kind == kindNumber {
			for _, w := range m.col.words {
				if sameConcept(w, "price") {
					if found >= 0 && st.ms[found].col != m.col {
						return -1
					}
					found = mi
				}
			}
		}
	}
	return found
}

// aggBefore returns the aggregation named just before position i.
func (st *qstate) aggBefore(i int) string {
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		if a, ok := aggWords[st.raw(k)]; ok {
			if a == aggSum && st.raw(k+1) == "number" {
				return ""
			}
			st.use(k, k+1)
			return a
		}
		switch st.raw(k) {
		case "highest", "largest", "greatest", "biggest":
			st.use(k, k+1)
			return aggMax // "is the highest fare above 500"
		case "lowest", "smallest":
			st.use(k, k+1)
			return aggMin
		}
		// "the mean value of the fare"
		if !fillers[st.raw(k)] && st.raw(k) != "standard" && st.raw(k) != "deviation" && st.raw(k) != "value" && st.raw(k) != "values" {
			return ""
		}
	}
	if st.raw(i-1) == "deviation" && st.raw(i-2) == "standard" || st.raw(i-2) == "deviation" && st.raw(i-3) == "standard" {
		return aggStd
	}
	return ""
}

// equalityNumbers reads "2nd class", "3 children", "class 2" and
// "in 2010" as equality filters.
func (st *qstate) equalityNumbers() {
	for i := range st.toks {
		// "first class": an ordinal word before an integer column.
		if st.raw(i) == "first" && !st.used[i] {
			if mi, m := st.mentionAfter(i, 0); m != nil && m.kind == mColumn && m.col.kind == kindNumber && m.col.isInt {
				st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: float64(1), pos: i})
				st.consume(mi)
				st.use(i, i+1)
			}
		}
	}
	for i, t := range st.toks {
		if !t.isNum || st.used[i] || st.at(i) >= 0 {
			continue
		}
		if mi, m := st.mentionAfter(i, 0); m != nil && m.kind == mColumn && m.col.kind == kindNumber {
			st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: t.num, pos: i, cast: m.col.numText})
			st.consume(mi)
			st.use(i, i+1)
			continue
		}
		if mi, m := st.mentionBefore(i, 1); m != nil && m.kind == mColumn && m.col.kind == kindNumber && !t.ordinal {
			st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: t.num, pos: i, cast: m.col.numText})
			st.consume(mi)
			st.use(i, i+1)
			continue
		}
		if (st.raw(i+1) == "years" || st.raw(i+1) == "year") && st.raw(i+2) == "old" {
			// "30 years old": the age column.
			if c := st.conceptColumn("age"); c != nil {
				st.filters = append(st.filters, filter{Col: c.Name, Op: "=", Value: t.num, pos: i})
				st.use(i, i+3)
				st.consume(st.at(i + 2))
				continue
			}
		}
		// "1st or 2nd class": alternatives of one column.
		if (st.raw(i+1) == "or" || st.raw(i+1) == "and") && i+2 < len(st.toks) && st.toks[i+2].isNum && !st.used[i+2] {
			if mi, m := st.mentionAfter(i+2, 0); m != nil && m.kind == mColumn && m.col.kind == kindNumber {
				st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: t.num, pos: i},
					filter{Col: m.col.Name, Op: "=", Value: st.toks[i+2].num, pos: i + 2})
				st.consume(mi)
				st.use(i, i+3)
				continue
			}
		}
		if t.num >= 1000 && t.num <= 3000 && t.num == float64(int(t.num)) && (st.raw(i-1) == "in" || st.raw(i-1) == "during") {
			if c := st.onlyDateColumn(); c != nil {
				st.filters = append(st.filters, filter{Col: c.Name, Op: "year=", Value: t.num, pos: i})
				st.use(i-1, i+1)
			}
		}
	}
}

// onlyYearColumn returns the one whole-number column named for years, or
// nil.
func (st *qstate) onlyYearColumn() *column {
	var found *column
	ys := stem("year")
	for _, c := range st.s.cols {
		if c.kind != kindNumber || c.binary || !c.hasRange || c.max > 3000 || c.max < 1000 {
			continue
		}
		for _, w := range c.words {
			if w == ys {
				if found != nil {
					return nil
				}
				found = c
				break
			}
		}
	}
	return found
}

func (st *qstate) onlyDateColumn() *column {
	var found *column
	for _, c := range st.s.cols {
		if c.kind == kindDate {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// nullFilters reads "missing age", "age is missing", "with no cabin".
var nullWords = set(`missing null empty unknown blank nan unrecorded`)

// nullBefore finds "missing values in the" before a column mention at i and
// returns where "missing" is, or -1.
func nullBefore(st *qstate, i int) int {
	k := i - 1
	for n := 0; n < 4 && k >= 0 && nullGap[st.raw(k)] && st.at(k) < 0; n++ {
		k--
	}
	if k < i-1 && k >= 0 && nullWords[st.raw(k)] && st.at(k) < 0 && !negations[st.raw(k-1)] {
		return k
	}
	return -1
}

var nullGap = set(`the in for of value values entry entries data cell cells field fields`)

func (st *qstate) nullFilters() {
	for mi, m := range st.ms {
		if m.kind != mColumn || st.consumed[mi] {
			continue
		}
		op := ""
		b := st.raw(m.start - 1)
		a1, a2 := st.raw(m.end), st.raw(m.end+1)
		switch {
		case nullWords[b]:
			op = "null"
			st.use(m.start-1, m.start)
			if negations[st.raw(m.start-2)] {
				op = "notnull"
				st.use(m.start-2, m.start-1)
			}
		case nullBefore(st, m.start) >= 0:
			// "missing values in the cabin column"
			op = "null"
			st.use(nullBefore(st, m.start), m.start)
		case (a1 == "is" || a1 == "are" || a1 == "was" || a1 == "were") && nullWords[a2]:
			op = "null"
			st.use(m.end, m.end+2)
		case (a1 == "is" || a1 == "are") && a2 == "not" && nullWords[st.raw(m.end+2)]:
			op = "notnull"
			st.use(m.end, m.end+3)
		case b == "no" || b == "without":
			switch {
			case m.col.binary:
			case m.col.kind == kindNumber && m.col.nulls == 0 && m.col.hasRange && m.col.min >= 0:
				// "orders with no discount": zero, as nothing is missing.
				st.filters = append(st.filters, filter{Col: m.col.Name, Op: "=", Value: 0.0, pos: m.start})
				st.consume(mi)
				st.use(m.start-1, m.start)
			case m.col.kind != kindNumber:
				op = "null"
				st.use(m.start-1, m.start)
			case m.col.kind == kindNumber && m.col.hasRange && m.col.min > 0:
				// Never zero, so "no independence year" can only be missing.
				op = "null"
				st.use(m.start-1, m.start)
			default:
				switch st.raw(m.end) {
				case "recorded", "given", "listed", "available", "known", "information", "data", "value", "entered", "reported":
					op = "null" // "no age recorded"
					st.use(m.start-1, m.start)
				}
			}
		case (b == "a" || b == "an") && (st.raw(m.start-2) == "have" || st.raw(m.start-2) == "has" || st.raw(m.start-2) == "had" || st.raw(m.start-2) == "with") && !m.col.binary && st.at(m.end) < 0 && !(m.end < len(st.toks) && st.toks[m.end].isNum):
			switch {
			case m.col.kind == kindText:
				op = "notnull" // "passengers with a cabin"
			case m.col.kind == kindNumber && m.col.nulls == 0 && m.col.hasRange && m.col.min >= 0 && !(st.raw(m.end) == "of"):
				// "orders with a discount": above zero.
				st.filters = append(st.filters, filter{Col: m.col.Name, Op: ">", Value: 0.0, pos: m.start})
				st.consume(mi)
			}
		}
		if op != "" {
			st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, pos: m.start, text: m.col.kind == kindText || m.col.numText})
			st.consume(mi)
		}
	}
}

// signFilters reads "a negative fare", "populations are positive" and
// "non-negative": a comparison of a numeric column with zero.
func (st *qstate) signFilters() {
	for i := range st.toks {
		r := st.raw(i)
		if (r != "negative" && r != "positive") || st.used[i] || st.at(i) >= 0 {
			continue
		}
		op := map[string]string{"negative": "<", "positive": ">"}[r]
		from := i
		if p := st.raw(i - 1); p == "non" || p == "not" {
			op = map[string]string{"<": ">=", ">": "<="}[op]
			from = i - 1
		}
		mi, m := st.mentionAfter(i, 0)
		if m == nil || m.kind != mColumn {
			// "fares are positive", "is the margin negative"
			mi, m = -1, nil
			k := from - 1
			for k >= 0 && (st.raw(k) == "is" || st.raw(k) == "are" || st.raw(k) == "was" || st.raw(k) == "were" || st.raw(k) == "be" || st.raw(k) == "all") && st.at(k) < 0 {
				k--
			}
			if mi = st.at(k); mi >= 0 {
				m = &st.ms[mi]
			}
		}
		if m == nil || m.kind != mColumn || st.consumed[mi] {
			st.fail("I could not tell which column %q describes", r)
			return
		}
		if m.col.kind != kindNumber || m.col.binary {
			st.fail("column %q is not numeric", m.col.Name)
			return
		}
		if agg := st.aggBefore(m.start); agg != "" {
			// "is the average fare positive": a check of the aggregate.
			st.check = &filter{Col: m.col.Name, Op: op, Value: 0.0, Value2: agg, pos: from}
		} else {
			st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, Value: 0.0, pos: from, cast: m.col.numText})
		}
		st.consume(mi)
		// "paid a positive fare": the verb names the same column.
		for _, k := range []int{from - 1, from - 2} {
			if mk := st.at(k); mk >= 0 && st.ms[mk].kind == mColumn && st.ms[mk].col == m.col {
				st.consume(mk)
			}
		}
		st.use(from, i+1)
	}
}

// freeColumns lists the column mentions not yet given a role.
func (st *qstate) freeColumns() []int {
	var out []int
	for mi, m := range st.ms {
		if m.kind == mColumn && !st.consumed[mi] {
			out = append(out, mi)
		}
	}
	return out
}

// binaryFilters turns the remaining mentions of yes/no columns into
// filters: "survivors" -> Survived = 1, "not insured" -> insured = 'No'.
func (st *qstate) binaryFilters() {
	for _, mi := range st.freeColumns() {
		m := st.ms[mi]
		if !m.col.binary {
			continue
		}
		v := m.col.truthy
		op := "="
		if st.negatedBefore(m.start) {
			v = m.col.falsy
		}
		st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, Value: v, pos: m.start})
		st.consume(mi)
	}
}

// sameColumnMentions marks repeated mentions of a column given a role.
func (st *qstate) consumeCol(c *column) {
	for mi, m := range st.ms {
		if m.kind == mColumn && m.col == c {
			st.consume(mi)
		}
	}
}

func valueOr(t *token) any {
	if t == nil {
		return nil
	}
	return t.num
}

// dateFilter compares a date column with the date written at token j
// ("after 2020-01-31"); op "on" means the same day.
func (st *qstate) dateFilter(i, j int, op string) {
	var c *column
	if mi, m := st.mentionBefore(i, 3); m != nil && m.kind == mColumn && m.col.kind == kindDate {
		c = m.col
		st.consume(mi)
	} else if mi, m := st.mentionAfter(j, 1); m != nil && m.kind == mColumn && m.col.kind == kindDate {
		c = m.col
		st.consume(mi)
	} else {
		c = st.onlyDateColumn()
	}
	if c == nil {
		st.fail("I could not tell which date column %s refers to", st.toks[j].raw)
		return
	}
	if op == "between" {
		st.fail("date ranges need two dates; ask with after and before")
		return
	}
	if op == "=" || op == "on" {
		op = "day="
	}
	st.filters = append(st.filters, filter{Col: c.Name, Op: op, Value: st.toks[j].date, pos: i})
	st.use(i, j+1)
}

// dateRange reads "between 2020-01-01 and 2020-03-31" (inclusive).
func (st *qstate) dateRange(i, a, b int) {
	st.dateFilter(i, a, ">=")
	st.dateFilter(i, b, "<=")
	st.use(i, b+1)
}

// onDates reads "from 2020-01-01 to 2020-03-31", "on 2020-01-31" and a
// bare date as a same-day filter.
func (st *qstate) onDates() {
	for j, t := range st.toks {
		if t.date == "" || st.used[j] {
			continue
		}
		if st.raw(j-1) == "from" && (st.raw(j+1) == "to" || st.raw(j+1) == "until" || st.raw(j+1) == "through") && j+2 < len(st.toks) && st.toks[j+2].date != "" {
			st.dateRange(j-1, j, j+2)
			continue
		}
		i := j
		if r := st.raw(j - 1); r == "on" || r == "at" || r == "in" || r == "of" {
			i = j - 1
		}
		st.dateFilter(i, j, "on")
	}
}

// conceptColumn returns the only numeric column named for a concept
// (age, price), or nil.
func (st *qstate) conceptColumn(concept string) *column {
	var found *column
	for _, c := range st.s.cols {
		if c.kind != kindNumber {
			continue
		}
		for _, w := range c.words {
			if sameConcept(w, stem(concept)) || w == concept {
				if found != nil && found != c {
					return nil
				}
				found = c
			}
		}
	}
	return found
}

// textFilters reads "titles containing 'love'", "names that start with
// 'A'" and "whose email ends with '.org'": a quoted text after a text
// column and a contains/starts/ends word.
func (st *qstate) textFilters() {
	for j, t := range st.toks {
		if !t.quoted || st.at(j) >= 0 || st.used[j] {
			continue
		}
		k := j - 1
		for k >= 0 && (st.raw(k) == "word" || st.raw(k) == "term" || st.raw(k) == "string" || st.raw(k) == "text" || st.raw(k) == "the" || st.raw(k) == "letter") {
			k--
		}
		op := ""
		switch st.raw(k) {
		case "contain", "contains", "containing", "include", "includes", "including", "mention", "mentions", "mentioning":
			op = "contains"
		case "with":
			switch st.raw(k - 1) {
			case "start", "starts", "starting", "begin", "begins", "beginning":
				op, k = "starts", k-1
			case "end", "ends", "ending":
				op, k = "ends", k-1
			}
		}
		if op == "" {
			continue
		}
		mi, m := -1, (*mention)(nil)
		for q := k - 1; q >= 0 && q >= k-5; q-- {
			if st.at(q) >= 0 {
				mi, m = st.at(q), &st.ms[st.at(q)]
				break
			}
			if r := st.raw(q); !linkWords[r] && !fillers[r] && !negations[r] && r != "does" && r != "do" && r != "did" {
				break
			}
		}
		if m == nil || m.kind != mColumn || m.col.kind != kindText {
			st.fail("I could not tell which text column to search for %q", t.raw)
			return
		}
		neg := false
		for q := k - 1; q >= m.end; q-- {
			if negations[st.raw(q)] {
				neg = true
			}
		}
		val := strings.TrimSpace(t.raw)
		if op == "contains" && neg {
			op = "notcontains"
		}
		st.filters = append(st.filters, filter{Col: m.col.Name, Op: op, Value: val, pos: k})
		st.consume(mi)
		st.use(m.end, j+1)
	}
}

// namedFilters reads "a passenger named Braund", "anyone called Ann Lee":
// capitalised words after named or called, searched in the column that
// names the rows.
func (st *qstate) namedFilters() {
	for k := range st.toks {
		if r := st.raw(k); (r != "named" && r != "called") || st.used[k] {
			continue
		}
		nc := st.nameColumn("")
		if mk := st.at(k); mk >= 0 && (st.ms[mk].kind != mColumn || st.ms[mk].col != nc || st.consumed[mk]) {
			continue // "named" may name the name column itself
		}
		var words []string
		j := k + 1
		for ; j < len(st.toks) && j <= k+3; j++ {
			t := st.toks[j]
			if t.isNum || !(t.cap || t.quoted) || st.used[j] || st.at(j) >= 0 && st.consumed[st.at(j)] {
				break
			}
			words = append(words, t.raw)
		}
		if len(words) == 0 {
			continue
		}
		c := nc
		if c == nil {
			continue // quoted names are looked up in every text column later
		}
		for q := k; q < j; q++ {
			if mi := st.at(q); mi >= 0 {
				st.consume(mi)
			}
		}
		// Each word anywhere: "Owen Braund" finds "Braund, Mr. Owen Harris".
		for _, w := range words {
			st.filters = append(st.filters, filter{Col: c.Name, Op: "contains", Value: w, pos: k})
		}
		st.use(k, j)
	}
}

// quotedLookups reads a quoted text that names no column and no known
// value as a value of the text columns too varied to list (names, titles):
// it matches any of them, ignoring case.
func (st *qstate) quotedLookups() {
	var cols []string
	for _, c := range st.s.cols {
		if c.kind == kindText && (c.values == nil || c.partial) && c.distinct > 0 {
			cols = append(cols, c.Name)
		}
	}
	for j, t := range st.toks {
		if !t.quoted || st.used[j] || st.at(j) >= 0 {
			continue
		}
		k := j - 1
		if w := st.raw(k); w == "named" || w == "called" || w == "titled" || w == "is" || w == "of" || w == "=" || w == "equal" {
			k--
		}
		if mi := st.at(k); mi >= 0 && st.ms[mi].kind == mColumn && st.ms[mi].col.kind == kindText {
			// "a station named 'X'": that column only.
			st.filters = append(st.filters, filter{Col: st.ms[mi].col.Name, Op: "ieq", Value: t.raw, pos: j})
			st.consume(mi)
			st.use(k, j+1)
			continue
		}
		if len(cols) == 0 {
			return
		}
		st.filters = append(st.filters, filter{Col: cols[0], Alts: cols[1:], Op: "ieq", Value: t.raw, pos: j})
		st.use(j, j+1)
		for _, w := range []string{"named", "called", "titled"} {
			if st.raw(j-1) == w {
				st.use(j-1, j)
			}
		}
	}
}

// columnComparison reads "a gnp greater than their old gnp": one numeric
// column compared with another on each row.
func (st *qstate) columnComparison(i, j int, op string, adjCol int) bool {
	k := j
	if w := st.raw(k); w == "their" || w == "its" || w == "the" || w == "his" || w == "her" {
		k++
	}
	rm := st.at(k)
	if rm < 0 || st.ms[rm].kind != mColumn || st.ms[rm].start != k {
		return false
	}
	right := st.ms[rm].col
	if right.kind != kindNumber || right.binary {
		return false
	}
	lm := adjCol
	if lm < 0 || st.ms[lm].kind != mColumn {
		lm, _ = st.mentionBefore(i, 2)
	}
	if lm < 0 || st.ms[lm].kind != mColumn || st.consumed[lm] {
		return false
	}
	left := st.ms[lm].col
	if left == right || left.kind != kindNumber || left.binary {
		return false
	}
	if _, agg := aggWords[st.raw(st.ms[lm].start-1)]; agg {
		return false // "the average X above Y" is not a row condition
	}
	ref := quoteIdent(right.Name)
	if right.numText {
		ref = numRef(right.Name)
	}
	st.filters = append(st.filters, filter{Col: left.Name, Op: op, pos: i, cast: left.numText, sub: ref})
	st.consume(lm)
	st.consume(rm)
	st.use(i, k)
	return true
}

// aggregateComparison reads "fare above the average", "older than the
// median age": a column compared with an aggregate of the whole table.
func (st *qstate) aggregateComparison(i, j int, op string, adjCol int) bool {
	k := j
	if st.raw(k) == "the" {
		k++
	}
	agg, ok := aggWords[st.raw(k)]
	if !ok || agg == aggSum || agg == aggRange || agg == aggStd || agg == aggVar {
		return false
	}
	end := k + 1
	var aggCol *column
	aggMention := -1
	if st.raw(end) == "of" {
		end++
	}
	if mi := st.at(end); mi >= 0 && st.ms[mi].kind == mColumn {
		aggCol, aggMention = st.ms[mi].col, mi
		end = st.ms[mi].end
	} else if st.raw(end-1) == "of" {
		end--
	}
	var col *column
	colMention := -1
	if adjCol >= 0 && st.ms[adjCol].kind == mColumn {
		col, colMention = st.ms[adjCol].col, adjCol
	} else if mb, m := st.mentionBefore(i, 3); m != nil && m.kind == mColumn && !m.col.binary {
		col, colMention = m.col, mb
		for k := m.start - 1; k >= 0 && k >= m.start-3; k-- {
			if _, isAgg := aggWords[st.raw(k)]; isAgg || superlatives[st.raw(k)] {
				// "is the median age lower than the mean age": two
				// aggregates, not a filter.
				st.fail("I can only compare a column with an aggregate, not two aggregates")
				return true
			}
			if !fillers[st.raw(k)] {
				break
			}
		}
	}
	switch {
	case col == nil && aggCol == nil:
		return false
	case col == nil:
		col = aggCol
	case aggCol == nil:
		aggCol = col
	}
	if col.kind != kindNumber || aggCol.kind != kindNumber {
		st.fail("%s is not numeric", quoteIdent(col.Name))
		return true
	}
	sub := fmt.Sprintf("(SELECT %s(%s) FROM %s)", agg, refOf(aggCol), quoteIdent(st.s.info.Name))
	st.filters = append(st.filters, filter{Col: col.Name, Op: op, Value: agg + " of " + aggCol.Name, pos: i, cast: col.numText, sub: sub})
	st.consume(colMention)
	st.consume(aggMention)
	// "paid a fare above the average": both words name the column.
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		if mk := st.at(k); mk >= 0 && st.ms[mk].kind == mColumn && st.ms[mk].col == col {
			st.consume(mk)
		}
	}
	st.use(i, end)
	return true
}

func refOf(c *column) string {
	if c.numText {
		return numRef(c.Name)
	}
	return quoteIdent(c.Name)
}
