package datasets

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// jsonShape is what one streaming pass over a JSON file found.
type jsonShape struct {
	// Inflated is the size of the JSON text (after decompression).
	Inflated int64
	// Values is the number of top-level values (several for NDJSON).
	Values int64
	// TopArray says the only top-level value is an array; its elements are
	// the records.
	TopArray bool
	// Records is the number of records: top-level values, or the elements
	// of the only top-level array.
	Records int64
	// LargestRecord is the size in bytes of the largest record.
	LargestRecord int64
	// ArraysOfArrays says the top-level array holds arrays (a header row
	// and data rows).
	ArrayOfArrays bool
	// Unnest is, when the file holds one record that is an object with
	// exactly one member whose value is an array of objects, that member's
	// key: its elements are the real records.
	Unnest string
}

// jsonLimits bound the pass; zero fields are not checked.
type jsonLimits struct {
	Depth    int
	Members  int
	String   int
	Inflated int64
}

// checkJSON reads a JSON or NDJSON file once, gzip-compressed or not, and
// checks it is well-formed and within limits before DuckDB sees it: DuckDB's
// reader recurses on nesting (a deep file overflows its stack), so nothing
// deeper than the limit may reach it. It never holds more than a small
// buffer and the keys of one object in memory.
func checkJSON(ctx context.Context, path string, lim jsonLimits) (*jsonShape, error) {
	r, compressed, err := openMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := &jsonScanner{r: r, ctx: ctx, lim: lim, compressed: compressed, buf: make([]byte, 256<<10)}
	return s.run()
}

// openMaybeGzip opens a file, decompressing it when it starts with the gzip
// magic number.
func openMaybeGzip(path string) (io.ReadCloser, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("open: %w", err)
	}
	br := bufio.NewReaderSize(f, 256<<10)
	head, _ := br.Peek(2)
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return readCloser{br, f}, false, nil
	}
	gz, err := gzip.NewReader(br)
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("%w: not valid gzip: %v", ErrBadFile, err)
	}
	return readCloser{gz, f}, true, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// jsonScanner is a byte-level JSON syntax checker with an explicit stack.
type jsonScanner struct {
	r          io.Reader
	ctx        context.Context
	lim        jsonLimits
	compressed bool

	buf      []byte
	pos, end int
	off      int64 // offset of buf[0] in the stream
	eof      bool
	err      error

	stack   []byte // '{' or '[' per open value
	members []int  // members so far of each open value
	shape   jsonShape

	recordDepth int   // depth at which records start: 0, or 1 inside a top-level array
	recordStart int64 // offset where the current record began

	// State for Unnest: the first record's members.
	first       bool   // inside the first record
	member      string // key of the member of the first record being read
	listOK      bool   // that member's value is an array, so far only of objects
	listObjects int    // objects seen in it
	candidates  []string
}

// offset is the stream offset of the next byte.
func (s *jsonScanner) offset() int64 { return s.off + int64(s.pos) }

func (s *jsonScanner) fill() bool {
	if s.eof {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		s.err = err
		s.eof = true
		return false
	}
	s.off += int64(s.end)
	s.pos, s.end = 0, 0
	for s.end == 0 {
		n, err := s.r.Read(s.buf)
		s.end = n
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			s.eof = true
			break
		}
	}
	if s.lim.Inflated > 0 && s.compressed && s.off+int64(s.end) > s.lim.Inflated {
		s.err = limitf("--max-download", "the compressed file inflates to more than %s", humanBytes(s.lim.Inflated))
		s.eof = true
		return false
	}
	return s.end > 0
}

// next returns the next byte, or false at the end.
func (s *jsonScanner) next() (byte, bool) {
	if s.pos >= s.end && !s.fill() {
		return 0, false
	}
	c := s.buf[s.pos]
	s.pos++
	return c, true
}

// nonSpace returns the next byte that is not white space.
func (s *jsonScanner) nonSpace() (byte, bool) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			s.pos++
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
		}
		if !s.fill() {
			return 0, false
		}
	}
}

func (s *jsonScanner) syntax(format string, args ...any) error {
	return fmt.Errorf("%w: not valid JSON: %s at byte %d", ErrBadFile, fmt.Sprintf(format, args...), s.offset())
}

// failure is the error to report when input ended or broke off.
func (s *jsonScanner) failure() error {
	if s.err != nil {
		var le *LimitError
		if errors.As(s.err, &le) || errors.Is(s.err, context.Canceled) || errors.Is(s.err, context.DeadlineExceeded) {
			return s.err
		}
		if s.compressed {
			return fmt.Errorf("%w: the gzip stream is damaged: %v", ErrBadFile, s.err)
		}
		return fmt.Errorf("read: %w", s.err)
	}
	return s.syntax("the file ends inside a value")
}

// Parser states.
const (
	stTop        = iota // between top-level values
	stValue             // a value must come
	stValueOrEnd        // after '[': a value or ']'
	stKeyOrEnd          // after '{': a key or '}'
	stKey               // after ',' in an object: a key
	stAfter             // after a value inside an array or object
)

