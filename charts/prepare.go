package charts

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// model is a chart ready to draw: the spec with every default filled in,
// and the data aggregated, binned or sampled. Render and VegaLite both
// draw from it, so the image and the Vega-Lite spec show the same thing.
type model struct {
	spec     Spec // Kind, Title, XLabel, YLabel, Width and Height are set
	subtitle string

	x, y, group column
	hasY        bool // false: bar and line values are row counts
	hasGroup    bool

	// Bar kinds: values[s][c] is series s at category c.
	categories []string
	series     []string
	values     [][]float64

	// Histogram: bins of width binWidth from binStart.
	bins     []float64 // counts
	binStart float64
	binWidth float64

	// Line and scatter.
	xTime    bool // x values are Unix seconds
	dateOnly bool // every x time is midnight UTC, so x labels are dates
	xy       []xySeries
}

type xySeries struct {
	name string
	pts  []xyPoint
}

type xyPoint struct{ x, y float64 }

// ctxEvery is how many rows are scanned between context checks.
const ctxEvery = 8192

func prepare(ctx context.Context, spec Spec, data Data) (*model, error) {
	cols, err := resolveColumns(data)
	if err != nil {
		return nil, err
	}
	if len(data.Rows) == 0 {
		return nil, fmt.Errorf("%w: the result has no rows (columns: %s)", ErrNoRows, columnNames(cols))
	}
	if spec.Kind == "" {
		chosen, err := choose(cols, data, spec.X, spec.Y, spec.Group)
		if err != nil {
			return nil, err
		}
		spec.Kind, spec.X, spec.Y, spec.Group = chosen.Kind, chosen.X, chosen.Y, chosen.Group
	}
	if err := checkSize(&spec); err != nil {
		return nil, err
	}
	m := &model{spec: spec}
	if err := m.resolve(cols); err != nil {
		return nil, err
	}
	switch spec.Kind {
	case Bar, GroupedBar, StackedBar:
		err = m.prepareBars(ctx, data.Rows)
	case Histogram:
		err = m.prepareHistogram(ctx, data.Rows)
	case Line, Scatter:
		err = m.prepareXY(ctx, data.Rows)
	}
	if err != nil {
		return nil, err
	}
	if err := m.checkFinite(); err != nil {
		return nil, err
	}
	m.defaults()
	return m, nil
}

// checkFinite rejects data whose sums or ranges overflow float64: an axis
// from -1e308 to 1e308 has no width that can be drawn.
func (m *model) checkFinite() error {
	// With room to spare: axes add padding to the data range.
	finite := func(vs ...float64) bool {
		for _, v := range vs {
			if math.IsInf(v*1.25, 0) || math.IsNaN(v) {
				return false
			}
		}
		return true
	}
	bad := func(col string) error {
		return fmt.Errorf("%w: the values of %s are too large to chart (their range or sum overflows)", ErrBadData, col)
	}
	yName := m.spec.Y
	if !m.hasY {
		yName = "the counts"
	}
	switch m.spec.Kind {
	case Bar, GroupedBar, StackedBar:
		lo, hi := 0.0, 0.0
		for c := range m.categories {
			pos, neg := 0.0, 0.0
			for s := range m.series {
				v := m.values[s][c]
				if v > 0 {
					pos += v
				} else {
					neg += v
				}
				lo, hi = min(lo, v), max(hi, v)
			}
			if !finite(pos, neg, pos-neg) {
				return bad(yName)
			}
		}
		if !finite(hi-lo, lo, hi) {
			return bad(yName)
		}
	case Line, Scatter:
		xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, s := range m.xy {
			for _, p := range s.pts {
				xlo, xhi = min(xlo, p.x), max(xhi, p.x)
				ylo, yhi = min(ylo, p.y), max(yhi, p.y)
			}
		}
		if !finite(xhi-xlo, xlo, xhi) {
			return bad(m.spec.X)
		}
		if !finite(yhi-ylo, ylo, yhi) {
			return bad(yName)
		}
	}
	return nil
}

