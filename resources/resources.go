// Package resources exposes each workspace's loaded datasets as MCP
// resources, and the explore_dataset prompt.
//
// URIs (a workspace handle is what load_file returns):
//
//	datachat://w/{workspace}/datasets                      the datasets (JSON)
//	datachat://w/{workspace}/datasets/{name}/schema        columns, types and labels (JSON)
//	datachat://w/{workspace}/datasets/{name}/preview       the first 100 rows (CSV)
//	datachat://w/{workspace}/datasets/{name}/description   column statistics (Markdown)
//	datachat://w/{workspace}/results/{id}.csv|.parquet     a whole query result (see exports)
//
// A client with a session (stdio, or streamable HTTP before protocol
// 2026-07-28) also finds its workspace's resources in resources/list after a
// load, and gets notifications/resources/list_changed.
package resources

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
	"datachat/exports"
	"datachat/tools"
	"datachat/transport"
)

const (
	scheme   = "datachat://w/"
	mimeJSON = "application/json"
	mimeCSV  = "text/csv"
	mimeMD   = "text/markdown"
)

// PreviewRows is how many rows the preview resource holds.
const PreviewRows = 100

// kinds are the per-dataset resources.
var kinds = []struct{ name, desc, mime string }{
	{"schema", "Columns, types and labels of a loaded dataset", mimeJSON},
	{"preview", fmt.Sprintf("The first %d rows of a loaded dataset, as CSV", PreviewRows), mimeCSV},
	{"description", "Column statistics of a loaded dataset", mimeMD},
}

// ListURI is the URI of a workspace's dataset list.
func ListURI(workspace string) string { return scheme + workspace + "/datasets" }

// DatasetURI is the URI of one resource (schema, preview, description) of a dataset.
func DatasetURI(workspace, name, kind string) string {
	return ListURI(workspace) + "/" + name + "/" + kind
}

// Registry publishes datasets as resources.
type Registry struct {
	datasets *datasets.Manager
	exports  *exports.Exporter

	mu    sync.Mutex
	stdio []string // URIs published server-wide for the stdio client

	subs subscriptions
}

// New returns a Registry over m.
func New(m *datasets.Manager, e *exports.Exporter) *Registry {
	return &Registry{datasets: m, exports: e}
}

// Register adds the templates and the prompt to s.
func (r *Registry) Register(s *server.MCPServer) {
	s.AddResourceTemplate(mcp.NewResourceTemplate(scheme+"{workspace}/datasets", "datasets",
		mcp.WithTemplateDescription("The datasets loaded in a workspace, with their resource URIs"),
		mcp.WithTemplateMIMEType(mimeJSON)), r.readList)
	for _, kind := range kinds {
		s.AddResourceTemplate(mcp.NewResourceTemplate(scheme+"{workspace}/datasets/{name}/"+kind.name, "dataset "+kind.name,
			mcp.WithTemplateDescription(kind.desc), mcp.WithTemplateMIMEType(kind.mime)), r.readDataset)
	}
	s.AddResourceTemplate(mcp.NewResourceTemplate(exports.URITemplate, "query result",
		mcp.WithTemplateDescription("A whole query result, as CSV or Parquet (links come with results larger than a query returns)")),
		r.readExport)
	s.AddPrompt(mcp.NewPrompt("explore_dataset",
		mcp.WithPromptDescription("A good first conversation about a loaded dataset"),
		mcp.WithArgument("dataset", mcp.RequiredArgument(), mcp.ArgumentDescription("the table name, as list_datasets shows it")),
		mcp.WithArgument("workspace", mcp.ArgumentDescription("the workspace load_file returned")),
		mcp.WithArgument("column", mcp.ArgumentDescription("a column to look at closely"))),
		r.explorePrompt)
	registerView(s)
}

// Published is called after a load: a client with a session gets its
// workspace's concrete resources in resources/list and a list_changed
// notification. Stateless clients have nowhere to be told; they read the
// templates.
func (r *Registry) Published(ctx context.Context, cat *datasets.Catalog) {
	srv := server.ServerFromContext(ctx)
	if srv == nil || cat.Workspace() == "" {
		return
	}
	r.updated(ctx, srv, cat)
	if tools.SessionID(ctx) == "" {
		return
	}
	h := cat.Workspace()
	res := map[string]server.ServerResource{
		ListURI(h): {
			Resource: mcp.NewResource(ListURI(h), "datasets",
				mcp.WithResourceDescription("The datasets loaded in workspace "+h), mcp.WithMIMEType(mimeJSON)),
			Handler: r.readList,
		},
	}
	for _, t := range cat.Tables(ctx) {
		for _, kind := range kinds {
			uri := DatasetURI(h, t.Name, kind.name)
			res[uri] = server.ServerResource{
				Resource: mcp.NewResource(uri, t.Name+" "+kind.name,
					mcp.WithResourceDescription(fmt.Sprintf("%s of %s (%d rows, from %s)", kind.name, t.Name, t.Rows, t.Source)),
					mcp.WithMIMEType(kind.mime)),
				Handler: r.readDataset,
			}
		}
	}
	switch sess := server.ClientSessionFromContext(ctx).(type) {
	case server.SessionWithResources:
		// HTTP sessions keep their own resources: no client sees another's.
		sess.SetSessionResources(res)
		_ = srv.SendNotificationToClient(ctx, mcp.MethodNotificationResourcesListChanged, nil)
	case server.ClientSession:
		// stdio serves exactly one client per process, so its datasets can
		// be listed server-wide (AddResources notifies the client).
		if sess.SessionID() != "stdio" {
			return
		}
		list := make([]server.ServerResource, 0, len(res))
		uris := make([]string, 0, len(res))
		for uri, r := range res {
			list = append(list, r)
			uris = append(uris, uri)
		}
		r.mu.Lock()
		old := r.stdio
		r.stdio = uris
		r.mu.Unlock()
		srv.DeleteResources(old...)
		srv.AddResources(list...)
	}
}