func (s *jsonScanner) run() (*jsonShape, error) {
	// A byte order mark may precede the text.
	if s.pos >= s.end {
		s.fill()
	}
	if s.end-s.pos >= 3 && s.buf[s.pos] == 0xef && s.buf[s.pos+1] == 0xbb && s.buf[s.pos+2] == 0xbf {
		s.pos += 3
	}
	state := stTop
	for {
		c, ok := s.nonSpace()
		if !ok {
			if s.err != nil || state != stTop {
				return nil, s.failure()
			}
			break
		}
		switch state {
		case stTop, stValue, stValueOrEnd:
			if state == stValueOrEnd && c == ']' {
				if err := s.close(']'); err != nil {
					return nil, err
				}
				state = s.after()
				continue
			}
			if state == stTop {
				s.shape.Values++
				if s.shape.Values == 2 && s.shape.TopArray {
					// Several top-level values: each is a record.
					s.shape.TopArray, s.shape.ArrayOfArrays = false, false
					s.shape.Records, s.recordDepth = 1, 0
				}
			}
			next, err := s.value(c)
			if err != nil {
				return nil, err
			}
			state = next
		case stKeyOrEnd, stKey:
			if state == stKeyOrEnd && c == '}' {
				if err := s.close('}'); err != nil {
					return nil, err
				}
				state = s.after()
				continue
			}
			if c != '"' {
				return nil, s.syntax("expected a quoted key, found %q", c)
			}
			if err := s.key(); err != nil {
				return nil, err
			}
			c, ok := s.nonSpace()
			if !ok {
				return nil, s.failure()
			}
			if c != ':' {
				return nil, s.syntax("expected ':' after a key, found %q", c)
			}
			state = stValue
		case stAfter:
			top := s.stack[len(s.stack)-1]
			switch {
			case c == ',' && top == '{':
				state = stKey
			case c == ',':
				state = stValue
			case c == '}' || c == ']':
				if err := s.close(c); err != nil {
					return nil, err
				}
				state = s.after()
			default:
				return nil, s.syntax("expected ',' or a closing bracket, found %q", c)
			}
		}
	}
	if s.shape.Values == 0 {
		return nil, fmt.Errorf("%w: the JSON file holds only white space", ErrBadFile)
	}
	s.shape.Inflated = s.offset()
	if s.shape.Records == 1 && len(s.candidates) == 1 {
		s.shape.Unnest = s.candidates[0]
	}
	return &s.shape, nil
}

// after is the state after a value ends at the current depth.
func (s *jsonScanner) after() int {
	if len(s.stack) == 0 {
		return stTop
	}
	return stAfter
}

// value reads a value starting with c; for '{' and '[' it only opens it.
func (s *jsonScanner) value(c byte) (int, error) {
	depth := len(s.stack)
	if depth == s.recordDepth {
		s.shape.Records++
		s.recordStart = s.offset() - 1
		s.first = s.shape.Records == 1
	}
	if s.first && depth == s.recordDepth+2 && s.stack[depth-1] == '[' && s.stack[depth-2] == '{' && s.listOK {
		// An element of a member's array inside the first record.
		if c == '{' {
			s.listObjects++
		} else if c != 'n' {
			s.listOK = false
		}
	}
	if s.first && depth == s.recordDepth+1 && s.stack[depth-1] == '{' {
		// A member of the first record: is its value an array of objects?
		s.listOK, s.listObjects = c == '[', 0
	}
	switch c {
	case '{', '[':
		if depth == 0 && c == '[' && s.shape.Values == 1 {
			// The elements of a top-level array are the records.
			s.shape.TopArray, s.recordDepth = true, 1
			s.shape.Records, s.first = 0, false
		}
		if depth == 1 && s.shape.TopArray && s.shape.Records == 1 && c == '[' {
			s.shape.ArrayOfArrays = true
		}
		if s.lim.Depth > 0 && depth >= s.lim.Depth {
			return 0, limitf("--max-depth", "JSON nested deeper than %d levels at byte %d", s.lim.Depth, s.offset()-1)
		}
		s.stack = append(s.stack, c)
		s.members = append(s.members, 0)
		if c == '{' {
			return stKeyOrEnd, nil
		}
		return stValueOrEnd, nil
	case '"':
		if err := s.str(); err != nil {
			return 0, err
		}
	case 't':
		if err := s.literal("rue"); err != nil {
			return 0, err
		}
	case 'f':
		if err := s.literal("alse"); err != nil {
			return 0, err
		}
	case 'n':
		if err := s.literal("ull"); err != nil {
			return 0, err
		}
	default:
		if c != '-' && (c < '0' || c > '9') {
			return 0, s.syntax("unexpected %q", c)
		}
		if err := s.number(c); err != nil {
			return 0, err
		}
	}
	s.ended(depth)
	return s.after(), nil
}

