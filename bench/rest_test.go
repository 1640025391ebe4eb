package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// restRows makes the REST benchmarks' CSV about 6 MB.
const restRows = 125_000

// restQuestions are asked of the generated CSV (our own wording).
var restQuestions = []string{
	"What is the average amount by category?",
	"How many rows have flag true?",
	"Which category has the highest total amount?",
	"What is the total amount?",
	"How many distinct categories are there?",
}

// serveProc is a `datachat serve` process on loopback.
type serveProc struct {
	cmd  *exec.Cmd
	base string
}

// startServe starts `datachat serve` and waits until it answers; it stops
// at the end of the benchmark.
func startServe(tb testing.TB, extra ...string) *serveProc {
	addr := freeAddr(tb)
	args := append([]string{"serve", "--addr", addr, "--token", "t", "--allow-private-urls",
		"--cache-dir", tb.TempDir(), "--log-level", "error", "--max-concurrent", "200"}, extra...) // a later flag wins
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &serveProc{cmd: cmd, base: "http://" + addr}
	tb.Cleanup(s.stop)
	for i := 0; ; i++ {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 200 {
			tb.Fatalf("datachat serve did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func (s *serveProc) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// peak is the server's peak resident memory so far, in MiB.
func (s *serveProc) peak() float64 { return float64(peakRSS(s.cmd.Process.Pid)) / (1 << 20) }

// chat sends one ChatCSV request about file and reads the whole stream.
func (s *serveProc) chat(ctx context.Context, file, question string) (time.Duration, error) {
	body := fmt.Sprintf(`{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": %q}], "files": [%q]}`, question, file)
	req, err := http.NewRequestWithContext(ctx, "POST", s.base+"/api/v1/chat", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" {
		// Busy: come back when the server says.
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		select {
		case <-time.After(time.Duration(max(secs, 1)) * time.Second):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		return s.chat(ctx, file, question)
	}
	out, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK || strings.Contains(string(out), "**Error:**") {
		return 0, fmt.Errorf("status %d: %.300s", resp.StatusCode, out)
	}
	return took, nil
}

// fileServer serves the benchmark CSV on loopback.
func fileServer(tb testing.TB) string {
	path := genCSV(tb, restRows)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(path))))
	tb.Cleanup(srv.Close)
	return srv.URL + "/" + filepath.Base(path)
}

// BenchmarkRESTRepeat: the first request about a 6 MB CSV on a fresh
// server, then the same request again and other questions about the same
// file (row "REST: the same file asked about again", target <= 0.30).
func BenchmarkRESTRepeat(b *testing.B) {
	file := fileServer(b)
	c := ctx(b)
	var first, again, other []time.Duration
	for b.Loop() {
		s := startServe(b)
		d, err := s.chat(c, file, restQuestions[0])
		if err != nil {
			b.Fatal(err)
		}
		first = append(first, d)
		for i := 1; i < len(restQuestions); i++ {
			d, err := s.chat(c, file, restQuestions[0])
			if err != nil {
				b.Fatal(err)
			}
			again = append(again, d)
			if d, err = s.chat(c, file, restQuestions[i]); err != nil {
				b.Fatal(err)
			}
			other = append(other, d)
		}
		s.stop()
	}
	b.ReportMetric(ms(p50(first)), "first-ms")
	b.ReportMetric(ms(p50(again)), "same-ms")
	b.ReportMetric(ms(p50(other)), "other-question-ms")
	b.ReportMetric(float64(p50(again))/float64(p50(first)), "same/first")
	b.ReportMetric(float64(p50(other))/float64(p50(first)), "other/first")
}

// BenchmarkRESTConcurrent sends 10, 25 and 50 concurrent requests about
// one 6 MB CSV to fresh servers and reports each server's peak resident
// memory (row "50 concurrent REST requests", target <= 600 MB and flat).
// "distinct" asks each request its own question (no answer is asked
// twice), "asked" cycles through five questions. "default" runs the
// server as configured by default (--max-concurrent 8): requests beyond it
// get 503 and retry after the Retry-After the server sends, as a client
// should; "unlimited" admits every request at once.
func BenchmarkRESTConcurrent(b *testing.B) {
	for _, mode := range []string{"distinct/default", "distinct/unlimited", "asked/unlimited"} {
		b.Run(mode, func(b *testing.B) {
			restConcurrent(b, strings.HasPrefix(mode, "distinct"), strings.HasSuffix(mode, "unlimited"))
		})
	}
}

func restConcurrent(b *testing.B, distinct, unlimited bool) {
	file := fileServer(b)
	c := ctx(b)
	peaks := map[int]float64{}
	var extra []string
	if !unlimited {
		extra = []string{"--max-concurrent", "8"}
	}
	for b.Loop() {
		for _, n := range []int{10, 25, 50} {
			s := startServe(b, extra...)
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				q := restQuestions[i%len(restQuestions)]
				if distinct {
					q = fmt.Sprintf("How many rows have an amount above %d?", 10*i)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.chat(c, file, q); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			peaks[n] = max(peaks[n], s.peak())
			b.Logf("%d requests: peak %.0f MiB", n, s.peak())
			s.stop()
		}
	}
	for n, p := range peaks {
		b.ReportMetric(p, fmt.Sprintf("peak-MiB-%d", n))
	}
	b.ReportMetric(peaks[50]/peaks[10], "peak50/peak10")
}
