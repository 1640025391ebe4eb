package fetch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fetchLocal serves a local path given as is.
func (f *Fetcher) fetchLocal(source string) (*File, error) {
	return f.fetchLocalPath(source, source)
}

// fetchLocalPath checks that p (from source) is a regular file under an
// allowed directory and returns it.
func (f *Fetcher) fetchLocalPath(source, p string) (*File, error) {
	q := quoteSource(source)
	fail := func(kind error, cause error, format string, args ...any) (*File, error) {
		return nil, &Error{Kind: kind, Source: source, cause: cause,
			msg: fmt.Sprintf("open %s: ", q) + fmt.Sprintf(format, args...)}
	}
	if len(f.allowReal) == 0 {
		return fail(ErrNotAllowed, nil,
			"loading local files is not enabled; start datachat with --allow-dir DIR to allow files under DIR")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return fail(ErrFetch, err, "cannot make the path absolute")
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		// Say "not found" only inside the allowed directories, so that the
		// answer does not reveal which files exist elsewhere.
		if !f.within(abs, f.allowGiven) && !f.within(abs, f.allowReal) {
			return f.outside(source, abs)
		}
		if errors.Is(err, fs.ErrPermission) {
			return fail(ErrFetch, err, "permission denied")
		}
		return fail(ErrNotFound, err, "no such file%s", f.notFoundHint(p, abs))
	}
	if !f.within(real, f.allowReal) {
		return f.outside(source, real)
	}
	st, err := os.Stat(real)
	if err != nil {
		return fail(ErrFetch, err, "cannot read the file's attributes")
	}
	switch {
	case st.IsDir():
		return fail(ErrNotFile, nil, "is a directory; name a file inside it")
	case !st.Mode().IsRegular():
		return fail(ErrNotFile, nil, "is not a regular file")
	}
	// Fail here, with a clear message, rather than later in the engine.
	fh, err := os.Open(real)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fail(ErrFetch, err, "permission denied")
		}
		return fail(ErrFetch, err, "cannot open the file")
	}
	_ = fh.Close() // opened read-only just to test access

	name := filepath.Base(filepath.Clean(p))
	ext := extOf(name)
	if ext == "" {
		// A link such as "latest" may point at "2024-11.csv".
		ext = extOf(filepath.Base(real))
	}
	return &File{
		Path:   real,
		Name:   name,
		Ext:    ext,
		Size:   st.Size(),
		Source: source,
	}, nil
}

// outside is the refusal of a path (resolved to real) outside the allowed
// directories.
func (f *Fetcher) outside(source, real string) (*File, error) {
	msg := fmt.Sprintf("open %s: the path is outside the allowed directories", quoteSource(source))
	if !f.hidePaths {
		msg += fmt.Sprintf(" (it resolves to %s; allowed: %s)", real, strings.Join(f.allowReal, ", "))
	}
	msg += "; start datachat with --allow-dir DIR to allow files under DIR"
	return nil, &Error{Kind: ErrNotAllowed, Source: source, msg: msg}
}

// within reports whether path lies in or under one of roots, comparing whole
// path components: /x/allowed does not admit /x/allowedX. All paths are
// absolute and clean.
func (f *Fetcher) within(path string, roots []string) bool {
	for _, root := range roots {
		if path == root {
			return true
		}
		prefix := root
		if !strings.HasSuffix(prefix, string(filepath.Separator)) {
			prefix += string(filepath.Separator)
		}
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// notFoundHint explains where a missing path was looked for.
func (f *Fetcher) notFoundHint(p, abs string) string {
	var hint string
	if !f.hidePaths {
		hint = " (looked for " + abs + ")"
	}
	switch {
	case p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)):
		hint += "; ~ is not expanded, give the full path"
	case !filepath.IsAbs(p):
		hint += "; relative paths start at the server's working directory, give the full path"
	}
	return hint
}
