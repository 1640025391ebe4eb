package llm

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
)

// model is one backend's chat completion.
type model interface {
	// complete returns the model's whole reply.
	complete(ctx context.Context, c call) (string, error)
	// stream returns the reply like complete and hands its pieces to emit
	// as they arrive.
	stream(ctx context.Context, c call, emit func(string) error) (string, error)
	// attribution is the line that says who answered.
	attribution() string
}

// call is one request to a model.
type call struct {
	system    string
	messages  []chat.Message
	maxTokens int
}

// modelError is a failure to get a reply from the model (as opposed to a
// reply that could not be used).
type modelError struct {
	msg string
	err error
}

func (e *modelError) Error() string { return e.msg }
func (e *modelError) Unwrap() error { return e.err }

// samplingModel asks the MCP host's model through sampling.
type samplingModel struct {
	preferred string // the request's model, passed as a hint
	used      string // the model the host reported
}

func (m *samplingModel) complete(ctx context.Context, c call) (string, error) {
	req := mcp.CreateMessageRequest{CreateMessageParams: mcp.CreateMessageParams{
		SystemPrompt: c.system,
		MaxTokens:    c.maxTokens,
	}}
	for _, msg := range c.messages {
		role := mcp.RoleUser
		if msg.Role == "assistant" {
			role = mcp.RoleAssistant
		}
		req.Messages = append(req.Messages, mcp.SamplingMessage{Role: role, Content: mcp.NewTextContent(msg.Content)})
	}
	if m.preferred != "" {
		req.ModelPreferences = &mcp.ModelPreferences{Hints: []mcp.ModelHint{{Name: m.preferred}}}
	}
	if r := roundsFrom(ctx); r != nil {
		// Multi round-trip: the reply comes with a retry of the tool call.
		reply, ok := r.take(req.CreateMessageParams)
		if !ok {
			return "", inputRequired(req.CreateMessageParams)
		}
		if reply.Model != "" {
			m.used = reply.Model
		}
		return reply.Text, nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return "", &modelError{msg: "no MCP session"}
	}
	res, err := srv.RequestSampling(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return "", &modelError{msg: "the host's model did not answer in time", err: err}
		}
		return "", &modelError{msg: "sampling failed: " + oneLine(err.Error(), 200), err: err}
	}
	if res == nil {
		return "", &modelError{msg: "sampling returned no result"}
	}
	if res.Model != "" {
		m.used = res.Model
	}
	text, err := samplingText(res.Content)
	if err != nil {
		return "", &modelError{msg: err.Error()}
	}
	if len(text) > maxReplyChars {
		text = oneLineKeep(text, maxReplyChars)
	}
	return text, nil
}

// samplingText takes the text out of a sampling result's content, which is
// one content item or a list of them.
func samplingText(content any) (string, error) {
	var b strings.Builder
	found := false
	var add func(c any)
	add = func(c any) {
		switch c := c.(type) {
		case mcp.TextContent:
			b.WriteString(c.Text)
			found = true
		case *mcp.TextContent:
			if c != nil {
				b.WriteString(c.Text)
				found = true
			}
		case []mcp.Content:
			for _, item := range c {
				add(item)
			}
		case []any:
			for _, item := range c {
				add(item)
			}
		case map[string]any:
			if t, ok := c["text"].(string); ok && c["type"] == "text" {
				b.WriteString(t)
				found = true
			}
		}
	}
	add(content)
	if !found {
		return "", fmt.Errorf("the host's model replied without text (%T)", content)
	}
	return b.String(), nil
}

func (m *samplingModel) stream(ctx context.Context, c call, emit func(string) error) (string, error) {
	text, err := m.complete(ctx, c)
	if err != nil {
		return "", err
	}
	return text, emit(text)
}

func (m *samplingModel) attribution() string {
	if m.used != "" {
		return fmt.Sprintf("_Answered by the host's model (%s) via MCP sampling_", oneLine(m.used, 80))
	}
	return "_Answered by the host's model via MCP sampling_"
}
