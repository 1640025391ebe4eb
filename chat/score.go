package chat

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Scoring of predictions against gold answers, following the rules of the
// evaluation sets' scorer (DataBench's, slightly relaxed): see Match.

// scoreStrip is what is trimmed from both ends of a value before it is
// compared: brackets, quotes and white space.
const scoreStrip = "[]'\" \t\n"

var (
	scoreNumberRe = regexp.MustCompile(`^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$`)
	scoreDateRe   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)
	scoreSpaceRe  = regexp.MustCompile(`\s+`)
	scoreNulls    = map[string]bool{"": true, "nan": true, "none": true, "null": true, "np.nan": true}
)

// Match reports whether pred is a right answer to a question whose gold
// answer is gold, of answer type typ:
//
//   - boolean: true/yes/y/1 against false/no/n/0, any case;
//   - number: equal after truncating or rounding to 2 decimals (or rounding
//     to the gold's own decimals), with "," "$" "%" and spaces stripped;
//   - category: case-insensitive equality after trimming quotes, brackets
//     and spaces; numeric-looking strings compare as numbers, ISO dates
//     as dates;
//   - list[number], list[category]: same length and same items, in any
//     order;
//   - anything else: an object gold needs every key matched (or a list of
//     values in the gold's key order); other golds use the rule of their
//     JSON type.
//
// A null gold is matched only by a null prediction.
func Match(gold any, typ string, pred any) bool {
	if scoreIsNull(gold) {
		return scoreIsNull(pred)
	}
	switch strings.TrimSpace(typ) {
	case "boolean":
		p, ok := scoreBool(pred)
		g, gok := scoreBool(gold)
		return ok && gok && p == g
	case "number":
		return scoreNumEq(pred, gold)
	case "category":
		return scoreCatEq(pred, gold)
	case "list[number]":
		return scoreListEq(pred, gold, true)
	case "list[category]":
		return scoreListEq(pred, gold, false)
	}
	return scoreOtherEq(pred, gold)
}

func scoreIsNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case float64:
		return math.IsNaN(x)
	case string:
		return scoreNulls[strings.ToLower(strings.Trim(x, scoreStrip))]
	}
	return false
}

// scoreNumber reads a number from a value: numbers, booleans, a list of
// one, or a string with "," "$" "%" and spaces stripped.
func scoreNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case []any:
		if len(x) == 1 {
			return scoreNumber(x[0])
		}
	case string:
		s := strings.Trim(x, scoreStrip)
		s = strings.NewReplacer(",", "", "$", "", "%", "", " ", "").Replace(s)
		if !scoreNumberRe.MatchString(s) {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

// scoreDecimals counts the decimals the gold is written with.
func scoreDecimals(g any) int {
	var s string
	switch x := g.(type) {
	case string:
		s = strings.Trim(x, scoreStrip)
	case float64:
		// A whole number counts as written without decimals: JSON
		// decoding loses whether the gold said 5 or 5.0.
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	if strings.ContainsAny(s, "eE") || !strings.Contains(s, ".") {
		return 0
	}
	return len(s) - strings.Index(s, ".") - 1
}

// roundHalfEven rounds to d decimals as Python's round does for most
// values.
func roundHalfEven(f float64, d int) float64 {
	p := math.Pow10(d)
	return math.RoundToEven(f*p) / p
}

func scoreNumEq(p, g any) bool {
	pf, ok := scoreNumber(p)
	gf, gok := scoreNumber(g)
	if !ok || !gok {
		return false
	}
	if math.IsNaN(pf) || math.IsNaN(gf) || math.IsInf(pf, 0) || math.IsInf(gf, 0) {
		return pf == gf
	}
	if math.Trunc(pf*100) == math.Trunc(gf*100) {
		return true
	}
	if roundHalfEven(pf, 2) == roundHalfEven(gf, 2) {
		return true
	}
	d := scoreDecimals(g)
	return roundHalfEven(pf, d) == roundHalfEven(gf, d)
}

func scoreBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case float64:
		if x == 0 || x == 1 {
			return x == 1, true
		}
		return false, false
	case int64:
		if x == 0 || x == 1 {
			return x == 1, true
		}
		return false, false
	case []any:
		if len(x) == 1 {
			return scoreBool(x[0])
		}
	}
	s := strings.TrimRight(strings.ToLower(strings.Trim(fmt.Sprint(v), scoreStrip)), ".")
	switch s {
	case "true", "yes", "y", "1":
		return true, true
	case "false", "no", "n", "0":
		return false, true
	}
	return false, false
}

