package charts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var preview = flag.Bool("preview", false, "write preview PNGs of the titanic charts to testdata/preview")

// TestPreview renders titanic charts for a person to look at. With
// -preview it rewrites testdata/preview/*.png.
func TestPreview(t *testing.T) {
	data := loadTitanic(t)
	cases := []struct {
		name string
		spec Spec
	}{
		{"count_by_class", Spec{Kind: Bar, X: "Pclass", Title: "Passengers by class"}},
		{"age_histogram", Spec{Kind: Histogram, X: "Age"}},
		{"fare_histogram", Spec{Kind: Histogram, X: "Fare"}},
		{"survived_by_class_grouped", Spec{Kind: GroupedBar, X: "Pclass", Group: "Sex", Y: "Survived"}},
		{"embarked_stacked", Spec{Kind: StackedBar, X: "Embarked", Group: "Pclass"}},
		{"age_fare_scatter", Spec{Kind: Scatter, X: "Age", Y: "Fare", Group: "Sex"}},
		{"fare_by_name", Spec{Kind: Bar, X: "Name", Y: "Fare"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			png, err := Render(t.Context(), tc.spec, data, "png")
			require.NoError(t, err)
			dir := t.TempDir()
			if *preview {
				dir = filepath.Join("testdata", "preview")
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, tc.name+".png"), png, 0o644))
		})
	}
}
