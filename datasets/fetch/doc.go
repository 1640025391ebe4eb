// Package fetch turns a source a client names (a local path, a file:// URL, or
// an http(s) URL) into a local file the engine can read, behind guards:
//
//   - Local paths are resolved (relative to the working directory, symlinks
//     followed, ~ not expanded) and must lie under one of the allowed
//     directories, compared by path components.
//   - URLs must be http or https. Every connection, including each redirect
//     hop, is checked when it is dialled: loopback, private, link-local,
//     CGNAT, multicast, unspecified and similar addresses are refused unless
//     private addresses are allowed, so DNS rebinding cannot get around it.
//   - Downloads are capped in size and time and kept in a cache directory
//     under names that are hashes of the URL. A URL fetched before is
//     revalidated with If-None-Match / If-Modified-Since rather than
//     downloaded again.
//
// Errors are *Error values whose messages start with what was attempted and
// the source as given ("fetch <url>: ..." or "open <path>: ..."), say what to
// do, and match the sentinels in errors.go with errors.Is.
package fetch
