package chat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Kinds of question added for DataBench-style phrasings, each in several
// wordings, with abstentions where the question stays ambiguous.

func TestKindsTitanic(t *testing.T) {
	runCases(t, openTitanic(t), []qcase{
		// Distinct counts of the things the rows stand for.
		{q: "How many unique passengers are there?", ref: `SELECT count(DISTINCT PassengerId) FROM titanic`},
		{q: "how many different passengers are listed", ref: `SELECT count(DISTINCT PassengerId) FROM titanic`},
		{q: "How many distinct dragons are there?", ref: ""},
		// "named X": the words of a name in the column of names.
		{q: "Is there a passenger named Cumings?", ref: `SELECT count(*) > 0 FROM titanic WHERE lower(Name) LIKE '%cumings%'`},
		{q: "How many passengers were called Williams?", ref: `SELECT count(*) FROM titanic WHERE lower(Name) LIKE '%williams%'`},
		{q: "What is the fare of the passenger named Florence Briggs Thayer?", ref: `SELECT Fare FROM titanic WHERE Name LIKE '%Florence Briggs Thayer%'`},
		{q: "Is there a passenger named Qwertyuiop?", ref: `SELECT false`},
		// "more X than N": the column between the comparative and "than".
		{q: "How many passengers have a higher fare than 200?", ref: `SELECT count(*) FROM titanic WHERE Fare > 200`},
		{q: "Is the fare of the oldest passenger under 20?", ref: `SELECT Fare < 20 FROM titanic ORDER BY Age DESC NULLS LAST LIMIT 1`},
		{q: "Is the age of the passenger with the highest fare above 30?", ref: ""}, // the top fare is shared
		// Differences are not computed: no count of one side passes for one.
		{q: "How many more women than men survived?", ref: ""},
		{q: "How much higher is the average fare of women than men?", ref: ""},
		// Signs: negative, positive, non-negative.
		{q: "Does any passenger have a negative age?", ref: `SELECT count(*) > 0 FROM titanic WHERE Age < 0`},
		{q: "Is every fare positive?", ref: `SELECT count(*) FILTER (WHERE NOT coalesce(Fare > 0, false)) = 0 FROM titanic`},
		{q: "How many passengers paid a positive fare?", ref: `SELECT count(*) FROM titanic WHERE Fare > 0`},
		{q: "Is the mean fare negative?", ref: `SELECT avg(Fare) < 0 FROM titanic`},
		{q: "Is the outcome positive?", ref: ""},
		{q: "Is the cabin positive?", ref: ""},
		// The listed column is the one named before the ranked rows.
		{q: "List the ages of the 3 passengers who paid the highest fare.", ref: `SELECT Age FROM titanic ORDER BY Fare DESC LIMIT 3`, list: true},
		// An aggregate compared with a number across "value of" and a
		// participle.
		{q: "Is the mean value of the age greater than 35?", ref: `SELECT avg(Age) > 35 FROM titanic`},
		{q: "Is the median fare observed below 20?", ref: `SELECT median(Fare) < 20 FROM titanic`},
		{q: "Is the average fare level recorded above 40?", ref: `SELECT avg(Fare) > 40 FROM titanic`},
		// Missing values named before the column.
		{q: "Are there any null values in the Embarked column?", ref: `SELECT count(*) > 0 FROM titanic WHERE Embarked IS NULL`},
		{q: "How many missing entries does the Age column have?", ref: `SELECT count(*) FROM titanic WHERE Age IS NULL`},
		// "by" after a participle is an agent.
		{q: "What is the mean fare paid by women?", ref: `SELECT avg(Fare) FROM titanic WHERE Sex = 'female'`},
		// "who" and the name column.
		{q: "Who was the youngest passenger?", ref: `SELECT Name FROM titanic ORDER BY Age LIMIT 1`},
		{q: "Who is the oldest woman?", ref: ""}, // several rows tie on age
		{q: "Who paid the lowest fare among first class women?", ref: ""},
	})
}

