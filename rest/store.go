package rest

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Bounds of the chart store; the oldest charts are evicted first.
const (
	maxStoredCharts = 1000
	maxStoredBytes  = 256 << 20
)

// chartStore keeps rendered chart images in memory for a while, under
// unguessable ids. It is safe for concurrent use.
type chartStore struct {
	ttl      time.Duration
	now      func() time.Time
	maxCount int
	maxBytes int

	mu    sync.Mutex
	items map[string]storedChart
	order []string // ids, oldest first; all share one TTL, so also by expiry
	bytes int
}

type storedChart struct {
	png     []byte
	expires time.Time
}

func newChartStore(ttl time.Duration, now func() time.Time) *chartStore {
	return &chartStore{ttl: ttl, now: now, maxCount: maxStoredCharts, maxBytes: maxStoredBytes, items: map[string]storedChart{}}
}

// newID returns 128 random bits in hex.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// validID reports whether s could be an id newID made.
func validID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// put stores png and returns its id, evicting expired charts and then the
// oldest ones until the store is within its bounds. A chart larger than the
// whole store is not kept; put then returns "".
func (s *chartStore) put(png []byte) string {
	if len(png) > s.maxBytes {
		return ""
	}
	id := newID()
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(now)
	for len(s.order) > 0 && (len(s.order) >= s.maxCount || s.bytes+len(png) > s.maxBytes) {
		s.removeOldestLocked()
	}
	s.items[id] = storedChart{png: png, expires: now.Add(s.ttl)}
	s.order = append(s.order, id)
	s.bytes += len(png)
	return id
}

// get returns the chart and how long it stays, or false when it is unknown
// or expired.
func (s *chartStore) get(id string) ([]byte, time.Duration, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.items[id]
	if !ok || !now.Before(c.expires) {
		s.expireLocked(now)
		return nil, 0, false
	}
	return c.png, c.expires.Sub(now), true
}

// len returns how many charts are stored.
func (s *chartStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func (s *chartStore) expireLocked(now time.Time) {
	for len(s.order) > 0 {
		c := s.items[s.order[0]]
		if now.Before(c.expires) {
			return
		}
		s.removeOldestLocked()
	}
}

func (s *chartStore) removeOldestLocked() {
	id := s.order[0]
	s.order[0] = ""
	s.order = s.order[1:]
	s.bytes -= len(s.items[id].png)
	delete(s.items, id)
	// Let the backing array be collected now and then.
	if cap(s.order) > 4*s.maxCount && len(s.order) < s.maxCount {
		s.order = append([]string(nil), s.order...)
	}
}
