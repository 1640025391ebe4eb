package datasets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Catalog is one session's tables: a private in-memory DuckDB whose file and
// network access is limited to the session's staging folder and the allowed
// read roots, with its configuration locked.
type Catalog struct {
	cfg     Config
	session string
	staging string
	db      *sql.DB
	// serialize parses client SQL into its syntax tree (the sandbox's
	// first check), prepared once for the catalog.
	serialize *sql.Stmt

	mu     sync.RWMutex // guards tables and order
	tables map[string]*TableInfo
	order  []string

	loadMu   sync.Mutex // one load at a time: naming and staging stay simple
	ingests  ingests
	profiles profiles // describe's statistics, computed on first use
	// background counts work that outlives a call (writing the dataset
	// cache's table files); Close waits for it, abort cancels it.
	background sync.WaitGroup
	bgCtx      context.Context
	abort      context.CancelFunc
	lastUsed   atomic.Int64
	closed     atomic.Bool

	workspaceState // the workspace the catalog holds (workspace.go)
}

func openCatalog(ctx context.Context, cfg Config, session string) (*Catalog, error) {
	staging, err := os.MkdirTemp(cfg.StagingRoot, "s-")
	if err != nil {
		return nil, fmt.Errorf("create session staging folder: %w", err)
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		os.RemoveAll(staging)
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	c := &Catalog{cfg: cfg, session: session, staging: staging, db: db, tables: map[string]*TableInfo{}}
	c.bgCtx, c.abort = context.WithCancel(context.Background())
	if err := c.sandbox(ctx); err != nil {
		db.Close()
		os.RemoveAll(staging)
		return nil, err
	}
	if c.serialize, err = db.PrepareContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR"); err != nil {
		c.Close()
		return nil, fmt.Errorf("prepare the SQL check: %w", err)
	}
	if err := c.registerIngest(ctx); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.loadKeywords(ctx); err != nil {
		c.Close()
		return nil, err
	}
	c.touch()
	return c, nil
}

// keywords are DuckDB's keywords that cannot be used unquoted as a table
// name; derived table names avoid them.
var (
	keywordsOnce sync.Once
	keywords     map[string]bool
)

func (c *Catalog) loadKeywords(ctx context.Context) error {
	var err error
	keywordsOnce.Do(func() {
		var res *Result
		res, err = c.internal(ctx, "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <> 'unreserved'", 10000)
		if err != nil {
			return
		}
		keywords = map[string]bool{}
		for _, r := range res.Rows {
			keywords[strings.ToLower(r[0].(string))] = true
		}
	})
	if err != nil {
		return fmt.Errorf("read keywords: %w", err)
	}
	return nil
}

// sandbox applies the settings that keep client SQL away from the host: file
// access only under the staging folder and read roots, no network, no
// extension loading, and a locked configuration. The order matters:
// allowed_directories must be set before external access is turned off, and
// the lock comes last.
func (c *Catalog) sandbox(ctx context.Context) error {
	dirs := append([]string{c.staging}, c.cfg.ReadDirs...)
	quoted := make([]string, len(dirs))
	for i, d := range dirs {
		quoted[i] = sqlString(strings.TrimSuffix(d, "/") + "/")
	}
	stmts := []string{
		"SET allowed_directories=[" + strings.Join(quoted, ", ") + "]",
		"SET temp_directory=" + sqlString(c.staging+"/.spill"),
		"SET memory_limit=" + sqlString(c.cfg.MemoryLimit),
		fmt.Sprintf("SET threads=%d", c.cfg.Threads),
		"SET enable_external_access=false",
		"SET autoinstall_known_extensions=false",
		"SET autoload_known_extensions=false",
		"SET lock_configuration=true",
	}
	for _, s := range stmts {
		if _, err := c.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("sandbox duckdb (%s): %w", s, err)
		}
	}
	return nil
}

// Session returns the workspace handle the catalog holds ("" for a scratch
// catalog).
func (c *Catalog) Session() string { return c.session }

func (c *Catalog) touch() { c.lastUsed.Store(c.cfg.Now().UnixNano()) }

func (c *Catalog) lastUse() time.Time { return time.Unix(0, c.lastUsed.Load()) }

// Tables returns the loaded tables in load order.
func (c *Catalog) Tables(ctx context.Context) []TableInfo {
	c.touch()
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]TableInfo, 0, len(c.order))
	for _, n := range c.order {
		t := *c.tables[n]
		t.Columns = slices.Clone(t.Columns)
		out = append(out, t)
	}
	return out
}

// Table returns one loaded table's description.
func (c *Catalog) Table(name string) (TableInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tables[name]
	if !ok {
		if folded := c.findFold(name); folded != nil {
			t = folded
		} else {
			return TableInfo{}, c.unknown(name)
		}
	}
	out := *t
	out.Columns = slices.Clone(t.Columns)
	return out, nil
}

// findFold finds a table whose name equals name ignoring case (SQL does too).
func (c *Catalog) findFold(name string) *TableInfo {
	for n, t := range c.tables {
		if strings.EqualFold(n, name) {
			return t
		}
	}
	return nil
}

func (c *Catalog) unknown(name string) error {
	if len(c.order) == 0 {
		return fmt.Errorf("%w %q: no dataset is loaded yet; load one with load_file", ErrUnknownDataset, clip(name, 100))
	}
	hint := ""
	if best := closest(name, c.order); best != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Errorf("%w %q%s; loaded datasets: %s", ErrUnknownDataset, clip(name, 100), hint, strings.Join(c.order, ", "))
}

func (c *Catalog) addTable(t *TableInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tables[t.Name]; !ok {
		c.order = append(c.order, t.Name)
	}
	c.tables[t.Name] = t
}

func (c *Catalog) hasTable(name string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for n := range c.tables {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Close frees the session's DuckDB and staging folder.
func (c *Catalog) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	if c.onClose != nil {
		c.onClose()
	}
	c.background.Wait()
	c.abort()
	if c.serialize != nil {
		c.serialize.Close()
	}
	err := c.db.Close()
	return errors.Join(err, os.RemoveAll(c.staging))
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Ident quotes name as a SQL identifier.
func Ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
