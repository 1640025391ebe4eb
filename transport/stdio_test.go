package transport

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"
)

// TestStdioNotificationsFirst checks that over stdio every notification a
// tool sends is written before the tool's response, for calls running at
// once.
func TestStdioNotificationsFirst(t *testing.T) {
	const notes, calls = 20, 8
	s := server.NewMCPServer("t", "1")
	s.AddTool(mcp.NewTool("work"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		for i := range notes {
			if err := Notify(ctx, "notifications/progress", map[string]any{
				"progressToken": req.Params.Meta.ProgressToken, "progress": i + 1,
			}); err != nil {
				return nil, err
			}
		}
		return mcp.NewToolResultText("done"), nil
	})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ServeStdio(ctx, s, inR, outW, slog.New(slog.DiscardHandler)) }()
	go func() {
		fmt.Fprintln(inW, `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
		fmt.Fprintln(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		for i := 1; i <= calls; i++ {
			fmt.Fprintf(inW, `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"work","_meta":{"progressToken":%d}}}`+"\n", i, i)
		}
	}()
	seen := map[int]int{}
	sc := bufio.NewScanner(outR)
	for answered := 0; answered < calls && sc.Scan(); {
		var m struct {
			ID     *int `json:"id"`
			Method string
			Params struct {
				ProgressToken int `json:"progressToken"`
			}
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		switch {
		case m.Method == "notifications/progress":
			seen[m.Params.ProgressToken]++
		case m.ID != nil && *m.ID > 0:
			require.Equal(t, notes, seen[*m.ID], "notifications of call %d before its response", *m.ID)
			answered++
		}
	}
	cancel()
	inW.Close()
	outR.Close()
	<-done
}
