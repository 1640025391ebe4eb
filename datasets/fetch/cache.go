package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// cacheKey names a URL's cache entry: the hex SHA-256 of the URL.
func cacheKey(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	return hex.EncodeToString(sum[:])
}

// meta is the sidecar JSON kept next to a cached download.
type meta struct {
	Key          string    `json:"key"`
	URL          string    `json:"url"` // redacted, for people reading the cache
	File         string    `json:"file"`
	Name         string    `json:"name"`
	Ext          string    `json:"ext"`
	ContentType  string    `json:"content_type,omitempty"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	SHA256       string    `json:"sha256,omitempty"`
}

// maxMetaBytes bounds what is read of a sidecar file.
const maxMetaBytes = 64 << 10

func (f *Fetcher) metaPath(key string) string {
	return filepath.Join(f.cacheDir, key+".json")
}

// readMeta returns the cache entry for key if its sidecar is sound, names a
// file of this key, and that file exists with the recorded size; otherwise
// nil, and the URL is downloaded afresh.
func (f *Fetcher) readMeta(key string) *meta {
	fh, err := os.Open(f.metaPath(key))
	if err != nil {
		return nil
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxMetaBytes))
	if err != nil {
		return nil
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil
	}
	if m.Key != key || !validExt(m.Ext) || m.File != key+m.Ext || (m.ETag == "" && m.LastModified == "") {
		return nil
	}
	st, err := os.Stat(filepath.Join(f.cacheDir, m.File))
	if err != nil || !st.Mode().IsRegular() || st.Size() != m.Size {
		return nil
	}
	return &m
}

// writeMeta writes a sidecar atomically (temp file, then rename).
func (f *Fetcher) writeMeta(m *meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.cacheDir, m.Key+".*.json.part")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), f.metaPath(m.Key)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// staleParts is the age after which a temp file in the cache is taken to
// be left over from a crashed process: far longer than any fetch may last.
const staleParts = 24 * time.Hour

// sweepParts removes temp files older than before from the cache directory.
// Failures only leave litter, so they are ignored.
func (f *Fetcher) sweepParts(before time.Time) {
	parts, _ := filepath.Glob(filepath.Join(f.cacheDir, "*.part"))
	for _, p := range parts {
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() && st.ModTime().Before(before) {
			_ = os.Remove(p)
		}
	}
}

// keyLocks serialises fetches of the same URL within one Fetcher, so the
// second of two concurrent fetches revalidates what the first downloaded.
// Across processes sharing a cache, atomic renames keep files whole.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{}
	refs int
}

// lock waits for the lock of key, or for ctx to end.
func (l *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[string]*keyLock)
	}
	kl := l.m[key]
	if kl == nil {
		kl = &keyLock{ch: make(chan struct{}, 1)}
		l.m[key] = kl
	}
	kl.refs++
	l.mu.Unlock()

	release := func() {
		l.mu.Lock()
		kl.refs--
		if kl.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
	select {
	case kl.ch <- struct{}{}:
		return func() {
			<-kl.ch
			release()
		}, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
