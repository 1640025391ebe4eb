package explore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
)

// kind is how exploration treats a column.
type kind int

const (
	kindOther kind = iota // lists, structs, blobs, times of day: not explored
	kindNumber
	kindTime // dates and timestamps
	kindText
	kindBool
)

func kindOf(typ string) (kind, bool) {
	t := strings.ToUpper(strings.TrimSpace(typ))
	switch {
	case datasets.IsNumeric(t):
		return kindNumber, !strings.HasPrefix(t, "DECIMAL") && t != "DOUBLE" && t != "FLOAT" && t != "REAL"
	case t == "DATE" || strings.HasPrefix(t, "TIMESTAMP"):
		return kindTime, false
	case t == "VARCHAR" || strings.HasPrefix(t, "ENUM"):
		return kindText, false
	case t == "BOOLEAN":
		return kindBool, false
	}
	return kindOther, false
}

// valueCount is one value of a low-cardinality column and its row count.
type valueCount struct {
	value any // nil for NULL
	n     int64
}

// column is a profiled column.
type column struct {
	name    string
	kind    kind
	integer bool
	nonNull int64
	// sampleDistinct and sampleNonNull count the distinct and non-null
	// values in a sample of the rows (all of them in a small table).
	sampleDistinct, sampleNonNull int64

	// Numbers: exact min and max; mean, sample standard deviation,
	// skewness and percentiles (of a sample of a large table).
	min, max, mean, std, skew float64
	p01, med, p99             float64 // 1st percentile, median, 99th percentile
	hasRange, hasStats        bool
	// Dates and timestamps.
	tmin, tmax time.Time
	hasSpan    bool
	// t01 and t99 are the 1st and 99th percentiles (of a sample of a
	// large table), to see past placeholder dates such as 1900-01-01.
	t01, t99 time.Time

	// values holds every value with its count, most common first, NULL
	// included, when the column has at most maxLowCard distinct values.
	values  []valueCount
	lowCard bool
	// valuesSQL and valuesData are the query that counted the values and
	// its result, which is also the data of a bar chart of them.
	valuesSQL  string
	valuesData charts.Data
	countName  string // the count's column in valuesData
	id         bool

	// outcome columns are binary with a value that reads as "yes".
	outcome  bool
	positive any
}

// distinct is the exact distinct non-null count of a low-cardinality
// column, else the count in the sample.
func (c *column) distinct() int64 {
	if !c.lowCard {
		return c.sampleDistinct
	}
	n := int64(0)
	for _, v := range c.values {
		if v.value != nil {
			n++
		}
	}
	return n
}

// category reports whether the column can split rows into a few groups:
// 2 to maxRateGroups values of text, booleans or numbers (such as a class
// 1/2/3 or a rating).
func (c *column) category() bool {
	if !c.lowCard || c.id || c.kind == kindTime {
		return false
	}
	d := c.distinct()
	return d >= 2 && d <= maxRateGroups
}

// measure reports whether a number column is worth a histogram or a
// scatter plot: not an identifier, not a code with a few values.
func (c *column) measure() bool {
	if c.kind != kindNumber || c.id || !c.hasStats || c.nonNull < minRows || c.std == 0 {
		return false
	}
	return !c.lowCard || c.distinct() > maxRateGroups
}

// table is a profiled table.
type table struct {
	name  string
	rows  int64
	cols  []*column
	large bool // too many rows for exact statistics
}

// Profiling limits.
const (
	maxColumns    = 100     // columns profiled; the rest are ignored
	maxLowCard    = 30      // distinct values for a column's values to be counted
	exactRows     = 100_000 // up to this many rows, statistics are exact
	statsSample   = 50_000  // rows sampled for the statistics of a larger table
	minRows       = 10      // fewer non-null values are not charted
	maxRateGroups = 12
)

// idWords end the names of identifier and code columns.
var idWords = map[string]bool{"id": true, "uuid": true, "guid": true, "key": true, "zip": true, "zipcode": true, "postcode": true, "fips": true}

