package datasets

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSweepStaging: folders whose server died (lock free) are removed at
// start-up; folders of running servers (lock held) and young folders
// without a lock are kept.
func TestSweepStaging(t *testing.T) {
	tmp := t.TempDir()
	mk := func(name string, lock bool) string {
		d := filepath.Join(tmp, name)
		require.NoError(t, os.MkdirAll(filepath.Join(d, "s-1"), 0o700))
		if lock {
			require.NoError(t, os.WriteFile(filepath.Join(d, lockName), nil, 0o600))
		}
		return d
	}
	dead := mk("datachat-dead", true)
	live := mk("datachat-live", true)
	f, err := os.OpenFile(filepath.Join(live, lockName), os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	ok, err := tryLock(f)
	require.NoError(t, err)
	require.True(t, ok)
	young := mk("datachat-young", false)
	old := mk("datachat-old", false)
	past := time.Now().Add(-2 * unlockedGrace)
	require.NoError(t, os.Chtimes(old, past, past))
	other := mk("elsewhere-dead", true)

	require.Equal(t, 2, sweepStaging(tmp, nil))
	for d, kept := range map[string]bool{dead: false, live: true, young: true, old: false, other: true} {
		_, err := os.Stat(d)
		require.Equal(t, kept, err == nil, d)
	}
}

// TestManagerOwnStagingRoot: a manager's own root is locked while it runs
// (a sweep leaves it) and removed by Close.
func TestManagerOwnStagingRoot(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	m, err := NewManager(Config{})
	require.NoError(t, err)
	root := m.Config().StagingRoot
	require.Zero(t, sweepStaging(os.TempDir(), nil))
	_, err = os.Stat(root)
	require.NoError(t, err)
	require.NoError(t, m.Close())
	_, err = os.Stat(root)
	require.True(t, os.IsNotExist(err))
}
