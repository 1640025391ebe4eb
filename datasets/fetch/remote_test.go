package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// payload returns n bytes of CSV-like data that differ along the way.
func payload(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%d,row %d\n", i, i*7)
	}
	return b.Bytes()[:n]
}

// validatingServer serves body at any path with the validators given
// (either may be ""), answers conditional requests with 304 when they match,
// and counts full responses.
type validatingServer struct {
	*server
	full atomic.Int64 // 200 responses
	mu   sync.Mutex
	body []byte
	etag string
	lm   string
	seen []http.Header
}

func newValidatingServer(t *testing.T, body []byte, etag, lastModified string) *validatingServer {
	vs := &validatingServer{body: body, etag: etag, lm: lastModified}
	vs.server = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		vs.mu.Lock()
		body, etag, lm := vs.body, vs.etag, vs.lm
		vs.seen = append(vs.seen, r.Header.Clone())
		vs.mu.Unlock()
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		if lm != "" {
			w.Header().Set("Last-Modified", lm)
		}
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if (inm != "" && inm == etag) || (inm == "" && ims != "" && ims == lm) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		vs.full.Add(1)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	})
	return vs
}

func (vs *validatingServer) change(body []byte, etag string) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.body, vs.etag = body, etag
}

func (vs *validatingServer) lastHeader() http.Header {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return vs.seen[len(vs.seen)-1]
}

func TestDownloadAndRevalidateETag(t *testing.T) {
	body := payload(3<<20 + 12345)
	vs := newValidatingServer(t, body, `"v1"`, "")
	cache := t.TempDir()
	f := newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache}, nil)
	src := vs.URL + "/data/sales.csv?token=abc#frag"

	type call struct{ done, total int64 }
	var calls []call
	start := time.Now()
	file, err := f.Fetch(t.Context(), src, func(done, total int64) {
		calls = append(calls, call{done, total})
	})
	elapsed := time.Since(start)
	require.NoError(t, err)
	require.Equal(t, "sales.csv", file.Name)
	require.Equal(t, "sales", file.Stem())
	require.Equal(t, ".csv", file.Ext)
	require.Equal(t, "text/csv; charset=utf-8", file.ContentType)
	require.Equal(t, int64(len(body)), file.Size)
	require.Equal(t, src, file.Source)
	require.True(t, file.Remote)
	require.False(t, file.Cached)
	require.Equal(t, cache, filepath.Dir(file.Path))
	require.Equal(t, cacheKey(vs.URL+"/data/sales.csv?token=abc")+".csv", filepath.Base(file.Path))
	got, err := os.ReadFile(file.Path)
	require.NoError(t, err)
	require.Equal(t, body, got)

	// Progress: starts at 0, never goes back, reports the total, ends at it,
	// and is throttled: besides the first and last call, at most one per MiB
	// and one per 100 ms elapsed (reads are 32 KiB or less on loopback, so
	// an unthrottled callback would be called about a hundred times).
	require.GreaterOrEqual(t, len(calls), 3)
	require.Equal(t, call{0, int64(len(body))}, calls[0])
	require.Equal(t, call{int64(len(body)), int64(len(body))}, calls[len(calls)-1])
	for i := 1; i < len(calls); i++ {
		require.GreaterOrEqual(t, calls[i].done, calls[i-1].done)
		require.Equal(t, int64(len(body)), calls[i].total)
	}
	limit := 2 + len(body)/progressBytes + int(elapsed/progressInterval)
	require.LessOrEqual(t, len(calls), limit)

	// Second fetch: revalidated, nothing transferred.
	again, err := f.Fetch(t.Context(), src, nil)
	require.NoError(t, err)
	require.Equal(t, `"v1"`, vs.lastHeader().Get("If-None-Match"))
	require.True(t, again.Cached)
	require.Equal(t, file.Path, again.Path)
	require.Equal(t, file.Name, again.Name)
	require.Equal(t, file.Size, again.Size)
	require.Equal(t, int64(1), vs.full.Load())
	require.Equal(t, int64(2), vs.hits.Load())

	// Changed on the server: downloaded again, in place.
	vs.change([]byte("a,b\n1,2\n"), `"v2"`)
	third, err := f.Fetch(t.Context(), src, nil)
	require.NoError(t, err)
	require.False(t, third.Cached)
	require.Equal(t, int64(2), vs.full.Load())
	got, err = os.ReadFile(third.Path)
	require.NoError(t, err)
	require.Equal(t, "a,b\n1,2\n", string(got))
	require.Equal(t, int64(8), third.Size)
}

