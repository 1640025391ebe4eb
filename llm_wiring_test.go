package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeOpenAI is a local OpenAI-compatible endpoint: a JSON plan for
// non-streaming calls, a streamed sentence for streaming ones.
func fakeOpenAI(t *testing.T, calls *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		require.Equal(t, "/v1/chat/completions", r.URL.Path)
		require.Equal(t, "Bearer test-key", r.Header.Get("Authorization"))
		var body struct {
			Model  string `json:"model"`
			Stream bool   `json:"stream"`
		}
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		require.Equal(t, "gpt-4o-mini", body.Model)
		require.Contains(t, string(raw), "titanic", "the prompt carries the schema")
		if !body.Stream {
			plan := `{"sql": "SELECT count(*) AS passengers FROM titanic"}`
			_ = json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": plan}}}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, piece := range []string{"There were ", "891 passengers", "."} {
			b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"delta": map[string]any{"content": piece}}}})
			fmt.Fprintf(w, "data: %s\n\n", b)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
}

// TestAskWithOpenAIEndpoint checks the wiring of --llm: with an endpoint
// configured, auto uses it; with --llm none, the built-in engine answers.
func TestAskWithOpenAIEndpoint(t *testing.T) {
	var calls atomic.Int32
	srv := fakeOpenAI(t, &calls)
	defer srv.Close()
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("HOME", t.TempDir())

	var out bytes.Buffer
	err := run(t.Context(), []string{"ask", "--cache-dir", t.TempDir(), "--file", "testdata/titanic.csv", "how many passengers were there?"}, strings.NewReader(""), &out, io.Discard)
	require.NoError(t, err)
	require.Contains(t, out.String(), "There were 891 passengers.")
	require.Contains(t, out.String(), "SELECT count(*) AS passengers FROM titanic")
	require.Contains(t, out.String(), "gpt-4o-mini")
	require.GreaterOrEqual(t, calls.Load(), int32(2))

	before := calls.Load()
	out.Reset()
	err = run(t.Context(), []string{"ask", "--llm", "none", "--cache-dir", t.TempDir(), "--file", "testdata/titanic.csv", "how many passengers were there?"}, strings.NewReader(""), &out, io.Discard)
	require.NoError(t, err)
	require.Contains(t, out.String(), "891")
	require.Equal(t, before, calls.Load(), "--llm none never calls the endpoint")
}
