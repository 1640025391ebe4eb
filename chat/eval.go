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
	"sort"
	"time"
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
	// TimedOut is the number that ran out of their time (written as null,
	// counted as abstentions).
	TimedOut int `json:"timed_out"`
	// Score scores the questions that carry a gold answer, overall; it is
	// nil when none does.
	Score *Score `json:"score,omitempty"`
	// ByType scores them per answer type.
	ByType map[string]*Score `json:"by_type,omitempty"`
}

// Score counts right answers among questions with a gold answer.
type Score struct {
	Total    int `json:"total"`
	Answered int `json:"answered"`
	Correct  int `json:"correct"`
}

// Accuracy is Correct/Total.
func (s *Score) Accuracy() float64 { return ratio(s.Correct, s.Total) }

// Coverage is Answered/Total.
func (s *Score) Coverage() float64 { return ratio(s.Answered, s.Total) }

// Precision is Correct/Answered.
func (s *Score) Precision() float64 { return ratio(s.Correct, s.Answered) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s *Score) add(answered, correct bool) {
	s.Total++
	if answered {
		s.Answered++
	}
	if correct {
		s.Correct++
	}
}

// WriteScore prints a summary's score as a table: overall, then per answer
// type, then the number of questions that timed out.
func (sum Summary) WriteScore(w io.Writer) error {
	if sum.Score == nil {
		_, err := fmt.Fprintf(w, "eval: %d questions, %d answered, %d failed, %d timed out (no gold answers to score)\n", sum.Questions, sum.Answered, sum.Failed, sum.TimedOut)
		return err
	}
	line := func(name string, s *Score) string {
		return fmt.Sprintf("%-16s%6d%9d%9d%10.3f%10.3f%11.3f\n", name, s.Total, s.Answered, s.Correct, s.Accuracy(), s.Coverage(), s.Precision())
	}
	text := fmt.Sprintf("%-16s%6s%9s%9s%10s%10s%11s\n", "type", "total", "answered", "correct", "accuracy", "coverage", "precision")
	text += line("ALL", sum.Score)
	var types []string
	for t := range sum.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		text += line(t, sum.ByType[t])
	}
	text += fmt.Sprintf("timed out: %d, failed: %d\n", sum.TimedOut, sum.Failed)
	_, err := io.WriteString(w, text)
	return err
}

// DefaultQuestionTimeout is how long Eval lets one question take.
const DefaultQuestionTimeout = 10 * time.Second

// EvalOption configures Eval.
type EvalOption func(*evalConfig)

type evalConfig struct{ timeout time.Duration }

// WithQuestionTimeout sets how long one question may take (default
// DefaultQuestionTimeout); a question that runs out is written as null and
// counted in Summary.TimedOut, and the run goes on.
func WithQuestionTimeout(d time.Duration) EvalOption {
	return func(c *evalConfig) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// evalQuestion is one line of a questions file.
type evalQuestion struct {
	ID       string `json:"id"`
	File     string `json:"file"`
	Question string `json:"question"`
	// Answer is the gold answer, when the set gives one; Type its answer
	// type (boolean, number, category, list[number], list[category]).
	Answer json.RawMessage `json:"answer"`
	Type   string          `json:"type"`
}

// maxQuestionLine bounds one line of a questions file.
const maxQuestionLine = 1 << 20

// Eval answers every question of a questions.jsonl file and writes one
// {"id","answer"} line per question to out, with the typed answer or null
// when the engine abstained. Each data file (relative to the questions
// file) is opened once with open; its close function runs when the run
// ends. Each question runs under its own timeout (WithQuestionTimeout).
// Questions that carry a gold answer ("answer" and "type") are scored
// with Match into Summary.Score and Summary.ByType.
func Eval(ctx context.Context, questionsPath string, out io.Writer, eng Engine, open func(ctx context.Context, file string) (Catalog, func(), error), opts ...EvalOption) (Summary, error) {
	cfg := evalConfig{timeout: DefaultQuestionTimeout}
	for _, o := range opts {
		o(&cfg)
	}
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
			qctx, cancel := context.WithTimeout(ctx, cfg.timeout)
			a, err := eng.Answer(qctx, o.cat, Request{Messages: []Message{{Role: "user", Content: q.Question}}})
			timedOut := qctx.Err() != nil
			cancel()
			switch {
			case ctx.Err() != nil:
				return sum, ctx.Err()
			case timedOut:
				// Whatever came back came too late: an abstention.
				sum.TimedOut++
			case err != nil:
				sum.Failed++
			case a.Confident && a.Value != nil:
				value = a.Value
				sum.Answered++
			}
		} else {
			sum.Failed++
		}
		if len(q.Answer) > 0 {
			var gold any
			if err := json.Unmarshal(q.Answer, &gold); err != nil {
				return sum, fmt.Errorf("questions line %d: answer: %w", line, err)
			}
			if sum.Score == nil {
				sum.Score, sum.ByType = &Score{}, map[string]*Score{}
			}
			typ := q.Type
			if typ == "" {
				typ = "other"
			}
			if sum.ByType[typ] == nil {
				sum.ByType[typ] = &Score{}
			}
			// Values go through JSON as they are written, so that the
			// score is the scorer's on the output file.
			pred := value
			if value != nil {
				b, err := json.Marshal(value)
				if err == nil {
					err = json.Unmarshal(b, &pred)
				}
				if err != nil {
					return sum, fmt.Errorf("answer %s: %w", q.ID, err)
				}
			}
			correct := pred != nil && Match(gold, q.Type, pred)
			sum.Score.add(pred != nil, correct)
			sum.ByType[typ].add(pred != nil, correct)
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
