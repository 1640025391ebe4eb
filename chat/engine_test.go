package chat

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"datachat/charts"

	"github.com/stretchr/testify/require"
)

func openTitanic(t testing.TB) *duckCatalog {
	t.Helper()
	c, err := openDuck(context.Background(), "../testdata/titanic.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// refValue runs a reference query and returns its answer in the engine's
// types: the single value, or the first column as a list.
func refValue(t *testing.T, c *duckCatalog, q string, list bool) any {
	t.Helper()
	res, err := c.Query(t.Context(), q, 1000)
	require.NoError(t, err, q)
	if !list {
		require.Len(t, res.Rows, 1, q)
		return typed(res.Rows[0][0])
	}
	out := []any{}
	for _, r := range res.Rows {
		out = append(out, typed(r[0]))
	}
	return out
}

func ask(t *testing.T, e *Embedded, c Catalog, msgs ...string) *Answer {
	t.Helper()
	var m []Message
	for i, s := range msgs {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		m = append(m, Message{Role: role, Content: s})
	}
	a, err := e.Answer(t.Context(), c, Request{Messages: m})
	require.NoError(t, err)
	return a
}

func sameValue(t *testing.T, want, got any, msg string) {
	t.Helper()
	if wf, ok := toFloat(want); ok {
		gf, ok := toFloat(got)
		require.True(t, ok, "%s: got %v (%T), want %v", msg, got, got, want)
		require.InDelta(t, wf, gf, 1e-9, msg)
		return
	}
	if wl, ok := want.([]any); ok {
		gl, ok := got.([]any)
		require.True(t, ok, "%s: got %v (%T), want list %v", msg, got, got, want)
		ws, gs := fmt.Sprint(sortedStrings(wl)), fmt.Sprint(sortedStrings(gl))
		require.Equal(t, ws, gs, msg)
		return
	}
	require.Equal(t, want, got, msg)
}

func sortedStrings(vs []any) []string {
	var out []string
	for _, v := range vs {
		out = append(out, format(v))
	}
	sort.Strings(out)
	return out
}

type qcase struct {
	q      string
	ref    string // reference SQL for the answer; "" means the engine must abstain
	list   bool
	intent string
}

func runCases(t *testing.T, c *duckCatalog, cases []qcase) {
	e := NewEmbedded()
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			if tc.ref == "" {
				require.Nil(t, a.Value, "should abstain, answered %v with %s", a.Value, a.SQL)
				require.False(t, a.Confident)
				require.Contains(t, a.Text, "can't answer")
				return
			}
			require.True(t, a.Confident, a.Text)
			require.NotNil(t, a.Value, a.Text)
			want := refValue(t, c, tc.ref, tc.list)
			sameValue(t, want, a.Value, tc.q+"\n"+a.SQL)
			if a.SQL != "" {
				require.Contains(t, a.Text, "```sql\n"+a.SQL)
			}
			if tc.intent != "" {
				s, err := e.schemaFor(t.Context(), c, c.tables[0])
				require.NoError(t, err)
				require.Equal(t, tc.intent, planQuestion(t.Context(), s, tc.q).Intent)
			}
		})
	}
}

func TestSizeAndShape(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "How many rows are there?", ref: `SELECT count(*) FROM titanic`, intent: intentAggregate},
		{q: "how many records does the dataset have", ref: `SELECT count(*) FROM titanic`},
		{q: "How many columns are there?", ref: `SELECT count(*) FROM information_schema.columns WHERE table_name = 'titanic'`, intent: intentColumnCount},
		{q: "List the columns", ref: `SELECT column_name FROM information_schema.columns WHERE table_name = 'titanic'`, list: true, intent: intentListColumns},
		{q: "What does Pclass mean?", ref: `SELECT 'Pclass'`, intent: intentDescribe},
	})
}

