package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"datachat/app"
	"datachat/chat"
	"datachat/datasets"
	"datachat/exports"
	"datachat/rest"
	"datachat/transport"
)

var errUsage = errors.New("usage")

const usage = `datachat: ask questions of data files (MCP server and REST API)

Usage:
  datachat [stdio] [flags]          MCP over stdio (what MCP hosts launch)
  datachat serve [flags]            chat page at /, MCP over streamable HTTP at /mcp, /healthz, REST /api/v1/chat
  datachat ask [--file PATH_OR_URL]... "question"
                                    load files and answer one question (no LLM needed)
  datachat eval --questions FILE --out FILE
                                    answer a questions.jsonl, write {"id","answer"} lines,
                                    print the score when the questions carry gold answers
  datachat version

Flags:
`

// config is everything the command line sets.
type config struct {
	command  string
	app      app.Config
	addr     string
	token    string
	ttl      time.Duration
	level    slog.Level
	args     []string
	files    []string
	qfile    string
	qtimeout time.Duration
	out      string
	charts   string
	public   string
	maxBody  byteSize
	busy     int
	origins  multiFlag
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// byteSize is a flag taking sizes like 1GiB, 500MB or 1048576.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }
func (b *byteSize) Set(v string) error {
	n, err := parseSize(v)
	*b = byteSize(n)
	return err
}

func parseSize(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("invalid size %q: use a number with an optional unit (B, KB, MB, GB, KiB, MiB, GiB)", v)
	}
	return int64(f * float64(mult)), nil
}

