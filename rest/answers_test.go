package rest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/chat"
)

// countingEngine counts the answers it computes.
type countingEngine struct {
	chat.Engine
	n atomic.Int64
}

func (c *countingEngine) Answer(ctx context.Context, cat chat.Catalog, req chat.Request) (*chat.Answer, error) {
	c.n.Add(1)
	return c.Engine.Answer(ctx, cat, req)
}

func answerText(t *testing.T, env *testEnv, payload string) string {
	t.Helper()
	resp := post(t.Context(), t, env.api.URL, payload)
	require.Equal(t, 200, resp.StatusCode)
	return strings.Join(newSSEReader(resp.Body).all(t), "\n")
}

// TestAnswerCache: the same question about the same file again is answered
// from the cache, also when asked by several clients at once; another
// question, or other data, is answered anew.
func TestAnswerCache(t *testing.T) {
	engine := &countingEngine{Engine: chat.NewEmbedded()}
	env := newEnv(t, engine, envOptions{})
	file := env.files.URL + "/t40.csv"
	ask := body(t, []string{file}, "how many rows are there?")
	first := answerText(t, env, ask)
	require.Contains(t, first, "41")
	require.Equal(t, first, answerText(t, env, ask))
	require.EqualValues(t, 1, engine.n.Load(), "the same question about the same bytes")

	var wg sync.WaitGroup
	texts := make([]string, 5)
	other := body(t, []string{file}, "what is the largest id?")
	for i := range texts {
		wg.Add(1)
		go func() { defer wg.Done(); texts[i] = answerText(t, env, other) }()
	}
	wg.Wait()
	for _, txt := range texts {
		require.Equal(t, texts[0], txt)
	}
	require.EqualValues(t, 2, engine.n.Load(), "concurrent requests wait for one answer")

	answerText(t, env, body(t, []string{env.files.URL + "/t41.csv"}, "how many rows are there?"))
	require.EqualValues(t, 3, engine.n.Load(), "other bytes, another answer")
}
