package lexicon

import "slices"

// Unit is one reading of a unit word. A value v in this unit is
// (v+Offset)*Factor in the dimension's base unit: kilogram (mass), metre
// (length), square metre (area), litre (volume), second (time), metre per
// second (speed), degree Celsius (temperature), a plain fraction (ratio:
// 1 = 100%). Money has no fixed rate between currencies: each currency is
// its own base (Factor 1) and Canonical names it, so amounts convert only
// within one Canonical currency.
type Unit struct {
	Dimension string  // "mass", "length", "area", "volume", "time", "speed", "temperature", "ratio", "money"
	Factor    float64 // multiplies a value (after Offset) into the base unit
	Offset    float64 // added before Factor; only temperatures have one
	Canonical string  // the unit's usual symbol: "kg", "mi", "usd", "%", "°f"
}

// Base-unit factors used more than once below.
const (
	pound  = 0.45359237 // kg, by definition
	inch   = 0.0254     // m
	mile   = 1609.344   // m
	day    = 86400.0    // s
	year   = 365.2425 * day
	sqMile = mile * mile
)

// unitTable lists each unit with the words and symbols that name it (lower
// case). A word under two units has both readings, in table order: "pound"
// is first a mass, then a currency. Short symbols that are also common
// words ("in", "m", "t", "s", "h") are here because table headers use them
// ("height (m)"); in a question, look for a number before them.
var unitTable = []struct {
	unit  Unit
	words []string
}{
	{Unit{"mass", 1e-6, 0, "mg"}, []string{"mg", "milligram", "milligrams"}},
	{Unit{"mass", 1e-3, 0, "g"}, []string{"g", "gm", "gram", "grams", "gramme", "grammes"}},
	{Unit{"mass", 1, 0, "kg"}, []string{"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"}},
	{Unit{"mass", 1000, 0, "t"}, []string{"t", "tonne", "tonnes", "metric ton", "metric tons", "ton", "tons"}},
	{Unit{"mass", 2000 * pound, 0, "short ton"}, []string{"short ton", "short tons", "ton", "tons"}},
	{Unit{"mass", pound, 0, "lb"}, []string{"lb", "lbs", "pound", "pounds"}},
	{Unit{"mass", pound / 16, 0, "oz"}, []string{"oz", "ounce", "ounces"}},
	{Unit{"mass", 14 * pound, 0, "st"}, []string{"stone", "stones"}},

	{Unit{"length", 1e-3, 0, "mm"}, []string{"mm", "millimetre", "millimetres", "millimeter", "millimeters"}},
	{Unit{"length", 1e-2, 0, "cm"}, []string{"cm", "centimetre", "centimetres", "centimeter", "centimeters"}},
	{Unit{"length", 1, 0, "m"}, []string{"m", "metre", "metres", "meter", "meters"}},
	{Unit{"length", 1000, 0, "km"}, []string{"km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"}},
	{Unit{"length", inch, 0, "in"}, []string{"in", "inch", "inches", `"`}},
	{Unit{"length", 12 * inch, 0, "ft"}, []string{"ft", "foot", "feet", "'"}},
	{Unit{"length", 36 * inch, 0, "yd"}, []string{"yd", "yds", "yard", "yards"}},
	{Unit{"length", mile, 0, "mi"}, []string{"mi", "mile", "miles"}},
	{Unit{"length", 1852, 0, "nmi"}, []string{"nmi", "nautical mile", "nautical miles"}},

	{Unit{"area", 1, 0, "m²"}, []string{"m2", "m²", "sq m", "square metre", "square metres", "square meter", "square meters"}},
	{Unit{"area", 1e6, 0, "km²"}, []string{"km2", "km²", "sq km", "square kilometre", "square kilometres", "square kilometer", "square kilometers"}},
	{Unit{"area", sqMile, 0, "mi²"}, []string{"mi2", "mi²", "sq mi", "square mile", "square miles"}},
	{Unit{"area", 1e4, 0, "ha"}, []string{"ha", "hectare", "hectares"}},
	{Unit{"area", sqMile / 640, 0, "acre"}, []string{"acre", "acres"}},

	{Unit{"volume", 1e-3, 0, "ml"}, []string{"ml", "millilitre", "millilitres", "milliliter", "milliliters"}},
	{Unit{"volume", 1, 0, "l"}, []string{"l", "litre", "litres", "liter", "liters"}},
	{Unit{"volume", 3.785411784, 0, "gal"}, []string{"gal", "gallon", "gallons"}}, // US gallon

	{Unit{"time", 1e-3, 0, "ms"}, []string{"ms", "millisecond", "milliseconds"}},
	{Unit{"time", 1, 0, "s"}, []string{"s", "sec", "secs", "second", "seconds"}},
	{Unit{"time", 60, 0, "min"}, []string{"min", "mins", "minute", "minutes"}},
	{Unit{"time", 3600, 0, "h"}, []string{"h", "hr", "hrs", "hour", "hours"}},
	{Unit{"time", day, 0, "day"}, []string{"day", "days"}},
	{Unit{"time", 7 * day, 0, "week"}, []string{"wk", "wks", "week", "weeks"}},
	{Unit{"time", year / 12, 0, "month"}, []string{"mo", "mos", "month", "months"}}, // mean Gregorian month
	{Unit{"time", year, 0, "year"}, []string{"yr", "yrs", "year", "years"}},         // mean Gregorian year
	{Unit{"time", 10 * year, 0, "decade"}, []string{"decade", "decades"}},
	{Unit{"time", 100 * year, 0, "century"}, []string{"century", "centuries"}},

	{Unit{"speed", 1, 0, "m/s"}, []string{"m/s"}},
	{Unit{"speed", 1000 / 3600.0, 0, "km/h"}, []string{"km/h", "kmh", "km/hr", "kph", "kmph"}},
	{Unit{"speed", mile / 3600, 0, "mph"}, []string{"mph", "mi/h"}},
	{Unit{"speed", 1852 / 3600.0, 0, "kn"}, []string{"knot", "knots", "kn", "kt", "kts"}},

	{Unit{"temperature", 1, 0, "°c"}, []string{"°c", "℃", "celsius", "centigrade", "degrees celsius", "deg c"}},
	{Unit{"temperature", 5.0 / 9, -32, "°f"}, []string{"°f", "℉", "fahrenheit", "degrees fahrenheit", "deg f"}},
	{Unit{"temperature", 1, -273.15, "k"}, []string{"kelvin", "kelvins"}},

	{Unit{"ratio", 0.01, 0, "%"}, []string{"%", "percent", "per cent", "percentage", "pct"}},
	{Unit{"ratio", 0.001, 0, "‰"}, []string{"‰", "per mille", "permille"}},

	{Unit{"money", 1, 0, "usd"}, []string{"$", "us$", "usd", "dollar", "dollars", "buck", "bucks"}},
	{Unit{"money", 1, 0, "eur"}, []string{"€", "eur", "euro", "euros"}},
	{Unit{"money", 1, 0, "gbp"}, []string{"£", "gbp", "pound", "pounds", "sterling", "quid"}},
	{Unit{"money", 1, 0, "jpy"}, []string{"¥", "jpy", "yen"}},
}

var units = func() map[string][]Unit {
	m := map[string][]Unit{}
	for _, e := range unitTable {
		for _, w := range e.words {
			m[w] = append(m[w], e.unit)
		}
	}
	return m
}()

// Units returns the readings of a unit word or symbol, most likely first,
// or nil: "kg" gives one mass, "pound" a mass and a currency. Multi-word
// units are looked up with single spaces ("per cent", "sq km").
func Units(word string) []Unit {
	return slices.Clone(units[lower(word)])
}