// profile reads a table's columns in two queries: a scan for the counts
// and ranges, and (on a sample of a large table) distinct counts, moments
// and quartiles. It then reads the values of the columns with few of them.
func profile(ctx context.Context, cat chat.Catalog, info datasets.TableInfo) (*table, error) {
	t := &table{name: info.Name, rows: info.Rows, large: info.Rows > exactRows}
	var exprs []string
	for _, ci := range info.Columns {
		if len(t.cols) == maxColumns {
			break
		}
		c := &column{name: ci.Name}
		c.kind, c.integer = kindOf(ci.Type)
		if c.kind == kindOther {
			continue
		}
		t.cols = append(t.cols, c)
		q := quoteIdent(c.name)
		exprs = append(exprs, fmt.Sprintf("count(%s)", q))
		switch c.kind {
		case kindNumber:
			exprs = append(exprs, fmt.Sprintf("min(%s::DOUBLE)", q), fmt.Sprintf("max(%s::DOUBLE)", q))
		case kindTime:
			exprs = append(exprs, fmt.Sprintf("min(%s)::TIMESTAMP", q), fmt.Sprintf("max(%s)::TIMESTAMP", q))
		}
	}
	if len(t.cols) == 0 {
		return t, nil
	}
	sql := fmt.Sprintf("SELECT count(*), %s FROM %s", strings.Join(exprs, ", "), quoteIdent(t.name))
	res, err := cat.Query(ctx, sql, 1)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", t.name, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != len(exprs)+1 {
		return nil, fmt.Errorf("profile %s: unexpected result shape", t.name)
	}
	row := res.Rows[0]
	t.rows = toInt(row[0])
	t.large = t.rows > exactRows
	i := 1
	for _, c := range t.cols {
		c.nonNull = toInt(row[i])
		i++
		switch c.kind {
		case kindNumber:
			var ok1, ok2 bool
			c.min, ok1 = toFloat(row[i])
			c.max, ok2 = toFloat(row[i+1])
			c.hasRange = ok1 && ok2
			i += 2
		case kindTime:
			lo, ok1 := row[i].(time.Time)
			hi, ok2 := row[i+1].(time.Time)
			c.tmin, c.tmax, c.hasSpan = lo, hi, ok1 && ok2
			i += 2
		}
	}
	if err := t.sampleStats(ctx, cat); err != nil {
		return nil, err
	}
	for _, c := range t.cols {
		// A sample can miss rare values: count the values of anything that
		// may have few of them and trust the exact count.
		if c.sampleDistinct <= maxLowCard+maxLowCard/2 && c.nonNull > 0 {
			if err := t.countValues(ctx, cat, c); err != nil {
				return nil, err
			}
		}
		c.id = c.idLike()
		c.outcome, c.positive = c.binaryOutcome()
	}
	return t, nil
}

// sampleStats counts the distinct and non-null values of every column and
// the mean, standard deviation, skewness and quartiles of the numbers: over
// the whole of a small table, over a sample of statsSample rows of a large
// one (hashing every string and sorting every number of a million rows
// would take most of a second).
func (t *table) sampleStats(ctx context.Context, cat chat.Catalog) error {
	from := quoteIdent(t.name)
	if t.large {
		pct := 100 * float64(statsSample) / float64(t.rows)
		from = fmt.Sprintf("%s USING SAMPLE %.4f%% (%s, 1)", from, pct, sampleMethod)
	}
	run := func(exprs []string) ([]any, error) {
		res, err := cat.Query(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(exprs, ", "), from), 1)
		if err != nil {
			return nil, err
		}
		if len(res.Rows) != 1 || len(res.Rows[0]) != len(exprs) {
			return nil, fmt.Errorf("unexpected result shape")
		}
		return res.Rows[0], nil
	}
	var all []string
	for _, c := range t.cols {
		all = append(all, c.statsExprs(true)...)
	}
	row, err := run(all)
	if err == nil {
		for _, c := range t.cols {
			n := len(c.statsExprs(true))
			c.readSample(row[:n])
			row = row[n:]
		}
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("profile %s: %w", t.name, err)
	}
	// One column can fail the lot (DuckDB refuses the standard deviation
	// of values near the largest double): go column by column, and without
	// the moments where they fail.
	for _, c := range t.cols {
		row, err := run(c.statsExprs(true))
		if err != nil {
			row, err = run(c.statsExprs(false))
		}
		if err != nil {
			return fmt.Errorf("profile %s.%s: %w", t.name, c.name, err)
		}
		c.readSample(row)
	}
	return nil
}

