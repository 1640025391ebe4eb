package charts

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// colKind is how a chart treats a column.
type colKind int

const (
	kindCategory colKind = iota // text, booleans and anything else: discrete labels
	kindNumber                  // integers, floats and decimals
	kindTime                    // dates and timestamps
)

func (k colKind) String() string {
	switch k {
	case kindNumber:
		return "numeric"
	case kindTime:
		return "date/time"
	default:
		return "categorical"
	}
}

// column is one resolved column of Data.
type column struct {
	name    string
	index   int
	kind    colKind
	integer bool // an integer type (BIGINT, INTEGER, ...), so labels print without decimals
	typ     string
}

var numericTypes = map[string]bool{
	"TINYINT": true, "SMALLINT": true, "INTEGER": true, "INT": true, "BIGINT": true, "HUGEINT": true,
	"UTINYINT": true, "USMALLINT": true, "UINTEGER": true, "UBIGINT": true, "UHUGEINT": true,
	"INT1": true, "INT2": true, "INT4": true, "INT8": true, "SHORT": true, "LONG": true, "SIGNED": true,
	"FLOAT": true, "FLOAT4": true, "FLOAT8": true, "REAL": true, "DOUBLE": true,
	"DECIMAL": true, "NUMERIC": true,
}

var floatTypes = map[string]bool{
	"FLOAT": true, "FLOAT4": true, "FLOAT8": true, "REAL": true, "DOUBLE": true,
	"DECIMAL": true, "NUMERIC": true,
}

// classifyType maps a DuckDB type name to how charts treat it. TIME (a time
// of day without a date) is treated as a category.
func classifyType(name string) (colKind, bool) {
	t := strings.ToUpper(strings.TrimSpace(name))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch {
	case numericTypes[t]:
		return kindNumber, !floatTypes[t]
	case t == "DATE" || t == "DATETIME" || strings.HasPrefix(t, "TIMESTAMP"):
		return kindTime, false
	default:
		return kindCategory, false
	}
}

// inferKind guesses a column's kind from its values when no type name is
// given: numeric if every non-nil value is a number, time if every one is a
// time.Time, else categorical.
func inferKind(rows [][]any, idx int) (colKind, bool) {
	allNum, allInt, allTime, seen := true, true, true, false
	for _, r := range rows {
		if idx >= len(r) || r[idx] == nil {
			continue
		}
		seen = true
		v := r[idx]
		if _, ok := v.(time.Time); !ok {
			allTime = false
		}
		if _, ok := v.(string); ok {
			allNum = false
			continue
		}
		f, ok := toFloat(v)
		if !ok {
			allNum = false
		} else if f != math.Trunc(f) || isFloatValue(v) {
			allInt = false
		}
		if !allNum && !allTime {
			break
		}
	}
	switch {
	case !seen:
		return kindCategory, false
	case allTime:
		return kindTime, false
	case allNum:
		return kindNumber, allInt
	default:
		return kindCategory, false
	}
}

func isFloatValue(v any) bool {
	switch v.(type) {
	case float32, float64:
		return true
	}
	return false
}

// resolveColumns checks the shape of data and classifies every column.
func resolveColumns(data Data) ([]column, error) {
	if len(data.Columns) == 0 {
		return nil, fmt.Errorf("%w: no columns", ErrBadData)
	}
	if len(data.Types) != 0 && len(data.Types) != len(data.Columns) {
		return nil, fmt.Errorf("%w: %d type names for %d columns", ErrBadData, len(data.Types), len(data.Columns))
	}
	for i, r := range data.Rows {
		if len(r) != len(data.Columns) {
			return nil, fmt.Errorf("%w: row %d has %d values, want %d (columns: %s)",
				ErrBadData, i, len(r), len(data.Columns), strings.Join(data.Columns, ", "))
		}
	}
	cols := make([]column, len(data.Columns))
	for i, name := range data.Columns {
		c := column{name: name, index: i}
		if len(data.Types) != 0 && strings.TrimSpace(data.Types[i]) != "" {
			c.typ = data.Types[i]
			c.kind, c.integer = classifyType(data.Types[i])
		} else {
			c.kind, c.integer = inferKind(data.Rows, i)
			c.typ = "inferred " + c.kind.String()
		}
		cols[i] = c
	}
	return cols, nil
}

// lookup finds a column by name: an exact match first, then a
// case-insensitive one.
func lookup(cols []column, name string) (column, bool) {
	for _, c := range cols {
		if c.name == name {
			return c, true
		}
	}
	for _, c := range cols {
		if strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return column{}, false
}

func columnNames(cols []column, kinds ...colKind) string {
	var names []string
	for _, c := range cols {
		if len(kinds) == 0 {
			names = append(names, c.name)
			continue
		}
		for _, k := range kinds {
			if c.kind == k {
				names = append(names, c.name)
				break
			}
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// toFloat converts a numeric cell to float64. Non-finite results are
// reported as not ok, so NaN and ±Inf are treated like nulls.
func toFloat(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int8:
		f = float64(x)
	case int16:
		f = float64(x)
	case int32:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint:
		f = float64(x)
	case uint8:
		f = float64(x)
	case uint16:
		f = float64(x)
	case uint32:
		f = float64(x)
	case uint64:
		f = float64(x)
	case *big.Int:
		if x == nil {
			return 0, false
		}
		f, _ = new(big.Float).SetInt(x).Float64()
	case *big.Float:
		if x == nil {
			return 0, false
		}
		f, _ = x.Float64()
	case string:
		var err error
		f, err = strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, false
		}
	case interface{ Float64() float64 }: // e.g. duckdb.Decimal
		f = x.Float64()
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// toTime converts a date/time cell (a time.Time, or a string in ISO 8601
// form) to a UTC time.
func toTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), true
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), true
			}
		}
	}
	return time.Time{}, false
}

// missingLabel is the category label for a null value.
const missingLabel = "(missing)"

// categoryLabel turns any cell into a category label.
func categoryLabel(v any) string {
	switch x := v.(type) {
	case nil:
		return missingLabel
	case string:
		return x
	case time.Time:
		return formatTimeLabel(x.UTC())
	case bool:
		return strconv.FormatBool(x)
	case []byte:
		return string(x)
	}
	if f, ok := toFloat(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	if s, ok := v.(fmt.Stringer); ok { // e.g. a UUID
		return s.String()
	}
	return fmt.Sprint(v)
}

func formatTimeLabel(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.999999999")
}