// ended notes that a value at depth has ended.
func (s *jsonScanner) ended(depth int) {
	if depth == s.recordDepth {
		if n := s.offset() - s.recordStart; n > s.shape.LargestRecord {
			s.shape.LargestRecord = n
		}
		s.first = false
	}
	if s.first && depth == s.recordDepth+1 && s.stack[depth-1] == '{' && s.listOK && s.listObjects > 0 {
		s.candidates = append(s.candidates, s.member)
	}
}

// close closes the innermost value with c.
func (s *jsonScanner) close(c byte) error {
	n := len(s.stack)
	open := s.stack[n-1]
	if (open == '{') != (c == '}') {
		return s.syntax("%q closes %q", c, open)
	}
	s.stack = s.stack[:n-1]
	s.members = s.members[:n-1]
	s.ended(n - 1)
	return nil
}

// key reads an object key (after its opening quote) and counts it.
func (s *jsonScanner) key() error {
	depth := len(s.stack)
	s.members[depth-1]++
	if s.lim.Members > 0 && s.members[depth-1] > s.lim.Members {
		return limitf("--max-columns", "a JSON object has more than %d members (at byte %d); each becomes a column", s.lim.Members, s.offset())
	}
	keep := s.first && depth == s.recordDepth+1
	raw, err := s.scanString(keep)
	if err != nil {
		return err
	}
	if keep {
		var k string
		if err := json.Unmarshal(raw, &k); err != nil {
			return s.syntax("bad key")
		}
		s.member = k
	}
	return nil
}

// str reads a string value (after its opening quote).
func (s *jsonScanner) str() error {
	_, err := s.scanString(false)
	return err
}

// scanString reads a string after its opening quote, checking escapes,
// control characters and length; with keep it returns the quoted text.
func (s *jsonScanner) scanString(keep bool) ([]byte, error) {
	start := s.offset() - 1
	var raw []byte
	if keep {
		raw = append(raw, '"')
	}
	for {
		// Fast path: plain bytes within the buffer.
		i := s.pos
		for i < s.end {
			c := s.buf[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			i++
		}
		if keep {
			raw = append(raw, s.buf[s.pos:i]...)
		}
		s.pos = i
		if s.lim.String > 0 && s.offset()-start > int64(s.lim.String)+2 {
			return nil, limitf("--max-cell", "a JSON string starting at byte %d is longer than %s", start, humanBytes(int64(s.lim.String)))
		}
		c, ok := s.next()
		if !ok {
			return nil, s.failure()
		}
		switch {
		case c == '"':
			if keep {
				raw = append(raw, '"')
			}
			return raw, nil
		case c < 0x20:
			return nil, s.syntax("control character %q in a string", c)
		case c == '\\':
			e, ok := s.next()
			if !ok {
				return nil, s.failure()
			}
			if keep {
				raw = append(raw, '\\', e)
			}
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					h, ok := s.next()
					if !ok {
						return nil, s.failure()
					}
					if !isHex(h) {
						return nil, s.syntax("bad \\u escape")
					}
					if keep {
						raw = append(raw, h)
					}
				}
			default:
				return nil, s.syntax("bad escape \\%c", e)
			}
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// literal reads the rest of true, false or null.
func (s *jsonScanner) literal(rest string) error {
	for i := 0; i < len(rest); i++ {
		c, ok := s.next()
		if !ok {
			return s.failure()
		}
		if c != rest[i] {
			return s.syntax("unexpected %q in a literal", c)
		}
	}
	return s.delimited()
}

// delimited checks that a scalar is followed by white space, a comma, a
// closing bracket or the end, without consuming it.
func (s *jsonScanner) delimited() error {
	if s.pos >= s.end && !s.fill() {
		if s.err != nil {
			return s.failure()
		}
		return nil
	}
	switch c := s.buf[s.pos]; c {
	case ' ', '\t', '\r', '\n', ',', ']', '}':
		return nil
	default:
		return s.syntax("unexpected %q after a value", c)
	}
}

// number reads a number whose first byte is c: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScanner) number(c byte) error {
	peek := func() (byte, bool) {
		if s.pos >= s.end && !s.fill() {
			return 0, false
		}
		return s.buf[s.pos], true
	}
	digits := func() int {
		n := 0
		for {
			d, ok := peek()
			if !ok || d < '0' || d > '9' {
				return n
			}
			s.pos++
			n++
		}
	}
	if c == '-' {
		d, ok := s.next()
		if !ok {
			return s.failure()
		}
		c = d
	}
	switch {
	case c == '0':
	case c >= '1' && c <= '9':
		digits()
	default:
		return s.syntax("bad number")
	}
	if d, ok := peek(); ok && d == '.' {
		s.pos++
		if digits() == 0 {
			return s.syntax("bad number: no digits after the decimal point")
		}
	}
	if d, ok := peek(); ok && (d == 'e' || d == 'E') {
		s.pos++
		if d, ok := peek(); ok && (d == '+' || d == '-') {
			s.pos++
		}
		if digits() == 0 {
			return s.syntax("bad number: no digits in the exponent")
		}
	}
	return s.delimited()
}
