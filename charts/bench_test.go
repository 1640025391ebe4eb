package charts

import (
	"fmt"
	"testing"
)

// BenchmarkRenderBar20 renders a 20-bar PNG.
func BenchmarkRenderBar20(b *testing.B) {
	d := Data{Columns: []string{"product", "revenue_usd"}, Types: []string{"VARCHAR", "DOUBLE"}}
	for i := range 20 {
		d.Rows = append(d.Rows, []any{fmt.Sprintf("Product number %d", i), float64(1000 + i*7919%50000)})
	}
	spec := Spec{Kind: Bar, X: "product", Y: "revenue_usd"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(b.Context(), spec, d, "png"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderScatter5000 renders a 5,000-point scatter PNG.
func BenchmarkRenderScatter5000(b *testing.B) {
	d := bigScatter(5000)
	spec := Spec{Kind: Scatter, X: "x", Y: "y"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(b.Context(), spec, d, "png"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderScatter5000SVG renders the same scatter as SVG.
func BenchmarkRenderScatter5000SVG(b *testing.B) {
	d := bigScatter(5000)
	spec := Spec{Kind: Scatter, X: "x", Y: "y"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(b.Context(), spec, d, "svg"); err != nil {
			b.Fatal(err)
		}
	}
}
