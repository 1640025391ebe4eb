// Package exports hands out whole query results as files: a result larger
// than a query may return (--max-rows, --max-chars) is offered as a
// resource, datachat://w/{workspace}/results/{id}.csv or .parquet, that
// resources/read returns whole, and in serve mode also as a signed download
// link, /download/{workspace}/{id}.{csv|parquet}?exp=...&sig=..., which an
// HTTP client fetches without a token until it expires.
//
// A result id is a hash of its query, recorded in the workspace (and its
// manifest under --data-dir, so every replica serves it); reading the
// resource or the link runs the query again, so it shows the tables as
// they are then.
package exports

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"datachat/datasets"
)

// Formats are the export formats with their MIME types.
var Formats = []struct{ Ext, MIME string }{
	{datasets.ExportCSV, "text/csv"},
	{datasets.ExportParquet, "application/vnd.apache.parquet"},
}

// MIME returns the MIME type of an export format.
func MIME(format string) string {
	for _, f := range Formats {
		if f.Ext == format {
			return f.MIME
		}
	}
	return "application/octet-stream"
}

const scheme = "datachat://w/"

// URITemplate is the resource template of exports.
const URITemplate = scheme + "{workspace}/results/{file}"

// URI is the resource URI of a result in a format.
func URI(workspace, id, format string) string {
	return scheme + workspace + "/results/" + id + "." + format
}

// ParseURI splits an export URI.
func ParseURI(uri string) (workspace, id, format string, ok bool) {
	rest, ok := strings.CutPrefix(uri, scheme)
	if !ok {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[1] != "results" {
		return "", "", "", false
	}
	id, format, ok = splitFile(parts[2])
	return parts[0], id, format, ok
}

func splitFile(file string) (id, format string, ok bool) {
	id, format, ok = strings.Cut(file, ".")
	if !ok || id == "" || (format != datasets.ExportCSV && format != datasets.ExportParquet) {
		return "", "", false
	}
	return id, format, true
}

// ErrNotFound is returned for an export that does not exist.
var ErrNotFound = errors.New("no such result")

// ErrTooLarge is returned for an export beyond the size cap.
var ErrTooLarge = errors.New("result too large")

// Exporter runs exports and signs their links.
type Exporter struct {
	// Datasets holds the workspaces.
	Datasets *datasets.Manager
	// MaxBytes caps one export file (--max-export).
	MaxBytes int64
	// LinkTTL is how long a download link works (--link-ttl).
	LinkTTL time.Duration
	// Now tells the time (default time.Now).
	Now func() time.Time
}

func (e *Exporter) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Open writes a workspace's result id in format to a file and returns it
// open, with its size; closing it removes the file.
func (e *Exporter) Open(ctx context.Context, workspace, id, format string) (*File, error) {
	cat, err := e.Datasets.Open(ctx, workspace)
	if err != nil {
		return nil, err
	}
	query, ok := cat.ResultQuery(id)
	if !ok {
		return nil, fmt.Errorf("%w %q in workspace %s: make a link by running the query again", ErrNotFound, id, workspace)
	}
	p, err := cat.Export(ctx, query, format)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		os.Remove(p)
		return nil, fmt.Errorf("open export: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		os.Remove(p)
		return nil, fmt.Errorf("open export: %w", err)
	}
	if fi.Size() > e.MaxBytes {
		f.Close()
		os.Remove(p)
		return nil, fmt.Errorf("%w: the whole result is %s as %s, more than --max-export (%s); narrow the query or aggregate",
			ErrTooLarge, datasets.Bytes(fi.Size()), format, datasets.Bytes(e.MaxBytes))
	}
	return &File{File: f, Size: fi.Size()}, nil
}

// File is an export being read.
type File struct {
	*os.File
	Size int64
}

// Close closes and removes the file.
func (f *File) Close() error {
	err := f.File.Close()
	return errors.Join(err, os.Remove(f.Name()))
}

// ReadAll exports and returns the whole file.
func (e *Exporter) ReadAll(ctx context.Context, workspace, id, format string) ([]byte, error) {
	f, err := e.Open(ctx, workspace, id, format)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func (e *Exporter) mac(workspace, file string, exp int64) []byte {
	m := hmac.New(sha256.New, e.Datasets.Key())
	m.Write([]byte("export\x00" + workspace + "\x00" + file + "\x00" + strconv.FormatInt(exp, 10)))
	return m.Sum(nil)
}

// Link returns the signed download URL of a result under base (the
// server's public URL), and when it expires.
func (e *Exporter) Link(base, workspace, id, format string) (string, time.Time) {
	exp := e.now().Add(e.LinkTTL).Truncate(time.Second)
	file := id + "." + format
	sig := base64.RawURLEncoding.EncodeToString(e.mac(workspace, file, exp.Unix()))
	return strings.TrimRight(base, "/") + "/download/" + workspace + "/" + file +
		"?exp=" + strconv.FormatInt(exp.Unix(), 10) + "&sig=" + sig, exp
}

// Route is the download route's pattern.
const Route = "GET /download/{workspace}/{file}"

// ServeHTTP answers a download link: the file for a valid one, 403 for a
// tampered one, 410 once it expired, 404 for what does not exist.
func (e *Exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	workspace, file := r.PathValue("workspace"), r.PathValue("file")
	id, format, ok := splitFile(file)
	exp, err := strconv.ParseInt(r.URL.Query().Get("exp"), 10, 64)
	sig, serr := base64.RawURLEncoding.DecodeString(r.URL.Query().Get("sig"))
	switch {
	case !ok || err != nil || serr != nil || !hmac.Equal(sig, e.mac(workspace, file, exp)):
		writeError(w, http.StatusForbidden, "this download link is not valid: ask for the result again to get a new link")
		return
	case e.now().Unix() >= exp:
		writeError(w, http.StatusGone, "this download link has expired: run the query again to get a new link")
		return
	}
	f, err := e.Open(r.Context(), workspace, id, format)
	switch {
	case errors.Is(err, datasets.ErrUnknownWorkspace), errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
		return
	case errors.Is(err, ErrTooLarge), datasets.UserError(err):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "the export failed because of a server problem; try again later")
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", MIME(format))
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="`+path.Base("result-"+id+"."+format)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = io.Copy(w, f)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