func TestRevalidateLastModified(t *testing.T) {
	lm := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC).Format(http.TimeFormat)
	vs := newValidatingServer(t, payload(5000), "", lm)
	f := newTestFetcher(t, Config{AllowPrivate: true}, nil)
	first, err := f.Fetch(t.Context(), vs.URL+"/x.tsv", nil)
	require.NoError(t, err)
	require.False(t, first.Cached)
	require.Empty(t, vs.lastHeader().Get("If-Modified-Since"))

	second, err := f.Fetch(t.Context(), vs.URL+"/x.tsv", nil)
	require.NoError(t, err)
	require.Equal(t, lm, vs.lastHeader().Get("If-Modified-Since"))
	require.Empty(t, vs.lastHeader().Get("If-None-Match"))
	require.True(t, second.Cached)
	require.Equal(t, ".tsv", second.Ext)
	require.Equal(t, int64(1), vs.full.Load())
}

func TestNoValidatorsDownloadsAgain(t *testing.T) {
	vs := newValidatingServer(t, payload(100), "", "")
	f := newTestFetcher(t, Config{AllowPrivate: true}, nil)
	for i := 0; i < 2; i++ {
		file, err := f.Fetch(t.Context(), vs.URL+"/x.csv", nil)
		require.NoError(t, err)
		require.False(t, file.Cached)
	}
	require.Empty(t, vs.lastHeader().Get("If-None-Match"))
	require.Empty(t, vs.lastHeader().Get("If-Modified-Since"))
	require.Equal(t, int64(2), vs.full.Load())
}

func TestCacheEntryDamaged(t *testing.T) {
	vs := newValidatingServer(t, payload(1000), `"e"`, "")
	cache := t.TempDir()
	f := newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache}, nil)
	file, err := f.Fetch(t.Context(), vs.URL+"/x.csv", nil)
	require.NoError(t, err)

	// A truncated data file must not be served as "not modified".
	require.NoError(t, os.WriteFile(file.Path, []byte("a,b\n"), 0o600))
	again, err := f.Fetch(t.Context(), vs.URL+"/x.csv", nil)
	require.NoError(t, err)
	require.False(t, again.Cached)
	require.Empty(t, vs.lastHeader().Get("If-None-Match"))

	// Nor may a sidecar that points elsewhere.
	key := cacheKey(vs.URL + "/x.csv")
	meta, err := os.ReadFile(filepath.Join(cache, key+".json"))
	require.NoError(t, err)
	bad := strings.Replace(string(meta), key+".csv", "../../etc/passwd", 1)
	require.NoError(t, os.WriteFile(filepath.Join(cache, key+".json"), []byte(bad), 0o600))
	third, err := f.Fetch(t.Context(), vs.URL+"/x.csv", nil)
	require.NoError(t, err)
	require.False(t, third.Cached)
	require.Equal(t, file.Path, third.Path)
	require.Equal(t, int64(3), vs.full.Load())
}

func TestConcurrentFetchesSameURL(t *testing.T) {
	body := payload(2 << 20)
	vs := newValidatingServer(t, body, `"same"`, "")
	cache := t.TempDir()
	// Within one fetcher, concurrent fetches of one URL take turns: one
	// download, the rest revalidate. A second fetcher on the same cache (as
	// another process would be) must read whole files, never partial ones.
	fetchers := []*Fetcher{
		newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache}, nil),
		newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache}, nil),
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			file, err := fetchers[min(i/(n-2), 1)].Fetch(context.Background(), vs.URL+"/big.csv", func(int64, int64) {})
			if err != nil {
				errs <- err
				return
			}
			got, err := os.ReadFile(file.Path)
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got, body) {
				errs <- fmt.Errorf("fetch %d read %d bytes, not the %d served", i, len(got), len(body))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// About one download per fetcher; the rest revalidate. A fetch that
	// looks while the other fetcher is replacing the entry (its sidecar is
	// gone for a moment) downloads again, so under load there may be a
	// few more, but never one per fetch.
	require.Less(t, vs.full.Load(), int64(n/2))
	require.GreaterOrEqual(t, vs.full.Load(), int64(1))
	require.Equal(t, int64(n), vs.hits.Load())
	for _, name := range cacheEntries(t, cache) {
		require.False(t, strings.HasSuffix(name, ".part"), "temp file %s left", name)
	}
}

