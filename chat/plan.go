package chat

import (
	"context"
	"fmt"
	"strings"
)

// Intents of a plan.
const (
	intentAbstain       = "abstain"
	intentGreeting      = "greeting"
	intentHelp          = "help"
	intentHistory       = "history"
	intentColumnCount   = "column_count"
	intentListColumns   = "list_columns"
	intentDescribe      = "describe_column"
	intentAggregate     = "aggregate"      // Agg(Target) over Filters
	intentShare         = "share"          // percent of Filters rows meeting Cond
	intentGroup         = "group"          // Agg(Target) per GroupBy
	intentRows          = "rows"           // Select from rows meeting Filters, ordered
	intentExists        = "exists"         // any row meets Filters
	intentAll           = "all"            // every Filters row meets Cond
	intentCompare       = "compare"        // Agg(Target) Op Threshold
	intentCompareGroups = "compare_groups" // Agg(Target) for Groups[0] Op for Groups[1]
	intentCorrelation   = "correlation"
	intentMissing       = "missing"
)

// Aggregations.
const (
	aggCount    = "count"
	aggSum      = "sum"
	aggAvg      = "avg"
	aggMedian   = "median"
	aggMin      = "min"
	aggMax      = "max"
	aggStd      = "stddev"
	aggVar      = "variance"
	aggRange    = "range"
	aggDistinct = "count_distinct"
	aggMode     = "mode"
)

// filter is one condition on a column.
type filter struct {
	Col    string `json:"col"`
	Op     string `json:"op"` // = != > >= < <= between null notnull year
	Value  any    `json:"value,omitempty"`
	Value2 any    `json:"value2,omitempty"`
	// Alts are more columns the value may be in (Op "=" only).
	Alts []string `json:"alts,omitempty"`
	pos  int      // token where the condition was found
	text bool     // null checks on text also catch "NULL", "NA", ""
	cast bool     // the column is numeric text, compared through TRY_CAST
	sub  string   // a scalar subquery compared with instead of Value
}

// plan is what the planner understood, independent of phrasing.
type plan struct {
	Intent    string   `json:"intent"`
	Table     string   `json:"table,omitempty"`
	Agg       string   `json:"agg,omitempty"`
	Target    string   `json:"target,omitempty"`
	Select    []string `json:"select,omitempty"`
	GroupBy   string   `json:"group_by,omitempty"`
	GroupFunc string   `json:"group_func,omitempty"` // year or month of a date
	Filters   []filter `json:"filters,omitempty"`
	Cond      []filter `json:"cond,omitempty"`
	OrderBy   string   `json:"order_by,omitempty"`
	OrderAgg  bool     `json:"order_agg,omitempty"` // group plans: order by the aggregate
	Desc      bool     `json:"desc,omitempty"`
	Limit     int      `json:"limit,omitempty"`
	Nth       int      `json:"nth,omitempty"` // rows plans: answer with the Nth row only
	Distinct  bool     `json:"distinct,omitempty"`
	FromEnd   bool     `json:"from_end,omitempty"`
	Single    bool     `json:"single,omitempty"` // answer is one value, not a list
	Op        string   `json:"op,omitempty"`
	Threshold float64  `json:"threshold,omitempty"`
	Groups    []any    `json:"groups,omitempty"`
	Negate    bool     `json:"negate,omitempty"`
	Quote     string   `json:"quote,omitempty"`
	Reason    string   `json:"reason,omitempty"`
	GroupOnly bool     `json:"group_only,omitempty"` // group plans: answer with the group values only
	Expect    any      `json:"expect,omitempty"`     // single group plans: answer whether the group is this value
	Percent   bool     `json:"percent,omitempty"`    // shares: in percent rather than a fraction
	MonthName bool     `json:"month_name,omitempty"` // answer month numbers with their English names
	MonthBase int      `json:"month_base,omitempty"` // the number of January: 0 or 1
	Unit      string   `json:"unit,omitempty"`       // the unit the answer is given in
	Scale     float64  `json:"scale,omitempty"`      // factor from the column's unit to Unit (0: none)
	schema    *schema
}

func abstain(format string, args ...any) *plan {
	return &plan{Intent: intentAbstain, Reason: fmt.Sprintf(format, args...)}
}

