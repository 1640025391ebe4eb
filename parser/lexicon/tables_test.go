package lexicon

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		in    string // words split on single spaces
		value float64
		n     int
	}{
		{"seven", 7, 1},
		{"zero apples", 0, 1},
		{"twenty-one pilots", 21, 1},
		{"twenty one", 21, 2},
		{"ninety-nine", 99, 1},
		{"two hundred", 200, 2},
		{"two hundred and five", 205, 4},
		{"two hundred and", 200, 2}, // a trailing "and" is not taken
		{"three thousand", 3000, 2},
		{"four million six hundred thousand", 4.6e6, 5},
		{"nineteen hundred", 1900, 2},
		{"a hundred", 100, 2},
		{"a thousand sheep", 1000, 2},
		{"a dozen eggs", 12, 2},
		{"two dozen", 24, 2},
		{"half a dozen", 6, 3},
		{"half", 0.5, 1},
		{"half a million", 5e5, 3},
		{"two and a half", 2.5, 4},
		{"two and a half million", 2.5e6, 5},
		{"once", 1, 1},
		{"twice as many", 2, 1},
		{"thrice", 3, 1},
		{"double", 2, 1},
		{"triple", 3, 1},
		{"1,200 votes", 1200, 1},
		{"3.5", 3.5, 1},
		{"-4", -4, 1},
		{".5", 0.5, 1},
		{"2 million", 2e6, 2},
		{"minus five", -5, 2},
		{"Eleven", 11, 1},
		{"five six", 5, 1},            // two numbers, not one
		{"twenty thirty", 20, 1},      // likewise
		{"two and three", 2, 1},       // "and" joins only after hundreds and thousands
		{"thousand million", 1000, 1}, // scales go down
	}
	for _, tt := range tests {
		v, n, ok := Number(strings.Split(tt.in, " "))
		if !ok || n != tt.n || math.Abs(v-tt.value) > 1e-9 {
			t.Errorf("Number(%q) = %v, %d, %v; want %v, %d", tt.in, v, n, ok, tt.value, tt.n)
		}
	}
	for _, in := range []string{"", "a", "and five", "the five", "twenty-first", "1,20", "1e6", "inf", "nan", "0x10", "5.", "a few", "minus", "1990s", "5%", "--5"} {
		if v, n, ok := Number(strings.Split(in, " ")); ok {
			t.Errorf("Number(%q) = %v, %d, true; want no number", in, v, n)
		}
	}
	if _, _, ok := Number(nil); ok {
		t.Error("Number(nil) found a number")
	}
}

