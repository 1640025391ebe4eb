package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// styleKind is what a cell's number format makes of a number.
type styleKind uint8

const (
	fmtNumber   styleKind = iota
	fmtDate               // date only
	fmtDateTime           // date and time of day
	fmtTime               // time of day only
	fmtElapsed            // elapsed time ([h]:mm:ss), may exceed a day
)

// builtinKind classifies the built-in number formats (ECMA-376 Part 1,
// 18.8.30; ids 27-36 and 50-58 are the East Asian date formats).
func builtinKind(id int) styleKind {
	switch {
	case id >= 14 && id <= 17:
		return fmtDate
	case id >= 18 && id <= 21, id == 45, id == 47:
		return fmtTime
	case id == 22:
		return fmtDateTime
	case id == 46:
		return fmtElapsed
	case id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return fmtDate
	case id >= 32 && id <= 35:
		return fmtTime
	}
	return fmtNumber
}

// classifyFormat classifies a custom number format code by its first section:
// it is a date/time format when it has d, m, y, h or s outside quoted text,
// escapes and brackets (except the elapsed-time brackets [h], [m], [s]).
func classifyFormat(code string) styleKind {
	if i := sectionEnd(code); i >= 0 {
		code = code[:i]
	}
	var date, hour, sec, month, elapsed, ampm bool
	lc := strings.ToLower(code)
	for i := 0; i < len(lc); i++ {
		c := lc[i]
		switch c {
		case '"':
			j := strings.IndexByte(lc[i+1:], '"')
			if j < 0 {
				return fmtNumber
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal, a width or a fill
		case '[':
			j := strings.IndexByte(lc[i:], ']')
			if j < 0 {
				return fmtNumber
			}
			inner := lc[i+1 : i+j]
			if inner != "" && strings.Trim(inner, "hms") == "" {
				elapsed = true
			}
			i += j
		case 'a':
			if strings.HasPrefix(lc[i:], "am/pm") {
				ampm = true
				i += 4
			} else if strings.HasPrefix(lc[i:], "a/p") {
				ampm = true
				i += 2
			}
		case 'd', 'y':
			date = true
		case 'h':
			hour = true
		case 's':
			sec = true
		case 'm':
			month = true
		}
	}
	timePart := hour || sec || ampm || elapsed
	// m is minutes next to h or s, else a month.
	if month && !timePart {
		date = true
	}
	switch {
	case elapsed && !date:
		return fmtElapsed
	case date && timePart:
		return fmtDateTime
	case date:
		return fmtDate
	case timePart:
		return fmtTime
	}
	return fmtNumber
}

// sectionEnd returns the index of the first section separator ';' outside
// quotes and brackets, or -1.
func sectionEnd(code string) int {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return -1
			}
			i += j + 1
		case '\\':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return -1
			}
			i += j
		case ';':
			return i
		}
	}
	return -1
}

const (
	// maxSerial is 9999-12-31, the last date Excel shows.
	maxSerial = 2958465
	dayNanos  = 24 * 60 * 60 * 1e9
)

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialOK reports whether a date serial can be shown as a date.
func serialOK(v float64) bool {
	return v >= 0 && v < maxSerial+1
}

// serialTime converts a date serial to a time, rounded to the millisecond
// (Excel's own precision). In the 1900 system serial 1 is 1900-01-01 and
// Excel counts a 29 February 1900 that did not exist (serial 60, a bug kept
// from Lotus 1-2-3), so serials below 60 are a day later than the plain count
// from 1899-12-30 gives; serial 60 is shown as 1900-02-28.
func serialTime(v float64, date1904 bool) time.Time {
	days := math.Floor(v)
	ms := math.Round((v - days) * 86400000)
	if date1904 {
		return epoch1904.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	}
	if days < 60 {
		days++
	}
	return epoch1900.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
}

// serialDate is serialTime truncated to midnight.
func serialDate(v float64, date1904 bool) time.Time {
	return serialTime(math.Floor(v), date1904)
}

// serialClock returns the time of day of a serial.
func serialClock(v float64) time.Duration {
	frac := v - math.Floor(v)
	ms := math.Round(frac * 86400000)
	if ms >= 86400000 {
		ms = 0
	}
	return time.Duration(ms) * time.Millisecond
}

// generalNumber formats a number as Excel's General format would, without
// its column-width rounding: at most 15 significant digits.
func generalNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		r = v
	}
	if a := math.Abs(r); a >= 1e-9 && a < 1e15 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strconv.FormatFloat(r, 'g', -1, 64)
}

func formatClock(d time.Duration) string {
	return time.Time{}.Add(d).Format("15:04:05.999")
}

// formatElapsed shows a serial as elapsed hours, like [h]:mm:ss.
func formatElapsed(v float64) string {
	ms := int64(math.Round(v * 86400000))
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	h := ms / 3600000
	m := ms / 60000 % 60
	s := ms / 1000 % 60
	out := sign + strconv.FormatInt(h, 10) + ":" + twoDigits(m) + ":" + twoDigits(s)
	if f := ms % 1000; f != 0 {
		out += "." + strings.TrimRight(strconv.FormatInt(1000+f, 10)[1:], "0")
	}
	return out
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
