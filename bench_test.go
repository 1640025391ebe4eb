package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkSeedRequest sends ChatCSV's seed request (a first question, then
// "show me some interesting visuals about this data. but start with what q i
// asked first" with titanic as the file) to `datachat serve` on loopback,
// the file served by a local HTTP server, and reports the time to the first
// byte of the stream and to its end.
func BenchmarkSeedRequest(b *testing.B) {
	files := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	defer files.Close()
	cfg, err := parseConfig([]string{"serve", "--addr", "127.0.0.1:0", "--token", "t", "--allow-private-urls",
		"--cache-dir", b.TempDir(), "--log-level", "error"}, io.Discard)
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), func(a net.Addr) { addrc <- a }) }()
	base := "http://" + (<-addrc).String()
	defer func() { cancel(); <-done }()

	body := `{"model": "gpt-4o-mini", "messages": [
	  {"role": "user", "content": "whats your name"}, {"role": "assistant", "content": "bob"},
	  {"role": "user", "content": "show me some interesting visuals about this data. but start with what q i asked first"}],
	  "files": ["` + files.URL + `/titanic.csv"]}`
	var ttfb, total []time.Duration
	for b.Loop() {
		req, _ := http.NewRequest("POST", base+"/api/v1/chat", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		require.NoError(b, err)
		require.Equal(b, 200, resp.StatusCode)
		buf := make([]byte, 1)
		_, err = io.ReadFull(resp.Body, buf)
		require.NoError(b, err)
		ttfb = append(ttfb, time.Since(start))
		rest, err := io.ReadAll(resp.Body)
		require.NoError(b, err)
		total = append(total, time.Since(start))
		resp.Body.Close()
		require.Contains(b, string(rest), "whats your name")
	}
	p50 := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	b.ReportMetric(p50(ttfb), "ttfb-p50-ms")
	b.ReportMetric(p50(total), "total-p50-ms")
}
