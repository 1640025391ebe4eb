// Package datasets owns where data comes from and where it lives: sources
// (local paths under allowed roots, guarded URL fetches), workspaces (sets of
// tables, each held in a private in-memory DuckDB and addressed by a handle
// the Manager mints), describe statistics, and the SQL sandbox through which
// every query runs.
//
// The API a consumer uses:
//
//	cat, err := mgr.Create(ctx)                           // a new workspace; cat.Workspace() is its handle
//	cat, err := mgr.Open(ctx, handle)                     // an existing one (ErrUnknownWorkspace)
//	cat, err := mgr.Catalog(ctx, sessionID)               // a client session's workspace
//	cat, err := mgr.Scratch(ctx)                          // private, never stored; Close it
//	infos, err := cat.Load(ctx, source, datasets.LoadOptions{})
//	tables := cat.Tables(ctx)                             // []TableInfo
//	res, err := cat.Query(ctx, "SELECT ...", maxRows)     // sandboxed, read-only
//	d, err := cat.Describe(ctx, table, columns)
//
// # Storage
//
// Without a data directory a workspace lives in memory until it has been
// unused for Config.WorkspaceTTL. With one (Config.DataDir, --data-dir),
// every load is also written there before Load returns, and any process
// given the same directory serves the workspace:
//
//	DIR/key                              32-byte secret shared by the processes (signing)
//	DIR/tables/<sha256>.duckdb           one table per DuckDB file (table "t"), named by
//	                                     the SHA-256 of the file; immutable and shared by
//	                                     every workspace whose manifest lists it
//	DIR/workspaces/<hash of handle>/manifest.json
//	                                     version, tables (name, file, source, load
//	                                     options, label, rows, columns), result queries
//	DIR/workspaces/<hash of handle>/lock flock(2) held while the manifest is rewritten
//	DIR/workspaces/<hash of handle>/used modification time = last use
//	DIR/tmp/                             files being written, then renamed into place
//
// A table file is a DuckDB database (exact types, including HUGEINT and
// ENUM, which Parquet would change); column labels are kept in the manifest
// and put back as comments. Table files are named by their bytes' hash and
// never modified, so several workspaces can list one file; DuckDB writes a
// table's bytes differently each time, so loading the same source twice
// makes two files unless a cache keyed by the source's content (and load
// options) hands out the existing file: such a cache only has to add a
// manifest entry naming it, and collection keeps a file while any manifest
// lists it.
// Writers rename finished files into place, and rewrite a manifest under the
// workspace's lock from the version on disk, so concurrent writers on
// several machines keep each other's tables; a process that opens a
// workspace reloads it when the manifest's version moved on (read your
// writes across replicas, as far as the file system shows renames at once:
// on NFS, mount the directory with lookupcache=positive or actimeo=0).
// Expiry removes idle workspaces, then table files that no manifest lists
// and that are older than an hour.
//
// # Dataset cache
//
// A file loaded again, in any workspace or REST request of the process, is
// not parsed again: the first load writes each table to a table file in the
// format above under the staging root's cache/ folder, and later loads of
// the same content attach it read-only as a view (see cache.go; bounded by
// Config.CacheSize, --cache-size). Such tables carry TableInfo.Version, the
// same for every load of the same bytes, and share LoadedAt, so statistics
// and answers computed about one stay valid for the others.
package datasets
