package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"datachat/datasets"
	"datachat/transport"
)

// openWorkspace returns the workspace with handle id (as load_file and
// the upload endpoint mint them), or a 404 saying what to do.
func (s *Server) openWorkspace(ctx context.Context, id string) (*datasets.Catalog, *httpError) {
	cat, err := s.cfg.Datasets.Open(ctx, id)
	switch {
	case err == nil:
		return cat, nil
	case errors.Is(err, datasets.ErrUnknownWorkspace):
		return nil, &httpError{status: http.StatusNotFound, err: err,
			msg: "workspace not found: it expired after a while without use, or it never existed; load the file again"}
	case errors.Is(err, datasets.ErrClosed):
		return nil, &httpError{status: http.StatusServiceUnavailable, err: err, msg: "the server is shutting down; try again shortly"}
	}
	return nil, &httpError{status: http.StatusInternalServerError, err: err, msg: "the workspace could not be opened because of a server fault; try again later"}
}

// workspaceReply is what /api/v1/upload and /api/v1/load answer: the
// workspace and every table in it.
type workspaceReply struct {
	Workspace string       `json:"workspace"`
	Loaded    []string     `json:"loaded"`
	Tables    []tableReply `json:"tables"`
}

type tableReply struct {
	Name    string                `json:"name"`
	Source  string                `json:"source"`
	Format  string                `json:"format"`
	Label   string                `json:"label,omitempty"`
	Rows    int64                 `json:"rows"`
	Columns []datasets.ColumnInfo `json:"columns"`
}

// workspaceFor returns the workspace named by the "workspace" query
// parameter, or a new one.
func (s *Server) workspaceFor(r *http.Request) (*datasets.Catalog, *httpError) {
	if s.cfg.Datasets == nil {
		return nil, &httpError{status: http.StatusServiceUnavailable, msg: "the chat API is not configured on this server"}
	}
	if id := r.URL.Query().Get("workspace"); id != "" {
		return s.openWorkspace(r.Context(), id)
	}
	cat, err := s.cfg.Datasets.Create(r.Context())
	if err != nil {
		return nil, &httpError{status: http.StatusServiceUnavailable, err: err, msg: "the server cannot open a data session now; try again shortly"}
	}
	return cat, nil
}

// admit takes a slot of Config.Admit for a load or an answer, or returns
// the 503 to send; call release when done.
func (s *Server) admit(w http.ResponseWriter) (release func(), herr *httpError) {
	if s.cfg.Admit == nil {
		return func() {}, nil
	}
	release, ok := s.cfg.Admit()
	if !ok {
		w.Header().Set("Retry-After", "2")
		return nil, &httpError{status: http.StatusServiceUnavailable, err: errBusy,
			msg: "the server is busy: it runs the most loads and answers it may at once (--max-concurrent); retry in 2 seconds"}
	}
	return release, nil
}

// handleUpload loads the request body as a file named by the "filename"
// query parameter into a workspace. The body is capped at MaxUpload and
// then goes through the same loader, limits and SQL sandbox as a URL.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	s.logged(w, r, func(rec *recorder) error {
		name := uploadName(r.URL.Query().Get("filename"))
		if name == "" {
			return badRequest("filename is required: POST the file's bytes to /api/v1/upload?filename=<name with extension, e.g. sales.csv>")
		}
		if r.ContentLength > s.cfg.MaxUpload {
			return s.uploadTooLarge(nil)
		}
		release, herr := s.admit(rec)
		if herr != nil {
			return herr
		}
		defer release()
		cat, herr := s.workspaceFor(r)
		if herr != nil {
			return herr
		}
		dir, err := os.MkdirTemp(s.cfg.Datasets.Config().StagingRoot, "upload-*")
		if err != nil {
			return &httpError{status: http.StatusInternalServerError, err: err, msg: "the server could not store the upload; try again later"}
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, name)
		size, err := saveUpload(path, http.MaxBytesReader(rec, r.Body, s.cfg.MaxUpload))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return s.uploadTooLarge(err)
			}
			return &httpError{status: http.StatusBadRequest, err: err, msg: "the upload was cut short; send the file again"}
		}
		src := &datasets.Source{Path: path, Name: name, Ext: fileExt(name), Size: size, Remote: true}
		source := uploadScheme + name
		infos, err := cat.Load(withUpload(r.Context(), source, src), source, datasets.LoadOptions{})
		if err != nil {
			return s.loadFailure(r.Context(), 0, name, err)
		}
		return s.writeWorkspace(rec, r.Context(), cat, infos)
	})
}

