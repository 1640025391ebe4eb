// Package app wires datachat's parts together from one Config: the guarded
// fetcher, the per-session catalogs, the MCP server with its tools, resources
// and prompt. Transports (stdio, HTTP) and the command line use it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
	"datachat/explore"
	"datachat/exports"
	"datachat/llm"
	"datachat/resources"
	"datachat/rest"
	"datachat/tools"
)

// Version is datachat's version, reported to MCP clients.
const Version = "0.1.0"

// Config is datachat's configuration; main fills it from flags and the
// environment. Zero values take the documented defaults.
type Config struct {
	// AllowDirs are the roots under which local paths may be loaded.
	AllowDirs []string
	// AllowPrivateURLs permits URLs resolving to loopback/private addresses.
	AllowPrivateURLs bool
	// HidePaths keeps host paths out of messages (serve mode).
	HidePaths bool
	// MaxDownload caps one download in bytes (default 1 GiB).
	MaxDownload int64
	// FetchTimeout caps one download (default 2 min).
	FetchTimeout time.Duration
	// QueryTimeout cancels longer queries (default 30 s).
	QueryTimeout time.Duration
	// PlanBudget bounds the embedded engine's planning of one question
	// (default chat.DefaultPlanBudget); beyond it the engine abstains.
	PlanBudget time.Duration
	// MaxRows and MaxChars cap what a query returns (default 1000 rows, 50,000 characters).
	MaxRows, MaxChars int
	// MemoryLimit is DuckDB's memory limit per session (default 2GB).
	MemoryLimit string
	// Limits bound every load (datasets.Limits; Inflated defaults to MaxDownload).
	Limits datasets.Limits
	// CacheDir holds downloaded files (default: the user cache dir).
	CacheDir string
	// CacheSize bounds the dataset cache of parsed tables, in bytes
	// (default datasets.DefaultCacheSize).
	CacheSize int64
	// MemoryBudget bounds the memory of the whole server, in bytes
	// (default datasets.DefaultMemoryBudget()).
	MemoryBudget int64
	// DataDir stores workspaces so that they survive restarts and are shared
	// by every server given the same folder (--data-dir); empty keeps them
	// in memory.
	DataDir string
	// WorkspaceTTL removes workspaces unused for longer (default: 30 min in
	// memory, 7 days with DataDir).
	WorkspaceTTL time.Duration
	// LLM selects who answers chat: "auto" (default), "none", "sampling", "openai".
	LLM string
	// OpenAIKey and OpenAIBaseURL configure an OpenAI-compatible endpoint
	// (OPENAI_API_KEY, OPENAI_BASE_URL).
	OpenAIKey, OpenAIBaseURL string
	// MaxExport caps one whole-result file (CSV or Parquet; default 256 MiB).
	MaxExport int64
	// LinkTTL is how long a signed download link works (default 1 h).
	LinkTTL time.Duration
	// Logger receives diagnostics; it must not write to stdout in stdio mode.
	Logger *slog.Logger
}

// App is a configured datachat.
type App struct {
	Config   Config
	Datasets *datasets.Manager
	// Exports serves whole results (resources and, in serve mode, the
	// download route exports.Route).
	Exports *exports.Exporter
	MCP     *server.MCPServer
	Chat    chat.Engine
	Logger  *slog.Logger
}

const instructions = `datachat answers questions about data files with SQL.
1. load_file {source}: load a CSV/TSV/JSON/Parquet/Excel/HTML/XML/text/Stata/SAS/SPSS file from a path or http(s) URL; it returns the table name, columns, first rows and a workspace handle.
2. describe {dataset}: column types, missing values, ranges and common values; do this before writing SQL.
3. query {sql}: one read-only DuckDB SELECT over the loaded tables (joins work); quote column names with spaces or capitals in double quotes.
chat {messages}: ask in plain language; the answer shows the SQL it ran, and it says so when it is not sure.
list_datasets shows what is loaded. Tables live in a workspace: pass the workspace handle load_file returned as "workspace" to every later call (required for clients without a session). Resources datachat://w/{workspace}/datasets/{name}/schema, /preview and /description hold each table's schema, first rows and statistics.
SQL cannot write, read files or change settings.`

