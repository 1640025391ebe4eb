package sas7bdat

import (
	"math"
	"strings"

	"datachat/formats"
)

// SAS counts days and seconds from 1960-01-01; Unix from 1970-01-01, 3653
// days later.
const (
	epochDays    = 3653
	epochSeconds = epochDays * 86400
	// Values further than this from 1960 (about 270,000 years) are not dates
	// any engine can store; they are read as NULL.
	maxDays    = 1e8
	maxSeconds = maxDays * 86400
)

var dateFormats = setOf(
	"DATE", "DAY", "DDMMYY", "DDMMYYB", "DDMMYYC", "DDMMYYD", "DDMMYYN", "DDMMYYP", "DDMMYYS",
	"DOWNAME", "EURDFDD", "EURDFDE", "EURDFDN", "EURDFDWN", "EURDFMN", "EURDFMY", "EURDFWDX", "EURDFWKX",
	"HDATE", "HEBDATE", "JULDAY", "JULIAN", "MINGUO", "NENGO",
	"MMDDYY", "MMDDYYB", "MMDDYYC", "MMDDYYD", "MMDDYYN", "MMDDYYP", "MMDDYYS",
	"MMYY", "MMYYC", "MMYYD", "MMYYN", "MMYYP", "MMYYS", "MONNAME", "MONTH", "MONYY",
	"NLDATE", "NLDATEL", "NLDATEM", "NLDATEMD", "NLDATEMDL", "NLDATEMDM", "NLDATEMDS", "NLDATEMN",
	"NLDATES", "NLDATEW", "NLDATEWN", "NLDATEYM", "NLDATEYML", "NLDATEYMM", "NLDATEYMS", "NLDATEYQ",
	"NLDATEYQL", "NLDATEYQM", "NLDATEYQS", "NLDATEYR", "NLDATEYW",
	"PDJULG", "PDJULI", "QTR", "QTRR", "WEEKDATE", "WEEKDATX", "WEEKDAY", "WEEKU", "WEEKV", "WEEKW",
	"WORDDATE", "WORDDATX", "YEAR", "YYMM", "YYMMC", "YYMMD", "YYMMN", "YYMMP", "YYMMS",
	"YYMMDD", "YYMMDDB", "YYMMDDC", "YYMMDDD", "YYMMDDN", "YYMMDDP", "YYMMDDS", "YYMON",
	"YYQ", "YYQC", "YYQD", "YYQN", "YYQP", "YYQS", "YYQR", "YYQRC", "YYQRD", "YYQRN", "YYQRP", "YYQRS", "YYQZ",
	"E8601DA", "B8601DA", "ND8601DA",
)

var datetimeFormats = setOf(
	"DATETIME", "DATEAMPM", "DTDATE", "DTMONYY", "DTWKDATX", "DTYEAR", "DTYYQC", "MDYAMPM",
	"E8601DT", "E8601DX", "E8601DZ", "E8601LX", "E8601DN", "B8601DT", "B8601DX", "B8601DZ", "B8601LX", "B8601DN",
	"IS8601DT", "IS8601DZ", "ND8601DT", "ND8601DZ", "ND8601DN",
	"NLDATM", "NLDATMAP", "NLDATMDT", "NLDATML", "NLDATMM", "NLDATMMD", "NLDATMS", "NLDATMW", "NLDATMWN",
	"NLDATMYM", "NLDATMYQ", "NLDATMYR", "NLDATMYW", "NLDATMZ",
)

var timeFormats = setOf(
	"TIME", "TIMEAMPM", "HHMM", "HOUR", "MMSS", "TOD", "NLTIME", "NLTIMAP",
	"E8601TM", "E8601TX", "E8601TZ", "E8601LZ", "B8601TM", "B8601TX", "B8601TZ", "B8601LZ",
	"IS8601TM", "IS8601TZ", "ND8601TM", "ND8601TZ",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// KindForFormat returns the kind a numeric SAS variable with the given
// display format should be read as: formats.Date for date formats (DATE,
// MMDDYY, YYMMDD, ...), formats.Timestamp for datetime formats (DATETIME,
// E8601DT, ...), formats.Time for time formats (TIME, HHMM, ...), else
// formats.Float64. A width and decimals suffix ("DATE9.", "TIME8.2") is
// ignored. Package xport shares it.
func KindForFormat(format string) formats.Kind {
	name := strings.ToUpper(strings.TrimSpace(format))
	name = strings.TrimRight(name, "0123456789.")
	switch {
	case name == "":
		return formats.Float64
	case dateFormats[name]:
		return formats.Date
	case datetimeFormats[name]:
		return formats.Timestamp
	case timeFormats[name]:
		return formats.Time
	}
	return formats.Float64
}

// StoreNumeric stores a non-missing SAS number in row r of out, a vector of
// kind formats.Date (days since 1960), formats.Timestamp (seconds since
// 1960, rounded to the microsecond), formats.Time (seconds since midnight,
// rounded to the microsecond) or formats.Float64 (the number itself). Dates
// too far from 1960 to represent become NULL.
func StoreNumeric(out *formats.Vector, r int, v float64) {
	switch out.Kind {
	case formats.Date:
		if math.IsInf(v, 0) || math.Abs(v) > maxDays {
			out.SetNull(r)
			return
		}
		out.SetInt(r, int64(math.Floor(v))-epochDays)
	case formats.Timestamp:
		if math.IsInf(v, 0) || math.Abs(v) > maxSeconds {
			out.SetNull(r)
			return
		}
		out.SetInt(r, int64(math.Round(v*1e6))-epochSeconds*1_000_000)
	case formats.Time:
		if math.IsInf(v, 0) || math.Abs(v) > 1e9 {
			out.SetNull(r)
			return
		}
		out.SetInt(r, int64(math.Round(v*1e6)))
	default:
		out.SetFloat(r, v)
	}
}
