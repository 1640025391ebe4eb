package datasets

import (
	"datachat/formats"
	"datachat/formats/htmltable"
	"datachat/formats/sas7bdat"
	"datachat/formats/spss"
	"datachat/formats/stata"
	"datachat/formats/text"
	"datachat/formats/xlsx"
	"datachat/formats/xmltable"
	"datachat/formats/xport"
)

// readers are the Go readers of the formats DuckDB cannot read itself, keyed
// by format name. DuckDB's own readers load csv, tsv, json and parquet.
var readers = map[string]formats.OpenFunc{
	FormatXLSX:     xlsx.Open,
	FormatHTML:     htmltable.Open,
	FormatXML:      xmltable.Open,
	FormatTXT:      text.Open,
	FormatStata:    stata.Open,
	FormatSAS7BDAT: sas7bdat.Open,
	FormatSAV:      spss.Open,
	FormatXPT:      xport.Open,
}
