package charts

import (
	"math"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// randomValue returns a value of any type a query can yield, including
// awkward ones.
func randomValue(r *rand.Rand) any {
	switch r.IntN(12) {
	case 0:
		return nil
	case 1:
		return r.Int64N(2000) - 1000
	case 2:
		return r.NormFloat64() * 1e6
	case 3:
		return []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -0.0, 1e300, -1e-300}[r.IntN(7)]
	case 4:
		return []string{"", "a", "ünïcödé ☃", "a.b[c]", "Other", "(missing)", "<&>\"'"}[r.IntN(7)]
	case 5:
		return time.Date(1900+r.IntN(300), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
	case 6:
		return r.IntN(2) == 0
	case 7:
		return uint8(r.IntN(256))
	case 8:
		return big.NewInt(r.Int64())
	case 9:
		return float32(r.Float64())
	case 10:
		return "2024-01-0" + string(rune('1'+r.IntN(9)))
	default:
		return struct{ A int }{r.IntN(3)}
	}
}

// TestRandomInputNeverPanics renders random specs over random data: every
// call must return an image or an error, never panic.
func TestRandomInputNeverPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	types := []string{"", "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN", "DECIMAL(10,2)"}
	cols := []string{"a", "b", "c"}
	rendered := 0
	for i := range 300 {
		d := Data{Columns: cols}
		if r.IntN(3) > 0 {
			for range cols {
				d.Types = append(d.Types, types[r.IntN(len(types))])
			}
		}
		for range r.IntN(40) {
			d.Rows = append(d.Rows, []any{randomValue(r), randomValue(r), randomValue(r)})
		}
		pick := func() string { return []string{"", "a", "b", "c", "zz"}[r.IntN(5)] }
		spec := Spec{Kind: Kinds[r.IntN(len(Kinds))], X: pick(), Y: pick(), Group: pick()}
		if r.IntN(6) == 0 {
			spec.Kind = ""
		}
		format := []string{"png", "svg"}[i%2]
		require.NotPanics(t, func() {
			out, err := Render(t.Context(), spec, d, format)
			if err == nil {
				require.NotEmpty(t, out)
				rendered++
			}
			_, _ = VegaLite(spec, d)
			_, _ = Choose(d, spec.X, spec.Y, spec.Group)
		}, "spec %+v", spec)
	}
	// The random specs must reach the drawing code, not only fail checks.
	require.Greater(t, rendered, 25)
	t.Logf("%d of 300 random specs rendered", rendered)
}

func TestRenderConcurrent(t *testing.T) {
	sales := salesData()
	want, err := Render(t.Context(), Spec{Kind: GroupedBar, X: "region", Y: "units", Group: "product"}, sales, "png")
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := Render(t.Context(), Spec{Kind: GroupedBar, X: "region", Y: "units", Group: "product"}, sales, "png")
			if err == nil && string(got) != string(want) {
				err = errNotSame
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

var errNotSame = errorString("concurrent render differs")

type errorString string

func (e errorString) Error() string { return string(e) }
