package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
	"datachat/transport"
)

// Defaults of Config.
const (
	DefaultChartTTL = time.Hour
	DefaultModel    = "gpt-4o-mini"
	DefaultMaxBody  = 4 << 20
	// PublicURLForwarded as Config.PublicURL builds links from the
	// X-Forwarded-Proto and X-Forwarded-Host headers a proxy sets.
	PublicURLForwarded = "forwarded"
	// DefaultMaxUpload is the default of Config.MaxUpload (--max-download's).
	DefaultMaxUpload = 1 << 30
	// MaxFiles is the most files one chat request may load.
	MaxFiles = 20
)

// Config configures a Server. Zero values take the documented defaults.
type Config struct {
	// Datasets makes each request's catalog. Required.
	Datasets *datasets.Manager
	// Engine answers the conversation; when it is also a
	// chat.StreamingEngine its pieces are streamed as they come. Required.
	Engine chat.Engine
	// PublicURL is the base of chart links, such as
	// "https://datachat.example.com". Empty means the request's own scheme
	// and Host; X-Forwarded-Proto and X-Forwarded-Host, which any client
	// can send, are honoured only when PublicURL is "forwarded" (behind a
	// proxy that sets them).
	PublicURL string
	// ChartTTL is how long chart images stay served (default 1h). The
	// store also holds at most 1000 charts and 256 MiB, evicting the oldest.
	ChartTTL time.Duration
	// DefaultModel is the model used when a request names none (default
	// "gpt-4o-mini").
	DefaultModel string
	// MaxBody caps the request body in bytes (default 4 MiB, --max-body).
	MaxBody int64
	// Admit, when set, is asked for a slot before a request loads files and
	// answers; without one the request is answered 503 with Retry-After.
	Admit func() (release func(), ok bool)
	// Logger receives one line per request (default: discard).
	Logger *slog.Logger
	// ChartKey signs chart links (HMAC-SHA256); empty means a random key
	// per server start, so links do not survive a restart. datachat serve
	// passes the Manager's Key, shared by the servers of one --data-dir.
	ChartKey []byte
	// MaxUpload caps one uploaded file in bytes, like --max-download caps
	// a URL (default 1 GiB).
	MaxUpload int64
}

// Server is the REST API. It is safe for concurrent use.
type Server struct {
	cfg     Config
	charts  *chartStore
	answers *answerCache
	signer  signer
	now     func() time.Time
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.ChartTTL <= 0 {
		cfg.ChartTTL = DefaultChartTTL
	}
	if cfg.DefaultModel == "" {
		cfg.DefaultModel = DefaultModel
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	cfg.PublicURL = strings.TrimRight(strings.TrimSpace(cfg.PublicURL), "/")
	s := &Server{cfg: cfg, now: time.Now, signer: newSigner(cfg.ChartKey), answers: newAnswerCache(maxAnswerBytes)}
	s.charts = newChartStore(cfg.ChartTTL, func() time.Time { return s.now() })
	return s
}

// Routes returns the handlers that need the Bearer token, by ServeMux
// pattern: "POST /api/v1/chat", "POST /api/v1/upload", "POST /api/v1/load"
// and "GET /api/v1/info".
func (s *Server) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"POST /api/v1/chat":   http.HandlerFunc(s.handleChat),
		"POST /api/v1/upload": http.HandlerFunc(s.handleUpload),
		"POST /api/v1/load":   http.HandlerFunc(s.handleLoad),
		"GET /api/v1/info":    http.HandlerFunc(s.handleInfo),
	}
}

// PublicRoutes returns the handlers that must work without a token: the
// chat page at "GET /{$}" (it asks for the token itself) and the chart
// images at "GET /api/v1/charts/{file}", whose signed links are their own
// authority.
func (s *Server) PublicRoutes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /{$}":                  http.HandlerFunc(s.handlePage),
		"GET /api/v1/charts/{file}": http.HandlerFunc(s.handleChart),
	}
}

