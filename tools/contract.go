package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// A tool's contract is written once, as a small JSON Schema: it is what
// tools/list shows (kept short: every client pays for it in tokens), what
// arguments are checked against before a handler runs, with errors a model
// can act on, and, for results, what structuredContent must satisfy.

// schema is the part of JSON Schema the tools use. Properties keep their
// order, which is the order a model reads them in.
type schema struct {
	Type        string
	Description string
	Enum        []string
	Properties  []prop
	Required    []string
	Items       *schema
	Minimum     *int
	// Open allows properties beyond Properties (results only: inputs are
	// always closed).
	Open bool
}

type prop struct {
	Name string
	*schema
}

// MarshalJSON writes the schema with its properties in order.
func (s *schema) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	field := func(name string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		val, _ := json.Marshal(v)
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	if s.Type != "" {
		field("type", s.Type)
	}
	if s.Description != "" {
		field("description", s.Description)
	}
	if len(s.Enum) > 0 {
		field("enum", s.Enum)
	}
	if s.Minimum != nil {
		field("minimum", *s.Minimum)
	}
	if s.Items != nil {
		field("items", s.Items)
	}
	if s.Type == "object" {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"properties":{`)
		for i, p := range s.Properties {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(p.Name)
			v, err := json.Marshal(p.schema)
			if err != nil {
				return nil, err
			}
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
		if len(s.Required) > 0 {
			field("required", s.Required)
		}
		if !s.Open {
			field("additionalProperties", false)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Schema builders, to keep the tool files short.
func object(props ...prop) *schema { return &schema{Type: "object", Properties: props} }
func str(desc string) *schema      { return &schema{Type: "string", Description: desc} }
func integer(desc string, minimum int) *schema {
	return &schema{Type: "integer", Description: desc, Minimum: &minimum}
}
func boolean(desc string) *schema { return &schema{Type: "boolean", Description: desc} }
func array(items *schema, desc string) *schema {
	return &schema{Type: "array", Items: items, Description: desc}
}
func oneOf(desc string, values ...string) *schema {
	return &schema{Type: "string", Description: desc, Enum: values}
}
func anyValue() *schema                 { return &schema{} }
func field(name string, s *schema) prop { return prop{name, s} }

// requires marks properties required and returns s.
func (s *schema) requires(names ...string) *schema {
	s.Required = append(s.Required, names...)
	return s
}

// open lets an object hold further properties (results that grow).
func (s *schema) open() *schema {
	s.Open = true
	return s
}

func (s *schema) prop(name string) *schema {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.schema
		}
	}
	return nil
}

func (s *schema) names() []string {
	out := make([]string, len(s.Properties))
	for i, p := range s.Properties {
		out[i] = p.Name
	}
	return out
}

// check reports, in plain words, how v (decoded JSON, numbers as
// json.Number) breaks the schema; path locates v ("" for the arguments,
// "messages[0].role" below).
func (s *schema) check(path string, v any) error {
	if v == nil {
		if s.Type == "" {
			return nil
		}
		return fmt.Errorf("%s must be %s, not null", argName(path), kindName(s))
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return typeError(path, s, v)
		}
		for _, name := range sortedKeys(m) {
			ps := s.prop(name)
			if ps == nil {
				if s.Open {
					continue
				}
				return unknownField(path, name, s.names())
			}
			if err := ps.check(subPath(path, name), m[name]); err != nil {
				return err
			}
		}
		for _, name := range s.Required {
			if _, ok := m[name]; !ok {
				what := ""
				if d := s.prop(name).Description; d != "" {
					what = ": " + d
				}
				return fmt.Errorf("%s is missing%s", argName(subPath(path, name)), what)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return typeError(path, s, v)
		}
		if s.Items != nil {
			for i, e := range a {
				if err := s.Items.check(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
					return err
				}
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return typeError(path, s, v)
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			return fmt.Errorf("%s must be one of %s, not %q", argName(path), strings.Join(s.Enum, ", "), clipArg(str))
		}
	case "integer", "number":
		n, ok := v.(json.Number)
		if !ok {
			return typeError(path, s, v)
		}
		f, err := n.Float64()
		if err != nil || (s.Type == "integer" && strings.ContainsAny(n.String(), ".eE")) {
			return fmt.Errorf("%s must be a whole number, not %s", argName(path), n)
		}
		if s.Minimum != nil && f < float64(*s.Minimum) {
			return fmt.Errorf("%s must be at least %d, not %s", argName(path), *s.Minimum, n)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return typeError(path, s, v)
		}
	}
	return nil
}

func subPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// argName names a value in a message: argument "x", or the arguments.
func argName(path string) string {
	if path == "" {
		return "the arguments"
	}
	return "argument " + strconv.Quote(path)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func unknownField(path, name string, known []string) error {
	what, where := "argument", "this tool takes"
	if path != "" {
		what, where = "field", argName(path)+" takes"
	}
	hint := ""
	if best := nearest(name, known); best != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Errorf("unknown %s %q%s: %s %s", what, clipArg(name), hint, where, strings.Join(known, ", "))
}

// nearest returns the known name closest to name, when close enough to be
// a slip of the keyboard.
func nearest(name string, known []string) string {
	best, bestD := "", -1
	for _, k := range known {
		d := editDistance(strings.ToLower(name), k)
		if d <= max(1, len(k)/3) && (bestD < 0 || d < bestD) {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func typeError(path string, s *schema, v any) error {
	return fmt.Errorf("%s must be %s, not %s", argName(path), kindName(s), describeValue(v))
}

func kindName(s *schema) string {
	switch s.Type {
	case "object":
		return "an object"
	case "array":
		if s.Items != nil && s.Items.Type != "" {
			return "a list of " + strings.TrimPrefix(strings.TrimPrefix(kindName(s.Items), "a "), "an ") + "s"
		}
		return "a list"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "string":
		return "a string"
	}
	return "a value"
}

func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", clipArg(x))
	case json.Number:
		return "the number " + x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

func clipArg(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// spec is one tool's contract and behaviour.
type spec struct {
	name, title, description string
	in, out                  *schema
	readOnly, openWorld      bool
	idempotent               bool
	meta                     *mcp.Meta
}

// tool builds the mcp.Tool of a spec.
func (s spec) tool() mcp.Tool {
	in, err := json.Marshal(s.in)
	if err != nil {
		panic(fmt.Sprintf("tool %s: input schema: %v", s.name, err))
	}
	t := mcp.NewToolWithRawSchema(s.name, s.description, in)
	t.Title = s.title
	t.Meta = s.meta
	if s.out != nil {
		out, err := json.Marshal(s.out)
		if err != nil {
			panic(fmt.Sprintf("tool %s: output schema: %v", s.name, err))
		}
		t.RawOutputSchema = out
	}
	// Only hints that differ from the protocol's defaults (not read-only,
	// destructive, not idempotent, open world) are sent.
	if s.readOnly {
		t.Annotations.ReadOnlyHint = mcp.ToBoolPtr(true)
	} else {
		t.Annotations.DestructiveHint = mcp.ToBoolPtr(false)
		if s.idempotent {
			t.Annotations.IdempotentHint = mcp.ToBoolPtr(true)
		}
	}
	if !s.openWorld {
		t.Annotations.OpenWorldHint = mcp.ToBoolPtr(false)
	}
	return t
}

// serve returns the tool with a handler that checks the arguments against
// the input schema and decodes them into T before calling fn.
func serve[T any](s spec, fn func(ctx context.Context, req mcp.CallToolRequest, args T) (*mcp.CallToolResult, error)) server.ServerTool {
	return server.ServerTool{Tool: s.tool(), Handler: func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, err := decodeArgs[T](s.in, req.Params.Arguments)
		if err != nil {
			return mcp.NewToolResultError(s.name + ": " + err.Error()), nil
		}
		return fn(ctx, req, args)
	}}
}

// decodeArgs checks raw arguments against in and decodes them into T.
func decodeArgs[T any](in *schema, raw any) (T, error) {
	var args T
	if raw == nil || (reflect.ValueOf(raw).Kind() == reflect.Map && reflect.ValueOf(raw).IsNil()) {
		raw = map[string]any{}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return args, fmt.Errorf("the arguments are not JSON: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return args, fmt.Errorf("the arguments are not JSON: %v", err)
	}
	if err := in.check("", v); err != nil {
		return args, err
	}
	if err := json.Unmarshal(b, &args); err != nil {
		// The schema and T disagree: a bug here, not the client's.
		return args, fmt.Errorf("the arguments could not be read (%v); check them against the tool's input schema", err)
	}
	return args, nil
}