func TestNames(t *testing.T) {
	gz := func() []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte("a,b\n1,2\n"))
		zw.Close()
		return b.Bytes()
	}()
	tests := []struct {
		name     string
		path     string
		header   http.Header
		wantName string
		wantExt  string
	}{
		{"gzip keeps compound ext", "/d/2024.Sales.CSV.gz", nil, "2024.Sales.CSV.gz", ".csv.gz"},
		{"disposition wins", "/export?id=3", http.Header{"Content-Disposition": {`attachment; filename="Q3 report.xlsx"`}}, "Q3 report.xlsx", ".xlsx"},
		{"disposition RFC 2231", "/export", http.Header{"Content-Disposition": {`attachment; filename*=UTF-8''na%C3%AFve.parquet`}}, "naïve.parquet", ".parquet"},
		{"disposition path stripped", "/x.csv", http.Header{"Content-Disposition": {`attachment; filename="../../etc/cron.d/job.tsv"`}}, "job.tsv", ".tsv"},
		{"content type when no ext", "/api/export", http.Header{"Content-Type": {"text/csv"}}, "export", ".csv"},
		{"escaped path", "/files/my%20data.sas7bdat", nil, "my data.sas7bdat", ".sas7bdat"},
		{"no path", "/", nil, "download", ""},
		{"content-encoding gzip", "/plain.csv", http.Header{"Content-Encoding": {"gzip"}}, "plain.csv", ".csv.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.Write(gz)
			})
			f := newTestFetcher(t, Config{AllowPrivate: true}, nil)
			file, err := f.Fetch(t.Context(), s.URL+tt.path, nil)
			require.NoError(t, err)
			require.Equal(t, tt.wantName, file.Name)
			require.Equal(t, tt.wantExt, file.Ext)
			require.True(t, strings.HasSuffix(file.Path, tt.wantExt))
			got, err := os.ReadFile(file.Path)
			require.NoError(t, err)
			require.Equal(t, gz, got, "bytes must be kept as served")
		})
	}
}

func TestUnknownLengthProgress(t *testing.T) {
	body := payload(3 << 20)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		for off := 0; off < len(body); off += 1 << 19 {
			w.Write(body[off:min(off+1<<19, len(body))])
			w.(http.Flusher).Flush()
		}
	})
	f := newTestFetcher(t, Config{AllowPrivate: true}, nil)
	var last, calls int64
	file, err := f.Fetch(t.Context(), s.URL+"/stream.ndjson", func(done, total int64) {
		require.Equal(t, int64(-1), total)
		require.GreaterOrEqual(t, done, last)
		last = done
		calls++
	})
	require.NoError(t, err)
	require.Equal(t, int64(len(body)), file.Size)
	require.Equal(t, int64(len(body)), last)
	require.GreaterOrEqual(t, calls, int64(3))
}