// chatRequest is ChatCSV's request body.
type chatRequest struct {
	Model    *string       `json:"model"`
	Messages []chatMessage `json:"messages"`
	Files    []string      `json:"files"`
	// Workspace (an extension used by the chat page) answers over the
	// tables of a workspace made by /api/v1/upload or /api/v1/load, and
	// keeps the files loaded into it.
	Workspace string `json:"workspace"`
	// Structured (an extension) adds a final "answer" event carrying the
	// answer as JSON; the data-only events before it are unchanged.
	Structured bool `json:"structured"`
}

type chatMessage struct {
	Role    string  `json:"role"`
	Content *string `json:"content"`
}

// httpError is a failure answered with a status and a JSON body.
type httpError struct {
	status int
	msg    string
	err    error // the cause, for the log only
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	ctx := r.Context()
	var files, events int
	var failure error
	defer func() {
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.statusCode(), "duration", time.Since(start), "files", files, "events", events}
		if failure != nil {
			attrs = append(attrs, "error", failure)
		}
		level := slog.LevelInfo
		if rec.statusCode() >= 500 {
			level = slog.LevelError
		}
		s.cfg.Logger.Log(context.WithoutCancel(ctx), level, "rest request", attrs...)
	}()

	req, herr := s.decode(rec, r)
	if herr == nil && (s.cfg.Datasets == nil || s.cfg.Engine == nil) {
		herr = &httpError{status: http.StatusServiceUnavailable, msg: "the chat API is not configured on this server"}
	}
	if herr != nil {
		failure = herr.errOrSelf()
		writeJSONError(rec, herr.status, herr.msg)
		return
	}
	files = len(req.Files)
	release, herr := s.admit(rec)
	if herr != nil {
		failure = herr.err
		writeJSONError(rec, herr.status, herr.msg)
		return
	}
	defer release()

	var cat *datasets.Catalog
	if req.Workspace != "" {
		var herr *httpError
		if cat, herr = s.openWorkspace(ctx, req.Workspace); herr != nil {
			failure = herr.errOrSelf()
			writeJSONError(rec, herr.status, herr.msg)
			return
		}
	} else {
		var err error
		if cat, err = s.cfg.Datasets.Scratch(ctx); err != nil {
			failure = err
			writeJSONError(rec, http.StatusServiceUnavailable, "the server cannot open a data session now; try again shortly")
			return
		}
		defer cat.Close()
	}
	for i, f := range req.Files {
		if _, err := cat.Load(ctx, f, datasets.LoadOptions{}); err != nil {
			failure = err
			if ctx.Err() != nil {
				rec.status = statusClientGone
				return
			}
			herr := s.loadError(i, f, err)
			writeJSONError(rec, herr.status, herr.msg)
			return
		}
	}

	model := s.cfg.DefaultModel
	if req.Model != nil && strings.TrimSpace(*req.Model) != "" {
		model = strings.TrimSpace(*req.Model)
	}
	creq := chat.Request{Model: model, Messages: make([]chat.Message, len(req.Messages))}
	for i, m := range req.Messages {
		creq.Messages[i] = chat.Message{Role: m.Role}
		if m.Content != nil {
			creq.Messages[i].Content = *m.Content
		}
	}
	events, failure = s.answer(ctx, rec, r, cat, creq, req.Structured)
}

var errBusy = errors.New("busy: concurrency limit reached")

// statusClientGone is logged (never sent) when the client left before any
// response was written; nginx uses the same number.
const statusClientGone = 499

func (e *httpError) errOrSelf() error {
	if e.err != nil {
		return e.err
	}
	return e
}

