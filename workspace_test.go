package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"datachat/datasets"
)

// startServe runs `datachat serve` in process on a free loopback port and
// returns its base URL and a function that stops it.
func startServe(t *testing.T, extra ...string) (string, func()) {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--cache-dir", t.TempDir(), "--log-level", "warn"}, extra...)
	cfg, err := parseConfig(args, io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), func(a net.Addr) { addrc <- a })
	}()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			require.NoError(t, <-done)
		}
	}
	t.Cleanup(stop)
	return "http://" + addr.String(), stop
}

// statelessClient is a client of protocol 2026-07-28: no initialize, no
// session, every request on its own.
func statelessClient(t *testing.T, base string) *client.Client {
	t.Helper()
	tr, err := transport.NewStreamableHTTP(base + "/mcp")
	require.NoError(t, err)
	c := client.NewClient(tr)
	require.NoError(t, c.Start(t.Context()))
	t.Cleanup(func() { c.Close() })
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "datachat-stateless-test", Version: "1"},
	}})
	require.NoError(t, err)
	require.Equal(t, mcp.LATEST_PROTOCOL_VERSION, c.ProtocolVersion())
	return c
}

// workspaceOf returns structuredContent.workspace of a result.
func workspaceOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	var out struct{ Workspace string }
	b, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &out))
	return out.Workspace
}

func datasetNames(t *testing.T, res *mcp.CallToolResult) []string {
	t.Helper()
	var out struct{ Datasets []struct{ Name string } }
	b, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &out))
	names := []string{}
	for _, d := range out.Datasets {
		names = append(names, d.Name)
	}
	return names
}

func TestStatelessClientsIsolated(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--allow-dir", td)
	a := statelessClient(t, base)
	b := statelessClient(t, base)
	titanic := filepath.Join(td, "titanic.csv")

	res, text := mustCall(t, a, "load_file", map[string]any{"source": titanic})
	require.False(t, res.IsError, text)
	wa := workspaceOf(t, res)
	require.True(t, datasets.ValidHandle(wa), "a handle of 128 random bits: %q", wa)
	require.Contains(t, text, wa, "the text names the workspace too")

	// b, without a handle, gets an empty workspace: never a's tables, not
	// even their names or where they came from.
	for _, call := range []struct {
		tool string
		args map[string]any
	}{
		{"list_datasets", nil},
		{"query", map[string]any{"sql": "SELECT table_name FROM duckdb_tables()"}},
		{"describe", map[string]any{"dataset": "titanic"}},
	} {
		res, text := mustCall(t, b, call.tool, call.args)
		require.NotContains(t, text, titanic, call.tool)
		require.NotContains(t, text, "891", call.tool)
		if call.tool == "list_datasets" {
			require.Empty(t, datasetNames(t, res))
		}
	}
	res, text = mustCall(t, b, "query", map[string]any{"sql": "SELECT count(*) FROM titanic"})
	require.True(t, res.IsError, text)

	// b's own load goes to a workspace of its own.
	res, text = mustCall(t, b, "load_file", map[string]any{"source": titanic, "name": "mine"})
	require.False(t, res.IsError, text)
	wb := workspaceOf(t, res)
	require.True(t, datasets.ValidHandle(wb))
	require.NotEqual(t, wa, wb)

	res, _ = mustCall(t, a, "list_datasets", map[string]any{"workspace": wa})
	require.Equal(t, []string{"titanic"}, datasetNames(t, res))
	require.Equal(t, wa, workspaceOf(t, res))
	res, _ = mustCall(t, b, "list_datasets", map[string]any{"workspace": wb})
	require.Equal(t, []string{"mine"}, datasetNames(t, res))
	res, text = mustCall(t, a, "query", map[string]any{"workspace": wa, "sql": "SELECT count(*) FILTER (WHERE Survived = 1) AS n FROM titanic"})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "| 342 |")

	// Without its handle, a too sees nothing: the handle is the state.
	res, _ = mustCall(t, a, "list_datasets", nil)
	require.Empty(t, datasetNames(t, res))

	// An unknown or malformed handle is a tool error naming it.
	for _, h := range []string{datasets.NewHandle(), "default", "stdio"} {
		res, text = mustCall(t, b, "list_datasets", map[string]any{"workspace": h})
		require.True(t, res.IsError, text)
		require.Contains(t, text, h)
		require.Contains(t, text, "unknown workspace")
	}

	// Stateless clients are not listed anyone's resources; a workspace's
	// resources are read by its handle.
	for _, c := range []*client.Client{a, b} {
		list, err := c.ListResources(t.Context(), mcp.ListResourcesRequest{})
		require.NoError(t, err)
		for _, r := range list.Resources {
			require.NotContains(t, r.URI, wa)
			require.NotContains(t, r.URI, wb)
		}
	}
	rr, err := a.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: "datachat://w/" + wa + "/datasets"}})
	require.NoError(t, err)
	require.Contains(t, rr.Contents[0].(mcp.TextResourceContents).Text, `"name": "titanic"`)
	require.NotContains(t, rr.Contents[0].(mcp.TextResourceContents).Text, `"mine"`)
}

