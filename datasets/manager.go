package datasets

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
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
	// SHA256 is the hex SHA-256 of a download's bytes, or "" when unknown.
	SHA256 string
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
	// DataDir, when set, stores every workspace there (--data-dir): tables
	// survive restarts and are served by every process given the same
	// folder. Empty keeps workspaces in memory only.
	DataDir string
	// WorkspaceTTL removes workspaces unused for longer, with their files
	// (default DefaultWorkspaceTTL in memory, DefaultStoredWorkspaceTTL
	// with DataDir).
	WorkspaceTTL time.Duration
	// CacheSize bounds the dataset cache's table files in bytes (--cache-size;
	// default DefaultCacheSize; negative turns the cache off).
	CacheSize int64
	// MemoryLimit is the most DuckDB memory one session may have (default
	// "2GB"); each session gets its share of MemoryBudget, up to this.
	MemoryLimit string
	// MemoryBudget is what the whole server may use, in bytes
	// (--memory-budget; default DefaultMemoryBudget()): sessions share it,
	// and no work starts while the process is over it.
	MemoryBudget int64
	// Threads is DuckDB's thread count per session; 0 (the default) chooses
	// it when the session opens, from the cores and the work running then.
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
	// Now tells the time (default time.Now); tests move it to expire workspaces.
	Now func() time.Time

	cache  *dataCache // set by NewManager
	budget *budget    // set by NewManager
}

// Defaults of Config.
const (
	DefaultWorkspaceTTL       = 30 * time.Minute
	DefaultStoredWorkspaceTTL = 7 * 24 * time.Hour
	// memoryIdle is how long a stored workspace stays in memory unused; it
	// is read back from the data directory on its next use.
	memoryIdle = 30 * time.Minute
)

