package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzDecode checks that any request body is either accepted as a valid
// conversation or refused with a 4xx status and a message, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(`{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "whats your name"}, {"role": "assistant", "content": "bob"}, {"role": "user", "content": "and now?"}], "files": ["https://example.com/titanic.csv"]}`)
	f.Add(`{"messages": [{"role": "assistant", "content": null}, {"role": "user", "content": "hi"}]}`)
	f.Add(`{"messages": [{"role": "user", "content": "hi"}], "files": [1]}`)
	f.Add(`{"messages": [`)
	f.Add(`null`)
	f.Add(`{"messages": [{"role": "user", "content": "hi"}], "files": ["file:///etc/passwd", ""]}`)
	s := New(Config{MaxBody: 4 << 10})
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/chat", strings.NewReader(body))
		req, herr := s.decode(httptest.NewRecorder(), r)
		if herr != nil {
			if herr.status < 400 || herr.status > 499 || herr.msg == "" {
				t.Fatalf("bad refusal %d %q", herr.status, herr.msg)
			}
			return
		}
		if len(req.Messages) == 0 {
			t.Fatal("accepted without messages")
		}
		last := req.Messages[len(req.Messages)-1]
		if last.Role != "user" || last.Content == nil || strings.TrimSpace(*last.Content) == "" {
			t.Fatalf("accepted without a final user question: %+v", last)
		}
		for _, m := range req.Messages {
			if m.Role != "user" && m.Role != "assistant" {
				t.Fatalf("accepted role %q", m.Role)
			}
		}
		if len(req.Files) > MaxFiles {
			t.Fatal("accepted too many files")
		}
		for _, f := range req.Files {
			if !isURL(f) {
				t.Fatalf("accepted a file that is not an http(s) URL: %q", f)
			}
		}
	})
}

// FuzzEventRoundTrip checks that any text sent as events comes back whole
// from a spec-following SSE parser, whether sent as one event or split
// into paragraphs.
func FuzzEventRoundTrip(f *testing.F) {
	f.Add("Hey, how can I help?", uint16(3))
	f.Add("a\n\nb\r\nc\rd\n", uint16(5))
	f.Add("```\n\n```\n\n| x |\n", uint16(0))
	f.Add(": not a comment\n\ndata: not a field\n", uint16(17))
	f.Add("\n", uint16(1))
	f.Fuzz(func(t *testing.T, text string, cut uint16) {
		if got := strings.Join(paragraphs(text), ""); got != text {
			t.Fatalf("paragraphs lost text: %q", got)
		}
		at := int(cut) % (len(text) + 1)
		want := normalizeNewlines(text)
		for name, pieces := range map[string][]string{
			"whole":      {text},
			"paragraphs": paragraphs(text),
			// Cut anywhere, as an engine's tokens may be.
			"cut": {text[:at], text[at:]},
		} {
			rec := httptest.NewRecorder()
			stream := newEventStream(context.Background(), rec)
			for _, p := range pieces {
				if err := stream.send(p); err != nil {
					t.Fatal(err)
				}
			}
			sse := newSSEReader(strings.NewReader(rec.Body.String()))
			events := sse.all(t)
			if len(sse.otherFields) != 0 || sse.comments != 0 {
				t.Fatalf("%s: stream is not data-only: %v, %d comments", name, sse.otherFields, sse.comments)
			}
			if got := strings.Join(events, ""); got != want {
				t.Fatalf("%s: events join to %q, want %q", name, got, want)
			}
			if name == "whole" && want != "" && len(events) != 1 {
				t.Fatalf("one piece became %d events", len(events))
			}
		}
	})
}
