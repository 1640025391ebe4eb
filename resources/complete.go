package resources

import (
	"context"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"datachat/datasets"
	"datachat/tools"
)

// Completions: the Registry completes dataset names, column names and the
// caller's own workspace in the resource templates and in explore_dataset's
// arguments. A workspace handle is a secret: only the caller's session's
// own workspace is ever offered, so a stateless client is never completed
// anyone's handle.

// maxCompletions is the protocol's cap on values per answer.
const maxCompletions = 100

// CompleteResourceArgument completes an argument of a resource template.
func (r *Registry) CompleteResourceArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	return r.complete(ctx, arg, cc.Arguments), nil
}

// CompletePromptArgument completes an argument of explore_dataset.
func (r *Registry) CompletePromptArgument(ctx context.Context, prompt string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	if prompt != "explore_dataset" {
		return &mcp.Completion{Values: []string{}}, nil
	}
	return r.complete(ctx, arg, cc.Arguments), nil
}

func (r *Registry) complete(ctx context.Context, arg mcp.CompleteArgument, known map[string]string) *mcp.Completion {
	var options []string
	switch arg.Name {
	case "workspace":
		if c, ok := r.datasets.Lookup(tools.SessionID(ctx)); ok && tools.SessionID(ctx) != "" {
			options = []string{c.Workspace()}
		}
	case "name", "dataset":
		if cat := r.catalogOf(ctx, known["workspace"]); cat != nil {
			for _, t := range cat.Tables(ctx) {
				options = append(options, t.Name)
			}
		}
	case "column":
		if cat := r.catalogOf(ctx, known["workspace"]); cat != nil {
			if t, err := cat.Table(known["dataset"]); err == nil {
				for _, c := range t.Columns {
					options = append(options, c.Name)
				}
			}
		}
	}
	return matches(options, arg.Value)
}

// catalogOf is the named workspace, else the session's, else nil.
func (r *Registry) catalogOf(ctx context.Context, handle string) *datasets.Catalog {
	if handle != "" {
		if c, err := r.datasets.Open(ctx, handle); err == nil {
			return c
		}
		return nil
	}
	if s := tools.SessionID(ctx); s != "" {
		if c, ok := r.datasets.Lookup(s); ok {
			return c
		}
	}
	return nil
}

// matches returns the options that start with prefix (ignoring case), then
// those that contain it, at most maxCompletions of them.
func matches(options []string, prefix string) *mcp.Completion {
	p := strings.ToLower(prefix)
	var first, then []string
	for _, o := range options {
		l := strings.ToLower(o)
		switch {
		case strings.HasPrefix(l, p):
			first = append(first, o)
		case strings.Contains(l, p):
			then = append(then, o)
		}
	}
	slices.Sort(first)
	slices.Sort(then)
	all := append(first, then...)
	out := &mcp.Completion{Values: all, Total: len(all)}
	if len(all) > maxCompletions {
		out.Values, out.HasMore = all[:maxCompletions], true
	}
	if out.Values == nil {
		out.Values = []string{}
	}
	return out
}
