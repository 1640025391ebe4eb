// Package chat turns a conversation about loaded tables into SQL, runs it
// through a session's sandboxed catalog and phrases the answer.
//
// The embedded engine (NewEmbedded) needs no model, key or network. It
// profiles each table once (column kinds, distinct and null counts, the
// values of text columns with few of them), then plans each question with
// rules: it matches words to columns (names split at camelCase, snake_case
// and spaces, variable labels, light stemming, a small synonym lexicon,
// acronyms) and to values found in the data, reads filters (values,
// numeric and date comparisons, null checks, contains/starts with), and
// picks one kind of question:
//
//   - size and shape: rows, columns, column list, what a column means;
//   - aggregates: count, sum, mean, median, min, max, range, standard
//     deviation, distinct counts, shares and percentages;
//   - breakdowns ("by X", "per X", "for each X", by year or month) and
//     rankings ("which X has the highest Y", "top N", most common values,
//     "the second highest");
//   - row lookups ("the name of the oldest passenger", "the population of
//     France"), answering "which country", "who" and "the 3 countries
//     with ..." with the one column that names the rows, "who directed"
//     with the director column, "named Smith" by searching that column, and
//     month numbers with month names when asked for a name;
//   - yes/no: any, all, "is it true that", comparisons of an aggregate
//     or a distinct count with a number, of two groups (also the yes and
//     no rows of one column), checks on the top row ("is the fare of the
//     oldest passenger above 30") or the mode, negative and positive
//     values, one column compared with another on each row;
//   - correlation and missing values;
//   - conversation: greetings, help, follow-ups that adjust the previous
//     question, questions about the conversation, and chart overviews.
//
// The plan (intent, table, columns, filters, aggregation) is a value of
// its own, tested apart from SQL and phrasing. Every word of a question
// must be accounted for, every column mention must get a role, and ties,
// empty results and several possible values are caught after the query
// runs; otherwise the engine abstains with suggestions, because a wrong
// answer stated with confidence is worse than none. Other backends (LLM
// sampling, OpenAI) implement the same Engine interface.
//
// Eval runs an evaluation questions file through an engine, each question
// under its own timeout, and scores the answers against gold answers with
// Match, the evaluation sets' rules.
package chat
