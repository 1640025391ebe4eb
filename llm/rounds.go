package llm

import (
	"context"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
)

// Multi round-trip sampling (protocol 2026-07-28): a tool cannot ask the
// host's model and wait; it returns an input_required result naming the
// sampling request, and the client retries the call with the model's reply.
// An answer needs several replies (a plan, maybe repairs, the phrasing), so
// the tool replays the whole answer on every retry with the replies so far:
// the engine is deterministic up to the replies, so each replay asks the
// same questions until it reaches one not yet answered, and stops there
// with ErrInputRequired.
//
// mcp-go fulfils the same input requests for clients on earlier protocols
// by sampling over their session and re-invoking the tool, so one code path
// serves both eras.

// ErrInputRequired is returned by Answer when the answer needs a reply of
// the host's model that Rounds does not hold yet; Rounds.Needed says what
// to ask.
var ErrInputRequired = errors.New("the host's model must answer first")

// Reply is one answer of the host's model.
type Reply struct {
	Text  string `json:"text"`
	Model string `json:"model,omitempty"`
}

// Rounds holds the host model's replies of one multi round-trip answer.
type Rounds struct {
	replies []Reply
	next    int
	needed  *mcp.CreateMessageParams
}

// NewRounds returns Rounds holding the replies received so far, in order.
func NewRounds(replies []Reply) *Rounds { return &Rounds{replies: replies} }

// Replies returns the replies received so far.
func (r *Rounds) Replies() []Reply { return r.replies }

// Needed returns the sampling request the answer stopped at.
func (r *Rounds) Needed() *mcp.CreateMessageParams { return r.needed }

// Add records the reply to the request Needed returned.
func (r *Rounds) Add(res *mcp.CreateMessageResult) error {
	if res == nil {
		return &modelError{msg: "sampling returned no result"}
	}
	text, err := samplingText(res.Content)
	if err != nil {
		return &modelError{msg: err.Error()}
	}
	if len(text) > maxReplyChars {
		text = oneLineKeep(text, maxReplyChars)
	}
	r.replies = append(r.replies, Reply{Text: text, Model: res.Model})
	return nil
}

// take returns the reply to the next sampling call of this replay, or
// records params as needed and reports false.
func (r *Rounds) take(params mcp.CreateMessageParams) (Reply, bool) {
	if r.next < len(r.replies) {
		r.next++
		return r.replies[r.next-1], true
	}
	r.needed = &params
	return Reply{}, false
}

type roundsKey struct{}

// WithRounds makes Answer sample through multi round-trip results: the
// host model's calls are answered from r, and the first one r cannot answer
// ends Answer with ErrInputRequired.
func WithRounds(ctx context.Context, r *Rounds) context.Context {
	return context.WithValue(ctx, roundsKey{}, r)
}

func roundsFrom(ctx context.Context) *Rounds {
	r, _ := ctx.Value(roundsKey{}).(*Rounds)
	return r
}

// InputRequiredError wraps ErrInputRequired with the request to make.
func inputRequired(params mcp.CreateMessageParams) error {
	return fmt.Errorf("%w (%d messages)", ErrInputRequired, len(params.Messages))
}
