package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The worksheet XML is read with a small pull lexer rather than
// encoding/xml: a worksheet is millions of tiny elements, encoding/xml
// allocates for every token and has no bound on a token's size, and only a
// handful of SpreadsheetML elements matter. The lexer handles what a
// well-formed document may contain (namespace prefixes, both quote styles,
// entity and character references, CDATA, comments, processing
// instructions) and refuses a DOCTYPE. Tokens refer to its buffer and are
// valid until the next call.

type tokKind uint8

const (
	tokStart tokKind = iota + 1
	tokEnd
	tokText
)

var errTokenTooLong = errors.New("XML token too long")

type lexer struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	maxTok   int // longest token (text or tag) accepted
	readErr  error

	kind        tokKind
	name        []byte // local name (prefix removed) of a start or end tag
	attrs       []byte // raw attributes of a start tag
	text        []byte // decoded text of a text token
	selfClose   bool
	pendEnd     bool // a self-closing tag's end is due
	scratch     []byte
	attrBuf     []byte
	attrList    []rawAttr
	attrsParsed bool
	offset      int64 // bytes consumed before buf[0]
}

func newLexer(r io.Reader, maxTok int) *lexer {
	return &lexer{r: r, buf: make([]byte, min(64<<10, maxTok+1024)), maxTok: maxTok}
}

// fill reads more input, keeping buf[pos:end]. It returns false at the end
// of input.
func (l *lexer) fill() (bool, error) {
	if l.eof {
		return false, l.readErr
	}
	if l.pos > 0 {
		n := copy(l.buf, l.buf[l.pos:l.end])
		l.offset += int64(l.pos)
		l.pos, l.end = 0, n
	}
	if l.end == len(l.buf) {
		if len(l.buf) >= l.maxTok+1024 {
			return false, errTokenTooLong
		}
		nb := make([]byte, min(2*len(l.buf), l.maxTok+1024))
		copy(nb, l.buf[:l.end])
		l.buf = nb
	}
	for {
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		if err != nil {
			l.eof = true
			if !errors.Is(err, io.EOF) {
				l.readErr = err
				return n > 0, err
			}
			return n > 0, nil
		}
		if n > 0 {
			return true, nil
		}
	}
}

// find returns the index (relative to pos) of sep at or after from,
// reading more input as needed; -1 at the end of input.
func (l *lexer) find(sep []byte, from int) (int, error) {
	for {
		if i := bytes.Index(l.buf[l.pos+from:l.end], sep); i >= 0 {
			return from + i, nil
		}
		from = max(0, l.end-l.pos-len(sep)+1)
		more, err := l.fill()
		if err != nil {
			return -1, err
		}
		if !more {
			return -1, nil
		}
	}
}

// tagEnd returns the index (relative to pos) of the '>' that ends the tag
// starting at pos, skipping quoted attribute values.
func (l *lexer) tagEnd() (int, error) {
	i, quote := 1, byte(0)
	for {
		for ; l.pos+i < l.end; i++ {
			c := l.buf[l.pos+i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return i, nil
			}
		}
		more, err := l.fill()
		if err != nil {
			return -1, err
		}
		if !more {
			return -1, nil
		}
	}
}

func (l *lexer) syntax(msg string) error {
	return fmt.Errorf("XML syntax error near byte %d: %s", l.offset+int64(l.pos), msg)
}

// next reads the next token; it returns io.EOF at the end of input.
func (l *lexer) next() error {
	if l.pendEnd {
		l.pendEnd = false
		l.kind, l.selfClose = tokEnd, false
		return nil
	}
	for {
		if l.pos >= l.end {
			more, err := l.fill()
			if err != nil {
				return err
			}
			if !more {
				return io.EOF
			}
		}
		if l.buf[l.pos] != '<' {
			return l.readText()
		}
		// Make sure the first bytes of the markup are here.
		for l.end-l.pos < 9 && !l.eof {
			if _, err := l.fill(); err != nil {
				return err
			}
		}
		rest := l.buf[l.pos:l.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			i, err := l.find([]byte("?>"), 2)
			if err != nil || i < 0 {
				return l.orSyntax(err, "unterminated processing instruction")
			}
			l.pos += i + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			i, err := l.find([]byte("-->"), 4)
			if err != nil || i < 0 {
				return l.orSyntax(err, "unterminated comment")
			}
			l.pos += i + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i, err := l.find([]byte("]]>"), 9)
			if err != nil || i < 0 {
				return l.orSyntax(err, "unterminated CDATA section")
			}
			l.kind = tokText
			l.text = normNewlines(l.buf[l.pos+9:l.pos+i], &l.scratch)
			l.pos += i + 3
			return nil
		case bytes.HasPrefix(rest, []byte("<!")):
			return l.syntax("DOCTYPE and other declarations are not allowed")
		default:
			return l.readTag()
		}
	}
}

