package chat

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOddTables asks questions of tables with awkward names and types: the
// engine must quote identifiers, skip nested columns and never fail.
func TestOddTables(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "odd table", `SELECT i AS "my ""quoted"" col", i * 2.5 AS "Age (years)",
		1000 + i AS "2019 population", [i, i + 1] AS tags, {'a': i} AS info,
		CASE WHEN i % 2 = 0 THEN 'it''s' ELSE 'O''Brien' END AS "owner name", NULL::VARCHAR AS empty
		FROM range(50) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	e := NewEmbedded()
	for _, q := range []string{
		"How many rows are there?", "What is the average age?", "What is the maximum 2019 population?",
		"How many rows have owner name 'O'Brien'?", "List the columns", "Which columns have missing values?",
		"What is the most common tags?", "What is the average info?", "How many empty values are missing?",
		"'", `"`, "?", "", "average average average", "what is the the the",
	} {
		a, err := e.Answer(t.Context(), c, Request{Messages: []Message{{Role: "user", Content: q}}})
		require.NoError(t, err, q)
		require.NotEmpty(t, a.Text, q)
		if a.Value == nil {
			require.False(t, a.Confident && a.SQL != "", q)
		}
	}
	a := ask(t, e, c, "What is the average age?")
	sameValue(t, refValue(t, c, `SELECT avg("Age (years)") FROM "odd table"`, false), a.Value, a.SQL)
	a = ask(t, e, c, "What is the maximum 2019 population?")
	sameValue(t, int64(1049), a.Value, a.SQL)
	a = ask(t, e, c, "How many rows have owner name 'O'Brien'?")
	sameValue(t, int64(25), a.Value, a.SQL)
}

func TestEmptyTable(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "nothing", `SELECT 1 AS a, 'x' AS b WHERE false`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	e := NewEmbedded()
	a := ask(t, e, c, "How many rows are there?")
	sameValue(t, int64(0), a.Value, a.SQL)
	a = ask(t, e, c, "What is the average a?")
	require.Nil(t, a.Value, a.Text)
}

func TestNoTables(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "t", `SELECT 1 AS a`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	c.tables = nil
	a := ask(t, NewEmbedded(), c, "How many rows are there?")
	require.Nil(t, a.Value)
	require.Contains(t, a.Text, "No data is loaded")
	a = ask(t, NewEmbedded(), c, "hi")
	require.Contains(t, a.Text, "No data is loaded")
}

func TestCancelled(t *testing.T) {
	c := openTitanic(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := NewEmbedded().Answer(ctx, c, Request{Messages: []Message{{Role: "user", Content: "How many rows are there?"}}})
	require.Error(t, err)
}

func TestLookupsAndPercents(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "readings", `SELECT 'Station ' || i AS station, i % 101 AS humidity,
		(i % 10) / 10.0 AS cover, i * 2 AS score FROM range(3000) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "What is the score of 'Station 42'?", ref: `SELECT 84`},
		{q: "Is there a station named 'Station 4000'?", ref: `SELECT false`},
		{q: "How many readings have humidity over 50%?", ref: `SELECT count(*) FROM readings WHERE humidity > 50`},
		{q: "How many readings have a cover of at least 50%?", ref: `SELECT count(*) FROM readings WHERE cover >= 0.5`},
		{q: "How many readings have a score above 50%?", ref: ""},
	})
}

func TestSalesQuestions(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "sales", `SELECT i AS order_id, ['Laptop', 'Phone', 'Tablet'][i % 3 + 1] AS product,
		['North', 'South'][i % 2 + 1] AS region, [0, 0, 0.1, 0.2][i % 4 + 1] AS discount,
		CASE WHEN i % 5 = 0 OR i % 6 = 1 THEN 'yes' ELSE 'no' END AS returned, (i * 13) % 500 + 0.5 AS unit_price,
		CASE WHEN i % 7 = 0 THEN NULL ELSE i % 5 + 1 END AS customer_rating
		FROM range(600) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "How many orders had no discount?", ref: `SELECT count(*) FROM sales WHERE discount = 0`},
		{q: "How many orders had a discount?", ref: `SELECT count(*) FROM sales WHERE discount > 0`},
		{q: "What is the return rate by region?", ref: `SELECT avg(CASE WHEN returned = 'yes' THEN 1 ELSE 0 END) FROM sales GROUP BY region ORDER BY region`, list: true},
		{q: "Which product was returned most often?", ref: `SELECT product FROM sales WHERE returned = 'yes' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`},
		{q: "What are the top 2 products by total unit price?", ref: `SELECT product FROM sales GROUP BY 1 ORDER BY sum(unit_price) DESC LIMIT 2`, list: true},
		{q: "List the bottom 1 region by average discount.", ref: `SELECT region FROM sales GROUP BY 1 ORDER BY avg(discount) LIMIT 1`, list: true},
		{q: "What share of orders came from the North?", ref: `SELECT avg(CASE WHEN region = 'North' THEN 1 ELSE 0 END) FROM sales`},
		{q: "What is the average customer rating of laptops?", ref: `SELECT avg(customer_rating) FROM sales WHERE product = 'Laptop'`},
		// Ratings are never zero, so "no rating" means a missing one.
		{q: "How many orders have no customer rating?", ref: `SELECT count(*) FROM sales WHERE customer_rating IS NULL`},
		{q: "List the 3 most expensive products.", ref: ""},
	})
}

