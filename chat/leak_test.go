package chat

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoEvalLeak fails if an engine source (not a test) names a column of
// the evaluation datasets, quotes an evaluation question, or names a
// dataset: the engine must be tuned for kinds of question, not for items.
func TestNoEvalLeak(t *testing.T) {
	if _, err := os.Stat(publicQuestions); err != nil {
		t.Skip("public evaluation set not present")
	}
	var names []string
	f, err := os.Open(publicQuestions)
	require.NoError(t, err)
	defer f.Close()
	seenFile := map[string]bool{}
	var questions []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct{ File, Question string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &q))
		questions = append(questions, strings.ToLower(q.Question))
		if seenFile[q.File] {
			continue
		}
		seenFile[q.File] = true
		dir := filepath.Base(filepath.Dir(q.File))
		names = append(names, strings.TrimLeft(dir, "0123456789_"))
		c, err := openDuck(t.Context(), filepath.Join(filepath.Dir(publicQuestions), q.File))
		require.NoError(t, err)
		for _, col := range c.tables[0].Columns {
			names = append(names, col.Name)
		}
		c.Close()
	}
	// The general lexicon needs a few everyday words that happen to be
	// column names there too: "age" and "sex" (synonym groups), "children"
	// (an irregular plural), "month" and "day" (date grouping); the scorer
	// needs "category", an answer type of every set.
	common := map[string]bool{"age": true, "sex": true, "children": true, "month": true, "day": true, "category": true}
	srcs, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, src := range srcs {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		data, err := os.ReadFile(src)
		require.NoError(t, err)
		text := strings.ToLower(string(data))
		for _, n := range names {
			ln := strings.ToLower(n)
			if common[ln] || len(ln) < 3 {
				continue
			}
			re := regexp.MustCompile(`\b` + regexp.QuoteMeta(ln) + `\b`)
			if re.MatchString(text) {
				t.Errorf("%s names %q from the evaluation data", src, n)
			}
		}
		for _, q := range questions {
			if strings.Contains(text, q) {
				t.Errorf("%s quotes an evaluation question: %s", src, q)
			}
		}
	}
}