func TestRemoteFailures(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing.csv":
			http.NotFound(w, r)
		case "/private.csv":
			http.Error(w, "no", http.StatusForbidden)
		case "/broken.csv":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/partial.csv":
			w.WriteHeader(http.StatusPartialContent)
		case "/short.csv":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("only a little"))
		case "/notmod.csv":
			w.WriteHeader(http.StatusNotModified)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String() + "/x.csv"
	ln.Close()

	tests := []struct {
		name   string
		source string
		kind   error
		status int
		text   string
	}{
		{"404", s.URL + "/missing.csv", ErrFetch, 404, "404 Not Found; check the URL"},
		{"403", s.URL + "/private.csv", ErrFetch, 403, "403 Forbidden"},
		{"500", s.URL + "/broken.csv", ErrFetch, 500, "try again later"},
		{"206", s.URL + "/partial.csv", ErrFetch, 206, "206 Partial Content"},
		{"unconditional 304", s.URL + "/notmod.csv", ErrFetch, 304, "not conditional"},
		{"short body", s.URL + "/short.csv", ErrFetch, 0, "transfer broke off"},
		{"closed port", closed, ErrFetch, 0, "cannot connect to 127.0.0.1"},
		{"unknown host", "http://no-such-host.invalid/x.csv", ErrFetch, 0, `cannot resolve host "no-such-host.invalid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := t.TempDir()
			f := newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache}, nil)
			_, err := f.Fetch(t.Context(), tt.source, nil)
			require.ErrorIs(t, err, tt.kind)
			require.Contains(t, err.Error(), tt.text)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.status, fe.Status)
			require.Empty(t, cacheEntries(t, cache))
		})
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("a,b\n"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	f := newTestFetcher(t, Config{AllowPrivate: true, Timeout: 200 * time.Millisecond}, nil)
	_, err := f.Fetch(t.Context(), s.URL+"/slow.csv", nil)
	require.ErrorIs(t, err, ErrTimeout)
	require.Contains(t, err.Error(), "gave up after 200ms")

	// The caller's own cancellation is not reported as the time limit.
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	f = newTestFetcher(t, Config{AllowPrivate: true, Timeout: time.Minute}, nil)
	_, err = f.Fetch(ctx, s.URL+"/slow.csv", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NotErrorIs(t, err, ErrTimeout)
}

func TestCacheUnwritable(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("a\n")) })
	cache := filepath.Join(t.TempDir(), "cache")
	for _, hide := range []bool{false, true} {
		f := newTestFetcher(t, Config{AllowPrivate: true, CacheDir: cache, HidePaths: hide}, nil)
		require.NoError(t, os.RemoveAll(cache))
		_, err := f.Fetch(t.Context(), s.URL+"/a.csv", nil)
		require.ErrorIs(t, err, ErrCache)
		require.Equal(t, !hide, strings.Contains(err.Error(), cache), err.Error())
	}
}

func TestCredentialsNotEchoed(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "user" || pass != "hunter2" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/ok.csv" {
			w.Write([]byte("a\n"))
			return
		}
		http.NotFound(w, r)
	})
	f := newTestFetcher(t, Config{AllowPrivate: true}, nil)
	base := strings.Replace(s.URL, "http://", "http://user:hunter2@", 1)
	file, err := f.Fetch(t.Context(), base+"/ok.csv#top", nil)
	require.NoError(t, err, "credentials in the URL are sent")
	require.NotContains(t, file.Source, "hunter2")
	require.Contains(t, file.Source, "user:")

	src := base + "/x.csv"
	_, err = f.Fetch(t.Context(), src, nil)
	require.ErrorIs(t, err, ErrFetch)
	require.NotContains(t, err.Error(), "hunter2")
	var fe *Error
	require.ErrorAs(t, err, &fe)
	require.NotContains(t, fe.Source, "hunter2")
}

func TestGuardLetsPublicThrough(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("a\n1\n")) })
	var checked atomic.Int64
	// The test policy treats the server's port as a public host; the
	// default policy decides everything else.
	f := newTestFetcher(t, Config{}, func(h *hooks) {
		h.allowAddr = func(ap netip.AddrPort) bool {
			checked.Add(1)
			return ap.Port() == s.port() || publicAddr(ap.Addr())
		}
	})
	file, err := f.Fetch(t.Context(), s.URL+"/ok.csv", nil)
	require.NoError(t, err)
	require.Equal(t, int64(4), file.Size)
	require.Equal(t, int64(1), checked.Load())
}

func TestCustomClient(t *testing.T) {
	var hits atomic.Int64
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		hits.Add(1)
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Etag": {`"x"`}},
			Body:       io.NopCloser(strings.NewReader("a\n")),
			Request:    r,
		}, nil
	})}
	f := newTestFetcher(t, Config{Client: client}, nil)
	file, err := f.Fetch(t.Context(), "https://data.example/a.csv", nil)
	require.NoError(t, err)
	require.Equal(t, "a.csv", file.Name)
	require.Equal(t, int64(1), hits.Load())
	require.Nil(t, client.CheckRedirect, "the caller's client is not changed")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