func (c *Config) defaults() {
	if c.MemoryLimit == "" {
		c.MemoryLimit = "2GB"
	}
	if c.MemoryBudget <= 0 {
		c.MemoryBudget = DefaultMemoryBudget()
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
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.WorkspaceTTL <= 0 {
		c.WorkspaceTTL = DefaultWorkspaceTTL
		if c.DataDir != "" {
			c.WorkspaceTTL = DefaultStoredWorkspaceTTL
		}
	}
}

// Manager holds workspaces: sets of tables, each workspace one Catalog (a
// private in-memory DuckDB), addressed by a handle the Manager mints. A
// client session (MCP before 2025-11-25 and earlier, stdio) is mapped to a
// workspace of its own; stateless clients carry handles. With a DataDir
// every workspace is also stored on disk.
type Manager struct {
	cfg   Config
	store *store // nil: memory only

	mu       sync.Mutex
	open     map[string]*workspace // by handle: the workspaces in memory
	sessions map[string]string     // session → handle
	scratch  map[*Catalog]bool
	closed   bool
	ownRoot  bool
	release  func() // unlocks an own staging root
	stop     chan struct{}
	stopped  chan struct{}
	key      []byte
}

// workspace is a workspace loaded in this process.
type workspace struct {
	handle  string
	cat     *Catalog
	version atomic.Int64      // the manifest version cat reflects
	files   map[string]string // table → stored file (under cat.loadMu)
	touched time.Time         // last time the store was told of a use (under Manager.mu)
}

// NewManager returns a Manager for cfg. It expires idle workspaces in the
// background until Close.
func NewManager(cfg Config) (*Manager, error) {
	cfg.defaults()
	m := &Manager{open: map[string]*workspace{}, sessions: map[string]string{}, scratch: map[*Catalog]bool{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	if cfg.StagingRoot == "" {
		dir, release, err := newStagingRoot(cfg.Logger)
		if err != nil {
			return nil, fmt.Errorf("create staging root: %w", err)
		}
		cfg.StagingRoot = dir
		m.ownRoot, m.release = true, release
	} else if err := os.MkdirAll(cfg.StagingRoot, 0o700); err != nil {
		return nil, fmt.Errorf("create staging root: %w", err)
	}
	root, err := filepath.EvalSymlinks(cfg.StagingRoot)
	if err != nil {
		return nil, fmt.Errorf("resolve staging root: %w", err)
	}
	cfg.StagingRoot = root
	if cfg.DataDir != "" {
		if m.store, err = openStore(cfg.DataDir, cfg.Now); err != nil {
			m.removeRoot()
			return nil, err
		}
		cfg.DataDir = m.store.dir
		m.key = m.store.key
	} else {
		m.key = make([]byte, 32)
		_, _ = rand.Read(m.key)
	}
	session, err := parseMemory(cfg.MemoryLimit)
	if err != nil {
		m.removeRoot()
		return nil, fmt.Errorf("--memory-limit: %w", err)
	}
	cfg.budget = newBudget(cfg.MemoryBudget, session)
	if cfg.CacheSize > 0 {
		if cfg.cache, err = newDataCache(filepath.Join(cfg.StagingRoot, "cache"), cfg.CacheSize, cfg.Logger); err != nil {
			m.removeRoot()
			return nil, err
		}
		// Every catalog may read the cache's table files.
		cfg.ReadDirs = append(slices.Clone(cfg.ReadDirs), cfg.cache.dir)
	}
	m.cfg = cfg
	go m.runExpiry()
	return m, nil
}

// Config returns the manager's effective configuration.
func (m *Manager) Config() Config { return m.cfg }

// Key returns a 32-byte secret that every process sharing the data
// directory knows (random per process without one), for signing.
func (m *Manager) Key() []byte { return m.key }

// catalogConfig is the configuration of a new catalog: its share of the
// memory budget and of the cores, and with a data directory, DuckDB may
// also read and write the table files.
func (m *Manager) catalogConfig() Config {
	cfg := m.cfg
	m.mu.Lock()
	open := len(m.open) + len(m.scratch)
	m.mu.Unlock()
	memory, threads := cfg.budget.share(open)
	cfg.MemoryLimit = memorySize(memory)
	if cfg.Threads <= 0 {
		cfg.Threads = threads
	}
	if m.store != nil {
		cfg.ReadDirs = append(slices.Clone(cfg.ReadDirs), m.store.tables, m.store.tmp)
	}
	return cfg
}

// Catalog returns the session's workspace, creating it on first use.
func (m *Manager) Catalog(ctx context.Context, session string) (*Catalog, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, ErrClosed
	}
	handle, ok := m.sessions[session]
	m.mu.Unlock()
	if ok {
		c, err := m.Open(ctx, handle)
		if err == nil {
			return c, nil
		}
		// The session's workspace expired: the session gets a new one.
		m.cfg.Logger.Debug("session workspace gone", "session", session, "error", err)
	}
	c, err := m.Create(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.sessions[session] = c.Workspace()
	m.mu.Unlock()
	m.cfg.Logger.Debug("session workspace opened", "session", session)
	return c, nil
}

// Lookup returns the session's workspace if it is open, without creating one.
func (m *Manager) Lookup(session string) (*Catalog, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ws, ok := m.open[m.sessions[session]]; ok {
		return ws.cat, true
	}
	return nil, false
}

// Adopt makes handle the session's workspace (a session client named it).
func (m *Manager) Adopt(session, handle string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[session] = handle
}

// Drop ends a session: its workspace leaves memory, and without a data
// directory it is gone; a stored workspace stays until it expires.
func (m *Manager) Drop(session string) {
	m.mu.Lock()
	handle, ok := m.sessions[session]
	delete(m.sessions, session)
	m.mu.Unlock()
	if ok {
		m.closeWorkspace(handle)
	}
}

// Sessions returns how many catalogs are open (workspaces in memory and
// scratch catalogs).
func (m *Manager) Sessions() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.open) + len(m.scratch)
}

// Create makes a new, empty workspace with a new handle.
func (m *Manager) Create(ctx context.Context) (*Catalog, error) {
	handle := NewHandle()
	var man *manifest
	if m.store != nil {
		var err error
		if man, err = m.store.create(handle); err != nil {
			return nil, err
		}
	}
	c, err := openCatalog(ctx, m.catalogConfig(), handle)
	if err != nil {
		if m.store != nil {
			_ = m.store.remove(handle)
		}
		return nil, err
	}
	ws := &workspace{handle: handle, cat: c, files: map[string]string{}, touched: m.cfg.Now()}
	if man != nil {
		ws.version.Store(man.Version)
	}
	if ws, err = m.register(ws); err != nil {
		return nil, err
	}
	return ws.cat, nil
}

// register makes a newly opened workspace known, unless the manager closed
// or another request opened the same workspace meanwhile (that one wins).
func (m *Manager) register(ws *workspace) (*workspace, error) {
	m.hook(ws)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		ws.cat.Close()
		return nil, ErrClosed
	}
	if other, ok := m.open[ws.handle]; ok {
		ws.cat.Close()
		return other, nil
	}
	m.open[ws.handle] = ws
	return ws, nil
}

