package main

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/app"
)

func TestBundle(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, exe("datachat"))
	out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput()
	require.NoError(t, err, string(out))
	require.NoError(t, run([]string{"-bin", bin, "-out", dir}))

	z, err := zip.OpenReader(filepath.Join(dir, "datachat-"+runtime.GOOS+"-"+runtime.GOARCH+".mcpb"))
	require.NoError(t, err)
	defer z.Close()
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	require.Len(t, files, 2)

	var m struct {
		ManifestVersion string `json:"manifest_version"`
		Name, Version   string
		Description     string
		Author          struct{ Name string }
		Server          struct {
			Type       string
			EntryPoint string `json:"entry_point"`
			MCPConfig  struct {
				Command string
				Args    []string
			} `json:"mcp_config"`
		}
		UserConfig map[string]struct {
			Type, Title, Description string
			Required                 bool
		} `json:"user_config"`
		Tools         []struct{ Name, Description string }
		Compatibility struct{ Platforms []string }
	}
	r, err := files["manifest.json"].Open()
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(r).Decode(&m))
	r.Close()
	require.Equal(t, "0.3", m.ManifestVersion)
	require.Equal(t, "datachat", m.Name)
	require.Equal(t, app.Version, m.Version)
	require.NotEmpty(t, m.Description)
	require.NotEmpty(t, m.Author.Name)
	require.Equal(t, "binary", m.Server.Type)
	require.Equal(t, "${__dirname}/"+m.Server.EntryPoint, m.Server.MCPConfig.Command)
	require.Equal(t, []string{"stdio", "--allow-dir", "${user_config.data_folder}"}, m.Server.MCPConfig.Args)
	require.Equal(t, "directory", m.UserConfig["data_folder"].Type)
	require.True(t, m.UserConfig["data_folder"].Required)
	var names []string
	for _, tl := range m.Tools {
		require.NotEmpty(t, tl.Description)
		names = append(names, tl.Name)
	}
	require.ElementsMatch(t, []string{"load_file", "list_datasets", "describe", "query", "chart", "chat"}, names, "the model's tools, not the view's")
	require.Len(t, m.Compatibility.Platforms, 1)

	// The bundled server is the binary, executable, and runs.
	entry := files[m.Server.EntryPoint]
	require.NotNil(t, entry, m.Server.EntryPoint)
	require.NotZero(t, entry.Mode()&0o100, "executable")
	extracted := filepath.Join(dir, "x", exe("datachat"))
	require.NoError(t, os.MkdirAll(filepath.Dir(extracted), 0o755))
	rc, err := entry.Open()
	require.NoError(t, err)
	w, err := os.OpenFile(extracted, os.O_CREATE|os.O_WRONLY, 0o755)
	require.NoError(t, err)
	_, err = io.Copy(w, rc)
	require.NoError(t, err)
	rc.Close()
	require.NoError(t, w.Close())
	version, err := exec.Command(extracted, "version").Output()
	require.NoError(t, err)
	require.Equal(t, "datachat "+app.Version, strings.TrimSpace(string(version)))
}
