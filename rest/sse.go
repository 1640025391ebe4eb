package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// eventStream writes data-only server-sent events. The response headers are
// written with the first event, so that a failure before it can still be
// answered with an error status.
type eventStream struct {
	ctx     context.Context
	w       http.ResponseWriter
	rc      *http.ResponseController
	buf     bytes.Buffer
	started bool
	events  int
	tail    string // the last two characters sent, to place separators
	cr      bool   // the last piece ended in CR, whose LF may start the next
}

func newEventStream(ctx context.Context, w http.ResponseWriter) *eventStream {
	return &eventStream{ctx: ctx, w: w, rc: http.NewResponseController(w)}
}

func (s *eventStream) start() {
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // tell nginx not to buffer the stream
	h.Set("X-Content-Type-Options", "nosniff")
	// A server-wide write timeout would cut long answers short.
	_ = s.rc.SetWriteDeadline(time.Time{})
	s.w.WriteHeader(http.StatusOK)
	s.started = true
}

// send writes text as one event and flushes it. Empty text sends nothing
// (an SSE event with no data is not dispatched). It fails once the client
// has gone.
func (s *eventStream) send(text string) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	// A CRLF split across two pieces is one line end.
	if s.cr && strings.HasPrefix(text, "\n") {
		text, s.cr = text[1:], false
	}
	if text == "" {
		return nil
	}
	s.cr = strings.HasSuffix(text, "\r")
	text = normalizeNewlines(text)
	if !s.started {
		s.start()
	}
	s.buf.Reset()
	for line := range strings.SplitSeq(text, "\n") {
		s.buf.WriteString("data: ")
		s.buf.WriteString(line)
		s.buf.WriteByte('\n')
	}
	s.buf.WriteByte('\n')
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	if err := s.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("flush event: %w", err)
	}
	s.events++
	if len(text) >= 2 {
		s.tail = text[len(text)-2:]
	} else {
		s.tail = (s.tail + text)[max(0, len(s.tail)+len(text)-2):]
	}
	return nil
}

// sendEvent writes one named event whose data is v as JSON on a single
// line. Clients that read only the data-only events ignore it when they
// honour event names (EventSource does); the chat API sends it only to
// clients that ask for it.
func (s *eventStream) sendEvent(name string, v any) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", name, err)
	}
	if !s.started {
		s.start()
	}
	s.buf.Reset()
	s.buf.WriteString("event: " + name + "\ndata: ")
	s.buf.Write(data) // JSON escapes line ends inside strings
	s.buf.WriteString("\n\n")
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	if err := s.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("flush event: %w", err)
	}
	return nil
}

// separator returns what to put before a new block so that it starts a new
// markdown paragraph after what was sent.
func (s *eventStream) separator() string {
	switch {
	case s.events == 0 || s.tail == "\n\n":
		return ""
	case strings.HasSuffix(s.tail, "\n"):
		return "\n"
	}
	return "\n\n"
}

// normalizeNewlines turns CRLF and lone CR into LF: SSE treats all three as
// line ends, and a bare CR inside a data line would split it.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// paragraphs splits markdown into chunks that end after a blank line, never
// inside a fenced code block. The chunks concatenate to s.
func paragraphs(s string) []string {
	var out []string
	start, fence := 0, false
	for i := 0; i < len(s); {
		lineEnd := strings.IndexByte(s[i:], '\n')
		if lineEnd < 0 {
			break
		}
		line := s[i : i+lineEnd]
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
		}
		i += lineEnd + 1
		if !fence && i < len(s) && s[i] == '\n' {
			for i < len(s) && s[i] == '\n' {
				i++
			}
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