func TestAggregates(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "What is the average age?", ref: `SELECT avg(Age) FROM titanic`},
		{q: "What is the mean fare of female passengers?", ref: `SELECT avg(Fare) FROM titanic WHERE Sex = 'female'`},
		{q: "What is the median fare?", ref: `SELECT median(Fare) FROM titanic`},
		{q: "What is the total fare paid by passengers in 1st class?", ref: `SELECT sum(Fare) FROM titanic WHERE Pclass = 1`},
		{q: "What is the standard deviation of age?", ref: `SELECT stddev_samp(Age) FROM titanic`},
		{q: "What is the maximum fare?", ref: `SELECT max(Fare) FROM titanic`},
		{q: "What is the lowest age?", ref: `SELECT min(Age) FROM titanic`},
		{q: "What is the range of ages?", ref: `SELECT max(Age) - min(Age) FROM titanic`},
		{q: "What is the 90th percentile of fare?", ref: `SELECT quantile_cont(Fare, 0.9) FROM titanic`},
		{q: "What is the first quartile of age?", ref: `SELECT quantile_cont(Age, 0.25) FROM titanic`},
		{q: "What is the interquartile range of fare?", ref: `SELECT quantile_cont(Fare, 0.75) - quantile_cont(Fare, 0.25) FROM titanic`},
		{q: "What is the mode of Embarked?", ref: `SELECT 'S'`},
		{q: "How many passengers survived?", ref: `SELECT count(*) FROM titanic WHERE Survived = 1`},
		{q: "How many males are there?", ref: `SELECT count(*) FROM titanic WHERE Sex = 'male'`},
		{q: "What share of passengers survived?", ref: `SELECT avg(Survived) FROM titanic`, intent: intentShare},
		{q: "What percentage of female passengers survived?", ref: `SELECT 100.0 * avg(Survived) FROM titanic WHERE Sex = 'female'`},
		{q: "What proportion of passengers were male?", ref: `SELECT avg(CASE WHEN Sex = 'male' THEN 1 ELSE 0 END) FROM titanic`},
		{q: "What fraction of 3rd class passengers were female?", ref: `SELECT avg(CASE WHEN Sex = 'female' THEN 1 ELSE 0 END) FROM titanic WHERE Pclass = 3`},
		{q: "How many unique tickets are there?", ref: `SELECT count(DISTINCT Ticket) FROM titanic`},
		{q: "How many distinct values does Embarked have?", ref: `SELECT count(DISTINCT Embarked) FROM titanic`},
		{q: "What is the average age, rounded to 2 decimals?", ref: `SELECT round(avg(Age), 2) FROM titanic`},
		{q: "What is the mean fare (to one decimal place)?", ref: `SELECT round(avg(Fare), 1) FROM titanic`},
		{q: "What is the average salary?", ref: ""},
		{q: "What is the capital of France?", ref: ""},
	})
}

func TestGroupingAndRanking(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "What is the average fare by class?", ref: `SELECT avg(Fare) FROM titanic GROUP BY Pclass ORDER BY Pclass`, list: true, intent: intentGroup},
		{q: "How many passengers per sex?", ref: `SELECT count(*) FROM titanic GROUP BY Sex ORDER BY Sex`, list: true},
		{q: "What is the survival rate for each sex?", ref: `SELECT avg(Survived) FROM titanic GROUP BY Sex ORDER BY Sex`, list: true},
		{q: "What percentage of passengers survived in each class?", ref: `SELECT 100.0 * avg(Survived) FROM titanic GROUP BY Pclass ORDER BY Pclass`, list: true},
		{q: "Which class has the highest average fare?", ref: `SELECT 1`},
		{q: "Which sex has the most passengers?", ref: `SELECT 'male'`},
		{q: "What is the most common Embarked value?", ref: `SELECT 'S'`},
		{q: "What is the name of the oldest passenger?", ref: `SELECT Name FROM titanic ORDER BY Age DESC NULLS LAST LIMIT 1`},
		{q: "What is the fare of the oldest passenger?", ref: `SELECT Fare FROM titanic ORDER BY Age DESC NULLS LAST LIMIT 1`},
		{q: "List the names of the 2 youngest passengers.", ref: `SELECT Name FROM titanic WHERE Age IS NOT NULL ORDER BY Age LIMIT 2`, list: true},
		{q: "What are the 5 highest fares?", ref: `SELECT Fare FROM titanic ORDER BY Fare DESC LIMIT 5`, list: true},
		{q: "List the top 3 ages of female passengers", ref: `SELECT Age FROM titanic WHERE Sex = 'female' AND Age IS NOT NULL ORDER BY Age DESC LIMIT 3`, list: true},
		{q: "Which 2 classes have the lowest average age?", ref: `SELECT Pclass FROM titanic GROUP BY 1 ORDER BY avg(Age) LIMIT 2`, list: true},
		{q: "What is the second highest age?", ref: `SELECT 74`},
		{q: "How many SibSp does the oldest passenger have?", ref: `SELECT SibSp FROM titanic ORDER BY Age DESC NULLS LAST LIMIT 1`},
		{q: "How many Parch did 'Braund, Mr. Owen Harris' have?", ref: `SELECT 0`},
		{q: "What are the top 4 highest fares?", ref: `SELECT Fare FROM titanic ORDER BY Fare DESC LIMIT 4`, list: true},
		{q: "List the top 2 classes with the most passengers.", ref: `SELECT Pclass FROM titanic GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`, list: true},
		{q: "Which sex has the most survivors?", ref: `SELECT 'female'`},
		{q: "Which class had the lowest survival rate?", ref: `SELECT 3`},
		// The top fare repeats, so "second highest" has two readings.
		{q: "What is the second highest fare?", ref: ""},
		// "countries" names the answer, which no column holds.
		{q: "List the 3 oldest passengers", ref: ""},
		{q: "Who paid the highest fare?", ref: ""},
		// Many passengers share the highest fare: the one to name is arbitrary.
		{q: "What is the name of the passenger who paid the highest fare?", ref: ""},
	})
}

