// Package trainset holds invented training and development questions for
// the question parser: small tables under tables/, and questions.jsonl with
// gold SQL (DuckDB, over a table named t) and the answers that SQL gives.
//
// The generator (go run ./parser/trainset/gen) writes the tables and fills
// in the answers from questions.src.jsonl; the package test checks that the
// written file still agrees with a fresh run. Tables are loaded through the
// datasets package, exactly as the engine sees them.
package trainset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"datachat/datasets"
	"datachat/datasets/fetch"
)

// Loader loads table files, each into its own session catalog as table t.
type Loader struct {
	mgr  *datasets.Manager
	root string
}

// NewLoader returns a Loader for files under root (the trainset folder);
// tmp holds the fetch cache and staging folders.
func NewLoader(root, tmp string) (*Loader, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", root, err)
	}
	cache := filepath.Join(tmp, "cache")
	staging := filepath.Join(tmp, "staging")
	for _, d := range []string{cache, staging} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	f, err := fetch.New(fetch.Config{AllowDirs: []string{abs}, CacheDir: cache})
	if err != nil {
		return nil, fmt.Errorf("new fetcher: %w", err)
	}
	m, err := datasets.NewManager(datasets.Config{StagingRoot: staging, ReadDirs: []string{abs}, Fetcher: datasets.Guarded(f)})
	if err != nil {
		return nil, fmt.Errorf("new manager: %w", err)
	}
	return &Loader{mgr: m, root: abs}, nil
}

// Open loads file (relative to the root) as table t of a fresh catalog.
func (l *Loader) Open(ctx context.Context, file string) (*datasets.Catalog, error) {
	cat, err := l.mgr.Catalog(ctx, "trainset:"+file)
	if err != nil {
		return nil, fmt.Errorf("catalog for %s: %w", file, err)
	}
	if _, err := cat.Load(ctx, filepath.Join(l.root, file), datasets.LoadOptions{Name: "t"}); err != nil {
		return nil, fmt.Errorf("load %s: %w", file, err)
	}
	return cat, nil
}

// Close releases every catalog.
func (l *Loader) Close() error { return l.mgr.Close() }
