package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
	"datachat/transport"
)

// access says what a tool does with a workspace, which decides what a
// stateless call without one gets.
type access int

const (
	// reading tools get an empty scratch catalog.
	reading access = iota
	// loading tools get a new workspace, whose handle they return.
	loading
)

// SessionID returns the MCP session of a request, or "" for a stateless
// request (protocol 2026-07-28, which has no sessions) or one outside a
// session. Stateless clients carry workspace handles instead.
func SessionID(ctx context.Context) string {
	if server.IsModernRequest(ctx) {
		return ""
	}
	s := server.ClientSessionFromContext(ctx)
	if s == nil {
		return ""
	}
	id, _, _ := strings.Cut(s.SessionID(), transport.AliasSep)
	return id
}

// workspace returns the catalog a tool call works on: the named workspace,
// else the session's, else (stateless) a new workspace for loading tools or
// an empty scratch catalog for the others. Call release when done.
func (d Deps) workspace(ctx context.Context, handle string, a access) (cat *datasets.Catalog, release func(), err error) {
	release = func() {}
	session := SessionID(ctx)
	handle = strings.TrimSpace(handle)
	switch {
	case handle != "":
		cat, err = d.Datasets.Open(ctx, handle)
		if err == nil && session != "" {
			// The session goes on in the workspace it named.
			d.Datasets.Adopt(session, handle)
		}
	case session != "":
		cat, err = d.Datasets.Catalog(ctx, session)
	case a == loading:
		cat, err = d.Datasets.Create(ctx)
	default:
		cat, err = d.Datasets.Scratch(ctx)
		if err == nil {
			release = func() { _ = cat.Close() }
		}
	}
	return cat, release, err
}

// workspaceNote is the sentence a result's text carries about its workspace.
func workspaceNote(cat *datasets.Catalog, loaded bool) string {
	h := cat.Workspace()
	switch {
	case h == "":
		return "No workspace was given, so nothing loaded is visible here; pass the `workspace` that load_file returned."
	case loaded:
		return "Workspace `" + h + "`: pass `\"workspace\": \"" + h + "\"` to later calls to use these tables."
	}
	return "Workspace `" + h + "`."
}
