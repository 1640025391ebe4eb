package resources

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/tools"
	"datachat/web"
)

// registerView adds the MCP App view (the web bundle in view mode) that
// the query, chart, describe and chat tools name in _meta.ui.resourceUri.
func registerView(s *server.MCPServer) {
	s.AddResource(mcp.NewResource(tools.ViewURI, "datachat view",
		mcp.WithResourceDescription("Interactive view of datachat's results: sortable, paged tables, interactive charts and dataset profiles (an MCP App)"),
		mcp.WithMIMEType(tools.ViewMIMEType)),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{
				URI: tools.ViewURI, MIMEType: tools.ViewMIMEType, Text: web.View(),
				// The view needs no network: the hosts' strictest policy fits.
				Meta: map[string]any{"ui": map[string]any{"prefersBorder": true}},
			}}, nil
		})
}
