package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"datachat/datasets"
)

// rpc posts one JSON-RPC message to /mcp and returns the HTTP status and
// the decoded response (from JSON or from the SSE event carrying it).
func rpc(t *testing.T, base string, header map[string]string, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/mcp", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var msg map[string]any
	text := string(b)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		for _, line := range strings.Split(text, "\n") {
			if data, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(data, `"id"`) {
				text = data
			}
		}
	}
	if strings.TrimSpace(text) != "" {
		require.NoError(t, json.Unmarshal([]byte(text), &msg), text)
	}
	return resp.StatusCode, msg, resp.Header
}

func errorCode(t *testing.T, msg map[string]any) int {
	t.Helper()
	e, ok := msg["error"].(map[string]any)
	require.True(t, ok, "an error response: %v", msg)
	return int(e["code"].(float64))
}

// TestResourceNotFoundCodes: reading a resource that does not exist is
// -32002 before protocol 2026-07-28 and -32602 with HTTP 400 from it on,
// over HTTP and stdio; a known resource still reads.
func TestResourceNotFoundCodes(t *testing.T) {
	missing := []string{
		"datachat://w/" + datasets.NewHandle() + "/datasets",
		"datachat://w/" + datasets.NewHandle() + "/datasets/t/schema",
		"datachat://w/" + datasets.NewHandle() + "/results/0123456789abcdef.csv",
		"datachat://nowhere",
	}
	base := httpServer(t)

	status, msg, hdr := rpc(t, base, nil, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	require.Equal(t, 200, status, msg)
	legacy := map[string]string{"Mcp-Session-Id": hdr.Get("Mcp-Session-Id"), "Mcp-Protocol-Version": "2025-11-25"}
	for i, uri := range missing {
		status, msg, _ = rpc(t, base, legacy, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"resources/read","params":{"uri":%q}}`, i+2, uri))
		require.Equal(t, 200, status)
		require.Equal(t, mcp.RESOURCE_NOT_FOUND, errorCode(t, msg), uri)
	}

	for i, uri := range missing {
		modern := map[string]string{"Mcp-Protocol-Version": mcp.LATEST_PROTOCOL_VERSION, "Mcp-Method": "resources/read", "Mcp-Name": uri}
		status, msg, _ = rpc(t, base, modern, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"resources/read","params":{"uri":%q,"_meta":{"io.modelcontextprotocol/protocolVersion":%q,"io.modelcontextprotocol/clientCapabilities":{}}}}`,
			i+10, uri, mcp.LATEST_PROTOCOL_VERSION))
		require.Equal(t, http.StatusBadRequest, status, uri)
		require.Equal(t, mcp.INVALID_PARAMS, errorCode(t, msg), uri)
	}

	// stdio, both eras on one connection.
	cmd := exec.Command(binary, "stdio", "--log-level", "warn")
	cmd.Dir = t.TempDir()
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	outPipe, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Wait()
	defer in.Close()
	out := bufio.NewScanner(outPipe)
	out.Buffer(nil, 1<<20)
	send := func(line string) map[string]any {
		_, err := fmt.Fprintln(in, line)
		require.NoError(t, err)
		for out.Scan() {
			var m map[string]any
			require.NoError(t, json.Unmarshal(out.Bytes(), &m))
			if _, ok := m["id"]; ok {
				return m
			}
		}
		t.Fatalf("stdio closed: %v", out.Err())
		return nil
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	fmt.Fprintln(in, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for i, uri := range missing {
		m := send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"resources/read","params":{"uri":%q}}`, 100+i, uri))
		require.Equal(t, mcp.RESOURCE_NOT_FOUND, errorCode(t, m), uri)
		m = send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"m%d","method":"resources/read","params":{"uri":%q,"_meta":{"io.modelcontextprotocol/protocolVersion":%q,"io.modelcontextprotocol/clientCapabilities":{}}}}`,
			i, uri, mcp.LATEST_PROTOCOL_VERSION))
		require.Equal(t, mcp.INVALID_PARAMS, errorCode(t, m), uri)
	}
	m := send(`{"jsonrpc":"2.0","id":200,"method":"resources/read","params":{"uri":"datachat://w/ws_x/datasets/t/schema"}}`)
	require.Equal(t, mcp.RESOURCE_NOT_FOUND, errorCode(t, m), "a malformed handle is not found either")
}
