package sas7bdat

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"datachat/formats"
	"datachat/formats/formatstest"
)

const benchRows = 500_000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error

	extOnce    sync.Once
	readstatS  float64 // seconds for `readstat FILE out.csv`, 0 if unavailable
	pandasS    float64 // seconds for pd.read_sas(FILE) inside Python, 0 if unavailable
	extSkipped []string
)

// benchFile builds (once, cached in the temp dir) a 500k-row sas7bdat with
// numeric, string and date columns: a generated CSV is converted by readstat
// to Stata (CSV plus JSON metadata) and from Stata to sas7bdat, since
// readstat writes sas7bdat only from a binary input.
func benchFile(b *testing.B) string {
	bin := formatstest.Readstat(b)
	benchOnce.Do(func() {
		dir := filepath.Join(os.TempDir(), "datachat-sas7bdat-bench")
		benchPath = filepath.Join(dir, fmt.Sprintf("rows%d.sas7bdat", benchRows))
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		if benchErr = os.MkdirAll(dir, 0o755); benchErr != nil {
			return
		}
		csvPath := filepath.Join(dir, "in.csv")
		f, err := os.Create(csvPath)
		if err != nil {
			benchErr = err
			return
		}
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, "id,name,score,day,category")
		cats := []string{"alpha", "beta", "gamma", "delta"}
		day := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < benchRows; i++ {
			fmt.Fprintf(w, "%d,name%07d,%.3f,%s,%s\n", i, i*7919%benchRows, float64(i%10007)/7.0,
				day.AddDate(0, 0, i%9000).Format(time.DateOnly), cats[i%len(cats)])
		}
		if err := w.Flush(); err != nil {
			benchErr = err
			return
		}
		f.Close()
		meta := `{"type":"STATA","variables":[` +
			`{"type":"NUMERIC","name":"id","label":"Row id"},` +
			`{"type":"STRING","name":"name","label":"Name"},` +
			`{"type":"NUMERIC","name":"score","label":"Score","format":"NUMBER","decimals":3},` +
			`{"type":"NUMERIC","name":"day","label":"Day","format":"DATE"},` +
			`{"type":"STRING","name":"category","label":"Category"}]}`
		metaPath := filepath.Join(dir, "meta.json")
		if benchErr = os.WriteFile(metaPath, []byte(meta), 0o644); benchErr != nil {
			return
		}
		dta := filepath.Join(dir, "mid.dta")
		for _, args := range [][]string{{csvPath, metaPath, dta}, {dta, benchPath}} {
			if _, err := formatstest.RunReadstat(context.Background(), bin, args...); err != nil {
				benchErr = err
				os.Remove(benchPath)
				return
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// measureExternal times readstat and pandas once per process on the same
// file. readstat is timed as a whole process writing CSV (it has no mode
// that only reads); pandas is timed inside Python around pd.read_sas only.
func measureExternal(b *testing.B, path string) {
	extOnce.Do(func() {
		bin := formatstest.Readstat(b)
		out := filepath.Join(b.TempDir(), "out.csv")
		start := time.Now()
		if _, err := formatstest.RunReadstat(context.Background(), bin, path, out); err == nil {
			readstatS = time.Since(start).Seconds()
		} else {
			extSkipped = append(extSkipped, "readstat failed: "+err.Error())
		}
		script := `import sys, time
import pandas as pd
t = time.perf_counter()
df = pd.read_sas(sys.argv[1], format="sas7bdat", encoding="latin-1")
print(time.perf_counter() - t, len(df))`
		for _, py := range []string{"/usr/bin/python3", "python3"} {
			o, err := exec.Command(py, "-c", script, path).Output()
			if err != nil {
				continue
			}
			fields := strings.Fields(string(o))
			if len(fields) == 2 && fields[1] == strconv.Itoa(benchRows) {
				pandasS, _ = strconv.ParseFloat(fields[0], 64)
				break
			}
		}
		if pandasS == 0 {
			extSkipped = append(extSkipped, "pandas not available")
		}
	})
}

// BenchmarkRead500k reads a 500k-row file and reports our throughput next to
// readstat's and pandas' on the same file in the same run:
//
//	go test -run '^$' -bench Read500k -benchtime 5x ./formats/sas7bdat/
//
// Metrics: MB/s (ours), readstat_MB/s, pandas_MB/s, and x_readstat and
// x_pandas, our speed divided by theirs (above 1 = faster).
func BenchmarkRead500k(b *testing.B) {
	path := benchFile(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	measureExternal(b, path)
	for _, s := range extSkipped {
		b.Log(s)
	}
	mb := float64(len(data)) / 1e6
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var rows int
	start := time.Now()
	for b.Loop() {
		tabs, err := Open(b.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if rows, err = formatstest.CountRows(tabs[0]); err != nil {
			b.Fatal(err)
		}
	}
	if rows != benchRows {
		b.Fatalf("read %d rows, want %d", rows, benchRows)
	}
	ours := time.Since(start).Seconds() / float64(b.N)
	if readstatS > 0 {
		b.ReportMetric(mb/readstatS, "readstat_MB/s")
		b.ReportMetric(readstatS/ours, "x_readstat")
	}
	if pandasS > 0 {
		b.ReportMetric(mb/pandasS, "pandas_MB/s")
		b.ReportMetric(pandasS/ours, "x_pandas")
	}
}
