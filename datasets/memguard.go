package datasets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// DuckDB's memory_limit bounds only the memory its buffer manager hands out
// (hash tables, sorts, cached data). Strings and lists that functions and
// aggregates build (string_agg over a cross join, list() of a huge range)
// are allocated beside it and can grow the process far past the limit. The
// memory guard measures from the outside: while a client query runs it
// samples the process's resident memory, and when that has grown by more
// than the session's memory limit since the query started, it cancels the
// query (duckdb-go then interrupts DuckDB, which stops at its next chunk).

// errMemory is the cancel cause of a query stopped by the memory guard.
var errMemory = errors.New("memory limit reached")

// guardInterval is how often the guard samples resident memory.
const guardInterval = 20 * time.Millisecond

// errBudget is the cancel cause of a query stopped because the whole server
// went over its memory budget.
var errBudget = errors.New("memory budget reached")

// guardMemory watches resident memory until the returned stop is called and
// calls cancel(errMemory) if it grows by more than limit bytes, or
// cancel(errBudget) if it passes ceiling (when above 0). Where resident
// memory cannot be read (not Linux), it does nothing.
func guardMemory(ctx context.Context, limit, ceiling int64, cancel context.CancelCauseFunc) (stop func()) {
	base, ok := residentBytes()
	if !ok || limit <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(guardInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				rss, ok := residentBytes()
				switch {
				case !ok:
				case rss-base > limit:
					cancel(errMemory)
					return
				case ceiling > 0 && rss > ceiling:
					cancel(errBudget)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

var pageSize = int64(os.Getpagesize())

// residentBytes is the process's resident memory, from /proc/self/statm.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * pageSize, true
}

// parseMemory reads a DuckDB memory size such as "2GB", "512MiB" or
// "1000000" (bytes). KB, MB, GB and TB are powers of 1000, KiB, MiB, GiB and
// TiB powers of 1024, as DuckDB reads them.
func parseMemory(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("invalid memory size %q: use a number with a unit such as 2GB or 512MiB", s)
	}
	return int64(f * mult), nil
}
