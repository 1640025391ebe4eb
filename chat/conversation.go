package chat

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"datachat/datasets"
)

var (
	greetingRe = regexp.MustCompile(`(?i)^\s*(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening|day)|yo)\b[\s!,.]*(there|again|all|everyone)?[\s!,.]*$`)
	thanksRe   = regexp.MustCompile(`(?i)^\s*(thanks|thank you|thx|cheers|great|ok thanks|perfect)\b[\s\w!,.]{0,20}$`)
	helpRe     = regexp.MustCompile(`(?i)^\s*(help|\?|what can you do|what (else )?can i ask|what are you|who are you|what is this|how does this work|how do i use (this|you)|what do you do|how can you help( me)?|what kind of questions)\b.*$`)
	answerRe   = regexp.MustCompile(`(?i)\b(what was|repeat|what did you (say|answer))\b.*\b(your|you)\b.*\b(last|previous)?\s*(answer|reply|say|said)\b|\byour\s+(last|previous)\s+(answer|reply)\b`)
	historyRe  = regexp.MustCompile(`(?i)\b(what|which)\s+(did|was|were|question did)\s+(i|my)\b.*\b(ask|asked|question|say|said|first|last|previous|earlier|before)\b|\b(repeat|quote)\s+my\b.*\bquestion\b|\bmy\s+(first|last|previous|earlier)\s+(question|message)\b|\bwhat\s+(q|question|questions)\s+(did\s+)?i\s+ask(ed)?\b`)
	clauseRe   = regexp.MustCompile(`(?i)[.;!?]+\s+|,?\s+but\s+|,?\s+and then\s+|,?\s+then\s+`)
	followRe   = regexp.MustCompile(`(?i)^\s*(and\s+(what|how)\s+about|what\s+about|how\s+about|and\s+for|and\s+in|and\s+among|and\s+with|and\s+the|and\s+by|and|same\s+for|now\s+for|what\s+if|then\s+for|also\s+for)\b\s*`)
)

// conversational answers greetings, thanks, questions about the engine and
// questions about the conversation itself. It returns nil for questions
// about the data. A greeting's Text is left empty for the caller to fill
// with an introduction of the loaded data.
func conversational(question string, history []Message) *Answer {
	q := strings.TrimSpace(question)
	switch {
	case greetingRe.MatchString(q):
		return &Answer{Confident: true}
	case thanksRe.MatchString(q):
		return &Answer{Text: "You're welcome. Ask me anything else about the data.", Confident: true}
	case helpRe.MatchString(q):
		return &Answer{Confident: true}
	case answerRe.MatchString(q):
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].Role == "assistant" {
				return &Answer{Text: "My last answer was:\n\n" + history[i].Content, Value: history[i].Content, Confident: true}
			}
		}
		return &Answer{Text: "I have not answered anything yet in this conversation.", Confident: true}
	case historyRe.MatchString(q):
		var asked []string
		for _, m := range history {
			if m.Role == "user" {
				asked = append(asked, m.Content)
			}
		}
		if len(asked) == 0 {
			return &Answer{Text: "This is your first question in this conversation.", Confident: true}
		}
		lower := strings.ToLower(q)
		pick := asked[len(asked)-1]
		which := "last"
		if strings.Contains(lower, "first") {
			pick, which = asked[0], "first"
		}
		return &Answer{Text: fmt.Sprintf("Your %s question was: %q", which, pick), Value: pick, Confident: true}
	}
	return nil
}

// introduction says what the engine is and what it can do with the data.
func (e *Embedded) introduction(ctx context.Context, cat Catalog, req Request, greet bool) string {
	var b strings.Builder
	if greet {
		b.WriteString("Hello! ")
	}
	b.WriteString("I answer questions about the loaded data by writing SQL, running it and showing you the query. " +
		"I work without a language model, so I stick to questions I can answer reliably: counts, sums, averages, medians, " +
		"minimum and maximum, shares, breakdowns by a column, rankings, filters, yes/no checks, correlations and missing values.")
	tables, err := tablesFor(ctx, cat, req)
	if err != nil || len(tables) == 0 {
		b.WriteString("\n\nNo data is loaded yet; load a file to begin.")
		return b.String()
	}
	var names []string
	for _, t := range tables {
		names = append(names, fmt.Sprintf("%s (%d %s, %d %s)", code(t.Name), t.Rows, plural(t.Rows, "row", "rows"),
			len(t.Columns), plural(int64(len(t.Columns)), "column", "columns")))
	}
	b.WriteString("\n\nLoaded: " + strings.Join(names, ", ") + ".\n\nYou could ask:\n")
	for _, s := range Suggestions(tables) {
		b.WriteString("- " + s + "\n")
	}
	return b.String()
}

