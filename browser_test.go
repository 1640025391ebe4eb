package main

// Browser tests: Debian's chromium, driven with chromedp, against a real
// `datachat serve` on loopback. Locally they skip when no chromium is
// installed; with CI=true they must run. DATACHAT_SCREENSHOTS=DIR also
// writes the README's screenshots there.

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// chromium finds the browser: $CHROMIUM, then the usual names on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI must run the browser tests (.ci/run installs it with apt-get)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); skipping the browser tests")
	return ""
}

// browser starts one headless chromium for a test; tabs open in it.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return ctx
}

// tab is one browser tab that records every script error.
type tab struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// newTab opens a tab of width × height CSS pixels (a phone below 600).
func newTab(t *testing.T, browserCtx context.Context, width, height int64) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx), "open a tab")
	tb := &tab{ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			// A failed request (a 401 for a wrong token, a refused URL) is
			// logged by the network, not by a script; the page shows it.
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && m.Source != "network" {
				tb.mu.Lock()
				tb.errors = append(tb.errors, m.String())
				tb.mu.Unlock()
			}
		}
	}()
	_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: 1, Mobile: width < 600})
	require.NoError(t, err)
	// Each step gets a deadline, so a page that never answers fails the test.
	return tb
}

func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Minute)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, steps...), "script errors so far: %v", tb.scriptErrors())
}

func (tb *tab) scriptErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

func (tb *tab) requireNoScriptErrors(t *testing.T) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // let the console catch up
	require.Empty(t, tb.scriptErrors(), "the page reported script errors")
}

// evalJS evaluates a JS expression and decodes its value.
func evalJS[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, "evaluate %s; script errors so far: %v", expr, tb.scriptErrors())
	return v
}

// waitJS polls a JS expression until it is true.
func (tb *tab) waitJS(t *testing.T, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Minute)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(90*time.Second)))
	require.NoError(t, err, "%s; script errors so far: %v", what, tb.scriptErrors())
	require.True(t, ok, what)
}

func (tb *tab) text(t *testing.T, selector string) string {
	t.Helper()
	return evalJS[string](t, tb, fmt.Sprintf(`document.querySelector(%q).textContent`, selector))
}

