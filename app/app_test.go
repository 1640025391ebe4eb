package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"datachat/app"
)

func testdata(t *testing.T) string {
	d, err := filepath.Abs("../testdata")
	require.NoError(t, err)
	return d
}

func newClient(t *testing.T, cfg app.Config) (*client.Client, *app.App) {
	t.Helper()
	cfg.CacheDir = t.TempDir()
	cfg.Logger = slog.New(slog.DiscardHandler)
	a, err := app.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	c, err := client.NewInProcessClient(a.MCP)
	require.NoError(t, err)
	require.NoError(t, c.Start(t.Context()))
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "test", Version: "1"},
	}})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	apps.Store(c, a)
	return c, a
}

// apps finds the App behind a test client, whose tools' output schemas
// call checks results against.
var apps sync.Map

// checkOutput validates a result's structuredContent against the tool's
// output schema, with a JSON Schema validator independent of datachat's.
func checkOutput(t *testing.T, a *app.App, name string, res *mcp.CallToolResult) {
	t.Helper()
	if res.IsError {
		return
	}
	st := a.MCP.GetTool(name)
	require.NotNil(t, st, name)
	require.NotEmpty(t, st.Tool.RawOutputSchema, "%s declares an output schema", name)
	require.NotNil(t, res.StructuredContent, "%s returns structuredContent", name)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(st.Tool.RawOutputSchema))
	require.NoError(t, err)
	comp := jsonschema.NewCompiler()
	require.NoError(t, comp.AddResource("out.json", doc))
	sch, err := comp.Compile("out.json")
	require.NoError(t, err, name)
	b, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(v), "%s: structuredContent %s", name, clip(string(b)))
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

