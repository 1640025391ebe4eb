package datasets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// store keeps workspaces under a data directory (--data-dir), shared by every
// server process that is given the same directory:
//
//	DIR/key                          32 random bytes (mode 0600): the secret that
//	                                 signs download links and session ids
//	DIR/tables/<sha256>.duckdb       one table per file (table "t"), named by the
//	                                 SHA-256 of the file's bytes; immutable, and
//	                                 shared by every workspace that lists it
//	DIR/workspaces/<id>/manifest.json
//	                                 what a workspace holds (see manifest); <id>
//	                                 is a hash of the handle, so a directory
//	                                 listing does not reveal handles
//	DIR/workspaces/<id>/lock         flock(2) taken by writers of the manifest
//	DIR/workspaces/<id>/used         its modification time is the last use
//	DIR/tmp/                         files being written, renamed into place
//
// Writers never change a file in place: a table file is written under tmp/
// and renamed to its hash; a manifest is written under a temporary name and
// renamed over the old one while the workspace's lock is held, so readers
// always see a complete manifest and two writers never lose each other's
// tables. Expiry removes workspaces unused for longer than the TTL, then the
// table files no manifest lists any more.
type store struct {
	dir, tables, workspaces, tmp string
	key                          []byte
	now                          func() time.Time
}

// manifestFile is a workspace's manifest name.
const manifestFile = "manifest.json"

// manifest is the content of a workspace's manifest.json.
type manifest struct {
	// Version increases with every change; a process compares it with the
	// version its in-memory copy reflects to see whether to reload.
	Version int64 `json:"version"`
	// Created is when the workspace was made.
	Created time.Time `json:"created"`
	// Tables are the workspace's tables in load order.
	Tables []tableEntry `json:"tables"`
	// Results are the queries whose whole results were offered for export,
	// by result id.
	Results map[string]string `json:"results,omitempty"`
}

// tableEntry is one table of a manifest.
type tableEntry struct {
	Name     string       `json:"name"`
	File     string       `json:"file"` // SHA-256 of tables/<File>.duckdb
	Source   string       `json:"source"`
	Format   string       `json:"format"`
	Options  loadRecord   `json:"options"`
	Label    string       `json:"label,omitempty"`
	Rows     int64        `json:"rows"`
	Columns  []ColumnInfo `json:"columns"`
	LoadedAt time.Time    `json:"loaded_at"`
}

