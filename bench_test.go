package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
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
