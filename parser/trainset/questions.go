package trainset

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// ReadQuestions reads a JSON-lines file of questions.
func ReadQuestions(path string) ([]*Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open questions: %w", err)
	}
	defer f.Close()
	var qs []*Question
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var q Question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		qs = append(qs, &q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return qs, nil
}

// Check checks what needs no table: ids unique, every field present,
// types and kinds known.
func Check(qs []*Question) error {
	seen := map[string]bool{}
	for i, q := range qs {
		switch {
		case q.ID == "" || q.File == "" || q.Question == "" || q.SQL == "":
			return fmt.Errorf("question %d (%q): id, file, question and sql are required", i+1, q.ID)
		case seen[q.ID]:
			return fmt.Errorf("question id %q is used twice", q.ID)
		case !slices.Contains(Types, q.Type):
			return fmt.Errorf("%s: unknown type %q", q.ID, q.Type)
		case !slices.Contains(Kinds, q.Kind):
			return fmt.Errorf("%s: unknown kind %q", q.ID, q.Kind)
		}
		seen[q.ID] = true
	}
	return nil
}

// ForEachTable loads each table the questions name once and calls fn with
// every question of it and its freshly computed answer (or the error).
func ForEachTable(ctx context.Context, l *Loader, qs []*Question, fn func(q *Question, answer any, err error)) error {
	var files []string
	byFile := map[string][]*Question{}
	for _, q := range qs {
		if byFile[q.File] == nil {
			files = append(files, q.File)
		}
		byFile[q.File] = append(byFile[q.File], q)
	}
	for _, file := range files {
		cat, err := l.Open(ctx, file)
		if err != nil {
			return err
		}
		for _, q := range byFile[file] {
			ans, err := Compute(ctx, cat, *q)
			fn(q, ans, err)
		}
		if err := cat.Close(); err != nil {
			return fmt.Errorf("close %s: %w", file, err)
		}
	}
	return nil
}
