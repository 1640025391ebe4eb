package charts

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitWords are trailing name parts that read as units: "fare_usd" becomes
// "Fare (USD)".
var unitWords = map[string]string{
	"usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "chf": "CHF", "cny": "CNY",
	"pct": "%", "percent": "%", "perc": "%",
	"km": "km", "kg": "kg", "lb": "lb", "lbs": "lb", "cm": "cm", "mm": "mm",
	"ms": "ms", "sec": "s", "secs": "s", "mins": "min",
	"mph": "mph", "kmh": "km/h", "kwh": "kWh", "mwh": "MWh",
	"kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB",
}

// acronyms are name parts written in capitals wherever they appear.
var acronyms = map[string]string{
	"id": "ID", "url": "URL", "uri": "URI", "ip": "IP", "api": "API", "uuid": "UUID",
	"sql": "SQL", "gdp": "GDP", "usd": "USD", "eur": "EUR", "gbp": "GBP", "utc": "UTC",
	"iso": "ISO", "http": "HTTP", "cpu": "CPU", "gpu": "GPU", "ram": "RAM", "pdf": "PDF",
	"csv": "CSV", "json": "JSON", "us": "US", "uk": "UK", "eu": "EU", "ceo": "CEO",
}

// humanize turns a column name into an axis title: words split at
// underscores, dashes, dots, spaces and camelCase, the first capitalised,
// known acronyms in capitals and a trailing unit in parentheses.
// "fare_usd" becomes "Fare (USD)" and "PassengerId" "Passenger ID".
func humanize(name string) string {
	words := splitWords(name)
	if len(words) == 0 {
		return name
	}
	unit := ""
	if len(words) > 1 {
		if u, ok := unitWords[words[len(words)-1]]; ok {
			unit = u
			words = words[:len(words)-1]
		}
	}
	for i, w := range words {
		switch {
		case acronyms[w] != "":
			words[i] = acronyms[w]
		case i == 0:
			r, size := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[size:]
		}
	}
	s := strings.Join(words, " ")
	if unit != "" {
		s += " (" + unit + ")"
	}
	return s
}

// splitWords splits a column name into lower-case words.
func splitWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.' || unicode.IsSpace(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			// "fareUsd" splits before U; "URLPath" splits before P.
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// truncate shortens s to at most n runes, ending it with an ellipsis when
// it was cut.
func truncate(s string, n int) string {
	if n < 2 || utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimRightFunc(string(rs[:n-1]), unicode.IsSpace) + "…"
}

// formatFixed formats v with the given number of decimals and a comma
// between each group of three integer digits: 1234567.5 -> "1,234,567.5".
func formatFixed(v float64, decimals int) string {
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// formatValue formats a data value for a label: thousands separators, no
// decimals for whole numbers, else up to two decimals (more for values
// below one, so they keep two significant digits).
func formatValue(v float64) string {
	if v == math.Trunc(v) {
		return formatFixed(v, 0)
	}
	dec := 2
	if a := math.Abs(v); a < 1 {
		dec = min(int(-math.Floor(math.Log10(a)))+1, 10)
		dec = max(dec, 2)
	}
	s := formatFixed(v, dec)
	if strings.Contains(s, ".") && !strings.ContainsAny(s, "eE") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// tickDecimals is the number of decimals needed to print every value in
// vs exactly enough to tell them apart (at most 10).
func tickDecimals(vs []float64) int {
	for d := 0; d < 10; d++ {
		scale := math.Pow(10, float64(d))
		ok := true
		for _, v := range vs {
			x := v * scale
			if math.Abs(x-math.Round(x)) > 1e-6*math.Max(1, math.Abs(x)) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return 10
}
