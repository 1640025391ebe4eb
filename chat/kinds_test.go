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
		{q: "Which town has the biggest population?", ref: ""}, // not a country
	})
}
