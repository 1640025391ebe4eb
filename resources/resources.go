// Package resources exposes each session's loaded datasets as MCP resources,
// and the explore_dataset prompt.
//
// URIs:
//
//	datachat://datasets                      the session's datasets (JSON)
//	datachat://datasets/{name}/schema        columns, types and labels (JSON)
//	datachat://datasets/{name}/preview       the first 100 rows (CSV)
//	datachat://datasets/{name}/description   column statistics (Markdown)
//
// After a load, the session's concrete resources are published and clients
// get notifications/resources/list_changed.
package resources

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
	"datachat/tools"
)

const (
	scheme   = "datachat://datasets"
	listURI  = scheme
	mimeJSON = "application/json"
	mimeCSV  = "text/csv"
	mimeMD   = "text/markdown"
)

// PreviewRows is how many rows the preview resource holds.
const PreviewRows = 100

// Registry publishes datasets as resources.
type Registry struct {
	datasets *datasets.Manager
}

// New returns a Registry over m.
func New(m *datasets.Manager) *Registry { return &Registry{datasets: m} }

// Register adds the list resource, the templates and the prompt to s.
func (r *Registry) Register(s *server.MCPServer) {
	s.AddResource(mcp.NewResource(listURI, "datasets",
		mcp.WithResourceDescription("The datasets loaded in this session, with their resource URIs"),
		mcp.WithMIMEType(mimeJSON)), r.readList)
	for _, kind := range []struct{ name, desc, mime string }{
		{"schema", "Columns, types and labels of a loaded dataset", mimeJSON},
		{"preview", fmt.Sprintf("The first %d rows of a loaded dataset, as CSV", PreviewRows), mimeCSV},
		{"description", "Column statistics of a loaded dataset", mimeMD},
	} {
		s.AddResourceTemplate(mcp.NewResourceTemplate(scheme+"/{name}/"+kind.name, "dataset "+kind.name,
			mcp.WithTemplateDescription(kind.desc), mcp.WithTemplateMIMEType(kind.mime)), r.readDataset)
	}
	s.AddPrompt(mcp.NewPrompt("explore_dataset",
		mcp.WithPromptDescription("A good first conversation about a loaded dataset"),
		mcp.WithArgument("dataset", mcp.RequiredArgument(), mcp.ArgumentDescription("the table name, as list_datasets shows it"))),
		r.explorePrompt)
}

// Published is called after a load: it sets the session's concrete resources
// and tells the client the list changed.
func (r *Registry) Published(ctx context.Context, session string, _ []datasets.TableInfo) {
	cat, ok := r.datasets.Lookup(session)
	if !ok {
		return
	}
	res := map[string]server.ServerResource{}
	for _, t := range cat.Tables(ctx) {
		for _, kind := range []struct{ name, mime string }{{"schema", mimeJSON}, {"preview", mimeCSV}, {"description", mimeMD}} {
			uri := fmt.Sprintf("%s/%s/%s", scheme, t.Name, kind.name)
			res[uri] = server.ServerResource{
				Resource: mcp.NewResource(uri, t.Name+" "+kind.name,
					mcp.WithResourceDescription(fmt.Sprintf("%s of %s (%d rows, from %s)", kind.name, t.Name, t.Rows, t.Source)),
					mcp.WithMIMEType(kind.mime)),
				Handler: r.readDataset,
			}
		}
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return
	}
	switch sess := server.ClientSessionFromContext(ctx).(type) {
	case server.SessionWithResources:
		// HTTP sessions keep their own resources: no client sees another's.
		sess.SetSessionResources(res)
		_ = srv.SendNotificationToClient(ctx, mcp.MethodNotificationResourcesListChanged, nil)
	case server.ClientSession:
		// stdio serves exactly one client per process, so its datasets can
		// be listed server-wide (AddResources notifies the client).
		if sess.SessionID() == "stdio" {
			list := make([]server.ServerResource, 0, len(res))
			for _, r := range res {
				list = append(list, r)
			}
			srv.AddResources(list...)
		}
	}
}

func (r *Registry) catalog(ctx context.Context) (*datasets.Catalog, error) {
	return r.datasets.Catalog(ctx, tools.SessionID(ctx))
}

func (r *Registry) readList(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	cat, err := r.catalog(ctx)
	if err != nil {
		return nil, err
	}
	type entry struct {
		datasets.TableInfo
		Resources []string `json:"resources"`
	}
	list := []entry{}
	for _, t := range cat.Tables(ctx) {
		list = append(list, entry{t, []string{
			fmt.Sprintf("%s/%s/schema", scheme, t.Name),
			fmt.Sprintf("%s/%s/preview", scheme, t.Name),
			fmt.Sprintf("%s/%s/description", scheme, t.Name),
		}})
	}
	b, err := json.MarshalIndent(map[string]any{"datasets": list}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode dataset list: %w", err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: mimeJSON, Text: string(b)}}, nil
}

func (r *Registry) readDataset(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	rest, ok := strings.CutPrefix(req.Params.URI, scheme+"/")
	name, kind, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		return nil, fmt.Errorf("resource %q not found: use %s/{name}/schema, preview or description", req.Params.URI, scheme)
	}
	cat, err := r.catalog(ctx)
	if err != nil {
		return nil, err
	}
	info, err := cat.Table(name)
	if err != nil {
		return nil, err
	}
	text := func(mime, s string) []mcp.ResourceContents {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: mime, Text: s}}
	}
	switch kind {
	case "schema":
		b, err := json.MarshalIndent(info, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encode schema: %w", err)
		}
		return text(mimeJSON, string(b)), nil
	case "preview":
		res, err := cat.Preview(ctx, info.Name, PreviewRows)
		if err != nil {
			return nil, err
		}
		return text(mimeCSV, CSV(res)), nil
	case "description":
		desc, err := cat.Describe(ctx, info.Name, nil)
		if err != nil {
			return nil, err
		}
		return text(mimeMD, tools.DescriptionMarkdown(desc)), nil
	}
	return nil, fmt.Errorf("resource %q not found: use schema, preview or description", req.Params.URI)
}

// CSV renders a result as CSV with a header row.
func CSV(res *datasets.Result) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(res.Columns)
	rec := make([]string, len(res.Columns))
	for _, row := range res.Rows {
		for i, v := range row {
			rec[i] = datasets.FormatValue(v)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.String()
}

func (r *Registry) explorePrompt(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
	name := req.Params.Arguments["dataset"]
	if name == "" {
		return nil, fmt.Errorf("the dataset argument is required")
	}
	text := fmt.Sprintf(`Let's explore the dataset %q loaded in datachat.

1. Call describe with dataset %q to see its columns, types, missing values and typical values.
2. Read datachat://datasets/%s/preview to look at a few real rows.
3. Tell me in plain words what one row represents and which columns look most interesting.
4. Propose three questions worth asking of this data, answer each with one read-only SQL query (query tool), and show the SQL you ran.
5. Point out data quality issues you noticed (missing values, odd codes, outliers).`, name, name, name)
	return mcp.NewGetPromptResult("Explore "+name, []mcp.PromptMessage{
		mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
	}), nil
}
