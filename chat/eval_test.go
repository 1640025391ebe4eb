package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The public set lives in shared/, beside the repository (as CI lays it out).
const (
	publicQuestions = "../../shared/eval/public/questions.jsonl"
	scorer          = "../../shared/eval/score.py"
)

func openForEval(ctx context.Context, file string) (Catalog, func(), error) {
	c, err := openDuck(ctx, file)
	if err != nil {
		return nil, nil, err
	}
	return c, c.Close, nil
}

// TestEvalPublic runs the public evaluation set and, when python3 is
// available, scores it. Set CHAT_EVAL_OUT to keep the predictions.
func TestEvalPublic(t *testing.T) {
	if _, err := os.Stat(publicQuestions); err != nil {
		t.Skip("public evaluation set not present")
	}
	var buf bytes.Buffer
	sum, err := Eval(t.Context(), publicQuestions, &buf, NewEmbedded(), openForEval)
	require.NoError(t, err)
	require.Equal(t, 45, sum.Questions)
	require.Zero(t, sum.Failed)
	out := filepath.Join(t.TempDir(), "preds.jsonl")
	if p := os.Getenv("CHAT_EVAL_OUT"); p != "" {
		out = p
	}
	require.NoError(t, os.WriteFile(out, buf.Bytes(), 0o644))
	if os.Getenv("CHAT_EVAL_VERBOSE") != "" {
		qs, _ := os.ReadFile(publicQuestions)
		preds := strings.Split(strings.TrimSpace(buf.String()), "\n")
		for i, l := range strings.Split(strings.TrimSpace(string(qs)), "\n") {
			var q map[string]any
			json.Unmarshal([]byte(l), &q)
			fmt.Printf("%v | %v\n   gold=%v pred=%s\n", q["id"], q["question"], q["answer"], preds[i])
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		return
	}
	score, err := exec.Command(py, scorer, publicQuestions, out).CombinedOutput()
	require.NoError(t, err, string(score))
	t.Logf("answered %d of %d\n%s", sum.Answered, sum.Questions, score)
	// A regression guard at the targets: the last line is the
	// scorer's JSON summary.
	lines := strings.Split(strings.TrimSpace(string(score)), "\n")
	var summary struct {
		Accuracy  float64 `json:"accuracy"`
		Precision float64 `json:"precision_on_answered"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &summary), lines[len(lines)-1])
	require.GreaterOrEqual(t, summary.Precision, 0.85)
	require.GreaterOrEqual(t, summary.Accuracy, 0.40)
}