func call(t *testing.T, c *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	require.NoError(t, err)
	if a, ok := apps.Load(c); ok {
		checkOutput(t, a.(*app.App), name, res)
	}
	return res
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

func structured(t *testing.T, res *mcp.CallToolResult, v any) {
	t.Helper()
	b, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func TestToolsInProcess(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})

	tools, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	names := map[string]mcp.Tool{}
	for _, tool := range tools.Tools {
		names[tool.Name] = tool
	}
	for _, n := range []string{"load_file", "list_datasets", "describe", "query"} {
		require.Contains(t, names, n)
	}
	require.True(t, *names["query"].Annotations.ReadOnlyHint)
	require.Contains(t, names["query"].InputSchema.Required, "sql")

	var progressed []float64
	var mu sync.Mutex
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/progress" {
			mu.Lock()
			progressed = append(progressed, n.Params.AdditionalFields["progress"].(float64))
			mu.Unlock()
		}
	})
	req := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "load_file", Arguments: map[string]any{"source": filepath.Join(td, "titanic.csv")}}}
	req.Params.Meta = &mcp.Meta{ProgressToken: "load-1"}
	res, err := c.CallTool(t.Context(), req)
	require.NoError(t, err)
	require.False(t, res.IsError, text(res))
	require.Contains(t, text(res), "Loaded table `titanic`: 891 rows, 12 columns.")
	require.Contains(t, text(res), "Braund, Mr. Owen Harris")
	var loaded struct {
		Tables []struct {
			Name    string
			Rows    int64
			Columns []struct{ Name, Type string }
			Preview struct {
				Rows [][]any
			}
		}
	}
	structured(t, res, &loaded)
	require.Equal(t, "titanic", loaded.Tables[0].Name)
	require.Len(t, loaded.Tables[0].Preview.Rows, 5)
	require.Equal(t, "BIGINT", loaded.Tables[0].Columns[0].Type)
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(progressed) > 0 }, 2e9, 1e7)

	res = call(t, c, "list_datasets", nil)
	require.Contains(t, text(res), "| titanic | 891 | 12 | csv |")

	res = call(t, c, "describe", map[string]any{"dataset": "titanic", "columns": []any{"Fare", "Embarked"}})
	require.False(t, res.IsError, text(res))
	require.Contains(t, text(res), "| Embarked | VARCHAR | 889 |")
	var desc struct {
		Columns []struct {
			Name string
			Max  float64
			Top  []struct {
				Value string
				Count int
			}
		}
	}
	structured(t, res, &desc)
	require.InDelta(t, 512.3292, desc.Columns[0].Max, 1e-4)
	require.Equal(t, "S", desc.Columns[1].Top[0].Value)
	require.Equal(t, 644, desc.Columns[1].Top[0].Count)

	res = call(t, c, "query", map[string]any{"sql": `SELECT Pclass, round(avg(Survived), 3) AS rate FROM titanic GROUP BY Pclass ORDER BY Pclass`})
	require.False(t, res.IsError, text(res))
	var q struct {
		Columns   []string
		Rows      [][]any
		RowCount  int `json:"row_count"`
		Truncated bool
	}
	structured(t, res, &q)
	require.Equal(t, 3, q.RowCount)
	require.Equal(t, 0.63, q.Rows[0][1])
	require.Contains(t, text(res), "| 1 | 0.63 |")

	// A large result: the text is a preview, structuredContent the data.
	res = call(t, c, "query", map[string]any{"sql": `SELECT "PassengerId", "Name" FROM titanic ORDER BY 1`})
	structured(t, res, &q)
	require.Equal(t, 891, q.RowCount)
	require.Contains(t, text(res), "(showing 20 of 891 rows)")
	require.Contains(t, text(res), "Braund, Mr. Owen Harris")
	require.NotContains(t, text(res), "Dooley, Mr. Patrick", "the last row is only in structuredContent")
	require.Less(t, len(text(res)), 4000)

	res = call(t, c, "view_rows", map[string]any{"sql": `SELECT "Name", "Fare" FROM titanic`, "limit": 3, "order_by": "Fare", "descending": true})
	require.False(t, res.IsError, text(res))
	var page struct {
		Rows  [][]any
		Total int
	}
	structured(t, res, &page)
	require.Len(t, page.Rows, 3)
	require.Equal(t, 891, page.Total)
	require.InDelta(t, 512.3292, page.Rows[0][1], 1e-4)

	res = call(t, c, "query", map[string]any{"sql": "SELECT * FROM titanic", "max_rows": 7})
	structured(t, res, &q)
	require.Equal(t, 7, q.RowCount)
	require.True(t, q.Truncated)
	require.Contains(t, text(res), "truncated")

	for _, bad := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"query", map[string]any{"sql": "DROP TABLE titanic"}, "only read-only SELECT"},
		{"query", map[string]any{"sql": "SELECT * FROM read_csv('/etc/passwd')"}, "not allowed"},
		{"query", map[string]any{"sql": "SELECT nme FROM titanic"}, `did you mean "Name"`},
		{"query", map[string]any{"sql": ""}, "sql is required"},
		{"describe", map[string]any{"dataset": "nope"}, "unknown dataset"},
		{"load_file", map[string]any{"source": "/etc/passwd"}, "allow-dir"},
		{"load_file", map[string]any{"source": "http://127.0.0.1:9/x.csv"}, "private"},
		{"load_file", map[string]any{"source": filepath.Join(td, "titanic.csv"), "format": "docx"}, `argument "format" must be one of csv, dta,`},
		{"load_file", map[string]any{"source": filepath.Join(td, "missing.csv")}, "no such file"},
	} {
		res := call(t, c, bad.tool, bad.args)
		require.True(t, res.IsError, "%s %v: %s", bad.tool, bad.args, text(res))
		require.Contains(t, strings.ToLower(text(res)), strings.ToLower(bad.want), "%s %v", bad.tool, bad.args)
	}
}

