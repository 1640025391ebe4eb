package lexicon_test

import (
	"fmt"

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
