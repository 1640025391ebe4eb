// Package infer types columns of text cells, for readers of formats whose
// cells are untyped strings (HTML tables, XML). A column gets a kind only if
// every non-empty cell parses as that kind; otherwise it stays a String
// column. Empty (or all-whitespace) cells are NULL and never decide a kind.
//
// The kinds tried, most specific first, are:
//
//   - Int64: optional sign, digits, optional thousands separators in groups of
//     three ("1,234,567"), an optional leading currency sign ("$12", "-€1,200").
//     Integers with a leading zero ("007", "02134") are codes, not numbers, and
//     integers outside the int64 range are not numbers either: both keep the
//     column a String so no digit is lost.
//   - Float64: the Int64 forms plus a decimal point and an exponent ("1.5",
//     ".5", "1e-3", "$1,234.50"), and a trailing percent sign, which is dropped
//     ("12.5%" reads as 12.5). A column mixing integers and decimals is Float64.
//   - Bool: true, false, yes, no (any letter case).
//   - Date: ISO dates ("2006-01-02", also "2006-1-2" and "2006/01/02") and dates
//     with a month name ("2 Jan 2006", "02-Jan-2006", "January 2, 2006").
//     Numeric day/month orders such as "01/02/2006" are ambiguous and stay text.
//   - Timestamp: ISO date-times ("2006-01-02T15:04:05", with a space instead of
//     T, without seconds, with fractional seconds, with "Z" or a "+07:00" or
//     "-0700" offset), converted to UTC; values without an offset are taken as
//     UTC. A column mixing dates and timestamps is Timestamp.
package infer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"datachat/formats"
)

// kind bits a single value is compatible with.
const (
	bitInt = 1 << iota
	bitFloat
	bitBool
	bitDate
	bitTimestamp

	bitAll = bitInt | bitFloat | bitBool | bitDate | bitTimestamp
)

// Kind returns the kind of a column holding values: the most specific kind
// every non-empty value parses as, or formats.String. A column whose values
// are all empty is a String column.
func Kind(values []string) formats.Kind {
	mask, seen := bitAll, false
	for _, v := range values {
		if mask == 0 {
			break
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		seen = true
		mask &= classify(v, mask)
	}
	if !seen {
		return formats.String
	}
	return kindOf(mask)
}

// Kinds returns the kind of each of the ncols columns of rows. A row shorter
// than ncols has empty cells at the end; cells beyond ncols are ignored.
func Kinds(rows [][]string, ncols int) []formats.Kind {
	masks := make([]int, ncols)
	seen := make([]bool, ncols)
	for i := range masks {
		masks[i] = bitAll
	}
	for _, row := range rows {
		for c, v := range row {
			if c >= ncols {
				break
			}
			if masks[c] == 0 {
				continue
			}
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			seen[c] = true
			masks[c] &= classify(v, masks[c])
		}
	}
	kinds := make([]formats.Kind, ncols)
	for c := range kinds {
		if seen[c] {
			kinds[c] = kindOf(masks[c])
		}
	}
	return kinds
}

func kindOf(mask int) formats.Kind {
	switch {
	case mask&bitInt != 0:
		return formats.Int64
	case mask&bitFloat != 0:
		return formats.Float64
	case mask&bitBool != 0:
		return formats.Bool
	case mask&bitDate != 0:
		return formats.Date
	case mask&bitTimestamp != 0:
		return formats.Timestamp
	}
	return formats.String
}

// classify returns the subset of the kind bits in want that v (trimmed and
// non-empty) parses as.
func classify(v string, want int) int {
	got := 0
	if want&(bitInt|bitFloat) != 0 {
		if n, ok := parseNumber(v); ok {
			got |= bitFloat
			if n.isInt {
				got |= bitInt
			}
		}
	}
	if want&bitBool != 0 {
		if _, ok := parseBool(v); ok {
			got |= bitBool
		}
	}
	if want&(bitDate|bitTimestamp) != 0 {
		if _, ok := parseDate(v); ok {
			got |= bitDate | bitTimestamp
		} else if want&bitTimestamp != 0 {
			if _, ok := parseTimestamp(v); ok {
				got |= bitTimestamp
			}
		}
	}
	return got & want
}

// Value converts s to the Go value of kind k: nil when s is empty or
// all-whitespace, or when it does not parse as k (which cannot happen for a
// kind Kind or Kinds chose from the same values). String values are returned
// unchanged, except that invalid UTF-8 is replaced by U+FFFD.
func Value(k formats.Kind, s string) any {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil
	}
	switch k {
	case formats.Int64:
		if n, ok := parseNumber(t); ok && n.isInt {
			return n.i
		}
	case formats.Float64:
		if n, ok := parseNumber(t); ok {
			return n.f
		}
	case formats.Bool:
		if b, ok := parseBool(t); ok {
			return b
		}
	case formats.Date:
		if d, ok := parseDate(t); ok {
			return d
		}
	case formats.Timestamp:
		if d, ok := parseDate(t); ok {
			return d
		}
		if ts, ok := parseTimestamp(t); ok {
			return ts
		}
	case formats.String:
		if !utf8.ValidString(s) {
			return strings.ToValidUTF8(s, "\uFFFD")
		}
		return s
	}
	return nil
}

