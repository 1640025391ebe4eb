package datasets

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TableName derives a SQL-friendly table name from a file name: lower case,
// letters, digits and underscores, not starting with a digit, extensions dropped.
func TableName(file string) string {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	for {
		ext := path.Ext(base)
		if ext == "" || len(ext) > 9 || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	lastUnderscore := false
	for _, r := range norm.NFD.String(strings.ToLower(base)) {
		if unicode.Is(unicode.Mn, r) {
			continue // accents: é → e
		}
		if t, ok := translit[r]; ok {
			b.WriteString(t)
			lastUnderscore = false
			continue
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			lastUnderscore = false
		} else if !lastUnderscore && b.Len() > 0 {
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	name := strings.Trim(b.String(), "_")
	if name == "" {
		name = "data"
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "t_" + name
	}
	if len(name) > 60 {
		name = name[:60]
	}
	return name
}

// translit spells Cyrillic and Greek letters (and a few Latin ones NFD
// does not decompose) in ASCII, so that a sheet named "Продажи" becomes a
// readable table name. Scripts without a table here (Chinese, Arabic, ...)
// fall back to the name's position.
var translit = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	pairs := func(from string, to []string) {
		for i, r := range []rune(from) {
			m[r] = to[i]
		}
	}
	pairs("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", []string{"a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"})
	pairs("αβγδεζηθικλμνξοπρσςτυφχψω", []string{"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"})
	return m
}()

// closest returns the candidate nearest to name by edit distance (ignoring
// case), or "" when none is reasonably close.
func closest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	ln := strings.ToLower(name)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein(ln, lc)
		if strings.Contains(lc, ln) || strings.Contains(ln, lc) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > max(2, len(name)/3) {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// partName names one table of a multi-table file from its sheet or table
// name; a name with nothing readable in ASCII (a Chinese sheet name, say)
// becomes "sheet<position>" rather than a lossy scrap.
func partName(name string, index int) string {
	n := TableName(name)
	if n == "data" && TableName(name+"x") == "x" {
		return fmt.Sprintf("sheet%d", index+1)
	}
	return strings.TrimPrefix(n, "t_")
}

// containsName reports whether one of tables is named name (ignoring case).
func containsName(tables []*TableInfo, name string) bool {
	for _, t := range tables {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}