// New builds an App from cfg.
func New(cfg Config) (*App, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	cacheDir := cfg.CacheDir
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cacheDir = filepath.Join(base, "datachat", "fetch")
	}
	f, err := fetch.New(fetch.Config{
		AllowDirs: cfg.AllowDirs, AllowPrivate: cfg.AllowPrivateURLs, MaxBytes: cfg.MaxDownload,
		Timeout: cfg.FetchTimeout, CacheDir: cacheDir, HidePaths: cfg.HidePaths,
		UserAgent: "datachat/" + Version,
	})
	if err != nil {
		return nil, fmt.Errorf("set up file sources: %w", err)
	}
	var readDirs []string
	for _, d := range cfg.AllowDirs {
		real, err := filepath.EvalSymlinks(d)
		if err != nil {
			return nil, fmt.Errorf("allowed directory %s: %w", d, err)
		}
		abs, err := filepath.Abs(real)
		if err != nil {
			return nil, fmt.Errorf("allowed directory %s: %w", d, err)
		}
		readDirs = append(readDirs, abs)
	}
	mgr, err := datasets.NewManager(datasets.Config{
		ReadDirs: readDirs, DataDir: cfg.DataDir, WorkspaceTTL: cfg.WorkspaceTTL,
		MemoryLimit: cfg.MemoryLimit, QueryTimeout: cfg.QueryTimeout, CacheSize: cfg.CacheSize, MemoryBudget: cfg.MemoryBudget,
		MaxRows: cfg.MaxRows, MaxChars: cfg.MaxChars, Fetcher: rest.WithUploads(datasets.Guarded(f)), Logger: logger,
		Limits: cfg.limits(),
	})
	if err != nil {
		return nil, fmt.Errorf("set up catalogs: %w", err)
	}
	mode, err := llm.ParseMode(cfg.LLM)
	if err != nil {
		mgr.Close()
		return nil, fmt.Errorf("--llm: %w", err)
	}
	engine, err := llm.New(llm.Config{
		Mode: mode, OpenAIKey: cfg.OpenAIKey, OpenAIBaseURL: cfg.OpenAIBaseURL,
		Fallback: chat.NewEmbedded(chat.WithVisuals(explore.Visuals), chat.WithPlanBudget(cfg.PlanBudget)), Logger: logger,
	})
	if err != nil {
		mgr.Close()
		return nil, fmt.Errorf("set up the chat engine: %w", err)
	}
	if cfg.MaxExport <= 0 {
		cfg.MaxExport = 256 << 20
	}
	if cfg.LinkTTL <= 0 {
		cfg.LinkTTL = time.Hour
	}
	a := &App{Config: cfg, Datasets: mgr, Logger: logger, Chat: engine,
		Exports: &exports.Exporter{Datasets: mgr, MaxBytes: cfg.MaxExport, LinkTTL: cfg.LinkTTL}}
	a.MCP = a.newMCPServer()
	return a, nil
}

func (a *App) newMCPServer() *server.MCPServer {
	reg := resources.New(a.Datasets, a.Exports)
	// The HTTP transport follows sessions through hooks; so do resource
	// subscriptions.
	hooks := &server.Hooks{}
	reg.Hooks(hooks)
	s := server.NewMCPServer("datachat", Version,
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(true, true),
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithResourceCompletionProvider(reg),
		server.WithPromptCompletionProvider(reg),
		server.WithLogging(),
		server.WithRecovery(),
		server.WithInstructions(instructions),
		// MCP Apps: hosts that render views show tools.ViewURI beside results.
		server.WithExtensions(map[string]any{tools.UIExtension: map[string]any{"mimeTypes": []string{tools.ViewMIMEType}}}),
		server.WithHooks(hooks),
		// mcp-go logs every request at info; keep that for debug runs.
		server.WithLogger(slog.New(quieter{a.Logger.Handler()})),
	)
	reg.Register(s)
	s.AddTools(tools.All(tools.Deps{Datasets: a.Datasets, Exports: a.Exports, Logger: a.Logger, Chat: a.Chat, OnLoad: reg.Published})...)
	return s
}

// limits are the load limits, the inflated size capped like downloads.
func (c Config) limits() datasets.Limits {
	l := c.Limits
	if l.Inflated <= 0 {
		l.Inflated = c.MaxDownload
	}
	return l
}

// Close frees every session.
func (a *App) Close() error { return a.Datasets.Close() }

// quieter passes records one level down (info becomes debug), so the MCP
// library's per-request lines show only with --log-level debug.
type quieter struct{ h slog.Handler }

func (q quieter) Enabled(ctx context.Context, l slog.Level) bool {
	return q.h.Enabled(ctx, l-4)
}

func (q quieter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		r.Level -= 4
	}
	return q.h.Handle(ctx, r)
}

func (q quieter) WithAttrs(as []slog.Attr) slog.Handler { return quieter{q.h.WithAttrs(as)} }
func (q quieter) WithGroup(n string) slog.Handler       { return quieter{q.h.WithGroup(n)} }
