package chat

import (
	"context"
	"sync"
	"testing"
)

var (
	fuzzOnce   sync.Once
	fuzzSchema *schema
	fuzzErr    error
)

// FuzzPlan checks that planning arbitrary text never panics and that every
// plan it makes renders SQL.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{
		"How many rows are there?", "What is the average age of female passengers in 1st class?",
		"Which class has the highest average fare?", "List the names of the 2 youngest passengers",
		"Is it true that there are no passengers older than 90?", "Do women survive more than men?",
		"and for men?", "between 10 and", "top", "'", "\"Sex\" = 'male'", "more than than 3 3",
		"what is the 5 5 5 highest", "a an the of", "is", "$", "100%", "first first first",
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
		p := planQuestion(fuzzSchema, q)
		if p.Intent == intentAbstain {
			return
		}
		if _, err := p.sql(100); err != nil {
			t.Fatalf("plan %+v of %q renders no SQL: %v", p, q, err)
		}
		if rest, ok := followUp(q); ok {
			mergeFollowUp(p, rest)
		}
	})
}
