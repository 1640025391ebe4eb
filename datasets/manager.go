package datasets

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Source is a file ready to load: what a Fetcher returns.
type Source struct {
	// Path is the local file to read.
	Path string
	// Name is the base name used to name the table (no directory, no query).
	Name string
	// Ext is the lower-case extension including compression, e.g. ".csv.gz".
	Ext string
	// ContentType is the HTTP Content-Type, or "" for local files.
	ContentType string
	// Size is the file size in bytes.
	Size int64
	// Remote says the file was downloaded (it then lies in the fetch cache and
	// is linked into the session's staging folder before DuckDB reads it).
	Remote bool
}

// Fetcher turns a client-given path or URL into a local file, applying the
// guards (allowed roots, private addresses, size and time caps).
type Fetcher interface {
	Fetch(ctx context.Context, source string, progress func(done, total int64)) (*Source, error)
}

// Config configures a Manager. Zero values take the documented defaults.
type Config struct {
	// StagingRoot is the folder under which each session gets a private staging
	// folder (default: a new folder under os.TempDir()).
	StagingRoot string
	// ReadDirs are folders DuckDB itself may read (the resolved --allow-dir roots).
	ReadDirs []string
	// MemoryLimit is DuckDB's memory_limit per session (default "2GB").
	MemoryLimit string
	// Threads is DuckDB's thread count per session (default 2).
	Threads int
	// QueryTimeout cancels client queries that run longer (default 30s).
	QueryTimeout time.Duration
	// MaxRows caps the rows a query returns (default 1000).
	MaxRows int
	// MaxChars caps the characters of a query's cells taken together (default 50000).
	MaxChars int
	// Limits bound every load (see Limits for the defaults).
	Limits Limits
	// Fetcher resolves sources; nil refuses every source.
	Fetcher Fetcher
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger
}

func (c *Config) defaults() {
	if c.MemoryLimit == "" {
		c.MemoryLimit = "2GB"
	}
	if c.Threads <= 0 {
		c.Threads = 2
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 30 * time.Second
	}
	if c.MaxRows <= 0 {
		c.MaxRows = 1000
	}
	if c.MaxChars <= 0 {
		c.MaxChars = 50000
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Limits.defaults()
}

// Manager holds one Catalog per client session.
type Manager struct {
	cfg     Config
	mu      sync.Mutex
	catalog map[string]*Catalog
	ownRoot bool
	closed  bool
}

// NewManager returns a Manager for cfg.
func NewManager(cfg Config) (*Manager, error) {
	cfg.defaults()
	m := &Manager{catalog: map[string]*Catalog{}}
	if cfg.StagingRoot == "" {
		dir, err := os.MkdirTemp("", "datachat-")
		if err != nil {
			return nil, fmt.Errorf("create staging root: %w", err)
		}
		cfg.StagingRoot = dir
		m.ownRoot = true
	} else if err := os.MkdirAll(cfg.StagingRoot, 0o700); err != nil {
		return nil, fmt.Errorf("create staging root: %w", err)
	}
	root, err := filepath.EvalSymlinks(cfg.StagingRoot)
	if err != nil {
		return nil, fmt.Errorf("resolve staging root: %w", err)
	}
	cfg.StagingRoot = root
	m.cfg = cfg
	return m, nil
}

// Config returns the manager's effective configuration.
func (m *Manager) Config() Config { return m.cfg }

// Catalog returns the session's catalog, creating it on first use.
func (m *Manager) Catalog(ctx context.Context, session string) (*Catalog, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	if c, ok := m.catalog[session]; ok {
		c.touch()
		return c, nil
	}
	c, err := openCatalog(ctx, m.cfg, session)
	if err != nil {
		return nil, err
	}
	m.catalog[session] = c
	m.cfg.Logger.Debug("session catalog opened", "session", session)
	return c, nil
}

// Lookup returns the session's catalog if it exists, without creating one.
func (m *Manager) Lookup(session string) (*Catalog, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.catalog[session]
	return c, ok
}

// Drop closes and forgets the session's catalog, freeing its memory and files.
func (m *Manager) Drop(session string) {
	m.mu.Lock()
	c, ok := m.catalog[session]
	delete(m.catalog, session)
	m.mu.Unlock()
	if ok {
		if err := c.Close(); err != nil {
			m.cfg.Logger.Warn("close session catalog", "session", session, "error", err)
		}
	}
}

// Sessions returns how many catalogs are open.
func (m *Manager) Sessions() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.catalog)
}

// ExpireIdle drops every catalog unused for longer than ttl and returns how
// many it dropped.
func (m *Manager) ExpireIdle(ttl time.Duration) int {
	m.mu.Lock()
	var idle []string
	for id, c := range m.catalog {
		if c.idleFor() > ttl {
			idle = append(idle, id)
		}
	}
	m.mu.Unlock()
	for _, id := range idle {
		m.cfg.Logger.Info("session expired", "session", id, "idle_ttl", ttl)
		m.Drop(id)
	}
	return len(idle)
}

// RunExpiry drops idle catalogs every ttl/4 until ctx ends.
func (m *Manager) RunExpiry(ctx context.Context, ttl time.Duration) {
	tick := time.NewTicker(max(ttl/4, time.Second))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			m.ExpireIdle(ttl)
		}
	}
}

// Close closes every catalog and removes the staging root if the manager made it.
func (m *Manager) Close() error {
	m.mu.Lock()
	m.closed = true
	cats := m.catalog
	m.catalog = map[string]*Catalog{}
	m.mu.Unlock()
	for _, c := range cats {
		_ = c.Close()
	}
	if m.ownRoot {
		return os.RemoveAll(m.cfg.StagingRoot)
	}
	return nil
}