func TestKindsCountry(t *testing.T) {
	c, err := openDuck(t.Context(), "testdata/CountryTable.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		{q: "Which country has the longest life expectancy?", ref: `SELECT name FROM countrytable ORDER BY TRY_CAST(life_expectancy AS DOUBLE) DESC NULLS LAST LIMIT 1`},
		{q: "Who has the largest gnp?", ref: `SELECT name FROM countrytable ORDER BY gnp DESC LIMIT 1`},
		{q: "Which 2 countries have the biggest surface area?", ref: `SELECT name FROM countrytable ORDER BY surface_area DESC LIMIT 2`, list: true},
		{q: "Which century has the largest surface area?", ref: ""},
		// A column of the top row compared with a number.
		{q: "Is the gnp of the country with the largest population above 1000000?", ref: `SELECT gnp > 1000000 FROM countrytable ORDER BY population DESC LIMIT 1`},
		{q: "Is the surface area of the country that has the highest gnp below 5000000?", ref: `SELECT surface_area < 5000000 FROM countrytable ORDER BY gnp DESC LIMIT 1`},
		{q: "Is the mean gnp of the richest countries above 10?", ref: ""},
		{q: "Is the population of the country with the largest gnp over 200000000 people?", ref: `SELECT population > 200000000 FROM countrytable ORDER BY gnp DESC LIMIT 1`},
		// A distinct count compared with a number.
		{q: "Is the number of distinct regions greater than 30?", ref: `SELECT count(DISTINCT region) > 30 FROM countrytable`},
		{q: "Are there fewer than 10 different continents?", ref: `SELECT count(DISTINCT continent) < 10 FROM countrytable`},
		{q: "Is the count of unique government forms at least 35?", ref: `SELECT count(DISTINCT government_form) >= 35 FROM countrytable`},
		// "the N groups with the highest aggregate" after "which are".
		{q: "Which are the 2 continents with the highest total population?", ref: `SELECT continent FROM countrytable GROUP BY 1 ORDER BY sum(population) DESC LIMIT 2`, list: true},
		// Lists of the rows' names under conditions.
		{q: "Which countries in Europe have a life expectancy over 80?", ref: `SELECT name FROM countrytable WHERE continent = 'Europe' AND TRY_CAST(life_expectancy AS DOUBLE) > 80`, list: true},
		{q: "List the countries with a gnp above 1500000.", ref: `SELECT name FROM countrytable WHERE gnp > 1500000`, list: true},
		{q: "List the countries.", ref: ""},
		// A count of rows before the noun: "the N countries with the ...".
		{q: "Give the names of the 2 countries that have the highest population.", ref: `SELECT name FROM countrytable ORDER BY population DESC LIMIT 2`, list: true},
		{q: "Name the 3 countries with the largest gnp.", ref: `SELECT name FROM countrytable ORDER BY gnp DESC LIMIT 3`, list: true},
		{q: "List the continents of the 2 countries with the biggest surface area.", ref: `SELECT continent FROM countrytable ORDER BY surface_area DESC LIMIT 2`, list: true},
		{q: "Which town has the biggest population?", ref: ""}, // not a country
	})
}

func TestKindsGenerated(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "shop", ordersSQL)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		// A noun followed by "of" names the column called after it.
		{q: "What is the customer of the order with the smallest amount?", ref: `SELECT customer_name FROM shop ORDER BY amount_usd LIMIT 1`},
		{q: "Who was the customer of the order with the largest quantity?", ref: ""}, // quantities tie
		{q: "How many distinct customers ordered?", ref: `SELECT count(DISTINCT customer_name) FROM shop`},
		{q: "How many orders have more quantity than 7?", ref: `SELECT count(*) FROM shop WHERE quantity > 7`},
		{q: "Are there orders with a lower profit margin than -0.5?", ref: `SELECT count(*) > 0 FROM shop WHERE profit_margin < -0.5`},
		// One column named in two parts: "amount ... USD".
		{q: "What is the median amount in USD?", ref: `SELECT median(amount_usd) FROM shop`},
		{q: "Is the total amount in usd below 5000?", ref: `SELECT sum(amount_usd) < 5000 FROM shop`},
		// A year compared with the one column of years.
		{q: "How many orders were made before 2017?", ref: `SELECT count(*) FROM shop WHERE order_year < 2017`},
		{q: "What is the average quantity of orders since 2021?", ref: `SELECT avg(quantity) FROM shop WHERE order_year >= 2021`},
	})
}

