// Command loadtest drives a running `datachat serve` with concurrent REST
// chat clients and reports the statuses it got and the server's peak
// resident memory. It is the load test of issue 11: many clients, a
// bounded server, no 5xx but 503 (busy, with Retry-After).
//
//	go build -o datachat . && go run ./bench/loadtest -clients 50 -for 60s
//
// It starts the server itself (with --allow-private-urls, so that it can
// load the file it serves on loopback), serves testdata/titanic.csv to it
// and reads the server's VmHWM from /proc when it ends.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "./datachat", "the datachat binary")
	clients := flag.Int("clients", 50, "concurrent clients")
	dur := flag.Duration("for", 60*time.Second, "how long to run")
	file := flag.String("file", "testdata/titanic.csv", "the file each request loads")
	flag.Parse()
	if err := run(*bin, *clients, *dur, *file); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(bin string, clients int, dur time.Duration, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	files := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write(data)
	})}
	go files.Serve(ln)
	defer files.Close()

	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--allow-private-urls", "--llm", "none", "--log-level", "info")
	cmd.Env = append(os.Environ(), "DATACHAT_TOKEN=")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stderr)
	addr := ""
	for addr == "" && sc.Scan() {
		if m := regexp.MustCompile(`msg=serving addr=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		return fmt.Errorf("the server did not start")
	}
	go io.Copy(io.Discard, stderr)

	body, _ := json.Marshal(map[string]any{
		"messages": []map[string]string{{"role": "user", "content": "What share of passengers survived?"}},
		"files":    []string{"http://" + ln.Addr().String() + "/titanic.csv"},
	})
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	statuses := map[int]int{}
	var latencies []time.Duration
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 2 * time.Minute}
	peak := int64(0)
	go func() {
		for ctx.Err() == nil {
			if rss := resident(cmd.Process.Pid); rss > peak {
				peak = rss
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				start := time.Now()
				resp, err := client.Post("http://"+addr+"/api/v1/chat", "application/json", bytes.NewReader(body))
				code := -1
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				statuses[code]++
				if code == 200 {
					latencies = append(latencies, time.Since(start))
				}
				mu.Unlock()
				if code == http.StatusServiceUnavailable {
					time.Sleep(200 * time.Millisecond) // back off as Retry-After asks, but sooner
				}
			}
		}()
	}
	wg.Wait()
	hwm := peakResident(cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	codes := make([]int, 0, len(statuses))
	total, bad := 0, 0
	for c, n := range statuses {
		codes = append(codes, c)
		total += n
		if c >= 500 && c != 503 || c < 0 {
			bad += n
		}
	}
	sort.Ints(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d: %d", c, statuses[c]))
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p := func(q float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(q*float64(len(latencies)-1))].Round(time.Millisecond)
	}
	fmt.Printf("clients %d for %s: %d requests (%s)\n", clients, dur, total, strings.Join(parts, ", "))
	fmt.Printf("answered: p50 %s, p95 %s; 5xx other than 503 (or no answer): %d\n", p(0.5), p(0.95), bad)
	fmt.Printf("server peak resident memory: %d MiB (sampled %d MiB)\n", hwm>>20, peak>>20)
	if bad > 0 {
		return fmt.Errorf("%d requests failed with a 5xx other than 503 or got no answer", bad)
	}
	return nil
}

func resident(pid int) int64 { return statusKB(pid, "VmRSS:") }

func peakResident(pid int) int64 { return statusKB(pid, "VmHWM:") }

func statusKB(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			var kb int64
			fmt.Sscan(rest, &kb)
			return kb << 10
		}
	}
	return 0
}