// Rows is a formats.Rows over string cells that converts each cell with Value
// as it is read. Cells missing at the end of a short row are NULL.
type Rows struct {
	cells [][]string
	kinds []formats.Kind
	i     int
}

var _ formats.Rows = (*Rows)(nil)

// NewRows returns Rows over cells, typed by kinds (one per column). Rows does
// not copy cells; each row is released once read.
func NewRows(cells [][]string, kinds []formats.Kind) *Rows {
	return &Rows{cells: cells, kinds: kinds}
}

// Next implements formats.Rows.
func (r *Rows) Next(b *formats.Batch) error {
	b.Len = 0
	for b.Len < b.Cap() && r.i < len(r.cells) {
		row := r.cells[r.i]
		r.cells[r.i] = nil
		r.i++
		for c := range b.Cols {
			var v any
			if c < len(row) && c < len(r.kinds) {
				v = Value(r.kinds[c], row[c])
			}
			if err := b.Cols[c].Set(b.Len, v); err != nil {
				return fmt.Errorf("row %d: %w", r.i, err)
			}
		}
		b.Len++
	}
	if b.Len == 0 {
		return io.EOF
	}
	return nil
}

// Len returns the number of rows not yet read.
func (r *Rows) Len() int { return len(r.cells) - r.i }

type number struct {
	isInt bool
	i     int64
	f     float64
}

// parseNumber parses the number forms described in the package comment.
func parseNumber(s string) (number, bool) {
	var b strings.Builder
	rest := s
	neg := false
	sign := func() {
		if rest != "" && (rest[0] == '-' || rest[0] == '+') {
			neg = rest[0] == '-'
			rest = rest[1:]
		}
	}
	sign()
	hadSign := len(rest) < len(s)
	currency := false
	if r, size := utf8.DecodeRuneInString(rest); r != utf8.RuneError && unicode.Is(unicode.Sc, r) {
		currency = true
		rest = rest[size:]
		if !hadSign {
			sign() // "$-5" as well as "-$5"
		}
	}
	percent := false
	if strings.HasSuffix(rest, "%") && !currency {
		percent = true
		rest = rest[:len(rest)-1]
	}
	if neg {
		b.WriteByte('-')
	}
	// Integer part: plain digits, or groups of three separated by commas.
	intDigits, groups, groupLen, sawComma := 0, 0, 0, false
	firstZero := false
	i := 0
	for ; i < len(rest); i++ {
		c := rest[i]
		if c >= '0' && c <= '9' {
			if intDigits == 0 && c == '0' {
				firstZero = true
			}
			intDigits++
			groupLen++
			b.WriteByte(c)
			continue
		}
		if c == ',' {
			if groupLen == 0 || (sawComma && groupLen != 3) || (!sawComma && groupLen > 3) {
				return number{}, false
			}
			sawComma = true
			groups++
			groupLen = 0
			continue
		}
		break
	}
	if sawComma && groupLen != 3 {
		return number{}, false
	}
	if firstZero && intDigits > 1 {
		return number{}, false // a code such as "007"
	}
	isInt := true
	fracDigits := 0
	if i < len(rest) && rest[i] == '.' {
		isInt = false
		b.WriteByte('.')
		for i++; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			b.WriteByte(rest[i])
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return number{}, false
	}
	if i < len(rest) && (rest[i] == 'e' || rest[i] == 'E') {
		isInt = false
		b.WriteByte('e')
		i++
		if i < len(rest) && (rest[i] == '-' || rest[i] == '+') {
			b.WriteByte(rest[i])
			i++
		}
		expDigits := 0
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			b.WriteByte(rest[i])
			expDigits++
		}
		if expDigits == 0 {
			return number{}, false
		}
	}
	if i != len(rest) {
		return number{}, false
	}
	norm := b.String()
	if isInt && !percent {
		n, err := strconv.ParseInt(norm, 10, 64)
		if err != nil {
			return number{}, false // out of range: keep every digit as text
		}
		return number{isInt: true, i: n, f: float64(n)}, true
	}
	f, err := strconv.ParseFloat(norm, 64)
	if err != nil {
		return number{}, false
	}
	return number{f: f}, true
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"), strings.EqualFold(s, "yes"):
		return true, true
	case strings.EqualFold(s, "false"), strings.EqualFold(s, "no"):
		return false, true
	}
	return false, false
}

var dateLayouts = []string{
	"2006-1-2",
	"2006/1/2",
	"2 Jan 2006",
	"2 January 2006",
	"2-Jan-2006",
	"2-January-2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"Jan 2 2006",
	"January 2 2006",
}

// parseDate parses the date forms of the package comment into midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if len(s) < 8 || len(s) > 30 {
		return time.Time{}, false
	}
	c := s[0]
	isDigit := c >= '0' && c <= '9'
	if !isDigit && !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if isDigit != (layout[0] >= '0' && layout[0] <= '9') {
			continue
		}
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

var timestampLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// parseTimestamp parses the ISO date-times of the package comment into UTC.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) < 16 || len(s) > 40 || s[4] != '-' {
		return time.Time{}, false
	}
	if s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	if s[10] != 'T' {
		return time.Time{}, false
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
