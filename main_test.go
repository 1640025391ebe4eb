package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "datachat-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "datachat")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build datachat: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func testdataDir(t *testing.T) string {
	d, err := filepath.Abs("testdata")
	require.NoError(t, err)
	return d
}

func initialize(t *testing.T, c *client.Client) {
	t.Helper()
	_, err := c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "datachat-test", Version: "1"},
	}})
	require.NoError(t, err)
}

func callTool(ctx context.Context, c *client.Client, name string, args map[string]any) (*mcp.CallToolResult, string, error) {
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	for _, ct := range res.Content {
		if tc, ok := ct.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return res, b.String(), nil
}

func mustCall(t *testing.T, c *client.Client, name string, args map[string]any) (*mcp.CallToolResult, string) {
	t.Helper()
	res, text, err := callTool(t.Context(), c, name, args)
	require.NoError(t, err)
	return res, text
}

func TestStdioBinary(t *testing.T) {
	td := testdataDir(t)
	c, err := client.NewStdioMCPClient(binary, []string{"HOME=" + t.TempDir()}, "stdio", "--allow-dir", td, "--log-level", "warn")
	require.NoError(t, err)
	defer c.Close()
	initialize(t, c)

	res, text := mustCall(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "891 rows")

	list, err := c.ListResources(t.Context(), mcp.ListResourcesRequest{})
	require.NoError(t, err)
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	var loaded struct{ Workspace string }
	b, _ := json.Marshal(res.StructuredContent)
	require.NoError(t, json.Unmarshal(b, &loaded))
	require.Contains(t, uris, "datachat://w/"+loaded.Workspace+"/datasets/titanic/schema")

	res, text = mustCall(t, c, "query", map[string]any{"sql": "SELECT count(*) AS n FROM titanic WHERE Age > 30"})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "| 305 |")

	res, text = mustCall(t, c, "query", map[string]any{"sql": "PRAGMA enable_profiling"})
	require.True(t, res.IsError)
	require.Contains(t, text, "only read-only SELECT")
	// The protocol stream is still intact after the refused statement.
	res, text = mustCall(t, c, "query", map[string]any{"sql": "SELECT 1 AS one"})
	require.False(t, res.IsError, text)
}

// httpServer starts `serve` in process on a free loopback port.
func httpServer(t *testing.T, extra ...string) string {
	t.Helper()
	base, _ := startServe(t, extra...)
	return base
}