// Open returns the workspace with the given handle, as the data directory
// has it now when there is one (so a process sees what another loaded).
// An unknown or expired handle is ErrUnknownWorkspace.
func (m *Manager) Open(ctx context.Context, handle string) (*Catalog, error) {
	if !ValidHandle(handle) {
		return nil, m.unknownWorkspace(handle)
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, ErrClosed
	}
	ws := m.open[handle]
	m.mu.Unlock()
	if m.store == nil {
		if ws == nil {
			return nil, m.unknownWorkspace(handle)
		}
		ws.cat.touch()
		return ws.cat, nil
	}
	man, err := m.store.read(handle)
	if err == errNoWorkspace {
		if ws != nil {
			// Another process expired it.
			m.closeWorkspace(handle)
		}
		return nil, m.unknownWorkspace(handle)
	}
	if err != nil {
		return nil, err
	}
	if ws == nil {
		if ws, err = m.restore(ctx, handle); err != nil {
			return nil, err
		}
	}
	if err := m.sync(ctx, ws, man); err != nil {
		return nil, err
	}
	ws.cat.touch()
	m.markUsed(ws)
	return ws.cat, nil
}

// restore opens a stored workspace in memory, empty; sync fills it.
func (m *Manager) restore(ctx context.Context, handle string) (*workspace, error) {
	c, err := openCatalog(ctx, m.catalogConfig(), handle)
	if err != nil {
		return nil, err
	}
	return m.register(&workspace{handle: handle, cat: c, files: map[string]string{}})
}

// sync makes the in-memory workspace hold what the manifest lists.
func (m *Manager) sync(ctx context.Context, ws *workspace, man *manifest) error {
	c := ws.cat
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	if ws.version.Load() == man.Version {
		return nil
	}
	want := map[string]bool{}
	for _, e := range man.Tables {
		want[e.Name] = true
		if ws.files[e.Name] == e.File && c.hasTable(e.Name) {
			continue
		}
		if err := m.store.readTable(ctx, c, e); err != nil {
			return err
		}
		c.addTable(&TableInfo{Name: e.Name, Source: e.Source, Format: e.Format, Label: e.Label, Rows: e.Rows,
			Columns: slices.Clone(e.Columns), LoadedAt: e.LoadedAt})
		ws.files[e.Name] = e.File
	}
	for _, t := range c.Tables(ctx) {
		if !want[t.Name] {
			c.removeTable(ctx, t.Name)
			delete(ws.files, t.Name)
		}
	}
	c.setResults(man.Results)
	ws.version.Store(man.Version)
	return nil
}

// hook makes the catalog store its loads (when there is a data directory).
func (m *Manager) hook(ws *workspace) {
	if m.store == nil {
		return
	}
	ws.cat.afterLoad = func(ctx context.Context, opts LoadOptions, infos []TableInfo) error {
		return m.save(ctx, ws, opts, infos)
	}
	ws.cat.afterResult = func(id, query string) error {
		base, next, err := m.store.update(ws.handle, func(man *manifest) {
			if man.Results == nil {
				man.Results = map[string]string{}
			}
			man.Results[id] = query
		})
		if err == nil {
			ws.version.CompareAndSwap(base.Version, next.Version)
		}
		return err
	}
}

// save writes newly loaded tables to the data directory and lists them in
// the workspace's manifest. It runs under the catalog's load lock.
func (m *Manager) save(ctx context.Context, ws *workspace, opts LoadOptions, infos []TableInfo) error {
	entries := make([]tableEntry, 0, len(infos))
	for _, info := range infos {
		file, err := m.store.writeTable(ctx, ws.cat, info.Name)
		if err != nil {
			return err
		}
		entries = append(entries, tableEntry{Name: info.Name, File: file, Source: info.Source, Format: info.Format,
			Options: loadRecord{Name: opts.Name, Format: opts.Format, Sheet: opts.Sheet, Record: opts.Record},
			Label:   info.Label, Rows: info.Rows, Columns: info.Columns, LoadedAt: info.LoadedAt.UTC()})
	}
	base, next, err := m.store.update(ws.handle, func(man *manifest) {
		for _, e := range entries {
			i := slices.IndexFunc(man.Tables, func(t tableEntry) bool { return t.Name == e.Name })
			if i >= 0 {
				man.Tables[i] = e
			} else {
				man.Tables = append(man.Tables, e)
			}
		}
	})
	if err == errNoWorkspace {
		return m.unknownWorkspace(ws.handle)
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		ws.files[e.Name] = e.File
	}
	// When another process changed the workspace meanwhile, the next Open
	// reads its tables; otherwise memory now matches the manifest.
	ws.version.CompareAndSwap(base.Version, next.Version)
	return nil
}

// markUsed tells the store of a use, at most once a minute per workspace.
func (m *Manager) markUsed(ws *workspace) {
	now := m.cfg.Now()
	m.mu.Lock()
	due := now.Sub(ws.touched) >= time.Minute
	if due {
		ws.touched = now
	}
	m.mu.Unlock()
	if due {
		m.store.touch(ws.handle)
	}
}

