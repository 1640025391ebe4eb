package charts

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// vegaLiteSchema is the Vega-Lite version the specs are written for.
const vegaLiteSchema = "https://vega.github.io/schema/vega-lite/v5.json"

// numberFormat is the d3 format of numbers: thousands separators, no
// exponent, no trailing zeros.
const numberFormat = ",~f"

// vlField escapes a column name for a Vega-Lite field reference, where
// dots and brackets would otherwise mean nested access.
func vlField(name string) string {
	r := strings.NewReplacer(`\`, `\\`, ".", `\.`, "[", `\[`, "]", `\]`)
	return r.Replace(name)
}

// fieldNames picks the keys of the inline data values: the column names,
// and for counts "count" (or "count_", ... if a column has that name).
type fieldNames struct {
	x, y, group string
}

func (m *model) fields() fieldNames {
	f := fieldNames{x: m.spec.X, y: m.spec.Y, group: m.spec.Group}
	if m.spec.Kind == Histogram {
		f.y = "count"
		for f.y == f.x {
			f.y += "_"
		}
	}
	if !m.hasY && m.spec.Kind != Histogram {
		f.y = "count"
		for f.y == f.x || f.y == f.group {
			f.y += "_"
		}
	}
	return f
}

func vlTime(sec float64, dateOnly bool) string {
	s := math.Floor(sec)
	t := time.Unix(int64(s), int64(math.Round((sec-s)*1e9))).UTC()
	if dateOnly {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

func vegaLite(m *model) map[string]any {
	f := m.fields()
	title := map[string]any{"text": m.spec.Title}
	if m.subtitle != "" {
		title["subtitle"] = m.subtitle
	}
	spec := map[string]any{
		"$schema":    vegaLiteSchema,
		"title":      title,
		"width":      m.spec.Width - 140,
		"height":     m.spec.Height - 160,
		"background": "white",
	}
	yAxis := map[string]any{"format": numberFormat, "tickMinStep": 1}
	if m.hasY {
		delete(yAxis, "tickMinStep")
	}
	y := map[string]any{"field": vlField(f.y), "type": "quantitative", "title": m.spec.YLabel, "axis": yAxis}
	var colorEnc map[string]any
	if m.hasGroup {
		var names []string
		if len(m.xy) > 0 {
			for _, s := range m.xy {
				names = append(names, s.name)
			}
		} else {
			names = m.series
		}
		colorEnc = map[string]any{
			"field": vlField(f.group), "type": "nominal", "title": humanize(m.spec.Group),
			"sort":  names,
			"scale": map[string]any{"domain": names, "range": seriesColors(names)},
		}
	}

	switch m.spec.Kind {
	case Bar, GroupedBar, StackedBar:
		var values []map[string]any
		for ci, cat := range m.categories {
			for si, s := range m.series {
				v := m.values[si][ci]
				if len(m.series) > 1 && v == 0 {
					continue
				}
				row := map[string]any{f.x: cat, f.y: v}
				if m.hasGroup {
					row[f.group] = s
				}
				values = append(values, row)
			}
		}
		spec["data"] = map[string]any{"values": values}
		// Level labels when they fit their band (about 7 pixels a letter),
		// else turned, as in the image.
		angle, widest := 0, 0
		for _, c := range m.categories {
			widest = max(widest, utf8.RuneCountInString(c))
		}
		if widest*7 > (m.spec.Width-140)/len(m.categories) {
			angle = -40
		}
		x := map[string]any{
			"field": vlField(f.x), "type": "nominal", "title": m.spec.XLabel, "sort": m.categories,
			"axis": map[string]any{"labelLimit": 160, "labelAngle": angle},
		}
		enc := map[string]any{"x": x, "y": y, "tooltip": tooltip(f, m)}
		if m.hasGroup {
			enc["color"] = colorEnc
			if m.spec.Kind == GroupedBar {
				enc["xOffset"] = map[string]any{"field": vlField(f.group), "sort": m.series}
			} else {
				// Stack in series order, first at the bottom, as in the image.
				names, _ := json.Marshal(m.series)
				key, _ := json.Marshal(f.group)
				spec["transform"] = []any{map[string]any{
					"calculate": fmt.Sprintf("indexof(%s, datum[%s])", names, key),
					"as":        "series_order",
				}}
				enc["order"] = map[string]any{"field": "series_order", "type": "quantitative", "sort": "ascending"}
			}
		}
		if m.spec.Kind == Bar {
			labelSize := 11
			if len(m.categories) > 12 {
				labelSize = 9
			}
			spec["encoding"] = enc
			spec["layer"] = []any{
				map[string]any{"mark": map[string]any{"type": "bar", "color": palette[0]}},
				map[string]any{
					"mark":     map[string]any{"type": "text", "dy": -6, "color": "#222222", "fontSize": labelSize},
					"encoding": map[string]any{"text": map[string]any{"field": vlField(f.y), "type": "quantitative", "format": numberFormat}},
				},
			}
		} else {
			spec["mark"] = map[string]any{"type": "bar"}
			spec["encoding"] = enc
		}
	case Histogram:
		values := make([]map[string]any, len(m.bins))
		for i, n := range m.bins {
			lo := m.binStart + float64(i)*m.binWidth
			values[i] = map[string]any{"bin_start": lo, "bin_end": lo + m.binWidth, f.y: n}
		}
		spec["data"] = map[string]any{"values": values}
		xFormat := numberFormat
		if isYearColumn(m.x.name) {
			xFormat = "d"
		}
		spec["mark"] = map[string]any{"type": "bar", "color": palette[0], "stroke": "white", "strokeWidth": 1}
		spec["encoding"] = map[string]any{
			"x": map[string]any{
				"field": "bin_start", "type": "quantitative", "title": m.spec.XLabel,
				"bin": map[string]any{"binned": true, "step": m.binWidth}, "axis": map[string]any{"format": xFormat},
			},
			"x2": map[string]any{"field": "bin_end"},
			"y":  y,
			"tooltip": []any{
				map[string]any{"field": "bin_start", "type": "quantitative", "title": "From", "format": numberFormat},
				map[string]any{"field": "bin_end", "type": "quantitative", "title": "To", "format": numberFormat},
				map[string]any{"field": vlField(f.y), "type": "quantitative", "title": "Count", "format": numberFormat},
			},
		}
	case Line, Scatter:
		var values []map[string]any
		total := 0
		for _, s := range m.xy {
			for _, p := range s.pts {
				row := map[string]any{f.y: p.y}
				if m.xTime {
					row[f.x] = vlTime(p.x, m.dateOnly)
				} else {
					row[f.x] = p.x
				}
				if m.hasGroup {
					row[f.group] = s.name
				}
				values = append(values, row)
				total++
			}
		}
		spec["data"] = map[string]any{"values": values}
		x := map[string]any{"field": vlField(f.x), "title": m.spec.XLabel}
		if m.xTime {
			x["type"] = "temporal"
			x["scale"] = map[string]any{"type": "utc"}
			if m.dateOnly {
				x["axis"] = map[string]any{"format": "%b %-d, %Y"}
			}
		} else {
			x["type"] = "quantitative"
			format := numberFormat
			if isYearColumn(m.x.name) {
				format = "d"
			}
			x["axis"] = map[string]any{"format": format}
		}
		enc := map[string]any{"x": x, "y": y, "tooltip": tooltip(f, m)}
		if m.hasGroup {
			enc["color"] = colorEnc
		} else {
			enc["color"] = map[string]any{"value": palette[0]}
		}
		if m.spec.Kind == Line {
			spec["mark"] = map[string]any{"type": "line", "point": total <= 60*len(m.xy), "strokeWidth": 2.5}
		} else {
			x["scale"] = mergeScale(x["scale"], map[string]any{"zero": false})
			y["scale"] = map[string]any{"zero": false}
			opacity := 1.0
			if total > 500 {
				opacity = 0.6
			}
			spec["mark"] = map[string]any{"type": "circle", "size": 40, "opacity": opacity}
		}
		spec["encoding"] = enc
	}
	return spec
}

func mergeScale(old any, add map[string]any) map[string]any {
	out := map[string]any{}
	if o, ok := old.(map[string]any); ok {
		for k, v := range o {
			out[k] = v
		}
	}
	for k, v := range add {
		out[k] = v
	}
	return out
}

func tooltip(f fieldNames, m *model) []any {
	xType := "nominal"
	switch {
	case m.spec.Kind == Bar || m.spec.Kind == GroupedBar || m.spec.Kind == StackedBar:
	case m.xTime:
		xType = "temporal"
	default:
		xType = "quantitative"
	}
	t := []any{map[string]any{"field": vlField(f.x), "type": xType, "title": m.spec.XLabel}}
	if m.hasGroup {
		t = append(t, map[string]any{"field": vlField(f.group), "type": "nominal", "title": humanize(m.spec.Group)})
	}
	return append(t, map[string]any{"field": vlField(f.y), "type": "quantitative", "title": m.spec.YLabel, "format": numberFormat})
}