// decode reads and checks the request body.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (*chatRequest, *httpError) {
	tooLarge := &httpError{status: http.StatusRequestEntityTooLarge,
		msg: fmt.Sprintf("the request body is larger than %s, the most this server reads (--max-body); send a shorter conversation", transport.SizeText(s.cfg.MaxBody))}
	if r.ContentLength > s.cfg.MaxBody {
		// Refused before reading a byte of it.
		w.Header().Set("Connection", "close")
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, &httpError{status: http.StatusBadRequest, err: err, msg: "could not read the request body; send it again"}
	}
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &httpError{status: http.StatusBadRequest, err: err, msg: typeErrorText(te)}
		}
		return nil, &httpError{status: http.StatusBadRequest, err: err,
			msg: "the request body is not valid JSON (" + err.Error() + `); send {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "..."}], "files": ["https://..."]}`}
	}
	if len(req.Messages) == 0 {
		return nil, badRequest(`messages is required: send at least one {"role": "user", "content": "<your question>"}`)
	}
	for i, m := range req.Messages {
		switch m.Role {
		case "user":
			if m.Content == nil {
				return nil, badRequest("messages[%d] is a user message without content; give its text in content", i)
			}
		case "assistant":
		default:
			return nil, badRequest("messages[%d] has role %q; role must be \"user\" or \"assistant\"", i, m.Role)
		}
	}
	last := req.Messages[len(req.Messages)-1]
	if last.Role != "user" || strings.TrimSpace(*last.Content) == "" {
		return nil, badRequest("the last message must be the user's question: end messages with {\"role\": \"user\", \"content\": \"<your question>\"}")
	}
	if len(req.Files) > MaxFiles {
		return nil, badRequest("%d files given; send at most %d per request", len(req.Files), MaxFiles)
	}
	for i, f := range req.Files {
		if strings.TrimSpace(f) == "" {
			return nil, badRequest("files[%d] is empty; give the URL of a file", i)
		}
		// Only URLs: a REST client must never reach the server's own files,
		// whatever directories the MCP side may read.
		if !isURL(f) {
			return nil, &httpError{status: http.StatusForbidden,
				msg: fmt.Sprintf("files[%d] (%s) is not an http(s) URL; give the public http or https URL of the file", i, shortSource(f))}
		}
	}
	return &req, nil
}

func typeErrorText(te *json.UnmarshalTypeError) string {
	field := te.Field
	switch {
	case field == "files" || strings.HasPrefix(field, "files."):
		return `files must be a list of URL strings, e.g. ["https://example.com/data.csv"]`
	case field == "messages":
		return `messages must be a list of {"role": "user"|"assistant", "content": "..."} objects`
	case strings.HasPrefix(field, "messages."):
		return fmt.Sprintf(`%s must be a string; messages are {"role": "user"|"assistant", "content": "..."}`, field)
	case field == "model":
		return `model must be a string, e.g. "gpt-4o-mini"`
	case field == "":
		return `the request body must be a JSON object: {"model": "gpt-4o-mini", "messages": [...], "files": [...]}`
	}
	return fmt.Sprintf("%s has the wrong type (%s); see the API documentation", field, te.Value)
}

// loadError maps a failed load of files[i] to a status and a message that
// says what to do, without host paths.
func (s *Server) loadError(i int, source string, err error) *httpError {
	msg := s.scrub(err.Error())
	what := fmt.Sprintf("files[%d] (%s)", i, shortSource(source))
	e := &httpError{err: err}
	switch {
	case errors.Is(err, fetch.ErrTooLarge):
		e.status, e.msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("%s is too large to load: %s", what, msg)
	case errors.Is(err, fetch.ErrPrivateAddress), errors.Is(err, fetch.ErrScheme), errors.Is(err, fetch.ErrNotAllowed),
		errors.Is(err, fetch.ErrNotFile):
		e.status, e.msg = http.StatusForbidden, fmt.Sprintf("%s was refused: %s; give a public http(s) URL", what, msg)
	case errors.Is(err, fetch.ErrFetch), errors.Is(err, fetch.ErrTimeout), errors.Is(err, fetch.ErrNotFound),
		errors.Is(err, fetch.ErrTooManyRedirects):
		e.status, e.msg = http.StatusBadGateway, fmt.Sprintf("%s could not be fetched: %s", what, msg)
	case errors.Is(err, datasets.ErrUnsupportedFormat):
		e.status, e.msg = http.StatusUnsupportedMediaType, fmt.Sprintf("%s: %s", what, msg)
	case errors.Is(err, datasets.ErrBadFile):
		e.status, e.msg = http.StatusUnprocessableEntity, fmt.Sprintf("%s could not be read: %s", what, msg)
	case errors.Is(err, datasets.ErrClosed):
		e.status, e.msg = http.StatusServiceUnavailable, "the server is shutting down; try again shortly"
	default:
		e.status, e.msg = http.StatusInternalServerError, fmt.Sprintf("%s could not be loaded because of a server fault; try again later", what)
	}
	return e
}

