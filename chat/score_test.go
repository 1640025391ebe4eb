package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		gold any
		typ  string
		pred any
		want bool
	}{
		{"bool true", true, "boolean", true, true},
		{"bool yes", true, "boolean", "Yes", true},
		{"bool y", true, "boolean", "y", true},
		{"bool 1", true, "boolean", int64(1), true},
		{"bool 0", false, "boolean", float64(0), true},
		{"bool no string gold", "no", "boolean", false, true},
		{"bool wrong", true, "boolean", false, false},
		{"bool not a bool", true, "boolean", "maybe", false},
		{"number equal", 12.0, "number", int64(12), true},
		{"number truncated", 3.14159, "number", 3.149, true},
		{"number rounded", 2.675, "number", 2.68, true},
		{"number gold decimals", 33.3, "number", 33.33333, true},
		{"number whole gold", 1876.0, "number", 1876.1, true},
		{"number whole gold far", 1876.0, "number", 1876.6, false},
		{"number stripped", 1234.5, "number", "$1,234.50", true},
		{"number percent", 45.0, "number", "45%", true},
		{"number wrong", 12.0, "number", 13.0, false},
		{"number text", 12.0, "number", "twelve", false},
		{"category case", "Oslo", "category", " oslo ", true},
		{"category quotes", "Oslo", "category", "['Oslo']", true},
		{"category list of one", "Oslo", "category", []any{"OSLO"}, true},
		{"category numeric", "7", "category", 7.0, true},
		{"category numeric text", "7.00", "category", "7", true},
		{"category date", "2021-03-04", "category", "2021-3-4 00:00:00", true},
		{"category wrong", "Oslo", "category", "Lima", false},
		{"list numbers any order", []any{1.0, 2.5}, "list[number]", []any{2.5, int64(1)}, true},
		{"list numbers truncated", []any{1.234}, "list[number]", []any{1.239}, true},
		{"list numbers length", []any{1.0, 2.0}, "list[number]", []any{1.0}, false},
		{"list categories any order", []any{"Oslo", "Lima"}, "list[category]", []any{"lima", "OSLO"}, true},
		{"list categories string", []any{"Oslo", "Lima"}, "list[category]", "['Lima', 'Oslo']", true},
		{"list categories wrong", []any{"Oslo", "Lima"}, "list[category]", []any{"Oslo", "Rome"}, false},
		{"null gold", nil, "number", nil, true},
		{"null gold answered", nil, "number", 1.0, false},
		{"object", map[string]any{"mean": 2.5, "city": "Oslo"}, "other", map[string]any{"Mean": "2.5", "CITY": "oslo"}, true},
		{"object missing key", map[string]any{"mean": 2.5}, "other", map[string]any{"median": 2.5}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Match(tc.gold, tc.typ, tc.pred))
		})
	}
}

// TestEvalScores runs an invented questions file with gold answers, one
// of them wrong on purpose and one the engine abstains on, and checks the
// counts of the summary and of the printed score.
func TestEvalScores(t *testing.T) {
	var buf bytes.Buffer
	sum, err := Eval(t.Context(), "testdata/prices_questions.jsonl", &buf, NewEmbedded(), openForEval)
	require.NoError(t, err)
	require.Equal(t, 5, sum.Questions)
	require.Zero(t, sum.TimedOut)
	require.NotNil(t, sum.Score)
	require.Equal(t, Score{Total: 5, Answered: 4, Correct: 3}, *sum.Score)
	require.Equal(t, Score{Total: 2, Answered: 2, Correct: 1}, *sum.ByType["boolean"])
	require.Equal(t, Score{Total: 2, Answered: 1, Correct: 1}, *sum.ByType["number"])
	require.Equal(t, Score{Total: 1, Answered: 1, Correct: 1}, *sum.ByType["category"])
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 5)
	for _, l := range lines {
		var p map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &p))
		require.Len(t, p, 2, l)
	}
	var out bytes.Buffer
	require.NoError(t, sum.WriteScore(&out))
	require.Contains(t, out.String(), "ALL                  5        4        3     0.600     0.800      0.750")
	require.Contains(t, out.String(), "timed out: 0")
}

// slowEngine never answers questions that mention "slow" before their
// context ends, and answers the others at once.
type slowEngine struct{}

func (slowEngine) Answer(ctx context.Context, cat Catalog, req Request) (*Answer, error) {
	if strings.Contains(req.Messages[len(req.Messages)-1].Content, "slow") {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &Answer{Text: "yes", Value: true, Confident: true}, nil
}

// TestEvalQuestionTimeout checks that a question running out of its time
// is written as null and counted, and that the run goes on.
func TestEvalQuestionTimeout(t *testing.T) {
	dir := t.TempDir()
	qs := filepath.Join(dir, "q.jsonl")
	require.NoError(t, os.WriteFile(qs, []byte(`{"id": "a", "file": "x.csv", "question": "a slow one", "answer": true, "type": "boolean"}
{"id": "b", "file": "x.csv", "question": "a quick one", "answer": true, "type": "boolean"}
`), 0o644))
	open := func(ctx context.Context, file string) (Catalog, func(), error) { return nil, nil, nil }
	var buf bytes.Buffer
	sum, err := Eval(t.Context(), qs, &buf, slowEngine{}, open, WithQuestionTimeout(200*time.Millisecond))
	require.NoError(t, err)
	require.Equal(t, 1, sum.TimedOut)
	require.Equal(t, Score{Total: 2, Answered: 1, Correct: 1}, *sum.Score)
	require.Equal(t, "{\"id\":\"a\",\"answer\":null}\n{\"id\":\"b\",\"answer\":true}\n", buf.String())
}
