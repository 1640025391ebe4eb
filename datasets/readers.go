package datasets

import "datachat/formats"

// readers are the Go readers of the formats DuckDB cannot read itself, keyed
// by format name. DuckDB's own readers load csv, tsv, json and parquet.
var readers = map[string]formats.OpenFunc{}