func TestResourcesAndPrompt(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	res := call(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv"), "name": "ship"})
	require.False(t, res.IsError, text(res))

	var loaded struct{ Workspace string }
	structured(t, res, &loaded)
	require.True(t, strings.HasPrefix(loaded.Workspace, "ws_"), loaded.Workspace)
	w := "datachat://w/" + loaded.Workspace + "/datasets"
	// Concrete per-dataset resources are listed over stdio and HTTP (see
	// the binary's tests); in process, the templates serve them.

	templates, err := c.ListResourceTemplates(t.Context(), mcp.ListResourceTemplatesRequest{})
	require.NoError(t, err)
	require.Len(t, templates.ResourceTemplates, 5)

	read := func(uri string) string {
		r, err := c.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
		require.NoError(t, err, uri)
		return r.Contents[0].(mcp.TextResourceContents).Text
	}
	require.Contains(t, read(w), `"name": "ship"`)
	prev := read(w + "/ship/preview")
	recs, err := csv.NewReader(strings.NewReader(prev)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 101, "header + 100 rows")
	require.Equal(t, "Braund, Mr. Owen Harris", recs[1][3])
	require.Contains(t, read(w+"/ship/schema"), `"type": "DOUBLE"`)
	require.Contains(t, read(w+"/ship/description"), "| Sex | VARCHAR | 891 |")
	for _, uri := range []string{w + "/nope/schema", "datachat://w/ws_aaaaaaaaaaaaaaaaaaaaaaaaaa/datasets"} {
		_, err = c.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
		require.ErrorContains(t, err, "resource not found", uri)
	}

	p, err := c.GetPrompt(t.Context(), mcp.GetPromptRequest{Params: mcp.GetPromptParams{Name: "explore_dataset", Arguments: map[string]string{"dataset": "ship"}}})
	require.NoError(t, err)
	require.Contains(t, p.Messages[0].Content.(mcp.TextContent).Text, "describe")
}

func TestCancelledQuery(t *testing.T) {
	c, _ := newClient(t, app.Config{})
	ctx, cancel := context.WithTimeout(t.Context(), 300_000_000)
	defer cancel()
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "query", Arguments: map[string]any{"sql": "SELECT count(*) FROM range(100000000000)"}}})
	if err == nil {
		require.True(t, res.IsError)
		require.Contains(t, text(res), "cancelled")
	}
	res = call(t, c, "query", map[string]any{"sql": "SELECT 42 AS answer"})
	require.Contains(t, text(res), "| 42 |")
}

func TestChartTool(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	res := call(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text(res))

	for _, tc := range []struct {
		args map[string]any
		kind string
	}{
		{map[string]any{"sql": "SELECT Sex, avg(Survived) * 100 AS survived_pct FROM titanic GROUP BY Sex"}, "bar"},
		{map[string]any{"dataset": "titanic", "x": "Age", "kind": "histogram"}, "histogram"},
		{map[string]any{"dataset": "titanic", "x": "Age", "y": "Fare"}, "scatter"},
	} {
		res := call(t, c, "chart", tc.args)
		require.False(t, res.IsError, text(res))
		require.Len(t, res.Content, 2)
		img, ok := res.Content[1].(mcp.ImageContent)
		require.True(t, ok)
		require.Equal(t, "image/png", img.MIMEType)
		raw, err := base64.StdEncoding.DecodeString(img.Data)
		require.NoError(t, err)
		pic, err := png.Decode(bytes.NewReader(raw))
		require.NoError(t, err)
		require.Greater(t, pic.Bounds().Dx(), 100)
		var out struct {
			Spec     struct{ Kind string }
			VegaLite map[string]any `json:"vega_lite"`
		}
		structured(t, res, &out)
		require.Equal(t, tc.kind, out.Spec.Kind)
		require.Contains(t, out.VegaLite["$schema"], "vega-lite")
	}
	for _, bad := range []map[string]any{
		{},
		{"dataset": "titanic", "sql": "SELECT 1"},
		{"dataset": "nope"},
		{"dataset": "titanic", "x": "Nope"},
		{"sql": "SELECT * FROM titanic WHERE false"},
		{"sql": "DROP TABLE titanic"},
	} {
		res := call(t, c, "chart", bad)
		require.True(t, res.IsError, "%v: %s", bad, text(res))
	}
}

func TestChatTool(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	res := call(t, c, "chat", map[string]any{
		"files":    []any{filepath.Join(td, "titanic.csv")},
		"messages": []any{map[string]any{"role": "user", "content": "How many passengers survived?"}},
	})
	require.False(t, res.IsError, text(res))
	var out struct {
		Value     float64
		SQL       string
		Confident bool
		Loaded    []string
	}
	structured(t, res, &out)
	require.Equal(t, 342.0, out.Value)
	require.True(t, out.Confident)
	require.Contains(t, out.SQL, "titanic")
	require.Equal(t, []string{"titanic"}, out.Loaded)

	res = call(t, c, "chat", map[string]any{"messages": []any{map[string]any{"role": "assistant", "content": "hi"}}})
	require.True(t, res.IsError)

	// "Interesting visuals": ranked charts as images beside the text, the
	// survival rates by sex and class first.
	res = call(t, c, "chat", map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "whats your name"},
		map[string]any{"role": "assistant", "content": "bob"},
		map[string]any{"role": "user", "content": "show me some interesting visuals about this data. but start with what q i asked first"},
	}})
	require.False(t, res.IsError, text(res))
	require.Contains(t, text(res), "whats your name")
	images := 0
	for _, ct := range res.Content {
		if _, ok := ct.(mcp.ImageContent); ok {
			images++
		}
	}
	require.GreaterOrEqual(t, images, 3)
	var vis struct {
		Charts []struct {
			Spec struct{ Kind, X, Title string }
		}
	}
	structured(t, res, &vis)
	require.ElementsMatch(t, []string{"Sex", "Pclass"}, []string{vis.Charts[0].Spec.X, vis.Charts[1].Spec.X})
}