// parseURI splits datachat://w/{workspace}/datasets[/{name}/{kind}].
func parseURI(uri string) (workspace, name, kind string, ok bool) {
	rest, ok := strings.CutPrefix(uri, scheme)
	if !ok {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && parts[1] == "datasets":
		return parts[0], "", "", true
	case len(parts) == 4 && parts[1] == "datasets":
		return parts[0], parts[2], parts[3], true
	}
	return "", "", "", false
}

// notFound is the error of a resource that does not exist; the transports
// answer it with the protocol's not-found code.
func notFound(uri string, why error) error {
	return fmt.Errorf("%s%s: %w", transport.NotFoundPrefix, uri, why)
}

func (r *Registry) readList(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	ws, _, _, ok := parseURI(req.Params.URI)
	if !ok {
		return nil, notFound(req.Params.URI, fmt.Errorf("use %s{workspace}/datasets", scheme))
	}
	cat, err := r.datasets.Open(ctx, ws)
	if err != nil {
		return nil, notFound(req.Params.URI, err)
	}
	type entry struct {
		datasets.TableInfo
		Resources []string `json:"resources"`
	}
	list := []entry{}
	for _, t := range cat.Tables(ctx) {
		var uris []string
		for _, k := range kinds {
			uris = append(uris, DatasetURI(ws, t.Name, k.name))
		}
		list = append(list, entry{t, uris})
	}
	b, err := json.MarshalIndent(map[string]any{"workspace": ws, "datasets": list}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode dataset list: %w", err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: mimeJSON, Text: string(b)}}, nil
}

func (r *Registry) readDataset(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	ws, name, kind, ok := parseURI(req.Params.URI)
	if !ok || name == "" {
		return nil, notFound(req.Params.URI, fmt.Errorf("use %s{workspace}/datasets/{name}/schema, preview or description", scheme))
	}
	cat, err := r.datasets.Open(ctx, ws)
	if err != nil {
		return nil, notFound(req.Params.URI, err)
	}
	info, err := cat.Table(name)
	if err != nil {
		return nil, notFound(req.Params.URI, err)
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
	return nil, notFound(req.Params.URI, fmt.Errorf("use schema, preview or description"))
}

func (r *Registry) readExport(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	ws, id, format, ok := exports.ParseURI(req.Params.URI)
	if !ok {
		return nil, notFound(req.Params.URI, fmt.Errorf("use %s{workspace}/results/{id}.csv or .parquet", scheme))
	}
	b, err := r.exports.ReadAll(ctx, ws, id, format)
	if errors.Is(err, datasets.ErrUnknownWorkspace) || errors.Is(err, exports.ErrNotFound) {
		return nil, notFound(req.Params.URI, err)
	}
	if err != nil {
		return nil, err
	}
	if format == datasets.ExportCSV {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: exports.MIME(format), Text: string(b)}}, nil
	}
	return []mcp.ResourceContents{mcp.BlobResourceContents{URI: req.Params.URI, MIMEType: exports.MIME(format),
		Blob: base64.StdEncoding.EncodeToString(b)}}, nil
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
	ws := req.Params.Arguments["workspace"]
	if ws == "" {
		if c, ok := r.datasets.Lookup(tools.SessionID(ctx)); ok {
			ws = c.Workspace()
		}
	}
	focus := ""
	if col := req.Params.Arguments["column"]; col != "" {
		focus = fmt.Sprintf("\n6. Look closely at the column %q: its distribution, odd values, and how it relates to the others.", col)
	}
	wsArg, preview := "", "the dataset's preview resource"
	if ws != "" {
		wsArg = fmt.Sprintf(" and workspace %q", ws)
		preview = DatasetURI(ws, name, "preview")
	}
	text := fmt.Sprintf(`Let's explore the dataset %q loaded in datachat.

1. Call describe with dataset %q%s to see its columns, types, missing values and typical values.
2. Read %s to look at a few real rows.
3. Tell me in plain words what one row represents and which columns look most interesting.
4. Propose three questions worth asking of this data, answer each with one read-only SQL query (query tool), and show the SQL you ran.
5. Point out data quality issues you noticed (missing values, odd codes, outliers).%s`, name, name, wsArg, preview, focus)
	return mcp.NewGetPromptResult("Explore "+name, []mcp.PromptMessage{
		mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
	}), nil
}
