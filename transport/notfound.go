package transport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
)

// A read of a resource that does not exist is answered with -32002 before
// protocol 2026-07-28 and with -32602 (HTTP 400) from it on. mcp-go lets a
// resource handler return only an error, which it always reports as -32603,
// so the resource handlers start such an error's message with
// NotFoundPrefix, and the transports give those responses the right code.

// NotFoundPrefix starts the message of a resource-not-found error.
const NotFoundPrefix = "resource not found: "

var (
	internalNotFound = []byte(`"error":{"code":` + strconv.Itoa(mcp.INTERNAL_ERROR) + `,"message":"` + NotFoundPrefix)
	legacyNotFound   = []byte(`"error":{"code":` + strconv.Itoa(mcp.RESOURCE_NOT_FOUND) + `,"message":"` + NotFoundPrefix)
	modernNotFound   = []byte(`"error":{"code":` + strconv.Itoa(mcp.INVALID_PARAMS) + `,"message":"` + NotFoundPrefix)
)

// rewriteNotFound gives a resource-not-found error response its code and
// reports whether it did. The codes have the same length, so the message
// keeps its size. The pattern cannot occur inside a JSON string, whose
// quotes are escaped.
func rewriteNotFound(msg []byte, modern bool) ([]byte, bool) {
	i := bytes.Index(msg, internalNotFound)
	if i < 0 {
		return msg, false
	}
	code := legacyNotFound
	if modern {
		code = modernNotFound
	}
	out := bytes.Clone(msg)
	copy(out[i:], code)
	return out, true
}

// stdioEras remembers which stdio requests are of protocol 2026-07-28, so
// that their responses get that protocol's code.
type stdioEras struct {
	mu     sync.Mutex
	modern map[string]bool // request id → modern
}

// watch returns in, read through a scanner that notes the resources/read
// requests of protocol 2026-07-28.
func (e *stdioEras) watch(in io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		r := bufio.NewReaderSize(in, 64<<10)
		for {
			line, err := r.ReadBytes('\n')
			if len(line) > 0 {
				e.note(line)
				if _, werr := pw.Write(line); werr != nil {
					return
				}
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
	}()
	return pr
}

func (e *stdioEras) note(line []byte) {
	if !bytes.Contains(line, []byte(`"resources/read"`)) {
		return
	}
	var m struct {
		ID     json.RawMessage `json:"id"`
		Params struct {
			Meta *mcp.Meta `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(line, &m) != nil || len(m.ID) == 0 || !mcp.IsModernProtocol(m.Params.Meta.ProtocolVersion()) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.modern == nil {
		e.modern = map[string]bool{}
	}
	e.modern[string(m.ID)] = true
}

// answered forgets a request when its response is written and reports
// whether it was a modern one.
func (e *stdioEras) answered(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, responsePrefix)
	if !ok {
		return false
	}
	end := bytes.IndexAny(rest, ",}")
	if end < 0 {
		return false
	}
	id := string(rest[:end])
	e.mu.Lock()
	defer e.mu.Unlock()
	modern := e.modern[id]
	delete(e.modern, id)
	return modern
}

// responsePrefix starts every response mcp-go writes.
var responsePrefix = []byte(`{"jsonrpc":"2.0","id":`)