// statsExprs are the aggregates sampleStats reads for a column: distinct
// and non-null counts, then for numbers (when moments is set) the mean,
// standard deviation, skewness and percentiles.
func (c *column) statsExprs(moments bool) []string {
	q := quoteIdent(c.name)
	exprs := []string{fmt.Sprintf("count(DISTINCT %s)", q), fmt.Sprintf("count(%s)", q)}
	switch {
	case c.kind == kindNumber && moments:
		d := q + "::DOUBLE"
		exprs = append(exprs, fmt.Sprintf("avg(%s)", d), fmt.Sprintf("stddev_samp(%s)", d),
			fmt.Sprintf("skewness(%s)", d), fmt.Sprintf("quantile_cont(%s, [0.01, 0.5, 0.99])", d))
	case c.kind == kindTime && moments:
		exprs = append(exprs, fmt.Sprintf("quantile_disc(%s::TIMESTAMP, [0.01, 0.99])", q))
	}
	return exprs
}

// readSample reads the values of statsExprs.
func (c *column) readSample(v []any) {
	c.sampleDistinct, c.sampleNonNull = toInt(v[0]), toInt(v[1])
	switch {
	case c.kind == kindNumber && len(v) == 6:
		c.readStats(v[2:])
	case c.kind == kindTime && len(v) == 3:
		if q, ok := v[2].([]any); ok && len(q) == 2 {
			c.t01, _ = q[0].(time.Time)
			c.t99, _ = q[1].(time.Time)
		}
	}
}

func (c *column) readStats(v []any) {
	var ok [3]bool
	c.mean, ok[0] = toFloat(v[0])
	c.std, ok[1] = toFloat(v[1])
	c.skew, ok[2] = toFloat(v[2])
	if !ok[2] {
		c.skew = 0 // undefined for a constant column
	}
	q, isList := v[3].([]any)
	if !isList || len(q) != 3 || !ok[0] || !ok[1] || !c.hasRange {
		return
	}
	var qok [3]bool
	c.p01, qok[0] = toFloat(q[0])
	c.med, qok[1] = toFloat(q[1])
	c.p99, qok[2] = toFloat(q[2])
	c.hasStats = qok[0] && qok[1] && qok[2]
}

// countValues reads every value of a low-cardinality column with its count.
func (t *table) countValues(ctx context.Context, cat chat.Catalog, c *column) error {
	q, n := quoteIdent(c.name), quoteIdent(alias("n", c.name))
	sql := fmt.Sprintf("SELECT %s, count(*) AS %s FROM %s GROUP BY 1 ORDER BY %s DESC, 1 NULLS LAST LIMIT %d",
		q, n, quoteIdent(t.name), n, maxLowCard+2)
	res, err := cat.Query(ctx, sql, maxLowCard+2)
	if err != nil {
		return fmt.Errorf("count values of %s.%s: %w", t.name, c.name, err)
	}
	distinct := 0
	for _, r := range res.Rows {
		if r[0] != nil {
			distinct++
		}
	}
	if distinct > maxLowCard || res.Truncated {
		return nil
	}
	c.lowCard = true
	c.valuesSQL, c.countName = sql, res.Columns[1]
	c.valuesData = charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
	c.values = make([]valueCount, 0, len(res.Rows))
	for _, r := range res.Rows {
		c.values = append(c.values, valueCount{value: r[0], n: toInt(r[1])})
	}
	return nil
}

