package xlsx

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"datachat/formats"
	"datachat/formats/formatstest"
)

const benchRows = 100_000

// writeBenchBook writes an n x 10 workbook with excelize's StreamWriter:
// integers, floats, text (repeated and unique), dates, date-times, booleans
// and a column with blanks. benchValue gives the value of each cell.
func writeBenchBook(b testing.TB, path string, n int) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	tsStyle, err := f.NewStyle(&excelize.Style{NumFmt: 22})
	if err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"id", "amount", "name", "category", "day", "at", "flag", "count", "ratio", "note"}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	row := make([]any, 10)
	for i := 0; i < n; i++ {
		benchValues(i, row)
		row[4] = excelize.Cell{StyleID: dateStyle, Value: row[4]}
		row[5] = excelize.Cell{StyleID: tsStyle, Value: row[5]}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

var benchCats = []string{"alpha", "beta", "gamma", "delta", "epsilon"}

// benchValues stores the values of row i of the generated workbook in row,
// as the reader should return them.
func benchValues(i int, row []any) {
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	row[0] = int64(i + 1)
	row[1] = float64(i) * 1.25
	row[2] = "name " + strconv.Itoa(i)
	row[3] = benchCats[i%len(benchCats)]
	row[4] = base.AddDate(0, 0, i%3650)
	row[5] = base.Add(time.Duration(i) * time.Minute)
	row[6] = i%2 == 0
	row[7] = int64(i % 1000)
	row[8] = float64(i%97) / 8 // excelize writes 15 significant digits
	row[9] = nil
	if i%3 != 0 {
		row[9] = "note for row " + strconv.Itoa(i)
	}
}

// loadAll opens the workbook and reads every row, as the catalog would.
func loadAll(ctx context.Context, path string) (int, error) {
	return formatstest.CountFile(ctx, Open, path)
}

// peakHeap samples the live heap every few milliseconds until stop is
// called, and returns the largest sample.
func peakHeap() (stop func() uint64) {
	done := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// pandasSeconds times pandas.read_excel(engine="openpyxl") on path with
// /usr/bin/python3 (or $XLSX_BENCH_PYTHON), or returns 0 when pandas cannot
// be run.
func pandasSeconds(b *testing.B, path string) float64 {
	b.Helper()
	script := `import sys, time, pandas
t = time.perf_counter()
df = pandas.read_excel(sys.argv[1], engine="openpyxl")
print(time.perf_counter() - t, len(df))`
	// The system python carries the distribution's python3-pandas.
	python := "/usr/bin/python3"
	if p := os.Getenv("XLSX_BENCH_PYTHON"); p != "" {
		python = p
	}
	out, err := exec.Command(python, "-c", script, path).Output()
	if err != nil {
		b.Logf("pandas not run: %v", err)
		return 0
	}
	fields := strings.Fields(string(out))
	if len(fields) != 2 || fields[1] != strconv.Itoa(benchRows) {
		b.Fatalf("unexpected pandas output %q", out)
	}
	s, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkLoad100kx10 measures Open plus reading every row of a generated
// 100k-row, 10-column workbook, against pandas.read_excel(engine="openpyxl")
// timed once on the same file in the same run.
func BenchmarkLoad100kx10(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	writeBenchBook(b, path, benchRows)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	pandas := 0.0
	if os.Getenv("XLSX_BENCH_PANDAS") != "0" {
		pandas = pandasSeconds(b, path)
	}
	b.ReportAllocs()
	runtime.GC() // drop the generator's garbage before measuring the heap
	stop := peakHeap()
	b.ResetTimer()
	for b.Loop() {
		n, err := loadAll(b.Context(), path)
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("read %d rows, want %d", n, benchRows)
		}
	}
	b.StopTimer()
	peak := stop()
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(st.Size())/1e6, "file-MB")
	if pandas > 0 {
		b.ReportMetric(pandas, "pandas-s")
		b.ReportMetric(pandas/per, "x-faster-than-pandas")
	}
}

// BenchmarkLoadSharedStrings100kx10 measures a workbook laid out as Excel
// saves it: text in the shared-strings part, numbers and dates with styles.
func BenchmarkLoadSharedStrings100kx10(b *testing.B) {
	var data strings.Builder
	sst := make([]string, 0, benchRows+10)
	for c := 0; c < 10; c++ {
		sst = append(sst, "col"+strconv.Itoa(c))
	}
	data.WriteString(`<row r="1">`)
	for c := 0; c < 10; c++ {
		fmt.Fprintf(&data, `<c r="%s1" t="s"><v>%d</v></c>`, string(rune('A'+c)), c)
	}
	data.WriteString(`</row>`)
	for i := 0; i < benchRows; i++ {
		r := i + 2
		sst = append(sst, "name "+strconv.Itoa(i))
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%g</v></c><c r="C%d" t="s"><v>%d</v></c>`+
			`<c r="D%d" t="s"><v>%d</v></c><c r="E%d" s="1"><v>%d</v></c><c r="F%d" s="2"><v>%.6f</v></c><c r="G%d" t="b"><v>%d</v></c>`+
			`<c r="H%d"><v>%d</v></c><c r="I%d"><v>%g</v></c><c r="J%d" t="s"><v>%d</v></c></row>`,
			r, r, i, r, float64(i)*1.25, r, len(sst)-1, r, i%10, r, 43831+i%3650, r, 43831+float64(i)/1440, r, i%2,
			r, i%1000, r, float64(i%97)/8, r, i%len(sst))
	}
	book := testBook{sheets: []testSheet{{name: "S", data: data.String()}}, sst: sst, xfs: testXfs}.build(b)
	b.ReportAllocs()
	runtime.GC()
	stop := peakHeap()
	b.ResetTimer()
	for b.Loop() {
		tables, err := Open(b.Context(), bytes.NewReader(book), int64(len(book)), formats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		n, err := formatstest.CountRows(tables[0])
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(stop())/1e6, "peak-heap-MB")
	b.ReportMetric(float64(len(book))/1e6, "file-MB")
}
