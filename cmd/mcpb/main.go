// Command mcpb builds an MCP Bundle (.mcpb) of datachat for Claude Desktop:
// a zip holding manifest.json and the datachat binary of this platform
// (server/datachat), which the host installs with one click and launches as
// `datachat stdio --allow-dir <the folder the user picks>`.
//
//	go run ./cmd/mcpb                      # builds datachat, writes dist/datachat-<os>-<arch>.mcpb
//	go run ./cmd/mcpb -bin ./datachat -out /tmp
//
// DuckDB is compiled with cgo, so a bundle holds the binary of the machine
// that builds it: build on macOS for macOS, on Windows for Windows.
package main

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"datachat/app"
	"datachat/chat"
	"datachat/datasets"
	"datachat/tools"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mcpb:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mcpb", flag.ContinueOnError)
	bin := fs.String("bin", "", "a datachat binary to bundle (default: build one with go build)")
	out := fs.String("out", "dist", "folder to write the bundle to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if *bin == "" {
		*bin = filepath.Join(*out, exe("datachat"))
		cmd := exec.Command("go", "build", "-trimpath", "-o", *bin, ".")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build datachat: %w", err)
		}
	}
	m, err := manifest()
	if err != nil {
		return err
	}
	path := filepath.Join(*out, fmt.Sprintf("datachat-%s-%s.mcpb", runtime.GOOS, runtime.GOARCH))
	if err := write(path, m, *bin); err != nil {
		return err
	}
	fmt.Println(path)
	return nil
}

// exe adds the platform's executable suffix.
func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// platform is the manifest's name of this platform.
func platform() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return runtime.GOOS
}

// manifest describes the bundle (MCPB manifest 0.3).
func manifest() (map[string]any, error) {
	entry := "server/" + exe("datachat")
	list, err := toolList()
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"manifest_version": "0.3",
		"name":             "datachat",
		"display_name":     "datachat",
		"version":          app.Version,
		"description":      "Ask questions of data files (CSV, Excel, Parquet, JSON, Stata, SAS, SPSS, ...) and get answers, tables and charts back.",
		"long_description": "datachat loads data files from a folder you choose into an embedded DuckDB, describes them, runs read-only SQL, " +
			"answers plain-language questions (with your model or its own engine) and draws charts. SQL cannot write, read other files or reach the network.",
		"author":   map[string]any{"name": "datachat"},
		"keywords": []string{"data", "csv", "excel", "sql", "duckdb", "charts"},
		"server": map[string]any{
			"type":        "binary",
			"entry_point": entry,
			"mcp_config": map[string]any{
				"command": "${__dirname}/" + entry,
				"args":    []string{"stdio", "--allow-dir", "${user_config.data_folder}"},
			},
		},
		"user_config": map[string]any{
			"data_folder": map[string]any{
				"type":        "directory",
				"title":       "Data folder",
				"description": "datachat may load files in this folder and below it (URLs work too).",
				"required":    true,
				"default":     "${DOCUMENTS}",
			},
		},
		"tools":         list,
		"compatibility": map[string]any{"platforms": []string{platform()}},
	}, nil
}

// toolList is the tools a model sees, from the tools package itself.
func toolList() ([]map[string]string, error) {
	m, err := datasets.NewManager(datasets.Config{})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	var out []map[string]string
	for _, st := range tools.All(tools.Deps{Datasets: m, Chat: chat.NewEmbedded()}) {
		if st.Tool.Meta != nil {
			ui, _ := st.Tool.Meta.AdditionalFields["ui"].(map[string]any)
			if v, _ := ui["visibility"].([]string); len(v) == 1 && v[0] == "app" {
				continue // the view's own tool
			}
		}
		out = append(out, map[string]string{"name": st.Tool.Name, "description": st.Tool.Description})
	}
	return out, nil
}

// write zips the manifest and the binary (executable) into path.
func write(path string, m map[string]any, bin string) (err error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	z := zip.NewWriter(f)
	w, err := z.Create("manifest.json")
	if err == nil {
		_, err = w.Write(append(b, '\n'))
	}
	if err == nil {
		err = addFile(z, "server/"+exe("datachat"), bin, 0o755)
	}
	err = errors.Join(err, z.Close(), f.Close())
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

func addFile(z *zip.Writer, name, src string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(mode)
	w, err := z.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}