func TestOrdinal(t *testing.T) {
	good := map[string]int{
		"first": 1, "second": 2, "third": 3, "twelfth": 12, "twentieth": 20,
		"twenty-first": 21, "ninety-ninth": 99, "hundredth": 100,
		"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "11th": 11, "12th": 12, "13th": 13,
		"21st": 21, "22nd": 22, "101st": 101, "111th": 111,
		"last": -1, "penultimate": -2, "next-to-last": -2, "antepenultimate": -3,
		"Third": 3,
	}
	for in, want := range good {
		if got, ok := Ordinal(in); !ok || got != want {
			t.Errorf("Ordinal(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "one", "2st", "11st", "1th", "0th", "-1st", "first-second", "twenty-twentieth", "th", "firsts", "01st"} {
		if got, ok := Ordinal(in); ok {
			t.Errorf("Ordinal(%q) = %d, true; want no ordinal", in, got)
		}
	}
}

func TestUnits(t *testing.T) {
	tests := []struct {
		word, dim, canon string
		factor           float64
	}{
		{"grams", "mass", "g", 0.001},
		{"kg", "mass", "kg", 1},
		{"lb", "mass", "lb", 0.45359237},
		{"oz", "mass", "oz", 0.45359237 / 16},
		{"tonnes", "mass", "t", 1000},
		{"km", "length", "km", 1000},
		{"feet", "length", "ft", 0.3048},
		{"miles", "length", "mi", 1609.344},
		{"inch", "length", "in", 0.0254},
		{"hrs", "time", "h", 3600},
		{"week", "time", "week", 604800},
		{"kph", "speed", "km/h", 1 / 3.6},
		{"mph", "speed", "mph", 0.44704},
		{"%", "ratio", "%", 0.01},
		{"per cent", "ratio", "%", 0.01},
		{"percentage", "ratio", "%", 0.01},
		{"€", "money", "eur", 1},
		{"usd", "money", "usd", 1},
		{"°C", "temperature", "°c", 1},
		{"sq km", "area", "km²", 1e6},
	}
	for _, tt := range tests {
		us := Units(tt.word)
		if len(us) == 0 || us[0].Dimension != tt.dim || us[0].Canonical != tt.canon || math.Abs(us[0].Factor-tt.factor) > 1e-9*tt.factor {
			t.Errorf("Units(%q) = %+v, want %s %s × %v first", tt.word, us, tt.dim, tt.canon, tt.factor)
		}
	}

	pound := Units("pounds")
	if len(pound) != 2 || pound[0].Dimension != "mass" || pound[1].Canonical != "gbp" {
		t.Errorf(`Units("pounds") = %+v, want the mass and then the currency`, pound)
	}
	if got := Units("£"); len(got) != 1 || got[0].Canonical != "gbp" {
		t.Errorf(`Units("£") = %+v`, got)
	}
	// 212 °F is 100 °C.
	f := Units("fahrenheit")[0]
	if c := (212 + f.Offset) * f.Factor; math.Abs(c-100) > 1e-9 {
		t.Errorf("212 °F = %v °C", c)
	}
	if got := Units("zqxv"); got != nil {
		t.Errorf(`Units("zqxv") = %+v`, got)
	}
	// The caller's copy is its own.
	Units("kg")[0].Factor = 99
	if Units("kg")[0].Factor != 1 {
		t.Error("Units hands out the table itself")
	}
	for _, e := range unitTable {
		for _, w := range e.words {
			if w != strings.ToLower(w) {
				t.Errorf("unit word %q is not lower case", w)
			}
		}
	}
}

func TestMonthWeekdaySeason(t *testing.T) {
	for in, want := range map[string]time.Month{
		"january": time.January, "Feb": time.February, "sept": time.September,
		"sep.": time.September, "december": time.December, "may": time.May,
	} {
		if got, ok := Month(in); !ok || got != want {
			t.Errorf("Month(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := Month("jantember"); ok {
		t.Error("Month read a made-up month")
	}
	for in, want := range map[string]time.Weekday{
		"monday": time.Monday, "tues": time.Tuesday, "thurs": time.Thursday,
		"sundays": time.Sunday, "Sat": time.Saturday,
	} {
		if got, ok := Weekday(in); !ok || got != want {
			t.Errorf("Weekday(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := Weekday("someday"); ok {
		t.Error("Weekday read a made-up day")
	}
	if got := Season("winter"); !slices.Equal(got, []time.Month{time.December, time.January, time.February}) {
		t.Errorf("Season(winter) = %v", got)
	}
	if got, want := Season("fall"), Season("autumn"); !slices.Equal(got, want) || len(got) != 3 {
		t.Errorf("fall %v and autumn %v differ", got, want)
	}
	if Season("monsoon") != nil {
		t.Error("Season read a made-up season")
	}
}

func TestQuarter(t *testing.T) {
	tests := []struct {
		in   string
		q, n int
	}{
		{"q1", 1, 1}, {"Q4 sales", 4, 1}, {"3q", 3, 1}, {"first quarter", 1, 2},
		{"2nd quarter", 2, 2}, {"third qtr", 3, 2}, {"quarter 4", 4, 2}, {"quarter two", 2, 2},
	}
	for _, tt := range tests {
		q, n, ok := Quarter(strings.Split(tt.in, " "))
		if !ok || q != tt.q || n != tt.n {
			t.Errorf("Quarter(%q) = %d, %d, %v; want %d, %d", tt.in, q, n, ok, tt.q, tt.n)
		}
	}
	for _, in := range []string{"q5", "q0", "quarter", "fifth quarter", "quarter 1.5", "last quarter", "qq", ""} {
		if q, _, ok := Quarter(strings.Split(in, " ")); ok {
			t.Errorf("Quarter(%q) = %d, true", in, q)
		}
	}
	if got := QuarterMonths(3); !slices.Equal(got, []time.Month{time.July, time.August, time.September}) {
		t.Errorf("QuarterMonths(3) = %v", got)
	}
	if QuarterMonths(0) != nil {
		t.Error("QuarterMonths(0) is not nil")
	}
}

func TestDecade(t *testing.T) {
	tests := []struct {
		in       string
		start, n int
	}{
		{"1990s", 1990, 1}, {"1990's", 1990, 1}, {"'90s", 1990, 1}, {"’70s", 1970, 1},
		{"80s", 1980, 1}, {"the nineties", 1990, 2}, {"the 1960s music", 1960, 2},
		{"sixties", 1960, 1}, {"2000s", 2000, 1}, {"2010s", 2010, 1}, {"the noughties", 2000, 2},
		{"'00s", 2000, 1},
	}
	for _, tt := range tests {
		start, n, ok := Decade(strings.Split(tt.in, " "))
		if !ok || start != tt.start || n != tt.n {
			t.Errorf("Decade(%q) = %d, %d, %v; want %d, %d", tt.in, start, n, ok, tt.start, tt.n)
		}
	}
	for _, in := range []string{"1990", "1995s", "1900s", "1800s", "the", "the year", "9s", "tens", "s", "''90s", ""} {
		if start, _, ok := Decade(strings.Split(in, " ")); ok {
			t.Errorf("Decade(%q) = %d, true", in, start)
		}
	}
}

func TestExpand(t *testing.T) {
	for in, want := range map[string]string{
		"no.": "number", "#": "number", "num": "number", "pts": "points", "yr": "year",
		"yrs": "years", "pop": "population", "avg": "average", "pct": "percent", "%": "percent",
		"qty": "quantity", "amt": "amount", "dept": "department", "dept.": "department",
		"temp": "temperature", "max": "maximum", "min": "minimum", "approx": "approximately",
		"govt": "government", "intl": "international", "e.g.": "for example", "Avg": "average",
	} {
		if got := Expand(in); len(got) == 0 || got[0] != want {
			t.Errorf("Expand(%q) = %q, want %q first", in, got, want)
		}
	}
	if got := Expand("temp"); !slices.Contains(got, "temporary") {
		t.Errorf(`Expand("temp") = %q, want "temporary" too`, got)
	}
	if got := Expand("zqxv"); got != nil {
		t.Errorf(`Expand("zqxv") = %q`, got)
	}
	for k := range abbreviations {
		if k != strings.ToLower(k) {
			t.Errorf("abbreviation %q is not lower case", k)
		}
	}
}
