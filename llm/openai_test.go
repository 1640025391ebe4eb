package llm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/charts"
	"datachat/chat"
)

const fareSQL = `SELECT "Pclass", round(avg("Fare"), 2) AS avg_fare FROM "titanic" GROUP BY "Pclass" ORDER BY "Pclass"`

func openAIEngine(t *testing.T, f *fakeOpenAI) *Engine {
	t.Helper()
	srv := f.start()
	return newEngine(t, Config{OpenAIKey: f.key, OpenAIBaseURL: srv.URL + "/v1/", HTTPClient: srv.Client()})
}

func TestOpenAIStreams(t *testing.T) {
	cat := titanic(t)
	chunks := []string{"First class ", "paid the most, ", "about **84.15** on average."}
	f := &fakeOpenAI{t: t, key: "sk-test", plans: []string{planJSON(fareSQL)}, chunks: [][]string{chunks}}
	eng := openAIEngine(t, f)
	require.Equal(t, BackendOpenAI, eng.Backend(t.Context()))

	var pieces []string
	ans, err := eng.AnswerStream(t.Context(), cat, ask("Average fare by class?"), func(s string) error {
		pieces = append(pieces, s)
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, len(pieces), len(chunks))
	require.Equal(t, chunks, pieces[:len(chunks)], "tokens are emitted as they arrive, in order")
	require.Equal(t, ans.Text, strings.Join(pieces, ""))
	require.True(t, strings.HasPrefix(ans.Text, strings.Join(chunks, "")))
	require.Contains(t, ans.Text, "```sql\n"+fareSQL+"\n```")
	require.Contains(t, ans.Text, "| Pclass | avg_fare |")
	require.True(t, strings.HasSuffix(ans.Text, "_Answered by gpt-4o-mini_\n"), ans.Text)
	require.True(t, ans.Confident)
	require.Nil(t, ans.Value, "two columns give no single value")
	require.Equal(t, 3, ans.Table.RowCount)
	require.Equal(t, []any{int64(1), 84.15}, ans.Table.Rows[0])

	reqs := f.requests()
	require.Len(t, reqs, 2)
	require.False(t, reqs[0].Stream, "the plan is not streamed")
	require.True(t, reqs[1].Stream, "the phrasing is streamed")
	for _, r := range reqs {
		require.Equal(t, "gpt-4o-mini", r.Model)
		require.Equal(t, "system", r.Messages[0].Role)
		require.Equal(t, "user", r.Messages[len(r.Messages)-1].Role)
	}
	require.Contains(t, reqs[0].Messages[0].Content, `"Fare" DOUBLE`)
	require.Contains(t, reqs[0].Messages[0].Content, `"Pclass" BIGINT`)
	require.Equal(t, "Average fare by class?", reqs[0].Messages[1].Content)
	require.Contains(t, reqs[1].Messages[1].Content, "84.15")
}

func TestOpenAIRequestModelAndNoKey(t *testing.T) {
	cat := titanic(t)
	f := &fakeOpenAI{t: t, plans: []string{`{"sql": "SELECT count(*) FROM \"titanic\""}`}, chunks: [][]string{{"891 rows."}}}
	eng := openAIEngine(t, f)
	req := ask("How many rows?")
	req.Model = "llama3.2"
	ans, err := eng.Answer(t.Context(), cat, req)
	require.NoError(t, err)
	require.Equal(t, int64(891), ans.Value)
	require.Contains(t, ans.Text, "_Answered by llama3.2_")
	for _, r := range f.requests() {
		require.Equal(t, "llama3.2", r.Model)
	}
}

func TestOpenAIHTTPErrorsFallBack(t *testing.T) {
	cat := titanic(t)
	req := ask("How many passengers survived?")
	emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)
	tests := []struct {
		status int
		note   string
	}{
		{401, "The model could not be reached (HTTP 401: the API key was refused; check OPENAI_API_KEY); answered with the built-in engine."},
		{404, `The model could not be reached (HTTP 404: model "gpt-4o-mini" or the chat-completions path was not found`},
		{429, "The model could not be reached (HTTP 429: rate limited"},
		{503, "The model could not be reached (HTTP 503: the endpoint failed"},
	}
	for _, tt := range tests {
		t.Run(tt.note[:40], func(t *testing.T) {
			f := &fakeOpenAI{t: t, key: "sk-secret-123", status: tt.status}
			var pieces []string
			ans, err := openAIEngine(t, f).AnswerStream(t.Context(), cat, req, func(s string) error {
				pieces = append(pieces, s)
				return nil
			})
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(ans.Text, tt.note), ans.Text)
			require.True(t, strings.HasSuffix(ans.Text, emb.Text))
			require.Equal(t, ans.Text, strings.Join(pieces, ""))
			require.NotContains(t, ans.Text, "sk-secret-123")
			require.Equal(t, emb.Value, ans.Value)
			require.Len(t, f.requests(), 1, "HTTP failures are not retried")
		})
	}
}

