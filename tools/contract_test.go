package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets"
)

func allTools(t *testing.T) map[string]server.ServerTool {
	t.Helper()
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	out := map[string]server.ServerTool{}
	for _, st := range All(Deps{Datasets: m, Chat: chat.NewEmbedded()}) {
		out[st.Tool.Name] = st
	}
	return out
}

func TestContracts(t *testing.T) {
	tools := allTools(t)
	require.Len(t, tools, 7)
	var closed func(path string, s map[string]any)
	closed = func(path string, s map[string]any) {
		if s["type"] == "object" {
			require.Equal(t, false, s["additionalProperties"], "%s is closed", path)
			for name, p := range s["properties"].(map[string]any) {
				closed(path+"."+name, p.(map[string]any))
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			closed(path+"[]", items)
		}
	}
	for name, st := range tools {
		require.NotEmpty(t, st.Tool.Title, name)
		require.NotEmpty(t, st.Tool.Description, name)
		var in, out map[string]any
		require.NoError(t, json.Unmarshal(st.Tool.RawInputSchema, &in), name)
		require.NoError(t, json.Unmarshal(st.Tool.RawOutputSchema, &out), name)
		closed(name, in)
		require.Equal(t, "object", out["type"], "%s has an output schema", name)
		require.Contains(t, in["properties"], "workspace", "%s takes a workspace", name)
	}
	enum := func(tool, arg string) []any {
		var in struct {
			Properties map[string]struct{ Enum []any }
		}
		require.NoError(t, json.Unmarshal(tools[tool].Tool.RawInputSchema, &in))
		return in.Properties[arg].Enum
	}
	require.Equal(t, []any{"bar", "grouped_bar", "stacked_bar", "histogram", "line", "scatter"}, enum("chart", "kind"))
	require.Contains(t, enum("load_file", "format"), "xlsx")
	require.Contains(t, string(tools["chat"].Tool.RawInputSchema), `"enum":["user","assistant"]`)

	// tools/list stays lean: all seven tools in well under 7 KB of JSON.
	list, err := json.Marshal(mcp.ListToolsResult{Tools: func() []mcp.Tool {
		var ts []mcp.Tool
		for _, st := range tools {
			ts = append(ts, st.Tool)
		}
		return ts
	}()})
	require.NoError(t, err)
	t.Logf("tools/list: %d bytes", len(list))
	require.Less(t, len(list), 6800)
}

func TestArgumentErrors(t *testing.T) {
	tools := allTools(t)
	for _, tc := range []struct {
		tool string
		args any
		want string
	}{
		{"load_file", map[string]any{"sorce": "x.csv"}, `unknown argument "sorce" (did you mean "source"?): this tool takes source, name, format, sheet, record, workspace`},
		{"load_file", map[string]any{}, `argument "source" is missing: path or URL`},
		{"load_file", map[string]any{"source": 3}, `argument "source" must be a string, not the number 3`},
		{"load_file", map[string]any{"source": "x.csv", "format": "docx"}, `argument "format" must be one of csv,`},
		{"query", map[string]any{"sql": "SELECT 1", "max_rows": "10"}, `argument "max_rows" must be a whole number, not the string "10"`},
		{"query", map[string]any{"sql": "SELECT 1", "max_rows": 2.5}, `argument "max_rows" must be a whole number, not 2.5`},
		{"query", map[string]any{"sql": "SELECT 1", "max_rows": 0}, `argument "max_rows" must be at least 1, not 0`},
		{"query", map[string]any{"sql": []any{"SELECT 1"}}, `argument "sql" must be a string, not a list`},
		{"query", map[string]any{"SQL": "SELECT 1"}, `unknown argument "SQL" (did you mean "sql"?)`},
		{"chart", map[string]any{"sql": "SELECT 1", "kind": "pie"}, `argument "kind" must be one of bar, grouped_bar, stacked_bar, histogram, line, scatter, not "pie"`},
		{"describe", map[string]any{"dataset": "t", "columns": "Age"}, `argument "columns" must be a list of strings, not the string "Age"`},
		{"chat", map[string]any{"messages": []any{map[string]any{"role": "system", "content": "hi"}}}, `argument "messages[0].role" must be one of user, assistant, not "system"`},
		{"chat", map[string]any{"messages": []any{map[string]any{"role": "user", "text": "hi"}}}, `unknown field "text": argument "messages[0]" takes role, content`},
		{"chat", map[string]any{"messages": []any{map[string]any{"role": "user"}}}, `argument "messages[0].content" is missing`},
		{"list_datasets", map[string]any{"workspace": nil}, `argument "workspace" must be a string, not null`},
		{"view_rows", map[string]any{"sql": "SELECT 1", "descending": "yes"}, `argument "descending" must be true or false, not the string "yes"`},
	} {
		st := tools[tc.tool]
		res, err := st.Handler(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tc.tool, Arguments: tc.args}})
		require.NoError(t, err)
		require.True(t, res.IsError, "%s %v", tc.tool, tc.args)
		msg := res.Content[0].(mcp.TextContent).Text
		require.Contains(t, msg, tc.want, "%s %v", tc.tool, tc.args)
		require.True(t, strings.HasPrefix(msg, tc.tool+": "), msg)
		for _, leak := range []string{"json:", "Go struct", "unmarshal"} {
			require.NotContains(t, msg, leak)
		}
	}
}