// idLike reports whether a column identifies rows or codes things rather
// than measuring them: its name ends in a word like "id", or it holds a
// distinct, nearly consecutive whole number per row.
func (c *column) idLike() bool {
	if c.kind != kindNumber && c.kind != kindText {
		return false
	}
	words := splitWords(c.name)
	if len(words) > 0 && idWords[words[len(words)-1]] && (!c.lowCard || c.distinct() == c.nonNull) {
		return true
	}
	if c.kind != kindNumber || !c.integer || !c.hasStats || c.nonNull < minRows {
		return false
	}
	unique := c.sampleNonNull > 0 && float64(c.sampleDistinct) >= 0.95*float64(c.sampleNonNull)
	dense := c.max-c.min+1 <= 1.5*float64(c.nonNull)
	return unique && dense
}

// Words that mark a binary value as the "yes" or the "no" of an outcome.
var (
	yesWords = map[string]bool{
		"yes": true, "y": true, "true": true, "t": true, "1": true, "survived": true, "alive": true,
		"positive": true, "pos": true, "pass": true, "passed": true, "success": true, "successful": true,
		"win": true, "won": true, "approved": true, "accepted": true, "churned": true, "churn": true,
		"default": true, "defaulted": true, "fraud": true, "converted": true, "clicked": true,
		"purchased": true, "present": true, "admitted": true, "readmitted": true, "completed": true,
		"cancelled": true, "canceled": true, "on": true,
	}
	noWords = map[string]bool{
		"no": true, "n": true, "false": true, "f": true, "0": true, "died": true, "dead": true,
		"deceased": true, "negative": true, "neg": true, "fail": true, "failed": true, "failure": true,
		"loss": true, "lost": true, "rejected": true, "declined": true, "denied": true, "stayed": true,
		"retained": true, "legit": true, "legitimate": true, "absent": true, "off": true, "none": true,
		"not churned": true, "no churn": true, "not fraud": true, "non-fraud": true,
	}
	// outcomeNames name columns that hold an outcome whatever their values.
	outcomeNames = map[string]bool{
		"survived": true, "survival": true, "churn": true, "churned": true, "outcome": true, "target": true,
		"label": true, "default": true, "defaulted": true, "fraud": true, "diagnosis": true, "converted": true,
		"attrition": true, "response": true, "result": true, "status": true,
	}
)

// binaryOutcome reports whether a column is a binary outcome, and its
// "yes" value: booleans, 0/1 numbers, text values such as yes/no or
// survived/died, or any two values in a column named like an outcome
// ("diagnosis", "target"), the rarer value then being the "yes".
func (c *column) binaryOutcome() (bool, any) {
	if !c.lowCard || c.id || c.distinct() != 2 {
		return false, nil
	}
	var vals []valueCount
	for _, v := range c.values {
		if v.value != nil {
			vals = append(vals, v)
		}
	}
	a, b := vals[0], vals[1] // a is the more common
	switch c.kind {
	case kindBool:
		return true, true
	case kindNumber:
		fa, _ := toFloat(a.value)
		fb, _ := toFloat(b.value)
		if min(fa, fb) == 0 && max(fa, fb) == 1 {
			if fa == 1 {
				return true, a.value
			}
			return true, b.value
		}
	case kindText:
		sa := strings.ToLower(strings.TrimSpace(a.value.(string)))
		sb := strings.ToLower(strings.TrimSpace(b.value.(string)))
		switch {
		case yesWords[sa] && noWords[sb]:
			return true, a.value
		case yesWords[sb] && noWords[sa]:
			return true, b.value
		}
	}
	words := splitWords(c.name)
	if len(words) > 0 && slices.ContainsFunc(words, func(w string) bool { return outcomeNames[w] }) {
		return true, b.value
	}
	return false, nil
}

// sampleMethod is how DuckDB samples a large table for statistics.
var sampleMethod = "system"
