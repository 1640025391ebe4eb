package llm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Limits on what the endpoint may send back.
const (
	maxResponseBytes = 4 << 20  // a non-streamed reply
	maxStreamLine    = 1 << 20  // one SSE line
	maxReplyChars    = 64 << 10 // the text of one reply
)

// openAIClient talks to an OpenAI-compatible chat-completions endpoint.
type openAIClient struct {
	base string // without the final slash, e.g. https://api.openai.com/v1
	key  string
	http *http.Client
}

// openAIModel is one model of an endpoint.
type openAIModel struct {
	client *openAIClient
	model  string
}

type openAIMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// openAIRequest is a chat-completions request. It sets no temperature:
// some models accept only their default.
type openAIRequest struct {
	Model     string          `json:"model"`
	Messages  []openAIMessage `json:"messages"`
	Stream    bool            `json:"stream"`
	MaxTokens int             `json:"max_tokens,omitempty"`
	// MaxCompletionTokens replaces MaxTokens for models that refuse it.
	MaxCompletionTokens int `json:"max_completion_tokens,omitempty"`
}

// openAIReply is both a whole completion and one streamed chunk.
type openAIReply struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Error *openAIError `json:"error"`
}

type openAIError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
}

func (m *openAIModel) attribution() string {
	return fmt.Sprintf("_Answered by %s_", oneLine(m.model, 80))
}

func (m *openAIModel) complete(ctx context.Context, c call) (string, error) {
	resp, err := m.client.post(ctx, m.request(c, false))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return "", m.client.transportError(ctx, "read the reply", err)
	}
	if len(body) > maxResponseBytes {
		return "", &modelError{msg: fmt.Sprintf("the reply is larger than %d bytes", maxResponseBytes)}
	}
	var r openAIReply
	if err := json.Unmarshal(body, &r); err != nil {
		return "", &modelError{msg: "the endpoint's reply is not a chat completion: " + oneLine(err.Error(), 120), err: err}
	}
	if r.Error != nil {
		return "", &modelError{msg: "the endpoint reported: " + m.client.redact(oneLine(r.Error.Message, 200))}
	}
	if len(r.Choices) == 0 {
		return "", &modelError{msg: "the endpoint's reply has no choices"}
	}
	text := r.Choices[0].Message.Content
	if len(text) > maxReplyChars {
		text = text[:maxReplyChars]
	}
	return text, nil
}

func (m *openAIModel) stream(ctx context.Context, c call, emit func(string) error) (string, error) {
	resp, err := m.client.post(ctx, m.request(c, true))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		// Some servers ignore "stream": true and send the whole completion.
		var r openAIReply
		if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponseBytes)).Decode(&r); err == nil && len(r.Choices) > 0 {
			text := r.Choices[0].Message.Content
			return text, emit(text)
		}
	}
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), maxStreamLine)
	for sc.Scan() {
		line := sc.Text()
		data, ok := strings.CutPrefix(line, "data:")
		if !ok {
			continue // comments, event names, blank separators
		}
		data = strings.TrimSpace(data)
		if data == "[DONE]" {
			return b.String(), nil
		}
		var chunk openAIReply
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			return b.String(), &modelError{msg: "the stream holds a malformed chunk: " + oneLine(err.Error(), 120), err: err}
		}
		if chunk.Error != nil {
			return b.String(), &modelError{msg: "the endpoint reported: " + m.client.redact(oneLine(chunk.Error.Message, 200))}
		}
		for _, ch := range chunk.Choices {
			piece := ch.Delta.Content
			if piece == "" {
				continue
			}
			if b.Len()+len(piece) > maxReplyChars {
				return b.String(), nil
			}
			b.WriteString(piece)
			if err := emit(piece); err != nil {
				return b.String(), err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return b.String(), m.client.transportError(ctx, "read the stream", err)
	}
	// A stream that ends without [DONE] still delivered its text.
	return b.String(), nil
}

func (m *openAIModel) request(c call, stream bool) openAIRequest {
	r := openAIRequest{Model: m.model, Stream: stream, MaxTokens: c.maxTokens}
	if c.system != "" {
		r.Messages = append(r.Messages, openAIMessage{Role: "system", Content: c.system})
	}
	for _, msg := range c.messages {
		role := "user"
		if msg.Role == "assistant" {
			role = "assistant"
		}
		r.Messages = append(r.Messages, openAIMessage{Role: role, Content: msg.Content})
	}
	return r
}

// post sends a chat-completions request and returns a 200 response; any
// other status becomes a modelError saying what went wrong. A model that
// refuses max_tokens (OpenAI's reasoning models) is asked again with
// max_completion_tokens.
func (c *openAIClient) post(ctx context.Context, body openAIRequest) (*http.Response, error) {
	resp, err := c.postOnce(ctx, body)
	var se *statusErr
	if errors.As(err, &se) && se.code == http.StatusBadRequest && body.MaxTokens > 0 && strings.Contains(se.detail, "max_tokens") {
		body.MaxCompletionTokens, body.MaxTokens = body.MaxTokens, 0
		resp, err = c.postOnce(ctx, body)
	}
	return resp, err
}

// statusErr is a non-200 reply, before it is explained.
type statusErr struct {
	code   int
	detail string
}

func (e *statusErr) Error() string { return fmt.Sprintf("HTTP %d: %s", e.code, e.detail) }

func (c *openAIClient) postOnce(ctx context.Context, body openAIRequest) (*http.Response, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode chat request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/chat/completions", bytes.NewReader(payload))
	if err != nil {
		return nil, &modelError{msg: "build the request: " + oneLine(err.Error(), 120), err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if body.Stream {
		req.Header.Set("Accept", "text/event-stream")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, "call the endpoint", err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	detail := ""
	if raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<10)); err == nil {
		var r openAIReply
		if json.Unmarshal(raw, &r) == nil && r.Error != nil && r.Error.Message != "" {
			detail = c.redact(oneLine(r.Error.Message, 200))
		}
	}
	return nil, &modelError{msg: statusError(resp.StatusCode, body.Model, detail), err: &statusErr{resp.StatusCode, detail}}
}

// statusError explains a non-200 status of the endpoint.
func statusError(code int, model, detail string) string {
	var msg string
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		// The detail of an auth failure may echo part of the key.
		return fmt.Sprintf("HTTP %d: the API key was refused; check OPENAI_API_KEY", code)
	case code == http.StatusNotFound:
		msg = fmt.Sprintf("HTTP 404: model %q or the chat-completions path was not found; check the model name and OPENAI_BASE_URL", model)
	case code == http.StatusTooManyRequests:
		msg = "HTTP 429: rate limited or out of quota; try again later"
	case code >= 500:
		msg = fmt.Sprintf("HTTP %d: the endpoint failed", code)
	default:
		msg = fmt.Sprintf("HTTP %d", code)
	}
	if detail != "" {
		msg += ": " + detail
	}
	return msg
}

// transportError explains a failed connection or read.
func (c *openAIClient) transportError(ctx context.Context, what string, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &modelError{msg: "the endpoint did not answer in time", err: err}
	}
	return &modelError{msg: what + ": " + c.redact(oneLine(err.Error(), 200)), err: err}
}

// redact keeps the API key out of messages.
func (c *openAIClient) redact(s string) string {
	if len(c.key) >= 6 { // shorter "keys" are placeholders (Ollama ignores them)
		s = strings.ReplaceAll(s, c.key, "***")
	}
	return s
}