// TestWorkspaceRestartAndReplicas starts two servers on one --data-dir, as
// two replicas behind a load balancer, then a third after both stopped.
func TestWorkspaceRestartAndReplicas(t *testing.T) {
	td := testdataDir(t)
	dir := t.TempDir()
	base1, stop1 := startServe(t, "--data-dir", dir, "--allow-dir", td)
	base2, stop2 := startServe(t, "--data-dir", dir, "--allow-dir", td)
	c1 := statelessClient(t, base1)
	c2 := statelessClient(t, base2)

	res, text := mustCall(t, c1, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text)
	ws := workspaceOf(t, res)

	// The other replica serves it as soon as load_file returned.
	res, text = mustCall(t, c2, "query", map[string]any{"workspace": ws, "sql": "SELECT count(*) AS n FROM titanic"})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "| 891 |")
	res, text = mustCall(t, c2, "load_file", map[string]any{"workspace": ws, "source": filepath.Join(td, "titanic.csv"), "name": "second"})
	require.False(t, res.IsError, text)
	require.Equal(t, ws, workspaceOf(t, res))
	res, _ = mustCall(t, c1, "list_datasets", map[string]any{"workspace": ws})
	require.ElementsMatch(t, []string{"titanic", "second"}, datasetNames(t, res))

	// Both stop; a new server on the same directory serves the same handle.
	stop1()
	stop2()
	base3, _ := startServe(t, "--data-dir", dir, "--allow-dir", td)
	c3 := statelessClient(t, base3)
	res, text = mustCall(t, c3, "query", map[string]any{"workspace": ws, "sql": "SELECT count(*) FILTER (WHERE Sex = 'female') AS n FROM second"})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "| 314 |")
}

