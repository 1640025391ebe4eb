package rest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
)

// testEnv is a REST server on loopback with a real catalog manager and
// fetcher, plus a file server to load from.
type testEnv struct {
	api   *httptest.Server
	files *httptest.Server
	rest  *Server
	mgr   *datasets.Manager
	logs  *syncBuffer
}

type envOptions struct {
	fetch         fetch.Config
	rest          Config
	refusePrivate bool // keep the fetcher's guard against loopback URLs
	now           func() time.Time
}

// newEnv starts the servers. The file server serves rest/testdata plus
// generated files: /report.xls (bytes of no known format), /t<N>.csv (N+1
// rows), /missing.csv (404).
func newEnv(t *testing.T, engine chat.Engine, opt envOptions) *testEnv {
	t.Helper()
	files := httptest.NewServer(fileHandler(t))
	t.Cleanup(files.Close)

	fc := opt.fetch
	if fc.CacheDir == "" {
		fc.CacheDir = t.TempDir()
	}
	fc.HidePaths = true
	fc.AllowPrivate = !opt.refusePrivate
	f, err := fetch.New(fc)
	require.NoError(t, err)
	mgr, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), Fetcher: WithUploads(datasets.Guarded(f))})
	require.NoError(t, err)
	t.Cleanup(func() { _ = mgr.Close() })

	logs := &syncBuffer{}
	cfg := opt.rest
	cfg.Datasets = mgr
	cfg.Engine = engine
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rs := New(cfg)
	if opt.now != nil {
		rs.now = opt.now
	}
	mux := http.NewServeMux()
	for pattern, h := range rs.Routes() {
		mux.Handle(pattern, h)
	}
	for pattern, h := range rs.PublicRoutes() {
		mux.Handle(pattern, h)
	}
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	return &testEnv{api: api, files: files, rest: rs, mgr: mgr, logs: logs}
}

func fileHandler(t *testing.T) http.Handler {
	titanic, err := os.ReadFile("../testdata/titanic.csv")
	require.NoError(t, err)
	badParquet, err := os.ReadFile("testdata/PARQUET-1481.parquet")
	require.NoError(t, err)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/titanic.csv":
			w.Header().Set("Content-Type", "text/csv")
			_, _ = w.Write(titanic)
		case p == "/bad.parquet":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(badParquet)
		case p == "/blob":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write([]byte{0x00, 0x01, 0x02, 0xfe, 0xff, 0x10, 0x80, 0x90, 0x00, 0x7f})
		case p == "/slow.csv":
			// Starts a download that never finishes, until the fetcher
			// gives up or the test ends.
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprintln(w, "id,label")
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		case strings.HasPrefix(p, "/t") && strings.HasSuffix(p, ".csv"):
			var n int
			if _, err := fmt.Sscanf(p, "/t%d.csv", &n); err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprintln(w, "id,label")
			for i := 0; i <= n; i++ {
				fmt.Fprintf(w, "%d,row %d of t%d\n", i, i, n)
			}
		default:
			http.NotFound(w, r)
		}
	})
}

// body is a ChatCSV request body.
func body(t *testing.T, files []string, msgs ...string) string {
	t.Helper()
	type m struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	req := struct {
		Model    string   `json:"model"`
		Messages []m      `json:"messages"`
		Files    []string `json:"files"`
	}{Model: "gpt-4o-mini", Files: files}
	for i, c := range msgs {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		req.Messages = append(req.Messages, m{role, c})
	}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	return string(b)
}

// post sends a chat request the way the ChatCSV curl example does.
func post(ctx context.Context, t *testing.T, url, payload string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/chat", strings.NewReader(payload))
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// sseReader parses a text/event-stream as the SSE specification says:
// lines end in LF, CRLF or CR; "data" fields append their value (one leading
// space removed) plus LF; a blank line dispatches the event, without its
// last LF; lines starting with ':' are comments. Other fields are recorded
// so tests can insist on data-only streams.
type sseReader struct {
	r           *bufio.Reader
	otherFields []string
	comments    int
}

func newSSEReader(r io.Reader) *sseReader { return &sseReader{r: bufio.NewReader(r)} }

// readLine returns one line without its terminator.
func (s *sseReader) readLine() (string, error) {
	var b strings.Builder
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			if b.Len() > 0 && errors.Is(err, io.EOF) {
				return b.String(), io.ErrUnexpectedEOF
			}
			return "", err
		}
		switch c {
		case '\n':
			return b.String(), nil
		case '\r':
			if next, err := s.r.Peek(1); err == nil && next[0] == '\n' {
				_, _ = s.r.ReadByte()
			}
			return b.String(), nil
		}
		b.WriteByte(c)
	}
}

// next returns the next event's data; io.EOF at the end of the stream.
func (s *sseReader) next() (string, error) {
	var data strings.Builder
	has := false
	for {
		line, err := s.readLine()
		if err != nil {
			return "", err // a partial event at EOF is discarded, as the spec says
		}
		if line == "" {
			if !has {
				continue
			}
			return strings.TrimSuffix(data.String(), "\n"), nil
		}
		if strings.HasPrefix(line, ":") {
			s.comments++
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		if field != "data" {
			s.otherFields = append(s.otherFields, field)
			continue
		}
		data.WriteString(value)
		data.WriteByte('\n')
		has = true
	}
}

// all reads every event until the stream ends.
func (s *sseReader) all(t *testing.T) []string {
	t.Helper()
	var out []string
	for {
		ev, err := s.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, ev)
	}
}

// engineFunc is a scripted streaming engine.
type engineFunc func(ctx context.Context, cat chat.Catalog, req chat.Request, emit func(string) error) (*chat.Answer, error)

var _ chat.StreamingEngine = engineFunc(nil)

func (f engineFunc) Answer(ctx context.Context, cat chat.Catalog, req chat.Request) (*chat.Answer, error) {
	return f(ctx, cat, req, func(string) error { return nil })
}

func (f engineFunc) AnswerStream(ctx context.Context, cat chat.Catalog, req chat.Request, emit func(string) error) (*chat.Answer, error) {
	return f(ctx, cat, req, emit)
}

// plainEngine is a scripted engine that does not stream.
type plainEngine func(ctx context.Context, cat chat.Catalog, req chat.Request) (*chat.Answer, error)

func (f plainEngine) Answer(ctx context.Context, cat chat.Catalog, req chat.Request) (*chat.Answer, error) {
	return f(ctx, cat, req)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (the logger).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func decodeError(t *testing.T, resp *http.Response) string {
	t.Helper()
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var e struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
	require.NotEmpty(t, e.Error)
	return e.Error
}