// scoreString normalises a value for comparison as a category.
func scoreString(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		s = "False"
		if x {
			s = "True"
		}
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	return strings.ToLower(scoreSpaceRe.ReplaceAllString(strings.Trim(s, scoreStrip), " "))
}

func scoreCatEq(p, g any) bool {
	if l, ok := p.([]any); ok && len(l) == 1 {
		p = l[0]
	}
	pb, pIsBool := p.(bool)
	gb, gIsBool := g.(bool)
	if pIsBool && gIsBool {
		return pb == gb
	}
	ps, gs := scoreString(p), scoreString(g)
	if ps == gs {
		return true
	}
	if _, ok := scoreNumber(ps); ok {
		if _, ok := scoreNumber(gs); ok {
			return scoreNumEq(ps, gs)
		}
	}
	mp, mg := scoreDateRe.FindStringSubmatch(ps), scoreDateRe.FindStringSubmatch(gs)
	if mp != nil && mg != nil {
		for i := 1; i <= 3; i++ {
			a, _ := strconv.Atoi(mp[i])
			b, _ := strconv.Atoi(mg[i])
			if a != b {
				return false
			}
		}
		return true
	}
	return false
}

// scoreList reads a list: a JSON list, or a string such as "[1, 2]" or
// "a, b".
func scoreList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case string:
		s := strings.TrimSpace(x)
		var l []any
		if json.Unmarshal([]byte(s), &l) == nil {
			return l
		}
		if py := strings.ReplaceAll(s, "'", `"`); json.Unmarshal([]byte(py), &l) == nil {
			return l
		}
		s = strings.Trim(s, "[]")
		var out []any
		for _, item := range strings.Split(s, ",") {
			if it := strings.Trim(item, scoreStrip); it != "" {
				out = append(out, it)
			}
		}
		return out
	}
	return []any{v}
}

func scoreListEq(p, g any, numbers bool) bool {
	pl, gl := scoreList(p), scoreList(g)
	if len(pl) != len(gl) {
		return false
	}
	if numbers {
		ps, gs := map[float64]bool{}, map[float64]bool{}
		for i := range pl {
			pf, ok := scoreNumber(pl[i])
			gf, gok := scoreNumber(gl[i])
			if !ok || !gok {
				return false
			}
			ps[math.Trunc(pf*100)] = true
			gs[math.Trunc(gf*100)] = true
		}
		if sameSet(ps, gs) {
			return true
		}
		// The per-item rule, order ignored (greedy matching).
		rest := append([]any(nil), pl...)
		for _, gv := range gl {
			hit := -1
			for i, pv := range rest {
				if scoreNumEq(pv, gv) {
					hit = i
					break
				}
			}
			if hit < 0 {
				return false
			}
			rest = append(rest[:hit], rest[hit+1:]...)
		}
		return true
	}
	ps, gs := map[string]bool{}, map[string]bool{}
	for i := range pl {
		ps[scoreString(pl[i])] = true
		gs[scoreString(gl[i])] = true
	}
	return sameSet(ps, gs)
}

func sameSet[K comparable](a, b map[K]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// scoreValueEq compares one part of a multi-part answer by the rule of the
// gold's JSON type.
func scoreValueEq(p, g any) bool {
	switch x := g.(type) {
	case bool:
		b, ok := scoreBool(p)
		return ok && b == x
	case float64:
		return scoreNumEq(p, g)
	case []any:
		numbers := true
		for _, it := range x {
			if _, ok := it.(float64); !ok {
				numbers = false
			}
		}
		return scoreListEq(p, g, numbers)
	}
	return scoreCatEq(p, g)
}

func scoreOtherEq(p, g any) bool {
	gm, ok := g.(map[string]any)
	if !ok {
		return scoreValueEq(p, g)
	}
	if s, ok := p.(string); ok {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return false
		}
		p = v
	}
	switch x := p.(type) {
	case map[string]any:
		pn := map[string]any{}
		for k, v := range x {
			pn[strings.ToLower(strings.TrimSpace(k))] = v
		}
		for k, gv := range gm {
			pv, ok := pn[strings.ToLower(strings.TrimSpace(k))]
			if !ok || !scoreValueEq(pv, gv) {
				return false
			}
		}
		return true
	case []any:
		// Values in the gold's key order; Go maps have none, so this form
		// is accepted only for one key.
		if len(x) == 1 && len(gm) == 1 {
			for _, gv := range gm {
				return scoreValueEq(x[0], gv)
			}
		}
	}
	return false
}
