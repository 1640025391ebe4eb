package fetch

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// errTimedOut is the cause of the fetch context when Config.Timeout expires,
// which tells it apart from the caller's own deadline or cancellation.
var errTimedOut = errors.New("fetch time limit reached")

// Progress is reported at most this often.
const (
	progressBytes    = 1 << 20
	progressInterval = 100 * time.Millisecond
)

// fetchURL downloads u (from source) into the cache, or revalidates the
// cached copy.
func (f *Fetcher) fetchURL(ctx context.Context, source string, u *url.URL, progress func(done, total int64)) (*File, error) {
	if _, ok := u.User.Password(); ok {
		// File.Source may end up in listings; keep the password out.
		source = u.Redacted()
	}
	u.Fragment, u.RawFragment = "", ""
	rawURL := u.String()
	key := cacheKey(rawURL)
	shown := u.Redacted()
	fail := func(kind, cause error, status int, format string, args ...any) (*File, error) {
		return nil, &Error{Kind: kind, Source: shown, Status: status, cause: cause,
			msg: "fetch " + shown + ": " + fmt.Sprintf(format, args...)}
	}

	ctx, cancel := context.WithTimeoutCause(ctx, f.timeout, errTimedOut)
	defer cancel()
	unlock, err := f.locks.lock(ctx, key)
	if err != nil {
		return f.interrupted(ctx, shown, err)
	}
	defer unlock()

	cached := f.readMeta(key)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fail(ErrScheme, err, 0, "not a valid URL")
	}
	req.Header.Set("User-Agent", f.userAgent)
	if cached != nil {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return f.requestError(ctx, req.URL, err)
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case code == http.StatusNotModified && cached != nil:
		return &File{
			Path:        filepath.Join(f.cacheDir, cached.File),
			Name:        cached.Name,
			Ext:         cached.Ext,
			ContentType: cached.ContentType,
			Size:        cached.Size,
			Source:      source,
			Remote:      true,
			Cached:      true,
			SHA256:      cached.SHA256,
		}, nil
	case code < 200 || code > 299 || code == http.StatusPartialContent:
		return fail(ErrFetch, nil, code, "the server answered %s%s", statusText(code), statusHint(code))
	}
	if resp.ContentLength > f.maxBytes {
		return fail(ErrTooLarge, nil, 0, "the file is %s, more than the %s limit", sizeText(resp.ContentLength), sizeText(f.maxBytes))
	}

	name, ext := remoteName(resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Type"), u, resp.Request.URL)
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") && !strings.HasSuffix(ext, ".gz") {
		// Some servers send stored gzip files with this header whatever the
		// request asked; the bytes kept are gzip either way.
		ext += ".gz"
	}
	m := &meta{
		Key:          key,
		URL:          shown,
		File:         key + ext,
		Name:         name,
		Ext:          ext,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	tmp, err := os.CreateTemp(f.cacheDir, key+".*.part")
	if err != nil {
		return f.cacheError(shown, err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	digest := sha256.New()
	n, err := f.copyBody(io.MultiWriter(tmp, digest), resp.Body, resp.ContentLength, progress)
	switch {
	case errors.Is(err, ErrTooLarge):
		return fail(ErrTooLarge, nil, 0, "the download passed the %s limit", sizeText(f.maxBytes))
	case errors.Is(err, errWrite):
		return f.cacheError(shown, err)
	case err != nil:
		if ctx.Err() != nil {
			return f.interrupted(ctx, shown, err)
		}
		return fail(ErrFetch, err, 0, "the transfer broke off after %s: %v", sizeText(n), err)
	}
	if err := tmp.Close(); err != nil {
		return f.cacheError(shown, err)
	}
	m.Size = n
	m.FetchedAt = time.Now().UTC()
	m.SHA256 = hex.EncodeToString(digest.Sum(nil))
	// Drop the old sidecar first: until the new one is written, a reader
	// sees no entry and downloads afresh rather than trusting a stale one.
	if err := os.Remove(f.metaPath(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return f.cacheError(shown, err)
	}
	final := filepath.Join(f.cacheDir, m.File)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return f.cacheError(shown, err)
	}
	keep = true
	// The download itself succeeded; without a sidecar the next fetch only
	// downloads again, so a failure here is not worth failing this one.
	_ = f.writeMeta(m)
	return &File{
		Path:        final,
		Name:        name,
		Ext:         ext,
		ContentType: m.ContentType,
		Size:        n,
		Source:      source,
		Remote:      true,
		SHA256:      m.SHA256,
	}, nil
}

// errWrite marks a failure to write the download to disk.
var errWrite = errors.New("write download")

// copyBody copies at most f.maxBytes from body to w, reporting progress, and
// fails with ErrTooLarge if there is more.
func (f *Fetcher) copyBody(w io.Writer, body io.Reader, total int64, progress func(done, total int64)) (int64, error) {
	if total < 0 {
		total = -1
	}
	buf := make([]byte, 256<<10)
	var done, lastDone int64
	lastTime := time.Now()
	report := func(force bool) {
		if progress == nil {
			return
		}
		if force || done-lastDone >= progressBytes || time.Since(lastTime) >= progressInterval {
			progress(done, total)
			lastDone, lastTime = done, time.Now()
		}
	}
	report(true)
	limited := io.LimitReader(body, f.maxBytes+1)
	for {
		n, rerr := limited.Read(buf)
		if n > 0 {
			if done+int64(n) > f.maxBytes {
				return done, ErrTooLarge
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return done, fmt.Errorf("%w: %w", errWrite, err)
			}
			done += int64(n)
			report(false)
		}
		if rerr == io.EOF {
			report(true)
			return done, nil
		}
		if rerr != nil {
			return done, rerr
		}
	}
}

// requestError explains why a request got no response.
func (f *Fetcher) requestError(ctx context.Context, u *url.URL, err error) (*File, error) {
	shown, host := u.Redacted(), u.Hostname()
	fail := func(kind error, format string, args ...any) (*File, error) {
		return nil, &Error{Kind: kind, Source: shown, cause: err,
			msg: "fetch " + shown + ": " + fmt.Sprintf(format, args...)}
	}
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		hostErr x509.HostnameError
	)
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return fail(ErrPrivateAddress, "refused to connect: %s; only public addresses may be fetched (the operator can allow this with --allow-private-urls)", f.refusalText(u, err))
	case errors.Is(err, ErrTooManyRedirects):
		return fail(ErrTooManyRedirects, "stopped after %d redirects; give the final URL", f.maxRedirects)
	case errors.Is(err, ErrScheme):
		return fail(ErrScheme, "redirected to a URL that is not http or https")
	case ctx.Err() != nil:
		return f.interrupted(ctx, shown, err)
	case errors.As(err, &dnsErr):
		return fail(ErrFetch, "cannot resolve host %q; check the host name in the URL and that the server has network access", dnsErr.Name)
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostErr):
		return fail(ErrFetch, "the server's TLS certificate is not valid (%v); check the URL, or use a server with a valid certificate", rootCause(err))
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return fail(ErrFetch, "cannot connect to %s (%v); check the URL and that the server is up and reachable", host, rootCause(err))
	}
	return fail(ErrFetch, "request failed: %v", rootCause(err))
}

