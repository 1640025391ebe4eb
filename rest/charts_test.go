package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/charts"
	"datachat/chat"
)

// fakeClock is a settable clock for the chart store.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func barChart(title, finding string) chat.Chart {
	return chat.Chart{
		Spec:    charts.Spec{Kind: charts.Bar, X: "sex", Y: "n", Title: title},
		Data:    charts.Data{Columns: []string{"sex", "n"}, Rows: [][]any{{"male", int64(577)}, {"female", int64(314)}}},
		Finding: finding,
	}
}

// TestChartLinks checks that an answer's chart links serve PNGs with a
// private cache lifetime, and that unknown, malformed and expired ids give
// a JSON 404.
func TestChartLinks(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "There were more men than women.", Charts: []chat.Chart{
			barChart("Passengers by sex", "Men outnumbered women almost two to one."),
			barChart("Passengers by sex", ""),
			{Spec: charts.Spec{Kind: charts.Scatter, X: "nope", Y: "n"}, Data: charts.Data{Columns: []string{"sex"}}},
		}}, nil
	})
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	env := newEnv(t, engine, envOptions{rest: Config{ChartTTL: time.Minute}, now: clock.now})

	resp := post(t.Context(), t, env.api.URL, body(t, nil, "men or women?"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	text := strings.Join(newSSEReader(resp.Body).all(t), "")
	links := chartLinks(text)
	require.Len(t, links, 2, "the chart that cannot be drawn is left out: %s", text)
	require.Contains(t, text, "There were more men than women.\n\n![Men outnumbered women almost two to one.]("+links[0]+")\n\nMen outnumbered women almost two to one.\n\n")
	require.Contains(t, text, "![Passengers by sex]("+links[1]+")\n\n", "a chart without a finding is named by its title")
	require.Contains(t, env.logs.String(), "render chart")

	img := getPNG(t, links[0])
	require.Equal(t, charts.DefaultWidth, img.Bounds().Dx())
	require.Equal(t, charts.DefaultHeight, img.Bounds().Dy())
	cc := headOf(t, links[0]).Get("Cache-Control")
	require.Equal(t, "private, max-age=60", cc)

	clock.add(45 * time.Second)
	require.Equal(t, "private, max-age=15", headOf(t, links[0]).Get("Cache-Control"), "max-age is the time left")

	base := env.api.URL + "/api/v1/charts/"
	id := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(links[0], "?", 2)[0], base), ".png")
	query := strings.SplitN(links[0], "?", 2)[1]
	unknown := strings.Repeat("0", 32)
	for _, bad := range []string{
		base + unknown + ".png?" + env.rest.signer.query(unknown, clock.now().Add(time.Minute)), // signed, but no such chart
		base + "abc.png?" + query, // malformed
		base + id + ".svg?" + query,
		base + id + "?" + query,
		base + strings.ToUpper(id) + ".png?" + query,
	} {
		requireRefused(t, bad, http.StatusNotFound, "ask the question again")
	}
	sig := strings.SplitN(query, "&sig=", 2)[1]
	flipped := []byte(sig)
	flipped[0] ^= 1
	if flipped[0] == sig[0] {
		flipped[0] = 'A'
	}
	exp := strings.TrimPrefix(strings.SplitN(query, "&", 2)[0], "exp=")
	later, err := strconv.ParseInt(exp, 10, 64)
	require.NoError(t, err)
	for _, bad := range []string{
		base + id + ".png",                                                          // no signature: an <img> link needs one
		base + id + ".png?exp=" + exp,                                               // cut short
		base + id + ".png?exp=" + exp + "&sig=" + string(flipped),                   // tampered signature
		base + id + ".png?exp=" + strconv.FormatInt(later+3600, 10) + "&sig=" + sig, // tampered expiry
		strings.Replace(links[0], id, strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(links[1], base), "?", 2)[0], ".png"), 1), // another chart's id
		base + id + ".png?exp=0" + exp + "&sig=" + sig, // the same number written differently
	} {
		requireRefused(t, bad, http.StatusForbidden, "not valid")
	}

	clock.add(15 * time.Second)
	requireRefused(t, links[0], http.StatusGone, "expired")
	requireRefused(t, links[1], http.StatusGone, "expired")
	_, _, ok, _ := env.rest.charts.get(id)
	require.False(t, ok)
	require.Equal(t, 0, env.rest.charts.len(), "expired charts are dropped")
}

// TestChartLinkKey checks that links signed with one key are refused by a
// server with another, and accepted by one with the same key (a key kept
// across restarts).
func TestChartLinkKey(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	a, b := newSigner([]byte("key one")), newSigner([]byte("key one"))
	other, random := newSigner([]byte("key two")), newSigner(nil)
	id := newID()
	q := a.query(id, now.Add(time.Hour))
	params := func(q string) (string, string) {
		exp, sig, _ := strings.Cut(strings.TrimPrefix(q, "exp="), "&sig=")
		return exp, sig
	}
	exp, sig := params(q)
	require.Equal(t, linkValid, a.check(id, exp, sig, now))
	require.Equal(t, linkValid, b.check(id, exp, sig, now))
	require.Equal(t, linkBad, other.check(id, exp, sig, now))
	require.Equal(t, linkBad, random.check(id, exp, sig, now))
	require.Equal(t, linkExpired, a.check(id, exp, sig, now.Add(time.Hour)))
	require.Equal(t, linkBad, a.check(id, exp, "", now))
	require.Equal(t, linkBad, a.check(id, "x", sig, now))
}

