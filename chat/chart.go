package chat

import (
	"context"

	"datachat/charts"
)

// Chart is one chart of an answer: what to draw, the rows to draw it from,
// and a one-line finding in words.
type Chart struct {
	// Spec says what to draw.
	Spec charts.Spec `json:"spec"`
	// Data holds the rows (usually already aggregated by SQL).
	Data charts.Data `json:"-"`
	// Finding is one sentence saying what the chart shows.
	Finding string `json:"finding,omitempty"`
	// SQL is the query that produced Data.
	SQL string `json:"sql,omitempty"`
}

// StreamingEngine is an Engine that can hand out the answer's text as it is
// produced (an LLM's tokens). emit receives successive pieces of
// Answer.Text; an error from emit (the client left) stops the answer. The
// returned Answer holds the whole text.
type StreamingEngine interface {
	Engine
	AnswerStream(ctx context.Context, cat Catalog, req Request, emit func(text string) error) (*Answer, error)
}
