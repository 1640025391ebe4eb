package rest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/charts"
	"datachat/chat"
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
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream"), resp.Header.Get("Content-Type"))
	require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	sse := newSSEReader(resp.Body)
	events := sse.all(t)
	require.NotEmpty(t, events)
	require.Empty(t, sse.otherFields, "the stream must be data-only")
	text := strings.Join(events, "")
	t.Logf("answer (%d events):\n%s", len(events), text)
	require.NotContains(t, text, "**Error:**")
	// The answer is about the loaded table.
	require.Contains(t, strings.ToLower(text), "titanic")
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
