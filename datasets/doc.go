// Package datasets owns where data comes from and where it lives: sources
// (local paths under allowed roots, guarded URL fetches), the per-session
// catalog (one in-memory DuckDB per client session), describe statistics, and
// the SQL sandbox through which every query runs.
//
// The API a consumer uses:
//
//	cat, err := mgr.Catalog(ctx, sessionID)               // per session
//	infos, err := cat.Load(ctx, source, datasets.LoadOptions{})
//	tables := cat.Tables(ctx)                             // []TableInfo
//	res, err := cat.Query(ctx, "SELECT ...", maxRows)     // sandboxed, read-only
//	d, err := cat.Describe(ctx, table, columns)
package datasets
