package charts

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// svgTexts returns the text content of every element of an SVG document,
// failing the test if it is not well-formed XML.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	var root string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tk := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tk.Name.Local
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tk)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	require.Equal(t, "svg", root)
	return texts
}

// distinctColors counts the distinct pixel colours of a PNG, up to limit.
func distinctColors(t *testing.T, b []byte, limit int) (w, h, n int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	r := img.Bounds()
	seen := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y && len(seen) < limit; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	return r.Dx(), r.Dy(), len(seen)
}

func TestRenderEveryKind(t *testing.T) {
	for _, tc := range kindCases() {
		t.Run(tc.name, func(t *testing.T) {
			pngBytes, err := Render(t.Context(), tc.spec, tc.data, "png")
			require.NoError(t, err)
			if *previewDir != "" {
				require.NoError(t, os.WriteFile(filepath.Join(*previewDir, tc.name+".png"), pngBytes, 0o644))
			}
			w, h, n := distinctColors(t, pngBytes, 50)
			require.Equal(t, DefaultWidth, w)
			require.Equal(t, DefaultHeight, h)
			require.GreaterOrEqual(t, n, 5, "image looks blank")

			svg, err := Render(t.Context(), tc.spec, tc.data, "svg")
			require.NoError(t, err)
			texts := strings.Join(svgTexts(t, svg), "\n")
			m, err := prepare(t.Context(), tc.spec, tc.data)
			require.NoError(t, err)
			require.Contains(t, texts, m.spec.Title)
			require.Contains(t, texts, m.spec.XLabel)
			require.Contains(t, texts, m.spec.YLabel)
			if tc.spec.Group != "" {
				require.Contains(t, texts, humanize(tc.spec.Group), "legend title")
			}

			again, err := Render(t.Context(), tc.spec, tc.data, "png")
			require.NoError(t, err)
			require.True(t, bytes.Equal(pngBytes, again), "PNG output is not deterministic")
			svgAgain, err := Render(t.Context(), tc.spec, tc.data, "svg")
			require.NoError(t, err)
			require.True(t, bytes.Equal(svg, svgAgain), "SVG output is not deterministic")
		})
	}
}

func TestRenderOtherAndSeparators(t *testing.T) {
	svg, err := Render(t.Context(), Spec{Kind: Bar, X: "city", Y: "visits"}, citiesData(25), "svg")
	require.NoError(t, err)
	texts := svgTexts(t, svg)
	require.Contains(t, texts, "Other (6 more)")
	require.Contains(t, texts, "25,000", "value label of City 00")
	require.Contains(t, texts, "21,000", "value label of Other")
	joined := strings.Join(texts, "\n")
	require.Contains(t, joined, "19 of 25 categories shown")
	require.Contains(t, texts, "City 00")
	require.NotContains(t, texts, "City 24", "folded into Other")
	// Tick labels carry separators too.
	require.Contains(t, texts, "10,000")
}

func TestRenderLongLabelsAreTruncated(t *testing.T) {
	d := Data{Columns: []string{"name", "n"}, Types: []string{"VARCHAR", "BIGINT"}}
	for i := range 12 {
		d.Rows = append(d.Rows, []any{strings.Repeat("Long category name ", 3) + string(rune('A'+i)), int64(100 + i)})
	}
	svg, err := Render(t.Context(), Spec{Kind: Bar, X: "name", Y: "n"}, d, "svg")
	require.NoError(t, err)
	var cut int
	for _, s := range svgTexts(t, svg) {
		require.NotContains(t, s, "Long category name Long category name Long", "label not truncated")
		if strings.HasSuffix(s, "…") {
			cut++
		}
	}
	require.Equal(t, 12, cut)
}

func TestRenderTimeAxis(t *testing.T) {
	svg, err := Render(t.Context(), Spec{Kind: Line, X: "day", Y: "units"}, salesData(), "svg")
	require.NoError(t, err)
	texts := svgTexts(t, svg)
	require.Contains(t, texts, "Jan 1, 2024")
	require.Contains(t, texts, "Units over Day")
}

func TestRenderSize(t *testing.T) {
	b, err := Render(t.Context(), Spec{Kind: Histogram, X: "units", Width: 400, Height: 300}, salesData(), "png")
	require.NoError(t, err)
	w, h, _ := distinctColors(t, b, 2)
	require.Equal(t, 400, w)
	require.Equal(t, 300, h)
}