func (p *plan) col(name string) *column {
	if p.schema == nil {
		return nil
	}
	for _, c := range p.schema.cols {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// question is a tokenized question with its mentions. It lives for one
// planning call, so it carries that call's context: loops that may run
// long stop when it is done (see expired).
type question struct {
	ctx   context.Context
	s     *schema
	toks  []token
	ms    []mention
	owner []int // token -> index into ms, or -1
	used  []bool
}

func newQuestion(ctx context.Context, s *schema, toks []token) *question {
	q := &question{ctx: ctx, s: s, toks: toks, owner: make([]int, len(toks)), used: make([]bool, len(toks))}
	q.ms = findMentions(ctx, s, toks)
	for i := range q.owner {
		q.owner[i] = -1
	}
	for mi, m := range q.ms {
		for k := m.start; k < m.end; k++ {
			q.owner[k] = mi
		}
	}
	return q
}

// expired reports whether the planning context is done (the budget ran
// out or the caller gave up); planning then stops and abstains.
func (q *question) expired() bool { return q.ctx.Err() != nil }

// raw returns the word at i, or "" for numbers, quotes and out of range.
func (q *question) raw(i int) string {
	if i < 0 || i >= len(q.toks) || q.toks[i].isNum || q.toks[i].quoted {
		return ""
	}
	return q.toks[i].raw
}

// find returns the first position of a phrase of words, or -1.
func (q *question) find(phrase string) int {
	ws := strings.Fields(phrase)
outer:
	for i := 0; i+len(ws) <= len(q.toks); i++ {
		for k, w := range ws {
			if q.raw(i+k) != w {
				continue outer
			}
		}
		return i
	}
	return -1
}

func (q *question) has(phrases ...string) bool {
	for _, p := range phrases {
		if q.find(p) >= 0 {
			return true
		}
	}
	return false
}

// firstOf returns the earliest position of any phrase and its length.
func (q *question) firstOf(phrases ...string) (int, int) {
	best, n := -1, 0
	for _, p := range phrases {
		if i := q.find(p); i >= 0 && (best < 0 || i < best) {
			best, n = i, len(strings.Fields(p))
		}
	}
	return best, n
}

func (q *question) use(from, to int) {
	for k := from; k < to && k < len(q.used); k++ {
		if k >= 0 {
			q.used[k] = true
		}
	}
}

func (q *question) useWords(phrases ...string) {
	for _, p := range phrases {
		n := len(strings.Fields(p))
		for i := 0; i < len(q.toks); i++ {
			if q.find1(p, i) {
				q.use(i, i+n)
			}
		}
	}
}

func (q *question) find1(phrase string, at int) bool {
	for k, w := range strings.Fields(phrase) {
		if q.raw(at+k) != w {
			return false
		}
	}
	return true
}

// fillers may sit between a keyword and the mention it governs.
var fillers = set(`the a an of all any each every its their his her this that these those`)

// mentionAfter returns the first mention starting after position i,
// skipping at most gap filler words (and a modifier standing in for part
// of the column name, which does not count).
func (q *question) mentionAfter(i, gap int) (int, *mention) {
	skipped := 0
	for k := i + 1; k < len(q.toks) && skipped <= gap; k++ {
		if q.at(k) >= 0 {
			return q.at(k), &q.ms[q.at(k)]
		}
		switch {
		case q.modifierSlot(k):
		case fillers[q.raw(k)] || q.toks[k].isNum && gap > 1:
			skipped++
		default:
			return -1, nil
		}
	}
	return -1, nil
}

// mentionBefore returns the last mention ending before position i, skipping
// at most gap filler words.
func (q *question) mentionBefore(i, gap int) (int, *mention) {
	for k := i - 1; k >= 0 && k >= i-1-gap; k-- {
		if q.at(k) >= 0 {
			return q.at(k), &q.ms[q.at(k)]
		}
		if !fillers[q.raw(k)] && !linkWords[q.raw(k)] {
			return -1, nil
		}
	}
	return -1, nil
}

var linkWords = set(`is are was were has have had with whose who which that where when whom`)

// unexplained lists the words of the question the plan does not account
// for. One unknown plural noun right after "how many", "any", "all", "of
// the" and the like is taken as the name of what a row stands for
// ("how many billionaires").
func (q *question) unexplained() []string {
	var out []string
	slot := ""
	modifier := false
	for i, t := range q.toks {
		if q.used[i] || q.at(i) >= 0 {
			continue
		}
		if t.isNum || t.quoted {
			out = append(out, t.raw)
			continue
		}
		if negations[t.raw] {
			out = append(out, t.raw) // an unhandled negation flips the answer
			continue
		}
		if stopwords[t.raw] || entityWords[t.raw] || knownWords[t.raw] || q.s.words[t.stem] || linkWords[t.raw] || fillers[t.raw] {
			continue
		}
		if slot == t.stem || slot == "" && q.entitySlot(i) {
			slot = t.stem // the same noun may come back: "more X than Y"
			continue
		}
		if !modifier && q.modifierSlot(i) {
			modifier = true
			continue
		}
		out = append(out, t.raw)
	}
	return out
}

// entitySlot reports whether the unknown word at i sits where a question
// names the things being counted or listed: "how many billionaires", "any
// employee with", "the youngest player". The word may not be followed by
// "of" ("the salary of ..." names an attribute, not the rows).
func (q *question) entitySlot(i int) bool {
	w := q.raw(i)
	if len(w) < 3 || q.raw(i+1) == "of" || i+1 < len(q.toks) && q.toks[i+1].isNum {
		return false
	}
	// Without any column or value named, "how many dragons are there" is
	// more likely about something the data does not hold.
	anchored := false
	for _, m := range q.ms {
		if m.kind == mColumn || m.kind == mValue {
			anchored = true
		}
	}
	if !anchored {
		return false
	}
	plural := strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")
	prev := q.raw(i - 1)
	prev2 := q.raw(i-2) + " " + prev
	_, afterSuperlative := superlatives[prev]
	switch {
	case prev2 == "how many" || prev2 == "number of" || prev2 == "of the" || prev2 == "all the" || prev2 == "among the":
	case prev == "any" || prev == "every" || prev == "each" || prev == "which" || prev == "no" || afterSuperlative:
	case plural && (prev == "all" || prev == "many" || prev == "among" || prev == "of" || prev == "those"):
	case plural && i > 0 && q.toks[i-1].isNum:
	case i > 0 && q.at(i-1) >= 0 && q.adjectiveSlot(q.ms[q.at(i-1)].start):
		// "of female billionaires", "how many male players", "the most
		// self-made founders"
	default:
		return false
	}
	// "how many wins does the team have" counts a column, not rows.
	for k := i + 1; k < len(q.toks); k++ {
		if r := q.raw(k); r == "does" || r == "do" || r == "did" {
			return false
		}
	}
	return true
}

// at returns the mention owning token i, or -1 (also out of range).
func (q *question) at(i int) int {
	if i < 0 || i >= len(q.owner) {
		return -1
	}
	return q.owner[i]
}

// knownWords are the planner's own keywords.
var knownWords = set(`how many much what which who whom whose where when why is are was were does do did
list show give provide tell name names count counts number total sum average avg mean median maximum max
minimum min highest lowest largest smallest biggest greatest least most fewest top bottom first last
unique distinct different std standard deviation variance range spread percentage percent proportion share
fraction rate ratio common frequent popular often frequently usual typical all every each per by for group
grouped across there any anyone anybody anything true false yes or correlation correlated
between more less fewer greater higher lower larger smaller over above under below least exactly
equal equals to at missing null nulls empty blank column columns variable variables field fields feature
features rows row mean means meaning represent represents stand what's whats it if have has had with
without than and also both either neither value values appear appears times time occurrences occurrence
compared compare versus vs likely more less same whole greatest maximal minimal full along respectively
order ordered sorted descending ascending`)

// adjectiveSlot reports whether a mention starting at i reads as an
// adjective of the row noun after it: "of female ...", "any non-smoking
// ...", "the most popular ...".
func (q *question) adjectiveSlot(i int) bool {
	if negations[q.raw(i-1)] {
		i--
	}
	if i == 0 {
		return true
	}
	switch p := q.raw(i - 1); p {
	case "of", "the", "many", "any", "among", "all", "a", "an", "are", "were", "these", "those", "most", "fewest", "least", "more", "fewer", "than", "and", "or":
		return true
	default:
		_, sup := superlatives[p]
		return sup
	}
}

// modifierSlot reports whether the unknown word at i stands in for a word
// of a longer column name matched in part right after it: "net worth" for
// finalWorth.
func (q *question) modifierSlot(i int) bool {
	mi := q.at(i + 1)
	if mi < 0 || q.toks[i].isNum || q.toks[i].quoted || len(q.raw(i)) < 3 {
		return false
	}
	m := q.ms[mi]
	return m.kind == mColumn && m.start == i+1 && m.score < 0.95 && len(m.col.words) >= 2
}
