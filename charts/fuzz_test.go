package charts

import (
	"errors"
	"testing"
	"time"
)

// FuzzRender draws charts of fuzzed numbers, labels and times: Render must
// return an image or one of the package's errors, quickly, never panic.
func FuzzRender(f *testing.F) {
	f.Add(uint8(0), 1.0, 2.0, 3.0, "a", "b", int64(0), int64(86400))
	f.Add(uint8(3), -1e300, 1e300, 0.0, "", "x", int64(-1), int64(1))
	f.Add(uint8(5), 0.1, 0.1, 0.1, "long label long label long label", "b", int64(1e12), int64(-1e12))
	f.Fuzz(func(t *testing.T, kind uint8, a, b, c float64, s1, s2 string, t1, t2 int64) {
		d := Data{
			Columns: []string{"cat", "x", "y", "when"},
			Types:   []string{"VARCHAR", "DOUBLE", "DOUBLE", "TIMESTAMP"},
			Rows: [][]any{
				{s1, a, b, time.Unix(t1%1e13, 0)},
				{s2, b, c, time.Unix(t2%1e13, 0)},
				{s1, c, a, time.Unix((t1+t2)%1e13, 0)},
			},
		}
		specs := []Spec{
			{Kind: Bar, X: "cat", Y: "y"},
			{Kind: StackedBar, X: "cat", Y: "x", Group: "cat"},
			{Kind: Histogram, X: "x"},
			{Kind: Line, X: "when", Y: "y"},
			{Kind: Scatter, X: "x", Y: "y"},
			{Kind: GroupedBar, X: "when", Group: "cat"},
		}
		spec := specs[int(kind)%len(specs)]
		_, err := Render(t.Context(), spec, d, "png")
		if err != nil && !errors.Is(err, ErrBadData) && !errors.Is(err, ErrNoRows) {
			t.Fatalf("%+v: unexpected error %v", spec, err)
		}
	})
}
