package chat

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	fuzzOnce   sync.Once
	fuzzSchema *schema
	fuzzErr    error
)

// planDeadline is the deadline each planning call in these tests runs
// under; after it passes, planning gets as long again to notice and
// return. A fast machine never reaches it: it only bounds a planner that
// fails to stop.
const planDeadline = 5 * time.Second

// maxPlanChecks bounds how often one planning call may check its context.
// Planning checks it about twice per word, so a question of at most
// maxQuestionWords words that needs more is going round in a loop.
const maxPlanChecks = 100 * maxQuestionWords

// planWithin plans q and fails the test when planning panics, checks its
// context more than maxPlanChecks times (work counted, not timed), or has
// not returned once planDeadline, then a grace as long again, have passed:
// every loop of the planner must end or notice that its context is done.
func planWithin(t testing.TB, s *schema, q string) *plan {
	t.Helper()
	deadline, cancel := context.WithTimeout(context.Background(), planDeadline)
	defer cancel()
	ctx := &countdown{Context: deadline, n: maxPlanChecks}
	type result struct {
		p     *plan
		panic any
		stack []byte
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{panic: r, stack: debug.Stack()}
			}
		}()
		p := planQuestion(ctx, s, q)
		if rest, ok := followUp(q); ok && p.Intent != intentAbstain {
			mergeFollowUp(ctx, p, rest)
		}
		done <- result{p: p}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		grace := time.NewTimer(planDeadline)
		defer grace.Stop()
		select {
		case r = <-done:
		case <-grace.C:
			t.Fatalf("planning %q did not stop after its deadline", q)
		}
	}
	if r.panic != nil {
		t.Fatalf("planning %q panicked: %v\n%s", q, r.panic, r.stack)
	}
	if ctx.exhausted() {
		t.Fatalf("planning %q checked its context over %d times: a loop that does not end", q, maxPlanChecks)
	}
	require.NotNil(t, r.p, q)
	if r.p.Intent == intentAbstain {
		require.NotEmpty(t, r.p.Reason, q)
	}
	return r.p
}

// FuzzPlan checks that planning arbitrary text never panics, always ends,
// and that every plan it makes renders SQL.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{
		"How many rows are there?", "What is the average age of female passengers in 1st class?",
		"Which class has the highest average fare?", "List the names of the 2 youngest passengers",
		"Is it true that there are no passengers older than 90?", "Do women survive more than men?",
		"and for men?", "between 10 and", "top", "'", "\"Sex\" = 'male'", "more than than 3 3",
		"what is the 5 5 5 highest", "a an the of", "is", "$", "100%", "first first first",
		"Is a more expensive than b?", "is the fare more expensive than", "less expensive than than",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		fuzzOnce.Do(func() {
			c, err := openDuck(context.Background(), "../testdata/titanic.csv")
			if err != nil {
				fuzzErr = err
				return
			}
			fuzzSchema, fuzzErr = profile(context.Background(), c, c.tables[0], 200)
		})
		if fuzzErr != nil {
			t.Fatal(fuzzErr)
		}
		p := planWithin(t, fuzzSchema, q)
		if p.Intent == intentAbstain {
			return
		}
		if _, err := p.sql(100); err != nil {
			t.Fatalf("plan %+v of %q renders no SQL: %v", p, q, err)
		}
	})
}

// functionWords are the English words questions are built around; random
// questions mix them with a table's names, values and numbers.
var functionWords = strings.Fields(`than more less fewer between not and or by each per for of the a is are
does do was which what how many much most least highest lowest average total number count any all no
expensive cheaper older younger greater over under above below at least equal to in with without top
first last than than more than less than between and missing null true false rows percentage`)

// randomTable is a small table of random columns: its name, SELECT
// statement and the words a question about it may use.
type randomTable struct {
	name  string
	sql   string
	vocab []string
}

// colWords name random columns; some are function words, so that a
// column named "more" or "by" meets the rules that read those words.
var colWords = strings.Fields(`price city age score name kind year more by than total count date region
size level rate amount team player value first`)

// valueWords fill random text columns, also with function words.
var valueWords = strings.Fields(`Oslo Lima red blue north south yes no more less than high low first last
alpha beta gamma none total between each`)

