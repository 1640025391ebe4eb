package chat

import (
	"context"
	"slices"
	"testing"
	"time"
)

var benchQuestions = []string{
	"How many passengers survived?",
	"What is the average age of female passengers?",
	"Which class has the highest average fare?",
	"What share of passengers survived?",
	"List the names of the 2 youngest passengers",
}

// BenchmarkAnswerTitanic measures answer latency on the 891-row titanic
// table (schema profile cached, as in a session).
func BenchmarkAnswerTitanic(b *testing.B) {
	c, err := openDuck(context.Background(), "../testdata/titanic.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	benchAnswers(b, c, benchQuestions)
}

// BenchmarkAnswer1M measures answer latency on a generated 1M-row table.
func BenchmarkAnswer1M(b *testing.B) {
	c, err := openDuckSQL(context.Background(), "sales", `SELECT i AS order_id,
		['north', 'south', 'east', 'west'][i % 4 + 1] AS region,
		['books', 'games', 'music', 'tools', 'toys'][i % 5 + 1] AS category,
		(i * 7919) % 1000 / 10.0 AS price, (i % 9) + 1 AS quantity, i % 2 = 0 AS is_returned,
		DATE '2015-01-01' + CAST(i % 3000 AS INTEGER) AS order_date
		FROM range(1000000) t(i)`)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	benchAnswers(b, c, []string{
		"How many orders are in the north region?",
		"What is the average price by category?",
		"Which region has the highest total quantity?",
		"What share of orders were returned?",
		"What are the 3 highest prices of books?",
	})
}

func benchAnswers(b *testing.B, c Catalog, qs []string) {
	e := NewEmbedded()
	ctx := context.Background()
	for _, q := range qs {
		a, err := e.Answer(ctx, c, Request{Messages: []Message{{Role: "user", Content: q}}})
		if err != nil || a.Value == nil {
			b.Fatalf("%q: %v %v", q, err, a)
		}
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		start := time.Now()
		if _, err := e.Answer(ctx, c, Request{Messages: []Message{{Role: "user", Content: q}}}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "p90-ms")
}

// BenchmarkFirstAnswer1M measures the first answer on a generated 1M-row
// table, which also profiles the table (distinct counts, value lists).
func BenchmarkFirstAnswer1M(b *testing.B) {
	c, err := openDuckSQL(context.Background(), "sales", `SELECT i AS order_id,
		['north', 'south', 'east', 'west'][i % 4 + 1] AS region,
		'customer ' || (i % 50000) AS customer,
		(i * 7919) % 1000 / 10.0 AS price, (i % 9) + 1 AS quantity,
		DATE '2015-01-01' + CAST(i % 3000 AS INTEGER) AS order_date
		FROM range(1000000) t(i)`)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := Request{Messages: []Message{{Role: "user", Content: "What is the average price in the north region?"}}}
	for b.Loop() {
		if a, err := NewEmbedded().Answer(ctx, c, req); err != nil || a.Value == nil {
			b.Fatalf("%v %v", err, a)
		}
	}
}