func TestFilters(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "How many passengers are older than 30?", ref: `SELECT count(*) FROM titanic WHERE Age > 30`},
		{q: "How many passengers paid over $100?", ref: `SELECT count(*) FROM titanic WHERE Fare > 100`},
		{q: "How many passengers were between 10 and 20 years old?", ref: `SELECT count(*) FROM titanic WHERE Age BETWEEN 10 AND 20`},
		{q: "How many passengers had a fare of at least 50?", ref: `SELECT count(*) FROM titanic WHERE Fare >= 50`},
		{q: "How many female passengers in 1st class survived?", ref: `SELECT count(*) FROM titanic WHERE Sex = 'female' AND Pclass = 1 AND Survived = 1`},
		{q: "How many passengers have a missing age?", ref: `SELECT count(*) FROM titanic WHERE Age IS NULL`},
		{q: "How many passengers were in 1st or 2nd class?", ref: `SELECT count(*) FROM titanic WHERE Pclass IN (1, 2)`},
		{q: "How many passengers are 30 years old?", ref: `SELECT count(*) FROM titanic WHERE Age = 30`},
		{q: "How many passengers over 60 survived?", ref: ""},
		{q: "How many passengers were older than 30 or younger than 10?", ref: ""},
		{q: "How many women aged under 18 did not survive?", ref: `SELECT count(*) FROM titanic WHERE Sex = 'female' AND Age < 18 AND Survived = 0`},
		{q: "What is the average age of men in 3rd class?", ref: `SELECT avg(Age) FROM titanic WHERE Sex = 'male' AND Pclass = 3`},
		{q: "How many passengers have a name containing 'William'?", ref: `SELECT count(*) FROM titanic WHERE Name ILIKE '%william%'`},
		{q: "How many tickets start with 'PC'?", ref: `SELECT count(*) FROM titanic WHERE Ticket ILIKE 'PC%'`},
		{q: "How many passengers have a name that does not contain 'Mr.'?", ref: `SELECT count(*) FROM titanic WHERE Name NOT ILIKE '%mr.%'`},
		{q: "How many passengers are older than the captain?", ref: ""},
		{q: "How many passengers paid a fare above the average?", ref: `SELECT count(*) FROM titanic WHERE Fare > (SELECT avg(Fare) FROM titanic)`},
		{q: "How many passengers are older than the median age?", ref: `SELECT count(*) FROM titanic WHERE Age > (SELECT median(Age) FROM titanic)`},
		{q: "What is the average age of passengers with a fare below the mean fare?", ref: `SELECT avg(Age) FROM titanic WHERE Fare < (SELECT avg(Fare) FROM titanic)`},
		{q: "How many dragons are there?", ref: ""},
	})
}

