package datasets

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// The dataset cache lets every catalog of a Manager (MCP workspaces, REST
// requests) reuse a file another catalog parsed. It is keyed by content: a
// download's SHA-256 (taken as it is written, and kept while the fetcher's
// ETag / Last-Modified revalidation finds it unchanged), or a local file's
// device, inode, size and modification time; plus the format and the load
// options that change what is read. The first catalog to load a key parses the file as usual and
// then, in the background, writes each table to a table file in the
// store's format (a DuckDB database holding table "t"); a catalog that
// loads the same key later, or while that runs (it waits), attaches the
// files read-only and names each table as a view of one. DuckDB then reads
// the rows from the file as queries need them: the table is neither parsed
// nor copied again, and its memory is pages that DuckDB can drop. Files are
// evicted least recently used beyond the cache's size (--cache-size); a
// file already attached stays readable until its catalogs close.

// DefaultCacheSize is the default bound of the dataset cache (--cache-size).
const DefaultCacheSize = 1 << 30

// dataCache holds the entries by key, least recently used last.
type dataCache struct {
	dir    string
	max    int64
	logger interface{ Warn(string, ...any) }

	mu      sync.Mutex
	entries map[string]*list.Element // of *cacheEntry
	lru     *list.List
	bytes   int64
	seq     int
}

// cacheEntry is one cached load.
type cacheEntry struct {
	key     string
	created time.Time
	ready   chan struct{} // closed when the files are written, or the load failed
	// Set before ready is closed:
	tables []cachedTable
	failed bool
	size   int64
	// attaching counts catalogs attaching the files now: eviction waits
	// for them (once attached, an unlinked file stays readable).
	attaching int
	evicted   bool
}

// cachedTable is one table of a cached load.
type cachedTable struct {
	file string
	info TableInfo // Name is the reader's table name (part), Source unset
}

func newDataCache(dir string, max int64, logger interface{ Warn(string, ...any) }) (*dataCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the dataset cache folder: %w", err)
	}
	return &dataCache{dir: dir, max: max, logger: logger, entries: map[string]*list.Element{}, lru: list.New()}, nil
}

// cacheKey is the key of a load of src, or "" when the file's identity is
// unknown: a download's content hash, else the local file's identity.
func cacheKey(src *Source, format string, opts LoadOptions) string {
	id := "sha256:" + src.SHA256
	if src.SHA256 == "" {
		fi, err := os.Stat(src.Path)
		if err != nil {
			return ""
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return ""
		}
		id = fmt.Sprintf("file:%d:%d:%d:%d", st.Dev, st.Ino, fi.Size(), fi.ModTime().UnixNano())
	}
	id += fmt.Sprintf("\x00%s\x00%s\x00%s", format, opts.Sheet, opts.Record)
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// acquire returns the entry of key. lead says the caller must load the
// file and then call fill or abandon; otherwise the entry is ready (its
// files written) or failed. It waits for a load of the same key by another
// catalog, until ctx ends.
func (dc *dataCache) acquire(ctx context.Context, key string) (e *cacheEntry, lead bool, err error) {
	for {
		dc.mu.Lock()
		if el, ok := dc.entries[key]; ok {
			e = el.Value.(*cacheEntry)
			dc.lru.MoveToFront(el)
		} else {
			e = &cacheEntry{key: key, created: time.Now(), ready: make(chan struct{})}
			dc.entries[key] = dc.lru.PushFront(e)
			dc.mu.Unlock()
			return e, true, nil
		}
		dc.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if !e.failed {
			return e, false, nil
		}
		// A failed load leaves no entry (abandon removed it): try anew.
	}
}

// abandon ends a load that failed or will not be cached.
func (dc *dataCache) abandon(e *cacheEntry) {
	dc.mu.Lock()
	if el, ok := dc.entries[e.key]; ok && el.Value == e {
		dc.lru.Remove(el)
		delete(dc.entries, e.key)
	}
	dc.mu.Unlock()
	e.failed = true
	close(e.ready)
}

// fill writes the tables the leader loaded into table files, in the
// background (the catalog stays open until it is done), and then makes the
// entry ready.
func (dc *dataCache) fill(c *Catalog, e *cacheEntry, loaded []*TableInfo) {
	infos := make([]TableInfo, len(loaded))
	for i, info := range loaded {
		infos[i] = *info
		infos[i].Columns = append([]ColumnInfo(nil), info.Columns...)
	}
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		ctx, cancel := context.WithTimeout(c.bgCtx, c.cfg.Limits.LoadTimeout)
		defer cancel()
		tables := make([]cachedTable, 0, len(infos))
		var size int64
		for i, info := range infos {
			dc.mu.Lock()
			dc.seq++
			path := filepath.Join(dc.dir, fmt.Sprintf("%s-%d-%d.duckdb", e.key, i, dc.seq))
			dc.mu.Unlock()
			err := exportTable(ctx, c, info.Name, path)
			if err != nil {
				dc.logger.Warn("dataset cache: write table file", "error", err)
				for _, t := range tables {
					os.Remove(t.file)
				}
				os.Remove(path)
				dc.abandon(e)
				return
			}
			if fi, err := os.Stat(path); err == nil {
				size += fi.Size()
			}
			t := info
			t.Name, t.Source = info.part, ""
			tables = append(tables, cachedTable{file: path, info: t})
		}
		dc.mu.Lock()
		e.tables, e.size = tables, size
		dc.bytes += size
		dc.evictLocked(e)
		dc.mu.Unlock()
		close(e.ready)
	}()
}

