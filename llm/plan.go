package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
)

// Bounds on what a plan may carry.
const (
	maxSQLChars  = 20000
	maxCharts    = 3 // charts of an answer
	maxChartAsks = 8 // chart requests read from a plan
	maxNoteChars = 500
)

// plan is the model's JSON reply to the planning prompt.
type plan struct {
	SQL    string
	Charts []chartPlan
	Note   string
	Answer string // set for conversation-only turns
}

// chartPlan is one chart the model asked for.
type chartPlan struct {
	Kind, X, Y, Group, Title, Finding string
}

// errNoJSON is returned for a reply that holds no JSON object.
var errNoJSON = errors.New("the reply holds no JSON object")

// parsePlan reads the model's reply, tolerating ```json fences and prose
// around the object.
func parsePlan(reply string) (*plan, error) {
	start := strings.IndexByte(reply, '{')
	if start < 0 {
		return nil, errNoJSON
	}
	var raw struct {
		SQL    any              `json:"sql"`
		Query  any              `json:"query"`
		Charts []map[string]any `json:"charts"`
		Chart  map[string]any   `json:"chart"`
		Note   any              `json:"note"`
		Answer any              `json:"answer"`
	}
	dec := json.NewDecoder(strings.NewReader(reply[start:]))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode the JSON reply: %w", err)
	}
	p := &plan{
		SQL:    strings.TrimSpace(str(raw.SQL)),
		Note:   oneLine(str(raw.Note), maxNoteChars),
		Answer: strings.TrimSpace(str(raw.Answer)),
	}
	if p.SQL == "" {
		p.SQL = strings.TrimSpace(str(raw.Query))
	}
	p.SQL = cleanSQL(p.SQL)
	if raw.Chart != nil {
		raw.Charts = append(raw.Charts, raw.Chart)
	}
	for _, c := range raw.Charts {
		if len(p.Charts) == maxChartAsks {
			break
		}
		p.Charts = append(p.Charts, chartPlan{
			Kind: str(c["kind"]), X: str(c["x"]), Y: str(c["y"]), Group: str(c["group"]),
			Title: oneLine(str(c["title"]), 120), Finding: oneLine(str(c["finding"]), 300),
		})
	}
	switch {
	case p.SQL == "" && p.Answer == "":
		return nil, errors.New(`the JSON has neither "sql" nor "answer"`)
	case len(p.SQL) > maxSQLChars:
		return nil, fmt.Errorf("the SQL is longer than %d characters", maxSQLChars)
	}
	return p, nil
}

// str returns v when it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// cleanSQL strips fences and final semicolons the model may add.
func cleanSQL(q string) string {
	q = strings.TrimSpace(q)
	if strings.HasPrefix(q, "```") {
		q = strings.TrimPrefix(q, "```")
		q = strings.TrimPrefix(q, "sql")
		q = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(q), "```"))
	}
	for strings.HasSuffix(q, ";") {
		q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
	}
	return q
}

// buildCharts turns the model's chart requests into charts of the result:
// columns are matched to the result's (ignoring case), requests naming a
// column the result lacks are dropped, a missing or unknown kind is chosen
// by charts.Choose, and a chart that cannot be drawn is dropped.
func buildCharts(plans []chartPlan, res *datasets.Result, sql string) []chat.Chart {
	if res == nil || len(res.Rows) == 0 {
		return nil
	}
	data := charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
	var out []chat.Chart
	for _, cp := range plans {
		if len(out) == maxCharts {
			break
		}
		x, okX := resultColumn(res, cp.X)
		y, okY := resultColumn(res, cp.Y)
		group, okG := resultColumn(res, cp.Group)
		if !okX || !okY || !okG {
			continue
		}
		kind := charts.Kind(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(cp.Kind)))
		var spec charts.Spec
		if slices.Contains(charts.Kinds, kind) && x != "" {
			spec = charts.Spec{Kind: kind, X: x, Y: y, Group: group}
		} else {
			chosen, err := charts.Choose(data, x, y, group)
			if err != nil {
				continue
			}
			spec = chosen
		}
		spec.Title = cp.Title
		if _, err := charts.VegaLite(spec, data); err != nil {
			continue
		}
		out = append(out, chat.Chart{Spec: spec, Data: data, Finding: cp.Finding, SQL: sql})
	}
	return out
}

// resultColumn finds name among the result's columns; "" is valid and
// stays "".
func resultColumn(res *datasets.Result, name string) (string, bool) {
	if name == "" {
		return "", true
	}
	for _, c := range res.Columns {
		if c == name {
			return c, true
		}
	}
	for _, c := range res.Columns {
		if strings.EqualFold(c, name) {
			return c, true
		}
	}
	return "", false
}

// resultValue is the typed answer of a result: the cell of a 1x1 result,
// the values of a one-column result, nil otherwise.
func resultValue(res *datasets.Result, maxValues int) any {
	if res == nil || len(res.Columns) != 1 || len(res.Rows) == 0 {
		return nil
	}
	if len(res.Rows) == 1 {
		return typed(res.Rows[0][0])
	}
	n := min(len(res.Rows), maxValues)
	vals := make([]any, n)
	for i, r := range res.Rows[:n] {
		vals[i] = typed(r[0])
	}
	return vals
}

// typed narrows a cell to bool, int64, float64 or string (nil stays nil).
func typed(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		return datasets.FormatValue(x)
	case interface{ Float64() float64 }:
		return x.Float64()
	}
	return datasets.FormatValue(v)
}
