package bench

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// stdioClient starts `datachat stdio` reading under dir and initializes it.
func stdioClient(tb testing.TB, c context.Context, dir string) *client.Client {
	cl, err := client.NewStdioMCPClient(binary, []string{"HOME=" + tb.TempDir()}, "stdio", "--allow-dir", dir, "--log-level", "error")
	if err != nil {
		tb.Fatal(err)
	}
	_, err = cl.Initialize(c, mcp.InitializeRequest{Params: mcp.InitializeParams{ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo: mcp.Implementation{Name: "bench", Version: "1"}}})
	if err != nil {
		cl.Close()
		tb.Fatal(err)
	}
	return cl
}

func callTool(tb testing.TB, c context.Context, cl *client.Client, name string, args map[string]any) time.Duration {
	start := time.Now()
	res, err := cl.CallTool(c, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	took := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	if res.IsError {
		tb.Fatalf("%s: %v", name, res.Content)
	}
	return took
}

// plainDuckDB is an in-process DuckDB with the threads a session gets.
func plainDuckDB(tb testing.TB) *sql.DB {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Exec("SET threads=2"); err != nil {
		tb.Fatal(err)
	}
	return db
}

// roundTrips is how many queries one iteration of BenchmarkQueryRoundTrip
// sends each way.
const roundTrips = 200

// plainRead times CREATE TABLE AS SELECT * FROM fn('path') and a count on
// a fresh plain DuckDB.
func plainRead(tb testing.TB, fn, path string) time.Duration {
	db := plainDuckDB(tb)
	defer db.Close()
	start := time.Now()
	if _, err := db.Exec("CREATE TABLE t AS SELECT * FROM " + fn + "('" + path + "')"); err != nil {
		tb.Fatal(err)
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

// inTurn runs ours and the reference one after the other, the first of
// them changing with i, so that neither always gets the warmer caches.
func inTurn(i int, ours, reference func()) {
	if i%2 == 0 {
		ours()
		reference()
		return
	}
	reference()
	ours()
}

// BenchmarkQueryRoundTrip measures a small query on titanic through the
// datachat binary over stdio (MCP client → JSON-RPC → sandbox check →
// DuckDB → markdown + structured result) against the same query on a plain
// in-process DuckDB, interleaved in the same run (row "MCP stdio round trip
// of a trivial query", target: p50 overhead <= 0.5 ms).
func BenchmarkQueryRoundTrip(b *testing.B) {
	td, err := filepath.Abs("../testdata")
	if err != nil {
		b.Fatal(err)
	}
	titanic := filepath.Join(td, "titanic.csv")
	c := ctx(b)
	cl := stdioClient(b, c, td)
	defer cl.Close()
	callTool(b, c, cl, "load_file", map[string]any{"source": titanic})
	db := plainDuckDB(b)
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE titanic AS SELECT * FROM read_csv('" + titanic + "')"); err != nil {
		b.Fatal(err)
	}
	const q = "SELECT Pclass, count(*) AS n, avg(Fare) AS fare FROM titanic GROUP BY Pclass ORDER BY Pclass"
	var viaMCP, direct []time.Duration
	for b.Loop() {
		for range roundTrips {
			viaMCP = append(viaMCP, callTool(b, c, cl, "query", map[string]any{"sql": q}))
			start := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var class, count int64
				var fare float64
				if err := rows.Scan(&class, &count, &fare); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			direct = append(direct, time.Since(start))
			if n != 3 {
				b.Fatalf("%d rows", n)
			}
		}
	}
	b.ReportMetric(ms(p50(viaMCP)), "stdio-p50-ms")
	b.ReportMetric(ms(p50(direct)), "duckdb-p50-ms")
	b.ReportMetric(ms(p50(viaMCP)-p50(direct)), "overhead-p50-ms")
}

// BenchmarkLoadCSV1M loads a generated 1M-row CSV with load_file over MCP
// stdio (a fresh server each time: no cache) and with plain DuckDB
// read_csv, in turn (row "CSV load over MCP, 1M rows", target <= 1.10x).
func BenchmarkLoadCSV1M(b *testing.B) {
	path := genCSV(b, 1_000_000)
	c := ctx(b)
	var ours, plain []time.Duration
	for i := 0; b.Loop(); i++ {
		inTurn(i, func() {
			cl := stdioClient(b, c, filepath.Dir(path))
			ours = append(ours, callTool(b, c, cl, "load_file", map[string]any{"source": path}))
			cl.Close()
		}, func() { plain = append(plain, plainRead(b, "read_csv", path)) })
	}
	b.ReportMetric(ms(p50(ours)), "mcp-ms")
	b.ReportMetric(ms(p50(plain)), "duckdb-ms")
	b.ReportMetric(float64(p50(ours))/float64(p50(plain)), "mcp/duckdb")
}
