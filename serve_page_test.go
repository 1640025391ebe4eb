package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

// TestServePageAndSignedCharts checks, on a real `datachat serve` with a
// token, that the chat page and signed chart links need no header, that
// every other route does, and that a tampered link is refused.
func TestServePageAndSignedCharts(t *testing.T) {
	base := httpServer(t, "--token", "s3cret")
	call := func(method, path, token string, body []byte) *http.Response {
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	page := call(http.MethodGet, "/", "", nil)
	require.Equal(t, http.StatusOK, page.StatusCode)
	html, err := io.ReadAll(page.Body)
	require.NoError(t, err)
	require.Contains(t, string(html), `data-mode="page"`)
	require.Equal(t, http.StatusUnauthorized, call(http.MethodGet, "/api/v1/info", "", nil).StatusCode)
	require.Equal(t, http.StatusOK, call(http.MethodGet, "/api/v1/info", "s3cret", nil).StatusCode)

	titanic, err := os.ReadFile("testdata/titanic.csv")
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, call(http.MethodPost, "/api/v1/upload?filename=titanic.csv", "", titanic).StatusCode)
	resp := call(http.MethodPost, "/api/v1/upload?filename=titanic.csv", "s3cret", titanic)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var ws struct {
		Workspace string `json:"workspace"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ws))

	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/chat", strings.NewReader(
		`{"messages": [{"role": "user", "content": "survival rate by class"}], "workspace": "`+ws.Workspace+`"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer s3cret")
	req.Header.Set("Content-Type", "application/json")
	chat, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer chat.Body.Close()
	stream, err := io.ReadAll(chat.Body)
	require.NoError(t, err)
	link := regexp.MustCompile(`\((http://[^)]+/api/v1/charts/[^)]+)\)`).FindStringSubmatch(string(stream))
	require.NotNil(t, link, "a chart link in %s", stream)

	img, err := http.Get(link[1]) // as an <img> tag would: no header
	require.NoError(t, err)
	defer img.Body.Close()
	require.Equal(t, http.StatusOK, img.StatusCode)
	require.Equal(t, "image/png", img.Header.Get("Content-Type"))

	tampered := strings.Replace(link[1], "exp=", "exp=9", 1)
	bad, err := http.Get(tampered)
	require.NoError(t, err)
	defer bad.Body.Close()
	require.Equal(t, http.StatusForbidden, bad.StatusCode)
}

// TestServeMCPAppView checks what an MCP host needs to show the view: the
// extension in the capabilities, the tools that name the view, the
// app-only paging tool, and the view resource.
func TestServeMCPAppView(t *testing.T) {
	td := testdataDir(t)
	base := httpServer(t, "--allow-dir", td)
	c := httpClient(t, base, "")
	init, err := c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "datachat-test", Version: "1"},
	}})
	require.NoError(t, err)
	require.Contains(t, init.Capabilities.Extensions, "io.modelcontextprotocol/ui")

	tools, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	named := map[string]bool{}
	for _, tool := range tools.Tools {
		if tool.Meta == nil {
			continue
		}
		f := tool.Meta.AdditionalFields
		if ui, ok := f["ui"].(map[string]any); ok {
			if ui["resourceUri"] == "ui://datachat/view" {
				require.Equal(t, "ui://datachat/view", f["ui/resourceUri"], "the flat key older hosts read")
				named[tool.Name] = true
			}
			if vis, ok := ui["visibility"].([]any); ok {
				require.Equal(t, "view_rows", tool.Name)
				require.Equal(t, []any{"app"}, vis)
			}
		}
	}
	require.Equal(t, map[string]bool{"query": true, "chart": true, "describe": true, "chat": true}, named)

	res, err := c.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: "ui://datachat/view"}})
	require.NoError(t, err)
	require.Len(t, res.Contents, 1)
	view, ok := res.Contents[0].(mcp.TextResourceContents)
	require.True(t, ok)
	require.Equal(t, "text/html;profile=mcp-app", view.MIMEType)
	require.Contains(t, view.Text, `data-mode="view"`)
	require.NotContains(t, view.Text, `src="http`, "no CDN")

	// The paging tool: a page of a query, sorted, and the row count.
	_, text := mustCall(t, c, "load_file", map[string]any{"source": td + "/titanic.csv"})
	require.Contains(t, text, "titanic")
	page, text := mustCall(t, c, "view_rows", map[string]any{
		"sql": `SELECT "PassengerId", "Fare" FROM titanic;`, "offset": 10, "limit": 5, "order_by": "Fare", "descending": true})
	require.False(t, page.IsError, text)
	require.Equal(t, "rows 11-15 of 891", text)
	var rows struct {
		Rows  [][]any `json:"rows"`
		Total int64   `json:"total"`
	}
	b, err := json.Marshal(page.StructuredContent)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rows))
	require.Equal(t, int64(891), rows.Total)
	require.Len(t, rows.Rows, 5)
	for i := 1; i < len(rows.Rows); i++ {
		require.GreaterOrEqual(t, rows.Rows[i-1][1].(float64), rows.Rows[i][1].(float64))
	}
	// The sandbox holds for the paged query too.
	page, text = mustCall(t, c, "view_rows", map[string]any{"sql": "SELECT * FROM read_csv('/etc/passwd')"})
	require.True(t, page.IsError, text)
	page, text = mustCall(t, c, "view_rows", map[string]any{"sql": "SELECT 1) t; DROP TABLE titanic; SELECT (1"})
	require.True(t, page.IsError, text)
	_, text = mustCall(t, c, "query", map[string]any{"sql": "SELECT count(*) AS n FROM titanic"})
	require.Contains(t, text, "891")
}