// flagGiven reports whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// parseConfig reads the command and flags; env DATACHAT_TOKEN backs --token.
func parseConfig(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{command: "stdio"}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cfg.command, args = args[0], args[1:]
	}
	switch cfg.command {
	case "stdio", "serve", "ask", "eval", "version", "help":
	default:
		fmt.Fprintf(stderr, "datachat: unknown command %q\n\n", cfg.command)
		cfg.command = "help"
	}
	fs := flag.NewFlagSet("datachat "+cfg.command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var dirs multiFlag
	maxDownload := byteSize(1 << 30)
	var level string
	fs.Var(&dirs, "allow-dir", "directory under which local files may be loaded (repeatable; default in stdio mode: the current directory; in serve mode: none, URLs only)")
	fs.BoolVar(&cfg.app.AllowPrivateURLs, "allow-private-urls", false, "allow URLs that resolve to loopback, private or link-local addresses")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "serve: address to listen on (loopback unless you say otherwise)")
	fs.StringVar(&cfg.token, "token", os.Getenv("DATACHAT_TOKEN"), "serve: require 'Authorization: Bearer <token>' (default: env DATACHAT_TOKEN)")
	fs.Var(&maxDownload, "max-download", "largest file a URL may download, and the most a compressed file (.gz) may inflate to (e.g. 500MB, 1GiB)")
	fs.DurationVar(&cfg.app.FetchTimeout, "fetch-timeout", 2*time.Minute, "longest time one download may take")
	fs.DurationVar(&cfg.app.QueryTimeout, "query-timeout", 30*time.Second, "queries running longer are cancelled")
	fs.DurationVar(&cfg.app.PlanBudget, "plan-budget", chat.DefaultPlanBudget, "longest time the built-in engine may spend planning one question before it abstains")
	fs.DurationVar(&cfg.qtimeout, "question-timeout", 10*time.Second, "eval: longest time one question may take; a question that times out counts as abstained")
	fs.IntVar(&cfg.app.MaxRows, "max-rows", 1000, "most rows a query returns (larger results are truncated, with a note)")
	fs.IntVar(&cfg.app.MaxChars, "max-chars", 50000, "most characters a query returns (long cells are cut, with a note), and the longest string or list a query may build (repeat, lpad, range, ...)")
	fs.StringVar(&cfg.app.MemoryLimit, "memory-limit", "2GB", "most DuckDB memory one session may use (each gets its share of --memory-budget, up to this)")
	lim := &cfg.app.Limits
	fs.DurationVar(&lim.LoadTimeout, "load-timeout", datasets.DefaultLoadTimeout, "longest time one load may take, from fetching to the last row")
	fs.IntVar(&lim.Depth, "max-depth", datasets.DefaultMaxDepth, "deepest nesting of JSON values a file may have")
	fs.IntVar(&lim.Tables, "max-tables", datasets.DefaultMaxTables, "most tables (sheets, HTML tables) one file may hold")
	fs.IntVar(&lim.Columns, "max-columns", datasets.DefaultMaxColumns, "most columns of one table (and members of one JSON object)")
	budget := byteSize(datasets.DefaultMemoryBudget())
	fs.Var(&budget, "memory-budget", "most memory the whole server uses (e.g. 8GB): sessions share it, and no load or query starts while the server is over it (default: half of the machine's memory)")
	cacheSize := byteSize(datasets.DefaultCacheSize)
	fs.Var(&cacheSize, "cache-size", "serve: most disk the dataset cache's parsed tables take (e.g. 500MB, 1GiB); a file loaded again is served from it (other commands: off unless given)")
	maxCell := byteSize(datasets.DefaultMaxCellBytes)
	fs.Var(&maxCell, "max-cell", "longest cell or string a file may hold (e.g. 1MiB)")
	cfg.maxBody = byteSize(transport.DefaultMaxBody)
	fs.Var(&cfg.maxBody, "max-body", "serve: largest request body for /mcp and the chat API (e.g. 4MiB); larger ones get 413")
	fs.IntVar(&cfg.busy, "max-concurrent", transport.DefaultMaxConcurrent, "serve: most loads, queries and answers run at once; beyond it requests get 503 with Retry-After")
	fs.StringVar(&cfg.public, "public-url", "", "serve: base URL for chart links in REST answers (default: the request's Host; 'forwarded' trusts a proxy's X-Forwarded-Host and X-Forwarded-Proto)")
	fs.DurationVar(&cfg.ttl, "session-ttl", 30*time.Minute, "serve: sessions idle for longer expire and free their memory")
	fs.StringVar(&cfg.app.CacheDir, "cache-dir", "", "folder for downloaded files (default: the user cache folder)")
	fs.Var(&cfg.origins, "allow-origin", "serve: a browser origin (scheme://host[:port]) allowed besides the server's own; others get 403 (repeatable)")
	maxExport := byteSize(256 << 20)
	fs.Var(&maxExport, "max-export", "largest whole-result file (CSV or Parquet) that resources/read or a download link hands out")
	fs.DurationVar(&cfg.app.LinkTTL, "link-ttl", time.Hour, "serve: how long a signed download link to a whole result works")
	fs.StringVar(&cfg.app.DataDir, "data-dir", "", "store workspaces in this folder: they survive restarts, and every server given the same folder serves them (default: memory only)")
	fs.DurationVar(&cfg.app.WorkspaceTTL, "workspace-ttl", 0, "workspaces unused for longer are removed, with their files (default: 30m in memory, 168h with --data-dir)")
	var files multiFlag
	fs.Var(&files, "file", "ask: a path or URL to load before answering (repeatable)")
	fs.StringVar(&cfg.charts, "charts", "", "ask: write the answer's charts as PNG files into this folder")
	fs.StringVar(&cfg.qfile, "questions", "", "eval: the questions.jsonl to answer")
	fs.StringVar(&cfg.out, "out", "", "eval: where to write the predictions (default: stdout)")
	fs.StringVar(&cfg.app.LLM, "llm", "auto", "who answers chat: auto (the MCP host's model via sampling when the client offers it, else an OpenAI-compatible endpoint when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the built-in engine), none, sampling, openai")
	fs.StringVar(&level, "log-level", "info", "log level: debug, info, warn, error (logs go to stderr)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, flag.ErrHelp
		}
		return nil, errUsage
	}
	if cfg.command == "help" {
		fs.Usage()
		return nil, errUsage
	}
	if err := cfg.level.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	cfg.app.MaxDownload = int64(maxDownload)
	cfg.app.CacheSize = int64(cacheSize)
	cfg.app.MaxExport = int64(maxExport)
	cfg.app.MemoryBudget = int64(budget)
	if cfg.command != "serve" && !flagGiven(fs, "cache-size") {
		// One client rarely loads a file twice: writing table files for
		// the cache would cost more than it saves.
		cfg.app.CacheSize = -1
	}
	cfg.app.Limits.CellBytes = int(maxCell)
	cfg.app.OpenAIKey = os.Getenv("OPENAI_API_KEY")
	cfg.app.OpenAIBaseURL = os.Getenv("OPENAI_BASE_URL")
	cfg.app.AllowDirs = dirs
	cfg.args = fs.Args()
	cfg.files = files
	if cfg.command == "ask" || cfg.command == "eval" {
		// One-shot commands: quiet logs, and the files named on the command
		// line may be read.
		if level == "info" {
			cfg.level = slog.LevelWarn
		}
		for _, f := range files {
			if !strings.Contains(f, "://") {
				abs, err := filepath.Abs(f)
				if err != nil {
					return nil, fmt.Errorf("--file %s: %w", f, err)
				}
				dirs = append(dirs, filepath.Dir(abs))
			}
		}
		if cfg.qfile != "" {
			abs, err := filepath.Abs(cfg.qfile)
			if err != nil {
				return nil, fmt.Errorf("--questions: %w", err)
			}
			dirs = append(dirs, filepath.Dir(abs))
		}
		cfg.app.AllowDirs = dirs
	}
	if cfg.command == "stdio" && len(dirs) == 0 {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("find current directory: %w", err)
		}
		cfg.app.AllowDirs = []string{wd}
	}
	if cfg.command == "serve" {
		cfg.app.HidePaths = true
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.level}))
	cfg.app.Logger = logger
	for _, d := range cfg.app.AllowDirs {
		if filepath.Dir(d) == d {
			// Hosts often start servers in "/": say what that allows.
			logger.Warn("local files may be loaded from anywhere under the root folder; pass --allow-dir to narrow it", "allow_dir", d)
		}
	}
	switch cfg.command {
	case "version":
		fmt.Fprintln(stdout, "datachat", app.Version)
		return nil
	case "serve":
		return serve(ctx, cfg, logger, nil)
	case "ask":
		return ask(ctx, cfg, stdout)
	case "eval":
		return eval(ctx, cfg, stdout, stderr)
	}
	a, err := app.New(cfg.app)
	if err != nil {
		return err
	}
	defer a.Close()
	return transport.ServeStdio(ctx, a.MCP, stdin, stdout, logger)
}

