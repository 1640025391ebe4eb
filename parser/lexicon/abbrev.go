package lexicon

import (
	"slices"
	"strings"
)

// abbreviations expand the short forms of table headers and questions, most
// likely reading first. Keys are lower case; Expand also tries a key
// without its final ".".
var abbreviations = map[string][]string{
	// counts and identifiers
	"no": {"number"}, "nº": {"number"}, "#": {"number"}, "num": {"number"},
	"nr": {"number"}, "nbr": {"number"}, "nos": {"numbers"}, "qty": {"quantity"}, "cnt": {"count"},
	"id": {"identifier"}, "ref": {"reference"}, "seq": {"sequence"}, "idx": {"index"},
	// statistics
	"avg": {"average"}, "ave": {"average", "avenue"}, "med": {"median", "medium"},
	"max": {"maximum"}, "min": {"minimum", "minute"}, "tot": {"total"}, "ttl": {"total"},
	"std": {"standard"}, "dev": {"deviation", "development"}, "var": {"variance", "variable"},
	"pct": {"percent"}, "%": {"percent"}, "perc": {"percent"}, "freq": {"frequency"},
	"approx": {"approximately"}, "est": {"estimated", "established"}, "yoy": {"year over year"},
	"ytd": {"year to date"}, "cum": {"cumulative"}, "chg": {"change"}, "diff": {"difference"},
	"inc": {"increase", "incorporated"}, "dec": {"decrease", "december"},
	// money and business
	"amt": {"amount"}, "bal": {"balance"}, "rev": {"revenue"}, "exp": {"expenses", "experience"},
	"sal": {"salary"}, "inv": {"invoice", "inventory"}, "txn": {"transaction"}, "acct": {"account"},
	"dept": {"department"}, "mgr": {"manager"}, "emp": {"employee"}, "corp": {"corporation"},
	"co": {"company", "county"}, "ltd": {"limited"}, "assoc": {"association"}, "assn": {"association"},
	"gdp": {"gross domestic product"}, "k": {"thousand"}, "bn": {"billion"}, "mn": {"million"},
	"mil": {"million"}, "mln": {"million"}, "thou": {"thousand"},
	// time
	"yr": {"year"}, "yrs": {"years"}, "mo": {"month"}, "mos": {"months"}, "wk": {"week"},
	"wks": {"weeks"}, "hr": {"hour"}, "hrs": {"hours"}, "mins": {"minutes"}, "sec": {"second"},
	"secs": {"seconds"}, "dob": {"date of birth"}, "dod": {"date of death"}, "yob": {"year of birth"},
	// people and places
	"pop": {"population"}, "govt": {"government"}, "gov": {"government"}, "intl": {"international"},
	"natl": {"national"}, "nat": {"national"}, "dist": {"district", "distance"}, "reg": {"region"},
	"ctry": {"country"}, "cty": {"county", "city"}, "st": {"street", "saint", "state"},
	"rd": {"road"}, "mt": {"mount", "mountain"}, "ft": {"feet", "fort"},
	"elev": {"elevation"}, "alt": {"altitude", "alternative"}, "lat": {"latitude"},
	"lon": {"longitude"}, "lng": {"longitude"}, "long": {"longitude"}, "addr": {"address"},
	"tel": {"telephone"}, "univ": {"university"}, "dr": {"doctor", "drive"}, "jr": {"junior"},
	"sr": {"senior"}, "prof": {"professor"}, "pres": {"president"}, "sen": {"senator"},
	"rep": {"representative"}, "gen": {"general"}, "capt": {"captain"}, "admin": {"administration"},
	"m": {"male"}, "f": {"female"}, "ppl": {"people"}, "hh": {"household"},
	// measures
	"temp": {"temperature", "temporary"}, "ht": {"height"}, "wt": {"weight"}, "len": {"length"},
	"vol": {"volume"}, "dur": {"duration"}, "dia": {"diameter"}, "sq": {"square"},
	"hp": {"horsepower"}, "cyl": {"cylinders"}, "rpm": {"revolutions per minute"},
	"mpg": {"miles per gallon"}, "lvl": {"level"}, "deg": {"degrees"},
	// sport
	"pts": {"points"}, "pt": {"point"}, "gp": {"games played"}, "pld": {"played"}, "apps": {"appearances"},
	"gls": {"goals"}, "gf": {"goals for"}, "ga": {"goals against"}, "gd": {"goal difference"},
	"ast": {"assists"}, "reb": {"rebounds"}, "yds": {"yards"}, "td": {"touchdowns"},
	"att": {"attempts", "attendance"}, "pos": {"position"}, "rnd": {"round"}, "rk": {"rank"},
	"ppg": {"points per game"}, "rpg": {"rebounds per game"}, "apg": {"assists per game"},
	"w": {"wins", "won"}, "l": {"losses", "lost"}, "d": {"draws", "drawn"},
	"vs": {"versus"}, "v": {"versus"},
	// other
	"cat": {"category"}, "desc": {"description", "descending"}, "asc": {"ascending"},
	"info": {"information"}, "misc": {"miscellaneous"}, "etc": {"et cetera"}, "eg": {"for example"},
	"ie": {"that is"}, "w/": {"with"}, "w/o": {"without"}, "&": {"and"}, "+": {"plus"},
	"e.g.": {"for example"}, "i.e.": {"that is"},
}

// Expand returns the words an abbreviation stands for, most likely first,
// or nil: "pts" gives ["points"], "no." ["number"], "temp" ["temperature",
// "temporary"]. Several keys are also plain words ("no", "pop", "cat",
// "long", "min"); a caller decides from the context, for instance by
// expanding only table headers or words no lemma explains.
func Expand(abbr string) []string {
	a := lower(abbr)
	if e, ok := abbreviations[a]; ok {
		return slices.Clone(e)
	}
	if t, ok := strings.CutSuffix(a, "."); ok {
		return slices.Clone(abbreviations[t])
	}
	return nil
}
