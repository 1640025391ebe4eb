package rest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
)

// The ChatCSV documentation's example request, with the file URL pointing
// at the local file server.
const seedBody = `{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "whats your name"}, {"role": "assistant", "content": "bob"}, {"role": "user", "content": "show me some interesting visuals about this data. but start with what q i asked first"}], "files": ["%s/titanic.csv"]}`

// TestSeedRequestEmbedded runs ChatCSV's example request against the real
// embedded engine: a 200 event stream whose events join into a markdown
// answer about the loaded data.
func TestSeedRequestEmbedded(t *testing.T) {
	env := newEnv(t, chat.NewEmbedded(), envOptions{})
	resp := post(t.Context(), t, env.api.URL, fmt.Sprintf(seedBody, env.files.URL))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	sse := newSSEReader(resp.Body)
	events := sse.all(t)
	require.NotEmpty(t, events)
	require.Empty(t, sse.otherFields, "the stream must be data-only")
	text := strings.Join(events, "")
	t.Logf("answer (%d events):\n%s", len(events), text)
	require.NotContains(t, text, "**Error:**")
	// Today the embedded engine answers about the loaded table (suggesting
	// questions it can answer); once it handles compound questions it
	// recalls the first question instead or as well.
	lower := strings.ToLower(text)
	require.True(t, strings.Contains(lower, "titanic") || strings.Contains(lower, "whats your name"), text)
	// Every chart link the engine gives must resolve.
	for _, link := range chartLinks(text) {
		require.True(t, strings.HasPrefix(link, env.api.URL+"/api/v1/charts/"), link)
		getPNG(t, link)
	}
	require.Contains(t, env.logs.String(), "status=200")
	require.Contains(t, env.logs.String(), "files=1")
}

// TestSeedRequestFullBehaviour shows what the seed request must give once
// the engine recalls earlier questions and draws "interesting visuals":
// the first question quoted, then charts whose links resolve to PNGs. The
// engine here is scripted; the embedded engine is held to this in the chat
// package.
func TestSeedRequestFullBehaviour(t *testing.T) {
	engine := engineFunc(func(ctx context.Context, cat chat.Catalog, req chat.Request, emit func(string) error) (*chat.Answer, error) {
		first := req.Messages[0].Content
		text := fmt.Sprintf("Your first question was: %q\n\nHere are some charts of `titanic`.\n", first)
		if err := emit(text); err != nil {
			return nil, err
		}
		res, err := cat.Query(ctx, "SELECT Pclass, avg(Survived) AS survival_rate FROM titanic GROUP BY Pclass ORDER BY Pclass", 100)
		if err != nil {
			return nil, err
		}
		return &chat.Answer{Text: text, Confident: true, Charts: []chat.Chart{
			{
				Spec:    charts.Spec{Kind: charts.Bar, X: "Pclass", Y: "survival_rate", Title: "Survival rate by class"},
				Data:    charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows},
				Finding: "First-class passengers survived most often.",
			},
			{
				Spec: charts.Spec{Kind: charts.Histogram, X: "Age", Title: "Ages [years]"},
				Data: ageData(ctx, t, cat),
			},
		}}, nil
	})
	env := newEnv(t, engine, envOptions{})
	resp := post(t.Context(), t, env.api.URL, fmt.Sprintf(seedBody, env.files.URL))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	text := strings.Join(newSSEReader(resp.Body).all(t), "")
	require.Contains(t, text, `Your first question was: "whats your name"`)
	links := chartLinks(text)
	require.Len(t, links, 2, text)
	require.Contains(t, text, "![First-class passengers survived most often.]("+links[0]+")\n\nFirst-class passengers survived most often.")
	require.Contains(t, text, "![Ages (years)]("+links[1]+")", "a title with brackets must not break the image link")
	for _, l := range links {
		img := getPNG(t, l)
		require.Equal(t, charts.DefaultWidth, img.Bounds().Dx())
	}
	require.NotEqual(t, links[0], links[1])
}

func ageData(ctx context.Context, t *testing.T, cat chat.Catalog) charts.Data {
	res, err := cat.Query(ctx, "SELECT Age FROM titanic WHERE Age IS NOT NULL", 1000)
	require.NoError(t, err)
	return charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
}

var linkRe = regexp.MustCompile(`!\[[^\]]*\]\(([^)]+)\)`)

