package fetch

import (
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAttacksRefused tries sources a hostile client might give. Every one
// must be refused with the expected kind, before the target sees a request.
func TestAttacksRefused(t *testing.T) {
	// Local layout: base/allowed is the root; base/allowedX and base/outside
	// are not under it.
	base := t.TempDir()
	root := filepath.Join(base, "allowed")
	outside := filepath.Join(base, "outside")
	secret := writeFile(t, outside, "secret.csv", "a\n1\n")
	sibling := writeFile(t, filepath.Join(base, "allowedX"), "data.csv", "a\n1\n")
	writeFile(t, root, "ok.csv", "a\n1\n")
	require.NoError(t, os.Symlink(secret, filepath.Join(root, "link.csv")))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "linkdir")))

	// target stands for a service inside the network; it must never be hit.
	target := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "internal secret")
	})
	tport := target.port()
	// public stands for an outside server: the test policy lets its port
	// through as if it were public. It redirects where the query says.
	public := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	publicPolicy := func(h *hooks) {
		h.allowAddr = func(ap netip.AddrPort) bool {
			return ap.Port() == public.port() || publicAddr(ap.Addr())
		}
	}
	via := func(to string) string { return public.URL + "/r?to=" + to }

	tests := []struct {
		name   string
		source string
		kind   error
	}{
		{"loopback IPv4", fmt.Sprintf("http://127.0.0.1:%d/", tport), ErrPrivateAddress},
		{"loopback other", fmt.Sprintf("http://127.1.2.3:%d/", tport), ErrPrivateAddress},
		{"localhost", fmt.Sprintf("http://localhost:%d/", tport), ErrPrivateAddress},
		{"loopback IPv6", fmt.Sprintf("http://[::1]:%d/", tport), ErrPrivateAddress},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/", ErrPrivateAddress},
		{"RFC 1918", "http://10.0.0.1/", ErrPrivateAddress},
		{"RFC 1918 https", "https://192.168.1.1/", ErrPrivateAddress},
		{"CGNAT", "http://100.64.0.1/", ErrPrivateAddress},
		{"unspecified", fmt.Sprintf("http://0.0.0.0:%d/", tport), ErrPrivateAddress},
		{"IPv6 unspecified", fmt.Sprintf("http://[::]:%d/", tport), ErrPrivateAddress},
		{"IPv4-mapped loopback", fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/", tport), ErrPrivateAddress},
		{"IPv4-mapped metadata", "http://[::ffff:a9fe:a9fe]/", ErrPrivateAddress},
		{"unique local IPv6", "http://[fd00::1]/", ErrPrivateAddress},
		{"link-local IPv6 with zone", "http://[fe80::1%25lo]/", ErrPrivateAddress},
		{"redirect to loopback", via(fmt.Sprintf("http://127.0.0.1:%d/", tport)), ErrPrivateAddress},
		{"redirect to localhost", via(fmt.Sprintf("http://localhost:%d/", tport)), ErrPrivateAddress},
		{"redirect to metadata", via("http://169.254.169.254/latest/meta-data/"), ErrPrivateAddress},
		{"redirect to ftp", via("ftp://example.com/x.csv"), ErrScheme},
		{"redirect to file", via("file:///etc/passwd"), ErrScheme},
		{"ftp", "ftp://example.com/data.csv", ErrScheme},
		{"gopher", "gopher://127.0.0.1:70/", ErrScheme},
		{"s3", "s3://bucket/key.csv", ErrScheme},
		{"no host", "http:///data.csv", ErrScheme},
		{"file URL outside", "file://" + secret, ErrNotAllowed},
		{"file URL remote host", "file://example.com/etc/passwd", ErrScheme},
		{"absolute path outside", secret, ErrNotAllowed},
		{"system file", "/etc/passwd", ErrNotAllowed},
		{"dot-dot escape", filepath.Join(root, "..", "outside", "secret.csv"), ErrNotAllowed},
		{"dot-dot escape, unclean", root + "/../outside/secret.csv", ErrNotAllowed},
		{"missing file outside", filepath.Join(outside, "nope.csv"), ErrNotAllowed},
		{"symlinked file to outside", filepath.Join(root, "link.csv"), ErrNotAllowed},
		{"symlinked dir to outside", filepath.Join(root, "linkdir", "secret.csv"), ErrNotAllowed},
		{"prefix sibling", sibling, ErrNotAllowed},
		{"root's parent", base, ErrNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFetcher(t, Config{AllowDirs: []string{root}}, publicPolicy)
			file, err := f.Fetch(t.Context(), tt.source, nil)
			require.Error(t, err)
			require.Nil(t, file)
			require.ErrorIs(t, err, tt.kind, "message: %v", err)
			t.Log(err)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			require.NotEmpty(t, fe.Error())
			require.Zero(t, target.hits.Load(), "the internal target was reached")
		})
	}
}

func TestTooManyRedirects(t *testing.T) {
	var s *server
	s = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, fmt.Sprintf("/hop%d", s.hits.Load()), http.StatusFound)
	})
	tests := []struct {
		name         string
		maxRedirects int
		wantHits     int64
	}{
		{"default", 0, DefaultMaxRedirects + 1},
		{"three", 3, 4},
		{"none", -1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.hits.Store(0)
			f := newTestFetcher(t, Config{AllowPrivate: true, MaxRedirects: tt.maxRedirects}, nil)
			_, err := f.Fetch(t.Context(), s.URL+"/start.csv", nil)
			require.ErrorIs(t, err, ErrTooManyRedirects)
			require.Contains(t, err.Error(), "give the final URL")
			require.Equal(t, tt.wantHits, s.hits.Load())
		})
	}
}

func TestRedirectsFollowed(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/short":
			http.Redirect(w, r, "/a", http.StatusMovedPermanently)
		case "/a":
			http.Redirect(w, r, "/files/real.csv?sig=abc", http.StatusFound)
		default:
			fmt.Fprint(w, "x\n1\n")
		}
	})
	f := newTestFetcher(t, Config{AllowPrivate: true, MaxRedirects: 2}, nil)
	file, err := f.Fetch(t.Context(), s.URL+"/short", nil)
	require.NoError(t, err)
	// The given URL has no extension, so the final one names the file.
	require.Equal(t, "real.csv", file.Name)
	require.Equal(t, ".csv", file.Ext)
}

func TestTooLarge(t *testing.T) {
	body := strings.Repeat("a,b\n", 1000) // 4000 bytes
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"content-length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			fmt.Fprint(w, body)
		}},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 4; i++ {
				fmt.Fprint(w, body[:1000])
				w.(http.Flusher).Flush()
			}
		}},
		{"content-length understated", func(w http.ResponseWriter, r *http.Request) {
			// Hijack so the declared length can differ from the body.
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s", body)
			buf.Flush()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.handler)
			cache := t.TempDir()
			f := newTestFetcher(t, Config{AllowPrivate: true, MaxBytes: 3000, CacheDir: cache}, nil)
			_, err := f.Fetch(t.Context(), s.URL+"/big.csv", nil)
			require.ErrorIs(t, err, ErrTooLarge)
			require.Contains(t, err.Error(), "limit")
			require.Empty(t, cacheEntries(t, cache), "partial download left behind")
		})
	}
}

func TestLocalWithoutAllowDirs(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.csv", "a\n1\n")
	f := newTestFetcher(t, Config{}, nil)
	_, err := f.Fetch(t.Context(), p, nil)
	require.ErrorIs(t, err, ErrNotAllowed)
	require.Contains(t, err.Error(), "--allow-dir")
}
