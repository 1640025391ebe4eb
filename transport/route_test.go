package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"
)

func rawRequest(t *testing.T, method, url string, header map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	ctx, cancel := context.WithCancel(t.Context())
	req = req.WithContext(ctx)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var b []byte
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		cancel() // an open event stream: the status is what counts
	} else {
		b, _ = io.ReadAll(resp.Body)
	}
	resp.Body.Close()
	cancel()
	return resp, string(b)
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func TestOriginAndSessionChecks(t *testing.T) {
	h, sessions := NewHTTPHandler(server.NewMCPServer("t", "1", server.WithHooks(&server.Hooks{})), HTTPConfig{
		AllowOrigins: []string{"https://app.example"},
		Routes:       map[string]http.Handler{"POST /api/ping": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("pong")) })},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	// Origin: none, the server's own and allowed ones pass; others get 403.
	for _, tc := range []struct {
		origin string
		want   int
	}{
		{"", 200},
		{"http://" + host, 200},
		{"https://app.example", 200},
		{"https://APP.example:443", 200},
		{"http://evil.example", 403},
		{"https://app.example:8443", 403},
		{"http://" + host + ".evil.example", 403},
		{"null", 403},
	} {
		for _, path := range []string{"/mcp", "/api/ping"} {
			hdr := map[string]string{}
			if tc.origin != "" {
				hdr["Origin"] = tc.origin
			}
			body := initBody
			if path != "/mcp" {
				body = ""
			}
			resp, msg := rawRequest(t, "POST", srv.URL+path, hdr, body)
			require.Equal(t, tc.want, resp.StatusCode, "%s from %q: %s", path, tc.origin, msg)
			if tc.want == 403 {
				require.Contains(t, msg, "--allow-origin")
			}
		}
	}

	resp, _ := rawRequest(t, "POST", srv.URL+"/mcp", nil, initBody)
	sid := resp.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, sid)
	legacy := map[string]string{"Mcp-Protocol-Version": "2025-11-25"}
	with := func(id string) map[string]string {
		return map[string]string{"Mcp-Protocol-Version": "2025-11-25", "Mcp-Session-Id": id}
	}
	list := `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}`
	for _, tc := range []struct {
		method string
		header map[string]string
		body   string
		want   int
	}{
		{"GET", legacy, "", 400},
		{"GET", with("dc-made-up"), "", 404},
		{"GET", with(sid + AliasSep + "1"), "", 200}, // the router's suffix names the same session
		{"GET", with(sid), "", 200},
		{"POST", legacy, list, 400},
		{"POST", with("dc-made-up"), list, 404},
		{"POST", with(sid), list, 200},
		{"DELETE", legacy, "", 400},
		{"DELETE", with("dc-made-up"), "", 404},
		{"DELETE", with(sid), "", 200},
		{"POST", with(sid), list, 404},
		{"GET", with(sid), "", 404},
		{"DELETE", with(sid), "", 404},
		// 2026-07-28 has no sessions and no GET stream.
		{"GET", map[string]string{"Mcp-Protocol-Version": mcp.LATEST_PROTOCOL_VERSION}, "", 405},
	} {
		resp, msg := rawRequest(t, tc.method, srv.URL+"/mcp", tc.header, tc.body)
		require.Equal(t, tc.want, resp.StatusCode, "%s %v: %s", tc.method, tc.header, msg)
	}
	require.False(t, sessions.known(sid))
}

// TestRequestStreams checks that a request's notifications reach the
// client before its response while the client holds the GET stream open,
// and that handlers still see their real session (capabilities, sampling
// over the GET stream, session resources).
func TestRequestStreams(t *testing.T) {
	const notes = 25
	s := server.NewMCPServer("t", "1", server.WithHooks(&server.Hooks{}), server.WithResourceCapabilities(false, true))
	s.EnableSampling()
	s.AddTool(mcp.NewTool("work"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		for i := range notes {
			if err := Notify(ctx, "notifications/progress", map[string]any{
				"progressToken": req.Params.Meta.ProgressToken, "progress": i + 1, "total": notes,
			}); err != nil {
				return nil, err
			}
		}
		return mcp.NewToolResultText("done"), nil
	})
	s.AddTool(mcp.NewTool("ask"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		cs := server.ClientSessionFromContext(ctx)
		caps := cs.(server.SessionWithClientInfo).GetClientCapabilities()
		if caps.Sampling == nil {
			return mcp.NewToolResultError("no sampling capability seen"), nil
		}
		res, err := server.ServerFromContext(ctx).RequestSampling(ctx, mcp.CreateMessageRequest{CreateMessageParams: mcp.CreateMessageParams{
			Messages: []mcp.SamplingMessage{{Role: mcp.RoleUser, Content: mcp.NewTextContent("hi")}}, MaxTokens: 5}})
		if err != nil {
			return nil, err
		}
		cs.(server.SessionWithResources).SetSessionResources(map[string]server.ServerResource{
			"test://mine": {Resource: mcp.NewResource("test://mine", "mine")},
		})
		return mcp.NewToolResultText(res.Content.(mcp.TextContent).Text), nil
	})
	h, _ := NewHTTPHandler(s, HTTPConfig{})
	srv := httptest.NewServer(h)
	defer srv.Close()

	tr, err := transport.NewStreamableHTTP(srv.URL+"/mcp", transport.WithContinuousListening())
	require.NoError(t, err)
	c := client.NewClient(tr, client.WithSamplingHandler(sampler{}))
	defer c.Close()
	require.NoError(t, c.Start(t.Context()))
	var mu sync.Mutex
	seen := map[string]int{}
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/progress" {
			mu.Lock()
			seen[n.Params.AdditionalFields["progressToken"].(string)]++
			mu.Unlock()
		}
	})
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "t", Version: "1"}}})
	require.NoError(t, err)

	// Several calls at once on one session, the GET stream open.
	var wg sync.WaitGroup
	var short atomic.Int32
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := "call-" + string(rune('a'+i))
			for range 5 {
				mu.Lock()
				seen[token] = 0
				mu.Unlock()
				res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "work",
					Meta: &mcp.Meta{ProgressToken: token}}})
				require.NoError(t, err)
				require.False(t, res.IsError)
				mu.Lock()
				if seen[token] != notes {
					t.Logf("%s: %d", token, seen[token])
					short.Add(1)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Zero(t, short.Load(), "every call's %d notifications arrived before its response", notes)

	res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "ask"}})
	require.NoError(t, err)
	require.False(t, res.IsError, res.Content)
	require.Equal(t, "sampled", res.Content[0].(mcp.TextContent).Text)
	list, err := c.ListResources(t.Context(), mcp.ListResourcesRequest{})
	require.NoError(t, err)
	require.Len(t, list.Resources, 1, "resources set in a tool call belong to the session")
}

type sampler struct{}

func (sampler) CreateMessage(context.Context, mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	return &mcp.CreateMessageResult{SamplingMessage: mcp.SamplingMessage{Role: mcp.RoleAssistant, Content: mcp.NewTextContent("sampled")}, Model: "m"}, nil
}