func TestKindsMonthNames(t *testing.T) {
	// Month numbers counted from 1 (twelve is seen) and from 0 (zero is
	// seen); a column whose values fit both ways makes the engine abstain.
	c, err := openDuckSQL(t.Context(), "sales", `SELECT i AS id, 1 + i % 12 AS sale_month, i % 12 AS month_index,
		1 + i % 11 AS report_month, (i * 17) % 101 AS revenue FROM range(1, 121) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	e := NewEmbedded()
	a := ask(t, e, c, "What is the name of the sale month with the highest total revenue?")
	want := refValue(t, c, `SELECT monthname(make_date(2000, sale_month, 1)) FROM sales GROUP BY sale_month ORDER BY sum(revenue) DESC LIMIT 1`, false)
	require.Equal(t, want, a.Value, a.Text)
	a = ask(t, e, c, "List the full names of the month index of the first 3 rows.")
	require.Equal(t, []any{"February", "March", "April"}, a.Value, a.Text)
	a = ask(t, e, c, "What is the name of the report month with the lowest total revenue?")
	require.Nil(t, a.Value, a.Text)
}

func TestKindsStaff(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "team", `SELECT i AS id, 1995 + i % 25 AS hire_year, (i * 7) % 31 AS years_experience,
		i % 29 AS years_to_retirement, CASE WHEN i % 3 = 0 THEN 'ops' ELSE 'dev' END AS unit FROM range(1, 61) t(i)`)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		// A short participle stems like its verb: "hired" names hire_year.
		{q: "How many people were hired after 2015?", ref: `SELECT count(*) FROM team WHERE hire_year > 2015`},
		{q: "What is the mean years of experience of people hired before 2000?", ref: `SELECT avg(years_experience) FROM team WHERE hire_year < 2000`},
		// One column compared with another on each row.
		{q: "How many people have a years of experience greater than their years to retirement?", ref: `SELECT count(*) FROM team WHERE years_experience > years_to_retirement`},
		{q: "Do all people have years experience below the years to retirement?", ref: `SELECT count(*) FILTER (WHERE NOT coalesce(years_experience < years_to_retirement, false)) = 0 FROM team`},
		{q: "Is the average years experience above the years to retirement?", ref: ""},
		// A word shared by two columns, then "of" and the one it belongs to.
		{q: "What is the maximum years of experience?", ref: `SELECT max(years_experience) FROM team`},
		{q: "What is the median number of years?", ref: ""},
	})
}

func TestKindsFilms(t *testing.T) {
	c, err := openDuckSQL(t.Context(), "films", moviesSQL)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	runCases(t, c, []qcase{
		// One yes/no column on both sides of "than", once negated.
		{q: "Do non-sequels have a higher average budget than sequels?", ref: `SELECT avg(budget) FILTER (WHERE NOT is_sequel) > avg(budget) FILTER (WHERE is_sequel) FROM films`},
		{q: "Do sequels get more votes on average than non-sequels?", ref: `SELECT avg(votes) FILTER (WHERE is_sequel) > avg(votes) FILTER (WHERE NOT is_sequel) FROM films`},
		{q: "Do sequels have a higher average rating than sequels?", ref: ""},
		// "who <verb>ed": the column named for whoever does it.
		{q: "Who directed the film with the largest budget?", ref: `SELECT director FROM films ORDER BY budget DESC LIMIT 1`},
		{q: "Who released the film with the largest budget?", ref: ""}, // release_year is not a who
		// The column named again after the number ("100 minutes").
		{q: "Is the runtime of the film with the most votes shorter than 100 minutes?", ref: `SELECT runtime_minutes < 100 FROM films ORDER BY votes DESC LIMIT 1`},
		{q: "Is the rating of the film with the lowest budget above 5?", ref: `SELECT rating > 5 FROM films ORDER BY budget LIMIT 1`},
	})
}
