package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// AliasSep separates a session id from the per-request suffix the router
// adds (see router); tools strip it to find the session.
const AliasSep = "~"

// router sits in front of mcp-go's streamable HTTP handler and enforces
// what the transport owes its clients:
//
//   - GET and DELETE need a session this server issued: 400 without one,
//     404 for an unknown or ended one (mcp-go would open an event stream for
//     any id, and answer DELETE of an unknown id with 200).
//   - every POST is its own notification stream (see Notify): its response
//     writer takes the request's notifications as SSE events. A request of a
//     session client also gets a per-request session id (id~n), which makes
//     mcp-go serve it with a fresh session of its own (so that switching the
//     response to SSE concerns this request only, and the GET stream alone
//     drains the session's channel); the context function then puts the
//     real session back for the handlers (capabilities, log level, session
//     resources, sampling over the GET stream).
type router struct {
	mcp       *server.MCPServer
	sessions  *Sessions
	next      http.Handler
	seq       atomic.Uint64
	publicURL string // --public-url: a URL, "forwarded" or ""

	mu   sync.Mutex
	live map[string]server.ClientSession // registered sessions by id
}

func newRouter(s *server.MCPServer, sessions *Sessions) *router {
	r := &router{mcp: s, sessions: sessions, live: map[string]server.ClientSession{}}
	if h := s.GetHooks(); h != nil {
		h.AddOnRegisterSession(func(_ context.Context, cs server.ClientSession) {
			r.mu.Lock()
			r.live[cs.SessionID()] = cs
			r.mu.Unlock()
		})
		h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
			r.mu.Lock()
			if r.live[cs.SessionID()] == cs {
				delete(r.live, cs.SessionID())
			}
			r.mu.Unlock()
		})
	}
	return r
}

// contextFunc runs inside mcp-go for every POST, before the message is
// handled.
func (rt *router) contextFunc(ctx context.Context, r *http.Request) context.Context {
	own := server.ClientSessionFromContext(ctx)
	if own == nil {
		return ctx
	}
	if pw, ok := ctx.Value(streamKey{}).(*postWriter); ok {
		if up, ok := own.(interface{ UpgradeToSSEWhenReceiveNotification() }); ok {
			pw.mu.Lock()
			pw.upgrade = up.UpgradeToSSEWhenReceiveNotification
			pw.mu.Unlock()
		}
	}
	id, _, aliased := strings.Cut(r.Header.Get(server.HeaderKeySessionID), AliasSep)
	if !aliased {
		return ctx
	}
	rt.mu.Lock()
	real := rt.live[id]
	rt.mu.Unlock()
	if real == nil {
		return ctx
	}
	return rt.mcp.WithContext(ctx, real)
}