func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("DATACHAT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}

// firstClassSurvival computes, from the CSV itself, the share of first-class
// passengers who survived: the number the page must show.
func firstClassSurvival(t *testing.T) string {
	t.Helper()
	f, err := os.Open("testdata/titanic.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var n, survived int
	for _, r := range recs[1:] {
		if r[col["Pclass"]] == "1" {
			n++
			if r[col["Survived"]] == "1" {
				survived++
			}
		}
	}
	require.Positive(t, n)
	return strconv.FormatFloat(float64(survived)/float64(n), 'f', 4, 64)
}

// chartQuestion is a question today's engine answers with charts, a table
// and SQL (it names explicit chart requests as the "interesting visuals" of
// the table).
const chartQuestion = "show survival by class as a chart"

// TestBrowserChatPage uploads a file on the chat page, asks, and checks the
// streamed answer: the number, its SQL, a sortable table and an
// interactive chart, with no script error; then a follow-up question and a
// load error shown in place. At desktop and phone width.
func TestBrowserChatPage(t *testing.T) {
	b := browser(t)
	base := httpServer(t)
	abs, err := filepath.Abs("testdata/titanic.csv")
	require.NoError(t, err)
	want := firstClassSurvival(t)
	share, err := strconv.ParseFloat(want, 64)
	require.NoError(t, err)
	pct := strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64)
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			tb := newTab(t, b, size.width, size.height)
			tb.do(t,
				chromedp.Navigate(base+"/"),
				chromedp.WaitVisible(chromedp.CSS(`input[type="file"]#file`)),
				chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{abs}),
				chromedp.WaitVisible(chromedp.CSS(`[data-table="titanic"]`)),
			)
			card := tb.text(t, `[data-table="titanic"]`)
			require.Contains(t, card, "891 rows")
			require.Contains(t, card, "12 columns")
			require.Contains(t, card, "Pclass")
			require.Contains(t, card, "titanic.csv")

			// Shift+Enter breaks the line; Enter sends.
			tb.do(t,
				chromedp.Click(chromedp.CSS(`#question`)),
				chromedp.SendKeys(chromedp.CSS(`#question`), "show survival"),
				chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierShift)),
			)
			require.Equal(t, "show survival\n", evalJS[string](t, tb, `document.querySelector("#question").value`), "Shift+Enter adds a line and does not send")
			require.Zero(t, evalJS[int](t, tb, `document.querySelectorAll(".turn").length`))
			evalJS[bool](t, tb, `(document.querySelector("#question").value = "", true)`)
			tb.do(t, chromedp.SendKeys(chromedp.CSS(`#question`), chartQuestion+kb.Enter))
			tb.waitJS(t, "the answer is complete", `document.querySelector(".turn.assistant:not(.pending) .vega-embed svg") !== null`)
			if os.Getenv("DATACHAT_SCREENSHOTS") != "" {
				evalJS[bool](t, tb, `(document.querySelector(".turn.user").scrollIntoView({block: "start"}), true)`)
				tb.screenshot(t, "page-"+size.name+".png")
			}

			// Its charts are SVG drawn by vega-embed, each with its SQL and
			// its data as a table, collapsed until asked for.
			require.GreaterOrEqual(t, evalJS[int](t, tb, `document.querySelectorAll(".turn.assistant .vega-embed svg").length`), 1)
			byClass := `[...document.querySelectorAll(".turn.assistant figure.chart")].find(f => f.textContent.includes("by Pclass") && f.textContent.includes("Survived"))`
			require.True(t, evalJS[bool](t, tb, byClass+` !== undefined`), "a chart of survival by class")
			require.Contains(t, evalJS[string](t, tb, byClass+`.querySelector("details.sql code").textContent`), `"Pclass"`)
			require.False(t, evalJS[bool](t, tb, byClass+`.querySelector("details.sql").open`))
			evalJS[bool](t, tb, `(`+byClass+`.querySelector("details.chart-data summary").click(), true)`)
			firstRow := evalJS[[]string](t, tb, `[...`+byClass+`.querySelectorAll(".datatable tbody tr")].map(r => r.textContent)`)
			require.Contains(t, firstRow, "1"+pct+"216", "class 1: the survival rate in percent and the passenger count")

			// A question answered with one number: the number, its SQL and its table.
			tb.do(t, chromedp.SendKeys(chromedp.CSS(`#question`), "survival rate by class"+kb.Enter))
			tb.waitJS(t, "the second answer is complete", `document.querySelectorAll(".turn.assistant:not(.pending)").length === 2`)
			last := `[...document.querySelectorAll(".turn.assistant")].at(-1)`
			require.Contains(t, evalJS[string](t, tb, last+`.textContent`), want, "the answer shows the survival rate of first class")
			sql := evalJS[string](t, tb, last+`.querySelector("details.sql code").textContent`)
			require.Contains(t, sql, "SELECT")
			require.Contains(t, sql, `"Pclass"`)
			require.False(t, evalJS[bool](t, tb, last+`.querySelector("details.sql").open`), "the SQL is collapsed until asked for")
			require.Equal(t, 3, evalJS[int](t, tb, last+`.querySelectorAll(":scope > .datatable tbody tr").length`), "one row per class")
			evalJS[bool](t, tb, `(`+last+`.querySelector(":scope > .datatable th:nth-child(2) button").click(), true)`)
			evalJS[bool](t, tb, `(`+last+`.querySelector(":scope > .datatable th:nth-child(2) button").click(), true)`)
			require.Equal(t, "descending", evalJS[string](t, tb, last+`.querySelector(":scope > .datatable th:nth-child(2)").getAttribute("aria-sort")`))
			require.Equal(t, want, evalJS[string](t, tb, last+`.querySelector(":scope > .datatable tbody td:nth-child(2)").textContent`), "sorted from the largest share")
			require.True(t, evalJS[bool](t, tb, `!!`+last+`.querySelector(":scope > .datatable button.csv")`))

			// A follow-up keeps the conversation.
			tb.do(t, chromedp.SendKeys(chromedp.CSS(`#question`), "average fare by class"+kb.Enter))
			tb.waitJS(t, "the third answer is complete", `document.querySelectorAll(".turn.assistant:not(.pending)").length === 3`)
			require.Equal(t, 3, evalJS[int](t, tb, `document.querySelectorAll(".turn.user").length`))
			require.Contains(t, evalJS[string](t, tb, last+`.textContent`), "84.15", "mean fare of first class")

			// A file that cannot be fetched is reported in place.
			tb.do(t,
				chromedp.SendKeys(chromedp.CSS(`#url`), base+"/nothing-here.csv"),
				chromedp.Click(chromedp.CSS(`#urlform button`)),
			)
			tb.waitJS(t, "the load error is shown", `document.querySelector(".status.error") !== null`)
			require.Contains(t, tb.text(t, `.status.error`), "Could not load")
			tb.requireNoScriptErrors(t)
		})
	}
}

