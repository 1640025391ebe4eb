package datasets

import (
	"bufio"
	"context"
	"datachat/formats/text"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// LoadOptions are a load's choices. Zero values detect or derive.
type LoadOptions struct {
	// Name is the table name to create (replacing a table of that name);
	// "" derives one from the file name, made unique.
	Name string
	// Format overrides format detection (see SupportedFormats).
	Format string
	// Sheet selects one sheet of a workbook.
	Sheet string
	// Record names the repeating element of an XML file.
	Record string
	// Progress, when set, receives progress in [0, 100] with a message.
	Progress func(progress, total float64, message string)
}

// heartbeat reports estimated progress while DuckDB reads a file itself
// (it reports none): an estimate from the file size at about 100 MB/s that
// approaches but never reaches 99%. It returns a function that stops it.
func (o *LoadOptions) heartbeat(format string, size int64) func() {
	if o.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		start := time.Now()
		expected := max(float64(size)/100e6, 0.5)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				el := time.Since(start).Seconds()
				p := 50 + 49*(1-math.Exp(-el/expected))
				o.report(p, fmt.Sprintf("reading %s %s (%.1f s)", humanBytes(size), format, el))
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

func (o *LoadOptions) report(p float64, msg string) {
	if o.Progress != nil {
		o.Progress(p, 100, msg)
	}
}

// Load fetches source (a local path or an http(s) URL) through the guarded
// fetcher and loads it as one or more tables (one per sheet or HTML table).
func (c *Catalog) Load(ctx context.Context, source string, opts LoadOptions) ([]TableInfo, error) {
	if c.closed.Load() {
		return nil, ErrClosed
	}
	c.touch()
	if c.cfg.Fetcher == nil {
		return nil, fmt.Errorf("load %s: no file source is configured", source)
	}
	done, err := c.cfg.budget.start()
	if err != nil {
		return nil, err
	}
	defer done()
	timeout := c.cfg.Limits.LoadTimeout
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errLoadTimeout)
	defer cancel()
	infos, err := c.load(ctx, source, opts)
	if err != nil && errors.Is(context.Cause(ctx), errLoadTimeout) {
		return nil, limitf("--load-timeout", "loading %s took longer than %s and was stopped; load a smaller file, or one sheet or table of it", shortSource(source), timeout)
	}
	return infos, err
}

// errLoadTimeout is the cancel cause of a load past --load-timeout.
var errLoadTimeout = errors.New("load time limit reached")

// shortSource is a source for messages: at most 100 characters.
func shortSource(s string) string {
	if len(s) > 100 {
		return s[:97] + "..."
	}
	return s
}

func (c *Catalog) load(ctx context.Context, source string, opts LoadOptions) ([]TableInfo, error) {
	var format string
	if opts.Format != "" {
		f, err := normalizeFormat(opts.Format)
		if err != nil {
			return nil, err
		}
		format = f
	}
	opts.report(0, "fetching "+source)
	src, err := c.cfg.Fetcher.Fetch(ctx, source, func(done, total int64) {
		if total > 0 {
			opts.report(50*float64(done)/float64(total), fmt.Sprintf("downloaded %s of %s", humanBytes(done), humanBytes(total)))
		} else {
			opts.report(0, fmt.Sprintf("downloaded %s", humanBytes(done)))
		}
	})
	if err != nil {
		return nil, err
	}
	if src.Size == 0 {
		return nil, fmt.Errorf("%w: %s is empty (0 bytes); check the file or URL", ErrBadFile, displayName(src))
	}
	if format == "" {
		if format, err = detectFormat(src); err != nil {
			return nil, err
		}
		if err := refuseNonTable(src, format); err != nil {
			return nil, err
		}
	}
	if format == FormatXLS {
		return nil, fmt.Errorf("%w: %s is a legacy binary Excel (.xls) workbook, which datachat cannot read; save it as .xlsx or .csv and load that", ErrUnsupportedFormat, displayName(src))
	}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	path, cleanup, err := c.stage(src)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	base := opts.Name
	explicit := base != ""
	if explicit {
		if TableName(base) != base {
			return nil, fmt.Errorf("%w: %q is not a valid table name; use lower-case letters, digits and underscores, e.g. %q", ErrBadFile, clip(base, 100), clip(TableName(base), 100))
		}
	} else {
		base = TableName(src.Name)
		if keywords[base] {
			base += "_data"
		}
	}
	opts.report(50, "loading "+format)
	start := time.Now()
	loadedAt, version := time.Now(), ""
	var lead *cacheEntry
	if dc := c.cfg.cache; dc != nil {
		if key := cacheKey(src, format, opts); key != "" {
			e, first, err := dc.acquire(ctx, key)
			if err != nil {
				return nil, err
			}
			if first {
				lead, loadedAt, version = e, e.created, e.key
				defer func() {
					if lead != nil {
						dc.abandon(lead)
					}
				}()
			} else if infos, err := c.attachCached(ctx, e, base, source, explicit); err == nil {
				return c.loaded(ctx, opts, infos, source, format, e.created, e.key, start)
			} else {
				c.cfg.Logger.Debug("dataset cache: read the file instead", "error", err)
			}
		}
	}
	var infos []*TableInfo
	switch format {
	case FormatCSV, FormatTSV, FormatJSON, FormatNDJSON, FormatParquet:
		name := c.pickName(base, source, explicit)
		stop := opts.heartbeat(format, src.Size)
		info, err := c.loadNative(ctx, format, path, name)
		stop()
		if err == nil {
			err = c.checkWidth(ctx, info)
		}
		if err != nil {
			return nil, fmt.Errorf("load %s as %s: %w", displayName(src), format, err)
		}
		infos = []*TableInfo{info}
	case FormatTXT:
		if delim, ok := sniffDelimited(path); ok {
			name := c.pickName(base, source, explicit)
			info, err := c.loadCSV(ctx, path, name, delim)
			if err != nil {
				return nil, fmt.Errorf("load %s as delimited text: %w", displayName(src), err)
			}
			infos = []*TableInfo{info}
			break
		}
		fallthrough
	default:
		open := readers[format]
		if open == nil {
			return nil, unsupported(fmt.Sprintf("the %s format is not available in this build", format))
		}
		infos, err = c.loadWithReader(ctx, open, path, base, source, explicit, opts)
		if err != nil {
			return nil, fmt.Errorf("load %s as %s: %w", displayName(src), format, err)
		}
	}
	if lead != nil {
		c.cfg.cache.fill(c, lead, infos)
		lead = nil
	}
	return c.loaded(ctx, opts, infos, source, format, loadedAt, version, start)
}

// loaded records the tables a load made.
func (c *Catalog) loaded(ctx context.Context, opts LoadOptions, infos []*TableInfo, source, format string, loadedAt time.Time, version string, start time.Time) ([]TableInfo, error) {
	out := make([]TableInfo, 0, len(infos))
	for i, info := range infos {
		info.Source = source
		info.Format = format
		info.LoadedAt = loadedAt
		if version != "" {
			info.Version = fmt.Sprintf("%s-%d", version, i)
		}
		c.addTable(info)
		out = append(out, *info)
	}
	if err := c.saved(ctx, opts, out); err != nil {
		return nil, err
	}
	c.cfg.Logger.Info("loaded", "session", c.session, "format", format, "tables", len(out), "elapsed", time.Since(start))
	opts.report(100, fmt.Sprintf("loaded %d table(s)", len(out)))
	return out, nil
}

// checkWidth drops a table DuckDB read with more columns than the limit.
func (c *Catalog) checkWidth(ctx context.Context, info *TableInfo) error {
	if len(info.Columns) <= c.cfg.Limits.Columns {
		return nil
	}
	_ = c.dropRelation(context.WithoutCancel(ctx), info.Name)
	return limitf("--max-columns", "the file has %d columns, more than %d", len(info.Columns), c.cfg.Limits.Columns)
}

// stage makes a downloaded file readable by the session's DuckDB: a hard link
// (or copy) inside the session's staging folder, named with the original
// extension so that DuckDB recognises compression.
func (c *Catalog) stage(src *Source) (string, func(), error) {
	if !src.Remote {
		return src.Path, func() {}, nil
	}
	f, err := os.CreateTemp(c.staging, "load-*"+safeExt(src.Ext))
	if err != nil {
		return "", nil, fmt.Errorf("stage download: %w", err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	if err := os.Link(src.Path, name); err != nil {
		if err := copyFile(src.Path, name); err != nil {
			return "", nil, fmt.Errorf("stage download: %w", err)
		}
	}
	return name, func() { os.Remove(name) }, nil
}

func safeExt(ext string) string {
	ext = strings.ToLower(ext)
	for _, r := range ext {
		if !(r == '.' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
			return ""
		}
	}
	return ext
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pickName returns base when it is free (or explicit, or holds an earlier
// load of the same source, which a reload replaces), else base_2, base_3, ...
func (c *Catalog) pickName(base, source string, explicit bool) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	free := func(n string) bool {
		for name, t := range c.tables {
			if strings.EqualFold(name, n) {
				return t.Source == source
			}
		}
		return true
	}
	if explicit || free(base) {
		return base
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s_%d", base, i)
		if free(n) {
			return n
		}
	}
}

func (c *Catalog) loadNative(ctx context.Context, format, path, name string) (*TableInfo, error) {
	switch format {
	case FormatCSV:
		return c.loadCSV(ctx, path, name, 0)
	case FormatTSV:
		return c.loadCSV(ctx, path, name, '\t')
	case FormatParquet:
		return c.create(ctx, name, "read_parquet("+sqlString(path)+")")
	default:
		return c.loadJSON(ctx, path, name, format)
	}
}

// loadJSON loads an array of objects, newline-delimited objects, an object
// holding one array of objects, or an array of arrays whose first is the
// header. One streaming pass in Go checks the text (nesting, members, string
// lengths, inflated size) and finds its layout; then DuckDB reads it once.
func (c *Catalog) loadJSON(ctx context.Context, path, name, format string) (*TableInfo, error) {
	lim := c.cfg.Limits
	shape, err := checkJSON(ctx, path, jsonLimits{Depth: lim.Depth, Members: lim.Columns, String: lim.CellBytes, Inflated: lim.Inflated})
	if err != nil {
		return nil, err
	}
	layout := "newline_delimited"
	switch {
	case shape.ArrayOfArrays:
		nd, err := c.arraysToNDJSON(path)
		if err != nil {
			return nil, err
		}
		defer os.Remove(nd)
		path = nd
	case shape.Values == 1 && shape.TopArray:
		layout = "array"
	case format == FormatJSON || shape.Values == 1:
		// One object, or concatenated values in any layout.
		layout = "auto"
	}
	src := fmt.Sprintf("read_json(%s, format=%s, maximum_object_size=%d)", sqlString(path), sqlString(layout),
		min(max(shape.LargestRecord+1, 16<<20), 1<<30))
	if shape.Unnest != "" {
		// An object holding one array of records reads as one row with one
		// list column: unnest it into rows.
		src = fmt.Sprintf("(SELECT unnest(%s, max_depth := 2) FROM %s)", Ident(shape.Unnest), src)
	}
	info, err := c.create(ctx, name, src)
	return info, jsonError(err)
}

func jsonError(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: not valid JSON records (%v)", ErrBadFile, err)
}

// arraysToNDJSON rewrites [[h1,h2],[v1,v2],...] as newline-delimited objects
// in the staging folder, streaming.
func (c *Catalog) arraysToNDJSON(path string) (string, error) {
	in, _, err := openMaybeGzip(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(c.staging, "rows-*.ndjson")
	if err != nil {
		return "", fmt.Errorf("stage: %w", err)
	}
	w := bufio.NewWriter(out)
	fail := func(err error) (string, error) {
		out.Close()
		os.Remove(out.Name())
		return "", fmt.Errorf("%w: array of arrays: %v", ErrBadFile, err)
	}
	dec := json.NewDecoder(in)
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	var header []string
	for dec.More() {
		var row []any
		if err := dec.Decode(&row); err != nil {
			return fail(err)
		}
		if header == nil {
			if len(row) > c.cfg.Limits.Columns {
				out.Close()
				os.Remove(out.Name())
				return "", limitf("--max-columns", "the header row names %d columns, more than %d", len(row), c.cfg.Limits.Columns)
			}
			for i, h := range row {
				s := fmt.Sprint(h)
				if h == nil || s == "" {
					s = fmt.Sprintf("column_%d", i+1)
				}
				header = append(header, s)
			}
			continue
		}
		obj := make(map[string]any, len(header))
		for i, v := range row {
			if i < len(header) {
				obj[header[i]] = v
			}
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return fail(err)
		}
		w.Write(b)
		w.WriteByte('\n')
	}
	if header == nil {
		return fail(errors.New("no header row"))
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	return out.Name(), out.Close()
}

// create makes table name from a SELECT-able source and describes it.
func (c *Catalog) create(ctx context.Context, name, from string) (*TableInfo, error) {
	if err := c.createRaw(ctx, name, from); err != nil {
		return nil, c.loadError(err)
	}
	return c.describeTable(ctx, name)
}

// createRaw is create without describing, returning DuckDB's own error.
func (c *Catalog) createRaw(ctx context.Context, name, from string) error {
	if err := c.dropView(ctx, name); err != nil {
		return err
	}
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM %s", Ident(name), from)
	_, err := c.db.ExecContext(ctx, q)
	return err
}

func (c *Catalog) loadError(err error) error {
	var de *duckdb.Error
	if errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory {
		return limitf("--memory-limit", "loading needs more memory than the %s a session may use", c.cfg.MemoryLimit)
	}
	var qe *QueryError
	if errors.As(c.queryError(err), &qe) {
		return fmt.Errorf("%w: %s", ErrBadFile, strings.ReplaceAll(qe.Msg, c.staging, "<staging>"))
	}
	return err
}

// describeTable reads a table's columns and row count from DuckDB.
func (c *Catalog) describeTable(ctx context.Context, name string) (*TableInfo, error) {
	cols, err := c.internal(ctx, "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = "+sqlString(name)+
		" AND database_name = current_database() AND schema_name = current_schema() ORDER BY column_index", 100000)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", name, err)
	}
	n, err := c.internal(ctx, "SELECT count(*) FROM "+Ident(name), 1)
	if err != nil {
		return nil, fmt.Errorf("count rows of %s: %w", name, err)
	}
	info := &TableInfo{Name: name, Rows: n.Rows[0][0].(int64)}
	for _, r := range cols.Rows {
		ci := ColumnInfo{Name: r[0].(string), Type: r[1].(string)}
		if s, ok := r[2].(string); ok {
			ci.Label = s
		}
		info.Columns = append(info.Columns, ci)
	}
	return info, nil
}

// sniffDelimited reports whether a text file looks like delimited data, and
// its delimiter.
func sniffDelimited(path string) (byte, bool) {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return 0, false
	}
	return text.Sniff(head)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
