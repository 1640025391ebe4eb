package llm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"datachat/chat"
	"datachat/datasets"
)

// Bounds of the loop.
const (
	maxRepairs      = 3    // repairs of a bad plan or failing SQL
	planTokens      = 1024 // max tokens of the JSON plan
	phraseTokens    = 700  // max tokens of the phrased answer
	queryRows       = 1000 // rows fetched for the answer and its charts
	tableRows       = 100  // rows kept in Answer.Table and Answer.Value
	textRows        = 20   // rows shown in the answer's text
	resultChars     = 4000 // result text shown to the model when phrasing
	echoChars       = 4000 // the model's own reply echoed back in a repair
	maxHistory      = 12   // messages of the conversation sent
	maxHistoryChars = 6000
	maxMessageChars = 2000
)

const planPrompt = `You answer questions about tabular data loaded in DuckDB by writing one SQL query.

Tables:
%s

Reply with one JSON object and nothing else, in this form:
{"sql": "<one DuckDB SELECT query>", "charts": [{"kind": "bar|grouped_bar|stacked_bar|histogram|line|scatter", "x": "<result column>", "y": "<result column>", "group": "<result column>", "title": "<title>"}], "note": "<assumptions you made, or empty>"}

Rules:
- The query must be a single read-only SELECT (WITH ... SELECT is fine) in DuckDB's dialect. Quote table and column names with double quotes exactly as listed above.
- Compute the answer in SQL: aggregate, filter and sort there, and give result columns clear names. LIMIT lists to at most 100 rows.
- Text values must match the listed values exactly (mind the case).
- Add charts only when the user asks for a chart or plot, or when a breakdown over categories or time is the answer; otherwise use "charts": []. Chart x, y and group must be columns of your query's result; leave y empty to count rows, leave kind empty to let the server choose.
- When the turn needs no data (a greeting, thanks, a question about this conversation or about what you can do), reply {"answer": "<your reply in markdown>"} instead.
- Never invent data; if the tables cannot answer the question, reply {"answer": "..."} saying what is missing.`

const phrasePrompt = `You are a careful data analyst. Answer the user's last question in plain language, in markdown, in one to four sentences, using only the query result you are given. Give the key numbers as they appear in the result (round long decimals sensibly). Do not show the SQL or repeat the whole table: both are shown below your answer. If the result is empty, say that nothing matched. If an assumption was noted, mention it briefly.`

// run answers with a model: plan, run the SQL (repairing it), phrase.
// It returns an error only before anything was written to out, or when
// writing fails.
func (e *Engine) run(ctx context.Context, m model, cat chat.Catalog, req chat.Request, tables []datasets.TableInfo, out *writer) (*chat.Answer, error) {
	history := trimHistory(req.Messages)
	if len(history) == 0 {
		return nil, errors.New("the conversation holds no question")
	}
	system := fmt.Sprintf(planPrompt, e.schemaText(ctx, cat, tables))
	msgs := slices.Clone(history)
	var lastErr error
	for attempt := 0; attempt <= maxRepairs; attempt++ {
		reply, err := e.complete(ctx, m, call{system: system, messages: msgs, maxTokens: planTokens})
		if err != nil {
			return nil, err
		}
		p, err := parsePlan(reply)
		if err != nil {
			e.log.Debug("unusable plan", "attempt", attempt, "error", err)
			lastErr = fmt.Errorf("its reply was not the JSON asked for after %d repairs: %w", maxRepairs, err)
			msgs = append(msgs,
				chat.Message{Role: "assistant", Content: oneLineKeep(reply, echoChars)},
				chat.Message{Role: "user", Content: fmt.Sprintf("That reply could not be used (%s). Reply with the JSON object only, as described: {\"sql\": ..., \"charts\": [...], \"note\": ...} or {\"answer\": ...}.", err)})
			continue
		}
		if p.SQL == "" {
			return e.conversational(p, m, out)
		}
		res, err := cat.Query(ctx, p.SQL, queryRows)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !datasets.UserError(err) {
				return nil, fmt.Errorf("run the model's SQL: %w", err)
			}
			e.log.Debug("model SQL failed", "attempt", attempt, "error", err)
			lastErr = fmt.Errorf("its SQL still failed after %d repairs: %s", maxRepairs, oneLine(err.Error(), 240))
			msgs = append(msgs,
				chat.Message{Role: "assistant", Content: oneLineKeep(reply, echoChars)},
				chat.Message{Role: "user", Content: "DuckDB rejected that SQL:\n" + oneLineKeep(err.Error(), 1500) + "\n\nFix the query and reply with the whole JSON object again, nothing else."})
			continue
		}
		return e.finish(ctx, m, history, p, res, out)
	}
	return nil, lastErr
}