// refusalText says which host was refused, and why, for a dial the guard
// refused while fetching u.
func (f *Fetcher) refusalText(u *url.URL, err error) string {
	host, subject := u.Hostname(), u.Hostname()
	// The refused hop may be a redirect's, which url.Error names.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		if hop, perr := url.Parse(uerr.URL); perr == nil && (hop.Host != u.Host || hop.RequestURI() != u.RequestURI()) {
			host = hop.Hostname()
			subject = "the redirect target " + host
		}
	}
	const kind = "a non-public (loopback, private, link-local or similar) address"
	if _, perr := netip.ParseAddr(host); perr == nil {
		return subject + " is " + kind
	}
	text := subject + " resolves to " + kind
	if a, ok := refusedAddr(err); ok && !f.hidePaths {
		text += " (" + a.String() + ")"
	}
	return text
}

// interrupted explains a fetch stopped by its context: the time limit, or
// the caller's cancellation or deadline.
func (f *Fetcher) interrupted(ctx context.Context, shown string, err error) (*File, error) {
	if errors.Is(context.Cause(ctx), errTimedOut) {
		return nil, &Error{Kind: ErrTimeout, Source: shown, cause: err,
			msg: fmt.Sprintf("fetch %s: gave up after %s; the server may be slow or the file too large, try a smaller file or a faster server", shown, f.timeout)}
	}
	cause := ctx.Err()
	if cause == nil {
		cause = err
	}
	return nil, &Error{Kind: ErrFetch, Source: shown, cause: cause,
		msg: fmt.Sprintf("fetch %s: %v", shown, cause)}
}

// cacheError reports a failure to write the cache, naming the cache
// directory only when paths may be shown.
func (f *Fetcher) cacheError(shown string, err error) (*File, error) {
	msg := "fetch " + shown + ": cannot store the download on the server"
	if !f.hidePaths {
		msg += fmt.Sprintf(" (cache %s: %v)", f.cacheDir, err)
	}
	return nil, &Error{Kind: ErrCache, Source: shown, cause: err, msg: msg}
}

// checkRedirect limits and checks redirects; the dial check covers the
// address of each hop.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.maxRedirects {
		return ErrTooManyRedirects
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("%w: redirect to %s URL", ErrScheme, s)
	}
	return nil
}

// rootCause strips the url.Error and net.OpError wrappers, whose text
// repeats the URL and addresses the message already gives.
func rootCause(err error) error {
	for {
		var uerr *url.Error
		var operr *net.OpError
		switch {
		case errors.As(err, &uerr):
			err = uerr.Err
		case errors.As(err, &operr):
			err = operr.Err
		default:
			return err
		}
	}
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

func statusHint(code int) string {
	switch {
	case code == http.StatusNotFound || code == http.StatusGone:
		return "; check the URL"
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "; the file is not public, use a URL that needs no login"
	case code == http.StatusTooManyRequests || code >= 500:
		return "; the server has trouble, try again later"
	case code == http.StatusNotModified:
		return " to a request that was not conditional"
	}
	return ""
}

// sizeText formats a byte count for people.
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
