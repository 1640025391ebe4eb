package fetch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxBytes     int64 = 1 << 30
	DefaultTimeout            = 2 * time.Minute
	DefaultMaxRedirects       = 5
	DefaultUserAgent          = "datachat"
)

// Config sets up a Fetcher.
type Config struct {
	// AllowDirs are the directories under which local paths may be loaded.
	// Symlinks in them are resolved by New, and each must exist. With none,
	// local paths are refused.
	AllowDirs []string
	// AllowPrivate permits URLs whose hosts resolve to loopback, private,
	// link-local and other non-public addresses. Off by default.
	AllowPrivate bool
	// MaxBytes caps the size of one download. Zero means DefaultMaxBytes
	// (1 GiB). Local files are not capped.
	MaxBytes int64
	// Timeout caps the whole of one URL fetch, from connecting to the last
	// byte. Zero means DefaultTimeout (2 minutes).
	Timeout time.Duration
	// MaxRedirects caps the redirects followed per fetch. Zero means
	// DefaultMaxRedirects (5); negative means none are followed.
	MaxRedirects int
	// CacheDir is where downloads are kept; it is created if missing. Empty
	// means "datachat/fetch" under os.UserCacheDir (or os.TempDir).
	CacheDir string
	// HidePaths keeps host paths (resolved paths, allowed directories, the
	// cache directory) out of error messages, for serve mode. The source as
	// the client gave it may still be echoed.
	HidePaths bool
	// Client, if set, makes the requests instead of the built-in client. It
	// bypasses the address guard, which lives in the built-in client's
	// dialer; redirects are still limited and checked. Meant for tests.
	Client *http.Client
	// UserAgent is sent with requests. Empty means DefaultUserAgent.
	UserAgent string
}

// File is a source made available as a local file.
type File struct {
	// Path is the local file to read: in the cache directory for URLs, the
	// resolved real path for local files.
	Path string
	// Name is the base name for naming a table: from Content-Disposition, the
	// URL path (without query) or the local path as given. It may lack Ext
	// when Ext was inferred from the content type; use Stem for the name
	// without extension.
	Name string
	// Ext is the lower-case extension including a compression suffix, such
	// as ".csv", ".csv.gz" or ".sas7bdat", or "" if unknown. Choose the
	// reader by Ext: a cached download's Path ends in Ext, but a local
	// file's real Path may not (a link "sales.csv" to a file "blob").
	Ext string
	// ContentType is the response's Content-Type, "" for local files.
	ContentType string
	// Size is the file's size in bytes.
	Size int64
	// Source is the source as the caller gave it, except that a URL's
	// password is masked.
	Source string
	// Remote says whether the source was an http(s) URL.
	Remote bool
	// SHA256 is the hex SHA-256 of a download's bytes, taken while it was
	// written ("" for local files).
	SHA256 string
	// Cached says whether a URL was served from the cache after the server
	// confirmed it unchanged (304 Not Modified).
	Cached bool
}

// Stem returns Name without Ext (compared case-insensitively), such as
// "sales" for "sales.CSV.gz".
func (f *File) Stem() string {
	if len(f.Name) > len(f.Ext) && strings.EqualFold(f.Name[len(f.Name)-len(f.Ext):], f.Ext) {
		return f.Name[:len(f.Name)-len(f.Ext)]
	}
	return f.Name
}

// Fetcher resolves sources to local files. It is safe for concurrent use.
type Fetcher struct {
	allowGiven   []string // allowed dirs, absolute and clean, as configured
	allowReal    []string // the same with symlinks resolved
	allowPrivate bool
	maxBytes     int64
	timeout      time.Duration
	maxRedirects int
	cacheDir     string
	hidePaths    bool
	userAgent    string
	client       *http.Client
	locks        keyLocks
	hooks        hooks
}

// hooks are test seams; production code leaves them zero.
type hooks struct {
	// allowAddr, if set, replaces the address policy of the dial check.
	allowAddr func(netip.AddrPort) bool
	// gate, if set, runs after an address passed the dial check; tests use it
	// to make sure nothing but loopback is ever dialled.
	gate func(network, address string) error
	// resolver, if set, is the dialer's resolver.
	resolver *net.Resolver
}

// New checks cfg, resolves the allowed directories, creates the cache
// directory and returns a Fetcher.
func New(cfg Config) (*Fetcher, error) {
	return newFetcher(cfg, hooks{})
}

