package spss

import (
	"strconv"

	"datachat/formats"
)

// printFormat is a decoded SPSS print or write format: the int32 in a variable
// record packs the type in bits 16-23, the width in bits 8-15 and the number
// of decimals in bits 0-7.
type printFormat struct {
	typ      int
	width    int
	decimals int
}

func decodeFormat(v uint32) printFormat {
	return printFormat{typ: int(v>>16) & 0xff, width: int(v>>8) & 0xff, decimals: int(v) & 0xff}
}

// formatInfo describes one SPSS format type code.
type formatInfo struct {
	name string
	// kind is the logical type of a numeric variable shown with the format.
	kind formats.Kind
	// decimals tells whether the format always shows its decimal count ("F8.0").
	decimals bool
}

// formatTypes maps the format type codes of the system file format to their
// names (PSPP's "System File Format", variable record print/write fields).
var formatTypes = map[int]formatInfo{
	1:  {"A", formats.String, false},
	2:  {"AHEX", formats.String, false},
	3:  {"COMMA", formats.Float64, true},
	4:  {"DOLLAR", formats.Float64, true},
	5:  {"F", formats.Float64, true},
	6:  {"IB", formats.Float64, true},
	7:  {"PIBHEX", formats.Float64, false},
	8:  {"P", formats.Float64, true},
	9:  {"PIB", formats.Float64, true},
	10: {"PK", formats.Float64, true},
	11: {"RB", formats.Float64, false},
	12: {"RBHEX", formats.Float64, false},
	15: {"Z", formats.Float64, true},
	16: {"N", formats.Float64, false},
	17: {"E", formats.Float64, true},
	20: {"DATE", formats.Date, false},
	21: {"TIME", formats.Time, false},
	22: {"DATETIME", formats.Timestamp, false},
	23: {"ADATE", formats.Date, false},
	24: {"JDATE", formats.Date, false},
	25: {"DTIME", formats.Time, false},
	26: {"WKDAY", formats.Float64, false},
	27: {"MONTH", formats.Float64, false},
	28: {"MOYR", formats.Date, false},
	29: {"QYR", formats.Date, false},
	30: {"WKYR", formats.Date, false},
	31: {"PCT", formats.Float64, true},
	32: {"DOT", formats.Float64, true},
	33: {"CCA", formats.Float64, true},
	34: {"CCB", formats.Float64, true},
	35: {"CCC", formats.Float64, true},
	36: {"CCD", formats.Float64, true},
	37: {"CCE", formats.Float64, true},
	38: {"EDATE", formats.Date, false},
	39: {"SDATE", formats.Date, false},
	40: {"MTIME", formats.Time, false},
	41: {"YMDHMS", formats.Timestamp, false},
}

// String renders the format the way SPSS syntax spells it: "F8.2", "A20",
// "DATE11", "DATETIME23.2". Unknown type codes give "".
func (f printFormat) String() string {
	info, ok := formatTypes[f.typ]
	if !ok {
		return ""
	}
	s := info.name + strconv.Itoa(f.width)
	if info.decimals || f.decimals > 0 {
		s += "." + strconv.Itoa(f.decimals)
	}
	return s
}

// numericKind is the logical type of a numeric variable with this print
// format: dates, timestamps and times by format, Float64 otherwise.
func (f printFormat) numericKind() formats.Kind {
	if info, ok := formatTypes[f.typ]; ok && info.kind != formats.String {
		return info.kind
	}
	return formats.Float64
}