func TestOpenAIMalformedPlan(t *testing.T) {
	cat := titanic(t)
	req := ask("How many passengers survived?")

	t.Run("repaired", func(t *testing.T) {
		f := &fakeOpenAI{t: t, key: "k",
			plans:  []string{"Sure! I would count the survivors with SQL.", `Here you go: {"sql": "` + strings.ReplaceAll(survivedSQL, `"`, `\"`) + `"} hope it helps`},
			chunks: [][]string{{"342 survived."}}}
		ans, err := openAIEngine(t, f).Answer(t.Context(), cat, req)
		require.NoError(t, err)
		require.Equal(t, int64(342), ans.Value)
		reqs := f.requests()
		require.Len(t, reqs, 3)
		repair := reqs[1].Messages
		require.Equal(t, "assistant", repair[len(repair)-2].Role)
		require.Contains(t, repair[len(repair)-1].Content, "could not be used (the reply holds no JSON object)")
	})

	t.Run("never valid", func(t *testing.T) {
		f := &fakeOpenAI{t: t, key: "k", plans: []string{"no", "{not json", `{"note": "nothing"}`, "still no"}}
		ans, err := openAIEngine(t, f).Answer(t.Context(), cat, req)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(ans.Text, "The model's answer could not be used (its reply was not the JSON asked for after 3 repairs: the reply holds no JSON object)"), ans.Text)
		require.Len(t, f.requests(), 4)
		emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
		require.NoError(t, err)
		require.True(t, strings.HasSuffix(ans.Text, emb.Text))
	})
}

func TestOpenAICharts(t *testing.T) {
	cat := titanic(t)
	plan := `{"sql": ` + quote(fareSQL) + `, "charts": [
		{"kind": "bar", "x": "Pclass", "y": "avg_fare", "title": "Average fare by class", "finding": "First class paid most."},
		{"kind": "bar", "x": "Pclass", "y": "median_fare"},
		{"x": "pclass", "y": "AVG_FARE"},
		{"kind": "pie", "x": "Pclass", "y": "avg_fare"}
	], "note": "fares in pounds"}`
	f := &fakeOpenAI{t: t, key: "k", plans: []string{plan}, chunks: [][]string{{"Fares fall with class."}}}
	ans, err := openAIEngine(t, f).Answer(t.Context(), cat, ask("Chart the average fare by class"))
	require.NoError(t, err)
	require.Len(t, ans.Charts, 3, "the chart naming a column the result lacks is dropped")

	first := ans.Charts[0]
	require.Equal(t, charts.Spec{Kind: charts.Bar, X: "Pclass", Y: "avg_fare", Title: "Average fare by class"}, first.Spec)
	require.Equal(t, "First class paid most.", first.Finding)
	require.Equal(t, fareSQL, first.SQL)
	require.Equal(t, ans.Table.Columns, first.Data.Columns)
	require.Equal(t, ans.Table.Rows, first.Data.Rows)
	require.Len(t, first.Data.Rows, 3)

	for _, c := range ans.Charts[1:] {
		// No kind, or one charts does not know: Choose picks one from the
		// types, with the column names as the result spells them.
		require.Contains(t, charts.Kinds, c.Spec.Kind)
		require.Equal(t, "Pclass", c.Spec.X)
		require.Equal(t, "avg_fare", c.Spec.Y)
		require.Len(t, c.Data.Rows, 3)
	}
	require.Contains(t, f.requests()[1].Messages[1].Content, "Assumption noted while planning: fares in pounds")
}

func TestOpenAIStreamBreaksAfterSQL(t *testing.T) {
	// The phrasing call fails after the SQL ran: the answer still carries
	// the result, says the model could not phrase it, and does not fall back.
	cat := titanic(t)
	f := &fakeOpenAI{t: t, key: "sk-phrase", plans: []string{planJSON(survivedSQL)}, streamStatus: 500}
	ans, err := openAIEngine(t, f).Answer(t.Context(), cat, ask("How many passengers survived?"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(ans.Text, "The answer is **342**."), ans.Text)
	require.Contains(t, ans.Text, "_(The model could not phrase the answer: HTTP 500: the endpoint failed: Incorrect API key provided: ***.)_")
	require.Equal(t, int64(342), ans.Value)
	require.True(t, ans.Confident)
}