// newRandomTable draws 1-4 columns (text, integer, decimal or yes/no) and
// 1-6 rows.
func newRandomTable(r *rand.Rand, i int) randomTable {
	tbl := randomTable{name: fmt.Sprintf("%s_%d", colWords[r.IntN(len(colWords))], i)}
	ncols, nrows := 1+r.IntN(4), 1+r.IntN(6)
	type col struct{ name, kind string }
	var cols []col
	seen := map[string]bool{}
	for len(cols) < ncols {
		name := colWords[r.IntN(len(colWords))]
		if r.IntN(3) == 0 {
			name += " " + colWords[r.IntN(len(colWords))]
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		cols = append(cols, col{name, []string{"text", "int", "float", "bool"}[r.IntN(4)]})
		tbl.vocab = append(tbl.vocab, strings.Fields(name)...)
	}
	var rows []string
	for range nrows {
		var cells []string
		for _, c := range cols {
			switch c.kind {
			case "text":
				v := valueWords[r.IntN(len(valueWords))]
				tbl.vocab = append(tbl.vocab, v)
				cells = append(cells, "'"+v+"'")
			case "int":
				n := r.IntN(200) - 20
				tbl.vocab = append(tbl.vocab, fmt.Sprint(n))
				cells = append(cells, fmt.Sprint(n))
			case "float":
				cells = append(cells, fmt.Sprintf("%.2f", r.Float64()*100))
			case "bool":
				cells = append(cells, []string{"true", "false"}[r.IntN(2)])
			}
		}
		rows = append(rows, "("+strings.Join(cells, ", ")+")")
	}
	var names []string
	for _, c := range cols {
		names = append(names, fmt.Sprintf("%q", c.name))
	}
	tbl.sql = fmt.Sprintf("SELECT * FROM (VALUES %s) t(%s)", strings.Join(rows, ", "), strings.Join(names, ", "))
	return tbl
}

// randomQuestion strings 1-12 words drawn from the table's words, numbers
// and function words.
func randomQuestion(r *rand.Rand, vocab []string) string {
	n := 1 + r.IntN(12)
	ws := make([]string, n)
	for i := range ws {
		switch k := r.IntN(10); {
		case k < 4:
			ws[i] = vocab[r.IntN(len(vocab))]
		case k < 5:
			ws[i] = fmt.Sprint(r.IntN(100))
		default:
			ws[i] = functionWords[r.IntN(len(functionWords))]
		}
	}
	q := strings.Join(ws, " ")
	if r.IntN(2) == 0 {
		q += "?"
	}
	return q
}

var (
	randomOnce    sync.Once
	randomSchemas []*schema
	randomVocabs  [][]string
	randomErr     error
)

// randomSchemas profiles a fixed set of random tables once per process.
func loadRandomSchemas() ([]*schema, [][]string, error) {
	randomOnce.Do(func() {
		r := rand.New(rand.NewPCG(10, 2026))
		for i := range 6 {
			tbl := newRandomTable(r, i)
			c, err := openDuckSQL(context.Background(), tbl.name, tbl.sql)
			if err != nil {
				randomErr = fmt.Errorf("%s: %w", tbl.sql, err)
				return
			}
			s, err := profile(context.Background(), c, c.tables[0], 200)
			c.Close()
			if err != nil {
				randomErr = err
				return
			}
			randomSchemas = append(randomSchemas, s)
			randomVocabs = append(randomVocabs, tbl.vocab)
		}
	})
	return randomSchemas, randomVocabs, randomErr
}

// TestPlanningEnds is the property behind the plan budget: over random
// small tables, planning random questions made of the tables' names and
// values, numbers and function words (than, more, between, not, by ...)
// always returns, with a plan that renders SQL or an abstention with a
// reason, and never panics.
func TestPlanningEnds(t *testing.T) {
	schemas, vocabs, err := loadRandomSchemas()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(7, 10))
	n := 400
	if testing.Short() {
		n = 50
	}
	for i, s := range schemas {
		for range n {
			q := randomQuestion(r, vocabs[i])
			p := planWithin(t, s, q)
			if p.Intent != intentAbstain {
				_, err := p.sql(100)
				require.NoError(t, err, "table %s, question %q: plan %+v", s.info.Name, q, p)
			}
		}
	}
}

// FuzzPlanWords is TestPlanningEnds for the fuzzer: each byte of words
// picks the next word of the question from one random table's words,
// numbers and function words.
func FuzzPlanWords(f *testing.F) {
	f.Add(uint8(0), []byte{1, 2, 3})
	f.Add(uint8(1), []byte{200, 201, 7, 7, 9})
	f.Add(uint8(2), []byte("more than than"))
	f.Fuzz(func(t *testing.T, table uint8, words []byte) {
		schemas, vocabs, err := loadRandomSchemas()
		if err != nil {
			t.Fatal(err)
		}
		i := int(table) % len(schemas)
		pool := append(append([]string(nil), vocabs[i]...), functionWords...)
		pool = append(pool, "0", "12", "30", "2020", "1.5")
		if len(words) > maxQuestionWords {
			words = words[:maxQuestionWords]
		}
		ws := make([]string, len(words))
		for k, b := range words {
			ws[k] = pool[int(b)%len(pool)]
		}
		q := strings.Join(ws, " ")
		p := planWithin(t, schemas[i], q)
		if p.Intent != intentAbstain {
			if _, err := p.sql(100); err != nil {
				t.Fatalf("plan %+v of %q renders no SQL: %v", p, q, err)
			}
		}
	})
}

// countdown is a context that reports itself cancelled once its Err has
// been asked n times (or its parent is done): it counts the planner's
// checks instead of time.
type countdown struct {
	context.Context
	mu      sync.Mutex
	n       int
	tripped bool
}

func (c *countdown) Err() error {
	if err := c.Context.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n <= 0 {
		c.tripped = true
		return context.Canceled
	}
	c.n--
	return nil
}

// exhausted reports whether the checks ran out.
func (c *countdown) exhausted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tripped
}

// TestPlanStopsWhenExpired checks, counting checks rather than time, that
// a planner whose context runs out at any point abstains saying so.
func TestPlanStopsWhenExpired(t *testing.T) {
	s := titanicSchema(t)
	q := "Is the average fare of female passengers older than 30 more expensive than 20 by class?"
	full := planQuestion(t.Context(), s, q)
	for n := 0; ; n++ {
		require.Less(t, n, 100000, "planning keeps checking its context")
		ctx := &countdown{Context: t.Context(), n: n}
		p := planQuestion(ctx, s, q)
		if !ctx.exhausted() {
			// The context never ran out: planning ran to its end.
			require.Equal(t, full, p)
			require.Positive(t, n, "planning checks its context")
			break
		}
		require.Equal(t, intentAbstain, p.Intent, "checks allowed: %d", n)
		require.Equal(t, planExpired, p.Reason, "checks allowed: %d", n)
	}
}

func titanicSchema(t *testing.T) *schema {
	t.Helper()
	c := openTitanic(t)
	s, err := profile(t.Context(), c, c.tables[0], 200)
	require.NoError(t, err)
	return s
}
