package rest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets/fetch"
)

// TestRequestErrors checks every error answered before the stream starts:
// its status, a JSON {"error"} body that says what to do, and no host
// paths in it.
func TestRequestErrors(t *testing.T) {
	called := false
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		called = true
		return &chat.Answer{Text: "should not be reached"}, nil
	})
	env := newEnv(t, engine, envOptions{fetch: fetch.Config{MaxBytes: 1 << 20}, rest: Config{MaxBody: 4 << 10}})
	small := newEnv(t, engine, envOptions{fetch: fetch.Config{MaxBytes: 1000}})
	guarded := newEnv(t, engine, envOptions{refusePrivate: true})

	// A loopback port with nothing listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedURL := "http://" + ln.Addr().String() + "/data.csv"
	require.NoError(t, ln.Close())

	files := env.files.URL
	tests := []struct {
		name   string
		env    *testEnv
		body   string
		status int
		want   string // in the message
	}{
		{"not JSON", env, `{"messages": [`, 400, "not valid JSON"},
		{"trailing garbage", env, `{"messages": [{"role": "user", "content": "hi"}]} x`, 400, "not valid JSON"},
		{"not an object", env, `[1, 2]`, 400, "JSON object"},
		{"no messages", env, `{"model": "gpt-4o-mini", "files": []}`, 400, "messages is required"},
		{"empty messages", env, `{"messages": []}`, 400, "messages is required"},
		{"messages not a list", env, `{"messages": "hi"}`, 400, "messages must be a list"},
		{"bad role", env, `{"messages": [{"role": "system", "content": "be nice"}, {"role": "user", "content": "hi"}]}`, 400, `role "system"`},
		{"missing role", env, `{"messages": [{"content": "hi"}]}`, 400, "role must be"},
		{"content not a string", env, `{"messages": [{"role": "user", "content": 5}]}`, 400, "content must be a string"},
		{"user without content", env, `{"messages": [{"role": "user"}]}`, 400, "without content"},
		{"only assistant", env, `{"messages": [{"role": "assistant", "content": "bob"}]}`, 400, "last message must be the user's question"},
		{"ends with assistant", env, `{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "bob"}]}`, 400, "last message must be the user's question"},
		{"blank question", env, `{"messages": [{"role": "user", "content": "  "}]}`, 400, "last message must be the user's question"},
		{"model not a string", env, `{"model": 4, "messages": [{"role": "user", "content": "hi"}]}`, 400, "model must be a string"},
		{"files not strings", env, `{"messages": [{"role": "user", "content": "hi"}], "files": [1]}`, 400, "files must be a list of URL strings"},
		{"files not a list", env, `{"messages": [{"role": "user", "content": "hi"}], "files": "x.csv"}`, 400, "files must be a list of URL strings"},
		{"empty file", env, body(t, []string{""}, "hi"), 400, "files[0] is empty"},
		{"too many files", env, body(t, make([]string, MaxFiles+1), "hi"), 400, "at most"},
		{"body too large", env, body(t, nil, strings.Repeat("x", 5<<10)), 413, "larger than 4 KiB"},
		{"file too large", small, body(t, []string{small.files.URL + "/titanic.csv"}, "hi"), 413, "too large"},
		{"unsupported format", env, body(t, []string{files + "/blob"}, "hi"), 415, "supported formats"},
		{"unparsable file", env, body(t, []string{files + "/bad.parquet"}, "hi"), 422, "could not be read"},
		{"second file bad", env, body(t, []string{files + "/titanic.csv", files + "/bad.parquet"}, "hi"), 422, "files[1] (bad.parquet)"},
		{"private address", guarded, body(t, []string{guarded.files.URL + "/titanic.csv"}, "hi"), 403, "refused"},
		{"ftp scheme", env, body(t, []string{"ftp://example.com/titanic.csv"}, "hi"), 403, "not an http(s) URL"},
		{"file scheme", env, body(t, []string{"file:///etc/passwd"}, "hi"), 403, "not an http(s) URL"},
		{"local path", env, body(t, []string{"/etc/passwd"}, "hi"), 403, "not an http(s) URL"},
		{"not found", env, body(t, []string{files + "/missing.csv"}, "hi"), 502, "could not be fetched"},
		{"unreachable", env, body(t, []string{closedURL}, "hi"), 502, "could not be fetched"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(t.Context(), t, tc.env.api.URL, tc.body)
			require.Equal(t, tc.status, resp.StatusCode)
			msg := decodeError(t, resp)
			require.Contains(t, msg, tc.want)
			stagingRoot := tc.env.mgr.Config().StagingRoot
			require.NotContains(t, msg, stagingRoot)
			require.NotContains(t, msg, "/tmp/", "no host paths: %s", msg)
			t.Logf("%d %s", resp.StatusCode, msg)
		})
	}
	require.False(t, called, "the engine must not run after a failed request")
	require.Equal(t, 0, env.mgr.Sessions()+small.mgr.Sessions()+guarded.mgr.Sessions(), "failed requests drop their catalogs")
	require.Contains(t, env.logs.String(), "status=422")
}

// TestMethodAndRoute checks the patterns Routes returns on a ServeMux.
func TestMethodAndRoute(t *testing.T) {
	env := newEnv(t, chat.NewEmbedded(), envOptions{})
	resp, err := http.Get(env.api.URL + "/api/v1/chat")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Len(t, env.rest.Routes(), 4)
	for pattern := range env.rest.Routes() {
		require.True(t, strings.HasPrefix(pattern, "POST /api/v1/") || strings.HasPrefix(pattern, "GET /api/v1/"), fmt.Sprint(pattern))
	}
	require.Len(t, env.rest.PublicRoutes(), 2)
}

// TestSlowFiles checks that a fetch timeout is a 502, and that a client
// that leaves while a file is downloading stops the download.
func TestSlowFiles(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "unreachable"}, nil
	})
	t.Run("timeout", func(t *testing.T) {
		env := newEnv(t, engine, envOptions{fetch: fetch.Config{Timeout: 300 * time.Millisecond}})
		resp := post(t.Context(), t, env.api.URL, body(t, []string{env.files.URL + "/slow.csv"}, "hi"))
		require.Equal(t, http.StatusBadGateway, resp.StatusCode)
		require.Contains(t, decodeError(t, resp), "files[0] (slow.csv) could not be fetched")
	})
	t.Run("client leaves", func(t *testing.T) {
		env := newEnv(t, engine, envOptions{})
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.api.URL+"/api/v1/chat",
			strings.NewReader(body(t, []string{env.files.URL + "/slow.csv"}, "hi")))
		require.NoError(t, err)
		_, err = http.DefaultClient.Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Eventually(t, func() bool { return strings.Contains(env.logs.String(), "status=499") }, 5*time.Second, 10*time.Millisecond,
			"the handler returns once the client is gone")
		require.Equal(t, 0, env.mgr.Sessions())
	})
}
