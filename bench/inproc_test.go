package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
)

// catalog is a fresh in-process catalog that may read dir. The dataset
// cache is off: every load parses its file, as a first load does.
func catalog(tb testing.TB, dir string) *datasets.Catalog {
	f, err := fetch.New(fetch.Config{AllowDirs: []string{dir}, CacheDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := datasets.NewManager(datasets.Config{StagingRoot: tb.TempDir(), ReadDirs: []string{dir},
		Fetcher: datasets.Guarded(f), CacheSize: -1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	c, err := m.Scratch(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func load(tb testing.TB, c *datasets.Catalog, path string) (datasets.TableInfo, time.Duration) {
	start := time.Now()
	infos, err := c.Load(context.Background(), path, datasets.LoadOptions{})
	took := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	return infos[0], took
}

// BenchmarkDescribe1M describes a loaded 1M-row table for the first time
// and runs DuckDB's SUMMARIZE of it, in turn (row "describe on a loaded
// 1M-row table", target <= 0.50).
func BenchmarkDescribe1M(b *testing.B) {
	path := genCSV(b, 1_000_000)
	var ours, summarize []time.Duration
	for i := 0; b.Loop(); i++ {
		c := catalog(b, filepath.Dir(path))
		info, _ := load(b, c, path)
		// Both timings start from a catalog that has run a query and
		// read the table once.
		if _, err := c.Query(context.Background(), "SELECT count(*), min(id) FROM "+datasets.Ident(info.Name), 1); err != nil {
			b.Fatal(err)
		}
		timed := func(into *[]time.Duration, f func() error) func() {
			return func() {
				start := time.Now()
				if err := f(); err != nil {
					b.Fatal(err)
				}
				*into = append(*into, time.Since(start))
			}
		}
		inTurn(i, timed(&ours, func() error {
			_, err := c.Describe(context.Background(), info.Name, nil)
			return err
		}), timed(&summarize, func() error {
			_, err := c.Query(context.Background(), "SUMMARIZE "+datasets.Ident(info.Name), 100)
			return err
		}))
		c.Close()
	}
	b.ReportMetric(ms(p50(ours)), "describe-ms")
	b.ReportMetric(ms(p50(summarize)), "summarize-ms")
	b.ReportMetric(float64(p50(ours))/float64(p50(summarize)), "describe/summarize")
}

// firstQuestions are asked first of the generated 1M-row table.
var firstQuestions = []string{
	"What is the average amount by category?",
	"How many rows have flag true?",
	"What is the total amount?",
}

// BenchmarkFirstAnswer1M loads the generated 1M-row CSV and asks the
// built-in engine a first question through chat.Engine (row "first chat
// answer on a loaded 1M-row table", target <= 0.30 of the load).
func BenchmarkFirstAnswer1M(b *testing.B) {
	path := genCSV(b, 1_000_000)
	var loads, firsts []time.Duration
	for i := 0; b.Loop(); i++ {
		c := catalog(b, filepath.Dir(path))
		_, took := load(b, c, path)
		loads = append(loads, took)
		var engine chat.Engine = chat.NewEmbedded()
		start := time.Now()
		ans, err := engine.Answer(context.Background(), c, chat.Request{Messages: []chat.Message{
			{Role: "user", Content: firstQuestions[i%len(firstQuestions)]}}})
		firsts = append(firsts, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if ans == nil || ans.Text == "" {
			b.Fatal("no answer")
		}
		c.Close()
	}
	b.ReportMetric(ms(p50(loads)), "load-ms")
	b.ReportMetric(ms(p50(firsts)), "first-answer-ms")
	b.ReportMetric(float64(p50(firsts))/float64(p50(loads)), "answer/load")
}

// genJSON writes (once) a JSON array of n records under the temp folder.
func genJSON(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("datachat-bench-%d.json", n))
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return path
	}
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": %d, "region": "r%d", "amount": %d.25, "tags": {"a": %d, "b": "x%d"}}`, i, i%17, i%1000, i%3, i%5)
	}
	b.WriteString("]\n")
	tmp := path + ".part" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkLoadJSON loads a 300k-record JSON array through datachat (one
// streaming check in Go, then one DuckDB read) and with plain DuckDB
// read_json, in turn: the JSON half of the "read once".
func BenchmarkLoadJSON(b *testing.B) {
	path := genJSON(b, 300_000)
	var ours, plain []time.Duration
	for i := 0; b.Loop(); i++ {
		inTurn(i, func() {
			c := catalog(b, filepath.Dir(path))
			_, took := load(b, c, path)
			ours = append(ours, took)
			c.Close()
		}, func() { plain = append(plain, plainRead(b, "read_json", path)) })
	}
	b.ReportMetric(ms(p50(ours)), "datachat-ms")
	b.ReportMetric(ms(p50(plain)), "duckdb-ms")
	b.ReportMetric(float64(p50(ours))/float64(p50(plain)), "datachat/duckdb")
}

// BenchmarkLoadCSV1MInProcess loads the generated 1M-row CSV into a fresh
// catalog (fetch guard, format detection, sandboxed DuckDB, table info) and
// with plain DuckDB read_csv, in turn, in this process.
func BenchmarkLoadCSV1MInProcess(b *testing.B) {
	path := genCSV(b, 1_000_000)
	var ours, plain []time.Duration
	for i := 0; b.Loop(); i++ {
		inTurn(i, func() {
			c := catalog(b, filepath.Dir(path))
			info, took := load(b, c, path)
			ours = append(ours, took)
			if info.Rows != 1_000_000 {
				b.Fatalf("%d rows", info.Rows)
			}
			c.Close()
		}, func() { plain = append(plain, plainRead(b, "read_csv", path)) })
	}
	b.ReportMetric(ms(p50(ours)), "datachat-ms")
	b.ReportMetric(ms(p50(plain)), "duckdb-ms")
	b.ReportMetric(float64(p50(ours))/float64(p50(plain)), "datachat/duckdb")
	b.ReportMetric(float64(peakRSS(os.Getpid()))/(1<<20), "peak-rss-MiB")
}