func TestRenderErrors(t *testing.T) {
	sales := salesData()
	tests := []struct {
		name    string
		spec    Spec
		data    Data
		format  string
		want    error
		contain string
	}{
		{"empty data", Spec{Kind: Bar, X: "region"}, Data{Columns: sales.Columns, Types: sales.Types}, "png",
			ErrNoRows, "columns: region, product, revenue_usd, units, day"},
		{"unknown x", Spec{Kind: Bar, X: "regio"}, sales, "png",
			ErrUnknownColumn, `"regio" for x (available: region, product, revenue_usd, units, day)`},
		{"unknown group", Spec{Kind: GroupedBar, X: "region", Group: "prod"}, sales, "png",
			ErrUnknownColumn, `"prod" for group`},
		{"text y", Spec{Kind: Bar, X: "region", Y: "product"}, sales, "png",
			ErrWrongType, "numeric columns: revenue_usd, units"},
		{"text histogram", Spec{Kind: Histogram, X: "region"}, sales, "svg",
			ErrWrongType, `"region" is VARCHAR`},
		{"text line x", Spec{Kind: Line, X: "region", Y: "units"}, sales, "png",
			ErrWrongType, "date/time or numeric columns: revenue_usd, units, day"},
		{"grouped without group", Spec{Kind: GroupedBar, X: "region"}, sales, "png",
			ErrBadSpec, "needs a group column"},
		{"scatter without y", Spec{Kind: Scatter, X: "units"}, sales, "png",
			ErrBadSpec, "needs a y column"},
		{"unknown kind", Spec{Kind: "pie", X: "region"}, sales, "png",
			ErrBadSpec, "kinds: bar, grouped_bar, stacked_bar, histogram, line, scatter"},
		{"no x", Spec{Kind: Bar}, sales, "png", ErrBadSpec, "needs an x column"},
		{"bad format", Spec{Kind: Bar, X: "region"}, sales, "gif", ErrFormat, `"gif"`},
		{"too big", Spec{Kind: Bar, X: "region", Width: 100000}, sales, "png", ErrBadSpec, "size"},
		{"ragged row", Spec{Kind: Bar, X: "a"}, Data{Columns: []string{"a", "b"}, Rows: [][]any{{"x"}}}, "png",
			ErrBadData, "row 0 has 1 values, want 2"},
		{"all null", Spec{Kind: Histogram, X: "v"}, Data{Columns: []string{"v"}, Types: []string{"DOUBLE"}, Rows: [][]any{{nil}, {nil}}}, "png",
			ErrNoRows, "no row has usable values in v"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(t.Context(), tc.spec, tc.data, tc.format)
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.contain)
		})
	}
}

func TestRenderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Render(ctx, Spec{Kind: Bar, X: "region"}, salesData(), "png")
	require.ErrorIs(t, err, context.Canceled)
}

// TestRenderOddData feeds values that have tripped chart libraries: one
// row, all-equal values, negatives, NaN and infinities, huge numbers and
// a single date.
func TestRenderOddData(t *testing.T) {
	inf := math.Inf
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	nums := Data{Columns: []string{"c", "v", "w", "t"}, Types: []string{"VARCHAR", "DOUBLE", "DOUBLE", "TIMESTAMP"}}
	nums.Rows = [][]any{
		{"a", 5.0, -3.0, day},
		{"d", math.NaN(), math.NaN(), day},
		{"b", 5.0, inf(1), day},
		{nil, 5.0, inf(-1), day},
		{"c", nil, 1e14, day},
	}
	specs := []Spec{
		{Kind: Bar, X: "c", Y: "v"},
		{Kind: Bar, X: "c", Y: "w"},
		{Kind: Histogram, X: "v"},
		{Kind: Histogram, X: "w"},
		{Kind: Line, X: "t", Y: "v"},
		{Kind: Scatter, X: "v", Y: "w"},
		{Kind: StackedBar, X: "c", Y: "w", Group: "c"},
		{Kind: Line, X: "t"},
	}
	for _, spec := range specs {
		for _, format := range []string{"png", "svg"} {
			_, err := Render(t.Context(), spec, nums, format)
			require.NoError(t, err, "%+v %s", spec, format)
		}
	}
}

