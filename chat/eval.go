package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Summary counts what an evaluation run did.
type Summary struct {
	// Questions is the number of questions read.
	Questions int `json:"questions"`
	// Answered is the number the engine answered (did not abstain on).
	Answered int `json:"answered"`
	// Failed is the number whose data file could not be loaded or whose
	// answer failed with an error; they count as abstentions.
	Failed int `json:"failed"`
}

// evalQuestion is one line of a questions file.
type evalQuestion struct {
	ID       string `json:"id"`
	File     string `json:"file"`
	Question string `json:"question"`
}

// maxQuestionLine bounds one line of a questions file.
const maxQuestionLine = 1 << 20

// Eval answers every question of a questions.jsonl file and writes one
// {"id","answer"} line per question to out, with the typed answer or null
// when the engine abstained. Each data file (relative to the questions
// file) is opened once with open; its close function runs when the run
// ends.
func Eval(ctx context.Context, questionsPath string, out io.Writer, eng Engine, open func(ctx context.Context, file string) (Catalog, func(), error)) (Summary, error) {
	var sum Summary
	f, err := os.Open(questionsPath)
	if err != nil {
		return sum, fmt.Errorf("open questions: %w", err)
	}
	defer f.Close()
	base := filepath.Dir(questionsPath)
	type opened struct {
		cat Catalog
		err error
	}
	cache := map[string]opened{}
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	enc := json.NewEncoder(out)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), maxQuestionLine)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return sum, fmt.Errorf("questions line %d: %w", line, err)
		}
		if q.ID == "" || q.File == "" {
			return sum, fmt.Errorf("questions line %d: missing id or file", line)
		}
		sum.Questions++
		path := q.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(base, path)
		}
		o, ok := cache[path]
		if !ok {
			cat, closeFn, err := open(ctx, path)
			o = opened{cat: cat, err: err}
			cache[path] = o
			if err == nil && closeFn != nil {
				closers = append(closers, closeFn)
			}
		}
		var value any
		if o.err == nil {
			a, err := eng.Answer(ctx, o.cat, Request{Messages: []Message{{Role: "user", Content: q.Question}}})
			switch {
			case err != nil && ctx.Err() != nil:
				return sum, ctx.Err()
			case err != nil:
				sum.Failed++
			case a.Confident && a.Value != nil:
				value = a.Value
				sum.Answered++
			}
		} else {
			sum.Failed++
		}
		if err := enc.Encode(struct {
			ID     string `json:"id"`
			Answer any    `json:"answer"`
		}{q.ID, value}); err != nil {
			return sum, fmt.Errorf("write answer %s: %w", q.ID, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return sum, fmt.Errorf("questions line %d: longer than %d bytes", line+1, maxQuestionLine)
		}
		return sum, fmt.Errorf("read questions: %w", err)
	}
	return sum, nil
}