func TestYesNo(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "Is there any passenger older than 80?", ref: `SELECT false`, intent: intentExists},
		{q: "Are there any passengers older than 70?", ref: `SELECT true`},
		{q: "Is it true that there are no passengers older than 90?", ref: `SELECT true`},
		{q: "Does the dataset contain female passengers?", ref: `SELECT true`},
		{q: "Did all female passengers survive?", ref: `SELECT false`, intent: intentAll},
		{q: "Do women survive more than men?", ref: `SELECT true`, intent: intentCompareGroups},
		{q: "Is the average age greater than 30?", ref: `SELECT avg(Age) > 30 FROM titanic`, intent: intentCompare},
		{q: "Is the oldest passenger a woman?", ref: `SELECT Sex = 'female' FROM titanic ORDER BY Age DESC NULLS LAST LIMIT 1`},
		{q: "Are there more than 100 passengers older than 50?", ref: `SELECT count(*) > 100 FROM titanic WHERE Age > 50`},
		{q: "Are there fewer than 300 passengers in 1st class?", ref: `SELECT true`},
		{q: "Is Pclass correlated with Fare?", ref: ""},
		{q: "Is the highest fare greater than 500?", ref: `SELECT true`},
		{q: "Is the median age lower than the mean age?", ref: ""},
		{q: "Are there more passengers in 3rd class than in 1st class?", ref: `SELECT true`, intent: intentCompareGroups},
		{q: "Are there fewer passengers in 2nd class than in 1st class?", ref: `SELECT true`},
		{q: "Is the number of female passengers greater than 300?", ref: `SELECT true`},
		{q: "Is the average age of survivors lower than 30?", ref: `SELECT avg(Age) < 30 FROM titanic WHERE Survived = 1`},
		{q: "Is the lowest age below 1?", ref: `SELECT true`},
		{q: "Is male the most common sex?", ref: `SELECT true`},
		{q: "Is female the most common sex among survivors?", ref: `SELECT true`},
		{q: "Are there any unicorns?", ref: ""},
	})
}

func TestCorrelationAndMissing(t *testing.T) {
	c := openTitanic(t)
	runCases(t, c, []qcase{
		{q: "What is the correlation between age and fare?", ref: `SELECT corr(Age, Fare) FROM titanic`, intent: intentCorrelation},
		{q: "Which columns have missing values?", ref: `SELECT n FROM (UNPIVOT (SELECT count(*) - count(COLUMNS(*)) FROM titanic) ON COLUMNS(*) INTO NAME col VALUE n)`, list: true, intent: intentMissing},
	})
}

func TestConversation(t *testing.T) {
	c := openTitanic(t)
	e := NewEmbedded()
	a := ask(t, e, c, "hello")
	require.Contains(t, a.Text, "titanic")
	require.Nil(t, a.Value)
	a = ask(t, e, c, "what can you do?")
	require.Contains(t, a.Text, "SQL")
	a = ask(t, e, c, "How many rows are there?", "There are 891 rows.", "What is the average age?", "29.7", "what did I ask first?")
	require.Equal(t, "How many rows are there?", a.Value)
	a = ask(t, e, c, "How many rows are there?", "There are 891 rows.", "What is the average age?", "29.7", "what was my last question?")
	require.Equal(t, "What is the average age?", a.Value)
	a = ask(t, e, c, "How many rows are there?", "There are 891 rows.", "what was your last answer?")
	require.Equal(t, "There are 891 rows.", a.Value)
	a = ask(t, e, c, "what did I ask first?")
	require.Nil(t, a.Value)
	require.Contains(t, a.Text, "first question")

	a = ask(t, e, c, "What share of passengers survived?", "0.38", "and for women?")
	sameValue(t, refValue(t, c, `SELECT avg(Survived) FROM titanic WHERE Sex = 'female'`, false), a.Value, a.SQL)
	a = ask(t, e, c, "What is the average fare of female passengers?", "44.48", "what about 2nd class?")
	sameValue(t, refValue(t, c, `SELECT avg(Fare) FROM titanic WHERE Sex = 'female' AND Pclass = 2`, false), a.Value, a.SQL)
	a = ask(t, e, c, "What is the average fare of female passengers?", "44.48", "and for men?")
	sameValue(t, refValue(t, c, `SELECT avg(Fare) FROM titanic WHERE Sex = 'male'`, false), a.Value, a.SQL)
	a = ask(t, e, c, "How many passengers survived?", "342", "and by class?")
	sameValue(t, refValue(t, c, `SELECT count(*) FROM titanic WHERE Survived = 1 GROUP BY Pclass ORDER BY Pclass`, true), a.Value, a.SQL)
	a = ask(t, e, c, "What is the average age?", "29.7", "and the median?")
	sameValue(t, refValue(t, c, `SELECT median(Age) FROM titanic`, false), a.Value, a.SQL)
	a = ask(t, e, c, "What is the average age?", "29.7", "And how many passengers survived?")
	sameValue(t, int64(342), a.Value, a.SQL)
	a = ask(t, e, c, "what about unicorns?")
	require.Nil(t, a.Value)
}

