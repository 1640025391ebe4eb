package transport

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/mark3labs/mcp-go/server"
)

// HTTPConfig configures the HTTP handler.
type HTTPConfig struct {
	// Token, when set, is required as "Authorization: Bearer <Token>" on every
	// request but /healthz.
	Token string
	// OnSessionEnd is called when a session is terminated (DELETE) or expires.
	OnSessionEnd func(id string)
	// Routes are further handlers (the REST API), mounted beside /mcp and
	// behind the same auth.
	Routes map[string]http.Handler
	// PublicRoutes are further handlers mounted without the token check:
	// pages that ask for the token themselves and signed links.
	PublicRoutes map[string]http.Handler
	// Logger receives diagnostics.
	Logger *slog.Logger
	// MaxBody caps a POST body to /mcp (default DefaultMaxBody).
	MaxBody int64
	// Gate, when set, admits tool calls over /mcp (503 when it is full).
	Gate *Gate
	// PublicURL is --public-url: the base URL of links back to the server
	// ("forwarded" trusts X-Forwarded-Proto and -Host; empty: the request's
	// Host).
	PublicURL string
	// AllowOrigins are the browser origins (scheme://host[:port]) served
	// besides the server's own (--allow-origin); others get 403.
	AllowOrigins []string
}

// Sessions tracks MCP session ids: issued by Generate, refreshed on use,
// ended by DELETE or idle expiry (which frees the session's catalog).
type Sessions struct {
	mu       sync.Mutex
	seen     map[string]time.Time
	ended    map[string]time.Time
	onEnd    func(string)
	onExpire func(string) // frees mcp-go's state of an expired session
}

var _ server.SessionIdManager = (*Sessions)(nil)

const sessionPrefix = "dc-"

// NewSessions returns an empty session tracker; onEnd may be nil.
func NewSessions(onEnd func(string)) *Sessions {
	return &Sessions{seen: map[string]time.Time{}, ended: map[string]time.Time{}, onEnd: onEnd}
}

// Generate issues a new unguessable session id.
func (s *Sessions) Generate() string {
	id := sessionPrefix + uuid.NewString()
	s.mu.Lock()
	s.seen[id] = time.Now()
	s.mu.Unlock()
	return id
}

// Validate accepts ids this server issued and has not ended (with or
// without the router's per-request suffix).
func (s *Sessions) Validate(id string) (bool, error) {
	id, _, _ = strings.Cut(id, AliasSep)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ended[id]; ok {
		return true, nil
	}
	if _, ok := s.seen[id]; !ok {
		return false, fmt.Errorf("unknown session id")
	}
	s.seen[id] = time.Now()
	return false, nil
}

// known reports whether id is a live session.
func (s *Sessions) known(id string) bool {
	terminated, err := s.Validate(id)
	return err == nil && !terminated
}

// Terminate ends a session at the client's request.
func (s *Sessions) Terminate(id string) (bool, error) {
	id, _, _ = strings.Cut(id, AliasSep)
	s.end(id)
	return false, nil
}

func (s *Sessions) end(id string) {
	s.mu.Lock()
	_, live := s.seen[id]
	delete(s.seen, id)
	if live {
		s.ended[id] = time.Now()
	}
	s.mu.Unlock()
	if live && s.onEnd != nil {
		s.onEnd(id)
	}
}

// Expire ends sessions idle for longer than ttl and forgets ended ones after
// another ttl; it returns how many it ended.
func (s *Sessions) Expire(ttl time.Duration) int {
	now := time.Now()
	var idle []string
	s.mu.Lock()
	for id, t := range s.seen {
		if now.Sub(t) > ttl {
			idle = append(idle, id)
		}
	}
	for id, t := range s.ended {
		if now.Sub(t) > ttl {
			delete(s.ended, id)
		}
	}
	s.mu.Unlock()
	for _, id := range idle {
		s.end(id)
		if s.onExpire != nil {
			s.onExpire(id)
		}
	}
	return len(idle)
}

// Live returns how many sessions are open.
func (s *Sessions) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// NewHTTPHandler returns the HTTP handler: /mcp (streamable HTTP), /healthz
// and cfg.Routes, with Bearer auth when a token is set. Call the returned
// Sessions' Expire periodically (Serve does).
func NewHTTPHandler(s *server.MCPServer, cfg HTTPConfig) (http.Handler, *Sessions) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	sessions := NewSessions(cfg.OnSessionEnd)
	rt := newRouter(s, sessions)
	rt.publicURL = cfg.PublicURL
	// mcp-go keeps per-session state too (session resources, log levels):
	// Sessions.Expire frees it through rt.forget (mcp-go's own sweeper would
	// track every per-request id the router makes).
	rt.next = server.NewStreamableHTTPServer(s,
		server.WithSessionIdManager(sessions),
		server.WithHTTPContextFunc(rt.contextFunc),
		server.WithStreamableHTTPLogger(cfg.Logger),
		server.WithHeartbeatInterval(25*time.Second),
	)
	sessions.onExpire = rt.forget
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	mux.Handle("/mcp", checkOrigin(cfg.AllowOrigins, auth(cfg.Token, limitMCP(cfg.MaxBody, cfg.Gate, rt))))
	for path, h := range cfg.Routes {
		mux.Handle(path, checkOrigin(cfg.AllowOrigins, auth(cfg.Token, h)))
	}
	for path, h := range cfg.PublicRoutes {
		mux.Handle(path, h)
	}
	return mux, sessions
}

// auth requires "Authorization: Bearer <token>" when token is set. The
// scheme is matched ignoring case (RFC 9110); the token is compared in
// constant time, hashed first so that its length does not show either.
func auth(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="datachat"`)
			WriteJSONError(w, http.StatusUnauthorized, "missing or wrong bearer token: send the header 'Authorization: Bearer <token>' with the token datachat was started with")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// WriteJSONError writes {"error": msg} with the status.
func WriteJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// ShutdownTimeout is how long Serve waits, once ctx ends, for requests to
// finish after their contexts were cancelled.
const ShutdownTimeout = 10 * time.Second

// Serve listens on addr and serves h until ctx ends. Then it stops
// accepting connections, cancels every running request's context (loads,
// queries and answers stop: duckdb-go interrupts DuckDB, readers check their
// context) and waits up to ShutdownTimeout for the handlers to return before
// closing what is left. ready, if non-nil, receives the bound address.
func Serve(ctx context.Context, addr string, h http.Handler, sessions *Sessions, ttl time.Duration, logger *slog.Logger, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return work }}
	if ready != nil {
		ready(ln.Addr())
	}
	logger.Info("serving", "addr", ln.Addr().String())
	if ttl <= 0 {
		ttl = 30 * time.Minute
	}
	go func() {
		tick := time.NewTicker(max(ttl/4, time.Second))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if n := sessions.Expire(ttl); n > 0 {
					logger.Info("sessions expired", "count", n)
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: cancelling running requests", "timeout", ShutdownTimeout)
	shutdown, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	stopWork()
	if err := srv.Shutdown(shutdown); err != nil {
		logger.Warn("requests still running after the shutdown timeout; closing their connections", "timeout", ShutdownTimeout)
		_ = srv.Close()
	}
	return nil
}
