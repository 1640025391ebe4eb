package stata

import (
	"math"
	"strings"
	"time"
)

// dateKind says how a numeric variable's display format maps values to time.
type dateKind uint8

const (
	dateNone dateKind = iota
	dateTD            // days since 01jan1960 (%td, and %d before Stata 10)
	dateTC            // milliseconds since 01jan1960 00:00:00 (%tc, %tC)
	dateTW            // weeks since 1960w1 (52 weeks a year, the last one 8 or 9 days long)
	dateTM            // months since 1960m1
	dateTQ            // quarters since 1960q1
	dateTH            // half-years since 1960h1
	dateTY            // the calendar year itself
)

// parseDateFormat recognises Stata's date display formats: "%td", "%tdDD/NN/CCYY",
// "%-tc", the pre-Stata-10 "%d", and so on. Business calendars (%tb) and
// other formats are not dates here.
func parseDateFormat(f string) dateKind {
	s, ok := strings.CutPrefix(f, "%")
	if !ok {
		return dateNone
	}
	s = strings.TrimLeft(s, "-~")
	if strings.HasPrefix(s, "d") {
		return dateTD
	}
	if len(s) < 2 || s[0] != 't' {
		return dateNone
	}
	switch s[1] {
	case 'd':
		return dateTD
	case 'c', 'C':
		return dateTC
	case 'w':
		return dateTW
	case 'm':
		return dateTM
	case 'q':
		return dateTQ
	case 'h':
		return dateTH
	case 'y':
		return dateTY
	}
	return dateNone
}

// stataEpoch is 01jan1960 in Unix seconds.
const stataEpoch = -3653 * 86400

// Bounds that keep conversions far from time.Time and int64 overflow; values
// beyond them (hundreds of thousands of years) become nil.
const (
	maxAbsDays  = 1e8
	maxAbsMilli = maxAbsDays * 86400e3
	maxAbsYears = 1e6
)

// toTime converts a Stata date value to a time.Time in UTC; ok is false when
// the value is not finite or absurdly far from 1960. Fractional values are
// floored to their period (a %td value of 10.7 is 11jan1960).
func toTime(k dateKind, v float64) (time.Time, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return time.Time{}, false
	}
	switch k {
	case dateTD:
		if math.Abs(v) > maxAbsDays {
			return time.Time{}, false
		}
		return time.Unix(stataEpoch+int64(math.Floor(v))*86400, 0).UTC(), true
	case dateTC:
		if math.Abs(v) > maxAbsMilli {
			return time.Time{}, false
		}
		sec := math.Floor(v / 1000)
		// Round to microseconds, the precision of a SQL TIMESTAMP.
		us := math.Round((v - sec*1000) * 1000)
		return time.Unix(stataEpoch+int64(sec), int64(us)*1000).UTC(), true
	}
	if math.Abs(v) > maxAbsYears*52 {
		return time.Time{}, false
	}
	n := int(math.Floor(v))
	var year, month, day int
	switch k {
	case dateTW:
		year, day = 1960+floorDiv(n, 52), 1+7*floorMod(n, 52)
		month = 1
	case dateTM:
		year, month, day = 1960+floorDiv(n, 12), 1+floorMod(n, 12), 1
	case dateTQ:
		year, month, day = 1960+floorDiv(n, 4), 1+3*floorMod(n, 4), 1
	case dateTH:
		year, month, day = 1960+floorDiv(n, 2), 1+6*floorMod(n, 2), 1
	case dateTY:
		if math.Abs(v) > maxAbsYears {
			return time.Time{}, false
		}
		year, month, day = n, 1, 1
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
