package chat

// Development helpers, skipped unless their environment variable is set:
//
//	CHAT_DEBUG=1 go test -run TestDebugPlans -v ./chat      # plan of each public eval question
//	CHAT_FILE=f.csv CHAT_Q='question' go test -run TestDebugOne -v ./chat
//	CHAT_FILE=f.csv CHAT_QS=questions.txt [CHAT_TEXT=1] go test -run TestDebugMany -v ./chat
//	(CHAT_SQL='SELECT ...' instead of CHAT_FILE generates the table)

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDebugPlans prints the plan of each public question (CHAT_DEBUG=1).
func TestDebugPlans(t *testing.T) {
	if os.Getenv("CHAT_DEBUG") == "" {
		t.Skip()
	}
	f, err := os.Open(publicQuestions)
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	e := NewEmbedded()
	cats := map[string]*duckCatalog{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q map[string]any
		json.Unmarshal(sc.Bytes(), &q)
		path := filepath.Join(filepath.Dir(publicQuestions), q["file"].(string))
		c, ok := cats[path]
		if !ok {
			c, err = openDuck(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			cats[path] = c
		}
		s, err := e.schemaFor(t.Context(), c, c.tables[0])
		if err != nil {
			t.Fatal(err)
		}
		p := planQuestion(t.Context(), s, q["question"].(string))
		b, _ := json.Marshal(p)
		fmt.Printf("%s\n  %s\n", q["question"], b)
	}
}

// TestDebugOne prints the tokens, mentions and plan of CHAT_Q on CHAT_FILE.
func TestDebugOne(t *testing.T) {
	qtext := os.Getenv("CHAT_Q")
	if qtext == "" {
		t.Skip()
	}
	var c *duckCatalog
	var err error
	if sq := os.Getenv("CHAT_SQL"); sq != "" {
		c, err = openDuckSQL(t.Context(), "t", sq)
	} else {
		c, err = openDuck(t.Context(), os.Getenv("CHAT_FILE"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := NewEmbedded().schemaFor(t.Context(), c, c.tables[0])
	if err != nil {
		t.Fatal(err)
	}
	toks := tokenize(qtext)
	for _, tk := range toks {
		fmt.Printf("%q/%q ", tk.raw, tk.stem)
	}
	fmt.Println()
	for _, m := range findMentions(t.Context(), s, toks) {
		name := ""
		if m.col != nil {
			name = m.col.Name
		}
		fmt.Printf("  [%d,%d) kind=%d col=%q val=%q score=%.2f\n", m.start, m.end, m.kind, name, m.value, m.score)
	}
	b, _ := json.Marshal(planQuestion(t.Context(), s, qtext))
	fmt.Println(string(b))
}

// TestDebugMany answers each line of CHAT_QS (a file) on CHAT_FILE.
func TestDebugMany(t *testing.T) {
	path := os.Getenv("CHAT_QS")
	if path == "" {
		t.Skip()
	}
	var c *duckCatalog
	var err error
	if sq := os.Getenv("CHAT_SQL"); sq != "" {
		c, err = openDuckSQL(t.Context(), "t", sq)
	} else {
		c, err = openDuck(t.Context(), os.Getenv("CHAT_FILE"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	data, _ := os.ReadFile(path)
	e := NewEmbedded()
	for _, q := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		a, err := e.Answer(t.Context(), c, Request{Messages: []Message{{Role: "user", Content: q}}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Value == nil {
			first := strings.SplitN(a.Text, "\n", 2)[0]
			fmt.Printf("ABSTAIN %s\n    %s\n", q, first)
			continue
		}
		if os.Getenv("CHAT_TEXT") != "" {
			fmt.Printf("Q: %s\n%s\n-----\n", q, a.Text)
			continue
		}
		b, _ := json.Marshal(a.Value)
		if len(b) > 150 {
			b = append(b[:150], "..."...)
		}
		fmt.Printf("ANSWER  %s\n    %s\n    %s\n", q, b, a.SQL)
	}
}
