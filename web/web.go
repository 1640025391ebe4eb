// Package web holds datachat's front end: one self-contained HTML file
// (dist/index.html, built from src/ by build.mjs with esbuild and committed,
// so that go build needs no Node) that is both the chat page served at / and
// the MCP App view (resource ui://datachat/view) that MCP hosts render next
// to tool results. The document's data-mode attribute selects which.
package web

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"sync"
)

//go:embed dist/index.html
var page []byte

// modeAttr is how the built document names its mode; View rewrites it.
const modeAttr = `data-mode="page"`

// Page returns the chat page's HTML. Callers must not modify it.
func Page() []byte { return page }

var view = sync.OnceValue(func() string {
	return string(bytes.Replace(page, []byte(modeAttr), []byte(`data-mode="view"`), 1))
})

// View returns the same document in MCP App view mode.
func View() string { return view() }

// ScriptHashes returns the CSP source expressions ('sha256-...') of the
// document's inline scripts, so that a Content-Security-Policy can allow
// exactly them and no other script.
var ScriptHashes = sync.OnceValue(func() []string {
	var out []string
	rest := page
	for {
		i := bytes.Index(rest, []byte("<script>"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("<script>"):]
		j := bytes.Index(rest, []byte("</script>"))
		if j < 0 {
			panic(fmt.Sprintf("web: unterminated <script> in dist/index.html"))
		}
		sum := sha256.Sum256(rest[:j])
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		rest = rest[j:]
	}
})
