package datasets

import (
	"path"
	"strings"
	"unicode"
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
	for _, r := range strings.ToLower(base) {
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