func newFetcher(cfg Config, h hooks) (*Fetcher, error) {
	f := &Fetcher{
		allowPrivate: cfg.AllowPrivate,
		maxBytes:     cfg.MaxBytes,
		timeout:      cfg.Timeout,
		maxRedirects: cfg.MaxRedirects,
		cacheDir:     cfg.CacheDir,
		hidePaths:    cfg.HidePaths,
		userAgent:    cfg.UserAgent,
		hooks:        h,
	}
	if f.maxBytes <= 0 {
		f.maxBytes = DefaultMaxBytes
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	switch {
	case f.maxRedirects == 0:
		f.maxRedirects = DefaultMaxRedirects
	case f.maxRedirects < 0:
		f.maxRedirects = 0
	}
	if f.userAgent == "" {
		f.userAgent = DefaultUserAgent
	}
	for _, d := range cfg.AllowDirs {
		given, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("allowed directory %q: %w", d, err)
		}
		real, err := filepath.EvalSymlinks(given)
		if err != nil {
			return nil, fmt.Errorf("allowed directory %q: %w", d, err)
		}
		st, err := os.Stat(real)
		if err != nil {
			return nil, fmt.Errorf("allowed directory %q: %w", d, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("allowed directory %q is not a directory", d)
		}
		f.allowGiven = append(f.allowGiven, given)
		f.allowReal = append(f.allowReal, real)
	}
	if f.cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		f.cacheDir = filepath.Join(base, "datachat", "fetch")
	}
	if err := os.MkdirAll(f.cacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("create cache directory: %w", err)
	}
	f.sweepParts(time.Now().Add(-staleParts))
	f.client = f.newClient(cfg.Client)
	return f, nil
}

func (f *Fetcher) newClient(given *http.Client) *http.Client {
	var c http.Client
	if given != nil {
		c = *given
	} else {
		dialer := &net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
			Control:   f.control,
			Resolver:  f.hooks.resolver,
		}
		c.Transport = &http.Transport{
			// An environment proxy would be dialled instead of the real
			// host and so bypass the address check.
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   15 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          16,
			ExpectContinueTimeout: time.Second,
			// Keep the bytes as served: a .csv.gz must stay gzip, and the
			// size cap then counts what crosses the wire.
			DisableCompression: true,
		}
	}
	c.CheckRedirect = f.checkRedirect
	return &c
}

func (f *Fetcher) allowAddr(ap netip.AddrPort) bool {
	if f.hooks.allowAddr != nil {
		return f.hooks.allowAddr(ap)
	}
	return f.allowPrivate || publicAddr(ap.Addr())
}

// Fetch resolves source, a local path or an http(s) or file URL, to a local
// file. For URLs, progress (if not nil) is called with the bytes downloaded
// so far and the total (-1 if unknown), at most every MiB or 100 ms and once
// at the end.
func (f *Fetcher) Fetch(ctx context.Context, source string, progress func(done, total int64)) (*File, error) {
	if strings.TrimSpace(source) == "" {
		return nil, &Error{Kind: ErrNotFound, msg: "no source given: name a file path or an http(s) URL"}
	}
	scheme, ok := urlScheme(source)
	if !ok {
		return f.fetchLocal(source)
	}
	u, err := url.Parse(source)
	if err != nil {
		return nil, &Error{Kind: ErrScheme, Source: source, cause: err,
			msg: fmt.Sprintf("fetch %s: not a valid URL", quoteSource(source))}
	}
	shown := u.Redacted()
	switch scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, &Error{Kind: ErrScheme, Source: shown,
				msg: fmt.Sprintf("fetch %s: the URL has no host", shown)}
		}
		return f.fetchURL(ctx, source, u, progress)
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, &Error{Kind: ErrScheme, Source: shown,
				msg: fmt.Sprintf("fetch %s: file URLs must name a local file (file:///path)", shown)}
		}
		file, err := f.fetchLocalPath(source, filepath.FromSlash(u.Path))
		return file, err
	default:
		return nil, &Error{Kind: ErrScheme, Source: shown,
			msg: fmt.Sprintf("fetch %s: %s URLs are not supported; use an http or https URL or a local path", shown, scheme)}
	}
}

// urlScheme returns the lower-case scheme of a source of the form
// "scheme://...", or false if the source is not of that form.
func urlScheme(s string) (string, bool) {
	i := strings.Index(s, "://")
	if i <= 0 {
		return "", false
	}
	for j, c := range s[:i] {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return "", false
		}
	}
	return strings.ToLower(s[:i]), true
}

// quoteSource quotes a source for a message, shortening very long ones.
func quoteSource(s string) string {
	const max = 200
	if len(s) > max {
		s = s[:max] + "..."
	}
	return fmt.Sprintf("%q", s)
}
