package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Defaults of the HTTP limits.
const (
	// DefaultMaxBody caps a request body to /mcp (--max-body).
	DefaultMaxBody = 4 << 20
	// DefaultMaxConcurrent caps the loads and answers running at once (--max-concurrent).
	DefaultMaxConcurrent = 8
)

// Gate admits at most a fixed number of heavy requests (loads, queries,
// answers) at once; beyond that they are answered 503 with Retry-After,
// rather than queued, so that memory stays bounded and clients back off.
type Gate struct {
	slots chan struct{}
}

// NewGate returns a gate of n slots (DefaultMaxConcurrent when n <= 0).
func NewGate(n int) *Gate {
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	return &Gate{slots: make(chan struct{}, n)}
}

// TryAcquire takes a slot without waiting; ok is false when all are taken.
func (g *Gate) TryAcquire() (release func(), ok bool) {
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, true
	default:
		return nil, false
	}
}

// Size is the number of slots.
func (g *Gate) Size() int { return cap(g.slots) }

// retryAfter is the Retry-After a busy answer gives, in seconds.
const retryAfter = 2

// WriteBusy answers 503 with Retry-After and a JSON error naming the limit.
func WriteBusy(w http.ResponseWriter, n int) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	WriteJSONError(w, http.StatusServiceUnavailable, fmt.Sprintf("the server is busy: %d loads and answers are running, the most it runs at once (--max-concurrent); retry in %d seconds", n, retryAfter))
}

// WriteTooLarge answers 413 with a JSON error naming the limit.
func WriteTooLarge(w http.ResponseWriter, max int64) {
	w.Header().Set("Connection", "close")
	WriteJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %s, the most this server reads (--max-body)", SizeText(max)))
}

// SizeText spells a byte count for messages: "4 MiB", "512 KiB", "1000 bytes".
func SizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitMCP caps POST bodies to /mcp at max bytes (413 before reading when
// Content-Length says so, else once max is passed) and admits tool calls
// through the gate (503 beyond it). Other requests (initialize, lists, the
// GET event stream) are not gated: they are cheap, and a client must be
// able to reach a busy server to learn it is busy.
func limitMCP(max int64, gate *Gate, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			WriteTooLarge(w, max)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
		r.Body.Close()
		if err != nil {
			WriteJSONError(w, http.StatusBadRequest, "could not read the request body; send it again")
			return
		}
		if int64(len(body)) > max {
			WriteTooLarge(w, max)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if gate != nil && callsTool(body) {
			release, ok := gate.TryAcquire()
			if !ok {
				WriteBusy(w, gate.Size())
				return
			}
			defer release()
		}
		next.ServeHTTP(w, r)
	})
}

// callsTool reports whether a JSON-RPC message (or batch) calls a tool.
func callsTool(body []byte) bool {
	var one struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &one) == nil {
		return one.Method == "tools/call"
	}
	var batch []struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &batch) != nil {
		return false
	}
	for _, m := range batch {
		if m.Method == "tools/call" {
			return true
		}
	}
	return false
}
