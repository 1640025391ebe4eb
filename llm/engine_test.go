package llm

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/chat"
)

func TestBackendSelection(t *testing.T) {
	const key, base = "sk-test-key", "http://localhost:11434/v1"
	tests := []struct {
		name     string
		mode     Mode
		key      string
		base     string
		caller   string // "sampling": MCP client with sampling; "mcp": without; "rest": no MCP session
		want     Backend
		wantNote bool
	}{
		{"auto prefers the host's model", ModeAuto, key, "", "sampling", BackendSampling, false},
		{"auto, empty mode", "", "", "", "sampling", BackendSampling, false},
		{"auto without sampling uses a key", ModeAuto, key, "", "mcp", BackendOpenAI, false},
		{"auto without sampling uses a base URL", ModeAuto, "", base, "mcp", BackendOpenAI, false},
		{"auto over REST uses the endpoint", ModeAuto, key, "", "rest", BackendOpenAI, false},
		{"auto with nothing is embedded", ModeAuto, "", "", "mcp", BackendEmbedded, false},
		{"auto over REST with nothing is embedded", ModeAuto, "", "", "rest", BackendEmbedded, false},
		{"none ignores sampling and key", ModeNone, key, base, "sampling", BackendEmbedded, false},
		{"sampling with a sampling client", ModeSampling, key, "", "sampling", BackendSampling, false},
		{"sampling without one falls back", ModeSampling, key, "", "mcp", BackendEmbedded, true},
		{"sampling over REST falls back", ModeSampling, "", "", "rest", BackendEmbedded, true},
		{"openai even when sampling is offered", ModeOpenAI, key, "", "sampling", BackendOpenAI, false},
		{"openai with a base URL only", ModeOpenAI, "", base, "rest", BackendOpenAI, false},
		{"openai unconfigured falls back", ModeOpenAI, "", "", "sampling", BackendEmbedded, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := newEngine(t, Config{Mode: tt.mode, OpenAIKey: tt.key, OpenAIBaseURL: tt.base})
			var got Backend
			var note string
			check := func(ctx context.Context) { got, note = eng.choose(ctx) }
			switch tt.caller {
			case "sampling":
				inTool(t, &scripted{}, check)
			case "mcp":
				inTool(t, nil, check)
			default:
				check(t.Context())
			}
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.wantNote, note != "", note)
		})
	}
}

func TestNewValidates(t *testing.T) {
	_, err := New(Config{Mode: "gpt"})
	require.ErrorContains(t, err, `unknown LLM mode "gpt"`)
	_, err = New(Config{OpenAIBaseURL: "localhost:11434"})
	require.ErrorContains(t, err, "want an http(s) URL")
	_, err = New(Config{OpenAIBaseURL: "ftp://example.com/v1"})
	require.ErrorContains(t, err, "want an http(s) URL")
	e, err := New(Config{OpenAIBaseURL: "http://localhost:11434/v1/"})
	require.NoError(t, err)
	require.Equal(t, "http://localhost:11434/v1", e.openai.base)
	require.Equal(t, DefaultModel, e.defaultModel)
	e, err = New(Config{OpenAIKey: "sk-x"})
	require.NoError(t, err)
	require.Equal(t, DefaultBaseURL, e.openai.base)

	for in, want := range map[string]Mode{"": ModeAuto, " Auto ": ModeAuto, "none": ModeNone, "SAMPLING": ModeSampling, "openai": ModeOpenAI} {
		got, err := ParseMode(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

func TestEmitErrorStopsTheAnswer(t *testing.T) {
	cat := titanic(t)
	f := &fakeOpenAI{t: t, key: "sk-emit", plans: []string{planJSON(survivedSQL)}, chunks: [][]string{{"a", "b", "c"}}}
	gone := errors.New("client left")
	calls := 0
	_, err := openAIEngine(t, f).AnswerStream(t.Context(), cat, ask("How many passengers survived?"), func(string) error {
		calls++
		return gone
	})
	require.ErrorIs(t, err, gone)
	require.Equal(t, 1, calls)
}

func TestNoQuestionGoesToTheFallback(t *testing.T) {
	cat := titanic(t)
	f := &fakeOpenAI{t: t, key: "sk-none"}
	eng := openAIEngine(t, f)
	req := chat.Request{Messages: []chat.Message{{Role: "assistant", Content: "Hello"}}}
	want, wantErr := chat.NewEmbedded().Answer(t.Context(), cat, req)
	got, err := eng.Answer(t.Context(), cat, req)
	require.Equal(t, wantErr, err)
	require.Equal(t, want, got)

	req = ask("How many passengers survived?")
	req.Datasets = []string{"nope"}
	want, err = chat.NewEmbedded().Answer(t.Context(), cat, req)
	require.NoError(t, err)
	got, err = eng.Answer(t.Context(), cat, req)
	require.NoError(t, err)
	require.Equal(t, want, got, "the fallback's answer about an unknown dataset, unchanged")
	require.Empty(t, f.requests(), "the model is not asked")
}

func TestTrimHistory(t *testing.T) {
	long := strings.Repeat("x", 5000)
	msgs := []chat.Message{
		{Role: "assistant", Content: "welcome"},
		{Role: "user", Content: "q1"},
		{Role: "assistant", Content: "a1"},
		{Role: "system", Content: "s"},
		{Role: "user", Content: long},
		{Role: "user", Content: "  "},
		{Role: "assistant", Content: "a trailing reply"},
	}
	got := trimHistory(msgs)
	require.Len(t, got, 4)
	require.Equal(t, chat.Message{Role: "user", Content: "q1"}, got[0])
	require.Equal(t, "user", got[2].Role, "other roles become user")
	require.Equal(t, "user", got[3].Role)
	require.LessOrEqual(t, len(got[3].Content), maxMessageChars+len("…"))

	var many []chat.Message
	for range 40 {
		many = append(many, chat.Message{Role: "user", Content: "q"}, chat.Message{Role: "assistant", Content: "a"})
	}
	got = trimHistory(many)
	require.LessOrEqual(t, len(got), maxHistory)
	require.Equal(t, "user", got[0].Role)
	require.Equal(t, "user", got[len(got)-1].Role)
	require.Nil(t, trimHistory([]chat.Message{{Role: "assistant", Content: "hi"}}))
}
