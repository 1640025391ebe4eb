package datasets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// loadCSV loads delimited text with DuckDB's sniffer. The file is read again
// with other options only after a sniffing or parsing error (never after
// running out of memory or a cancel): with a full type scan, then leniently
// (rows DuckDB cannot parse are skipped and counted in a warning). A file
// that is not valid UTF-8 is read as Latin-1 when nothing in it is UTF-8
// beyond ASCII, else with its stray bytes replaced (and a warning naming
// the lines).
func (c *Catalog) loadCSV(ctx context.Context, path, name string, delim byte) (*TableInfo, error) {
	// A line holds at least one cell: DuckDB's line limit (2 MiB by
	// default) follows --max-cell when that is larger.
	opts := fmt.Sprintf(", max_line_size=%d", max(2<<20, c.cfg.Limits.CellBytes))
	if delim != 0 {
		opts += ", delim=" + sqlString(string(delim))
	}
	if err := c.checkCSVInput(ctx, path, delim); err != nil {
		return nil, err
	}
	info, err := c.readCSV(ctx, path, name, opts)
	if err == nil || !isEncodingError(err) {
		return info, err
	}
	if ctx.Err() != nil {
		return nil, c.loadError(err)
	}
	fixed, st, ferr := c.repairUTF8(ctx, path)
	if ferr != nil {
		return nil, ferr
	}
	defer os.Remove(fixed)
	if st.multibyte == 0 {
		info, err = c.readCSV(ctx, path, name, opts+", encoding='latin-1'")
		if isEncodingError(err) {
			return nil, c.loadError(err)
		}
		if info != nil {
			info.Warnings = append(info.Warnings, "the file is not UTF-8 and was read as Latin-1 (ISO-8859-1); if letters look wrong, save it as UTF-8 and load it again")
		}
		return info, err
	}
	info, err = c.readCSV(ctx, fixed, name, opts)
	if isEncodingError(err) {
		return nil, c.loadError(err)
	}
	if info != nil {
		info.Warnings = append(info.Warnings, fmt.Sprintf("%d line(s) held bytes that are not UTF-8 (%s); those bytes were replaced with \uFFFD and the rows kept", st.badLines, lineList(st.firstBad, st.badLines)))
	}
	return info, err
}

// readCSV reads a UTF-8 (or declared-encoding) CSV, retrying only when
// DuckDB could not sniff or parse it.
func (c *Catalog) readCSV(ctx context.Context, path, name, opts string) (*TableInfo, error) {
	var first error
	for _, a := range []string{"", ", sample_size=-1"} {
		err := c.createRaw(ctx, name, "read_csv("+sqlString(path)+opts+a+")")
		if err == nil {
			return c.describeTable(ctx, name)
		}
		if first == nil {
			first = err
		}
		if isEncodingError(err) {
			return nil, err // the caller repairs the encoding
		}
		if isLineTooLong(err) {
			return nil, limitf("--max-cell", "a line of the file is longer than %s", humanBytes(int64(max(2<<20, c.cfg.Limits.CellBytes))))
		}
		if !retryCSV(ctx, err) {
			return nil, c.loadError(first)
		}
	}
	// Lenient: rows DuckDB cannot parse are skipped, and counted.
	rejects := "rejects_" + strings.ReplaceAll(name, `"`, "")
	lenient := fmt.Sprintf(", sample_size=-1, strict_mode=false, null_padding=true, ignore_errors=true, store_rejects=true, rejects_table=%s, rejects_scan=%s",
		sqlString(rejects), sqlString(rejects+"_scan"))
	err := c.createRaw(ctx, name, "read_csv("+sqlString(path)+opts+lenient+")")
	defer func() {
		_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+Ident(rejects))
		_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+Ident(rejects+"_scan"))
	}()
	if err != nil {
		return nil, c.loadError(first)
	}
	info, err := c.describeTable(ctx, name)
	if err != nil {
		return nil, err
	}
	if res, err := c.internal(ctx, "SELECT count(DISTINCT line), min(line) FROM "+Ident(rejects), 1); err == nil && len(res.Rows) == 1 {
		if n, _ := res.Rows[0][0].(int64); n > 0 {
			info.Warnings = append(info.Warnings, fmt.Sprintf("%d row(s) could not be parsed and were skipped (the first at line %v); check the file's quoting and delimiters", n, res.Rows[0][1]))
		}
	}
	return info, nil
}

