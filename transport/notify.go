package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// A request's notifications (progress, log messages) must reach the client
// before the request's response. mcp-go queues notifications on a session's
// channel, which every stream of the session drains (the GET stream, each
// POST), so a notification can leave on another stream, after the response;
// and a notification its POST forwarder has taken just as the response is
// written is dropped. Notify writes on the request's own stream instead,
// before it returns: a line over stdio, an SSE event on the POST response
// over HTTP. The response, written after the handler returns, cannot
// overtake it.

// stream carries one request's notifications.
type stream interface {
	send(ctx context.Context, n mcp.JSONRPCNotification) error
}

type streamKey struct{}

func withStream(ctx context.Context, s stream) context.Context {
	return context.WithValue(ctx, streamKey{}, s)
}

// Notify sends a notification about the request being handled in ctx on
// that request's stream, so that it reaches the client before the
// response. Outside a transport of this package it falls back to mcp-go's
// session channel.
func Notify(ctx context.Context, method string, params map[string]any) error {
	if s, ok := ctx.Value(streamKey{}).(stream); ok {
		return s.send(ctx, mcp.JSONRPCNotification{
			JSONRPC:      mcp.JSONRPC_VERSION,
			Notification: mcp.Notification{Method: method, Params: mcp.NotificationParams{AdditionalFields: params}},
		})
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return errNoClient
	}
	return srv.SendNotificationToClient(ctx, method, params)
}

var errNoClient = errors.New("no client to notify")

// postWriter is the response writer mcp-go gets for a POST. It is also the
// request's stream: Notify writes SSE events on it. Writes do not
// interleave, the status is written once, and once the request is over
// Notify is refused. mcp-go's header changes go to a map of their own,
// copied out when it writes first, so the two never touch one map at once.
type postWriter struct {
	w      http.ResponseWriter
	h      http.Header // mcp-go's headers
	modern bool        // the request is of protocol 2026-07-28

	mu      sync.Mutex
	status  int // what mcp-go asked for, written with the first bytes
	written bool
	closed  bool
	upgrade func() // makes mcp-go send its response as an SSE event too
}

func newPostWriter(w http.ResponseWriter, modern bool) *postWriter {
	return &postWriter{w: w, h: http.Header{}, modern: modern}
}

func (p *postWriter) Header() http.Header { return p.h }

// WriteHeader and Write run on mcp-go's goroutine, the only one that
// touches p.h.
func (p *postWriter) WriteHeader(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.written && p.status == 0 {
		p.status = code
		p.decidedLocked()
	}
}

// decidedLocked stops notifications once mcp-go answers with plain JSON:
// an SSE event can no longer go before that response.
func (p *postWriter) decidedLocked() {
	if !strings.HasPrefix(p.h.Get("Content-Type"), "text/event-stream") {
		p.closed = true
	}
}

// commitLocked writes the status once, with mcp-go's headers when it is
// mcp-go that writes first.
func (p *postWriter) commitLocked(status int, theirs bool) {
	if p.written {
		return
	}
	p.written = true
	if theirs {
		for k, v := range p.h {
			p.w.Header()[k] = v
		}
	}
	p.w.WriteHeader(status)
}

func (p *postWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out, notFound := rewriteNotFound(b, p.modern)
	status := p.status
	if status == 0 {
		status = http.StatusOK
	}
	if !p.written {
		p.decidedLocked()
		if notFound && p.modern && status == http.StatusOK && p.closed {
			// 2026-07-28 maps invalid params onto 400.
			status = http.StatusBadRequest
		}
	}
	p.commitLocked(status, true)
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Flush and Unwrap let mcp-go stream and set write deadlines.
func (p *postWriter) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.status != 0 {
		p.commitLocked(p.status, true)
	}
	_ = http.NewResponseController(p.w).Flush()
}

func (p *postWriter) Unwrap() http.ResponseWriter { return p.w }

// close marks the request answered.
func (p *postWriter) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

func (p *postWriter) send(_ context.Context, n mcp.JSONRPCNotification) error {
	b, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("encode notification: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errRequestOver
	}
	if p.upgrade != nil {
		p.upgrade()
	}
	if !p.written {
		p.w.Header().Set("Content-Type", "text/event-stream")
		p.w.Header().Set("Cache-Control", "no-cache")
		p.commitLocked(http.StatusOK, false)
	}
	if _, err := fmt.Fprintf(p.w, "event: message\ndata: %s\n\n", b); err != nil {
		return err
	}
	return http.NewResponseController(p.w).Flush()
}

var errRequestOver = errors.New("the request has been answered")

// lineWriter writes whole lines to the stdio stream, one at a time, so
// that notifications written here and messages mcp-go writes never
// interleave.
type lineWriter struct {
	mu       sync.Mutex
	w        io.Writer
	notified time.Time // when the last notification was written
	eras     stdioEras
}

// stdioGap is how long a response waits after a notification written just
// before it. The order on the wire is right without it, but the TypeScript
// SDK handles a notification a microtask later than a response that came in
// the same read, and then no longer knows the notification's progress
// token; the gap puts the two in different reads.
const stdioGap = 100 * time.Millisecond

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := p
	if bytes.HasPrefix(p, responsePrefix) {
		out, _ = rewriteNotFound(p, l.eras.answered(p))
		if wait := stdioGap - time.Since(l.notified); wait > 0 {
			time.Sleep(wait)
		}
	}
	if _, err := l.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// send writes the notification before it returns: the response, written
// after the handler returns, cannot overtake it.
func (l *lineWriter) send(_ context.Context, n mcp.JSONRPCNotification) error {
	b, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("encode notification: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.w.Write(append(b, '\n'))
	l.notified = time.Now()
	return err
}
