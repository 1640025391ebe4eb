package rest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets"
	"datachat/web"
)

// TestPage checks the chat page's headers: a CSP that allows exactly the
// page's inline script, and gzip when the client takes it.
func TestPage(t *testing.T) {
	env := newEnv(t, chat.NewEmbedded(), envOptions{})
	greq, err := http.NewRequest(http.MethodGet, env.api.URL+"/", nil)
	require.NoError(t, err)
	greq.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(greq)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	csp := resp.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'sha256-")
	require.Contains(t, csp, "connect-src 'self'")
	require.NotContains(t, csp, "unsafe-eval")
	require.NotContains(t, strings.SplitN(strings.SplitN(csp, "script-src", 2)[1], ";", 2)[0], "unsafe-inline")
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	page, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, web.Page(), page)
	require.Contains(t, string(page), `data-mode="page"`)

	req, err := http.NewRequest(http.MethodGet, env.api.URL+"/", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "identity")
	resp2, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer resp2.Body.Close()
	plain, err := io.ReadAll(resp2.Body)
	require.NoError(t, err)
	require.Empty(t, resp2.Header.Get("Content-Encoding"))
	require.Equal(t, web.Page(), plain)

	for _, path := range []string{"/index.html", "/api", "/x"} {
		r, err := http.Get(env.api.URL + path)
		require.NoError(t, err)
		r.Body.Close()
		require.Equal(t, http.StatusNotFound, r.StatusCode, path)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "deflate, gzip;q=1.0, *;q=0.5": true, "gzip;q=0": false, "br": false, "GZIP": true,
	} {
		require.Equal(t, want, acceptsGzip(h), h)
	}
}

// upload posts a file to the upload endpoint.
func upload(t *testing.T, env *testEnv, filename, workspace string, data []byte) (*http.Response, workspaceReply) {
	t.Helper()
	u := env.api.URL + "/api/v1/upload?filename=" + filename
	if workspace != "" {
		u += "&workspace=" + workspace
	}
	resp, err := http.Post(u, "application/octet-stream", bytes.NewReader(data))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	var reply workspaceReply
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	}
	return resp, reply
}

func titanicCSV(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/titanic.csv")
	require.NoError(t, err)
	return b
}