// retryCSV reports whether reading again with other options may help: after
// a sniffing or parsing error, not after running out of memory, a cancel or
// an encoding error (handled apart).
func retryCSV(ctx context.Context, err error) bool {
	if ctx.Err() != nil || isEncodingError(err) {
		return false
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return false
	}
	switch de.Type {
	case duckdb.ErrorTypeInvalidInput, duckdb.ErrorTypeConversion, duckdb.ErrorTypeSerialization:
		return true
	}
	return false
}

func isLineTooLong(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(de.Msg, "Maximum line size")
}

func isEncodingError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(de.Msg, "Invalid unicode")
}

// checkCSVInput checks a compressed file's inflated size, and the header's
// width, before DuckDB reads it.
func (c *Catalog) checkCSVInput(ctx context.Context, path string, delim byte) error {
	r, compressed, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	line, _ := br.ReadSlice('\n')
	n := 0
	for _, d := range []byte{',', ';', '\t', '|'} {
		if delim == 0 || delim == d {
			n = max(n, strings.Count(string(line), string(d))+1)
		}
	}
	if n > c.cfg.Limits.Columns {
		return limitf("--max-columns", "the first line has %d fields, more than %d", n, c.cfg.Limits.Columns)
	}
	if !compressed {
		return nil
	}
	total := int64(len(line))
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		k, err := br.Read(buf)
		total += int64(k)
		if total > c.cfg.Limits.Inflated {
			return limitf("--max-download", "the compressed file inflates to more than %s", humanBytes(c.cfg.Limits.Inflated))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: the gzip stream is damaged: %v", ErrBadFile, err)
		}
	}
}

// utf8Stats is what repairUTF8 found.
type utf8Stats struct {
	multibyte int64   // valid multi-byte characters
	badLines  int64   // lines holding invalid bytes
	firstBad  []int64 // the first few of those lines (1-based)
}

func (st *utf8Stats) note(line int64) {
	st.badLines++
	if len(st.firstBad) < 5 {
		st.firstBad = append(st.firstBad, line)
	}
}

// repairUTF8 copies a text file (decompressing it) into the staging folder
// with every byte that is not part of valid UTF-8 replaced by U+FFFD.
func (c *Catalog) repairUTF8(ctx context.Context, path string) (string, utf8Stats, error) {
	var st utf8Stats
	in, _, err := openMaybeGzip(path)
	if err != nil {
		return "", st, err
	}
	defer in.Close()
	out, err := os.CreateTemp(c.staging, "utf8-*.csv")
	if err != nil {
		return "", st, fmt.Errorf("stage: %w", err)
	}
	w := bufio.NewWriterSize(out, 256<<10)
	fail := func(err error) (string, utf8Stats, error) {
		out.Close()
		os.Remove(out.Name())
		return "", st, err
	}
	buf := make([]byte, 256<<10)
	carry := 0 // bytes of a character split by the previous read
	line, lineBad := int64(1), false
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		n, rerr := in.Read(buf[carry:])
		data := buf[:carry+n]
		end := len(data)
		if rerr == nil {
			// Keep back a character that may continue in the next read.
			for k := 1; k <= 3 && k <= end; k++ {
				if utf8.RuneStart(data[end-k]) {
					if !utf8.FullRune(data[end-k:]) {
						end -= k
					}
					break
				}
			}
		}
		for i := 0; i < end; {
			ch := data[i]
			if ch < utf8.RuneSelf {
				if ch == '\n' {
					if lineBad {
						st.note(line)
					}
					line, lineBad = line+1, false
				}
				w.WriteByte(ch)
				i++
				continue
			}
			r, size := utf8.DecodeRune(data[i:end])
			if r == utf8.RuneError && size <= 1 {
				w.WriteString("\uFFFD")
				lineBad = true
				i++
				continue
			}
			st.multibyte++
			w.Write(data[i : i+size])
			i += size
		}
		carry = copy(buf, data[end:])
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fail(fmt.Errorf("read: %w", rerr))
		}
	}
	if lineBad {
		st.note(line)
	}
	if err := w.Flush(); err != nil {
		return fail(fmt.Errorf("stage: %w", err))
	}
	return out.Name(), st, out.Close()
}

// lineList names lines: "line 3", "lines 3, 7 and 2 more".
func lineList(first []int64, total int64) string {
	parts := make([]string, len(first))
	for i, l := range first {
		parts[i] = fmt.Sprint(l)
	}
	s := "line"
	if total > 1 {
		s = "lines"
	}
	s += " " + strings.Join(parts, ", ")
	if more := total - int64(len(first)); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}
