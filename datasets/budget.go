package datasets

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// The memory budget bounds the whole server (--memory-budget), however many
// sessions it holds: each catalog's DuckDB gets a share of it when it opens
// (at most --memory-limit, at least minSessionMemory; DuckDB spills what
// does not fit to the session's staging folder), and no load or query
// starts, or keeps running, while the process's resident memory is over
// the budget. Threads are chosen the same way: a catalog opened while the
// server is idle gets every core, one opened while others work gets fewer.

// minSessionMemory is the smallest memory limit a session gets.
const minSessionMemory = 128 << 20

// DefaultMemoryBudget is the default of Config.MemoryBudget: half of the
// machine's memory (or of the cgroup's limit, when lower).
func DefaultMemoryBudget() int64 { return machineMemory() / 2 }

// machineMemory is the memory this process may use: MemTotal, or the
// cgroup's limit when lower; 4 GiB when neither can be read.
func machineMemory() int64 {
	total := int64(4 << 30)
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				if err == nil && kb > 0 {
					total = kb << 10
				}
			}
		}
		f.Close()
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(p); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < total {
				total = n
			}
		}
	}
	return total
}

// budget splits the memory budget and the cores among catalogs.
type budget struct {
	total   int64 // bytes the server may use
	session int64 // most one session may use (--memory-limit)
	cores   int
	busy    atomic.Int64 // loads and client queries running now
}

func newBudget(total, session int64) *budget {
	return &budget{total: total, session: session, cores: runtime.NumCPU()}
}

// share is the memory limit and the threads of a catalog opened while open
// others are.
func (b *budget) share(open int) (memory int64, threads int) {
	memory = min(max(b.total/int64(open+1), minSessionMemory), b.session)
	threads = min(max(b.cores/int(b.busy.Load()+1), 1), b.cores)
	return memory, threads
}

// start counts a load or query as running and returns the function that
// ends it; it fails while the process is over the budget.
func (b *budget) start() (func(), error) {
	if rss, ok := residentBytes(); ok && rss > b.total {
		return nil, b.overError(rss)
	}
	b.busy.Add(1)
	return func() { b.busy.Add(-1) }, nil
}

func (b *budget) overError(rss int64) error {
	return &QueryError{Kind: ErrLimit, Msg: fmt.Sprintf("the server uses %s, more than its %s (the --memory-budget limit), so it starts no new work now",
		humanBytes(rss), humanBytes(b.total)), Hint: "try again in a moment; sessions free their memory when they end"}
}

// memorySize renders bytes as DuckDB reads a memory_limit.
func memorySize(n int64) string { return strconv.FormatInt(n>>20, 10) + "MiB" }
