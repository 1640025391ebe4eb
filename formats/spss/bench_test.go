package spss

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"datachat/formats/formatstest"
)

// benchRows is the size of the generated benchmark files.
const benchRows = 500_000

// benchDir caches the generated files between runs.
var benchDir = filepath.Join(os.TempDir(), "datachat-spss-bench-v1")

// benchFiles generates, once, a 500k-row file written by readstat from CSV
// and JSON metadata (bytecode-compressed, readstat's only .sav output), its
// .zsav conversion by readstat, and an uncompressed file from the test
// writer (readstat cannot write one). Without readstat the test writer makes
// all three.
func benchFiles(b *testing.B) map[string]string {
	b.Helper()
	if err := os.MkdirAll(benchDir, 0o755); err != nil {
		b.Fatal(err)
	}
	files := map[string]string{
		"bytecode": filepath.Join(benchDir, "bench.sav"),
		"zsav":     filepath.Join(benchDir, "bench.zsav"),
		"none":     filepath.Join(benchDir, "bench_uncompressed.sav"),
	}
	done := true
	for _, p := range files {
		if _, err := os.Stat(p); err != nil {
			done = false
		}
	}
	if done {
		return files
	}
	tf := benchData()
	if _, err := exec.LookPath("readstat"); err == nil {
		csvPath := filepath.Join(benchDir, "bench.csv")
		metaPath := filepath.Join(benchDir, "bench.json")
		writeBenchCSV(b, tf, csvPath, metaPath)
		for _, args := range [][]string{
			{"-f", csvPath, metaPath, files["bytecode"]},
			{"-f", files["bytecode"], files["zsav"]},
		} {
			if out, err := exec.Command("readstat", args...).CombinedOutput(); err != nil {
				b.Fatalf("readstat %v: %v: %s", args, err, out)
			}
		}
	} else {
		for name, comp := range map[string]int{"bytecode": 1, "zsav": 2} {
			tf.compression = comp
			tf.blockSize = 0x3ff000
			if err := os.WriteFile(files[name], tf.bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	tf.compression = 0
	if err := os.WriteFile(files["none"], tf.bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return files
}

// benchData is a survey-like table: ids, measurements, a labelled code, a
// date and two strings.
func benchData() *tfile {
	r := rand.New(rand.NewPCG(1, 2))
	f := &tfile{
		encoding: "UTF-8",
		vars: []tvar{
			{name: "id", format: fmtCode(5, 8, 0)},
			{name: "x", format: fmtCode(5, 10, 4)},
			{name: "y", format: fmtCode(5, 10, 2)},
			{name: "code", format: fmtCode(5, 1, 0), numLabels: map[float64]string{1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}},
			{name: "day", format: fmtCode(20, 11, 0)},
			{name: "name", width: 12},
			{name: "comment", width: 40},
		},
	}
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
	for i := range benchRows {
		day := spssBase.AddDate(0, 0, 140000+r.IntN(20000))
		var y any = float64(r.IntN(100000)) / 100
		if i%17 == 0 {
			y = nil
		}
		f.rows = append(f.rows, []any{
			float64(i), r.NormFloat64() * 1000, y, float64(1 + r.IntN(5)),
			float64(day.Unix() - spssBase.Unix()),
			words[r.IntN(len(words))] + strconv.Itoa(r.IntN(1000)),
			strings.Repeat(words[r.IntN(len(words))]+" ", 1+r.IntN(4)),
		})
	}
	return f
}

func writeBenchCSV(b *testing.B, f *tfile, csvPath, metaPath string) {
	b.Helper()
	meta := `{"type": "SPSS", "variables": [
{"type": "NUMERIC", "name": "id", "format": "NUMBER", "decimals": 0},
{"type": "NUMERIC", "name": "x", "format": "NUMBER", "decimals": 4},
{"type": "NUMERIC", "name": "y", "format": "NUMBER", "decimals": 2},
{"type": "NUMERIC", "name": "code", "format": "NUMBER", "decimals": 0, "categories": [{"code": 1, "label": "a"}, {"code": 2, "label": "b"}, {"code": 3, "label": "c"}, {"code": 4, "label": "d"}, {"code": 5, "label": "e"}]},
{"type": "NUMERIC", "name": "day", "format": "DATE", "pattern": "yyyy-MM-dd"},
{"type": "STRING", "name": "name"},
{"type": "STRING", "name": "comment"}]}`
	if err := os.WriteFile(metaPath, []byte(meta), 0o644); err != nil {
		b.Fatal(err)
	}
	fh, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	fmt.Fprintln(w, "id,x,y,code,day,name,comment")
	for _, r := range f.rows {
		y := ""
		if v, ok := r[2].(float64); ok {
			y = strconv.FormatFloat(v, 'f', -1, 64)
		}
		d := time.Unix(int64(r[4].(float64))+spssBase.Unix(), 0).UTC().Format("2006-01-02")
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%q,%q\n", strconv.FormatFloat(r[0].(float64), 'f', -1, 64),
			strconv.FormatFloat(r[1].(float64), 'g', -1, 64), y, strconv.FormatFloat(r[3].(float64), 'f', -1, 64),
			d, r[5], r[6])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRead reads each generated file fully and, in the same run, times
// `readstat FILE out.csv` and pandas.read_spss on it, reporting MB/s (of the
// file's size) and our speed as a multiple of theirs ("x_readstat": wall
// time; "cpu_x_readstat": CPU time, steadier on a shared machine).
//
//	go test -run '^$' -bench BenchmarkRead -benchtime 3x ./formats/spss/
func BenchmarkRead(b *testing.B) {
	files := benchFiles(b)
	for _, name := range []string{"none", "bytecode", "zsav"} {
		path := files[name]
		b.Run(name, func(b *testing.B) {
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			size := st.Size()
			b.SetBytes(size)
			b.ReportAllocs()
			start, cpuStart := time.Now(), processCPU()
			for b.Loop() {
				n, err := readFileRows(b, path)
				if err != nil {
					b.Fatal(err)
				}
				if n != benchRows {
					b.Fatalf("read %d rows, want %d", n, benchRows)
				}
			}
			ours := time.Since(start).Seconds() / float64(b.N)
			oursCPU := (processCPU() - cpuStart) / float64(b.N)
			mb := float64(size) / 1e6
			b.ReportMetric(float64(benchRows)/ours, "rows/s")
			if oursCPU > 0 {
				b.ReportMetric(mb/oursCPU, "cpu_MB/s")
			}
			if wall, cpu, err := timeReadstat(path); err == nil {
				b.ReportMetric(mb/wall, "readstat_MB/s")
				b.ReportMetric(wall/ours, "x_readstat")
				if oursCPU > 0 && cpu > 0 {
					b.ReportMetric(mb/cpu, "readstat_cpu_MB/s")
					b.ReportMetric(cpu/oursCPU, "cpu_x_readstat")
				}
			} else {
				b.Logf("readstat: %v", err)
			}
			if d, err := timePandas(path); err == nil {
				b.ReportMetric(mb/d, "pandas_MB/s")
				b.ReportMetric(d/ours, "x_pandas")
			} else {
				b.Logf("pandas.read_spss: %v", err)
			}
		})
	}
}

func readFileRows(b *testing.B, path string) (int, error) {
	return formatstest.CountFile(b.Context(), Open, path)
}

// timeReadstat runs `readstat FILE out.csv` and returns its wall time and
// CPU time (user + system).
func timeReadstat(path string) (wall, cpu float64, err error) {
	if _, err := exec.LookPath("readstat"); err != nil {
		return 0, 0, err
	}
	out := filepath.Join(benchDir, "readstat_out.csv")
	os.Remove(out)
	cmd := exec.Command("readstat", path, out)
	start := time.Now()
	msg, err := cmd.CombinedOutput()
	wall = time.Since(start).Seconds()
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, msg)
	}
	if _, err := os.Stat(out); err != nil {
		return 0, 0, fmt.Errorf("no output: %s", msg)
	}
	cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return wall, cpu, nil
}

// timePandas times pandas.read_spss in a python3 process (the import time
// is excluded). pandas needs pyreadstat for it; each python3 found is tried.
func timePandas(path string) (float64, error) {
	script := `import sys, time
import pandas as pd
import pyreadstat
t = time.perf_counter()
df = pd.read_spss(sys.argv[1], convert_categoricals=False)
print(time.perf_counter() - t)
`
	var errs []string
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		out, err := exec.Command(py, "-c", script, path).CombinedOutput()
		if err == nil {
			return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		errs = append(errs, py+": "+lines[len(lines)-1])
	}
	return 0, fmt.Errorf("%s", strings.Join(errs, "; "))
}