// TestUploadAndAsk uploads a file into a new workspace, asks about it with
// the structured answer, loads a second file by URL into the same
// workspace, and checks that another workspace sees none of it.
func TestUploadAndAsk(t *testing.T) {
	env := newEnv(t, chat.NewEmbedded(), envOptions{})
	resp, ws := upload(t, env, "titanic.csv", "", titanicCSV(t))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, datasets.ValidHandle(ws.Workspace), ws.Workspace)
	require.Equal(t, []string{"titanic"}, ws.Loaded)
	require.Len(t, ws.Tables, 1)
	require.Equal(t, int64(891), ws.Tables[0].Rows)
	require.Len(t, ws.Tables[0].Columns, 12)
	require.Equal(t, "titanic.csv", ws.Tables[0].Source)
	require.Equal(t, "csv", ws.Tables[0].Format)

	ask := func(workspace string, structured bool, q string) (string, []string, *http.Response) {
		payload, err := json.Marshal(map[string]any{"messages": []map[string]string{{"role": "user", "content": q}},
			"workspace": workspace, "structured": structured})
		require.NoError(t, err)
		resp := post(t.Context(), t, env.api.URL, string(payload))
		if resp.StatusCode != http.StatusOK {
			return "", nil, resp
		}
		sr := newSSEReader(resp.Body)
		return strings.Join(sr.all(t), ""), sr.otherFields, resp
	}

	plainText, others, _ := ask(ws.Workspace, false, "survival rate by class")
	require.Empty(t, others, "without structured the stream stays data-only")
	require.Contains(t, plainText, "0.6296")

	// The structured answer: the same text events, then one "answer" event.
	payload := `{"messages": [{"role": "user", "content": "survival rate by class"}], "workspace": "` + ws.Workspace + `", "structured": true}`
	resp = post(t.Context(), t, env.api.URL, payload)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	text, answerData, found := strings.Cut(string(raw), "event: answer\ndata: ")
	require.True(t, found, "an answer event: %s", raw)
	links := regexp.MustCompile(`/api/v1/charts/[^)]+`)
	require.Equal(t, links.ReplaceAllString(plainText, "<chart>"), links.ReplaceAllString(strings.Join(newSSEReader(strings.NewReader(text)).all(t), ""), "<chart>"),
		"the data events are unchanged")
	var ans structured
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(answerData, "\n\n")), &ans))
	require.Contains(t, ans.SQL, `"Pclass"`)
	require.NotNil(t, ans.Table)
	require.Len(t, ans.Table.Rows, 3)
	require.InDelta(t, 0.6296, ans.Table.Rows[0][1], 1e-4)
	require.True(t, ans.Confident)

	// A URL into the same workspace; then the chart question over both.
	body, err := json.Marshal(map[string]string{"url": env.files.URL + "/t3.csv"})
	require.NoError(t, err)
	lr, err := http.Post(env.api.URL+"/api/v1/load?workspace="+ws.Workspace, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer lr.Body.Close()
	require.Equal(t, http.StatusOK, lr.StatusCode)
	var ws2 workspaceReply
	require.NoError(t, json.NewDecoder(lr.Body).Decode(&ws2))
	require.Equal(t, ws.Workspace, ws2.Workspace)
	require.Equal(t, []string{"t3"}, ws2.Loaded)
	require.Len(t, ws2.Tables, 2)

	// Charts in the answer event: a Vega-Lite spec, the chart's data and
	// the signed PNG link that loads with no header.
	payload = `{"messages": [{"role": "user", "content": "show me some interesting visuals about the titanic table"}], "workspace": "` + ws.Workspace + `", "structured": true}`
	resp = post(t.Context(), t, env.api.URL, payload)
	raw, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	_, answerData, found = strings.Cut(string(raw), "event: answer\ndata: ")
	require.True(t, found)
	ans = structured{}
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(answerData, "\n\n")), &ans))
	require.NotEmpty(t, ans.Charts)
	for _, c := range ans.Charts {
		require.NotEmpty(t, c.VegaLite["mark"] != nil || c.VegaLite["layer"] != nil)
		require.NotNil(t, c.Table)
		require.NotEmpty(t, c.Table.Columns)
		require.Contains(t, string(raw), "]("+c.PNG+")", "the markdown links the same image")
		getPNG(t, c.PNG)
	}

	// Another workspace sees none of it.
	resp, other := upload(t, env, "t5.csv", "", []byte("id,label\n1,a\n"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotEqual(t, ws.Workspace, other.Workspace)
	require.Len(t, other.Tables, 1)
	otherText, _, _ := ask(other.Workspace, false, "how many rows does titanic have?")
	require.NotContains(t, otherText, "891")
}

// TestUploadErrors checks each refusal of the upload endpoint and of the
// workspace parameter.
func TestUploadErrors(t *testing.T) {
	env := newEnv(t, chat.NewEmbedded(), envOptions{rest: Config{MaxUpload: 1000}})
	resp, _ := upload(t, env, "", "", []byte("a,b\n1,2\n"))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, decodeError(t, resp), "filename is required")

	resp, _ = upload(t, env, "titanic.csv", "", titanicCSV(t))
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	msg := decodeError(t, resp)
	require.Contains(t, msg, "1000 bytes")
	require.Contains(t, msg, "--max-download")

	// A body without a declared length is cut at the limit too.
	req, err := http.NewRequest(http.MethodPost, env.api.URL+"/api/v1/upload?filename=big.csv", io.MultiReader(strings.NewReader("a,b\n"), strings.NewReader(strings.Repeat("1,2\n", 1000))))
	require.NoError(t, err)
	req.ContentLength = -1
	resp2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp2.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp2.StatusCode)

	resp, _ = upload(t, env, "empty.csv", "", nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Contains(t, decodeError(t, resp), "empty")

	resp, _ = upload(t, env, "blob.bin", "", []byte{0, 1, 2, 0xfe, 0xff, 0x10})
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)

	for _, ws := range []string{"nope", strings.Repeat("a", 32), datasets.NewHandle()} {
		resp, _ = upload(t, env, "a.csv", ws, []byte("a,b\n1,2\n"))
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, decodeError(t, resp), "load the file again")
		cr := post(t.Context(), t, env.api.URL, `{"messages": [{"role": "user", "content": "how many rows?"}], "workspace": "`+ws+`"}`)
		require.Equal(t, http.StatusNotFound, cr.StatusCode)
	}

	// A file name cannot climb out of the upload folder, and a chat
	// request cannot name an upload.
	resp, ws := upload(t, env, "..%2F..%2Fescape.csv", "", []byte("a,b\n1,2\n"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "escape.csv", ws.Tables[0].Source)
	cr := post(t.Context(), t, env.api.URL, `{"messages": [{"role": "user", "content": "how many rows?"}], "files": ["upload:escape.csv"]}`)
	require.Equal(t, http.StatusForbidden, cr.StatusCode)

	lr, err := http.Post(env.api.URL+"/api/v1/load", "application/json", strings.NewReader(`{"url": "/etc/passwd"}`))
	require.NoError(t, err)
	defer lr.Body.Close()
	require.Equal(t, http.StatusForbidden, lr.StatusCode)
	require.Contains(t, decodeError(t, lr), "not an http(s) URL")
}

func TestUploadName(t *testing.T) {
	for in, want := range map[string]string{
		"titanic.csv":            "titanic.csv",
		"../../etc/passwd":       "passwd",
		`C:\Users\me\sales.xlsx`: "sales.xlsx",
		"..":                     "",
		".hidden.csv":            "hidden.csv",
		"a;b|c.csv":              "a_b_c.csv",
		"données.csv":            "données.csv",
		"":                       "",
	} {
		require.Equal(t, want, uploadName(in), in)
	}
	require.Equal(t, ".csv.gz", fileExt("Sales.CSV.GZ"))
	require.Equal(t, ".parquet", fileExt("x.parquet"))
}
