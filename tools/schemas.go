package tools

import "datachat/charts"

// The parts of the tools' contracts that several tools share. Output
// schemas name the fields a client can rely on, briefly (every client reads
// them in tools/list); results may carry more.

var workspaceArg = str("handle from load_file")

// Output field types.
var (
	oStr   = &schema{Type: "string"}
	oInt   = &schema{Type: "integer"}
	oBool  = &schema{Type: "boolean"}
	oList  = &schema{Type: "array"}
	oThing = object().open()
)

func rows(extra ...prop) *schema {
	return object(append([]prop{
		field("columns", oList), field("rows", oList),
		field("row_count", oInt), field("truncated", oBool),
	}, extra...)...).requires("columns", "rows", "row_count", "truncated").open()
}

var (
	loadOutput = object(field("workspace", oStr), field("tables", oList)).requires("workspace", "tables").open()

	listOutput = object(field("datasets", oList)).requires("datasets").open()

	describeOutput = object(
		field("dataset", oStr), field("rows", oInt), field("columns", oList),
	).requires("dataset", "rows", "columns").open()

	queryOutput = rows(field("whole_result", oList))

	chartOutput = object(
		field("spec", oThing), field("vega_lite", oThing), field("rows", oInt),
	).requires("spec", "vega_lite", "rows").open()

	chatOutput = object(
		field("answer", oStr), field("sql", oStr), field("confident", oBool),
	).requires("answer", "confident").open()

	viewRowsOutput = rows(field("offset", oInt), field("total", oInt))
)

func chartKinds() []string {
	out := make([]string, len(charts.Kinds))
	for i, k := range charts.Kinds {
		out[i] = string(k)
	}
	return out
}