func TestVisualWordAsColumn(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "movies", `SELECT 'Movie ' || i AS Title, 'A story number ' || i AS Plot, 1990 + i % 30 AS Year FROM range(40) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	a := ask(t, NewEmbedded(), c, "What is the plot of 'Movie 3'?")
	require.Empty(t, a.Charts)
	require.Equal(t, "A story number 3", a.Value, a.Text)
}

func TestRowNounsAndModifiers(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "all", `SELECT 'Person ' || i AS personName, 20 + (i * 7) % 70 + i / 1000.0 AS age,
		1000.0 - i AS finalWorth, i % 3 = 0 AS selfMade, ['M', 'F'][i % 2 + 1] AS gender FROM range(200) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "Is the person with the highest net worth self-made?", ref: `SELECT selfMade FROM "all" ORDER BY finalWorth DESC LIMIT 1`},
		{q: "What is the age of the youngest billionaire?", ref: `SELECT min(age) FROM "all"`},
		{q: "What is the average age of self-made billionaires?", ref: `SELECT avg(age) FROM "all" WHERE selfMade`},
		{q: "Are there more male billionaires than female billionaires?", ref: `SELECT false`},
		{q: "How many female billionaires are there?", ref: `SELECT 100`},
		// An unknown word before "of" names an attribute the data lacks.
		{q: "What is the salary of the youngest billionaire?", ref: ""},
	})
}

// TestConcurrentAnswers shares one engine (and its schema cache) between
// goroutines, as a server does.
func TestConcurrentAnswers(t *testing.T) {
	c := openTitanic(t)
	e := NewEmbedded()
	qs := []string{"How many passengers survived?", "What is the average fare by class?", "Which sex has the most survivors?", "hello"}
	errs := make(chan error, 8*len(qs))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		for _, q := range qs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := e.Answer(t.Context(), c, Request{Messages: []Message{{Role: "user", Content: q}}})
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestSuggestionsAnswerable checks on several tables that every suggested
// question gets an answer.
func TestSuggestionsAnswerable(t *testing.T) {
	country, err := openDuck(t.Context(), "testdata/CountryTable.csv")
	require.NoError(t, err)
	t.Cleanup(country.Close)
	text, err := openDuckSQL(t.Context(), "all", `SELECT 'n' || i AS name, ['a', 'b'][i % 2 + 1] AS kind FROM range(30) t(i)`)
	require.NoError(t, err)
	t.Cleanup(text.Close)
	dates, err := openDuckSQL(t.Context(), "events", `SELECT DATE '2020-01-01' + CAST(i AS INTEGER) AS day_of_event, i AS id FROM range(30) t(i)`)
	require.NoError(t, err)
	t.Cleanup(dates.Close)
	e := NewEmbedded()
	for _, c := range []*duckCatalog{country, text, dates} {
		s := Suggestions(c.Tables(t.Context()))
		require.GreaterOrEqual(t, len(s), 3)
		for _, q := range s {
			a := ask(t, e, c, q)
			require.NotNil(t, a.Value, "%s: %q: %s", c.tables[0].Name, q, a.Text)
		}
	}
}

func TestSeveralTables(t *testing.T) {
	c, err := openDuck(t.Context(), "../testdata/titanic.csv", "testdata/CountryTable.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	e := NewEmbedded()
	a := ask(t, e, c, "How many passengers survived?")
	sameValue(t, int64(342), a.Value, a.Text)
	a = ask(t, e, c, "How many countries are in Europe?")
	sameValue(t, int64(46), a.Value, a.Text)
	// Both tables can count rows: the engine asks which one is meant.
	a = ask(t, e, c, "How many rows are there?")
	require.Nil(t, a.Value)
	require.Contains(t, a.Text, "several tables")
	r, err := e.Answer(t.Context(), c, Request{Messages: []Message{{Role: "user", Content: "How many rows are there?"}}, Datasets: []string{"countrytable"}})
	require.NoError(t, err)
	sameValue(t, int64(239), r.Value, r.Text)
}
