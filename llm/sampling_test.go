package llm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/chat"
)

const (
	survivedSQL = `SELECT count(*) AS survivors FROM "titanic" WHERE "Survived" = 1`
	typoSQL     = `SELECT count(*) AS survivors FROM "titanic" WHERE "Survivd" = 1`
)

// planJSON is a plan reply for sql, fenced the way chat models often do.
func planJSON(sql string) string {
	return "```json\n{\"sql\": " + quote(sql) + ", \"charts\": [], \"note\": \"\"}\n```"
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func newEngine(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	require.NoError(t, err)
	return e
}

func TestSamplingAnswers(t *testing.T) {
	cat := titanic(t)
	h := &scripted{replies: []string{planJSON(survivedSQL), "**342** passengers survived."}}
	eng := newEngine(t, Config{})
	got := viaMCP(t, eng, cat, ask("How many passengers survived?"), h)
	require.NoError(t, got.err)
	require.Equal(t, BackendSampling, got.backend)

	ans := got.ans
	require.True(t, ans.Confident)
	require.Equal(t, survivedSQL, ans.SQL)
	require.Equal(t, int64(342), ans.Value) // counted by DuckDB from the CSV
	require.True(t, strings.HasPrefix(ans.Text, "**342** passengers survived."), ans.Text)
	require.Contains(t, ans.Text, "```sql\n"+survivedSQL+"\n```")
	require.Contains(t, ans.Text, "_Answered by the host's model (scripted-model) via MCP sampling_")
	require.NotNil(t, ans.Table)
	require.Equal(t, []string{"survivors"}, ans.Table.Columns)
	require.Empty(t, ans.Charts)

	reqs := h.requests()
	require.Len(t, reqs, 2)
	plan := reqText(reqs[0])
	for _, want := range []string{`Table "titanic": 891 rows`, `"Survived" BIGINT`, `"Sex" VARCHAR`, `"female"`, "First rows:", "Braund", "How many passengers survived?"} {
		require.Contains(t, plan, want)
	}
	require.Positive(t, reqs[0].MaxTokens)
	phrase := reqText(reqs[1])
	require.Contains(t, phrase, "How many passengers survived?")
	require.Contains(t, phrase, "| 342 |")
	require.Contains(t, phrase, survivedSQL)
}

func TestSamplingRepairsSQL(t *testing.T) {
	cat := titanic(t)
	h := &scripted{replies: []string{planJSON(typoSQL), planJSON(survivedSQL), "342 survived."}}
	got := viaMCP(t, newEngine(t, Config{Mode: ModeSampling}), cat, ask("How many passengers survived?"), h)
	require.NoError(t, got.err)
	require.Equal(t, survivedSQL, got.ans.SQL)
	require.Equal(t, int64(342), got.ans.Value)
	require.NotContains(t, got.ans.Text, "built-in engine")

	reqs := h.requests()
	require.Len(t, reqs, 3)
	repair := reqs[1].Messages
	require.Len(t, repair, 3, "question, the failed plan, DuckDB's error")
	require.Contains(t, reqText(reqs[1]), "Survivd")
	require.Contains(t, reqText(reqs[1]), "DuckDB rejected that SQL")
	require.NotContains(t, reqText(reqs[0]), "DuckDB rejected")
}

func TestSamplingGivesUpAfterThreeRepairs(t *testing.T) {
	cat := titanic(t)
	h := &scripted{replies: []string{planJSON(typoSQL), planJSON(typoSQL), planJSON(typoSQL), planJSON(typoSQL), "never used"}}
	req := ask("How many passengers survived?")
	got := viaMCP(t, newEngine(t, Config{}), cat, req, h)
	require.NoError(t, got.err)
	require.Len(t, h.requests(), 1+maxRepairs)

	emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)
	ans := got.ans
	require.True(t, strings.HasPrefix(ans.Text, "The model's answer could not be used (its SQL still failed after 3 repairs"), ans.Text)
	require.Contains(t, ans.Text, "answered with the built-in engine.")
	require.True(t, strings.HasSuffix(ans.Text, emb.Text))
	require.Equal(t, emb.Value, ans.Value)
	require.Equal(t, emb.SQL, ans.SQL)
	require.NotContains(t, ans.Text, "via MCP sampling")
}

func TestSamplingErrorsFallBack(t *testing.T) {
	cat := titanic(t)
	req := ask("How many passengers survived?")
	emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)
	tests := []struct {
		name    string
		handler *scripted
		note    string
	}{
		{"host error", &scripted{err: errors.New("user declined")}, "The model could not be reached (sampling failed: user declined)"},
		{"timeout", &scripted{block: true}, "The model could not be reached (the host's model did not answer in time)"},
		{"no text", &scripted{replies: []string{""}}, "The model's answer could not be used (its reply was not the JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "no text" {
				tt.handler.replies = []string{"", "", "", ""}
			}
			eng := newEngine(t, Config{Timeout: 300 * time.Millisecond})
			got := viaMCP(t, eng, cat, req, tt.handler)
			require.NoError(t, got.err)
			require.True(t, strings.HasPrefix(got.ans.Text, tt.note), got.ans.Text)
			require.True(t, strings.HasSuffix(got.ans.Text, emb.Text))
			require.Equal(t, emb.Value, got.ans.Value)
		})
	}
}

func TestSamplingConversationTurn(t *testing.T) {
	cat := titanic(t)
	h := &scripted{replies: []string{`{"answer": "You first asked how many passengers survived."}`}}
	req := chat.Request{Messages: []chat.Message{
		{Role: "user", Content: "How many passengers survived?"},
		{Role: "assistant", Content: "342 passengers survived."},
		{Role: "user", Content: "What did I ask first?"},
	}}
	got := viaMCP(t, newEngine(t, Config{}), cat, req, h)
	require.NoError(t, got.err)
	require.Equal(t, "You first asked how many passengers survived.\n\n_Answered by the host's model (scripted-model) via MCP sampling_\n", got.ans.Text)
	require.Empty(t, got.ans.SQL)
	require.False(t, got.ans.Confident)
	reqs := h.requests()
	require.Len(t, reqs, 1)
	require.Len(t, reqs[0].Messages, 3)
	require.Equal(t, "assistant", string(reqs[0].Messages[1].Role))
}

func TestClientWithoutSamplingUsesEmbedded(t *testing.T) {
	cat := titanic(t)
	req := ask("How many passengers survived?")
	emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)

	got := viaMCP(t, newEngine(t, Config{}), cat, req, nil)
	require.NoError(t, got.err)
	require.Equal(t, BackendEmbedded, got.backend)
	require.Equal(t, emb.Text, got.ans.Text, "auto mode adds no note")
	require.Equal(t, emb.Value, got.ans.Value)

	got = viaMCP(t, newEngine(t, Config{Mode: ModeSampling}), cat, req, nil)
	require.NoError(t, got.err)
	require.True(t, strings.HasPrefix(got.ans.Text, "The host's model is not available"), got.ans.Text)
	require.True(t, strings.HasSuffix(got.ans.Text, emb.Text))
}
