package transport

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"
)

// countingBody counts the bytes the server reads of a body of n bytes.
type countingBody struct {
	n, read int64
	sent    atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.n-b.read)
	for i := range p[:k] {
		p[i] = ' '
	}
	b.read += k
	b.sent.Add(k)
	return int(k), nil
}

func TestMCPBodyLimit(t *testing.T) {
	h, _ := NewHTTPHandler(server.NewMCPServer("t", "1"), HTTPConfig{MaxBody: 1 << 20})
	srv := httptest.NewServer(h)
	defer srv.Close()

	// A 200 MB body announced by Content-Length is refused before it is read.
	body := &countingBody{n: 200 << 20}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/mcp", body)
	require.NoError(t, err)
	req.ContentLength = body.n
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Contains(t, string(msg), "--max-body")
	// What the client managed to send before the server closed: kernel
	// buffers, not the body.
	require.Less(t, body.sent.Load(), int64(32<<20), "the server stopped reading at once")

	// A chunked body (no length) is cut at the limit.
	chunked := &countingBody{n: 5 << 20}
	req, err = http.NewRequest(http.MethodPost, srv.URL+"/mcp", io.MultiReader(chunked))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

func TestMCPBusyGate(t *testing.T) {
	gate := NewGate(2)
	h, _ := NewHTTPHandler(server.NewMCPServer("t", "1"), HTTPConfig{Gate: gate})
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	call := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query","arguments":{}}}`
	a, _ := gate.TryAcquire()
	b, _ := gate.TryAcquire()
	resp := post(call)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "2", resp.Header.Get("Retry-After"))
	resp = post(`[` + call + `]`)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "batches too")
	// Cheap requests still get through, so a client can reach a busy server.
	resp = post(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	a()
	b()
	resp = post(call)
	require.NotEqual(t, http.StatusServiceUnavailable, resp.StatusCode)
	_, ok := gate.TryAcquire()
	require.True(t, ok, "slots are given back")
}

func TestBearerScheme(t *testing.T) {
	h, _ := NewHTTPHandler(server.NewMCPServer("t", "1"), HTTPConfig{
		Token:  "tok",
		Routes: map[string]http.Handler{"GET /api/ping": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("pong")) })},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for auth, want := range map[string]int{
		"Bearer tok": 200, "bearer tok": 200, "BEARER tok": 200, "Bearer  tok ": 200,
		"Basic tok": 401, "Bearer tok2": 401, "Bearer to": 401, "Bearertok": 401, "tok": 401, "Bearer": 401,
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/ping", nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, want, resp.StatusCode, "%q", auth)
	}
}