// TestWholeResults checks that a result cut at max_rows comes with
// resource links to the whole result, which resources/read returns whole.
func TestWholeResults(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	res := call(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text(res))
	res = call(t, c, "query", map[string]any{"sql": `SELECT "PassengerId", "Survived" FROM titanic ORDER BY 1`, "max_rows": 5})
	require.False(t, res.IsError, text(res))
	var links []mcp.ResourceLink
	for _, ct := range res.Content {
		if l, ok := ct.(mcp.ResourceLink); ok {
			links = append(links, l)
		}
	}
	require.Len(t, links, 2)
	require.Equal(t, "text/csv", links[0].MIMEType)
	require.Contains(t, text(res), links[0].URI, "the text names the links too")
	var out struct {
		Whole []struct{ Format, URI, URL string } `json:"whole_result"`
	}
	structured(t, res, &out)
	require.Len(t, out.Whole, 2)
	require.Empty(t, out.Whole[0].URL, "no download URL outside serve mode")

	r, err := c.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: links[0].URI}})
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(r.Contents[0].(mcp.TextResourceContents).Text)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 892)
	survived := 0
	for _, rec := range recs[1:] {
		if rec[1] == "1" {
			survived++
		}
	}
	require.Equal(t, 342, survived)

	r, err = c.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: links[1].URI}})
	require.NoError(t, err)
	blob := r.Contents[0].(mcp.BlobResourceContents)
	require.Equal(t, "application/vnd.apache.parquet", blob.MIMEType)
	pq, err := base64.StdEncoding.DecodeString(blob.Blob)
	require.NoError(t, err)
	require.Equal(t, "PAR1", string(pq[:4]))

	// A result within the caps comes without links.
	res = call(t, c, "query", map[string]any{"sql": "SELECT 1 AS one"})
	require.Len(t, res.Content, 1)
}

// TestLogMessages: load steps and warnings reach a session client as
// notifications/message once it set a level, at that level.
func TestLogMessages(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	var mu sync.Mutex
	var got []string
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/message" {
			mu.Lock()
			got = append(got, fmt.Sprint(n.Params.AdditionalFields["level"], ": ", n.Params.AdditionalFields["data"]))
			mu.Unlock()
		}
	})
	seen := func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(got) }
	// In process, notifications reach the client on another goroutine, in
	// order: a message that is expected is waited for, and one that is not
	// is checked after a later one arrived.
	arrives := func(msg string) {
		t.Helper()
		require.Eventually(t, func() bool { return slices.Contains(seen(), msg) }, 5e9, 1e6, msg)
	}
	setLevel := func(l mcp.LoggingLevel) {
		require.NoError(t, c.SetLevel(t.Context(), mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: l}}))
	}
	src := filepath.Join(td, "titanic.csv")
	loaded := "info: loaded table titanic from " + src + " as csv: 891 rows, 12 columns"
	cut := "warning: query result cut at 2 rows or --max-chars; links to the whole result follow"
	query := map[string]any{"sql": "SELECT * FROM titanic", "max_rows": 2}

	res := call(t, c, "load_file", map[string]any{"source": src})
	require.False(t, res.IsError, text(res))
	call(t, c, "query", query) // a warning, below the default level (error)
	setLevel(mcp.LoggingLevelInfo)
	call(t, c, "load_file", map[string]any{"source": src})
	arrives(loaded)
	require.Equal(t, []string{loaded}, seen(), "nothing was sent before the client set a level")

	call(t, c, "query", query)
	arrives(cut)
	setLevel(mcp.LoggingLevelWarning)
	call(t, c, "load_file", map[string]any{"source": src}) // info: not sent
	call(t, c, "query", query)
	require.Eventually(t, func() bool { return len(seen()) == 3 }, 5e9, 1e6)
	require.Equal(t, []string{loaded, cut, cut}, seen(), "nothing below the level set")
}

