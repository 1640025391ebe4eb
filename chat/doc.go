// Package chat turns a conversation about loaded tables into SQL, runs it
// through a session's sandboxed catalog and phrases the answer.
//
// The embedded engine needs no model, key or network: it parses the question
// with a small rule-based planner (intent, table, columns, filters,
// aggregation), looks named values up in the data with SQL, and abstains
// with suggestions whenever it is not sure, because a wrong answer stated
// with confidence is worse than none. Other backends (LLM sampling, OpenAI)
// implement the same Engine interface.
package chat
