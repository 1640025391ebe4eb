package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
)

// titanic returns a session catalog with ../testdata/titanic.csv loaded as
// table "titanic", through the real guarded fetcher.
func titanic(t *testing.T) *datasets.Catalog {
	t.Helper()
	dir, err := filepath.Abs("../testdata")
	require.NoError(t, err)
	f, err := fetch.New(fetch.Config{AllowDirs: []string{dir}, CacheDir: t.TempDir()})
	require.NoError(t, err)
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), ReadDirs: []string{dir}, Fetcher: datasets.Guarded(f)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	cat, err := m.Catalog(t.Context(), "test")
	require.NoError(t, err)
	infos, err := cat.Load(t.Context(), filepath.Join(dir, "titanic.csv"), datasets.LoadOptions{})
	require.NoError(t, err)
	require.Len(t, infos, 1)
	require.Equal(t, "titanic", infos[0].Name)
	return cat
}

// ask is a one-question request.
func ask(q string) chat.Request {
	return chat.Request{Messages: []chat.Message{{Role: "user", Content: q}}}
}

// scripted is a sampling handler that replies from a script and records
// the requests it got.
type scripted struct {
	mu      sync.Mutex
	replies []string
	reqs    []mcp.CreateMessageRequest
	// err, when set, is returned instead of a reply.
	err error
	// block makes the handler wait for the request's context to end.
	block bool
}

func (h *scripted) CreateMessage(ctx context.Context, req mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	var reply string
	var err error
	switch {
	case h.block:
	case h.err != nil:
		err = h.err
	case len(h.replies) == 0:
		err = fmt.Errorf("script exhausted after %d requests", len(h.reqs))
	default:
		reply, h.replies = h.replies[0], h.replies[1:]
	}
	h.mu.Unlock()
	if h.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return &mcp.CreateMessageResult{
		SamplingMessage: mcp.SamplingMessage{Role: mcp.RoleAssistant, Content: mcp.NewTextContent(reply)},
		Model:           "scripted-model",
	}, nil
}

func (h *scripted) requests() []mcp.CreateMessageRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]mcp.CreateMessageRequest(nil), h.reqs...)
}

// text joins a sampling request's system prompt and message texts.
func reqText(r mcp.CreateMessageRequest) string {
	var b strings.Builder
	b.WriteString(r.SystemPrompt + "\n")
	for _, m := range r.Messages {
		if tc, ok := m.Content.(mcp.TextContent); ok {
			b.WriteString(string(m.Role) + ": " + tc.Text + "\n")
		}
	}
	return b.String()
}

// mcpResult is what the test tool saw.
type mcpResult struct {
	ans     *chat.Answer
	err     error
	backend Backend
}

// viaMCP runs one request through an in-process MCP client and a server
// tool that calls the engine, as the chat tool does. With a nil handler
// the client does not offer sampling.
func viaMCP(t *testing.T, eng *Engine, cat chat.Catalog, req chat.Request, handler client.SamplingHandler) mcpResult {
	t.Helper()
	var got mcpResult
	inTool(t, handler, func(ctx context.Context) {
		got.backend = eng.Backend(ctx)
		got.ans, got.err = eng.Answer(ctx, cat, req)
	})
	return got
}

// inTool calls fn inside an MCP tool call made by an in-process client
// that offers sampling when handler is not nil.
func inTool(t *testing.T, handler client.SamplingHandler, fn func(ctx context.Context)) {
	t.Helper()
	s := server.NewMCPServer("llm-test", "1.0.0", server.WithToolCapabilities(false))
	s.EnableSampling()
	s.AddTool(mcp.NewTool("ask", mcp.WithDescription("ask the engine")), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		fn(ctx)
		return mcp.NewToolResultText("done"), nil
	})
	var c *client.Client
	var err error
	if handler != nil {
		c, err = client.NewInProcessClientWithSamplingHandler(s, handler)
	} else {
		c, err = client.NewInProcessClient(s)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.Start(t.Context()))
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "llm-test-client", Version: "1"},
	}})
	require.NoError(t, err)
	res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "ask"}})
	require.NoError(t, err)
	require.False(t, res.IsError)
}

// fakeOpenAI is an OpenAI-compatible endpoint: it checks each request,
// records it, and answers planning calls (stream false) from plans and
// phrasing calls (stream true) from chunks, as SSE.
type fakeOpenAI struct {
	t      *testing.T
	key    string
	mu     sync.Mutex
	plans  []string
	chunks [][]string
	status int // when set, every call fails with it
	// streamStatus, when set, fails the streamed (phrasing) calls.
	streamStatus int
	reqs         []openAIRequest
}

func (f *fakeOpenAI) start() *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	f.t.Cleanup(srv.Close)
	return srv
}

func (f *fakeOpenAI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if f.key != "" && r.Header.Get("Authorization") != "Bearer "+f.key {
		f.t.Errorf("Authorization header = %q", r.Header.Get("Authorization"))
	}
	if f.key == "" && r.Header.Get("Authorization") != "" {
		f.t.Errorf("unexpected Authorization header %q", r.Header.Get("Authorization"))
	}
	var req openAIRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.t.Errorf("decode request: %v", err)
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	status := f.status
	if req.Stream && f.streamStatus != 0 {
		status = f.streamStatus
	}
	var plan string
	var chunks []string
	ok := true
	if req.Stream {
		if len(f.chunks) == 0 {
			ok = false
		} else {
			chunks, f.chunks = f.chunks[0], f.chunks[1:]
		}
	} else {
		if len(f.plans) == 0 {
			ok = false
		} else {
			plan, f.plans = f.plans[0], f.plans[1:]
		}
	}
	f.mu.Unlock()
	if status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}`, f.key)
		return
	}
	if !ok {
		f.t.Errorf("script exhausted (stream=%v)", req.Stream)
		http.Error(w, "script exhausted", http.StatusInternalServerError)
		return
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "cmpl-1", "object": "chat.completion", "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": plan}}},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	for _, c := range chunks {
		b, _ := json.Marshal(map[string]any{"object": "chat.completion.chunk",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": c}}}})
		_, _ = fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	_, _ = fmt.Fprint(w, ": keep-alive comment\n\ndata: [DONE]\n\n")
}

func (f *fakeOpenAI) requests() []openAIRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]openAIRequest(nil), f.reqs...)
}