// handleLoad loads {"url": "..."} into a workspace, like files in a chat
// request (http(s) URLs only, through the guarded fetcher).
func (s *Server) handleLoad(w http.ResponseWriter, r *http.Request) {
	s.logged(w, r, func(rec *recorder) error {
		var req struct {
			URL string `json:"url"`
		}
		body, err := io.ReadAll(http.MaxBytesReader(rec, r.Body, s.cfg.MaxBody))
		if err == nil {
			err = json.Unmarshal(body, &req)
		}
		if err != nil {
			return badRequest(`the body must be {"url": "https://..."}`)
		}
		req.URL = strings.TrimSpace(req.URL)
		if !isURL(req.URL) {
			return &httpError{status: http.StatusForbidden, msg: fmt.Sprintf("%q is not an http(s) URL; give the public http or https URL of the file, or upload it", shortSource(req.URL))}
		}
		release, herr := s.admit(rec)
		if herr != nil {
			return herr
		}
		defer release()
		cat, herr := s.workspaceFor(r)
		if herr != nil {
			return herr
		}
		infos, err := cat.Load(r.Context(), req.URL, datasets.LoadOptions{})
		if err != nil {
			return s.loadFailure(r.Context(), 0, req.URL, err)
		}
		return s.writeWorkspace(rec, r.Context(), cat, infos)
	})
}

// handleInfo tells the page what the server accepts; the page also uses it
// to learn whether its token is right.
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"max_upload": s.cfg.MaxUpload,
		"formats":    datasets.SupportedFormats(),
	})
}

func (s *Server) loadFailure(ctx context.Context, i int, source string, err error) *httpError {
	if ctx.Err() != nil {
		return &httpError{status: statusClientGone, err: err}
	}
	herr := s.loadError(i, source, err)
	herr.msg = strings.Replace(herr.msg, fmt.Sprintf("files[%d] (%s)", i, shortSource(source)), shortSource(source), 1)
	return herr
}

func (s *Server) uploadTooLarge(err error) *httpError {
	return &httpError{status: http.StatusRequestEntityTooLarge, err: err,
		msg: fmt.Sprintf("the file is larger than the upload limit of %s (--max-download); load a smaller file or a URL", transport.SizeText(s.cfg.MaxUpload))}
}

func (s *Server) writeWorkspace(w http.ResponseWriter, ctx context.Context, cat *datasets.Catalog, infos []datasets.TableInfo) error {
	out := workspaceReply{Workspace: cat.Workspace(), Loaded: []string{}, Tables: []tableReply{}}
	for _, t := range infos {
		out.Loaded = append(out.Loaded, t.Name)
	}
	for _, t := range cat.Tables(ctx) {
		out.Tables = append(out.Tables, tableReply{Name: t.Name, Source: displaySource(t.Source), Format: t.Format,
			Label: t.Label, Rows: t.Rows, Columns: t.Columns})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// logged runs h, answers its error as JSON and logs one line.
func (s *Server) logged(w http.ResponseWriter, r *http.Request, h func(*recorder) error) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	err := h(rec)
	var herr *httpError
	if errors.As(err, &herr) && herr.status != statusClientGone {
		writeJSONError(rec, herr.status, herr.msg)
	} else if errors.As(err, &herr) {
		rec.status = statusClientGone
	}
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.statusCode(), "duration", time.Since(start)}
	if err != nil {
		if herr != nil {
			err = herr.errOrSelf()
		}
		attrs = append(attrs, "error", err)
	}
	s.cfg.Logger.Info("rest request", attrs...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// uploadName keeps the base name of a client's file name, in characters
// that are safe in a path.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ' ' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r > 127:
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := strings.TrimLeft(b.String(), ". ")
	if len(out) > 200 {
		out = out[len(out)-200:]
	}
	return out
}

// fileExt is the lower-case extension including a compression suffix.
func fileExt(name string) string {
	lower := strings.ToLower(name)
	ext := filepath.Ext(lower)
	switch ext {
	case ".gz", ".zst", ".bz2", ".xz":
		ext = filepath.Ext(strings.TrimSuffix(lower, ext)) + ext
	}
	return ext
}

func saveUpload(path string, body io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// uploadScheme prefixes the source of an uploaded file.
const uploadScheme = "upload:"

func displaySource(source string) string {
	if name, ok := strings.CutPrefix(source, uploadScheme); ok {
		return name
	}
	return source
}

type uploadKey struct{}

type pendingUpload struct {
	source string
	src    *datasets.Source
}

func withUpload(ctx context.Context, source string, src *datasets.Source) context.Context {
	return context.WithValue(ctx, uploadKey{}, pendingUpload{source, src})
}

// WithUploads wraps a catalog's fetcher so that the upload handler can load
// the file it just received: only within that request (its context carries
// the file), so no other client can name it. Every other source goes to
// next.
func WithUploads(next datasets.Fetcher) datasets.Fetcher { return uploads{next} }

type uploads struct{ next datasets.Fetcher }

func (u uploads) Fetch(ctx context.Context, source string, progress func(done, total int64)) (*datasets.Source, error) {
	if p, ok := ctx.Value(uploadKey{}).(pendingUpload); ok && p.source == source {
		src := *p.src
		return &src, nil
	}
	return u.next.Fetch(ctx, source, progress)
}