func (l *lexer) orSyntax(err error, msg string) error {
	if err != nil {
		return err
	}
	return l.syntax(msg)
}

// readText reads character data up to the next '<'.
func (l *lexer) readText() error {
	i, err := l.find([]byte("<"), 0)
	if err != nil {
		return err
	}
	if i < 0 {
		i = l.end - l.pos
	}
	raw := l.buf[l.pos : l.pos+i]
	l.pos += i
	l.kind = tokText
	l.text, err = decodeEntities(raw, &l.scratch)
	if err != nil {
		return l.syntax(err.Error())
	}
	return nil
}

// readTag reads a start or end tag.
func (l *lexer) readTag() error {
	i, err := l.tagEnd()
	if err != nil || i < 0 {
		return l.orSyntax(err, "unterminated tag")
	}
	tag := l.buf[l.pos+1 : l.pos+i] // between '<' and '>'
	l.pos += i + 1
	end := false
	if len(tag) > 0 && tag[0] == '/' {
		end, tag = true, tag[1:]
	}
	self := false
	if !end && len(tag) > 0 && tag[len(tag)-1] == '/' {
		self, tag = true, tag[:len(tag)-1]
	}
	n := 0
	for n < len(tag) && !isSpace(tag[n]) {
		n++
	}
	name := tag[:n]
	if len(name) == 0 {
		return l.syntax("tag without a name")
	}
	if c := bytes.IndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	l.name, l.attrs, l.selfClose = name, tag[n:], self
	l.attrsParsed = false
	if end {
		l.kind = tokEnd
	} else {
		l.kind = tokStart
		l.pendEnd = self
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

type rawAttr struct{ name, val []byte }

// parseAttrs splits the current start tag's attributes once.
func (l *lexer) parseAttrs() {
	l.attrList = l.attrList[:0]
	l.attrsParsed = true
	a := l.attrs
	for {
		i := 0
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		a = a[i:]
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return
		}
		name := a[:eq]
		for len(name) > 0 && isSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		if c := bytes.IndexByte(name, ':'); c >= 0 {
			name = name[c+1:]
		}
		a = a[eq+1:]
		for len(a) > 0 && isSpace(a[0]) {
			a = a[1:]
		}
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return
		}
		q := a[0]
		e := bytes.IndexByte(a[1:], q)
		if e < 0 {
			return
		}
		l.attrList = append(l.attrList, rawAttr{name, a[1 : 1+e]})
		a = a[2+e:]
	}
}

// attr returns the decoded value of the current start tag's attribute whose
// local name is local, or nil. The result is valid until the next call.
func (l *lexer) attr(local string) []byte {
	if !l.attrsParsed {
		l.parseAttrs()
	}
	for _, at := range l.attrList {
		if string(at.name) == local {
			if bytes.IndexByte(at.val, '&') < 0 && bytes.IndexByte(at.val, '\r') < 0 {
				return at.val
			}
			v, err := decodeEntities(at.val, &l.attrBuf)
			if err != nil {
				return nil
			}
			return v
		}
	}
	return nil
}

// decodeEntities resolves entity and character references (and normalises
// line ends) in raw, using *scratch when it must copy.
func decodeEntities(raw []byte, scratch *[]byte) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 {
		return normNewlines(raw, scratch), nil
	}
	// Line ends are normalised before references are resolved, so that
	// &#13; stays a carriage return.
	var tmp []byte
	raw = normNewlines(raw, &tmp)
	out := (*scratch)[:0]
	for len(raw) > 0 {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			out = append(out, raw...)
			break
		}
		out = append(out, raw[:amp]...)
		raw = raw[amp:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 12 {
			return nil, errors.New("bad entity reference")
		}
		ent := raw[1:semi]
		raw = raw[semi+1:]
		switch string(ent) {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return nil, fmt.Errorf("unknown entity &%s;", ent)
			}
			var n uint64
			var err error
			if ent[1] == 'x' {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				return nil, fmt.Errorf("bad character reference &%s;", ent)
			}
			out = utf8.AppendRune(out, rune(n))
		}
	}
	*scratch = out
	return out, nil
}

// normNewlines turns "\r\n" and lone "\r" into "\n", as XML parsers must.
func normNewlines(b []byte, scratch *[]byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	*scratch = out
	return out
}