func checkSize(spec *Spec) error {
	if spec.Width == 0 {
		spec.Width = DefaultWidth
	}
	if spec.Height == 0 {
		spec.Height = DefaultHeight
	}
	if spec.Width < MinSize || spec.Width > MaxSize || spec.Height < MinSize || spec.Height > MaxSize {
		return fmt.Errorf("%w: size %dx%d is outside %d..%d pixels", ErrBadSpec, spec.Width, spec.Height, MinSize, MaxSize)
	}
	return nil
}

// resolve checks the spec's columns against the data and the kind.
func (m *model) resolve(cols []column) error {
	s := &m.spec
	get := func(role, name string) (column, error) {
		c, ok := lookup(cols, name)
		if !ok {
			return column{}, fmt.Errorf("%w %q for %s (available: %s)", ErrUnknownColumn, name, role, columnNames(cols))
		}
		return c, nil
	}
	need := func(role string, c column, kinds ...colKind) error {
		if slices.Contains(kinds, c.kind) {
			return nil
		}
		want := make([]string, len(kinds))
		for i, k := range kinds {
			want[i] = k.String()
		}
		return fmt.Errorf("%w: %s chart needs a %s %s column, %q is %s (%s columns: %s)",
			ErrWrongType, s.Kind, strings.Join(want, " or "), role, c.name, c.typ,
			strings.Join(want, " or "), columnNames(cols, kinds...))
	}
	if s.Kind == Histogram && s.X == "" && s.Y != "" {
		s.X, s.Y = s.Y, ""
	}
	if s.X == "" {
		return fmt.Errorf("%w: %s chart needs an x column (available: %s)", ErrBadSpec, s.Kind, columnNames(cols))
	}
	var err error
	if m.x, err = get("x", s.X); err != nil {
		return err
	}
	s.X = m.x.name
	if s.Y != "" {
		if m.y, err = get("y", s.Y); err != nil {
			return err
		}
		s.Y, m.hasY = m.y.name, true
	}
	if s.Group != "" {
		if m.group, err = get("group", s.Group); err != nil {
			return err
		}
		s.Group, m.hasGroup = m.group.name, true
	}
	if m.hasY && s.Kind != Histogram {
		if err := need("y", m.y, kindNumber); err != nil {
			return err
		}
	}
	switch s.Kind {
	case Bar:
	case GroupedBar, StackedBar:
		if !m.hasGroup {
			return fmt.Errorf("%w: %s chart needs a group column (available: %s)", ErrBadSpec, s.Kind, columnNames(cols))
		}
	case Histogram:
		if m.hasY {
			return fmt.Errorf("%w: histogram takes one column (x), got y %q too", ErrBadSpec, s.Y)
		}
		if m.hasGroup {
			return fmt.Errorf("%w: histogram takes no group column, got %q", ErrBadSpec, s.Group)
		}
		return need("x", m.x, kindNumber)
	case Line:
		return need("x", m.x, kindTime, kindNumber)
	case Scatter:
		if !m.hasY {
			return fmt.Errorf("%w: scatter chart needs a y column (numeric columns: %s)", ErrBadSpec, columnNames(cols, kindNumber))
		}
		return need("x", m.x, kindNumber, kindTime)
	default:
		kinds := make([]string, len(Kinds))
		for i, k := range Kinds {
			kinds[i] = string(k)
		}
		return fmt.Errorf("%w: unknown kind %q (kinds: %s)", ErrBadSpec, s.Kind, strings.Join(kinds, ", "))
	}
	return nil
}

func checkCtx(ctx context.Context, i int) error {
	if i%ctxEvery == 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("prepare chart: %w", err)
		}
	}
	return nil
}

// ranked orders names by total, largest first (ties by name), keeping at
// most limit of them: the rest map to one last bucket, named by other.
type ranked struct {
	names  []string
	index  map[string]int
	folded int // how many names went into the last bucket; 0 if none
}

