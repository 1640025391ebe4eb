package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
	"datachat/datasets"
)

// Mode says which backend may answer.
type Mode string

// The modes.
const (
	// ModeAuto uses the MCP host's model when the calling client supports
	// sampling, else the OpenAI-compatible endpoint when one is configured,
	// else the fallback engine.
	ModeAuto Mode = "auto"
	// ModeNone always uses the fallback engine.
	ModeNone Mode = "none"
	// ModeSampling uses the MCP host's model when the calling client
	// supports sampling, else the fallback engine.
	ModeSampling Mode = "sampling"
	// ModeOpenAI uses the OpenAI-compatible endpoint when one is configured,
	// else the fallback engine.
	ModeOpenAI Mode = "openai"
)

// ParseMode turns a flag value into a Mode; "" means ModeAuto.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModeAuto, nil
	case ModeAuto, ModeNone, ModeSampling, ModeOpenAI:
		return m, nil
	}
	return "", fmt.Errorf("unknown LLM mode %q: want auto, none, sampling or openai", s)
}

// Backend names what answered a request.
type Backend string

// The backends.
const (
	BackendEmbedded Backend = "embedded"
	BackendSampling Backend = "sampling"
	BackendOpenAI   Backend = "openai"
)

// Defaults of Config.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	DefaultModel   = "gpt-4o-mini"
	DefaultTimeout = 90 * time.Second
)

// Config configures an Engine. Zero values take the documented defaults.
type Config struct {
	// Mode selects the backend (default ModeAuto).
	Mode Mode
	// OpenAIKey is the bearer token for the OpenAI-compatible endpoint
	// (OPENAI_API_KEY); empty sends no Authorization header.
	OpenAIKey string
	// OpenAIBaseURL is the endpoint's base URL (OPENAI_BASE_URL), default
	// DefaultBaseURL; for Ollama use http://localhost:11434/v1. Setting it
	// or OpenAIKey makes the endpoint available.
	OpenAIBaseURL string
	// DefaultModel is the model asked for when a request names none
	// (default DefaultModel).
	DefaultModel string
	// Fallback answers when no model is available or a model fails
	// (default chat.NewEmbedded()).
	Fallback chat.Engine
	// HTTPClient makes the endpoint's requests (default: a client without
	// an overall timeout; Timeout bounds each call).
	HTTPClient *http.Client
	// Timeout bounds each model call (default DefaultTimeout).
	Timeout time.Duration
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger
}

// Engine answers chat requests with a model and falls back to another
// engine. It implements chat.Engine and chat.StreamingEngine and is safe for
// concurrent use.
type Engine struct {
	mode         Mode
	fallback     chat.Engine
	openai       *openAIClient // nil when no endpoint is configured
	defaultModel string
	timeout      time.Duration
	log          *slog.Logger
	schemas      *schemaCache
}

var (
	_ chat.Engine          = (*Engine)(nil)
	_ chat.StreamingEngine = (*Engine)(nil)
)

// New returns an Engine for cfg.
func New(cfg Config) (*Engine, error) {
	mode, err := ParseMode(string(cfg.Mode))
	if err != nil {
		return nil, err
	}
	e := &Engine{
		mode:         mode,
		fallback:     cfg.Fallback,
		defaultModel: strings.TrimSpace(cfg.DefaultModel),
		timeout:      cfg.Timeout,
		log:          cfg.Logger,
		schemas:      newSchemaCache(),
	}
	if e.fallback == nil {
		e.fallback = chat.NewEmbedded()
	}
	if e.defaultModel == "" {
		e.defaultModel = DefaultModel
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if cfg.OpenAIKey != "" || strings.TrimSpace(cfg.OpenAIBaseURL) != "" {
		base := strings.TrimRight(strings.TrimSpace(cfg.OpenAIBaseURL), "/")
		if base == "" {
			base = DefaultBaseURL
		}
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("OpenAI base URL %q: want an http(s) URL such as %s", base, DefaultBaseURL)
		}
		hc := cfg.HTTPClient
		if hc == nil {
			hc = &http.Client{}
		}
		e.openai = &openAIClient{base: base, key: cfg.OpenAIKey, http: hc}
	}
	return e, nil
}

// Backend reports which backend is tried first for a request made with ctx
// (an MCP request's context carries the calling client's capabilities).
func (e *Engine) Backend(ctx context.Context) Backend {
	b, _ := e.choose(ctx)
	return b
}

// choose picks the backend and, when an explicitly requested model is not
// available, says why.
func (e *Engine) choose(ctx context.Context) (Backend, string) {
	switch e.mode {
	case ModeNone:
		return BackendEmbedded, ""
	case ModeSampling:
		if samplingSupported(ctx) {
			return BackendSampling, ""
		}
		return BackendEmbedded, "The host's model is not available (the MCP client did not offer sampling); answered with the built-in engine."
	case ModeOpenAI:
		if e.openai != nil {
			return BackendOpenAI, ""
		}
		return BackendEmbedded, "No OpenAI-compatible endpoint is configured (set OPENAI_API_KEY or OPENAI_BASE_URL); answered with the built-in engine."
	}
	switch {
	case samplingSupported(ctx):
		return BackendSampling, ""
	case e.openai != nil:
		return BackendOpenAI, ""
	}
	return BackendEmbedded, ""
}

