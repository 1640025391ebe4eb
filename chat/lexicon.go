package chat

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// token is one word, number or quoted phrase of a question.
type token struct {
	raw     string  // lower-cased text
	stem    string  // stemmed word ("" for numbers)
	num     float64 // value when isNum
	isNum   bool
	ordinal bool   // 2nd, third
	quoted  bool   // a 'quoted' phrase kept whole
	money   bool   // written with $
	percent bool   // written with %
	cap     bool   // written with a capital letter (a name, or the first word)
	date    string // an ISO date (YYYY-MM-DD) written in the question
}

var (
	wordRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}|(?:^|[\s(])-\$?\d[\d,]*(?:\.\d+)?%?|\$?\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?%?|\.\d+%?|[\p{L}][\p{L}\p{N}]*(?:'[\p{L}]+)?|[<>]=?|=`)
	dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

var numberWords = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}

var ordinalWords = map[string]float64{
	"second": 2, "third": 3, "fourth": 4, "fifth": 5,
}

// tokenize splits a question into tokens. Quoted phrases stay whole.
func tokenize(q string) []token {
	q = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(q)
	var toks []token
	last := 0
	for _, sp := range quotedSpans(q) {
		toks = append(toks, words(q[last:sp[0]])...)
		if inner := strings.TrimSpace(q[sp[0]+1 : sp[1]-1]); inner != "" {
			toks = append(toks, token{raw: strings.ToLower(inner), stem: stemPhrase(inner), quoted: true})
		}
		last = sp[1]
	}
	return append(toks, words(q[last:])...)
}

// quotedSpans finds 'quoted' and "quoted" phrases: a quote opens after a
// space or bracket and closes before a space, punctuation or the end, so
// apostrophes inside (O'Brien, men's) do not end it.
func quotedSpans(q string) [][2]int {
	var out [][2]int
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c != '\'' && c != '"' {
			continue
		}
		if i > 0 && (isLetter(q[i-1]) || isDigit(q[i-1])) {
			continue
		}
		for j := i + 1; j < len(q) && j-i <= 120; j++ {
			if q[j] != c {
				continue
			}
			if j+1 == len(q) || !(isLetter(q[j+1]) || isDigit(q[j+1])) {
				if j > i+1 {
					out = append(out, [2]int{i, j + 1})
				}
				i = j
				break
			}
		}
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func words(s string) []token {
	var toks []token
	for _, orig := range wordRe.FindAllString(s, -1) {
		orig = strings.TrimLeft(orig, " \t\n\r(")
		w := strings.ToLower(orig)
		if dateRe.MatchString(w) {
			toks = append(toks, token{raw: w, date: w})
			continue
		}
		capital := orig != w && unicode.IsUpper([]rune(orig)[0])
		switch {
		case strings.HasSuffix(w, "n't"):
			base := strings.TrimSuffix(w, "n't")
			if base == "won" {
				base = "will"
			} else if base == "can" || base == "ca" {
				base = "can"
			}
			toks = append(toks, wordToken(base), wordToken("not"))
			continue
		case strings.HasSuffix(w, "'s"):
			w = strings.TrimSuffix(w, "'s")
		case strings.Contains(w, "'"):
			w = strings.ReplaceAll(w, "'", "")
		}
		if t, ok := numToken(w); ok {
			toks = append(toks, t)
			continue
		}
		t := wordToken(w)
		t.cap = capital
		toks = append(toks, t)
	}
	return toks
}

func wordToken(w string) token {
	if v, ok := numberWords[w]; ok {
		return token{raw: w, num: v, isNum: true}
	}
	if v, ok := ordinalWords[w]; ok {
		return token{raw: w, num: v, isNum: true, ordinal: true}
	}
	return token{raw: w, stem: stem(w)}
}

func numToken(w string) (token, bool) {
	if w == "" || !(w[0] == '$' || w[0] == '.' || w[0] == '-' || unicode.IsDigit(rune(w[0]))) {
		return token{}, false
	}
	neg := false
	if strings.HasPrefix(w, "-") {
		neg = true
		w = w[1:]
	}
	t, ok := unsignedNum(w)
	if ok && neg {
		t.num = -t.num
		t.raw = "-" + t.raw
	}
	return t, ok
}

func unsignedNum(w string) (token, bool) {
	if w == "" || !(w[0] == '$' || w[0] == '.' || unicode.IsDigit(rune(w[0]))) {
		return token{}, false
	}
	t := token{raw: w, isNum: true}
	s := w
	if strings.HasPrefix(s, "$") {
		t.money = true
		s = s[1:]
	}
	if strings.HasSuffix(s, "%") {
		t.percent = true
		s = strings.TrimSuffix(s, "%")
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(s, suf) {
			t.ordinal = true
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return token{}, false
	}
	t.num = v
	return t, true
}

// stem reduces an English word to a crude stem so that plural and verb
// forms meet: drivers, driving, driver -> driv; survived, survival -> surviv.
func stem(w string) string {
	w = strings.ToLower(w)
	if len(w) <= 3 {
		return w
	}
	if irr, ok := irregular[w]; ok {
		return irr
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "sis"), strings.HasSuffix(w, "xis"), strings.HasSuffix(w, "nis"), w == "this":
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	if n := len(w); n == 5 && strings.HasSuffix(w, "ed") && !strings.ContainsRune("aeiou", rune(w[n-3])) {
		w = w[:n-1] // hired -> hire, named -> name
	}
	for _, suf := range []string{"ing", "ed", "er", "al", "ly", "est"} {
		// Keep four letters so that rating and rate stay apart.
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	if strings.HasSuffix(w, "e") && len(w) > 3 {
		w = w[:len(w)-1]
	}
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1] // stopped -> stop, bigger -> big
	}
	return w
}

var irregular = map[string]string{
	"children": "child", "men": "man", "women": "woman", "people": "person", "persons": "person",
	"feet": "foot", "teeth": "tooth", "mice": "mouse", "data": "data", "indices": "index",
	"oldest": "old", "older": "old", "youngest": "young", "younger": "young",
	"status": "status", "statuses": "status", "series": "series", "species": "species",
	"address": "address", "addresses": "address", "class": "class", "classes": "class",
}

func stemPhrase(s string) string {
	var out []string
	for _, p := range splitName(s) {
		out = append(out, stem(p))
	}
	return strings.Join(out, " ")
}

// splitName splits a column name or phrase into lower-case words at
// spaces, punctuation, snake_case and camelCase boundaries.
func splitName(s string) []string {
	var parts []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r):
			if len(cur) > 0 {
				prev := cur[len(cur)-1]
				upperAfterLower := unicode.IsUpper(r) && unicode.IsLower(prev)
				upperRunEnd := unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if upperAfterLower || upperRunEnd || unicode.IsDigit(prev) {
					flush()
				}
			}
			cur = append(cur, r)
		case unicode.IsDigit(r):
			if len(cur) > 0 && !unicode.IsDigit(cur[len(cur)-1]) {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return parts
}

// stopwords carry no meaning for the planner.
var stopwords = set(`a an the of in on at for to from with by is are was were be been being am do does did
done have has had having there this that these those it its it's their them they we us our you your i me my
he she his her him as and or than then so such also just only still please can could would should will shall
may might must kindly tell show give find get return provide let know want need see any some
dataset datasets data table tables file sheet set database here overall whole entire total altogether
exactly approximately about around roughly currently today ever recorded registered listed found present
appear appears contain contains containing exist exists existing included include includes including
considered consider regarded classified counted according based within among amongst across value values
figure figures number numbers level levels answer status statuses kind belong belongs belonged
belonging placed made created happened occurred occur occurs took came
come comes coming sold purchased bought`)

// entityWords are generic nouns for the things a row stands for; they may
// appear in a question without naming a column.
var entityWords = set(`row rows record records entry entries observation observations case cases instance instances
item items sample samples person people persons individual individuals passenger passengers customer customers
client clients user users patient patients employee employees student students player players member members
participant participants respondent respondents subject subjects line lines element elements thing things
movie movies film films song songs game games product products order orders transaction transactions
event events incident incidents country countries city cities company companies team teams
house houses property properties car cars vehicle vehicles job jobs post posts tweet tweets 
article articles paper papers video videos app apps account accounts one ones someone anyone anybody everyone
everybody those guy guys man men woman women household households school schools hospital hospitals state states
listing listings flight flights trip trips day days measurement measurements reading readings`)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// synonyms groups words that name the same concept. A column whose name
// contains one of them is matched by any other word of the group.
var synonyms = [][]string{
	{"sex", "gender", "male", "female"},
	{"age", "old", "older", "oldest", "young", "younger", "youngest", "aged", "ages"},
	{"price", "cost", "fare", "paid", "pay", "spent", "spend", "expensive", "cheap", "cheapest", "cheaper", "money", "amount", "fee", "fees"},
	{"temperature", "hot", "hotter", "hottest", "cold", "colder", "coldest", "warm", "warmest"},
	{"rating", "rated", "score", "stars"},
	{"salary", "wage", "wages", "income", "earnings", "earn", "earns", "pay"},
	{"weight", "heavy", "heavier", "heaviest", "lighter", "lightest"},
	{"height", "tall", "taller", "tallest"},
	{"length", "long", "longer", "longest"},
	{"duration", "long", "longer", "longest"},
	{"country", "nation"},
	{"city", "town"},
	{"population", "populous", "inhabitants"},
	{"survived", "survival", "survive", "survivor", "survivors"},
	{"date", "when"},
	{"birth", "born", "birthday"},
	{"year", "yearly", "annual"},
	{"quantity", "qty"},
	{"description", "desc"},
	{"identifier", "id"},
	{"likes", "liked", "favorites"},
	{"votes", "voted"},
	{"sold", "sales"},
	{"distance", "far", "farthest", "furthest"},
	{"speed", "fast", "faster", "fastest"},
	{"embarked", "embark", "embarkation", "port", "harbour", "harbor"},
	{"worth", "wealth", "wealthy", "rich", "richer", "richest", "fortune", "networth"},
}

// conceptOf maps a stem to the ids of the synonym groups it belongs to.
var conceptOf = func() map[string][]int {
	m := map[string][]int{}
	for i, g := range synonyms {
		for _, w := range g {
			s := stem(w)
			if len(m[s]) == 0 || m[s][len(m[s])-1] != i {
				m[s] = append(m[s], i)
			}
		}
	}
	return m
}()

func sameConcept(a, b string) bool {
	if a == b {
		return true
	}
	for _, x := range conceptOf[a] {
		for _, y := range conceptOf[b] {
			if x == y {
				return true
			}
		}
	}
	return false
}

// valueSynonyms groups words that name the same coded value.
var valueSynonyms = [][]string{
	{"female", "f", "woman", "women", "girl", "girls", "lady", "ladies", "females"},
	{"male", "m", "man", "men", "boy", "boys", "gentleman", "gentlemen", "males"},
}

var valueConcept = func() map[string]int {
	m := map[string]int{}
	for i, g := range valueSynonyms {
		for _, w := range g {
			m[w] = i + 1
			m[stem(w)] = i + 1
		}
	}
	return m
}()