func chartLinks(text string) []string {
	var out []string
	for _, m := range linkRe.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

func getPNG(t *testing.T, link string) image.Image {
	t.Helper()
	resp, err := http.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	require.Regexp(t, `^private, max-age=\d+$`, resp.Header.Get("Cache-Control"))
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return img
}

// TestStreamsBeforeEngineFinishes checks that an event reaches the client
// while the engine is still working.
func TestStreamsBeforeEngineFinishes(t *testing.T) {
	seen := make(chan struct{})
	finished := make(chan struct{})
	engine := engineFunc(func(ctx context.Context, _ chat.Catalog, _ chat.Request, emit func(string) error) (*chat.Answer, error) {
		defer close(finished)
		if err := emit("Thinking about it.\n\n"); err != nil {
			return nil, err
		}
		select {
		case <-seen:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Second):
			return nil, fmt.Errorf("the client never saw the first event")
		}
		if err := emit("Done: 42."); err != nil {
			return nil, err
		}
		return &chat.Answer{Text: "Thinking about it.\n\nDone: 42."}, nil
	})
	env := newEnv(t, engine, envOptions{})
	resp := post(t.Context(), t, env.api.URL, body(t, nil, "what is the answer?"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sse := newSSEReader(resp.Body)
	first, err := sse.next()
	require.NoError(t, err)
	require.Equal(t, "Thinking about it.\n\n", first)
	select {
	case <-finished:
		t.Fatal("the engine finished before the client saw the first event")
	default:
	}
	close(seen)
	rest := sse.all(t)
	require.Equal(t, []string{"Done: 42."}, rest)
	<-finished
}

// TestRawBytes pins the bytes on the wire, which is what curl --no-buffer
// prints: one "data:" line per line of a chunk, a blank line after each
// event, CRs turned into line ends, and no end marker.
func TestRawBytes(t *testing.T) {
	engine := engineFunc(func(_ context.Context, _ chat.Catalog, _ chat.Request, emit func(string) error) (*chat.Answer, error) {
		for _, p := range []string{"Hey", ", how can I help?\n\n", "", "| a |\r\n|---|\r\n| 1 |\n"} {
			if err := emit(p); err != nil {
				return nil, err
			}
		}
		return &chat.Answer{}, nil
	})
	env := newEnv(t, engine, envOptions{})
	resp := post(t.Context(), t, env.api.URL, body(t, nil, "hi"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	want := "data: Hey\n\n" +
		"data: , how can I help?\ndata: \ndata: \n\n" +
		"data: | a |\ndata: |---|\ndata: | 1 |\ndata: \n\n"
	require.Equal(t, want, string(raw))
	events := newSSEReader(bytes.NewReader(raw)).all(t)
	require.Equal(t, "Hey, how can I help?\n\n| a |\n|---|\n| 1 |\n", strings.Join(events, ""))
}

// TestPlainEngineParagraphs checks that a non-streaming engine's answer is
// sent one paragraph per event and arrives whole.
func TestPlainEngineParagraphs(t *testing.T) {
	text := "The average fare is 32.2.\n\n```sql\nSELECT avg(Fare)\n\nFROM titanic\n```\n\n| avg |\n|---|\n| 32.2 |\n"
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: text}, nil
	})
	env := newEnv(t, engine, envOptions{})
	resp := post(t.Context(), t, env.api.URL, body(t, nil, "average fare?"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	events := newSSEReader(resp.Body).all(t)
	require.Equal(t, []string{
		"The average fare is 32.2.\n\n",
		"```sql\nSELECT avg(Fare)\n\nFROM titanic\n```\n\n",
		"| avg |\n|---|\n| 32.2 |\n",
	}, events)
}

// TestLineEndsAcrossPieces checks that a CRLF split between two pieces is
// one line end, and a lone CR is one too.
func TestLineEndsAcrossPieces(t *testing.T) {
	tests := [][]string{
		{"a\r", "\nb"},
		{"a\r", "", "\nb"},
		{"a", "\r", "\n", "b"},
	}
	for _, pieces := range tests {
		rec := httptest.NewRecorder()
		stream := newEventStream(t.Context(), rec)
		for _, p := range pieces {
			require.NoError(t, stream.send(p))
		}
		require.Equal(t, "a\nb", strings.Join(newSSEReader(rec.Body).all(t), ""), "%q", pieces)
	}
	rec := httptest.NewRecorder()
	stream := newEventStream(t.Context(), rec)
	for _, p := range []string{"a\r", "\n", "\n", "\rb"} {
		require.NoError(t, stream.send(p))
	}
	require.Equal(t, "a\n\n\nb", strings.Join(newSSEReader(rec.Body).all(t), ""))
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"one\ntwo", []string{"one\ntwo"}},
		{"a\n\nb", []string{"a\n\n", "b"}},
		{"a\n\n\n\nb\n\n", []string{"a\n\n\n\n", "b\n\n"}},
		{"\n\na", []string{"\n\n", "a"}},
		{"```\nx\n\ny\n```\n\nz", []string{"```\nx\n\ny\n```\n\n", "z"}},
		{"```\nunclosed\n\nfence", []string{"```\nunclosed\n\nfence"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := paragraphs(tc.in)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.in, strings.Join(got, ""))
		})
	}
}