func requireRefused(t *testing.T, link string, status int, says string) {
	t.Helper()
	resp, err := http.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, status, resp.StatusCode, link)
	require.Contains(t, decodeError(t, resp), says)
}

func headOf(t *testing.T, link string) http.Header {
	t.Helper()
	resp, err := http.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return resp.Header
}

// TestChartBaseURL checks where chart links point: PublicURL when set,
// else the request's scheme and host; forwarding headers only when
// PublicURL is "forwarded" (any client can send them).
func TestChartBaseURL(t *testing.T) {
	engine := plainEngine(func(context.Context, chat.Catalog, chat.Request) (*chat.Answer, error) {
		return &chat.Answer{Text: "Chart:", Charts: []chat.Chart{barChart("By sex", "")}}, nil
	})
	tests := []struct {
		name    string
		public  string
		headers map[string]string
		want    string // prefix; "" means the test server's URL
	}{
		{"from the request", "", nil, ""},
		{"public URL", "https://datachat.example.com/", nil, "https://datachat.example.com/api/v1/charts/"},
		{"forwarded headers not trusted by default", "", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example.org"}, ""},
		{"public URL beats forwarded headers", "https://datachat.example.com", map[string]string{"X-Forwarded-Host": "evil.example.org"}, "https://datachat.example.com/api/v1/charts/"},
		{"forwarded when told", PublicURLForwarded, map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"}, "https://data.example.org/api/v1/charts/"},
		{"bad forwarded host ignored", PublicURLForwarded, map[string]string{"X-Forwarded-Host": "evil.example/x?"}, ""},
		{"bad forwarded proto ignored", PublicURLForwarded, map[string]string{"X-Forwarded-Proto": "javascript"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, engine, envOptions{rest: Config{PublicURL: tc.public}})
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, env.api.URL+"/api/v1/chat", strings.NewReader(body(t, nil, "chart it")))
			require.NoError(t, err)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			links := chartLinks(strings.Join(newSSEReader(resp.Body).all(t), ""))
			require.Len(t, links, 1)
			want := tc.want
			if want == "" {
				want = env.api.URL + "/api/v1/charts/"
			}
			require.True(t, strings.HasPrefix(links[0], want), "%s does not start with %s", links[0], want)
			require.Regexp(t, `/api/v1/charts/[0-9a-f]{32}\.png\?exp=\d+&sig=[\w-]{43}$`, links[0])
		})
	}
}

// drawsAs is a chart that draws as b.
func drawsAs(b []byte) func(context.Context) ([]byte, error) {
	return func(context.Context) ([]byte, error) { return b, nil }
}

// TestChartStoreDrawsOnFirstFetch: a chart is drawn once, when first
// fetched, and then counted by its image's size.
func TestChartStoreDrawsOnFirstFetch(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	s := newChartStore(time.Hour, clock.now)
	draws := 0
	id := s.put(func(context.Context) ([]byte, error) { draws++; return []byte("drawn"), nil }, 1000)
	require.Zero(t, draws, "nothing is drawn before the link is fetched")
	require.Equal(t, 1000, s.bytes)
	for range 3 {
		png, _, ok, err := s.get(id)
		require.True(t, ok)
		require.NoError(t, err)
		require.Equal(t, "drawn", string(png))
	}
	require.Equal(t, 1, draws)
	require.Equal(t, 5, s.bytes)

	bad := s.put(func(context.Context) ([]byte, error) { return nil, errors.New("no font") }, 10)
	_, _, ok, err := s.get(bad)
	require.True(t, ok)
	require.ErrorContains(t, err, "no font")
}

// TestChartStoreBounds checks eviction by count, by bytes and by age.
func TestChartStoreBounds(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	s := newChartStore(time.Hour, clock.now)
	s.maxCount, s.maxBytes = 3, 100

	ids := make([]string, 5)
	for i := range ids {
		ids[i] = s.put(drawsAs([]byte(fmt.Sprintf("png-%d", i))), 5)
		clock.add(time.Second)
	}
	require.Equal(t, 3, s.len())
	for i, id := range ids {
		_, _, ok, _ := s.get(id)
		require.Equal(t, i >= 2, ok, "chart %d", i)
	}

	big := s.put(drawsAs(make([]byte, 90)), 90)
	require.Equal(t, 3, s.len(), "room for 90 bytes is made by evicting the oldest only")
	require.Equal(t, 100, s.bytes)
	for id, want := range map[string]bool{ids[2]: false, ids[3]: true, ids[4]: true, big: true} {
		_, _, ok, _ := s.get(id)
		require.Equal(t, want, ok)
	}
	require.Empty(t, s.put(drawsAs(nil), 101), "a chart larger than the store is not kept")

	clock.add(time.Hour)
	_, _, ok, _ := s.get(big)
	require.False(t, ok)
	require.Equal(t, 0, s.len())
	require.Equal(t, 0, s.bytes)
}
