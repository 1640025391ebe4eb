package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/chat"
)

// TestBodyLimitBeforeReading: a body announced larger than MaxBody is
// answered 413 before any of it is read.
func TestBodyLimitBeforeReading(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "ok"}, nil
	})
	env := newEnv(t, engine, envOptions{rest: Config{MaxBody: 1 << 10}})
	pr, pw := io.Pipe()
	defer pw.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, env.api.URL+"/api/v1/chat", pr)
	require.NoError(t, err)
	req.ContentLength = 200 << 20
	req.Header.Set("Content-Type", "application/json")
	// Nothing is ever written to the body: the answer must come anyway.
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Contains(t, decodeError(t, resp), "--max-body")

	resp = post(t.Context(), t, env.api.URL, body(t, nil, strings.Repeat("long question ", 200)))
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

// TestBusyAnswers503: beyond the concurrency limit a request gets 503 with
// Retry-After.
func TestBusyAnswers503(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "ok"}, nil
	})
	free := true
	env := newEnv(t, engine, envOptions{rest: Config{Admit: func() (func(), bool) {
		if !free {
			return nil, false
		}
		return func() {}, true
	}}})
	resp := post(t.Context(), t, env.api.URL, body(t, []string{env.files.URL + "/titanic.csv"}, "how many rows?"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	free = false
	resp = post(t.Context(), t, env.api.URL, body(t, []string{env.files.URL + "/titanic.csv"}, "how many rows?"))
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "2", resp.Header.Get("Retry-After"))
	require.Contains(t, decodeError(t, resp), "--max-concurrent")
}

// TestNonTableIs415: an HTML error page served as data.csv, or a PDF, is
// refused with 415 naming what it is, not loaded as a junk table.
func TestNonTableIs415(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "unreachable"}, nil
	})
	env := newEnv(t, engine, envOptions{})
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/data.csv":
			w.Header().Set("Content-Type", "text/csv")
			w.Write([]byte("<!DOCTYPE html><html><head><title>Error</title></head><body>Service unavailable</body></html>"))
		case "/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"))
		}
	}))
	defer pages.Close()
	for path, want := range map[string]string{"/data.csv": "HTML web page", "/report.pdf": "PDF document"} {
		resp := post(t.Context(), t, env.api.URL, body(t, []string{pages.URL + path}, "how many rows?"))
		require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode, path)
		require.Contains(t, decodeError(t, resp), want)
	}
	// A client's mistake is logged at info, without the server's folders.
	require.Eventually(t, func() bool { return strings.Count(env.logs.String(), "status=415") == 2 }, time.Minute, 10*time.Millisecond)
	for _, line := range strings.Split(env.logs.String(), "\n") {
		if strings.Contains(line, "status=415") {
			require.Contains(t, line, "level=INFO")
			require.NotContains(t, line, env.mgr.Config().StagingRoot)
		}
	}
}
