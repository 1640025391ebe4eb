package rest

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"

	"datachat/chat"
	"datachat/datasets"
)

// The answer cache replays the answer to a request asked before: the same
// conversation and model about the same data, whatever the request's
// catalog is called. Data is the same when every table carries the same
// dataset-cache version (datasets.TableInfo.Version): equal versions hold
// equal rows. Requests asked at the same time wait for the first one's
// answer. It is bounded by bytes and forgets the least recently used.

// maxAnswerBytes bounds the answer cache.
const maxAnswerBytes = 64 << 20

type answerCache struct {
	max int

	mu      sync.Mutex
	entries map[string]*list.Element // of *answerEntry
	lru     *list.List
	bytes   int
}

type answerEntry struct {
	key   string
	ready chan struct{}
	ans   *chat.Answer // nil when the answer failed
	size  int
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{max: max, entries: map[string]*list.Element{}, lru: list.New()}
}

// answerKey is the key of a request about cat's tables, or "" when a table
// has no version (its data is not known to be unchanged).
func answerKey(ctx context.Context, cat *datasets.Catalog, req chat.Request) string {
	tables := cat.Tables(ctx)
	if len(tables) == 0 {
		return ""
	}
	type part struct{ Name, Version string }
	parts := make([]part, 0, len(tables))
	for _, t := range tables {
		if t.Version == "" {
			return ""
		}
		parts = append(parts, part{t.Name, t.Version})
	}
	slices.SortFunc(parts, func(a, b part) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	b, err := json.Marshal(struct {
		Tables  []part
		Request chat.Request
	}{parts, req})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// acquire returns the entry of key; lead says the caller computes the
// answer and must call done. Otherwise the entry is ready (its answer nil
// when the first computation failed), or ctx ended (nil entry).
func (ac *answerCache) acquire(ctx context.Context, key string) (*answerEntry, bool) {
	ac.mu.Lock()
	if el, ok := ac.entries[key]; ok {
		ac.lru.MoveToFront(el)
		e := el.Value.(*answerEntry)
		ac.mu.Unlock()
		select {
		case <-e.ready:
			return e, false
		case <-ctx.Done():
			return nil, false
		}
	}
	e := &answerEntry{key: key, ready: make(chan struct{})}
	ac.entries[key] = ac.lru.PushFront(e)
	ac.mu.Unlock()
	return e, true
}

// done records the leader's answer (nil on failure, which is not kept).
func (ac *answerCache) done(e *answerEntry, ans *chat.Answer) {
	ac.mu.Lock()
	if ans == nil {
		if el, ok := ac.entries[e.key]; ok && el.Value == e {
			ac.lru.Remove(el)
			delete(ac.entries, e.key)
		}
	} else {
		e.ans, e.size = ans, answerSize(ans)
		ac.bytes += e.size
		for el := ac.lru.Back(); el != nil && ac.bytes > ac.max; {
			prev := el.Prev()
			if old := el.Value.(*answerEntry); old != e && isDone(old.ready) {
				ac.lru.Remove(el)
				delete(ac.entries, old.key)
				ac.bytes -= old.size
			}
			el = prev
		}
	}
	ac.mu.Unlock()
	close(e.ready)
}

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// answerSize estimates the bytes an answer holds.
func answerSize(a *chat.Answer) int {
	n := 512 + len(a.Text) + len(a.SQL)
	if a.Table != nil {
		n += 32 * len(a.Table.Rows) * max(len(a.Table.Columns), 1)
	}
	for _, c := range a.Charts {
		n += 256 + 32*len(c.Data.Rows)*max(len(c.Data.Columns), 1)
	}
	return n
}