func (m *Manager) unknownWorkspace(handle string) error {
	return fmt.Errorf("%w %q: this server has no such workspace, or it expired after %s unused; load the files again with load_file, which returns a new workspace",
		ErrUnknownWorkspace, clip(handle, 60), m.cfg.WorkspaceTTL)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Scratch returns a new catalog that belongs to no workspace and is never
// stored (a REST request's, or a stateless read without a workspace). The
// caller closes it.
func (m *Manager) Scratch(ctx context.Context) (*Catalog, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, ErrClosed
	}
	m.mu.Unlock()
	c, err := openCatalog(ctx, m.scratchConfig(), "")
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.scratch[c] = true
	m.mu.Unlock()
	c.onClose = func() {
		m.mu.Lock()
		delete(m.scratch, c)
		m.mu.Unlock()
	}
	return c, nil
}

// scratchConfig is catalogConfig without the data directory.
func (m *Manager) scratchConfig() Config {
	cfg := m.catalogConfig()
	cfg.ReadDirs = m.cfg.ReadDirs
	return cfg
}

// closeWorkspace frees a workspace's memory; without a data directory that
// deletes it.
func (m *Manager) closeWorkspace(handle string) {
	m.mu.Lock()
	ws, ok := m.open[handle]
	delete(m.open, handle)
	if m.store == nil {
		for s, h := range m.sessions {
			if h == handle {
				delete(m.sessions, s)
			}
		}
	}
	m.mu.Unlock()
	if ok {
		if err := ws.cat.Close(); err != nil {
			m.cfg.Logger.Warn("close workspace", "error", err)
		}
	}
}

// Delete removes a workspace from memory and from the data directory.
func (m *Manager) Delete(handle string) error {
	m.closeWorkspace(handle)
	if m.store != nil {
		return m.store.remove(handle)
	}
	return nil
}

// ExpireIdle removes workspaces unused for longer than the WorkspaceTTL
// (from memory and from the data directory) and frees the memory of stored
// workspaces unused for a while. It returns how many workspaces it removed
// or freed.
func (m *Manager) ExpireIdle() int {
	now := m.cfg.Now()
	memoryTTL := m.cfg.WorkspaceTTL
	if m.store != nil {
		memoryTTL = min(memoryTTL, memoryIdle)
	}
	m.mu.Lock()
	var idle []string
	for h, ws := range m.open {
		if now.Sub(ws.cat.lastUse()) > memoryTTL {
			idle = append(idle, h)
		}
	}
	m.mu.Unlock()
	for _, h := range idle {
		m.cfg.Logger.Info("workspace idle", "stored", m.store != nil, "idle_ttl", memoryTTL)
		m.closeWorkspace(h)
	}
	if m.store == nil {
		return len(idle)
	}
	removed, err := m.store.expire(now.Add(-m.cfg.WorkspaceTTL), max(time.Hour, m.cfg.WorkspaceTTL/4))
	if err != nil {
		m.cfg.Logger.Warn("expire stored workspaces", "error", err)
	}
	if len(removed) > 0 {
		gone := map[string]bool{}
		for _, d := range removed {
			gone[d] = true
		}
		m.mu.Lock()
		var handles []string
		for h := range m.open {
			if gone[m.store.wsDir(h)] {
				handles = append(handles, h)
			}
		}
		m.mu.Unlock()
		for _, h := range handles {
			m.closeWorkspace(h)
		}
		m.cfg.Logger.Info("workspaces expired", "count", len(removed), "ttl", m.cfg.WorkspaceTTL)
	}
	return len(idle) + len(removed)
}

// runExpiry calls ExpireIdle every few minutes until Close.
func (m *Manager) runExpiry() {
	defer close(m.stopped)
	tick := time.NewTicker(min(max(m.cfg.WorkspaceTTL/8, time.Second), 5*time.Minute))
	defer tick.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-tick.C:
			m.ExpireIdle()
		}
	}
}

// Close closes every catalog and removes the staging root if the manager
// made it. Stored workspaces stay in the data directory.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	open := m.open
	scratch := m.scratch
	m.open = map[string]*workspace{}
	m.scratch = map[*Catalog]bool{}
	m.mu.Unlock()
	close(m.stop)
	<-m.stopped
	// Shutting down: table files still being written for the dataset
	// cache are given up, not waited for.
	for _, ws := range open {
		ws.cat.abort()
		_ = ws.cat.Close()
	}
	for c := range scratch {
		c.abort()
		_ = c.Close()
	}
	return m.removeRoot()
}

func (m *Manager) removeRoot() error {
	if m.ownRoot {
		err := os.RemoveAll(m.cfg.StagingRoot)
		m.release()
		return err
	}
	return nil
}
