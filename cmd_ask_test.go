package main

import (
	"bytes"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAskWritesCharts(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(t.Context(), []string{"ask", "--cache-dir", t.TempDir(), "--charts", dir, "--file", "testdata/titanic.csv",
		"show me some interesting visuals about this data"}, strings.NewReader(""), &out, io.Discard)
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 3, out.String())
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		_, err = png.Decode(fh)
		fh.Close()
		require.NoError(t, err, f)
		require.Contains(t, out.String(), f)
	}
	require.Contains(t, out.String(), "Survival rate is 74% for female vs 19% for male.")
}

func TestAskErrors(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "--file", "testdata/titanic.csv"},
		{"ask", "--file", "testdata/missing.csv", "how many rows?"},
		{"eval"},
	} {
		err := run(t.Context(), append(args, "--cache-dir", t.TempDir()), strings.NewReader(""), io.Discard, io.Discard)
		require.Error(t, err, "%v", args)
	}
}