// abstainAnswer explains why the engine will not answer and suggests
// questions it can answer.
func (e *Embedded) abstainAnswer(ctx context.Context, cat Catalog, req Request, reason string) *Answer {
	var b strings.Builder
	b.WriteString("I can't answer that reliably from this data")
	if reason != "" {
		b.WriteString(": " + reason)
	}
	b.WriteString(".")
	if tables, err := tablesFor(ctx, cat, req); err == nil && len(tables) > 0 {
		b.WriteString("\n\nQuestions I can answer look like these:\n")
		for _, s := range Suggestions(tables) {
			b.WriteString("- " + s + "\n")
		}
	}
	return &Answer{Text: b.String()}
}

// anaphoraRe finds words that point back at the rows of the previous
// question: "of them", "among those", "of these", "those".
var anaphoraRe = regexp.MustCompile(`(?i)\b(?:(?:of|among|amongst|from|for|in)\s+(?:them|those|these|this group|that group)|(?:those|these|they)(?:\s+(?:rows|ones|people))?)\b`)

// anaphora reports whether a question refers back to the previous
// question's rows and returns it without the pointing words.
func anaphora(q string) (string, bool) {
	if !anaphoraRe.MatchString(q) {
		return "", false
	}
	rest := strings.Join(strings.Fields(anaphoraRe.ReplaceAllString(q, " ")), " ")
	return rest, strings.TrimRight(rest, "?!. ") != ""
}

// inheritFilters keeps the previous question's filters under the new
// ones; a new filter on the same column replaces the old.
func inheritFilters(prev, cur []filter) []filter {
	var out []filter
	for _, f := range prev {
		replaced := false
		for _, g := range cur {
			if g.Col == f.Col {
				replaced = true
			}
		}
		if !replaced {
			out = append(out, f)
		}
	}
	return append(out, cur...)
}

// followUp reports whether a question only adjusts the previous one ("and
// for women?", "what about 2nd class?") and returns the rest of it.
func followUp(q string) (string, bool) {
	loc := followRe.FindStringIndex(q)
	if loc == nil {
		return "", false
	}
	rest := strings.TrimSpace(q[loc[1]:])
	lead := strings.ToLower(strings.TrimSpace(q[:loc[1]]))
	if strings.HasSuffix(lead, "the") || strings.HasSuffix(lead, "by") {
		rest = lead[strings.LastIndex(lead, " ")+1:] + " " + rest
	}
	rest = strings.TrimRight(rest, "?!. ")
	return rest, rest != ""
}

// mergeFollowUp applies the filters, aggregation, column or grouping of a
// follow-up to the previous plan.
func mergeFollowUp(ctx context.Context, prev *plan, rest string) *plan {
	s := prev.schema
	st := &qstate{question: newQuestion(ctx, s, tokenize(rest)), dangling: -1}
	st.consumed = make([]bool, len(st.ms))
	st.valueFilters()
	st.numericFilters()
	st.nullFilters()
	st.equalityNumbers()
	p := *prev
	p.Filters = append([]filter(nil), prev.Filters...)
	if agg, pos := st.aggregateWord(); agg != "" && (p.Intent == intentAggregate || p.Intent == intentGroup) {
		st.use(pos, pos+1)
		p.Agg = agg
		if mi, m := st.mentionAfter(pos, 2); m != nil && m.kind == mColumn && m.col.kind == kindNumber {
			p.Target = m.col.Name
			st.consume(mi)
		}
	}
	if gc, fn, ok := st.groupBy(); ok {
		if p.Intent != intentAggregate && p.Intent != intentShare && p.Intent != intentGroup {
			return abstain("I can only break down counts, shares and aggregates")
		}
		if p.Intent == intentShare {
			p.Agg = "share"
		}
		p.Intent, p.GroupBy, p.GroupFunc, p.Single = intentGroup, gc.Name, fn, false
	}
	st.binaryFilters()
	if p.Intent == intentAggregate && p.Agg != aggCount {
		for _, mi := range st.freeColumns() {
			if c := st.ms[mi].col; c.kind == kindNumber {
				p.Target = c.Name
				st.consume(mi)
			}
		}
	}
	for _, f := range st.filters {
		replaced := false
		for i, g := range p.Filters {
			if g.Col == f.Col {
				p.Filters[i] = f
				replaced = true
			}
		}
		if !replaced {
			p.Filters = append(p.Filters, f)
		}
	}
	if st.problem != "" {
		return abstain("%s", st.problem)
	}
	if w := st.unexplained(); len(w) > 0 {
		return abstain("I don't know what %q means for this data", strings.Join(w, " "))
	}
	if free := st.freeColumns(); len(free) > 0 {
		return abstain("I am not sure what to do with %s", quoteIdent(st.ms[free[0]].col.Name))
	}
	return &p
}

