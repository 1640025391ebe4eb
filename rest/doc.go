// Package rest serves datachat's ChatCSV-compatible REST API:
//
//	POST /api/v1/chat             answer a conversation about data files, streamed as SSE
//	GET  /api/v1/charts/{id}.png  a chart image linked from an answer
//
// The chat request body is ChatCSV's: {"model": "gpt-4o-mini", "messages":
// [{"role": "user"|"assistant", "content": "..."}], "files": ["https://..."]}.
// The last message must be the user's question; earlier messages are the
// conversation. Files are http(s) URLs of csv, json, xlsx, txt, html,
// xml, parquet, dta, sas or sav files; they are loaded in order into a
// catalog of their own that lives only as long as the request, so
// concurrent requests never see each other's data.
//
// # The response stream
//
// ChatCSV documents its response as "data-only server-sent events as they
// become available" and documents no end-of-stream marker, so this package
// sends none: the answer is a series of events whose data, concatenated,
// is the markdown answer, and the stream ends when the server closes the
// response after the last event. A chunk that spans several lines is sent
// as several "data:" lines of one event, so an SSE client that joins the
// data lines of an event with "\n" (as the SSE specification says) gets the
// chunk back exactly. With a chat.StreamingEngine each piece the engine
// produces is one event; otherwise the finished answer is sent one
// paragraph per event. Each event is flushed as soon as it is written, so
// curl --no-buffer prints the answer as it comes.
//
// Charts of the answer follow the text: each is rendered to PNG, kept in
// memory for Config.ChartTTL under an unguessable id, and linked as
// "![finding](<base>/api/v1/charts/<id>.png)" followed by the finding.
// Chart GETs sit behind the same Bearer auth as the chat endpoint, so a
// client must send the token when it fetches an image.
//
// # No early event; errors and statuses
//
// The files are loaded before the first byte of the response is written.
// That costs time to first byte on a large file, but it lets a failed load
// answer with a fitting status and a JSON body {"error": "..."} instead of
// a 200 stream that ends in an error, and it keeps the stream pure answer
// text, as ChatCSV's is (a "loading..." event would become part of the
// answer that clients show). The statuses are:
//
//	400  bad JSON, no messages, a role other than user/assistant, the last
//	     message not a user question, files not a list of URL strings
//	403  a refused URL: not http(s), or a private/loopback address
//	413  the request body or a file is too large
//	415  a file format datachat cannot read
//	422  a file that cannot be parsed as its format, or a question the
//	     engine rejects
//	500  a fault of the server
//	502  a file that could not be fetched (error status, unreachable host,
//	     timeout)
//
// The headers (200, text/event-stream) are written with the first event,
// so an engine that fails before producing any text still gets a JSON
// error with a status. Once streaming has begun, a failure is reported as a
// final data event starting "**Error:**", and the stream ends. When the
// client goes away the request context is cancelled, which stops the
// engine and any file download.
package rest