// loadRecord is the load options a table was made with.
type loadRecord struct {
	Name   string `json:"name,omitempty"`
	Format string `json:"format,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	Record string `json:"record,omitempty"`
}

func openStore(dir string, now func() time.Time) (*store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, fmt.Errorf("resolve data directory: %w", err)
	}
	s := &store{dir: abs, tables: filepath.Join(abs, "tables"), workspaces: filepath.Join(abs, "workspaces"),
		tmp: filepath.Join(abs, "tmp"), now: now}
	for _, d := range []string{s.tables, s.workspaces, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	if s.key, err = loadKey(filepath.Join(abs, "key")); err != nil {
		return nil, err
	}
	return s, nil
}

// loadKey reads the shared secret, creating it when no process has yet; a
// second process racing to create it reads the first one's.
func loadKey(path string) ([]byte, error) {
	for range 3 {
		b, err := os.ReadFile(path)
		if err == nil && len(b) == 32 {
			return b, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read data directory key: %w", err)
		}
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		tmp := path + ".tmp-" + randomHex(8)
		if err := os.WriteFile(tmp, key, 0o600); err != nil {
			return nil, fmt.Errorf("write data directory key: %w", err)
		}
		// Link fails when another process made the key first: read theirs.
		err = os.Link(tmp, path)
		os.Remove(tmp)
		if err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("read data directory key %s: it is not 32 bytes", path)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// wsDir is the folder of a workspace: a hash of the handle, so that the
// directory does not list the secrets that grant access.
func (s *store) wsDir(handle string) string {
	sum := sha256.Sum256([]byte("datachat workspace\x00" + handle))
	return filepath.Join(s.workspaces, hex.EncodeToString(sum[:16]))
}

func (s *store) tablePath(file string) string { return filepath.Join(s.tables, file+".duckdb") }

// create makes an empty workspace.
func (s *store) create(handle string) (*manifest, error) {
	dir := s.wsDir(handle)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create workspace folder: %w", err)
	}
	m := &manifest{Version: 1, Created: s.now().UTC(), Tables: []tableEntry{}}
	if err := writeAtomic(dir, manifestFile, m); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.touch(handle)
	return m, nil
}

// read returns the workspace's manifest, or errNoWorkspace when there is none.
func (s *store) read(handle string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(s.wsDir(handle), manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoWorkspace
	}
	if err != nil {
		return nil, fmt.Errorf("read workspace manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode workspace manifest: %w", err)
	}
	return &m, nil
}

var errNoWorkspace = errors.New("no such workspace")

// update changes a workspace's manifest under its lock and returns the
// manifest as it was before (base) and after the change.
func (s *store) update(handle string, change func(*manifest)) (base, next *manifest, err error) {
	dir := s.wsDir(handle)
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	base, err = s.read(handle)
	if err != nil {
		return nil, nil, err
	}
	b, _ := json.Marshal(base)
	next = new(manifest)
	_ = json.Unmarshal(b, next)
	change(next)
	next.Version = base.Version + 1
	if err := writeAtomic(dir, manifestFile, next); err != nil {
		return nil, nil, err
	}
	return base, next, nil
}

// lockDir takes the exclusive lock of a workspace folder.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoWorkspace
	}
	if err != nil {
		return nil, fmt.Errorf("open workspace lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock workspace: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// writeAtomic writes v as JSON to dir/name through a temporary file and a
// rename, synced, so that readers see the old or the new file, never a part.
func writeAtomic(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// touch records a use of the workspace.
func (s *store) touch(handle string) {
	p := filepath.Join(s.wsDir(handle), "used")
	now := s.now()
	if err := os.Chtimes(p, now, now); errors.Is(err, fs.ErrNotExist) {
		if f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			f.Close()
			_ = os.Chtimes(p, now, now)
		}
	}
}

// lastUse is when the workspace in dir was last used or changed.
func lastUse(dir string) (time.Time, bool) {
	var last time.Time
	found := false
	for _, n := range []string{"used", manifestFile} {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil {
			found = true
			if fi.ModTime().After(last) {
				last = fi.ModTime()
			}
		}
	}
	return last, found
}

// remove deletes a workspace's folder (its table files go with the next
// collection when no other workspace lists them).
func (s *store) remove(handle string) error {
	return s.removeDir(s.wsDir(handle), func() bool { return true })
}

// removeDir deletes a workspace folder when, under its lock, still is true.
func (s *store) removeDir(dir string, still func() bool) error {
	unlock, err := lockDir(dir)
	if errors.Is(err, errNoWorkspace) {
		return nil
	}
	if err != nil {
		return err
	}
	if !still() {
		unlock()
		return errKept
	}
	gone := filepath.Join(s.tmp, "gone-"+randomHex(8))
	err = os.Rename(dir, gone)
	unlock()
	if err != nil {
		return fmt.Errorf("remove workspace: %w", err)
	}
	return os.RemoveAll(gone)
}

var errKept = errors.New("workspace in use")

// expire removes every workspace unused since before cutoff and returns the
// folders it removed, then deletes the table files and temporary files that
// nothing refers to and that are older than grace.
func (s *store) expire(cutoff time.Time, grace time.Duration) ([]string, error) {
	entries, err := os.ReadDir(s.workspaces)
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		dir := filepath.Join(s.workspaces, e.Name())
		idle := func() bool {
			last, ok := lastUse(dir)
			return ok && last.Before(cutoff)
		}
		if !idle() {
			continue
		}
		// Checked again under the lock: another process may have used it.
		switch err := s.removeDir(dir, idle); {
		case errors.Is(err, errKept):
		case err != nil:
			errs = append(errs, err)
		default:
			removed = append(removed, dir)
		}
	}
	errs = append(errs, s.collect(grace))
	return removed, errors.Join(errs...)
}

// collect deletes table files no manifest lists and leftovers under tmp/,
// when older than grace (a file younger than that may belong to a load whose
// manifest is being written).
func (s *store) collect(grace time.Duration) error {
	used := map[string]bool{}
	entries, err := os.ReadDir(s.workspaces)
	if err != nil {
		return fmt.Errorf("list workspaces: %w", err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(s.workspaces, e.Name(), manifestFile))
		if err != nil {
			continue
		}
		var m manifest
		if json.Unmarshal(b, &m) != nil {
			// An unreadable manifest keeps every file: never delete on doubt.
			return nil
		}
		for _, t := range m.Tables {
			used[t.File] = true
		}
	}
	cutoff := s.now().Add(-grace)
	old := func(dir string, keep func(name string) bool) {
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			if keep(f.Name()) {
				continue
			}
			if fi, err := f.Info(); err == nil && fi.ModTime().Before(cutoff) {
				os.RemoveAll(filepath.Join(dir, f.Name()))
			}
		}
	}
	old(s.tables, func(n string) bool { return used[strings.TrimSuffix(n, ".duckdb")] })
	old(s.tmp, func(string) bool { return false })
	return nil
}

// writeTable saves table name of c as a table file and returns its hash.
func (s *store) writeTable(ctx context.Context, c *Catalog, name string) (string, error) {
	tmp := filepath.Join(s.tmp, "t-"+randomHex(8)+".duckdb")
	defer os.Remove(tmp)
	defer os.Remove(tmp + ".wal")
	if err := exportTable(ctx, c, name, tmp); err != nil {
		return "", err
	}
	sum, err := hashFile(tmp)
	if err != nil {
		return "", fmt.Errorf("save table %s: %w", name, err)
	}
	final := s.tablePath(sum)
	if _, err := os.Stat(final); err == nil {
		// The same bytes are stored already: refresh them for collection.
		now := s.now()
		_ = os.Chtimes(final, now, now)
		return sum, nil
	}
	if err := syncFile(tmp); err != nil {
		return "", fmt.Errorf("save table %s: %w", name, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("save table %s: %w", name, err)
	}
	syncDir(s.tables)
	return sum, nil
}

// exportTable writes table name of c to a new table file at path: a DuckDB
// database holding the rows as table "t" (the format of the data
// directory's and the dataset cache's table files).
func exportTable(ctx context.Context, c *Catalog, name, path string) error {
	alias := "w_" + randomHex(6)
	stmts := []string{
		"ATTACH " + sqlString(path) + " AS " + alias,
		fmt.Sprintf("CREATE TABLE %s.t AS SELECT * FROM %s", alias, Ident(name)),
	}
	for _, q := range stmts {
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DETACH DATABASE IF EXISTS "+alias)
			return fmt.Errorf("save table %s: %w", name, err)
		}
	}
	if _, err := c.db.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias); err != nil {
		return fmt.Errorf("save table %s: %w", name, err)
	}
	return nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// readTable creates table e.Name in c from its table file.
func (s *store) readTable(ctx context.Context, c *Catalog, e tableEntry) error {
	alias := "r_" + randomHex(6)
	if _, err := c.db.ExecContext(ctx, "ATTACH "+sqlString(s.tablePath(e.File))+" AS "+alias+" (READ_ONLY)"); err != nil {
		return fmt.Errorf("open stored table %s: %w", e.Name, err)
	}
	defer func() { _, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias) }()
	if err := c.dropView(ctx, e.Name); err != nil {
		return fmt.Errorf("read stored table %s: %w", e.Name, err)
	}
	if _, err := c.db.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM %s.t", Ident(e.Name), alias)); err != nil {
		return fmt.Errorf("read stored table %s: %w", e.Name, err)
	}
	for _, col := range e.Columns {
		if col.Label == "" {
			continue
		}
		q := fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", Ident(e.Name), Ident(col.Name), sqlString(col.Label))
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("label stored table %s: %w", e.Name, err)
		}
	}
	return nil
}
