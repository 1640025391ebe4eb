package rest

import (
	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
)

// structured is the JSON of the "answer" event: what the chat page draws
// (the SQL, the result table, interactive charts) beside the streamed text.
type structured struct {
	Text      string           `json:"text"`
	Value     any              `json:"value"`
	SQL       string           `json:"sql,omitempty"`
	Confident bool             `json:"confident"`
	Table     *datasets.Result `json:"table,omitempty"`
	Charts    []answerChart    `json:"charts,omitempty"`
}

// answerChart is one chart of an answer: its Vega-Lite spec for an
// interactive drawing and the signed link of its PNG as the fallback.
type answerChart struct {
	Title    string         `json:"title,omitempty"`
	Finding  string         `json:"finding,omitempty"`
	SQL      string         `json:"sql,omitempty"`
	VegaLite map[string]any `json:"vega_lite,omitempty"`
	PNG      string         `json:"png"`
	// Table is the chart's data (its first maxChartRows rows).
	Table *datasets.Result `json:"table,omitempty"`
}

// maxChartRows caps the rows of a chart's table in the answer event.
const maxChartRows = 1000

func (s *Server) answerChart(c chat.Chart, link string) answerChart {
	out := answerChart{Title: c.Spec.Title, Finding: c.Finding, SQL: c.SQL, PNG: link}
	if len(c.Data.Columns) > 0 {
		rows := c.Data.Rows[:min(len(c.Data.Rows), maxChartRows)]
		out.Table = &datasets.Result{Columns: c.Data.Columns, Types: c.Data.Types, Rows: rows,
			RowCount: len(rows), Truncated: len(rows) < len(c.Data.Rows)}
	}
	vl, err := charts.VegaLite(c.Spec, c.Data)
	if err != nil {
		// The PNG was drawn from the same spec, so this is unexpected; the
		// page shows the PNG instead.
		s.cfg.Logger.Warn("vega-lite spec of a chart", "title", c.Spec.Title, "error", err)
	} else {
		out.VegaLite = vl
	}
	return out
}

func structuredAnswer(a *chat.Answer, drawn []answerChart) structured {
	return structured{Text: a.Text, Value: a.Value, SQL: a.SQL, Confident: a.Confident, Table: a.Table, Charts: drawn}
}
