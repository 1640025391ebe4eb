package chat

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"datachat/datasets"
	"datachat/datasets/fetch"

	"github.com/stretchr/testify/require"
)

// realManager returns a datasets manager whose fetcher may read dirs.
func realManager(t testing.TB, dirs ...string) *datasets.Manager {
	t.Helper()
	var abs []string
	for _, d := range dirs {
		a, err := filepath.Abs(d)
		require.NoError(t, err)
		abs = append(abs, a)
	}
	f, err := fetch.New(fetch.Config{AllowDirs: abs, CacheDir: t.TempDir()})
	require.NoError(t, err)
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), ReadDirs: abs, Fetcher: datasets.Guarded(f)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	return m
}

var _ Catalog = (*datasets.Catalog)(nil)

// TestRealCatalog asks the titanic questions through the session catalog
// (sandbox and all) and expects the same answers as over raw DuckDB.
func TestRealCatalog(t *testing.T) {
	m := realManager(t, "../testdata")
	cat, err := m.Catalog(t.Context(), "chat-test")
	require.NoError(t, err)
	abs, _ := filepath.Abs("../testdata/titanic.csv")
	infos, err := cat.Load(t.Context(), abs, datasets.LoadOptions{})
	require.NoError(t, err)
	require.Len(t, infos, 1)
	raw := openTitanic(t)
	e := NewEmbedded()
	for _, q := range []string{
		"How many rows are there?", "What is the average age of female passengers?",
		"Which class has the highest average fare?", "What share of passengers survived?",
		"List the names of the 2 youngest passengers", "Do women survive more than men?",
		"How many passengers have a missing age?", "What is the correlation between age and fare?",
		"Which columns have missing values?", "What is the median fare by class?",
		"Is there any passenger older than 80?", "What is the second highest age?",
	} {
		got := ask(t, e, cat, q)
		want := ask(t, e, raw, q)
		require.True(t, got.Confident && got.Value != nil, "%s: %s", q, got.Text)
		sameValue(t, want.Value, got.Value, q)
	}
}

// TestEvalPublicRealCatalog runs the public evaluation set through the
// session catalog, as `datachat eval` does.
func TestEvalPublicRealCatalog(t *testing.T) {
	if _, err := os.Stat(publicQuestions); err != nil {
		t.Skip("public evaluation set not present")
	}
	m := realManager(t, filepath.Dir(publicQuestions))
	n := 0
	open := func(ctx context.Context, file string) (Catalog, func(), error) {
		n++
		session := fmt.Sprintf("eval-%d", n)
		cat, err := m.Catalog(ctx, session)
		if err != nil {
			return nil, nil, err
		}
		if _, err := cat.Load(ctx, file, datasets.LoadOptions{}); err != nil {
			return nil, nil, err
		}
		return cat, func() { m.Drop(session) }, nil
	}
	var real, raw bytes.Buffer
	sum, err := Eval(t.Context(), publicQuestions, &real, NewEmbedded(), open)
	require.NoError(t, err)
	require.Zero(t, sum.Failed)
	_, err = Eval(t.Context(), publicQuestions, &raw, NewEmbedded(), openForEval)
	require.NoError(t, err)
	require.Equal(t, raw.String(), real.String())
}
