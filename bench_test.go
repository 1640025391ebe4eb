package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

// BenchmarkQueryRoundTrip measures a small query on titanic through the
// datachat binary over stdio (MCP client → JSON-RPC → sandbox check → DuckDB
// → markdown + structured result) against the same query on a plain
// in-process DuckDB, interleaved in the same run. Target: p50 overhead <= 1 ms.
func BenchmarkQueryRoundTrip(b *testing.B) {
	td, err := filepath.Abs("testdata")
	require.NoError(b, err)
	titanic := filepath.Join(td, "titanic.csv")
	c, err := client.NewStdioMCPClient(binary, nil, "stdio", "--allow-dir", td, "--log-level", "error")
	require.NoError(b, err)
	defer c.Close()
	ctx := context.Background()
	_, err = c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "bench", Version: "1"}}})
	require.NoError(b, err)
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "load_file", Arguments: map[string]any{"source": titanic}}})
	require.NoError(b, err)
	require.False(b, res.IsError)

	db, err := sql.Open("duckdb", "")
	require.NoError(b, err)
	defer db.Close()
	_, err = db.Exec("CREATE TABLE titanic AS SELECT * FROM read_csv('" + titanic + "')")
	require.NoError(b, err)

	const q = "SELECT Pclass, count(*) AS n, avg(Fare) AS fare FROM titanic GROUP BY Pclass ORDER BY Pclass"
	var viaMCP, direct []time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "query", Arguments: map[string]any{"sql": q}}})
		viaMCP = append(viaMCP, time.Since(start))
		require.NoError(b, err)
		require.False(b, res.IsError)

		start = time.Now()
		rows, err := db.Query(q)
		require.NoError(b, err)
		n := 0
		for rows.Next() {
			var class, count int64
			var fare float64
			require.NoError(b, rows.Scan(&class, &count, &fare))
			n++
		}
		rows.Close()
		direct = append(direct, time.Since(start))
		require.Equal(b, 3, n)
	}
	p50 := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	b.ReportMetric(float64(p50(viaMCP).Microseconds())/1000, "stdio-p50-ms")
	b.ReportMetric(float64(p50(direct).Microseconds())/1000, "duckdb-p50-ms")
	b.ReportMetric(float64((p50(viaMCP)-p50(direct)).Microseconds())/1000, "overhead-p50-ms")
}

// BenchmarkSeedRequest sends ChatCSV's seed request (a first question, then
// "show me some interesting visuals about this data. but start with what q i
// asked first" with titanic as the file) to `datachat serve` on loopback,
// the file served by a local HTTP server, and reports the time to the first
// byte of the stream and to its end.
func BenchmarkSeedRequest(b *testing.B) {
	files := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	defer files.Close()
	cfg, err := parseConfig([]string{"serve", "--addr", "127.0.0.1:0", "--token", "t", "--allow-private-urls",
		"--cache-dir", b.TempDir(), "--log-level", "error"}, io.Discard)
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), func(a net.Addr) { addrc <- a }) }()
	base := "http://" + (<-addrc).String()
	defer func() { cancel(); <-done }()

	body := `{"model": "gpt-4o-mini", "messages": [
	  {"role": "user", "content": "whats your name"}, {"role": "assistant", "content": "bob"},
	  {"role": "user", "content": "show me some interesting visuals about this data. but start with what q i asked first"}],
	  "files": ["` + files.URL + `/titanic.csv"]}`
	var ttfb, total []time.Duration
	for b.Loop() {
		req, _ := http.NewRequest("POST", base+"/api/v1/chat", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		require.NoError(b, err)
		require.Equal(b, 200, resp.StatusCode)
		buf := make([]byte, 1)
		_, err = io.ReadFull(resp.Body, buf)
		require.NoError(b, err)
		ttfb = append(ttfb, time.Since(start))
		rest, err := io.ReadAll(resp.Body)
		require.NoError(b, err)
		total = append(total, time.Since(start))
		resp.Body.Close()
		require.Contains(b, string(rest), "whats your name")
	}
	p50 := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	b.ReportMetric(p50(ttfb), "ttfb-p50-ms")
	b.ReportMetric(p50(total), "total-p50-ms")
}
