package datasets

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Each server makes its staging root as a fresh datachat-* folder under the
// system's temporary folder and holds an exclusive lock on a file in it for
// as long as it runs. A server that crashed leaves its folder behind, but
// the kernel drops its lock: at start-up every datachat-* folder whose lock
// can be taken is removed.

const (
	stagingPattern = "datachat-*"
	lockName       = ".lock"
	// unlockedGrace spares a folder without a lock file (another server may
	// be creating it) until it is this old.
	unlockedGrace = 24 * time.Hour
)

// newStagingRoot sweeps folders left by crashed servers, then creates and
// locks a new staging root. release unlocks it (Close removes it).
func newStagingRoot(logger *slog.Logger) (dir string, release func(), err error) {
	sweepStaging(os.TempDir(), logger)
	dir, err = os.MkdirTemp("", stagingPattern)
	if err != nil {
		return "", nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	if ok, err := tryLock(f); err != nil || !ok {
		f.Close()
		os.RemoveAll(dir)
		return "", nil, errors.Join(errors.New("lock the staging folder"), err)
	}
	return dir, func() { f.Close() }, nil
}

// sweepStaging removes the datachat-* folders under tmp that no running
// server holds, and returns how many it removed.
func sweepStaging(tmp string, logger *slog.Logger) int {
	dirs, _ := filepath.Glob(filepath.Join(tmp, stagingPattern))
	n := 0
	for _, d := range dirs {
		st, err := os.Lstat(d)
		if err != nil || !st.IsDir() {
			continue
		}
		f, err := os.OpenFile(filepath.Join(d, lockName), os.O_RDWR, 0)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && time.Since(st.ModTime()) > unlockedGrace {
				if os.RemoveAll(d) == nil {
					n++
				}
			}
			continue
		}
		ok, err := tryLock(f)
		if err == nil && ok {
			// Nobody holds it: its server is gone.
			if os.RemoveAll(d) == nil {
				n++
			}
		}
		f.Close()
	}
	if n > 0 && logger != nil {
		logger.Info("removed staging folders left by servers that stopped without cleaning up", "count", n)
	}
	return n
}
