package llm

import (
	"context"
	"errors"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"datachat/chat"
)

// replay answers req the way the chat tool does over multi round-trip
// results: each attempt replays the answer with the replies so far; when it
// stops for a reply, the host model (h) is asked and the answer replayed.
// It returns the answer, the requests the model got and how many attempts
// it took.
func replay(t *testing.T, eng *Engine, cat chat.Catalog, req chat.Request, h *scripted) (*chat.Answer, int) {
	t.Helper()
	var ans *chat.Answer
	attempts := 0
	inTool(t, h, func(ctx context.Context) {
		var replies []Reply
		for attempts = 1; attempts < 10; attempts++ {
			r := NewRounds(replies)
			got, err := eng.Answer(WithRounds(ctx, r), cat, req)
			if !errors.Is(err, ErrInputRequired) {
				require.NoError(t, err)
				ans = got
				return
			}
			res, err := h.CreateMessage(ctx, mcp.CreateMessageRequest{CreateMessageParams: *r.Needed()})
			require.NoError(t, err)
			require.NoError(t, r.Add(res))
			replies = r.Replies()
		}
		t.Fatal("the answer never finished")
	})
	return ans, attempts
}

func TestRoundsReplayAnswers(t *testing.T) {
	cat := titanic(t)
	eng := newEngine(t, Config{})
	q := ask("How many passengers survived?")

	direct := viaMCP(t, eng, cat, q, &scripted{replies: []string{planJSON(survivedSQL), "**342** passengers survived."}})
	require.NoError(t, direct.err)

	h := &scripted{replies: []string{planJSON(survivedSQL), "**342** passengers survived."}}
	ans, attempts := replay(t, eng, cat, q, h)
	require.Equal(t, 3, attempts, "plan, phrase, then the answer")
	require.Len(t, h.requests(), 2, "each question reaches the model once")
	require.Equal(t, direct.ans.Text, ans.Text, "the same answer as sampling directly")
	require.Equal(t, int64(342), ans.Value)
	require.Contains(t, ans.Text, "(scripted-model) via MCP sampling")

	// A repair is one more round.
	h = &scripted{replies: []string{planJSON(typoSQL), planJSON(survivedSQL), "342 survived."}}
	ans, attempts = replay(t, eng, cat, q, h)
	require.Equal(t, 4, attempts)
	require.Equal(t, survivedSQL, ans.SQL)
	require.Contains(t, reqText(h.requests()[1]), "Survivd", "the repair shows the model DuckDB's complaint")
}

func TestRoundsAdd(t *testing.T) {
	r := NewRounds(nil)
	require.Error(t, r.Add(nil))
	require.Error(t, r.Add(&mcp.CreateMessageResult{SamplingMessage: mcp.SamplingMessage{Content: mcp.NewImageContent("AA==", "image/png")}}))
	require.NoError(t, r.Add(&mcp.CreateMessageResult{SamplingMessage: mcp.SamplingMessage{Content: mcp.NewTextContent("hi")}, Model: "m"}))
	require.Equal(t, []Reply{{Text: "hi", Model: "m"}}, r.Replies())
}
