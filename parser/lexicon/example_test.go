package lexicon_test

import (
	"fmt"
	"strings"

	"datachat/parser/lexicon"
)

func ExampleLemmas() {
	fmt.Println(lexicon.Lemmas("geese"), lexicon.Lemmas("won"), lexicon.Lemmas("snorkelled"))
	// Output: [goose] [win won] [snorkel]
}

func ExamplePOS() {
	fmt.Println(lexicon.POS("harbour"), lexicon.POS("swiftly"))
	// Output: noun|verb adv
}

func ExampleSynonyms() {
	fmt.Println(lexicon.Synonyms("automobile")[:3])
	// Output: [car auto motorcar]
}

func ExampleRelated() {
	fmt.Println(lexicon.Related("invent"))
	// Output: [inventive invention inventor]
}

func ExampleAttributes() {
	fmt.Println(lexicon.Attributes("heaviest")[0])
	// Output: weight
}

func ExampleClasses() {
	fmt.Println(lexicon.Classes("thursday", 1))
	// Output: [weekday]
}

func ExampleAntonyms() {
	fmt.Println(lexicon.Antonyms("cheap")[0], lexicon.Antonyms("after"))
	// Output: expensive [fore before]
}

func ExampleNumber() {
	v, n, ok := lexicon.Number(strings.Fields("three hundred and twelve marbles"))
	fmt.Println(v, n, ok)
	// Output: 312 4 true
}

func ExampleOrdinal() {
	a, _ := lexicon.Ordinal("forty-second")
	b, _ := lexicon.Ordinal("53rd")
	c, _ := lexicon.Ordinal("penultimate")
	fmt.Println(a, b, c)
	// Output: 42 53 -2
}

func ExampleUnits() {
	for _, u := range lexicon.Units("pound") {
		fmt.Println(u.Dimension, u.Canonical, u.Factor)
	}
	// Output:
	// mass lb 0.45359237
	// money gbp 1
}

func ExampleExpand() {
	fmt.Println(lexicon.Expand("qty"), lexicon.Expand("Dept."))
	// Output: [quantity] [department]
}

func ExampleQuarter() {
	q, n, _ := lexicon.Quarter(strings.Fields("second quarter revenue"))
	fmt.Println(q, n, lexicon.QuarterMonths(q))
	// Output: 2 2 [April May June]
}

func ExampleDecade() {
	start, n, _ := lexicon.Decade(strings.Fields("the seventies disco"))
	fmt.Println(start, n)
	// Output: 1970 2
}

func ExampleMonth() {
	m, _ := lexicon.Month("oct")
	d, _ := lexicon.Weekday("weds")
	fmt.Println(m, d, lexicon.Season("summer"))
	// Output: October Wednesday [June July August]
}