// TestRenderHugeValues: values near the float64 limit overflow any axis
// range; they must give ErrBadData quickly, not hang the rasterizer.
func TestRenderHugeValues(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	d := Data{Columns: []string{"c", "v", "t"}, Types: []string{"VARCHAR", "DOUBLE", "TIMESTAMP"}, Rows: [][]any{
		{"a", -math.MaxFloat64, day},
		{"b", math.MaxFloat64, day.Add(time.Hour)},
		{"c", 1.0, day},
	}}
	small := Data{Columns: d.Columns, Types: d.Types, Rows: [][]any{{"a", math.MaxFloat64 / 1.1, day}, {"a", math.MaxFloat64 / 1.1, day}}}
	specs := []Spec{
		{Kind: Bar, X: "c", Y: "v"},
		{Kind: Histogram, X: "v"},
		{Kind: Line, X: "t", Y: "v"},
		{Kind: Scatter, X: "v", Y: "v"},
		{Kind: StackedBar, X: "c", Y: "v", Group: "c"},
	}
	for _, data := range []Data{d, small} {
		for _, spec := range specs {
			_, err := Render(t.Context(), spec, data, "png")
			require.ErrorIs(t, err, ErrBadData, "%+v", spec)
			require.ErrorContains(t, err, "too large to chart")
		}
	}
}

func TestRenderScatterSamples(t *testing.T) {
	d := bigScatter(20000)
	m, err := prepare(t.Context(), Spec{Kind: Scatter, X: "x", Y: "y"}, d)
	require.NoError(t, err)
	require.Len(t, m.xy[0].pts, MaxPoints)
	require.Contains(t, m.subtitle, "5,000 of 20,000 points")
}

func bigScatter(n int) Data {
	d := Data{Columns: []string{"x", "y"}, Types: []string{"DOUBLE", "DOUBLE"}}
	for i := range n {
		x := float64((i * 7919) % 10007)
		d.Rows = append(d.Rows, []any{x, x*0.5 + float64((i*104729)%3001)})
	}
	return d
}

func TestRenderManyGroupsAndLongTitles(t *testing.T) {
	d := Data{Columns: []string{"c", "g", "v"}, Types: []string{"VARCHAR", "VARCHAR", "DOUBLE"}}
	for i := range 12 {
		d.Rows = append(d.Rows, []any{"x", fmt.Sprintf("group %d", i), float64(i + 1)})
	}
	long := strings.Repeat("a very long axis title ", 10)
	spec := Spec{Kind: StackedBar, X: "c", Y: "v", Group: "g", Width: 300, Height: 200, XLabel: long, Title: long}
	svg, err := Render(t.Context(), spec, d, "svg")
	require.NoError(t, err)
	texts := svgTexts(t, svg)
	require.NotContains(t, texts, strings.TrimSpace(long))
	joined := strings.Join(texts, "\n")
	require.Contains(t, joined, "Other", "groups past MaxGroups are summed")
}

func TestRenderSVGFontFallback(t *testing.T) {
	svg, err := Render(t.Context(), Spec{Kind: Bar, X: "region"}, salesData(), "svg")
	require.NoError(t, err)
	require.Contains(t, string(svg), "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	require.NotContains(t, string(svg), "font-family:Liberation Sans;")
}

func TestBarsOfDatesKeepTheLargestInTimeOrder(t *testing.T) {
	d := Data{Columns: []string{"day", "n"}, Types: []string{"DATE", "BIGINT"}}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 30 {
		n := int64(100 + i) // later days are larger
		if i == 0 {
			n = 1000 // the first day is the largest
		}
		d.Rows = append(d.Rows, []any{start.AddDate(0, 0, i), n})
	}
	m, err := prepare(t.Context(), Spec{Kind: Bar, X: "day", Y: "n"}, d)
	require.NoError(t, err)
	require.Len(t, m.categories, MaxCategories)
	require.Equal(t, "2024-01-01", m.categories[0])
	require.Equal(t, "2024-01-13", m.categories[1], "days 2..12 are the smallest, folded")
	require.Equal(t, "2024-01-30", m.categories[MaxCategories-2])
	require.Equal(t, "Other (11 more)", m.categories[MaxCategories-1])
}