// evictLocked drops least recently used entries (but keep, just filled)
// until the cache is within its size.
func (dc *dataCache) evictLocked(keep *cacheEntry) {
	for el := dc.lru.Back(); el != nil && dc.bytes > dc.max; {
		prev := el.Prev()
		e := el.Value.(*cacheEntry)
		if e != keep && e.attaching == 0 && isClosed(e.ready) && !e.failed {
			dc.lru.Remove(el)
			delete(dc.entries, e.key)
			dc.bytes -= e.size
			e.evicted = true
			for _, t := range e.tables {
				os.Remove(t.file)
			}
		}
		el = prev
	}
	if keep.size > dc.max && dc.bytes > dc.max {
		// Larger than the whole cache: serve the waiters, then forget it.
		if el, ok := dc.entries[keep.key]; ok {
			dc.lru.Remove(el)
			delete(dc.entries, keep.key)
			dc.bytes -= keep.size
			keep.evicted = true
			files := keep.tables
			go func() {
				// Waiters attach while the files exist; a minute is ample.
				time.Sleep(time.Minute)
				for _, t := range files {
					os.Remove(t.file)
				}
			}()
		}
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// pin marks a ready entry as being attached; unpin ends that. It reports
// false when the entry was evicted meanwhile.
func (dc *dataCache) pin(e *cacheEntry) bool {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if e.evicted && !fileExists(e) {
		return false
	}
	e.attaching++
	return true
}

func (dc *dataCache) unpin(e *cacheEntry) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	e.attaching--
}

func fileExists(e *cacheEntry) bool {
	for _, t := range e.tables {
		if _, err := os.Stat(t.file); err != nil {
			return false
		}
	}
	return len(e.tables) > 0
}

// attachCached names the tables of a cached load in c: each a view of its
// table file, attached read-only.
func (c *Catalog) attachCached(ctx context.Context, e *cacheEntry, base, source string, explicit bool) ([]*TableInfo, error) {
	dc := c.cfg.cache
	if !dc.pin(e) {
		return nil, errors.New("evicted")
	}
	defer dc.unpin(e)
	var out []*TableInfo
	for i, t := range e.tables {
		alias := fmt.Sprintf("cache_%s_%d", e.key, i)
		name := c.nameFor(base, t.info.Name, i, len(e.tables), explicit, source, out)
		stmts := []string{
			"ATTACH IF NOT EXISTS " + sqlString(t.file) + " AS " + alias + " (READ_ONLY)",
			fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM %s.t", Ident(name), alias),
		}
		if err := c.dropRelation(ctx, name); err != nil {
			return nil, err
		}
		for i, col := range t.info.Columns {
			if col.Label != "" {
				stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", Ident(name), Ident(t.info.Columns[i].Name), sqlString(col.Label)))
			}
		}
		for _, q := range stmts {
			if _, err := c.db.ExecContext(ctx, q); err != nil {
				for _, done := range out {
					_ = c.dropRelation(context.WithoutCancel(ctx), done.Name)
				}
				_ = c.dropRelation(context.WithoutCancel(ctx), name)
				return nil, fmt.Errorf("attach cached table: %w", err)
			}
		}
		info := t.info
		info.Name, info.part = name, t.info.Name
		info.Columns = append([]ColumnInfo(nil), t.info.Columns...)
		out = append(out, &info)
	}
	return out, nil
}

// dropView drops the view called name, if there is one (a table of that
// name is left for CREATE OR REPLACE TABLE).
func (c *Catalog) dropView(ctx context.Context, name string) error {
	if isView, err := c.isView(ctx, name); err != nil || !isView {
		return err
	}
	_, err := c.db.ExecContext(ctx, "DROP VIEW IF EXISTS "+Ident(name))
	return err
}

func (c *Catalog) isView(ctx context.Context, name string) (bool, error) {
	res, err := c.internal(ctx, "SELECT count(*) FROM duckdb_views() WHERE view_name = "+sqlString(name)+" AND database_name = current_database() AND NOT internal", 1)
	if err != nil {
		return false, err
	}
	n, _ := res.Rows[0][0].(int64)
	return n > 0, nil
}

// dropRelation drops the table or view called name, if there is one.
func (c *Catalog) dropRelation(ctx context.Context, name string) error {
	isView, err := c.isView(ctx, name)
	if err != nil {
		return err
	}
	kind := "TABLE"
	if isView {
		kind = "VIEW"
	}
	_, err = c.db.ExecContext(ctx, "DROP "+kind+" IF EXISTS "+Ident(name))
	return err
}
