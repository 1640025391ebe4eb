package lexicon

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// monthWords are month names, their three-letter abbreviations and "sept".
// "may" and "march" are also common words; a caller reading a question
// decides from the context.
var monthWords = map[string]time.Month{
	"january": time.January, "jan": time.January,
	"february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"may":  time.May,
	"june": time.June, "jun": time.June,
	"july": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// weekdayWords are day names, their plurals ("on mondays") and their
// usual abbreviations.
var weekdayWords = map[string]time.Weekday{
	"monday": time.Monday, "mondays": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tuesdays": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wednesdays": time.Wednesday, "wed": time.Wednesday, "weds": time.Wednesday,
	"thursday": time.Thursday, "thursdays": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fridays": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "saturdays": time.Saturday, "sat": time.Saturday,
	"sunday": time.Sunday, "sundays": time.Sunday, "sun": time.Sunday,
}

// seasonMonths are the northern hemisphere's meteorological seasons.
var seasonMonths = map[string][]time.Month{
	"spring": {time.March, time.April, time.May},
	"summer": {time.June, time.July, time.August},
	"autumn": {time.September, time.October, time.November},
	"fall":   {time.September, time.October, time.November},
	"winter": {time.December, time.January, time.February},
}

// decadeWords are the decades of the twentieth century by name; "the
// noughties" and "the aughts" are 2000-2009.
var decadeWords = map[string]int{
	"noughties": 2000, "aughts": 2000, "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950,
	"sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
}

// Month reads a month name or abbreviation (a final "." is ignored):
// "sept" gives time.September.
func Month(word string) (time.Month, bool) {
	m, ok := monthWords[strings.TrimSuffix(lower(word), ".")]
	return m, ok
}

// Weekday reads a day of the week, its plural or abbreviation: "thurs"
// gives time.Thursday.
func Weekday(word string) (time.Weekday, bool) {
	d, ok := weekdayWords[strings.TrimSuffix(lower(word), ".")]
	return d, ok
}

// Season returns the months of a season in the northern hemisphere
// (meteorological: spring is March to May; "fall" is autumn), or nil.
func Season(word string) []time.Month {
	return slices.Clone(seasonMonths[lower(word)])
}

// Quarter reads a quarter of the year at the start of words and reports
// how many words it took: "q3", "3q", "first quarter", "2nd quarter",
// "quarter 4", "quarter four".
func Quarter(words []string) (q, n int, ok bool) {
	if len(words) == 0 {
		return 0, 0, false
	}
	w := lower(words[0])
	if len(w) == 2 && (w[0] == 'q' || w[1] == 'q') {
		d := w[0] + w[1] - 'q' // the other character
		if d >= '1' && d <= '4' {
			return int(d - '0'), 1, true
		}
		return 0, 0, false
	}
	if len(words) < 2 {
		return 0, 0, false
	}
	next := lower(words[1])
	if next == "quarter" || next == "qtr" {
		if o, ok := Ordinal(w); ok && o >= 1 && o <= 4 {
			return o, 2, true
		}
	}
	if w == "quarter" || w == "qtr" {
		if v, k, ok := Number(words[1:2]); ok && k == 1 && v >= 1 && v <= 4 && v == float64(int(v)) {
			return int(v), 2, true
		}
	}
	return 0, 0, false
}

// QuarterMonths returns the three months of quarter q (1 to 4), or nil.
func QuarterMonths(q int) []time.Month {
	if q < 1 || q > 4 {
		return nil
	}
	first := time.Month(3*q - 2)
	return []time.Month{first, first + 1, first + 2}
}

// Decade reads a decade at the start of words and returns its first year
// and how many words it took: "1990s", "1990's", "90s", "'90s", "the
// nineties", "the 1980s". Two-digit and named decades are of the
// twentieth century, except "00s" (2000). "1800s" and "1900s" name
// centuries more often than decades and are not read; "2000s" is.
func Decade(words []string) (start, n int, ok bool) {
	if len(words) == 0 {
		return 0, 0, false
	}
	i := 0
	if lower(words[0]) == "the" {
		i = 1
	}
	if i >= len(words) {
		return 0, 0, false
	}
	if y, ok := decade(lower(words[i])); ok {
		return y, i + 1, true
	}
	return 0, 0, false
}

func decade(w string) (int, bool) {
	if y, ok := decadeWords[w]; ok {
		return y, true
	}
	w = strings.NewReplacer("’", "'", "‘", "'").Replace(w)
	w = strings.TrimPrefix(w, "'")
	w, ok := strings.CutSuffix(w, "s")
	if !ok {
		return 0, false
	}
	w = strings.TrimSuffix(w, "'")
	if len(w) != 2 && len(w) != 4 || w[len(w)-1] != '0' || strings.IndexFunc(w, notDigit) >= 0 {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	switch {
	case len(w) == 2 && y == 0:
		return 2000, true
	case len(w) == 2:
		return 1900 + y, true
	case y%100 == 0 && y != 2000:
		return 0, false
	}
	return y, true
}
