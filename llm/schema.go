package llm

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"

	"datachat/chat"
	"datachat/datasets"
)

// Bounds of the schema part of the prompt.
const (
	maxSchemaChars   = 8000 // all tables together
	minTableChars    = 600  // per table, however many there are
	sampleRows       = 3
	maxSampleCell    = 40
	maxListedValues  = 20 // a text column with at most this many values has them all listed
	maxValueColumns  = 12 // per table, columns whose values are listed
	maxCachedSchemas = 128
)

// tableProfile is what the prompt says about one table.
type tableProfile struct {
	header  string
	columns []string // one line per column
	sample  string   // a markdown table of a few rows, or ""
}

// schemaCache keeps profiles of tables, keyed by name, source, rows and
// load time so a reloaded table is profiled again.
type schemaCache struct {
	mu    sync.Mutex
	m     map[string]*tableProfile
	order []string
}

func newSchemaCache() *schemaCache { return &schemaCache{m: map[string]*tableProfile{}} }

func (c *schemaCache) profile(ctx context.Context, cat chat.Catalog, t datasets.TableInfo) *tableProfile {
	key := fmt.Sprintf("%p\x00%s\x00%s\x00%d\x00%d", cat, t.Name, t.Source, t.Rows, t.LoadedAt.UnixNano())
	c.mu.Lock()
	p, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = buildProfile(ctx, cat, t)
	c.mu.Lock()
	if _, dup := c.m[key]; !dup {
		c.m[key] = p
		c.order = append(c.order, key)
		if len(c.order) > maxCachedSchemas {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	return p
}

// buildProfile describes a table from its TableInfo, SUMMARIZE, the values
// of its low-cardinality text columns and its first rows. Statistics that
// cannot be computed are left out.
func buildProfile(ctx context.Context, cat chat.Catalog, t datasets.TableInfo) *tableProfile {
	p := &tableProfile{}
	h := fmt.Sprintf("Table %s: %d rows, %d columns", datasets.Ident(t.Name), t.Rows, len(t.Columns))
	if t.Source != "" {
		h += fmt.Sprintf(", from %s", oneLine(path.Base(strings.ReplaceAll(t.Source, `\`, "/")), 80))
	}
	if t.Label != "" {
		h += fmt.Sprintf(", labelled %q", oneLine(t.Label, 120))
	}
	p.header = h

	stats := map[string]map[string]any{}
	if res, err := cat.Query(ctx, "SUMMARIZE "+datasets.Ident(t.Name), 0); err == nil {
		idx := map[string]int{}
		for i, c := range res.Columns {
			idx[c] = i
		}
		if ni, ok := idx["column_name"]; ok {
			for _, row := range res.Rows {
				name, _ := row[ni].(string)
				m := map[string]any{}
				for c, i := range idx {
					m[c] = row[i]
				}
				stats[name] = m
			}
		}
	}

	listed := 0
	for _, col := range t.Columns {
		line := fmt.Sprintf("- %s %s", datasets.Ident(col.Name), col.Type)
		if col.Label != "" {
			line += fmt.Sprintf(" (%q)", oneLine(col.Label, 80))
		}
		s := stats[col.Name]
		var parts []string
		distinct := toInt64(s["approx_unique"])
		if t.Rows > 0 {
			distinct = min(distinct, t.Rows) // the estimate can overshoot
		}
		switch {
		case s == nil:
		case datasets.IsNumeric(col.Type) || datasets.IsTemporal(col.Type):
			if s["min"] != nil {
				parts = append(parts, fmt.Sprintf("%s to %s", short(s["min"]), short(s["max"])))
			}
			if datasets.IsNumeric(col.Type) && s["avg"] != nil {
				parts = append(parts, "mean "+short(s["avg"]))
			}
			parts = append(parts, fmt.Sprintf("~%d distinct", distinct))
		default:
			parts = append(parts, fmt.Sprintf("~%d distinct", distinct))
			if distinct > 0 && distinct <= maxListedValues && listed < maxValueColumns {
				if vals := distinctValues(ctx, cat, t.Name, col.Name); vals != "" {
					parts = append(parts, "values "+vals)
					listed++
				}
			} else if s["min"] != nil {
				parts = append(parts, fmt.Sprintf("e.g. %q", short(s["min"])))
			}
		}
		if s != nil {
			if np := datasets.FormatValue(s["null_percentage"]); np != "" && np != "0" && np != "0.00" && np != "0.0" {
				parts = append(parts, np+"% null")
			}
		}
		if len(parts) > 0 {
			line += ": " + strings.Join(parts, ", ")
		}
		p.columns = append(p.columns, line)
	}

	if res, err := cat.Query(ctx, fmt.Sprintf("SELECT * FROM %s LIMIT %d", datasets.Ident(t.Name), sampleRows), sampleRows); err == nil && len(res.Rows) > 0 {
		sample := *res
		sample.Rows = make([][]any, len(res.Rows))
		for i, row := range res.Rows {
			r := make([]any, len(row))
			for j, v := range row {
				r[j] = oneLine(datasets.FormatValue(v), maxSampleCell)
			}
			sample.Rows[i] = r
		}
		sample.Truncated = false
		p.sample = "First rows:\n" + sample.Markdown(sampleRows)
	}
	return p
}

// distinctValues lists a column's values, quoted, or "" when that fails.
func distinctValues(ctx context.Context, cat chat.Catalog, table, column string) string {
	q := fmt.Sprintf("SELECT DISTINCT %[1]s FROM %[2]s WHERE %[1]s IS NOT NULL ORDER BY 1 LIMIT %[3]d",
		datasets.Ident(column), datasets.Ident(table), maxListedValues+1)
	res, err := cat.Query(ctx, q, maxListedValues+1)
	if err != nil || len(res.Rows) == 0 || len(res.Rows) > maxListedValues {
		return ""
	}
	vals := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		vals[i] = fmt.Sprintf("%q", oneLine(datasets.FormatValue(r[0]), maxSampleCell))
	}
	return strings.Join(vals, ", ")
}

// schemaText describes the tables within maxSchemaChars: every table's
// header, then as many column lines as fit its share, then its first rows
// when they fit too.
func (e *Engine) schemaText(ctx context.Context, cat chat.Catalog, tables []datasets.TableInfo) string {
	if len(tables) == 0 {
		return "No tables are loaded. Ask the user to load a file first (the load_file tool, or files in the chat request)."
	}
	share := max(maxSchemaChars/len(tables), minTableChars)
	var b strings.Builder
	for _, t := range tables {
		if b.Len() >= maxSchemaChars {
			fmt.Fprintf(&b, "(more tables are loaded but left out for space)\n")
			break
		}
		p := e.schemas.profile(ctx, cat, t)
		budget := min(share, maxSchemaChars-b.Len())
		var tb strings.Builder
		tb.WriteString(p.header + "\n")
		for i, line := range p.columns {
			if tb.Len()+len(line)+1 > budget {
				rest := make([]string, 0, len(p.columns)-i)
				for _, c := range t.Columns[i:] {
					rest = append(rest, datasets.Ident(c.Name))
				}
				tb.WriteString(oneLine("- and "+fmt.Sprint(len(rest))+" more: "+strings.Join(rest, ", "), max(budget-tb.Len(), 80)) + "\n")
				break
			}
			tb.WriteString(line + "\n")
		}
		if p.sample != "" && tb.Len()+len(p.sample) <= budget {
			tb.WriteString(p.sample)
		}
		b.WriteString(tb.String() + "\n")
	}
	return strings.TrimSpace(b.String())
}

// short renders a statistic compactly.
func short(v any) string {
	s := datasets.FormatValue(v)
	if f, ok := v.(string); ok {
		// SUMMARIZE gives min, max and avg as text; trim float noise.
		if x, err := strconv.ParseFloat(f, 64); err == nil {
			s = datasets.FormatFloat(x)
		}
	}
	return oneLine(s, maxSampleCell)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
