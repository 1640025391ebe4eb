package llm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/datasets"
)

func TestParsePlan(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  *plan
		err   string
	}{
		{"plain", `{"sql": "SELECT 1", "charts": [], "note": "n"}`, &plan{SQL: "SELECT 1", Note: "n"}, ""},
		{"fenced", "```json\n{\"sql\": \"SELECT 1;\"}\n```", &plan{SQL: "SELECT 1"}, ""},
		{"prose around", "Here it is:\n{\"sql\": \"SELECT 2\"}\nLet me know!", &plan{SQL: "SELECT 2"}, ""},
		{"sql fenced inside", `{"sql": "` + "```sql\\nSELECT 3;;\\n```" + `"}`, &plan{SQL: "SELECT 3"}, ""},
		{"query key", `{"query": "SELECT 4"}`, &plan{SQL: "SELECT 4"}, ""},
		{"answer", `{"answer": "Hello! Ask me about the data."}`, &plan{Answer: "Hello! Ask me about the data."}, ""},
		{"charts", `{"sql": "SELECT 1", "charts": [{"kind": "Bar", "x": "a", "y": null, "group": 3, "title": "T"}]}`,
			&plan{SQL: "SELECT 1", Charts: []chartPlan{{Kind: "Bar", X: "a", Title: "T"}}}, ""},
		{"one chart object", `{"sql": "SELECT 1", "chart": {"x": "a"}}`, &plan{SQL: "SELECT 1", Charts: []chartPlan{{X: "a"}}}, ""},
		{"no json", "SELECT 1", nil, "no JSON object"},
		{"broken json", `{"sql": "SELECT 1"`, nil, "decode the JSON reply"},
		{"empty object", `{}`, nil, `neither "sql" nor "answer"`},
		{"sql not a string", `{"sql": 42}`, nil, `neither "sql" nor "answer"`},
		{"charts not a list", `{"sql": "SELECT 1", "charts": "bar"}`, nil, "decode the JSON reply"},
		{"huge sql", `{"sql": "SELECT '` + strings.Repeat("x", maxSQLChars) + `'"}`, nil, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePlan(tt.reply)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestResultValue(t *testing.T) {
	one := &datasets.Result{Columns: []string{"n"}, Rows: [][]any{{int64(3)}}}
	list := &datasets.Result{Columns: []string{"c"}, Rows: [][]any{{"a"}, {nil}, {float32(1.5)}}}
	wide := &datasets.Result{Columns: []string{"a", "b"}, Rows: [][]any{{1, 2}}}
	empty := &datasets.Result{Columns: []string{"n"}}
	require.Equal(t, int64(3), resultValue(one, 10))
	require.Equal(t, []any{"a", nil, 1.5}, resultValue(list, 10))
	require.Equal(t, []any{"a"}, resultValue(list, 1))
	require.Nil(t, resultValue(wide, 10))
	require.Nil(t, resultValue(empty, 10))
}

func FuzzParsePlan(f *testing.F) {
	f.Add(`{"sql": "SELECT 1", "charts": [{"kind": "bar", "x": "a"}]}`)
	f.Add("```json\n{\"answer\": \"hi\"}\n```")
	f.Add(`{"sql": {"nested": [1, 2]}, "charts": [null, 1]}`)
	f.Add(`{{{{`)
	f.Fuzz(func(t *testing.T, reply string) {
		p, err := parsePlan(reply)
		if err != nil {
			return
		}
		if p.SQL == "" && p.Answer == "" {
			t.Fatalf("plan without sql or answer: %+v", p)
		}
		if len(p.SQL) > maxSQLChars || len(p.Charts) > maxChartAsks || strings.HasSuffix(p.SQL, ";") {
			t.Fatalf("plan out of bounds: %+v", p)
		}
	})
}

func TestShort(t *testing.T) {
	for in, want := range map[any]string{
		"446.0000000001": "446",
		"1912-04-15":     "1912-04-15",
		"2.30864197":     "2.3086",
		"abc":            "abc",
		int64(7):         "7",
		nil:              "",
	} {
		require.Equal(t, want, short(in), "%v", in)
	}
}