// scrub removes the host's staging folder from a message (the catalog
// already does, this is a second guard).
func (s *Server) scrub(msg string) string {
	if root := s.cfg.Datasets.Config().StagingRoot; root != "" {
		msg = strings.ReplaceAll(msg, root, "<staging>")
	}
	return msg
}

func isURL(source string) bool {
	u, err := url.Parse(source)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// shortSource is a file's name for messages: the URL's last path element,
// or the source cut short.
func shortSource(source string) string {
	if u, err := url.Parse(source); err == nil && u.Host != "" {
		if b := path.Base(u.Path); b != "/" && b != "." && b != "" {
			return b
		}
		return u.Host
	}
	if len(source) > 60 {
		return source[:57] + "..."
	}
	return source
}

// answer runs the engine and streams its answer, then its charts. It
// returns how many events it sent and the failure to log, if any.
func (s *Server) answer(ctx context.Context, w *recorder, r *http.Request, cat *datasets.Catalog, req chat.Request, structured bool) (int, error) {
	stream := newEventStream(ctx, w)
	err := s.stream(ctx, w, r, stream, cat, req, structured)
	return stream.events, err
}

func (s *Server) stream(ctx context.Context, w *recorder, r *http.Request, stream *eventStream, cat *datasets.Catalog, req chat.Request, structured bool) error {
	var ans *chat.Answer
	var err error
	// The same question about the same data again: the answer asked before.
	var lead *answerEntry
	if key := answerKey(ctx, cat, req); key != "" {
		e, first := s.answers.acquire(ctx, key)
		switch {
		case e == nil:
			return s.streamError(ctx, w, stream, ctx.Err())
		case first:
			lead = e
			defer func() { s.answers.done(lead, ans) }()
		default:
			ans = e.ans
		}
	}
	if ans != nil {
		for _, p := range paragraphs(ans.Text) {
			if err = stream.send(p); err != nil {
				break
			}
		}
	} else if se, ok := s.cfg.Engine.(chat.StreamingEngine); ok {
		ans, err = se.AnswerStream(ctx, cat, req, stream.send)
	} else if ans, err = s.cfg.Engine.Answer(ctx, cat, req); err == nil && ans != nil {
		for _, p := range paragraphs(ans.Text) {
			if err = stream.send(p); err != nil {
				break
			}
		}
	}
	if err != nil && lead != nil {
		ans = nil // not kept
	}
	if err == nil && ans == nil {
		err = errors.New("the engine returned no answer")
	}
	if err != nil {
		return s.streamError(ctx, w, stream, err)
	}
	var drawn []answerChart
	for _, c := range ans.Charts {
		block, link, rerr := s.chartBlock(ctx, r, c)
		if rerr != nil {
			if ctx.Err() != nil {
				return s.streamError(ctx, w, stream, ctx.Err())
			}
			s.cfg.Logger.Warn("render chart", "title", c.Spec.Title, "error", rerr)
			continue
		}
		if err := stream.send(stream.separator() + block); err != nil {
			return s.streamError(ctx, w, stream, err)
		}
		if structured {
			drawn = append(drawn, s.answerChart(c, link))
		}
	}
	if structured {
		if err := stream.sendEvent("answer", structuredAnswer(ans, drawn)); err != nil {
			return s.streamError(ctx, w, stream, err)
		}
	}
	if !stream.started {
		// An empty answer still gets a stream (with no events).
		stream.start()
	}
	return nil
}

// streamError reports err: as a JSON error when nothing was sent yet, as a
// final event otherwise; nothing when the client has gone.
func (s *Server) streamError(ctx context.Context, w *recorder, stream *eventStream, err error) error {
	if ctx.Err() != nil {
		if !stream.started {
			w.status = statusClientGone
		}
		return err
	}
	status, msg := http.StatusInternalServerError, "the answer failed because of a server fault; try again later"
	if datasets.UserError(err) {
		status, msg = http.StatusUnprocessableEntity, s.scrub(err.Error())
	}
	if !stream.started {
		writeJSONError(w, status, msg)
		return err
	}
	_ = stream.send(stream.separator() + "**Error:** " + msg)
	return err
}

// chartBlock checks a chart, stores it to be drawn when its link is first
// fetched, and returns its markdown and its signed link.
func (s *Server) chartBlock(ctx context.Context, r *http.Request, c chat.Chart) (string, string, error) {
	if _, err := charts.VegaLite(c.Spec, c.Data); err != nil {
		return "", "", fmt.Errorf("check chart: %w", err)
	}
	exp := s.now().Add(s.cfg.ChartTTL)
	spec, data := c.Spec, c.Data
	id := s.charts.put(func(ctx context.Context) ([]byte, error) {
		return charts.Render(ctx, spec, data, "png")
	}, chartSize(data))
	if id == "" {
		return "", "", errors.New("chart too large to keep")
	}
	alt := c.Finding
	if alt == "" {
		alt = c.Spec.Title
	}
	if alt == "" {
		alt = "chart"
	}
	link := fmt.Sprintf("%s/api/v1/charts/%s.png?%s", s.baseURL(r), id, s.signer.query(id, exp))
	block := fmt.Sprintf("![%s](%s)", altText(alt), link)
	if f := strings.TrimSpace(c.Finding); f != "" {
		block += "\n\n" + strings.Join(strings.Fields(f), " ")
	}
	return block + "\n\n", link, nil
}

// chartSize estimates the bytes a chart holds until it is drawn: its rows
// (an image is a few tens of KiB; the store counts that once drawn).
func chartSize(d charts.Data) int {
	return 4096 + 32*len(d.Rows)*max(len(d.Columns), 1)
}

// altText makes s safe inside ![...]: one line, no brackets.
func altText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("[", "(", "]", ")", `\`, "/").Replace(s)
}

// baseURL is where clients reach this server.
func (s *Server) baseURL(r *http.Request) string {
	forwarded := s.cfg.PublicURL == PublicURLForwarded
	if s.cfg.PublicURL != "" && !forwarded {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if forwarded {
		if p := strings.ToLower(strings.TrimSpace(firstValue(r.Header.Get("X-Forwarded-Proto")))); p == "http" || p == "https" {
			scheme = p
		}
		if h := strings.TrimSpace(firstValue(r.Header.Get("X-Forwarded-Host"))); validHost(h) {
			host = h
		}
	}
	return scheme + "://" + host
}

func firstValue(s string) string {
	v, _, _ := strings.Cut(s, ",")
	return v
}

// validHost reports whether h looks like host[:port] and nothing more.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && u.User == nil && u.Path == ""
}

func (s *Server) handleChart(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	defer func() {
		s.cfg.Logger.Debug("rest request", "method", r.Method, "path", r.URL.Path, "status", rec.statusCode(), "duration", time.Since(start))
	}()
	id, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	if !ok || !validID(id) {
		writeJSONError(rec, http.StatusNotFound, "chart not found: chart links look like /api/v1/charts/<id>.png?exp=...&sig=...; ask the question again for a new chart")
		return
	}
	switch s.signer.check(id, r.URL.Query().Get("exp"), r.URL.Query().Get("sig"), s.now()) {
	case linkBad:
		writeJSONError(rec, http.StatusForbidden, "this chart link is not valid (its signature is missing or does not match, e.g. it was changed or cut short); use the link exactly as the answer gave it, or ask the question again")
		return
	case linkExpired:
		writeJSONError(rec, http.StatusGone, fmt.Sprintf("this chart link has expired: chart links are valid for %s after the answer; ask the question again for a new chart", s.cfg.ChartTTL))
		return
	}
	png, left, ok, err := s.charts.get(id)
	if !ok {
		writeJSONError(rec, http.StatusNotFound, fmt.Sprintf("chart not found: chart links are valid for %s after the answer; ask the question again for a new chart", s.cfg.ChartTTL))
		return
	}
	if err != nil {
		s.cfg.Logger.Warn("render chart", "error", err)
		writeJSONError(rec, http.StatusInternalServerError, "the chart could not be drawn; ask the question again, and if it persists check the server log")
		return
	}
	h := rec.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d", int(left/time.Second)))
	h.Set("X-Content-Type-Options", "nosniff")
	rec.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = rec.Write(png)
	}
}

// writeJSONError writes {"error": msg} with the status.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// recorder remembers the status written, for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush, write
// deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
