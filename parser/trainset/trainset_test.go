package trainset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQuestionsFile checks questions.jsonl: it must be what the generator
// writes from questions.src.jsonl, and every answer must equal a fresh run
// of its SQL over its table.
func TestQuestionsFile(t *testing.T) {
	qs, err := ReadQuestions("questions.jsonl")
	require.NoError(t, err)
	require.NoError(t, Check(qs))
	src, err := ReadQuestions("questions.src.jsonl")
	require.NoError(t, err)
	require.Len(t, qs, len(src), "questions.jsonl is stale: run go run ./parser/trainset/gen")
	for i, s := range src {
		q := qs[i]
		same := s.ID == q.ID && s.File == q.File && s.Question == q.Question && s.SQL == q.SQL && s.Type == q.Type && s.Kind == q.Kind
		require.True(t, same, "line %d (%s) differs from questions.src.jsonl: run go run ./parser/trainset/gen", i+1, s.ID)
	}

	split := map[string]string{}
	types := map[string]int{}
	for _, q := range qs {
		require.Contains(t, []string{"train", "dev"}, q.Split, q.ID)
		if s, ok := split[q.File]; ok {
			require.Equal(t, s, q.Split, "%s: a table's questions share one split", q.ID)
		}
		split[q.File] = q.Split
		types[q.Type]++
		require.NotNil(t, q.Answer, q.ID)
		_, err := os.Stat(q.File)
		require.NoError(t, err, q.ID)
	}
	dev := 0
	for _, s := range split {
		if s == "dev" {
			dev++
		}
	}
	require.InDelta(t, float64(len(split))/3, float64(dev), 2, "about a third of the tables are dev")
	for _, typ := range Types {
		require.Greater(t, types[typ], len(qs)/10, "type %s is under-represented", typ)
	}

	l, err := NewLoader(".", t.TempDir())
	require.NoError(t, err)
	defer l.Close()
	err = ForEachTable(t.Context(), l, qs, func(q *Question, ans any, err error) {
		if err != nil {
			t.Error(err)
			return
		}
		if !Same(q.Answer, ans) {
			t.Errorf("%s: stored answer %v, the sql now gives %v", q.ID, q.Answer, ans)
		}
	})
	require.NoError(t, err)
}

// TestCompute checks the answer shapes and the tie check on a small table.
func TestCompute(t *testing.T) {
	dir := t.TempDir()
	csv := "name,team,score\nana,red,10\nben,red,9\ncai,blue,9\ndee,blue,7\neve,blue,7\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "s.csv"), []byte(csv), 0o644))
	l, err := NewLoader(dir, t.TempDir())
	require.NoError(t, err)
	defer l.Close()
	cat, err := l.Open(t.Context(), "s.csv")
	require.NoError(t, err)
	for _, c := range []struct {
		sql, typ string
		want     any
		err      string
	}{
		{sql: "SELECT count(*) FROM t", typ: TypeNumber, want: 5.0},
		{sql: "SELECT avg(score) FROM t", typ: TypeNumber, want: 8.4},
		{sql: "SELECT max(score) > 9 FROM t", typ: TypeBoolean, want: true},
		{sql: "SELECT name FROM t ORDER BY score DESC LIMIT 1", typ: TypeCategory, want: "ana"},
		{sql: "SELECT name FROM t ORDER BY score DESC LIMIT 2", typ: TypeListCategory, err: "ambiguous"},
		{sql: "SELECT name FROM t ORDER BY score DESC LIMIT 3", typ: TypeListCategory, want: []any{"ana", "ben", "cai"}},
		// Tied rows that give the same value do not make the answer ambiguous.
		{sql: "SELECT score FROM t ORDER BY score LIMIT 1", typ: TypeNumber, want: 7.0},
		{sql: "SELECT score FROM t ORDER BY score DESC LIMIT 2", typ: TypeListNumber, want: []any{9.0, 10.0}},
		{sql: "SELECT team FROM t GROUP BY team ORDER BY count(*) DESC LIMIT 1", typ: TypeCategory, want: "blue"},
		{sql: "SELECT team FROM t GROUP BY team ORDER BY max(score) LIMIT 1", typ: TypeCategory, want: "blue"},
		{sql: "SELECT (SELECT name FROM t WHERE team = 'blue' ORDER BY score LIMIT 1) = 'dee'", typ: TypeBoolean, err: "ambiguous"},
		{sql: "SELECT arg_max(name, score) FROM t", typ: TypeCategory, err: "hides ties"},
		{sql: "SELECT name FROM t LIMIT 1", typ: TypeCategory, err: "without ORDER BY"},
		{sql: "SELECT name FROM t ORDER BY 1 LIMIT 1", typ: TypeCategory, err: "column number"},
		{sql: "SELECT name FROM t WHERE score = 9", typ: TypeCategory, err: "2 rows"},
		{sql: "SELECT name FROM t WHERE score = 10", typ: TypeListCategory, err: "want at least 2"},
		{sql: "SELECT count(*) FROM t", typ: TypeCategory, err: "does not fit"},
		{sql: "SELECT name, score FROM t", typ: TypeListCategory, err: "2 result columns"},
	} {
		t.Run(c.sql, func(t *testing.T) {
			got, err := Compute(t.Context(), cat, Question{ID: "q", SQL: c.sql, Type: c.typ})
			if c.err != "" {
				require.Error(t, err)
				require.True(t, strings.Contains(err.Error(), c.err), err.Error())
				return
			}
			require.NoError(t, err)
			require.True(t, Same(c.want, got), "got %v", got)
		})
	}
}

func TestSame(t *testing.T) {
	require.True(t, Same(1.0, 1.0+1e-12))
	require.False(t, Same(1.0, 1.01))
	require.True(t, Same([]any{"a", "b", "a"}, []any{"a", "a", "b"}))
	require.False(t, Same([]any{"a", "b", "b"}, []any{"a", "a", "b"}))
	require.False(t, Same([]any{1.0}, []any{1.0, 1.0}))
	require.False(t, Same(true, "true"))
}