func httpClient(t *testing.T, base, token string) *client.Client {
	t.Helper()
	var opts []transport.StreamableHTTPCOption
	if token != "" {
		opts = append(opts, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
	}
	tr, err := transport.NewStreamableHTTP(base+"/mcp", opts...)
	require.NoError(t, err)
	c := client.NewClient(tr)
	require.NoError(t, c.Start(t.Context()))
	t.Cleanup(func() { c.Close() })
	return c
}

func TestHTTPAuthAndSessions(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--token", "s3cret", "--allow-dir", td)

	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	resp.Body.Close()

	for _, hdr := range []string{"", "Bearer wrong", "s3cret"} {
		req, _ := http.NewRequest("POST", base+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`))
		req.Header.Set("Content-Type", "application/json")
		if hdr != "" {
			req.Header.Set("Authorization", hdr)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, hdr)
		var body map[string]string
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		require.Contains(t, body["error"], "bearer token")
		resp.Body.Close()
	}

	a := httpClient(t, base, "s3cret")
	initialize(t, a)
	b := httpClient(t, base, "s3cret")
	initialize(t, b)
	res, text := mustCall(t, a, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text)

	list, err := a.ListResources(t.Context(), mcp.ListResourcesRequest{})
	require.NoError(t, err)
	found := false
	for _, r := range list.Resources {
		found = found || strings.HasSuffix(r.URI, "/datasets/titanic/preview")
	}
	require.True(t, found)

	// b sees none of a's tables or resources.
	_, text = mustCall(t, b, "list_datasets", nil)
	require.Contains(t, text, "No dataset is loaded")
	list, err = b.ListResources(t.Context(), mcp.ListResourcesRequest{})
	require.NoError(t, err)
	require.Len(t, list.Resources, 1, "only the MCP App view, which is the same for every client")
	res, text = mustCall(t, b, "query", map[string]any{"sql": "SELECT count(*) FROM titanic"})
	require.True(t, res.IsError, text)

	// Serve mode never shows host paths.
	res, text = mustCall(t, a, "load_file", map[string]any{"source": "/etc/passwd"})
	require.True(t, res.IsError)
	require.NotContains(t, text, td)
	res, text = mustCall(t, a, "query", map[string]any{"sql": "SELECT * FROM read_csv('" + filepath.Join(td, "titanic.csv") + "')"})
	require.True(t, res.IsError)
}

// TestAttacks is the refusal list at the MCP level: each must come back as
// an isError result, and the session must still work afterwards.
func TestAttacks(t *testing.T) {
	td := testdataDir(t)
	root := t.TempDir()
	allowed := filepath.Join(root, "allowed")
	require.NoError(t, os.MkdirAll(allowed, 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "allowedX"), 0o755))
	secret := filepath.Join(root, "secret.csv")
	require.NoError(t, os.WriteFile(secret, []byte("password\nhunter2\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(root, "allowedX", "x.csv"), []byte("a\n1\n"), 0o600))
	require.NoError(t, os.Symlink(secret, filepath.Join(allowed, "link.csv")))
	require.NoError(t, os.Symlink(root, filepath.Join(allowed, "dirlink")))
	data, err := os.ReadFile(filepath.Join(td, "titanic.csv"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(allowed, "titanic.csv"), data, 0o600))

	base := httpServer(t, "--allow-dir", allowed)
	c := httpClient(t, base, "")
	initialize(t, c)
	res, text := mustCall(t, c, "load_file", map[string]any{"source": filepath.Join(allowed, "titanic.csv")})
	require.False(t, res.IsError, text)

	attacks := []struct {
		name, tool string
		args       map[string]any
	}{
		{"read_csv", "query", map[string]any{"sql": "SELECT * FROM read_csv('" + secret + "')"}},
		{"replacement scan", "query", map[string]any{"sql": "SELECT * FROM '" + secret + "'"}},
		{"copy out", "query", map[string]any{"sql": "COPY titanic TO '" + filepath.Join(allowed, "out.csv") + "'"}},
		{"attach", "query", map[string]any{"sql": "ATTACH '" + filepath.Join(allowed, "db.duckdb") + "'"}},
		{"install", "query", map[string]any{"sql": "INSTALL httpfs"}},
		{"load ext", "query", map[string]any{"sql": "LOAD httpfs"}},
		{"set", "query", map[string]any{"sql": "SET enable_external_access=true"}},
		{"create", "query", map[string]any{"sql": "CREATE TABLE x AS SELECT 1"}},
		{"insert", "query", map[string]any{"sql": "INSERT INTO titanic (PassengerId) VALUES (0)"}},
		{"drop", "query", map[string]any{"sql": "DROP TABLE titanic"}},
		{"stacked", "query", map[string]any{"sql": "SELECT 1; DROP TABLE titanic"}},
		{"loopback url", "load_file", map[string]any{"source": base + "/healthz"}},
		{"localhost url", "load_file", map[string]any{"source": "http://localhost:9/x.csv"}},
		{"ipv6 loopback", "load_file", map[string]any{"source": "http://[::1]:9/x.csv"}},
		{"metadata", "load_file", map[string]any{"source": "http://169.254.169.254/latest/meta-data"}},
		{"private", "load_file", map[string]any{"source": "http://10.0.0.1/x.csv"}},
		{"unspecified", "load_file", map[string]any{"source": "http://0.0.0.0:9/x.csv"}},
		{"mapped", "load_file", map[string]any{"source": "http://[::ffff:127.0.0.1]:9/x.csv"}},
		{"ftp", "load_file", map[string]any{"source": "ftp://example.com/x.csv"}},
		{"outside roots", "load_file", map[string]any{"source": secret}},
		{"dotdot", "load_file", map[string]any{"source": filepath.Join(allowed, "..", "secret.csv")}},
		{"prefix trick", "load_file", map[string]any{"source": filepath.Join(root, "allowedX", "x.csv")}},
		{"file symlink out", "load_file", map[string]any{"source": filepath.Join(allowed, "link.csv")}},
		{"dir symlink out", "load_file", map[string]any{"source": filepath.Join(allowed, "dirlink", "secret.csv")}},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			res, text := mustCall(t, c, a.tool, a.args)
			require.True(t, res.IsError, "not refused: %s", text)
			require.NotContains(t, text, "hunter2")
			// Only what the client sent may be echoed: no resolved
			// link targets, staging or cache folders.
			if !strings.Contains(fmt.Sprint(a.args), secret) {
				require.NotContains(t, text, secret, "host path leaked")
			}
			require.NotContains(t, text, "datachat-", "server folder leaked")
		})
	}
	res, text = mustCall(t, c, "query", map[string]any{"sql": "SELECT count(*) AS n FROM titanic"})
	require.False(t, res.IsError, text)
	require.Contains(t, text, "| 891 |")
	_, err = os.Stat(filepath.Join(allowed, "out.csv"))
	require.True(t, os.IsNotExist(err))
}

// TestHTTPConcurrentSessions runs many sessions loading and querying at once;
// each must see only its own tables (run with -race in CI). The concurrency
// limit is raised above the sessions: this test is about isolation.
func TestHTTPConcurrentSessions(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--allow-dir", td, "--max-concurrent", "64")
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- oneSession(t.Context(), base, td, i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func oneSession(ctx context.Context, base, td string, i int) error {
	tr, err := transport.NewStreamableHTTP(base + "/mcp")
	if err != nil {
		return err
	}
	c := client.NewClient(tr)
	defer c.Close()
	if err := c.Start(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "c", Version: "1"}}}); err != nil {
		return err
	}
	name := fmt.Sprintf("t%d", i)
	res, text, err := callTool(ctx, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv"), "name": name})
	if err != nil || res.IsError {
		return fmt.Errorf("session %d load: %v %s", i, err, text)
	}
	res, text, err = callTool(ctx, c, "query", map[string]any{"sql": fmt.Sprintf("SELECT count(*) + %d AS n FROM %s", i, name)})
	if err != nil || res.IsError || !strings.Contains(text, fmt.Sprintf("| %d |", 891+i)) {
		return fmt.Errorf("session %d query: %v %s", i, err, text)
	}
	_, text, err = callTool(ctx, c, "list_datasets", nil)
	if err != nil {
		return err
	}
	if strings.Count(text, "| t") != 1 || !strings.Contains(text, "| "+name+" |") {
		return fmt.Errorf("session %d sees other tables: %s", i, text)
	}
	return nil
}