func TestDatesAndNames(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "orders", `SELECT DATE '2020-11-01' + CAST(i AS INTEGER) AS "Order Date",
		i % 7 AS "Qty (units)", CASE WHEN i % 3 = 0 THEN true ELSE false END AS is_priority,
		['North', 'South', 'East'][i % 3 + 1] AS "salesRegion", i * 1.5 AS "unit_price"
		FROM range(400) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "What is the earliest order date?", ref: `SELECT CAST(min("Order Date") AS VARCHAR) FROM orders`},
		{q: "What is the latest order date?", ref: `SELECT CAST(max("Order Date") AS VARCHAR) FROM orders`},
		{q: "How many orders are there by year?", ref: `SELECT count(*) FROM orders GROUP BY year("Order Date") ORDER BY 1`, list: true},
		{q: "How many orders in 2021?", ref: `SELECT count(*) FROM orders WHERE year("Order Date") = 2021`},
		{q: "How many orders after 2021-06-30?", ref: `SELECT count(*) FROM orders WHERE "Order Date" > DATE '2021-06-30'`},
		{q: "How many orders were placed on 2021-01-05?", ref: `SELECT 1`},
		{q: "How many orders between 2021-01-01 and 2021-01-31?", ref: `SELECT 31`},
		{q: "What is the total qty from 2021-02-01 to 2021-02-28?", ref: `SELECT sum("Qty (units)") FROM orders WHERE "Order Date" BETWEEN DATE '2021-02-01' AND DATE '2021-02-28'`},
		// The orders span 2020 and 2021: a month is a month of a year.
		{q: "How many orders per month?", ref: `SELECT count(*) FROM orders GROUP BY strftime("Order Date", '%Y-%m') ORDER BY 1`, list: true},
		{q: "How many orders per month of the year?", ref: `SELECT count(*) FROM orders GROUP BY month("Order Date") ORDER BY month("Order Date")`, list: true},
		{q: "What is the average unit price of orders before 2021?", ref: `SELECT avg(unit_price) FROM orders WHERE year("Order Date") < 2021`},
		{q: "What is the total qty by sales region?", ref: `SELECT sum("Qty (units)") FROM orders GROUP BY "salesRegion" ORDER BY "salesRegion"`, list: true},
		{q: "How many priority orders are there?", ref: `SELECT count(*) FROM orders WHERE is_priority`},
		{q: "What is the average unit price in the north region?", ref: `SELECT avg(unit_price) FROM orders WHERE "salesRegion" = 'North'`},
		{q: "How many orders have a unit price above 100?", ref: `SELECT count(*) FROM orders WHERE unit_price > 100`},
	})
}

func TestLookups(t *testing.T) {
	c, err := openDuck(t.Context(), "testdata/CountryTable.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "What is the population of France?", ref: `SELECT population FROM countrytable WHERE name = 'France'`},
		{q: "Which continent is Brazil in?", ref: `SELECT 'South America'`},
		{q: "Which region does Aruba belong to?", ref: `SELECT region FROM countrytable WHERE name = 'Aruba'`},
		{q: "How many countries are in Europe?", ref: `SELECT count(*) FROM countrytable WHERE continent = 'Europe'`},
		{q: "Which continent has the most countries?", ref: `SELECT 'Africa'`},
		{q: "How many countries have no independence year recorded?", ref: `SELECT count(*) FROM countrytable WHERE independence_year = 'NuLL'`},
		// Numbers stored as text with NuLL markers are used as numbers.
		{q: "What is the average life expectancy in Africa?", ref: `SELECT avg(TRY_CAST(life_expectancy AS DOUBLE)) FROM countrytable WHERE continent = 'Africa'`},
		{q: "How many countries became independent after 1990?", ref: ""},
		{q: "How many countries have a life expectancy above 80?", ref: `SELECT count(*) FROM countrytable WHERE TRY_CAST(life_expectancy AS DOUBLE) > 80`},
		{q: "Which continent has the highest average life expectancy?", ref: `SELECT continent FROM countrytable GROUP BY 1 ORDER BY avg(TRY_CAST(life_expectancy AS DOUBLE)) DESC NULLS LAST LIMIT 1`},
		{q: "What is the name of the country with the lowest life expectancy?", ref: `SELECT name FROM countrytable ORDER BY TRY_CAST(life_expectancy AS DOUBLE) NULLS LAST LIMIT 1`},
		// A lower-case word that happens to be a country name is not a lookup.
		{q: "What is the population of chad?", ref: ""},
		// The answer is a country: the column naming the rows.
		{q: "List the 3 most populous countries.", ref: `SELECT name FROM countrytable ORDER BY population DESC LIMIT 3`, list: true},
		{q: "Which country has the smallest surface area?", ref: `SELECT name FROM countrytable ORDER BY surface_area LIMIT 1`},
		// A different kind of thing than the table's rows.
		{q: "Which city has the highest population?", ref: ""},
		// A time, not a row.
		{q: "Which decade has the highest population?", ref: ""},
	})
}

func TestSuggestions(t *testing.T) {
	c := openTitanic(t)
	s := Suggestions(c.Tables(t.Context()))
	require.GreaterOrEqual(t, len(s), 3)
	require.LessOrEqual(t, len(s), 5)
	// Every suggestion must be answerable by the engine itself.
	e := NewEmbedded()
	for _, q := range s {
		a := ask(t, e, c, q)
		require.True(t, a.Confident && a.Value != nil, "suggestion %q: %s", q, a.Text)
	}
	require.NotEmpty(t, Suggestions(nil))
}

func TestUnknownDataset(t *testing.T) {
	c := openTitanic(t)
	a, err := NewEmbedded().Answer(t.Context(), c, Request{Messages: []Message{{Role: "user", Content: "How many rows?"}}, Datasets: []string{"nope"}})
	require.NoError(t, err)
	require.Nil(t, a.Value)
	require.True(t, strings.Contains(a.Text, "unknown dataset"))
}

func TestCamelCaseNames(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "staff", `SELECT 20 + i % 40 AS Age, i % 5 = 0 AS Attrition,
		['Sales', 'Research', 'Human Resources'][i % 3 + 1] AS Department,
		1000 + (i * 37) % 19000 AS MonthlyIncome, i % 30 AS YearsAtCompany,
		CASE WHEN i % 2 = 0 THEN 'Yes' ELSE 'No' END AS OverTime
		FROM range(300) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "Does any employee earn more than 19000 monthly?", ref: `SELECT max(MonthlyIncome) > 19000 FROM staff`},
		{q: "What is the average monthly income in the Sales department?", ref: `SELECT avg(MonthlyIncome) FROM staff WHERE Department = 'Sales'`},
		{q: "How many employees have attrition?", ref: `SELECT count(*) FROM staff WHERE Attrition`},
		{q: "Are all employees at least 18 years old?", ref: `SELECT true`},
		{q: "Which department has the highest average monthly income?", ref: `SELECT Department FROM staff GROUP BY 1 ORDER BY avg(MonthlyIncome) DESC LIMIT 1`},
		{q: "What percentage of employees have overtime?", ref: `SELECT 100.0 * avg(CASE WHEN OverTime = 'Yes' THEN 1 ELSE 0 END) FROM staff`},
		{q: "How many departments are there?", ref: `SELECT 3`},
		{q: "What's the median years at company?", ref: `SELECT median(YearsAtCompany) FROM staff`},
	})
}

