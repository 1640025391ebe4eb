package rest

import (
	"context"
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

// chartStore keeps charts in memory for a while, under unguessable ids. A
// chart is drawn when its link is first fetched, not when the answer that
// links it is written: answers whose images nobody loads cost no rendering.
// It is safe for concurrent use.
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
	*lazyPNG
	size    int // bytes counted in the store's bound
	expires time.Time
}

// lazyPNG is a chart image drawn once, on first use.
type lazyPNG struct {
	once   sync.Once
	render func(ctx context.Context) ([]byte, error)
	png    []byte
	err    error
}

// renderTimeout bounds the drawing of one chart.
const renderTimeout = 30 * time.Second

func (l *lazyPNG) get() ([]byte, error) {
	l.once.Do(func() {
		// Drawn for whoever asks first, also when that client goes away.
		ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
		defer cancel()
		l.png, l.err = l.render(ctx)
		l.render = nil // the rows it drew from are no longer needed
	})
	return l.png, l.err
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

// put stores a chart that render draws, counting size bytes for it until
// it is drawn (then the image's), and returns its id, evicting expired
// charts and then the oldest ones until the store is within its bounds. A
// chart larger than the whole store is not kept; put then returns "".
func (s *chartStore) put(render func(ctx context.Context) ([]byte, error), size int) string {
	if size > s.maxBytes {
		return ""
	}
	id := newID()
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.makeRoomLocked(now, size)
	s.items[id] = storedChart{lazyPNG: &lazyPNG{render: render}, size: size, expires: now.Add(s.ttl)}
	s.order = append(s.order, id)
	s.bytes += size
	return id
}

// makeRoomLocked evicts expired charts, then the oldest, until size more
// bytes and one more chart fit.
func (s *chartStore) makeRoomLocked(now time.Time, size int) {
	s.expireLocked(now)
	for len(s.order) > 0 && (len(s.order) >= s.maxCount || s.bytes+size > s.maxBytes) {
		s.removeOldestLocked()
	}
}

// get returns the chart's image, drawing it on first use, and how long it
// stays; false when it is unknown or expired.
func (s *chartStore) get(id string) ([]byte, time.Duration, bool, error) {
	now := s.now()
	s.mu.Lock()
	c, ok := s.items[id]
	if !ok || !now.Before(c.expires) {
		s.expireLocked(now)
		s.mu.Unlock()
		return nil, 0, false, nil
	}
	s.mu.Unlock()
	png, err := c.get()
	if err != nil {
		return nil, 0, true, err
	}
	if len(png) != c.size {
		// Count the image instead of the estimate, if still stored.
		s.mu.Lock()
		if cur, ok := s.items[id]; ok && cur.lazyPNG == c.lazyPNG && cur.size == c.size {
			s.bytes += len(png) - c.size
			cur.size = len(png)
			s.items[id] = cur
		}
		s.mu.Unlock()
	}
	return png, c.expires.Sub(now), true, nil
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
	s.bytes -= s.items[id].size
	delete(s.items, id)
	// Let the backing array be collected now and then.
	if cap(s.order) > 4*s.maxCount && len(s.order) < s.maxCount {
		s.order = append([]string(nil), s.order...)
	}
}
