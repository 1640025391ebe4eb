package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"
)

func TestSessionsLifecycle(t *testing.T) {
	var mu sync.Mutex
	var ended []string
	s := NewSessions(func(id string) { mu.Lock(); ended = append(ended, id); mu.Unlock() })

	a, b := s.Generate(), s.Generate()
	require.NotEqual(t, a, b)
	require.True(t, strings.HasPrefix(a, sessionPrefix))
	term, err := s.Validate(a)
	require.NoError(t, err)
	require.False(t, term)
	_, err = s.Validate("dc-made-up")
	require.Error(t, err, "ids the server did not issue are refused")

	_, err = s.Terminate(a)
	require.NoError(t, err)
	term, err = s.Validate(a)
	require.NoError(t, err)
	require.True(t, term, "a terminated session stays terminated")
	require.Equal(t, []string{a}, ended)

	// b idles past the TTL and expires; its catalog is freed.
	time.Sleep(20 * time.Millisecond)
	require.Equal(t, 1, s.Expire(10*time.Millisecond))
	require.Equal(t, []string{a, b}, ended)
	require.Zero(t, s.Live())
	term, _ = s.Validate(b)
	require.True(t, term)
}

func TestAuthAndHealth(t *testing.T) {
	h, _ := NewHTTPHandler(server.NewMCPServer("t", "1"), HTTPConfig{
		Token:  "tok",
		Routes: map[string]http.Handler{"GET /api/ping": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("pong")) })},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range []struct {
		path, auth string
		want       int
	}{
		{"/healthz", "", 200},
		{"/api/ping", "", 401},
		{"/api/ping", "Bearer nope", 401},
		{"/api/ping", "Bearer tok", 200},
		{"/mcp", "", 401},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, tc.want, resp.StatusCode, "%s %q", tc.path, tc.auth)
		if tc.want == 401 {
			require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		}
	}
}
