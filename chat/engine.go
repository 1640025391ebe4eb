package chat

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"datachat/datasets"
)

// Catalog is what an engine needs from a session's catalog: the loaded
// tables and read-only, sandboxed SQL.
type Catalog interface {
	Tables(ctx context.Context) []datasets.TableInfo
	Query(ctx context.Context, sql string, maxRows int) (*datasets.Result, error)
}

// Message is one turn of the conversation. Role is "user" or "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a conversation to answer: the last user message is the
// question, earlier messages are the context.
type Request struct {
	// Messages is the conversation so far, oldest first.
	Messages []Message
	// Datasets names the tables to use; empty means all loaded tables.
	Datasets []string
	// Model names the LLM to use where one answers (ChatCSV's "model";
	// default gpt-4o-mini). The embedded engine ignores it.
	Model string
}

// Answer is an engine's reply.
type Answer struct {
	// Text is markdown: the answer, then the SQL used, then a small result
	// table when useful.
	Text string `json:"text"`
	// Value is the typed answer (bool, int64, float64, string or []any);
	// nil when the engine abstained.
	Value any `json:"value"`
	// SQL is the statement that produced Value, or "".
	SQL string `json:"sql,omitempty"`
	// Confident says whether the engine stands by Value.
	Confident bool `json:"confident"`
	// Table is an optional small result.
	Table *datasets.Result `json:"table,omitempty"`
	// Charts are charts that illustrate the answer (rendered by the caller:
	// PNG for MCP image content and REST, Vega-Lite for hosts that draw it).
	Charts []Chart `json:"charts,omitempty"`
}

// Engine answers questions about the tables of a catalog.
type Engine interface {
	Answer(ctx context.Context, cat Catalog, req Request) (*Answer, error)
}

// Embedded is the deterministic, in-process engine. It is safe for
// concurrent use.
type Embedded struct {
	visuals     VisualsFunc
	maxRows     int
	maxValues   int
	planBudget  time.Duration
	mu          sync.Mutex
	schemas     map[string]*schema
	schemaOrder []string
}

var _ Engine = (*Embedded)(nil)

// Option configures an Embedded engine.
type Option func(*Embedded)

// WithMaxRows sets how many result rows a list answer may hold (default 100).
func WithMaxRows(n int) Option {
	return func(e *Embedded) {
		if n > 0 {
			e.maxRows = n
		}
	}
}

// WithMaxValues sets how many distinct values a text column may have and
// still have its values matched against question words (default 2000).
func WithMaxValues(n int) Option {
	return func(e *Embedded) {
		if n > 0 {
			e.maxValues = n
		}
	}
}

// DefaultPlanBudget is how long planning one question may take by default.
const DefaultPlanBudget = 2 * time.Second

// WithPlanBudget sets how long planning one question (matching its words
// to the data and choosing a plan, not profiling tables or running SQL)
// may take before the engine abstains (default DefaultPlanBudget).
func WithPlanBudget(d time.Duration) Option {
	return func(e *Embedded) {
		if d > 0 {
			e.planBudget = d
		}
	}
}

// NewEmbedded returns the embedded engine.
func NewEmbedded(opts ...Option) *Embedded {
	e := &Embedded{maxRows: 100, maxValues: 2000, planBudget: DefaultPlanBudget, schemas: map[string]*schema{}}
	for _, o := range opts {
		o(e)
	}
	return e
}

// maxSchemas bounds the schema cache; the oldest entries go first.
const maxSchemas = 256

// schemaFor returns the cached profile of a table, building it on first use.
func (e *Embedded) schemaFor(ctx context.Context, cat Catalog, t datasets.TableInfo) (*schema, error) {
	key := fmt.Sprintf("%s\x00%s\x00%d\x00%d", t.Name, t.Source, t.Rows, t.LoadedAt.UnixNano())
	e.mu.Lock()
	s, ok := e.schemas[key]
	e.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := profile(ctx, cat, t, e.maxValues)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if _, dup := e.schemas[key]; !dup {
		e.schemas[key] = s
		e.schemaOrder = append(e.schemaOrder, key)
		if len(e.schemaOrder) > maxSchemas {
			delete(e.schemas, e.schemaOrder[0])
			e.schemaOrder = e.schemaOrder[1:]
		}
	}
	e.mu.Unlock()
	return s, nil
}

// tablesFor returns the tables the request may use.
func tablesFor(ctx context.Context, cat Catalog, req Request) ([]datasets.TableInfo, error) {
	all := cat.Tables(ctx)
	if len(req.Datasets) == 0 {
		return all, nil
	}
	var out []datasets.TableInfo
	for _, name := range req.Datasets {
		found := false
		for _, t := range all {
			if strings.EqualFold(t.Name, name) {
				out = append(out, t)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown dataset %q", name)
		}
	}
	return out, nil
}
