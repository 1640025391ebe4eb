package llm

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"datachat/chat"
)

// overHTTP runs fn in a tool called over streamable HTTP by a client that
// offers sampling and speaks protocolVersion.
func overHTTP(t *testing.T, protocolVersion string, h client.SamplingHandler, fn func(ctx context.Context)) {
	t.Helper()
	s := server.NewMCPServer("llm-test", "1.0.0", server.WithToolCapabilities(false))
	s.EnableSampling()
	s.AddTool(mcp.NewTool("ask"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		fn(ctx)
		return mcp.NewToolResultText("done"), nil
	})
	srv := httptest.NewServer(server.NewStreamableHTTPServer(s))
	t.Cleanup(srv.Close)
	var opts []transport.StreamableHTTPCOption
	if !mcp.IsModernProtocol(protocolVersion) {
		// Legacy sampling travels on the GET stream.
		opts = append(opts, transport.WithContinuousListening())
	}
	tr, err := transport.NewStreamableHTTP(srv.URL+"/mcp", opts...)
	require.NoError(t, err)
	c := client.NewClient(tr, client.WithSamplingHandler(h))
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.Start(t.Context()))
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: protocolVersion,
		ClientInfo:      mcp.Implementation{Name: "llm-test-client", Version: "1"},
	}})
	require.NoError(t, err)
	res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "ask"}})
	require.NoError(t, err)
	require.False(t, res.IsError)
}

func TestSamplingOverHTTP(t *testing.T) {
	cat := titanic(t)
	req := ask("How many passengers survived?")
	emb, err := chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)

	t.Run("legacy client samples", func(t *testing.T) {
		h := &scripted{replies: []string{planJSON(survivedSQL), "342 survived."}}
		var ans *chat.Answer
		overHTTP(t, mcp.LATEST_LEGACY_PROTOCOL_VERSION, h, func(ctx context.Context) {
			ans, err = newEngine(t, Config{}).Answer(ctx, cat, req)
		})
		require.NoError(t, err)
		require.Equal(t, int64(342), ans.Value)
		require.Contains(t, ans.Text, "via MCP sampling")
		require.Len(t, h.requests(), 2)
	})

	t.Run("stateless-protocol client: auto answers without a note", func(t *testing.T) {
		h := &scripted{replies: []string{planJSON(survivedSQL), "342 survived."}}
		var ans *chat.Answer
		var backend Backend
		overHTTP(t, mcp.LATEST_PROTOCOL_VERSION, h, func(ctx context.Context) {
			eng := newEngine(t, Config{})
			backend = eng.Backend(ctx)
			require.True(t, server.IsModernRequest(ctx))
			ans, err = eng.Answer(ctx, cat, req)
		})
		require.NoError(t, err)
		require.Equal(t, BackendSampling, backend, "the client declares sampling")
		require.Equal(t, emb.Text, ans.Text)
		require.Empty(t, h.requests(), "no server-initiated request reaches it")
	})

	t.Run("stateless-protocol client: auto moves on to the endpoint", func(t *testing.T) {
		f := &fakeOpenAI{t: t, key: "sk-modern", plans: []string{planJSON(survivedSQL)}, chunks: [][]string{{"342 ", "survived."}}}
		eng := openAIEngine(t, f)
		var ans *chat.Answer
		overHTTP(t, mcp.LATEST_PROTOCOL_VERSION, &scripted{}, func(ctx context.Context) {
			ans, err = eng.Answer(ctx, cat, req)
		})
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(ans.Text, "342 survived."), ans.Text)
		require.Contains(t, ans.Text, "_Answered by gpt-4o-mini_")
		require.Len(t, f.requests(), 2)
	})

	t.Run("stateless-protocol client: sampling mode says why", func(t *testing.T) {
		var ans *chat.Answer
		overHTTP(t, mcp.LATEST_PROTOCOL_VERSION, &scripted{}, func(ctx context.Context) {
			ans, err = newEngine(t, Config{Mode: ModeSampling}).Answer(ctx, cat, req)
		})
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(ans.Text, "The model could not be reached (sampling failed: "), ans.Text)
		require.True(t, strings.HasSuffix(ans.Text, emb.Text))
	})
}
