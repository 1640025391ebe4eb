package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// testHooks keeps every test on this machine: DNS never leaves the process
// (only /etc/hosts answers), and a dial that passed the guard to anything but
// loopback fails the test instead of sending a packet.
func testHooks(t *testing.T) hooks {
	t.Helper()
	return hooks{
		resolver: &net.Resolver{
			PreferGo: true,
			Dial: func(context.Context, string, string) (net.Conn, error) {
				return nil, errors.New("test: DNS queries are disabled")
			},
		},
		gate: func(network, address string) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !ap.Addr().Unmap().IsLoopback() {
				t.Errorf("test: the guard let through a dial to %s %s", network, address)
				return errors.New("test: non-loopback dial blocked")
			}
			return nil
		},
	}
}

// newTestFetcher returns a Fetcher with testHooks, changed by edit if given,
// and a fresh cache directory unless cfg names one.
func newTestFetcher(t *testing.T, cfg Config, edit func(*hooks)) *Fetcher {
	t.Helper()
	if cfg.CacheDir == "" {
		cfg.CacheDir = t.TempDir()
	}
	h := testHooks(t)
	if edit != nil {
		edit(&h)
	}
	f, err := newFetcher(cfg, h)
	require.NoError(t, err)
	return f
}

// server is an httptest server on loopback that counts requests.
type server struct {
	*httptest.Server
	hits atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// port returns the server's port.
func (s *server) port() uint16 {
	return netip.MustParseAddrPort(s.Listener.Addr().String()).Port()
}

// cacheEntries lists the names in a cache directory.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// writeFile creates a file with content under dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}