// Suggestions returns three to five example questions a user could ask of
// the tables, built from their columns.
func Suggestions(tables []datasets.TableInfo) []string {
	var out []string
	add := func(s string) {
		if len(out) < 5 {
			out = append(out, s)
		}
	}
	if len(tables) == 0 {
		return []string{"Load a CSV, Parquet or Excel file, then ask how many rows it has."}
	}
	t := tables[0]
	add(fmt.Sprintf("How many rows are in %s?", t.Name))
	var num, text, date []string
	for _, c := range t.Columns {
		k, _ := kindOf(c.Type)
		name := c.Name
		if c.Label != "" && len(c.Label) <= 40 {
			name = strings.ToLower(c.Label) // people ask with labels, not codes
		}
		switch k {
		case kindNumber:
			if !idLike(c.Name) {
				num = append(num, name)
			}
		case kindText:
			text = append(text, name)
		case kindDate:
			date = append(date, name)
		}
	}
	if len(num) > 0 {
		add(fmt.Sprintf("What is the average %s?", num[0]))
	}
	if len(text) > 0 {
		add(fmt.Sprintf("How many distinct values does %s have?", pickText(text)))
	}
	if len(num) > 0 && len(text) > 0 {
		add(fmt.Sprintf("What is the average %s by %s?", num[len(num)-1], pickText(text)))
	}
	if len(num) > 1 {
		add(fmt.Sprintf("What is the correlation between %s and %s?", num[0], num[1]))
	} else if len(date) > 0 {
		add(fmt.Sprintf("What is the earliest %s?", date[0]))
	}
	if len(out) < 5 {
		add("Which columns have missing values?")
	}
	if len(out) < 3 {
		add("What columns are there?")
	}
	return out
}

func idLike(name string) bool {
	ws := splitName(name)
	return len(ws) > 0 && (ws[len(ws)-1] == "id" || ws[len(ws)-1] == "key" || ws[len(ws)-1] == "index")
}

// pickText prefers a text column that looks like a grouping over names,
// titles and free text.
func pickText(cols []string) string {
	for _, c := range cols {
		free := false
		for _, w := range splitName(c) {
			switch w {
			case "name", "title", "id", "description", "comment", "comments", "text", "address", "email", "url", "ticket", "notes", "note":
				free = true
			}
		}
		if !free {
			return c
		}
	}
	return cols[0]
}

// splitCompound splits "show me some charts. but start with what I asked
// first" into its conversational clause and the rest, when exactly one
// clause is about the conversation itself.
func splitCompound(q string, history []Message) (convo *Answer, rest string, ok bool) {
	clauses := clauseRe.Split(strings.TrimSpace(q), -1)
	if len(clauses) < 2 {
		return nil, "", false
	}
	var others []string
	for _, c := range clauses {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if convo == nil && (historyRe.MatchString(c) || answerRe.MatchString(c)) {
			convo = conversational(c, history)
			continue
		}
		others = append(others, c)
	}
	if convo == nil || len(others) == 0 {
		return nil, "", false
	}
	return convo, strings.Join(others, ". "), true
}
