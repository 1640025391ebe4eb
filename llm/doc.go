// Package llm answers datachat's chat with a language model: the MCP host's
// model through MCP sampling, or an OpenAI-compatible chat-completions
// endpoint (OpenAI, Ollama, vLLM, LM Studio, ...).
//
// The model never runs anything itself. It sees the schema, column
// statistics and a few sample rows of the loaded tables and the
// conversation, and replies with a JSON plan: one read-only SQL query and
// optional chart specs. The engine runs the query in the catalog's sandbox,
// feeds DuckDB's error back for up to three repairs, then asks the model to
// phrase the answer from the result rows.
//
// Inside an MCP tool call, the host's model is asked through multi
// round-trip results (Rounds, WithRounds): Answer stops with
// ErrInputRequired at the first question Rounds has no reply to, and the
// tool replays it once the client answered.
//
// Whenever no model is available, or the model fails, the configured
// fallback engine (the embedded, deterministic one) answers and the reply
// says so; a request never fails only because no model is configured.
package llm