// TestSessionCompletionsAndSubscriptions: a session client is completed its
// own workspace and told when a subscribed dataset list changes.
func TestSessionCompletionsAndSubscriptions(t *testing.T) {
	td := testdata(t)
	c, _ := newClient(t, app.Config{AllowDirs: []string{td}})
	var mu sync.Mutex
	var updated []string
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/resources/updated" {
			mu.Lock()
			updated = append(updated, n.Params.AdditionalFields["uri"].(string))
			mu.Unlock()
		}
	})
	res := call(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv")})
	require.False(t, res.IsError, text(res))
	var loaded struct{ Workspace string }
	structured(t, res, &loaded)

	got, err := c.Complete(t.Context(), mcp.CompleteRequest{Params: mcp.CompleteParams{
		Ref:      mcp.ResourceReference{Type: "ref/resource", URI: "datachat://w/{workspace}/datasets"},
		Argument: mcp.CompleteArgument{Name: "workspace", Value: ""}}})
	require.NoError(t, err)
	require.Equal(t, []string{loaded.Workspace}, got.Completion.Values, "the session's own workspace only")
	got, err = c.Complete(t.Context(), mcp.CompleteRequest{Params: mcp.CompleteParams{
		Ref:      mcp.PromptReference{Type: "ref/prompt", Name: "explore_dataset"},
		Argument: mcp.CompleteArgument{Name: "dataset", Value: "T"}}})
	require.NoError(t, err)
	require.Equal(t, []string{"titanic"}, got.Completion.Values, "the session's datasets, ignoring case")

	list := "datachat://w/" + loaded.Workspace + "/datasets"
	require.NoError(t, c.Subscribe(t.Context(), mcp.SubscribeRequest{Params: mcp.SubscribeParams{URI: list}}))
	res = call(t, c, "load_file", map[string]any{"source": filepath.Join(td, "titanic.csv"), "name": "second"})
	require.False(t, res.IsError, text(res))
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return slices.Contains(updated, list) }, 5e9, 1e6)
	require.NoError(t, c.Unsubscribe(t.Context(), mcp.UnsubscribeRequest{Params: mcp.UnsubscribeParams{URI: list}}))
}

// hostModel is a sampling handler with a script, as a host's model.
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

// TestChatSamplesThroughRoundTrips: the chat tool asks the host's model in
// multi round-trip results; a session client of protocol 2025-11-25 is
// served through mcp-go's bridge (sampling/createMessage, then a replay).
func TestChatSamplesThroughRoundTrips(t *testing.T) {
	td := testdata(t)
	a, err := app.New(app.Config{AllowDirs: []string{td}, CacheDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	defer a.Close()
	h := &hostModel{replies: []string{
		`{"sql": "SELECT count(*) AS survivors FROM \"titanic\" WHERE \"Survived\" = 1", "charts": [], "note": ""}`,
		"Exactly **342** passengers survived.",
	}}
	c, err := client.NewInProcessClientWithSamplingHandler(a.MCP, h)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Start(t.Context()))
	_, err = c.Initialize(t.Context(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "host", Version: "1"}}})
	require.NoError(t, err)
	apps.Store(c, a)

	res := call(t, c, "chat", map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "How many passengers survived?"}},
		"files":    []any{filepath.Join(td, "titanic.csv")},
	})
	require.False(t, res.IsError, text(res))
	require.True(t, strings.HasPrefix(text(res), "Exactly **342** passengers survived."), text(res))
	require.Contains(t, text(res), "(host-model) via MCP sampling")
	require.Equal(t, 2, h.asked, "the plan and the phrasing, each asked once")
	var out struct {
		Value  float64
		Loaded []string
	}
	structured(t, res, &out)
	require.Equal(t, 342.0, out.Value)
	require.Equal(t, []string{"titanic"}, out.Loaded, "the file was loaded once, on the first call")
	res = call(t, c, "list_datasets", nil)
	require.Contains(t, text(res), "| titanic | 891 |")
	require.NotContains(t, text(res), "titanic_2", "no second load on a retry")
}