// TestBrowserTokenLogin checks that with --token the page asks for the
// token in a password field, refuses a wrong one, and keeps the right one
// for the tab only.
func TestBrowserTokenLogin(t *testing.T) {
	b := browser(t)
	base := httpServer(t, "--token", "s3cret-token")
	tb := newTab(t, b, 1280, 900)
	tb.do(t,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[type="password"]#token`)),
	)
	require.True(t, evalJS[bool](t, tb, `document.querySelector(".shell").hidden`), "nothing but the login shows before the token")

	tb.do(t, chromedp.SendKeys(chromedp.CSS(`#token`), "wrong"+kb.Enter))
	tb.waitJS(t, "the wrong token is refused", `document.querySelector("#login .error").textContent.includes("not accepted")`)

	tb.do(t,
		chromedp.SendKeys(chromedp.CSS(`#token`), "s3cret-token"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#file`)),
	)
	require.Equal(t, "s3cret-token", evalJS[string](t, tb, `sessionStorage.getItem("datachat-token")`))
	require.False(t, evalJS[bool](t, tb, `Object.values(localStorage).includes("s3cret-token") || document.cookie.includes("s3cret")`), "the token is kept for the tab only")

	abs, err := filepath.Abs("testdata/titanic.csv")
	require.NoError(t, err)
	tb.do(t,
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{abs}),
		chromedp.WaitVisible(chromedp.CSS(`[data-table="titanic"]`)),
		chromedp.SendKeys(chromedp.CSS(`#question`), "how many passengers are there?"+kb.Enter),
	)
	tb.waitJS(t, "the answer is complete", `document.querySelector(".turn.assistant:not(.pending)") !== null`)
	require.Contains(t, tb.text(t, `.turn.assistant`), "891")

	// The page follows the system's light or dark theme.
	background := `getComputedStyle(document.body).backgroundColor`
	light := evalJS[string](t, tb, background)
	_, err = chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	require.NoError(t, err)
	dark := evalJS[string](t, tb, background)
	require.Equal(t, "rgb(247, 247, 245)", light)
	require.Equal(t, "rgb(22, 24, 27)", dark)
	tb.requireNoScriptErrors(t)
}

// hostCSP is the policy the test host page runs under and its srcdoc iframe
// inherits: inline code only, no eval, no network but this server, as MCP
// hosts apply to views.
const hostCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'"