// forget frees what mcp-go keeps of a session (its resources, log level,
// registration): mcp-go does that when a DELETE ends it, so an expired
// session is ended the same way.
func (rt *router) forget(id string) {
	req := httptest.NewRequest(http.MethodDelete, "/mcp", nil)
	req.Header.Set(server.HeaderKeySessionID, id)
	rt.next.ServeHTTP(httptest.NewRecorder(), req)
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(server.HeaderKeySessionID)
	modern := mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
	switch r.Method {
	case http.MethodGet, http.MethodDelete:
		if modern {
			break // mcp-go answers 405: 2026-07-28 has no sessions
		}
		if id == "" {
			writeRPCError(w, http.StatusBadRequest, mcp.INVALID_REQUEST,
				r.Method+" needs the Mcp-Session-Id header of an initialized session (stateless clients have no stream to open)")
			return
		}
		if !rt.sessions.known(id) {
			writeRPCError(w, http.StatusNotFound, mcp.INVALID_REQUEST, "unknown or ended session: initialize a new one")
			return
		}
	case http.MethodPost:
		pw := newPostWriter(w, modern)
		defer pw.close()
		w = pw
		ctx := withStream(r.Context(), pw)
		r = r.WithContext(context.WithValue(ctx, baseKey{}, rt.baseURL(r)))
		if modern || strings.Contains(id, AliasSep) {
			break
		}
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			writeRPCError(w, http.StatusBadRequest, mcp.PARSE_ERROR, "could not read the request body; send it again")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var msg struct {
			Method string `json:"method"`
			Params struct {
				Meta *mcp.Meta `json:"_meta"`
			} `json:"params"`
		}
		if json.Unmarshal(body, &msg) != nil || msg.Method == "" || msg.Method == string(mcp.MethodInitialize) ||
			mcp.IsModernProtocol(msg.Params.Meta.ProtocolVersion()) {
			break // batches, responses, initialize and modern requests as they are
		}
		if id == "" {
			writeRPCError(w, http.StatusBadRequest, mcp.INVALID_REQUEST,
				"the Mcp-Session-Id header is missing: send initialize first and then the session id it returned (or use protocol 2026-07-28, which needs no session)")
			return
		}
		r = r.Clone(r.Context())
		r.Header.Set(server.HeaderKeySessionID, id+AliasSep+strconv.FormatUint(rt.seq.Add(1), 36))
	}
	rt.next.ServeHTTP(w, r)
}

type baseKey struct{}

// BaseURL returns the public base URL (scheme://host) of the HTTP request
// being served in ctx, for links back to this server; "" outside one (stdio).
func BaseURL(ctx context.Context) string {
	s, _ := ctx.Value(baseKey{}).(string)
	return s
}

// baseURL is --public-url, or what a trusted proxy forwarded (with
// --public-url forwarded), or the request's own Host.
func (rt *router) baseURL(r *http.Request) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	switch {
	case rt.publicURL == "forwarded":
		if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			scheme = p
		}
		if h := r.Header.Get("X-Forwarded-Host"); h != "" {
			host = strings.TrimSpace(strings.Split(h, ",")[0])
		}
	case rt.publicURL != "":
		return strings.TrimRight(rt.publicURL, "/")
	}
	return scheme + "://" + host
}

// writeRPCError answers with a JSON-RPC error object and an HTTP status.
func writeRPCError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(mcp.JSONRPCError{
		JSONRPC: mcp.JSONRPC_VERSION,
		ID:      mcp.NewRequestId(nil),
		Error:   mcp.NewJSONRPCErrorDetails(code, msg, nil),
	})
}

// checkOrigin refuses browser requests from origins other than the
// server's own and those allowed (--allow-origin): the guard against DNS
// rebinding and cross-site requests. Requests without an Origin header
// (non-browser clients, top-level navigations) pass.
func checkOrigin(allowed []string, next http.Handler) http.Handler {
	ok := map[string]bool{}
	for _, o := range allowed {
		if n, err := normalOrigin(o); err == nil {
			ok[n] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		n, err := normalOrigin(origin)
		if err == nil && (ok[n] || sameHost(n, r)) {
			next.ServeHTTP(w, r)
			return
		}
		WriteJSONError(w, http.StatusForbidden, "requests from the origin "+strconv.Quote(clipText(origin, 100))+
			" are not allowed: datachat serves browsers on its own origin and on those named with --allow-origin")
	})
}

// normalOrigin returns scheme://host:port in lower case, with the port the
// scheme implies made explicit.
func normalOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errBadOrigin
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return u.Scheme + "://" + host + ":" + port, nil
}

var errBadOrigin = &url.Error{Op: "parse", URL: "origin", Err: io.ErrUnexpectedEOF}

// sameHost reports whether an origin names the host the request was sent
// to (the server's own page). A rebinding attack also sends a Host of its
// own name: that is refused on loopback by mcp-go's Host check and, on
// other addresses, by the bearer token.
func sameHost(origin string, r *http.Request) bool {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	own, err := normalOrigin(scheme + "://" + r.Host)
	return err == nil && own == origin
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
