package datasets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// handlePrefix starts every workspace handle.
const handlePrefix = "ws_"

var handleEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewHandle returns a new workspace handle: "ws_" and 128 random bits in
// lower-case base32 (26 characters).
func NewHandle() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return handlePrefix + handleEncoding.EncodeToString(b[:])
}

// ValidHandle reports whether s has the form of a workspace handle.
func ValidHandle(s string) bool {
	rest, ok := strings.CutPrefix(s, handlePrefix)
	if !ok || len(rest) != 26 {
		return false
	}
	b, err := handleEncoding.DecodeString(rest)
	return err == nil && len(b) == 16
}

// workspaceState is what a Catalog knows of the workspace it holds.
type workspaceState struct {
	// afterLoad stores newly loaded tables (set with a data directory).
	afterLoad func(ctx context.Context, opts LoadOptions, infos []TableInfo) error
	// afterResult stores a result id (set with a data directory).
	afterResult func(id, query string) error
	// onClose runs once when the catalog closes.
	onClose func()

	resultsMu sync.Mutex
	results   map[string]string // result id → query
}

// Workspace returns the handle of the workspace the catalog holds ("" for a
// scratch catalog).
func (c *Catalog) Workspace() string { return c.session }

// saved stores the tables a load made; when that fails they are dropped, so
// that a load either survives a restart or reports an error.
func (c *Catalog) saved(ctx context.Context, opts LoadOptions, infos []TableInfo) error {
	if c.afterLoad == nil {
		return nil
	}
	err := c.afterLoad(ctx, opts, infos)
	if err == nil {
		return nil
	}
	for _, t := range infos {
		c.removeTable(context.WithoutCancel(ctx), t.Name)
	}
	if UserError(err) {
		return err
	}
	return fmt.Errorf("save the loaded tables in the data directory (nothing was loaded): %w", err)
}

// removeTable drops a table and forgets it.
func (c *Catalog) removeTable(ctx context.Context, name string) {
	_ = c.dropRelation(ctx, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tables, name)
	c.order = slices.DeleteFunc(c.order, func(n string) bool { return n == name })
}

// ResultID records query as a result of this workspace that can be read
// whole later (an export), and returns its id: a hash of the query, so the
// same query always gets the same id.
func (c *Catalog) ResultID(query string) (string, error) {
	sum := sha256.Sum256([]byte(query))
	id := hex.EncodeToString(sum[:8])
	c.resultsMu.Lock()
	_, known := c.results[id]
	if !known {
		if c.results == nil {
			c.results = map[string]string{}
		}
		c.results[id] = query
	}
	c.resultsMu.Unlock()
	if !known && c.afterResult != nil {
		if err := c.afterResult(id, query); err != nil {
			return "", fmt.Errorf("save result: %w", err)
		}
	}
	return id, nil
}

// ResultQuery returns the query recorded under a result id.
func (c *Catalog) ResultQuery(id string) (string, bool) {
	c.resultsMu.Lock()
	defer c.resultsMu.Unlock()
	q, ok := c.results[id]
	return q, ok
}

func (c *Catalog) setResults(r map[string]string) {
	c.resultsMu.Lock()
	defer c.resultsMu.Unlock()
	c.results = maps.Clone(r)
}