// conversational writes an answer that needed no data.
func (e *Engine) conversational(p *plan, m model, out *writer) (*chat.Answer, error) {
	if err := out.write(p.Answer + "\n\n" + m.attribution() + "\n"); err != nil {
		return nil, err
	}
	return &chat.Answer{Text: out.String()}, nil
}

// finish phrases the answer from the result and assembles it.
func (e *Engine) finish(ctx context.Context, m model, history []chat.Message, p *plan, res *datasets.Result, out *writer) (*chat.Answer, error) {
	question := history[len(history)-1].Content
	var rb strings.Builder
	fmt.Fprintf(&rb, "Question: %s\n\nThe SQL that ran:\n%s\n\nIts result (%d rows", question, p.SQL, len(res.Rows))
	if res.Truncated {
		rb.WriteString(", cut off")
	}
	rb.WriteString("):\n")
	table := res.Markdown(30)
	if len(table) > resultChars {
		table = table[:resultChars] + "\n…(cut for length)\n"
	}
	rb.WriteString(table)
	if p.Note != "" {
		fmt.Fprintf(&rb, "\nAssumption noted while planning: %s\n", p.Note)
	}
	rb.WriteString("\nWrite the answer now.")
	msgs := append(slices.Clone(history[:len(history)-1]), chat.Message{Role: "user", Content: rb.String()})

	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	text, err := m.stream(cctx, call{system: phrasePrompt, messages: msgs, maxTokens: phraseTokens}, out.write)
	cancel()
	if err != nil {
		if errors.Is(err, errEmit) || errors.Is(err, ErrInputRequired) || ctx.Err() != nil {
			return nil, err
		}
		e.log.Warn("model could not phrase the answer", "error", err)
		if strings.TrimSpace(text) == "" {
			if werr := out.write(plainSentence(res)); werr != nil {
				return nil, werr
			}
		}
		if werr := out.write(fmt.Sprintf("\n\n_(The model could not phrase the answer: %s.)_", oneLine(err.Error(), 200))); werr != nil {
			return nil, werr
		}
	} else if strings.TrimSpace(text) == "" {
		if werr := out.write(plainSentence(res)); werr != nil {
			return nil, werr
		}
	}

	var tail strings.Builder
	tail.WriteString("\n\n```sql\n" + p.SQL + "\n```\n")
	if len(res.Rows) > 1 || len(res.Columns) > 1 {
		tail.WriteString("\n" + res.Markdown(textRows))
	}
	tail.WriteString("\n" + m.attribution() + "\n")
	if err := out.write(tail.String()); err != nil {
		return nil, err
	}
	small := *res
	if len(small.Rows) > tableRows {
		small.Rows = small.Rows[:tableRows]
		small.Truncated = true
	}
	small.RowCount = len(small.Rows)
	return &chat.Answer{
		Text:      out.String(),
		Value:     resultValue(res, tableRows),
		SQL:       p.SQL,
		Confident: true,
		Table:     &small,
		Charts:    buildCharts(p.Charts, res, p.SQL),
	}, nil
}

// complete asks the model for a whole reply within the per-call timeout.
func (e *Engine) complete(ctx context.Context, m model, c call) (string, error) {
	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	return m.complete(cctx, c)
}

// plainSentence states a result when the model could not phrase it.
func plainSentence(res *datasets.Result) string {
	switch {
	case len(res.Rows) == 0:
		return "The query returned no rows."
	case len(res.Rows) == 1 && len(res.Columns) == 1:
		return fmt.Sprintf("The answer is **%s**.", datasets.FormatValue(res.Rows[0][0]))
	case len(res.Rows) == 1:
		return "The query returned one row."
	}
	return fmt.Sprintf("The query returned %d rows.", len(res.Rows))
}

// trimHistory keeps the conversation up to its last question, newest
// messages first within the bounds, starting with a user message.
func trimHistory(msgs []chat.Message) []chat.Message {
	last := -1
	for i, m := range msgs {
		if m.Role == "user" && strings.TrimSpace(m.Content) != "" {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	var rev []chat.Message
	total := 0
	for i := last; i >= 0 && len(rev) < maxHistory; i-- {
		m := msgs[i]
		content := strings.TrimSpace(m.Content)
		if content == "" {
			continue
		}
		content = oneLineKeep(content, maxMessageChars)
		if total+len(content) > maxHistoryChars && len(rev) > 0 {
			break
		}
		total += len(content)
		role := "user"
		if m.Role == "assistant" {
			role = "assistant"
		}
		rev = append(rev, chat.Message{Role: role, Content: content})
	}
	for len(rev) > 0 && rev[len(rev)-1].Role != "user" {
		rev = rev[:len(rev)-1]
	}
	out := make([]chat.Message, len(rev))
	for i, m := range rev {
		out[len(rev)-1-i] = m
	}
	return out
}

// oneLineKeep cuts s to at most n bytes on a rune boundary, keeping lines.
func oneLineKeep(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