// serve runs the HTTP server; ready (for tests) receives the bound address.
func serve(ctx context.Context, cfg *config, logger *slog.Logger, ready func(net.Addr)) error {
	cfg.app.Logger = logger
	a, err := app.New(cfg.app)
	if err != nil {
		return err
	}
	defer a.Close()
	if host, _, err := net.SplitHostPort(cfg.addr); err == nil && cfg.token == "" {
		if ip := net.ParseIP(host); host == "" || (ip != nil && !ip.IsLoopback()) {
			logger.Warn("serving on a non-loopback address without --token: anyone who can reach it can use it", "addr", cfg.addr)
		}
	}
	gate := transport.NewGate(cfg.busy)
	api := rest.New(rest.Config{Datasets: a.Datasets, Engine: a.Chat, PublicURL: cfg.public, Logger: logger,
		MaxBody: int64(cfg.maxBody), Admit: gate.TryAcquire, MaxUpload: cfg.app.MaxDownload, ChartKey: a.Datasets.Key()})
	h, sessions := transport.NewHTTPHandler(a.MCP, transport.HTTPConfig{
		Token: cfg.token, OnSessionEnd: a.Datasets.Drop, Logger: logger,
		Routes: api.Routes(), PublicRoutes: withDownloads(api.PublicRoutes(), a), MaxBody: int64(cfg.maxBody), Gate: gate,
		AllowOrigins: allowedOrigins(cfg), PublicURL: cfg.public,
	})
	return transport.Serve(ctx, cfg.addr, h, sessions, cfg.ttl, logger, ready)
}

// allowedOrigins are --allow-origin and the origin of --public-url.
func allowedOrigins(cfg *config) []string {
	out := slices.Clone([]string(cfg.origins))
	if u, err := url.Parse(cfg.public); err == nil && u.Host != "" {
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out
}

// withDownloads adds the signed download links of whole results (their
// signature is their authority, as for chart links).
func withDownloads(routes map[string]http.Handler, a *app.App) map[string]http.Handler {
	routes[exports.Route] = a.Exports
	return routes
}