// rank keeps the limit-1 largest names when there are more than limit. When
// order is not nil, the kept names are then shown in that order (dates in
// time order) rather than by size; the "other" bucket stays last.
func rank(totals map[string]float64, limit int, other func(n int) string, order func(a, b string) int) ranked {
	names := make([]string, 0, len(totals))
	for n := range totals {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(totals[b], totals[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	r := ranked{index: make(map[string]int, len(names))}
	kept := names
	if len(names) > limit {
		kept = slices.Clone(names[:limit-1])
		r.folded = len(names) - len(kept)
	}
	if order != nil {
		slices.SortFunc(kept, order)
	}
	for i, n := range kept {
		r.index[n] = i
	}
	r.names = kept
	if r.folded > 0 {
		for _, n := range names[limit-1:] {
			r.index[n] = limit - 1
		}
		r.names = append(r.names, other(r.folded))
	}
	return r
}

func otherCategories(n int) string { return fmt.Sprintf("Other (%d more)", n) }
func otherGroups(int) string       { return "Other" }

// cell is the value of one row for the bar and line kinds: Y, or 1 for a
// row count.
func (m *model) cell(r []any) (float64, bool) {
	if !m.hasY {
		return 1, true
	}
	return toFloat(r[m.y.index])
}

func (m *model) prepareBars(ctx context.Context, rows [][]any) error {
	type key struct{ cat, grp string }
	sums := map[key]float64{}
	catTotals := map[string]float64{}
	grpTotals := map[string]float64{}
	catTimes := map[string]time.Time{}
	for i, r := range rows {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		v, ok := m.cell(r)
		if !ok {
			continue
		}
		cat := categoryLabel(r[m.x.index])
		if m.x.kind == kindTime {
			if t, ok := toTime(r[m.x.index]); ok {
				cat = formatTimeLabel(t)
				catTimes[cat] = t
			}
		}
		grp := ""
		if m.hasGroup {
			grp = categoryLabel(r[m.group.index])
		}
		sums[key{cat, grp}] += v
		catTotals[cat] += v
		grpTotals[grp] += v
	}
	if len(sums) == 0 {
		return m.noValues()
	}
	var order func(a, b string) int
	if m.x.kind == kindTime {
		// Dates read best in time order; a null date goes last.
		order = func(a, b string) int {
			ta, oka := catTimes[a]
			tb, okb := catTimes[b]
			switch {
			case oka && okb:
				return ta.Compare(tb)
			case oka != okb:
				if oka {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		}
	} else if m.x.kind == kindNumber {
		// Numbered categories (class 1, 2, 3; a count of siblings) read
		// best in numeric order; a missing value goes last.
		order = func(a, b string) int {
			fa, erra := strconv.ParseFloat(a, 64)
			fb, errb := strconv.ParseFloat(b, 64)
			switch {
			case erra == nil && errb == nil:
				return cmp.Compare(fa, fb)
			case (erra == nil) != (errb == nil):
				if erra == nil {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		}
	}
	cats := rank(catTotals, MaxCategories, otherCategories, order)
	grps := rank(grpTotals, MaxGroups, otherGroups, nil)
	m.categories, m.series = cats.names, grps.names
	m.values = make([][]float64, len(grps.names))
	for s := range m.values {
		m.values[s] = make([]float64, len(cats.names))
	}
	// Sum in a fixed order so float results do not depend on map order.
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.cat, b.cat), strings.Compare(a.grp, b.grp))
	})
	for _, k := range keys {
		m.values[grps.index[k.grp]][cats.index[k.cat]] += sums[k]
	}
	var notes []string
	if cats.folded > 0 {
		notes = append(notes, fmt.Sprintf("%s of %s categories shown; the other %s are summed as \"Other\"",
			formatValue(float64(MaxCategories-1)), formatValue(float64(len(catTotals))), formatValue(float64(cats.folded))))
	}
	if grps.folded > 0 {
		notes = append(notes, fmt.Sprintf("the smallest %d groups are summed as \"Other\"", grps.folded))
	}
	m.subtitle = strings.Join(notes, "; ")
	return nil
}

func (m *model) noValues() error {
	cols := m.spec.X
	if m.hasY {
		cols += ", " + m.spec.Y
	}
	return fmt.Errorf("%w: no row has usable values in %s", ErrNoRows, cols)
}

func (m *model) prepareHistogram(ctx context.Context, rows [][]any) error {
	vals := make([]float64, 0, len(rows))
	integral := true
	for i, r := range rows {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		if v, ok := toFloat(r[m.x.index]); ok {
			vals = append(vals, v)
			integral = integral && v == math.Trunc(v)
		}
	}
	if len(vals) == 0 {
		return m.noValues()
	}
	slices.Sort(vals)
	if lo, hi := vals[0], vals[len(vals)-1]; math.IsInf((hi-lo)*1.25, 0) || math.IsInf(lo*1.25, 0) || math.IsInf(hi*1.25, 0) {
		return fmt.Errorf("%w: the values of %s are too large to chart (their range overflows)", ErrBadData, m.spec.X)
	}
	m.binStart, m.binWidth = binning(vals, integral)
	n := int(binCount(vals[len(vals)-1], m.binStart, m.binWidth, integral))
	m.bins = make([]float64, n)
	for _, v := range vals {
		i := int(math.Floor((v - m.binStart) / m.binWidth))
		m.bins[min(max(i, 0), n-1)]++
	}
	return nil
}

// Histogram bin counts are kept between these bounds.
const minBins, maxBins = 5, 50

// binning picks the bin width and first edge for sorted values: the
// Freedman–Diaconis bin count (Sturges' when the IQR is zero) capped to
// 5..50, then rounded to a width of 1, 2, 2.5 or 5 times a power of ten,
// and to a whole number for integer data.
func binning(sorted []float64, integral bool) (start, width float64) {
	n := len(sorted)
	lo, hi := sorted[0], sorted[n-1]
	if hi == lo {
		if integral {
			return lo, 1
		}
		w := niceFloor(math.Max(math.Abs(lo)/10, 1e-9))
		return math.Floor(lo/w) * w, w
	}
	iqr := quantile(sorted, 0.75) - quantile(sorted, 0.25)
	var k float64
	if iqr > 0 {
		k = math.Ceil((hi - lo) / (2 * iqr / math.Cbrt(float64(n))))
	} else {
		k = math.Ceil(math.Log2(float64(n))) + 1
	}
	k = min(max(k, minBins), maxBins)
	raw := (hi - lo) / k
	if !(raw > 0) || math.IsInf(raw, 0) {
		return lo, 1 // unreachable for finite, distinct values; never loop on Inf
	}
	count := func(w float64) float64 { return binCount(hi, math.Floor(lo/w)*w, w, integral) }
	best, bestScore := 0.0, math.Inf(1)
	e := math.Floor(math.Log10(raw))
	for p := e - 1; p <= e+1; p++ {
		for _, f := range []float64{1, 2, 2.5, 5} {
			w := f * math.Pow(10, p)
			if integral && (w < 1 || w != math.Trunc(w)) {
				continue
			}
			c := count(w)
			score := math.Abs(math.Log(c / k))
			if c < minBins || c > maxBins+1 {
				score += 100 // allowed only when nothing else fits
			}
			if score < bestScore {
				best, bestScore = w, score
			}
		}
	}
	if best == 0 { // integer data spanning less than the candidates
		best = 1
	}
	return math.Floor(lo/best) * best, best
}

// binCount is the number of bins of width w from start needed to hold
// values up to hi. Bins are half-open, [a, a+w), except that a maximum
// lying exactly on an edge joins the last bin rather than opening a bin
// of its own (for integer data it does open one: 80 is not in 70..79).
func binCount(hi, start, w float64, integral bool) float64 {
	n := (hi - start) / w
	if !integral && n > 0 && n == math.Trunc(n) {
		return n
	}
	return math.Floor(n) + 1
}

// niceFloor is the largest 1, 2 or 5 times a power of ten not above v.
func niceFloor(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= v {
			return f * p
		}
	}
	return p
}

// quantile is the q-th quantile of sorted values, interpolated linearly.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

func (m *model) xValue(v any) (float64, bool) {
	if m.x.kind == kindTime {
		t, ok := toTime(v)
		if !ok {
			return 0, false
		}
		return float64(t.Unix()) + float64(t.Nanosecond())/1e9, true
	}
	return toFloat(v)
}

func (m *model) prepareXY(ctx context.Context, rows [][]any) error {
	m.xTime = m.x.kind == kindTime
	m.dateOnly = m.xTime
	type row struct {
		x, y float64
		grp  string
	}
	pts := make([]row, 0, len(rows))
	grpTotals := map[string]float64{}
	for i, r := range rows {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		x, ok := m.xValue(r[m.x.index])
		if !ok {
			continue
		}
		y, ok := m.cell(r)
		if !ok {
			continue
		}
		if m.dateOnly && math.Mod(x, 86400) != 0 {
			m.dateOnly = false
		}
		grp := ""
		if m.hasGroup {
			grp = categoryLabel(r[m.group.index])
		}
		pts = append(pts, row{x, y, grp})
		if m.spec.Kind == Scatter {
			grpTotals[grp]++
		} else {
			grpTotals[grp] += math.Abs(y)
		}
	}
	if len(pts) == 0 {
		return m.noValues()
	}
	grps := rank(grpTotals, MaxGroups, otherGroups, nil)
	m.xy = make([]xySeries, len(grps.names))
	for i, n := range grps.names {
		m.xy[i].name = n
	}
	var notes []string
	if m.spec.Kind == Scatter {
		total := len(pts)
		if total > MaxPoints {
			sampled := make([]row, MaxPoints)
			for i := range sampled {
				sampled[i] = pts[int(int64(i)*int64(total)/MaxPoints)]
			}
			pts = sampled
			notes = append(notes, fmt.Sprintf("%s of %s points shown, sampled evenly", formatValue(MaxPoints), formatValue(float64(total))))
		}
		for _, p := range pts {
			s := &m.xy[grps.index[p.grp]]
			s.pts = append(s.pts, xyPoint{p.x, p.y})
		}
	} else {
		// Sum the rows that share an x value, then sort by x.
		type key struct {
			s int
			x float64
		}
		sums := map[key]float64{}
		for _, p := range pts {
			sums[key{grps.index[p.grp], p.x}] += p.y
		}
		for k, v := range sums {
			m.xy[k.s].pts = append(m.xy[k.s].pts, xyPoint{k.x, v})
		}
		thinned := false
		for i := range m.xy {
			s := &m.xy[i]
			slices.SortFunc(s.pts, func(a, b xyPoint) int { return cmp.Compare(a.x, b.x) })
			if n := len(s.pts); n > MaxPoints {
				kept := make([]xyPoint, MaxPoints)
				for j := range kept {
					kept[j] = s.pts[int(int64(j)*int64(n-1)/(MaxPoints-1))]
				}
				s.pts, thinned = kept, true
			}
		}
		if thinned {
			notes = append(notes, fmt.Sprintf("long lines thinned to %s evenly spaced points", formatValue(MaxPoints)))
		}
	}
	if grps.folded > 0 {
		notes = append(notes, fmt.Sprintf("the smallest %d groups are shown as \"Other\"", grps.folded))
	}
	m.subtitle = strings.Join(notes, "; ")
	return nil
}

// defaults fills in the title and axis titles.
func (m *model) defaults() {
	s := &m.spec
	if s.XLabel == "" {
		s.XLabel = humanize(s.X)
	}
	if s.YLabel == "" {
		if m.hasY {
			s.YLabel = humanize(s.Y)
		} else {
			s.YLabel = "Count"
		}
	}
	if s.Title != "" {
		return
	}
	g := ""
	if m.hasGroup {
		g = humanize(s.Group)
	}
	switch s.Kind {
	case Histogram:
		s.Title = "Distribution of " + s.XLabel
	case Scatter:
		s.Title = s.YLabel + " vs " + s.XLabel
		if g != "" {
			s.Title += " by " + g
		}
	case Line:
		s.Title = s.YLabel + " over " + s.XLabel
		if g != "" {
			s.Title += " by " + g
		}
	default:
		s.Title = s.YLabel + " by " + s.XLabel
		if g != "" {
			s.Title += " and " + g
		}
	}
}