// serveHostPage makes the browser receive web/testdata/host.html for
// base+"/testhost" as if the server sent it (with hostCSP), so that the
// host's MCP client calls /mcp on the same origin.
func serveHostPage(t *testing.T, tb *tab, base string) string {
	t.Helper()
	page, err := os.ReadFile("web/testdata/host.html")
	require.NoError(t, err)
	url := base + "/testhost"
	paused := chromedp.Events(tb.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200, Body: page,
				ResponseHeaders: []*fetch.HeaderEntry{
					{Name: "Content-Type", Value: "text/html; charset=utf-8"},
					{Name: "Content-Security-Policy", Value: hostCSP},
				},
			})
		}
	}()
	_, err = chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: url, RequestStage: fetch.RequestStageRequest}}})
	require.NoError(t, err)
	return url
}

// hostState is what the test host page records.
type hostState struct {
	Initialized bool     `json:"initialized"`
	Delivered   bool     `json:"delivered"`
	Error       string   `json:"error"`
	ResourceURI string   `json:"resourceUri"`
	MimeType    string   `json:"mimeType"`
	AppOnly     []string `json:"appOnly"`
	Text        string   `json:"text"`
	Forwarded   []string `json:"forwarded"`
}

// TestBrowserMCPAppView runs the view inside a test host page that speaks
// the MCP Apps protocol with AppBridge and PostMessageTransport, receiving
// real tool results from a real datachat server: a query result paged and
// sorted through the app-only view_rows tool, a chart, a profile and a chat
// answer, in the host's theme, with size reports.
func TestBrowserMCPAppView(t *testing.T) {
	b := browser(t)
	td := testdataDir(t)
	load := fmt.Sprintf(`{"name": "load_file", "arguments": {"source": %q}}`, filepath.Join(td, "titanic.csv"))
	want := firstClassSurvival(t)
	cases := []struct {
		name, call, theme string
		phone             bool
		check             func(t *testing.T, tb *tab)
	}{
		{"query", `{"name": "query", "arguments": {"sql": "SELECT \"PassengerId\", \"Name\", \"Fare\" FROM titanic ORDER BY \"PassengerId\""}}`, "light", true,
			func(t *testing.T, tb *tab) {
				frameWait(t, tb, "the table is shown", `d.querySelectorAll(".datatable tbody tr").length === 25`)
				require.Contains(t, frameJS[string](t, tb, `d.querySelector(".pager .info").textContent`), "of 891 rows")
				frameJS[bool](t, tb, `(d.querySelector(".pager button.next").click(), true)`)
				frameWait(t, tb, "page 2 came from view_rows", `d.querySelector(".datatable tbody tr td").textContent === "26"`)
				frameJS[bool](t, tb, `(d.querySelector(".datatable th:nth-child(3) button").click(), true)`)
				frameWait(t, tb, "sorted by fare", `d.querySelector(".datatable th:nth-child(3)").getAttribute("aria-sort") === "ascending" && d.querySelector(".datatable tbody tr td:nth-child(3)").textContent === "0"`)
				frameJS[bool](t, tb, `(d.querySelector(".datatable th:nth-child(3) button").click(), true)`)
				frameWait(t, tb, "sorted by fare, largest first", `d.querySelector(".datatable tbody tr td:nth-child(3)").textContent.startsWith("512.3")`)
				st := evalJS[hostState](t, tb, `window.hostState`)
				require.GreaterOrEqual(t, len(st.Forwarded), 3)
				for _, f := range st.Forwarded {
					require.Equal(t, "view_rows", f, "the view pages through the app-only tool")
				}
			}},
		{"chart", `{"name": "chart", "arguments": {"sql": "SELECT \"Pclass\", avg(\"Fare\") AS fare FROM titanic GROUP BY 1", "kind": "bar", "x": "Pclass", "y": "fare"}}`, "dark", false,
			func(t *testing.T, tb *tab) {
				frameWait(t, tb, "the chart is drawn", `d.querySelector(".vega-embed svg") !== null`)
				require.Equal(t, "dark", frameJS[string](t, tb, `d.documentElement.dataset.theme`), "the view takes the host's theme")
				evalJS[bool](t, tb, `(window.setHostTheme("light"), true)`)
				frameWait(t, tb, "the theme follows the host", `d.documentElement.dataset.theme === "light"`)
			}},
		{"describe", `{"name": "describe", "arguments": {"dataset": "titanic"}}`, "light", false,
			func(t *testing.T, tb *tab) {
				frameWait(t, tb, "the profile is shown", `d.querySelector(".profile") !== null`)
				require.Contains(t, frameJS[string](t, tb, `d.querySelector(".view").textContent`), "891 rows")
				require.Contains(t, frameJS[string](t, tb, `d.querySelector(".profile").textContent`), "Fare")
			}},
		{"chat", fmt.Sprintf(`{"name": "chat", "arguments": {"messages": [{"role": "user", "content": %q}]}}`, chartQuestion), "light", true,
			func(t *testing.T, tb *tab) {
				frameWait(t, tb, "the answer's charts are drawn", `d.querySelectorAll(".vega-embed svg").length >= 2`)
				byClass := `[...d.querySelectorAll("figure.chart")].find(f => f.textContent.includes("by Pclass") && f.textContent.includes("Survived"))`
				require.True(t, frameJS[bool](t, tb, byClass+` !== undefined`), "a chart of survival by class")
				require.Contains(t, frameJS[string](t, tb, byClass+`.querySelector("details.sql code").textContent`), `"Pclass"`)
			}},
		{"chat-number", `{"name": "chat", "arguments": {"messages": [{"role": "user", "content": "survival rate by class"}]}}`, "light", false,
			func(t *testing.T, tb *tab) {
				frameWait(t, tb, "the answer's table is shown", `d.querySelectorAll(".datatable tbody tr").length === 3`)
				require.Contains(t, frameJS[string](t, tb, `d.querySelector(".view").textContent`), want)
				require.Contains(t, frameJS[string](t, tb, `d.querySelector("details.sql code").textContent`), "SELECT")
			}},
	}
	base := httpServer(t, "--allow-dir", td)
	for _, tc := range cases {
		for _, size := range []struct {
			name          string
			width, height int64
		}{{"desktop", 1100, 800}, {"phone", 390, 844}} {
			if size.name == "phone" && !tc.phone {
				continue
			}
			t.Run(tc.name+"/"+size.name, func(t *testing.T) {
				tb := newTab(t, b, size.width, size.height)
				url := serveHostPage(t, tb, base)
				tb.do(t, chromedp.Navigate(url))
				evalJS[bool](t, tb, fmt.Sprintf(`(window.runHost({theme: %q, setup: [%s], call: %s}), true)`, tc.theme, load, tc.call))
				tb.waitJS(t, "the view got the result", `window.hostState.delivered || window.hostState.error !== ""`)
				st := evalJS[hostState](t, tb, `window.hostState`)
				require.Empty(t, st.Error)
				require.True(t, st.Initialized)
				require.Equal(t, "ui://datachat/view", st.ResourceURI)
				require.Equal(t, "text/html;profile=mcp-app", st.MimeType)
				require.Equal(t, []string{"view_rows"}, st.AppOnly)
				require.NotEmpty(t, st.Text, "the text content stands on its own")
				tc.check(t, tb)
				tb.waitJS(t, "the view reported its size", `window.hostState.sizes.some(s => s.height > 100)`)
				tb.screenshot(t, "view-"+tc.name+"-"+size.name+".png")
				tb.requireNoScriptErrors(t)
			})
		}
	}
}

// frameExpr wraps a JS expression over the view's document d.
func frameExpr(expr string) string {
	return `(() => { const d = document.getElementById("frame").contentDocument; return ` + expr + `; })()`
}

func frameWait(t *testing.T, tb *tab, what, expr string) {
	t.Helper()
	tb.waitJS(t, what, frameExpr(`d !== null && (`+expr+`)`))
}

func frameJS[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	return evalJS[T](t, tb, frameExpr(expr))
}
