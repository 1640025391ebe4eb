package llm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
)

// rawModel is a model of an endpoint that answers every call with body.
func rawModel(t *testing.T, contentType, body string) *openAIModel {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return &openAIModel{client: &openAIClient{base: srv.URL, http: srv.Client()}, model: "m"}
}

func TestOpenAIStreamParsing(t *testing.T) {
	chunk := func(s string) string {
		return `data: {"choices":[{"delta":{"content":` + quote(s) + `}}]}` + "\n\n"
	}
	tests := []struct {
		name, contentType, body string
		want                    string
		pieces                  int
		err                     string
	}{
		{"chunks and done", "text/event-stream", "event: x\n" + chunk("a") + ": ping\n" + chunk("") + chunk("b c") + "data: [DONE]\n\n" + chunk("after"), "ab c", 2, ""},
		{"no done", "text/event-stream", chunk("x") + chunk("y"), "xy", 2, ""},
		{"data without space", "text/event-stream", `data:{"choices":[{"delta":{"content":"z"}}]}` + "\n\ndata:[DONE]\n", "z", 1, ""},
		{"error chunk", "text/event-stream", chunk("part") + `data: {"error":{"message":"overloaded"}}` + "\n\n", "part", 1, "the endpoint reported: overloaded"},
		{"bad chunk", "text/event-stream", "data: {nope\n\n", "", 0, "malformed chunk"},
		{"not streamed after all", "application/json", `{"choices":[{"message":{"content":"whole"}}]}`, "whole", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pieces []string
			got, err := rawModel(t, tt.contentType, tt.body).stream(t.Context(), call{messages: []chat.Message{{Role: "user", Content: "q"}}}, func(s string) error {
				pieces = append(pieces, s)
				return nil
			})
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.want, strings.Join(pieces, ""))
			require.Len(t, pieces, tt.pieces)
		})
	}
}

func TestOpenAICompleteParsing(t *testing.T) {
	tests := []struct{ name, body, want, err string }{
		{"ok", `{"choices":[{"message":{"content":"hi"}}]}`, "hi", ""},
		{"no choices", `{"choices":[]}`, "", "no choices"},
		{"error body", `{"error":{"message":"model overloaded"}}`, "", "the endpoint reported: model overloaded"},
		{"html", `<html>proxy error</html>`, "", "not a chat completion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rawModel(t, "application/json", tt.body).complete(t.Context(), call{})
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestUnreachableEndpointFallsBack(t *testing.T) {
	cat := titanic(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	eng := newEngine(t, Config{OpenAIBaseURL: url + "/v1"})
	ans, err := eng.Answer(t.Context(), cat, ask("How many passengers survived?"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(ans.Text, "The model could not be reached (call the endpoint: "), ans.Text)
	require.Equal(t, int64(342), ans.Value)
}

func TestSchemaTextIsBounded(t *testing.T) {
	var b strings.Builder
	const cols = 400
	for i := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "a_rather_long_column_name_number_%03d", i)
	}
	b.WriteByte('\n')
	for r := range 5 {
		for i := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "value %d of %d", r, i)
		}
		b.WriteByte('\n')
	}
	cat := csvCatalog(t, map[string]string{"wide0.csv": b.String(), "wide1.csv": b.String(), "wide2.csv": b.String()})
	tables := cat.Tables(t.Context())
	require.Equal(t, 3, len(tables))

	e := newEngine(t, Config{})
	s := e.schemaText(t.Context(), cat, tables)
	require.LessOrEqual(t, len(s), maxSchemaChars+300)
	require.Equal(t, 3, strings.Count(s, "Table "), "every table is named")
	require.Contains(t, s, "more: ")
	require.Contains(t, s, `"a_rather_long_column_name_number_000" VARCHAR`)

	require.Contains(t, e.schemaText(t.Context(), cat, nil), "No tables are loaded")
}

func TestOpenAIRetriesWithMaxCompletionTokens(t *testing.T) {
	var seen []openAIRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req openAIRequest
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		seen = append(seen, req)
		w.Header().Set("Content-Type", "application/json")
		if req.MaxTokens > 0 {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprint(w, `{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."}}`)
			return
		}
		_, _ = fmt.Fprint(w, `{"choices":[{"message":{"content":"ok"}}]}`)
	}))
	t.Cleanup(srv.Close)
	m := &openAIModel{client: &openAIClient{base: srv.URL, http: srv.Client()}, model: "o3-mini"}
	got, err := m.complete(t.Context(), call{maxTokens: 100})
	require.NoError(t, err)
	require.Equal(t, "ok", got)
	require.Len(t, seen, 2)
	require.Equal(t, 100, seen[1].MaxCompletionTokens)
	require.Zero(t, seen[1].MaxTokens)

	// Other 400s are not retried.
	seen = nil
	m.client.base = srv.URL + "/x"
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, openAIRequest{})
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprint(w, `{"error":{"message":"messages too long"}}`)
	})
	_, err = m.complete(t.Context(), call{maxTokens: 100})
	require.EqualError(t, err, "HTTP 400: messages too long")
	require.Len(t, seen, 1)
}

// csvCatalog loads CSV files given by name and content, each as a table
// named after the file.
func csvCatalog(t *testing.T, files map[string]string) *datasets.Catalog {
	t.Helper()
	dir := t.TempDir()
	f, err := fetch.New(fetch.Config{AllowDirs: []string{dir}, CacheDir: t.TempDir()})
	require.NoError(t, err)
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), ReadDirs: []string{dir}, Fetcher: datasets.Guarded(f)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	cat, err := m.Catalog(t.Context(), "csv")
	require.NoError(t, err)
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
		_, err = cat.Load(t.Context(), filepath.Join(dir, name), datasets.LoadOptions{Name: strings.TrimSuffix(name, ".csv")})
		require.NoError(t, err)
	}
	return cat
}

func TestSchemaTextStatistics(t *testing.T) {
	cat := csvCatalog(t, map[string]string{"sales.csv": "day,amount,region\n2024-01-05,10.5,North\n2024-03-01,,South\n2024-02-10,30,North\n2024-02-11,4.25,\n"})
	s := newEngine(t, Config{}).schemaText(t.Context(), cat, cat.Tables(t.Context()))
	for _, want := range []string{
		`Table "sales": 4 rows, 3 columns, from sales.csv`,
		`- "day" DATE: 2024-01-05 to 2024-03-01, ~4 distinct`,
		`- "amount" DOUBLE: 4.25 to 30, mean 14.9167, ~3 distinct, 25% null`,
		`- "region" VARCHAR: ~2 distinct, values "North", "South", 25% null`,
		"First rows:",
	} {
		require.Contains(t, s, want)
	}
}
