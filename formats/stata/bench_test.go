package stata

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"datachat/formats/formatstest"
)

const benchRows = 500_000

// benchData is the benchmark file: 500k rows of 10 mixed columns (64-byte
// rows, about 32 MB), release 118, with missing values, dates and strings.
var benchData = sync.OnceValue(func() []byte { return benchFile(benchRows).bytes() })

// benchFile is a file of n rows of the benchmark's 10 columns.
func benchFile(n int) *wfile {
	cols := []wcol{
		{name: "id", st: stLong, format: "%12.0g"},
		{name: "grp", st: stByte, format: "%8.0g", lblName: "grp"},
		{name: "cnt", st: stInt, format: "%8.0g"},
		{name: "price", st: stFloat, format: "%9.0g"},
		{name: "amount", st: stDouble, format: "%10.0g"},
		{name: "day", st: stLong, format: "%td"},
		{name: "ts", st: stDouble, format: "%tc"},
		{name: "code", st: stStr, width: 8, format: "%8s"},
		{name: "name", st: stStr, width: 24, format: "%24s"},
		{name: "flag", st: stByte, format: "%8.0g"},
	}
	for i := range cols {
		cols[i].vals = make([]any, n)
	}
	names := []string{"Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen"}
	for r := 0; r < n; r++ {
		v := []any{
			int64(r), int64(r % 7), int64(r%30000 - 15000), float64(float32(r%1000) / 8), float64(r) * 1.25,
			int64(15000 + r%5000), float64(1.6e12 + float64(r)*60000), "C" + strconv.Itoa(r%100000), names[r%len(names)], int64(r % 2),
		}
		if r%17 == 0 {
			v[3], v[4] = nil, missTag('b')
		}
		for i := range cols {
			cols[i].vals[r] = v[i]
		}
	}
	return &wfile{release: 118, cols: cols, nobs: n,
		labels: map[string]map[int32]string{"grp": {0: "zero", 1: "one", 2: "two"}}}
}

// externalRates holds the throughput of the other readers, measured once.
type externalRates struct {
	readstat, pandas float64 // MB/s; 0 = not measured
}

var measureExternal = sync.OnceValue(func() externalRates {
	var rates externalRates
	dir, err := os.MkdirTemp("", "stata-bench")
	if err != nil {
		return rates
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bench.dta")
	data := benchData()
	if os.WriteFile(path, data, 0o644) != nil {
		return rates
	}
	mb := float64(len(data)) / 1e6
	if rs, err := exec.LookPath("readstat"); err == nil {
		start := time.Now()
		if _, err := formatstest.RunReadstat(context.Background(), rs, path, filepath.Join(dir, "out.csv")); err == nil {
			rates.readstat = mb / time.Since(start).Seconds()
		}
	}
	// pandas' own timing of read_stata, without interpreter start-up.
	script := "import sys,time\nimport pandas as pd\nt=time.perf_counter()\npd.read_stata(sys.argv[1])\nprint(time.perf_counter()-t)\n"
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		out, err := exec.Command(py, "-c", script, path).Output()
		if err != nil {
			continue
		}
		if secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && secs > 0 {
			rates.pandas = mb / secs
			break
		}
	}
	return rates
})

// BenchmarkRead reads every row of a 500k x 10 file from disk and reports
// MB/s, next to `readstat FILE out.csv` and pandas' read_stata on the same
// file (measured once per run when they are installed):
//
//	go test -run '^$' -bench BenchmarkRead -benchtime 5x ./formats/stata/
func BenchmarkRead(b *testing.B) {
	data := benchData()
	path := filepath.Join(b.TempDir(), "bench.dta")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	ext := measureExternal()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		readBenchFile(b, path)
	}
	ours := float64(len(data)) / 1e6 * float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(ours, "ours-MB/s")
	if ext.readstat > 0 {
		b.ReportMetric(ext.readstat, "readstat-MB/s")
		b.ReportMetric(ours/ext.readstat, "x-readstat")
	}
	if ext.pandas > 0 {
		b.ReportMetric(ext.pandas, "pandas-MB/s")
		b.ReportMetric(ours/ext.pandas, "x-pandas")
	}
}

func readBenchFile(b *testing.B, path string) {
	n, err := formatstest.CountFile(context.Background(), Open, path)
	if err != nil {
		b.Fatal(err)
	}
	if n != benchRows {
		b.Fatalf("read %d rows, want %d", n, benchRows)
	}
}
