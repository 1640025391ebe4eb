package datasets

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchCSV writes (once per machine) a generated CSV of n rows under the
// temp dir: id, category, amount, day, flag, note.
func benchCSV(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("datachat-bench-%d.csv", n))
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return path
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	require.NoError(tb, err)
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	cats := []string{"north", "south", "east", "west", "centre", "islands", "coast", "hills", "plains", "city"}
	w.WriteString("id,category,amount,day,flag,note\n")
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		w.WriteString(strconv.Itoa(i))
		w.WriteByte(',')
		w.WriteString(cats[r.IntN(len(cats))])
		w.WriteByte(',')
		w.WriteString(strconv.FormatFloat(r.Float64()*1000, 'f', 2, 64))
		w.WriteByte(',')
		w.WriteString(day.AddDate(0, 0, r.IntN(1500)).Format("2006-01-02"))
		w.WriteByte(',')
		w.WriteString(strconv.FormatBool(r.IntN(2) == 0))
		w.WriteByte(',')
		w.WriteString("item " + strconv.Itoa(r.IntN(100000)))
		w.WriteByte('\n')
	}
	require.NoError(tb, w.Flush())
	require.NoError(tb, f.Close())
	require.NoError(tb, os.Rename(tmp, path))
	return path
}

// BenchmarkLoadCSV1M loads a generated 1M-row CSV through datachat (fetch
// guard, format detection, sandboxed catalog, describe) and with plain DuckDB
// read_csv in the same iteration, and reports both times and their ratio
// (target: ratio <= 1.10) plus DuckDB's memory after the load.
func BenchmarkLoadCSV1M(b *testing.B) {
	path := benchCSV(b, 1_000_000)
	dir := filepath.Dir(path)
	var ours, plain time.Duration
	var mem int64
	for i := 0; b.Loop(); i++ {
		// No dataset cache: its table files would be written while the
		// reference runs.
		m, err := NewManager(Config{StagingRoot: b.TempDir(), ReadDirs: []string{dir}, Fetcher: localFetcher{}, CacheSize: -1})
		require.NoError(b, err)
		c, err := m.Catalog(context.Background(), "bench")
		require.NoError(b, err)
		db, err := sql.Open("duckdb", "")
		require.NoError(b, err)
		_, err = db.Exec("SET threads=2")
		require.NoError(b, err)
		run := func(order int) {
			if order == 0 {
				start := time.Now()
				infos, err := c.Load(context.Background(), path, LoadOptions{})
				ours += time.Since(start)
				require.NoError(b, err)
				require.EqualValues(b, 1_000_000, infos[0].Rows)
				return
			}
			start := time.Now()
			_, err := db.Exec("CREATE TABLE t AS SELECT * FROM read_csv(" + sqlString(path) + ")")
			require.NoError(b, err)
			var n int64
			require.NoError(b, db.QueryRow("SELECT count(*) FROM t").Scan(&n))
			plain += time.Since(start)
		}
		// Alternate who goes first so neither gets a warmer cache.
		run(i % 2)
		run(1 - i%2)
		res, err := c.internal(context.Background(), "SELECT sum(memory_usage_bytes)::BIGINT FROM duckdb_memory()", 1)
		require.NoError(b, err)
		mem = max(mem, res.Rows[0][0].(int64))
		db.Close()
		m.Close()
	}
	n := float64(b.N)
	b.ReportMetric(float64(ours.Milliseconds())/n, "datachat-ms")
	b.ReportMetric(float64(plain.Milliseconds())/n, "duckdb-ms")
	b.ReportMetric(float64(ours)/float64(plain), "ratio")
	b.ReportMetric(float64(mem)/(1<<20), "duckdb-MiB")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
}

// peakRSS is the process's peak resident set (VmHWM), or 0 where unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
