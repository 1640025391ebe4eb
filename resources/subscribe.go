package resources

import (
	"context"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
	"datachat/tools"
)

// subscriptions are the resources each session subscribed to; a load into
// a workspace tells the subscribers of its dataset list and of the loaded
// datasets' resources with notifications/resources/updated. Sessions only:
// a stateless client asks again instead.
type subscriptions struct {
	mu   sync.Mutex
	uris map[string]map[string]bool // session → URIs
}

// Hooks makes the registry follow resources/subscribe and unsubscribe; add
// it to the server's hooks.
func (r *Registry) Hooks(h *server.Hooks) {
	h.AddAfterSubscribe(func(ctx context.Context, _ any, req *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
		s := tools.SessionID(ctx)
		if s == "" {
			return
		}
		r.subs.mu.Lock()
		defer r.subs.mu.Unlock()
		if r.subs.uris == nil {
			r.subs.uris = map[string]map[string]bool{}
		}
		if r.subs.uris[s] == nil {
			r.subs.uris[s] = map[string]bool{}
		}
		r.subs.uris[s][req.Params.URI] = true
	})
	h.AddAfterUnsubscribe(func(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
		r.subs.mu.Lock()
		defer r.subs.mu.Unlock()
		delete(r.subs.uris[tools.SessionID(ctx)], req.Params.URI)
	})
	h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		r.subs.mu.Lock()
		defer r.subs.mu.Unlock()
		delete(r.subs.uris, cs.SessionID())
	})
}

// updated tells the subscribers of a workspace's changed resources.
func (r *Registry) updated(ctx context.Context, srv *server.MCPServer, cat *datasets.Catalog) {
	h := cat.Workspace()
	changed := map[string]bool{ListURI(h): true}
	for _, t := range cat.Tables(ctx) {
		for _, k := range kinds {
			changed[DatasetURI(h, t.Name, k.name)] = true
		}
	}
	type note struct{ session, uri string }
	var notes []note
	r.subs.mu.Lock()
	for s, uris := range r.subs.uris {
		for uri := range uris {
			if changed[uri] {
				notes = append(notes, note{s, uri})
			}
		}
	}
	r.subs.mu.Unlock()
	for _, n := range notes {
		_ = srv.SendNotificationToSpecificClient(n.session, mcp.MethodNotificationResourceUpdated, map[string]any{"uri": n.uri})
	}
}