// samplingSupported reports whether the MCP client behind ctx declared the
// sampling capability and its session can carry a sampling request.
func samplingSupported(ctx context.Context) bool {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return false
	}
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Sampling != nil
	}
	sess := server.ClientSessionFromContext(ctx)
	if sess == nil {
		return false
	}
	if _, ok := sess.(server.SessionWithSampling); !ok && server.InProcessSamplingHandlerFromContext(ctx) == nil {
		return false
	}
	withInfo, ok := sess.(server.SessionWithClientInfo)
	return ok && withInfo.GetClientCapabilities().Sampling != nil
}

// Answer answers req, with a model when one is available.
func (e *Engine) Answer(ctx context.Context, cat chat.Catalog, req chat.Request) (*chat.Answer, error) {
	return e.AnswerStream(ctx, cat, req, nil)
}

// AnswerStream answers req like Answer and hands the text to emit as it is
// produced (the OpenAI endpoint's tokens as they arrive; the host's model's
// text at once). The pieces add up to the returned Answer's Text. emit may
// be nil.
func (e *Engine) AnswerStream(ctx context.Context, cat chat.Catalog, req chat.Request, emit func(text string) error) (*chat.Answer, error) {
	out := &writer{emit: emit}
	backend, why := e.choose(ctx)
	if backend == BackendEmbedded {
		return e.fallbackAnswer(ctx, cat, req, why, out)
	}
	tables, err := selectTables(ctx, cat, req.Datasets)
	if err != nil || len(trimHistory(req.Messages)) == 0 {
		// The fallback reports a bad selection or a missing question the
		// way clients know.
		return e.fallbackAnswer(ctx, cat, req, "", out)
	}
	e.log.Debug("chat answered by a model", "backend", backend, "model", req.Model)
	ans, err := e.run(ctx, e.model(backend, req), cat, req, tables, out)
	if errors.Is(err, ErrInputRequired) {
		// Not a failure: the tool asks the client and replays the answer.
		return nil, err
	}
	if err != nil && backend == BackendSampling && e.mode == ModeAuto && !out.started() &&
		errors.Is(err, server.ErrServerInitiatedRequestUnsupported) {
		// A client on the stateless protocol offers sampling only through
		// multi round-trip tool results, which a chat answer cannot use:
		// carry on as if it offered none.
		e.log.Debug("sampling needs a multi round-trip result; not using it", "error", err)
		if e.openai == nil {
			return e.fallbackAnswer(ctx, cat, req, "", out)
		}
		backend = BackendOpenAI
		ans, err = e.run(ctx, e.model(backend, req), cat, req, tables, out)
	}
	if err == nil {
		return ans, nil
	}
	if ctx.Err() != nil || errors.Is(err, errEmit) || out.started() {
		return nil, err
	}
	e.log.Warn("model failed; using the built-in engine", "backend", backend, "error", err)
	return e.fallbackAnswer(ctx, cat, req, failureNote(err), out)
}

// model returns the model of a backend for one request.
func (e *Engine) model(b Backend, req chat.Request) model {
	name := strings.TrimSpace(req.Model)
	if b == BackendSampling {
		return &samplingModel{preferred: name}
	}
	if name == "" {
		name = e.defaultModel
	}
	return &openAIModel{client: e.openai, model: name}
}

// fallbackAnswer answers with the fallback engine, the note first.
func (e *Engine) fallbackAnswer(ctx context.Context, cat chat.Catalog, req chat.Request, note string, out *writer) (*chat.Answer, error) {
	ans, err := e.fallback.Answer(ctx, cat, req)
	if err != nil {
		return nil, err
	}
	if note != "" {
		if err := out.write(note + "\n\n"); err != nil {
			return nil, err
		}
	}
	if err := out.write(ans.Text); err != nil {
		return nil, err
	}
	cp := *ans
	cp.Text = out.String()
	return &cp, nil
}

// failureNote is the sentence that says why the fallback answered.
func failureNote(err error) string {
	var me *modelError
	if errors.As(err, &me) {
		return fmt.Sprintf("The model could not be reached (%s); answered with the built-in engine.", me.Error())
	}
	return fmt.Sprintf("The model's answer could not be used (%s); answered with the built-in engine.", oneLine(err.Error(), 300))
}

// selectTables returns the tables a request may use.
func selectTables(ctx context.Context, cat chat.Catalog, names []string) ([]datasets.TableInfo, error) {
	all := cat.Tables(ctx)
	if len(names) == 0 {
		return all, nil
	}
	var out []datasets.TableInfo
	for _, name := range names {
		found := false
		for _, t := range all {
			if strings.EqualFold(t.Name, name) {
				out = append(out, t)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%w %q", datasets.ErrUnknownDataset, name)
		}
	}
	return out, nil
}

// errEmit marks a failure of the caller's emit function (the client left).
var errEmit = errors.New("emit answer")

// writer collects the answer's text and hands each piece to emit.
type writer struct {
	b    strings.Builder
	emit func(string) error
}

func (w *writer) write(s string) error {
	if s == "" {
		return nil
	}
	w.b.WriteString(s)
	if w.emit != nil {
		if err := w.emit(s); err != nil {
			return fmt.Errorf("%w: %w", errEmit, err)
		}
	}
	return nil
}

func (w *writer) started() bool { return w.b.Len() > 0 }

func (w *writer) String() string { return w.b.String() }

// oneLine squeezes s onto one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
