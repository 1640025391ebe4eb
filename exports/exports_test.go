package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/datasets"
)

type localFetcher struct{}

func (localFetcher) Fetch(_ context.Context, source string, _ func(int64, int64)) (*datasets.Source, error) {
	fi, err := os.Stat(source)
	if err != nil {
		return nil, err
	}
	return &datasets.Source{Path: source, Name: filepath.Base(source), Ext: filepath.Ext(source), Size: fi.Size()}, nil
}

func setup(t *testing.T) (*Exporter, string, string, *time.Time) {
	t.Helper()
	td, err := filepath.Abs("../testdata")
	require.NoError(t, err)
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), ReadDirs: []string{td}, Fetcher: localFetcher{}, MaxRows: 10})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	cat, err := m.Create(t.Context())
	require.NoError(t, err)
	_, err = cat.Load(t.Context(), filepath.Join(td, "titanic.csv"), datasets.LoadOptions{})
	require.NoError(t, err)
	id, err := cat.ResultID(`SELECT "PassengerId", "Name" FROM titanic ORDER BY 1`)
	require.NoError(t, err)
	now := time.Now()
	e := &Exporter{Datasets: m, MaxBytes: 1 << 20, LinkTTL: time.Hour, Now: func() time.Time { return now }}
	return e, cat.Workspace(), id, &now
}

func TestExportFormats(t *testing.T) {
	e, ws, id, _ := setup(t)
	b, err := e.ReadAll(t.Context(), ws, id, datasets.ExportCSV)
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 892, "the header and every row, beyond --max-rows")
	require.Equal(t, []string{"PassengerId", "Name"}, recs[0])
	require.Equal(t, []string{"891", "Dooley, Mr. Patrick"}, recs[891])

	pq, err := e.ReadAll(t.Context(), ws, id, datasets.ExportParquet)
	require.NoError(t, err)
	require.Equal(t, "PAR1", string(pq[:4]))
	require.Equal(t, "PAR1", string(pq[len(pq)-4:]))

	_, err = e.ReadAll(t.Context(), ws, "0123456789abcdef", datasets.ExportCSV)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = e.ReadAll(t.Context(), datasets.NewHandle(), id, datasets.ExportCSV)
	require.ErrorIs(t, err, datasets.ErrUnknownWorkspace)

	e.MaxBytes = 1000
	_, err = e.ReadAll(t.Context(), ws, id, datasets.ExportCSV)
	require.ErrorIs(t, err, ErrTooLarge)
	require.Contains(t, err.Error(), "--max-export")

	require.Equal(t, "datachat://w/"+ws+"/results/"+id+".csv", URI(ws, id, "csv"))
	gw, gid, gf, ok := ParseURI(URI(ws, id, "parquet"))
	require.True(t, ok)
	require.Equal(t, []string{ws, id, "parquet"}, []string{gw, gid, gf})
	for _, bad := range []string{"datachat://w/x/results/y.docx", "datachat://w/x/results/", "datachat://w/x/datasets/y.csv"} {
		_, _, _, ok = ParseURI(bad)
		require.False(t, ok, bad)
	}
}

func TestExportSQLStaysChecked(t *testing.T) {
	e, ws, _, _ := setup(t)
	cat, err := e.Datasets.Open(t.Context(), ws)
	require.NoError(t, err)
	evil := filepath.Join(t.TempDir(), "evil.csv")
	for _, q := range []string{
		"SELECT 1 -- ) TO '" + evil + "' (FORMAT csv) --",
		"SELECT 1) TO '" + evil + "' (FORMAT csv); SELECT (1",
		"DROP TABLE titanic",
		"SELECT * FROM read_csv('/etc/passwd')",
	} {
		id, err := cat.ResultID(q)
		require.NoError(t, err)
		b, err := e.ReadAll(t.Context(), ws, id, datasets.ExportCSV)
		if err == nil {
			require.Equal(t, "1\n1\n", string(b), q)
		}
		_, statErr := os.Stat(evil)
		require.True(t, os.IsNotExist(statErr), "nothing was written outside the workspace by %q", q)
	}
	_, err = cat.Query(t.Context(), "SELECT count(*) FROM titanic", 0)
	require.NoError(t, err, "the table is still there")
}

func TestDownloadLinks(t *testing.T) {
	e, ws, id, now := setup(t)
	mux := http.NewServeMux()
	mux.Handle(Route, e)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	link, exp := e.Link(srv.URL, ws, id, datasets.ExportCSV)
	require.WithinDuration(t, now.Add(time.Hour), exp, time.Second)
	status, body := get(link)
	require.Equal(t, 200, status, body)
	require.Equal(t, 892, strings.Count(body, "\n"))

	for _, bad := range []string{
		strings.Replace(link, "sig=", "sig=A", 1),
		strings.Replace(link, ".csv?", ".parquet?", 1),
		strings.Replace(link, ws, datasets.NewHandle(), 1),
		link[:strings.Index(link, "&sig=")],
	} {
		status, body = get(bad)
		require.Equal(t, 403, status, "%s: %s", bad, body)
	}
	*now = now.Add(2 * time.Hour)
	status, body = get(link)
	require.Equal(t, 410, status, body)
	require.Contains(t, body, "expired")
}
