package tools

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
	"datachat/datasets"
	"datachat/llm"
)

// ChatArgs are chat's arguments.
type ChatArgs struct {
	Messages  []chat.Message `json:"messages"`
	Files     []string       `json:"files,omitempty"`
	Datasets  []string       `json:"datasets,omitempty"`
	Workspace string         `json:"workspace,omitempty"`
}

// ChatResult is chat's structured result.
type ChatResult struct {
	Workspace string   `json:"workspace,omitempty"`
	Answer    string   `json:"answer"`
	Value     any      `json:"value"`
	SQL       string   `json:"sql"`
	Confident bool     `json:"confident"`
	Loaded    []string `json:"loaded,omitempty"`
	// Table is the answer's small result table, for the view.
	Table  *datasets.Result `json:"table,omitempty"`
	Charts []ChartResult    `json:"charts,omitempty"`
}

// Chat is the chat tool: plain-language questions answered with SQL by the
// configured engine.
func Chat(d Deps) server.ServerTool {
	return serve(spec{
		name:        "chat",
		title:       "Ask about the data",
		description: "Answer a plain-language question about the tables with SQL; says so when unsure instead of guessing.",
		in: object(
			field("messages", array(object(
				field("role", oneOf("", "user", "assistant")),
				field("content", str("")),
			).requires("role", "content"), "the last user message is the question")),
			field("files", array(str(""), "load these first")),
			field("datasets", array(str(""), "only these tables")),
			field("workspace", workspaceArg),
		).requires("messages"),
		out:       chatOutput,
		openWorld: true,
	}, func(ctx context.Context, req mcp.CallToolRequest, args ChatArgs) (*mcp.CallToolResult, error) {
		if !hasUserMessage(args.Messages) {
			return mcp.NewToolResultError("messages must hold at least one {role: \"user\", content} message: the question"), nil
		}
		// A retry after the host's model answered (multi round-trip)
		// continues in the workspace the first call used, its files loaded.
		st, retry := d.chatState(req.Params.RequestState, args)
		rounds := llm.NewRounds(st.Replies)
		if retry {
			res := server.SamplingResponse(req.Params.InputResponses, sampleID(len(st.Replies)))
			if err := rounds.Add(res); err != nil {
				return mcp.NewToolResultError("chat: the host's model gave no usable answer to the sampling request: " + err.Error()), nil
			}
		}
		mode := reading
		handle := args.Workspace
		if len(args.Files) > 0 && !retry {
			mode = loading
		}
		if retry && st.Workspace != "" {
			handle = st.Workspace
		}
		cat, release, err := d.workspace(ctx, handle, mode)
		if err != nil {
			return d.result(ctx, "chat", err)
		}
		defer release()
		loaded := st.Loaded
		prog := progress(ctx, req)
		defer prog.settle()
		for _, f := range args.Files {
			if retry {
				break
			}
			infos, err := cat.Load(ctx, f, datasets.LoadOptions{Progress: prog.callback()})
			if err != nil {
				return d.result(ctx, "chat", err)
			}
			for _, i := range infos {
				loaded = append(loaded, i.Name)
			}
			if d.OnLoad != nil {
				d.OnLoad(ctx, cat)
			}
		}
		ans, err := d.Chat.Answer(llm.WithRounds(ctx, rounds), cat, chat.Request{Messages: args.Messages, Datasets: args.Datasets})
		if errors.Is(err, llm.ErrInputRequired) {
			next := d.encodeChatState(chatState{Args: argsHash(args), Workspace: cat.Workspace(), Loaded: loaded, Replies: rounds.Replies()})
			return server.NewInputRequestBuilder(next).Sample(sampleID(len(rounds.Replies())), *rounds.Needed()).ToolResult(), nil
		}
		if err != nil {
			return d.result(ctx, "chat", err)
		}
		out := ChatResult{Workspace: cat.Workspace(), Answer: ans.Text, Value: ans.Value, SQL: ans.SQL, Confident: ans.Confident, Loaded: loaded, Table: ans.Table}
		text := ans.Text
		if len(loaded) > 0 {
			text += "\n\n" + workspaceNote(cat, true)
		}
		content := []mcp.Content{mcp.NewTextContent(text)}
		// Every chart goes out as a Vega-Lite spec; a PNG is drawn only when
		// the question asks for a picture.
		images := asksForPicture(args.Messages)
		for _, c := range ans.Charts {
			spec, vl, err := CompleteChart(c.Spec, c.Data)
			var png []byte
			if err == nil && images {
				png, vl, spec, err = RenderChart(ctx, spec, c.Data)
			}
			if err != nil {
				d.Logger.Warn("chart of an answer failed", "error", err, "spec", c.Spec)
				logf(ctx, mcp.LoggingLevelWarning, "a chart of the answer could not be drawn: %v", err)
				continue
			}
			caption := c.Finding
			if caption == "" {
				caption = spec.Title
			}
			if png != nil {
				content = append(content, mcp.NewTextContent(caption), mcp.NewImageContent(base64.StdEncoding.EncodeToString(png), "image/png"))
			}
			out.Charts = append(out.Charts, ChartResult{Spec: spec, VegaLite: vl, Rows: len(c.Data.Rows), SQL: c.SQL})
		}
		return &mcp.CallToolResult{Content: content, StructuredContent: out}, nil
	})
}

// pictureWords are words of a question that asks for a picture.
var pictureWords = map[string]bool{
	"chart": true, "charts": true, "plot": true, "plots": true, "graph": true, "graphs": true,
	"visual": true, "visuals": true, "visualise": true, "visualize": true, "visualisation": true,
	"visualization": true, "draw": true, "picture": true, "diagram": true, "histogram": true,
	"image": true, "pie": true,
}

// asksForPicture reports whether the question (the last user message)
// asks for a chart.
func asksForPicture(msgs []chat.Message) bool {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != "user" {
			continue
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(msgs[i].Content), func(r rune) bool {
			return !unicode.IsLetter(r)
		}) {
			if pictureWords[w] {
				return true
			}
		}
		return false
	}
	return false
}

func hasUserMessage(msgs []chat.Message) bool {
	for _, m := range msgs {
		if m.Role == "user" && strings.TrimSpace(m.Content) != "" {
			return true
		}
	}
	return false
}
