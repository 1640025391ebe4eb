package fetch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLocal(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "data")
	csv := writeFile(t, root, "sub/sales.csv", "a,b\n1,2\n")
	writeFile(t, root, "sub/raw.CSV.GZ", "not really gzip")
	writeFile(t, base, "outside.csv", "x\n")
	require.NoError(t, os.Symlink(csv, filepath.Join(root, "latest")))
	require.NoError(t, os.Symlink("sub", filepath.Join(root, "cur")))
	require.NoError(t, os.Mkdir(filepath.Join(root, "empty"), 0o755))
	// The root itself is reached through a symlink, which New resolves.
	rootLink := filepath.Join(base, "rootlink")
	require.NoError(t, os.Symlink(root, rootLink))

	f := newTestFetcher(t, Config{AllowDirs: []string{rootLink}}, nil)
	t.Chdir(filepath.Join(root, "sub"))

	tests := []struct {
		name     string
		source   string
		wantPath string
		wantName string
		wantExt  string
	}{
		{"absolute", csv, csv, "sales.csv", ".csv"},
		{"through root link", filepath.Join(rootLink, "sub", "sales.csv"), csv, "sales.csv", ".csv"},
		{"relative", "sales.csv", csv, "sales.csv", ".csv"},
		{"relative with dot-dot inside", "../cur/./sales.csv", csv, "sales.csv", ".csv"},
		{"symlink inside, no ext", filepath.Join(root, "latest"), csv, "latest", ".csv"},
		{"symlinked dir inside", filepath.Join(root, "cur", "sales.csv"), csv, "sales.csv", ".csv"},
		{"file URL", "file://" + csv, csv, "sales.csv", ".csv"},
		{"file URL localhost", "FILE://localhost" + csv, csv, "sales.csv", ".csv"},
		{"upper-case compound ext", filepath.Join(root, "sub", "raw.CSV.GZ"), filepath.Join(root, "sub", "raw.CSV.GZ"), "raw.CSV.GZ", ".csv.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, err := f.Fetch(t.Context(), tt.source, nil)
			require.NoError(t, err)
			require.Equal(t, tt.wantPath, file.Path)
			require.Equal(t, tt.wantName, file.Name)
			require.Equal(t, tt.wantExt, file.Ext)
			require.Equal(t, tt.source, file.Source)
			require.False(t, file.Remote)
			st, err := os.Stat(tt.wantPath)
			require.NoError(t, err)
			require.Equal(t, st.Size(), file.Size)
		})
	}

	failures := []struct {
		name   string
		source string
		kind   error
		text   string
	}{
		{"missing", filepath.Join(root, "nope.csv"), ErrNotFound, "no such file"},
		{"missing relative", "nope.csv", ErrNotFound, "relative paths start at the server's working directory"},
		{"tilde", "~/data.csv", ErrNotFound, "~ is not expanded"},
		{"directory", filepath.Join(root, "empty"), ErrNotFile, "is a directory"},
		{"root itself", root, ErrNotFile, "is a directory"},
		{"relative escape", "../../outside.csv", ErrNotAllowed, "--allow-dir"},
		{"empty", "  ", ErrNotFound, "no source given"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(t.Context(), tt.source, nil)
			require.ErrorIs(t, err, tt.kind)
			require.Contains(t, err.Error(), tt.text)
		})
	}
}

func TestLocalSpecialFile(t *testing.T) {
	root := t.TempDir()
	fifo := filepath.Join(root, "pipe.csv")
	if err := mkfifo(fifo); err != nil {
		t.Skip("cannot make a FIFO here:", err)
	}
	f := newTestFetcher(t, Config{AllowDirs: []string{root}}, nil)
	_, err := f.Fetch(t.Context(), fifo, nil)
	require.ErrorIs(t, err, ErrNotFile)
}

func TestHidePaths(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "data")
	writeFile(t, root, "a.csv", "a\n")
	secret := writeFile(t, base, "secret", "s\n")
	require.NoError(t, os.Symlink(secret, filepath.Join(root, "link.csv")))
	require.NoError(t, os.Mkdir(filepath.Join(root, "dir"), 0o755))
	t.Chdir(root)

	sources := []string{
		"link.csv",
		"../secret",
		"missing.csv",
		"dir",
		"~/x.csv",
		"file://" + filepath.Join(root, "link.csv"),
	}
	for _, hide := range []bool{false, true} {
		f := newTestFetcher(t, Config{AllowDirs: []string{root}, HidePaths: hide}, nil)
		leaked := false
		for _, src := range sources {
			_, err := f.Fetch(t.Context(), src, nil)
			require.Error(t, err)
			// The source as given may be echoed; strip it before looking.
			msg := strings.ReplaceAll(err.Error(), src, "<source>")
			if strings.Contains(msg, base) {
				leaked = true
				require.False(t, hide, "%q: %s", src, err)
			}
		}
		// Without HidePaths the messages do show paths (so the check above
		// can see a leak).
		require.Equal(t, !hide, leaked)
	}
}

func TestNewChecksAllowDirs(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "f.csv", "a\n")
	tests := []struct {
		name string
		dirs []string
		text string
	}{
		{"missing", []string{filepath.Join(dir, "nope")}, "no such file"},
		{"not a dir", []string{file}, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{AllowDirs: tt.dirs, CacheDir: t.TempDir()})
			require.ErrorContains(t, err, tt.text)
		})
	}
}

func TestNewSweepsStaleParts(t *testing.T) {
	cache := t.TempDir()
	old := writeFile(t, cache, "abc.123.part", "partial")
	fresh := writeFile(t, cache, "abc.456.part", "partial")
	kept := writeFile(t, cache, "abc.csv", "a\n")
	long := time.Now().Add(-48 * time.Hour)
	require.NoError(t, os.Chtimes(old, long, long))
	require.NoError(t, os.Chtimes(kept, long, long))
	_, err := New(Config{CacheDir: cache})
	require.NoError(t, err)
	require.NoFileExists(t, old)
	require.FileExists(t, fresh)
	require.FileExists(t, kept)
}