// TestDownloadLinkAcrossReplicas: a result cut at max_rows on one replica
// comes with a signed link that the other replica on the same --data-dir
// serves without a token; a tampered link is refused.
func TestDownloadLinkAcrossReplicas(t *testing.T) {
	td := testdataDir(t)
	dir := t.TempDir()
	base1, _ := startServe(t, "--data-dir", dir, "--allow-dir", td, "--token", "tok")
	base2, _ := startServe(t, "--data-dir", dir, "--allow-dir", td, "--token", "tok")
	tr, err := transport.NewStreamableHTTP(base1+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer tok"}))
	require.NoError(t, err)
	c := client.NewClient(tr)
	require.NoError(t, c.Start(t.Context()))
	defer c.Close()
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "t", Version: "1"}}})
	require.NoError(t, err)

	res, text := mustCall(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text)
	ws := workspaceOf(t, res)
	res, text = mustCall(t, c, "query", map[string]any{"workspace": ws, "sql": `SELECT "Name" FROM titanic`, "max_rows": 3})
	require.False(t, res.IsError, text)
	var out struct {
		Whole []struct{ Format, URI, URL string } `json:"whole_result"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	require.NoError(t, json.Unmarshal(b, &out))
	require.Len(t, out.Whole, 2)
	link := out.Whole[0].URL
	require.True(t, strings.HasPrefix(link, base1+"/download/"+ws+"/"), link)
	require.Contains(t, text, link)

	other := strings.Replace(link, base1, base2, 1)
	resp, err := http.Get(other)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(body))
	require.Equal(t, "text/csv", resp.Header.Get("Content-Type"))
	require.Equal(t, 892, strings.Count(string(body), "\n"), "the header and all 891 rows")

	resp, err = http.Get(strings.Replace(other, "sig=", "sig=x", 1))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 403, resp.StatusCode)
}

// TestStatelessLogAndComplete: a 2026-07-28 client gets log messages only
// for requests that ask for them, on the request's own stream, and is
// completed dataset and column names of the workspace it names, never a
// workspace handle.
func TestStatelessLogAndComplete(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--allow-dir", td)
	c := statelessClient(t, base)
	var messages []string
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/message" {
			messages = append(messages, fmt.Sprint(n.Params.AdditionalFields["data"]))
		}
	})
	src := filepath.Join(td, "titanic.csv")
	res, text := mustCall(t, c, "load_file", map[string]any{"source": src})
	require.False(t, res.IsError, text)
	ws := workspaceOf(t, res)
	require.Empty(t, messages, "a request without a log level gets no messages")
	require.NoError(t, c.SetLevel(t.Context(), mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: mcp.LoggingLevelInfo}}))
	res, text = mustCall(t, c, "load_file", map[string]any{"source": src, "workspace": ws, "name": "again"})
	require.False(t, res.IsError, text)
	// Messages arrive on the POST's stream before the result: no waiting.
	require.Equal(t, []string{"loaded table again from " + src + " as csv: 891 rows, 12 columns"}, messages)

	complete := func(ref any, arg string, value string, known map[string]string) []string {
		res, err := c.Complete(t.Context(), mcp.CompleteRequest{Params: mcp.CompleteParams{
			Ref: ref, Argument: mcp.CompleteArgument{Name: arg, Value: value}, Context: mcp.CompleteContext{Arguments: known}}})
		require.NoError(t, err)
		return res.Completion.Values
	}
	prompt := mcp.PromptReference{Type: "ref/prompt", Name: "explore_dataset"}
	tmpl := mcp.ResourceReference{Type: "ref/resource", URI: "datachat://w/{workspace}/datasets/{name}/schema"}
	require.Equal(t, []string{"titanic"}, complete(prompt, "dataset", "ti", map[string]string{"workspace": ws}))
	require.Equal(t, []string{"again", "titanic"}, complete(tmpl, "name", "", map[string]string{"workspace": ws}))
	require.Equal(t, []string{"Sex", "SibSp", "Survived", "PassengerId", "Pclass"}, complete(prompt, "column", "s", map[string]string{"workspace": ws, "dataset": "titanic"}))
	require.Equal(t, []string{"Parch", "PassengerId"}, complete(prompt, "column", "pa", map[string]string{"workspace": ws, "dataset": "titanic"}))
	require.Empty(t, complete(prompt, "dataset", "", nil), "no workspace named: nothing to complete")
	require.Empty(t, complete(tmpl, "workspace", "ws_", nil), "handles are never completed to a stateless client")
}

// hostModel is a scripted sampling handler standing in for a host's model.
type hostModel struct {
	mu      sync.Mutex
	replies []string
	asked   int
}

func (h *hostModel) CreateMessage(_ context.Context, _ mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.asked >= len(h.replies) {
		return nil, fmt.Errorf("the script has %d replies", len(h.replies))
	}
	h.asked++
	return &mcp.CreateMessageResult{Model: "host-model",
		SamplingMessage: mcp.SamplingMessage{Role: mcp.RoleAssistant, Content: mcp.NewTextContent(h.replies[h.asked-1])}}, nil
}

// TestStatelessChatSamples: a 2026-07-28 client that offers sampling gets
// chat's questions to its model as input_required results, answers them
// and retries, with no session and no server-initiated request.
func TestStatelessChatSamples(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--allow-dir", td)
	h := &hostModel{replies: []string{
		`{"sql": "SELECT count(*) AS women FROM \"titanic\" WHERE \"Sex\" = 'female'", "charts": [], "note": ""}`,
		"There were **314** women aboard.",
	}}
	tr, err := transport.NewStreamableHTTP(base + "/mcp")
	require.NoError(t, err)
	c := client.NewClient(tr, client.WithSamplingHandler(h))
	require.NoError(t, c.Start(t.Context()))
	defer c.Close()
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "host", Version: "1"}}})
	require.NoError(t, err)
	require.Equal(t, mcp.LATEST_PROTOCOL_VERSION, c.ProtocolVersion())

	res, text := mustCall(t, c, "chat", map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "How many women were aboard?"}},
		"files":    []any{filepath.Join(td, "titanic.csv")},
	})
	require.False(t, res.IsError, text)
	require.True(t, strings.HasPrefix(text, "There were **314** women aboard."), text)
	require.Contains(t, text, "(host-model) via MCP sampling")
	require.Equal(t, 2, h.asked)
	ws := workspaceOf(t, res)
	res, _ = mustCall(t, c, "list_datasets", map[string]any{"workspace": ws})
	require.Equal(t, []string{"titanic"}, datasetNames(t, res), "one load across the retries, in one workspace")
}
