// Package bench holds the whole-system benchmarks: each runs the datachat
// binary (or its packages) next to a reference in the same run and reports
// the ratio the README's table quotes. Run them with ./bench/run.
package bench

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// binary is the datachat binary built for the benchmarks.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		// No benchmark asked for (go test ./...): nothing to build.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "datachat-bench-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "datachat")
	if out, err := exec.Command("go", "build", "-o", binary, "datachat").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build datachat: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// genCSV writes (once per machine, under the temp folder) a CSV of n rows:
// id, category, amount, day, flag, note.
func genCSV(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("datachat-bench-%d.csv", n))
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return path
	}
	tmp := path + ".part" + strconv.Itoa(os.Getpid())
	f, err := os.Create(tmp)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	cats := []string{"north", "south", "east", "west", "centre", "islands", "coast", "hills", "plains", "city"}
	w.WriteString("id,category,amount,day,flag,note\n")
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(w, "%d,%s,%.2f,%s,%t,item %d\n", i, cats[r.IntN(len(cats))], r.Float64()*1000,
			day.AddDate(0, 0, r.IntN(1500)).Format("2006-01-02"), r.IntN(2) == 0, r.IntN(100000))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// peakRSS is a process's peak resident set (VmHWM) in bytes, 0 if unknown.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
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

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ctx is the benchmarks' context: long enough for any of them.
func ctx(tb testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	tb.Cleanup(cancel)
	return c
}