// TestSeedRequest is ChatCSV's example conversation: the first question is
// quoted, then charts of the data follow.
func TestSeedRequest(t *testing.T) {
	c := openTitanic(t)
	a := ask(t, NewEmbedded(), c, "whats your name", "bob",
		"show me some interesting visuals about this data. but start with what q i asked first")
	require.True(t, strings.HasPrefix(a.Text, `Your first question was: "whats your name"`), a.Text)
	require.GreaterOrEqual(t, len(a.Charts), 2, "%q", a.Text)
	for _, ch := range a.Charts {
		require.NotEmpty(t, ch.Data.Rows)
		require.NotEmpty(t, ch.Finding)
		require.NotEmpty(t, ch.SQL)
		_, err := charts.Render(t.Context(), ch.Spec, ch.Data, "png")
		require.NoError(t, err, ch.Spec.Title)
	}
	require.Contains(t, a.Charts[0].Finding, "Survived rate")

	a = ask(t, NewEmbedded(), c, "plot the average fare by class")
	require.Len(t, a.Charts, 1, a.Text)
	sameValue(t, refValue(t, c, `SELECT avg(Fare) FROM titanic GROUP BY Pclass ORDER BY Pclass`, true), a.Value, a.SQL)
	_, err := charts.Render(t.Context(), a.Charts[0].Spec, a.Charts[0].Data, "png")
	require.NoError(t, err)
}