// TestEngineErrors covers failures of the engine: before any text they get
// a JSON status; after text began they end the stream with an error event.
func TestEngineErrors(t *testing.T) {
	t.Run("before the stream", func(t *testing.T) {
		engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
			return nil, fmt.Errorf("plan: %w", datasets.ErrUnknownDataset)
		})
		env := newEnv(t, engine, envOptions{})
		resp := post(t.Context(), t, env.api.URL, body(t, nil, "how many rows?"))
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		require.Contains(t, decodeError(t, resp), "unknown dataset")
	})
	t.Run("server fault before the stream", func(t *testing.T) {
		engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
			return nil, fmt.Errorf("open /srv/secret/model.bin: disk on fire")
		})
		env := newEnv(t, engine, envOptions{})
		resp := post(t.Context(), t, env.api.URL, body(t, nil, "how many rows?"))
		require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		msg := decodeError(t, resp)
		require.NotContains(t, msg, "/srv/secret", "internal details must not reach the client")
		require.Contains(t, env.logs.String(), "disk on fire", "but they are logged")
	})
	t.Run("during the stream", func(t *testing.T) {
		engine := engineFunc(func(_ context.Context, _ chat.Catalog, _ chat.Request, emit func(string) error) (*chat.Answer, error) {
			if err := emit("Working"); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("query: %w", datasets.ErrTimeout)
		})
		env := newEnv(t, engine, envOptions{})
		resp := post(t.Context(), t, env.api.URL, body(t, nil, "how many rows?"))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		events := newSSEReader(resp.Body).all(t)
		require.Len(t, events, 2)
		require.Equal(t, "Working", events[0])
		require.True(t, strings.HasPrefix(events[1], "\n\n**Error:** "), events[1])
		require.Contains(t, events[1], "timed out")
	})
}

// TestClientDisconnectStopsEngine checks that the engine's context is
// cancelled when the client goes away mid-answer.
func TestClientDisconnectStopsEngine(t *testing.T) {
	stopped := make(chan error, 1)
	engine := engineFunc(func(ctx context.Context, _ chat.Catalog, _ chat.Request, emit func(string) error) (*chat.Answer, error) {
		if err := emit("Starting"); err != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			stopped <- ctx.Err()
			return nil, ctx.Err()
		case <-time.After(20 * time.Second):
			stopped <- nil
			return &chat.Answer{Text: "too late"}, nil
		}
	})
	env := newEnv(t, engine, envOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	resp := post(ctx, t, env.api.URL, body(t, []string{env.files.URL + "/titanic.csv"}, "count"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	ev, err := newSSEReader(resp.Body).next()
	require.NoError(t, err)
	require.Equal(t, "Starting", ev)
	cancel()
	select {
	case err := <-stopped:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("the engine was not stopped")
	}
	// The request's catalog is dropped once the handler returns.
	require.Eventually(t, func() bool { return env.mgr.Sessions() == 0 }, 5*time.Second, 10*time.Millisecond)
}

// TestConcurrentRequestsIsolated runs ten requests at once, each loading
// its own file, and checks that each sees only its own table and rows.
func TestConcurrentRequestsIsolated(t *testing.T) {
	engine := plainEngine(func(ctx context.Context, cat chat.Catalog, _ chat.Request) (*chat.Answer, error) {
		tables := cat.Tables(ctx)
		var parts []string
		for _, tb := range tables {
			res, err := cat.Query(ctx, "SELECT count(*), max(label) FROM "+datasets.Ident(tb.Name), 1)
			if err != nil {
				return nil, err
			}
			parts = append(parts, fmt.Sprintf("%s:%v:%v", tb.Name, res.Rows[0][0], res.Rows[0][1]))
		}
		return &chat.Answer{Text: strings.Join(parts, ",")}, nil
	})
	env := newEnv(t, engine, envOptions{})
	const n = 10
	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(env.api.URL+"/api/v1/chat", "application/json",
				strings.NewReader(body(t, []string{fmt.Sprintf("%s/t%d.csv", env.files.URL, i)}, "what tables?")))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs[i] = fmt.Errorf("status %d", resp.StatusCode)
				return
			}
			var parts []string
			sse := newSSEReader(resp.Body)
			for {
				ev, err := sse.next()
				if err != nil {
					break
				}
				parts = append(parts, ev)
			}
			got[i] = strings.Join(parts, "")
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "request %d", i)
		require.Equal(t, fmt.Sprintf("t%d:%d:row %d of t%d", i, i+1, i, i), got[i], "request %d", i)
	}
	require.Equal(t, 0, env.mgr.Sessions(), "every request's catalog is dropped")
}
