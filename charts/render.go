package charts

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Images are drawn at 96 pixels per inch; vg lengths are points (1/72 in).
const (
	dpi     = 96
	pxPerPt = dpi / 72.0
)

func px(n float64) vg.Length { return vg.Length(n / pxPerPt) }

// palette is Vega's default categorical scheme ("tableau10"), so the image
// and the Vega-Lite spec use the same colours.
var palette = []string{
	"#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b",
	"#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
}

// otherColor is the colour of the "Other" series.
const otherColor = "#bab0ac"

// seriesColors returns one colour per series name.
func seriesColors(names []string) []string {
	cs := make([]string, len(names))
	for i, n := range names {
		cs[i] = palette[i%(len(palette)-1)]
		if n == "Other" && i == len(names)-1 && i > 0 {
			cs[i] = otherColor
		}
	}
	return cs
}

func hexColor(s string) color.RGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.RGBA{A: 255}
	}
	return color.RGBA{R: r, G: g, B: b, A: 255}
}

var (
	textColor  = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 255}
	mutedColor = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 255}
	axisColor  = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 255}
	gridColor  = color.RGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 255}
)

// sizer scales the sizes of text, lines and gaps with the image: 1 at the
// default 800×500, smaller for small images and larger for big ones.
type sizer float64

func (m *model) sizer() sizer {
	s := min(float64(m.spec.Width)/DefaultWidth, float64(m.spec.Height)/DefaultHeight)
	return sizer(min(max(s, 0.6), 2.5))
}

// px converts a length in pixels at the default size to points.
func (s sizer) px(n float64) vg.Length { return px(n * float64(s)) }

// text is a text style of size pixels at the default size.
func (s sizer) text(size float64, bold bool, c color.Color) text.Style {
	return textStyle(size*float64(s), bold, c)
}

// textStyle is Liberation Sans (embedded in gonum's font package) at a
// size in pixels.
func textStyle(sizePx float64, bold bool, c color.Color) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: px(sizePx)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler}
}

// render draws the model as a PNG or SVG image.
func render(ctx context.Context, m *model, format string) (out []byte, err error) {
	// gonum/plot panics on some degenerate input; report it as an error.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render %s chart: %v", m.spec.Kind, r)
		}
	}()
	w, h := px(float64(m.spec.Width)), px(float64(m.spec.Height))
	var (
		cv  vg.Canvas
		svg *vgsvg.Canvas
		img *vgimg.Canvas
	)
	if format == "svg" {
		svg = vgsvg.NewWith(vgsvg.UseWH(w, h))
		cv = svg
	} else {
		img = vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		cv = img
	}
	dc := draw.New(cv.(vg.CanvasSizer))
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if err := drawChart(dc, m); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("render chart: %w", err)
	}
	var buf bytes.Buffer
	if svg != nil {
		if _, err := svg.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("encode svg: %w", err)
		}
		// Liberation Sans has Arial's metrics, so viewers without it keep
		// the layout with Arial or Helvetica rather than a serif default.
		return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), svgFontFamily), nil
	}
	if err := pngEncoder.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

var svgFontFamily = []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")

// pngEncoder trades a little size for speed: default compression took
// most of the time of a render.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed}

// fit truncates s with an ellipsis until it is at most width wide.
func fit(sty text.Style, s string, width vg.Length) string {
	n := len([]rune(s))
	for n > 1 && sty.Width(s) > width {
		n--
		s = truncate(s, n)
	}
	return s
}

type legendEntry struct {
	name  string
	color color.Color
}

func drawChart(dc draw.Canvas, m *model) error {
	sz := m.sizer()
	margin := sz.px(16)
	c := draw.Crop(dc, margin, -margin, margin, -margin)
	width := c.Max.X - c.Min.X

	// Title and subtitle, centred at the top.
	titleSty := sz.text(18, true, textColor)
	titleSty.XAlign, titleSty.YAlign = draw.XCenter, draw.YTop
	c.FillText(titleSty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, fit(titleSty, m.spec.Title, width))
	c.Max.Y -= titleSty.Height("Xg") + sz.px(6)
	if m.subtitle != "" {
		sub := sz.text(12, false, mutedColor)
		sub.XAlign, sub.YAlign = draw.XCenter, draw.YTop
		c.FillText(sub, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, fit(sub, m.subtitle, width))
		c.Max.Y -= sub.Height("Xg") + sz.px(4)
	}
	c.Max.Y -= sz.px(8)

	// Legend on the right when there is more than one series.
	var entries []legendEntry
	names := m.series
	if m.spec.Kind == Line || m.spec.Kind == Scatter {
		names = names[:0:0]
		for _, s := range m.xy {
			names = append(names, s.name)
		}
	}
	if m.hasGroup {
		for i, col := range seriesColors(names) {
			entries = append(entries, legendEntry{name: names[i], color: hexColor(col)})
		}
	}
	if len(entries) > 0 {
		lw := drawLegend(c, m, entries)
		c.Max.X -= lw + sz.px(12)
	}

	p := plot.New()
	p.BackgroundColor = nil
	styleAxis(sz, &p.X, m.spec.XLabel, c.Max.X-c.Min.X)
	styleAxis(sz, &p.Y, m.spec.YLabel, c.Max.Y-c.Min.Y)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = gridColor
	grid.Horizontal.Width = sz.px(1)
	p.Add(grid)

	switch m.spec.Kind {
	case Bar, GroupedBar, StackedBar:
		c.Min.X += addBars(p, c, m)
	case Histogram:
		addHistogram(p, m)
	case Line, Scatter:
		if err := addXY(p, m); err != nil {
			return err
		}
	}
	p.Draw(c)
	return nil
}

func styleAxis(sz sizer, a *plot.Axis, label string, length vg.Length) {
	// Keep gonum's alignment and rotation of the axis texts; set fonts.
	a.Label.TextStyle.Font = sz.text(14, false, textColor).Font
	a.Label.Text = fit(a.Label.TextStyle, label, length*0.9)
	a.Label.TextStyle.Color = textColor
	a.Label.Padding = sz.px(6)
	a.Tick.Label.Font = sz.text(12, false, mutedColor).Font
	a.Tick.Label.Color = mutedColor
	a.Tick.LineStyle.Color = axisColor
	a.Tick.Length = sz.px(4)
	a.LineStyle.Color = axisColor
	a.LineStyle.Width = sz.px(1)
}

// drawLegend draws the legend in the right of c and returns its width.
func drawLegend(c draw.Canvas, m *model, entries []legendEntry) vg.Length {
	sz := m.sizer()
	head := sz.text(13, true, textColor)
	item := sz.text(12, false, textColor)
	maxW := (c.Max.X - c.Min.X) * 0.3
	sw := sz.px(12) // swatch size
	gap := sz.px(6)
	title := fit(head, humanize(m.spec.Group), maxW)
	labels := make([]string, len(entries))
	lw := head.Width(title)
	for i, e := range entries {
		labels[i] = fit(item, e.name, maxW-sw-gap)
		lw = max(lw, sw+gap+item.Width(labels[i]))
	}
	x := c.Max.X - lw
	y := c.Max.Y
	head.YAlign = draw.YTop
	c.FillText(head, vg.Point{X: x, Y: y}, title)
	y -= head.Height("Xg") + sz.px(6)
	rowH := max(item.Height("Xg"), sw) + sz.px(5)
	item.YAlign = draw.YCenter
	// Entries that do not fit the height are summed up in a last line.
	if fits := int((y - c.Min.Y) / rowH); fits < len(entries) {
		fits = max(fits-1, 0)
		more := fmt.Sprintf("+%d more", len(entries)-fits)
		entries, labels = entries[:fits], labels[:fits]
		defer c.FillText(item, vg.Point{X: x, Y: y - vg.Length(fits)*rowH - rowH/2}, more)
	}
	for i, e := range entries {
		mid := y - rowH/2
		switch m.spec.Kind {
		case Line:
			c.StrokeLine2(draw.LineStyle{Color: e.color, Width: sz.px(3)}, x, mid, x+sw, mid)
		case Scatter:
			c.DrawGlyph(draw.GlyphStyle{Color: e.color, Radius: sw / 3, Shape: draw.CircleGlyph{}}, vg.Point{X: x + sw/2, Y: mid})
		default:
			c.FillPolygon(e.color, []vg.Point{{X: x, Y: mid - sw/2}, {X: x + sw, Y: mid - sw/2}, {X: x + sw, Y: mid + sw/2}, {X: x, Y: mid + sw/2}})
		}
		c.FillText(item, vg.Point{X: x + sw + gap, Y: mid}, labels[i])
		y -= rowH
	}
	return lw
}

// rect is a filled rectangle in data coordinates.
type rect struct {
	x0, x1, y0, y1 float64
	color          color.Color
}

// valueLabel is a number written above (or below, for negative values)
// the end of a bar.
type valueLabel struct {
	x, y  float64
	value float64
}

// barPlot draws rectangles and value labels; it is a plot.Plotter.
type barPlot struct {
	rects   []rect
	outline color.Color // between adjacent histogram bars; nil for none
	labels  []valueLabel
	sz      sizer
	spacing float64 // distance between label centres in data units, to check that labels fit
}

// Plot implements plot.Plotter.
func (b *barPlot) Plot(c draw.Canvas, plt *plot.Plot) {
	sz := b.sz
	trX, trY := plt.Transforms(&c)
	for _, r := range b.rects {
		pts := []vg.Point{
			{X: trX(r.x0), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y0)},
			{X: trX(r.x1), Y: trY(r.y1)}, {X: trX(r.x0), Y: trY(r.y1)},
		}
		c.FillPolygon(r.color, pts)
		if b.outline != nil {
			c.StrokeLines(draw.LineStyle{Color: b.outline, Width: sz.px(1)}, append(pts, pts[0]))
		}
	}
	if len(b.labels) == 0 {
		return
	}
	// Full numbers when they fit over their bars (in a smaller font if
	// need be), else compact ones (12.3k), else none: labels must not
	// overlap.
	room := (trX(b.spacing) - trX(0)) * 0.92
	texts := make([]string, len(b.labels))
	for _, try := range []struct {
		format func(float64) string
		size   float64
	}{{formatValue, 13}, {formatValue, 11}, {formatValue, 10}, {compactValue, 11}, {compactValue, 10}} {
		sty := sz.text(try.size, false, textColor)
		sty.XAlign = draw.XCenter
		ok := true
		for i, l := range b.labels {
			texts[i] = try.format(l.value)
			if sty.Width(texts[i]) > room {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for i, l := range b.labels {
			s := sty
			pt := vg.Point{X: trX(l.x), Y: trY(l.y) + sz.px(3)}
			if l.value < 0 {
				s.YAlign = draw.YTop
				pt.Y = trY(l.y) - sz.px(3)
			}
			c.FillText(s, pt, texts[i])
		}
		return
	}
}

// DataRange implements plot.DataRanger.
func (b *barPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range b.rects {
		xmin, xmax = min(xmin, r.x0, r.x1), max(xmax, r.x0, r.x1)
		ymin, ymax = min(ymin, r.y0, r.y1), max(ymax, r.y0, r.y1)
	}
	return xmin, xmax, ymin, ymax
}

// compactValue formats large numbers with a suffix: 12,345 -> "12.3k".
func compactValue(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		div float64
		sfx string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.div {
			s := formatFixed(v/u.div, 1)
			return strings.TrimSuffix(s, ".0") + u.sfx
		}
	}
	if a >= 1 && v != math.Trunc(v) { // three significant digits: 512.33 -> "512"
		return formatValue(math.Round(v*math.Pow(10, float64(2-int(math.Log10(a))))) / math.Pow(10, float64(2-int(math.Log10(a)))))
	}
	return formatValue(v)
}

// valueAxis sets the y range of a bar chart: from zero, with headroom for
// the value labels.
func valueAxis(p *plot.Plot, m *model, lo, hi float64, integer bool) {
	lo, hi = min(lo, 0), max(hi, 0)
	if hi == lo {
		hi = 1
	}
	// Room for a value label: 8%, or more when the plot is short.
	sz := m.sizer()
	plotH := float64(m.spec.Height) - 150*float64(sz)
	frac := 0.08
	if plotH > 0 {
		frac = max(frac, 1.5*16*float64(sz)/plotH)
	}
	pad := (hi - lo) * min(frac, 0.3)
	p.Y.Min, p.Y.Max = lo, hi
	if lo < 0 {
		p.Y.Min = lo - pad
	}
	if hi > 0 {
		p.Y.Max = hi + pad
	}
	p.Y.Tick.Marker = numberTicks{integer: integer}
	p.Y.Padding = 0
}

// addBars adds a bar chart to p and returns how much the category labels
// need moved right so that none is cut at the left edge.
func addBars(p *plot.Plot, c draw.Canvas, m *model) vg.Length {
	sz := m.sizer()
	nc, ns := len(m.categories), len(m.series)
	colors := seriesColors(m.series)
	bp := &barPlot{sz: sz}
	lo, hi := 0.0, 0.0
	const fill = 0.8 // share of a category slot covered by its bars
	switch m.spec.Kind {
	case StackedBar:
		bp.spacing = 1
		for ci := range nc {
			pos, neg := 0.0, 0.0
			for si := range ns {
				v := m.values[si][ci]
				base := &pos
				if v < 0 {
					base = &neg
				}
				bp.rects = append(bp.rects, rect{float64(ci) - fill/2, float64(ci) + fill/2, *base, *base + v, hexColor(colors[si])})
				*base += v
			}
			lo, hi = min(lo, neg), max(hi, pos)
			bp.labels = append(bp.labels, valueLabel{x: float64(ci), y: pos, value: pos + neg})
			if pos == 0 && neg < 0 {
				bp.labels[len(bp.labels)-1].y = neg
			}
		}
	default:
		bw := fill / float64(ns)
		bp.spacing = 1
		if ns > 1 {
			bp.spacing = bw
		}
		for ci := range nc {
			for si := range ns {
				v := m.values[si][ci]
				if ns > 1 && v == 0 {
					continue // an absent group, not a zero-height bar with a "0" label
				}
				x0 := float64(ci) - fill/2 + float64(si)*bw
				bp.rects = append(bp.rects, rect{x0, x0 + bw, 0, v, hexColor(colors[si])})
				bp.labels = append(bp.labels, valueLabel{x: x0 + bw/2, y: v, value: v})
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	p.Add(bp)
	valueAxis(p, m, lo, hi, !m.hasY)
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	p.X.Padding = 0
	p.X.Tick.Length = 0
	return categoryTicks(sz, p, c, m.categories)
}

// categoryTicks labels the category axis so that labels never overlap:
// level when they fit, else truncated and turned 45° or 90°, and as a last
// resort only every k-th one. It returns how far turned labels would
// reach past the left edge of c.
func categoryTicks(sz sizer, p *plot.Plot, c draw.Canvas, cats []string) vg.Length {
	sty := p.X.Tick.Label
	yAxisW := sz.px(80) // about: the y axis title and tick labels
	plotW := (c.Max.X - c.Min.X) - yAxisW
	slot := plotW / vg.Length(len(cats))
	lineH := sty.Height("Xg")
	widest := vg.Length(0)
	for _, s := range cats {
		widest = max(widest, sty.Width(s))
	}
	labels := cats
	step := 1
	overflow := vg.Length(0)
	switch {
	case widest <= slot*0.92:
	default:
		const maxRunes = 24
		labels = make([]string, len(cats))
		for i, s := range cats {
			labels[i] = truncate(s, maxRunes)
		}
		angle := math.Pi / 4
		if slot*vg.Length(math.Sin(angle)) < lineH*1.15 {
			angle = math.Pi / 2
		}
		if slot < lineH*1.1 {
			step = int(math.Ceil(float64(lineH*1.1) / float64(slot)))
		}
		p.X.Tick.Label.Rotation = angle
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		for i, s := range labels {
			reach := sty.Width(s)*vg.Length(math.Cos(angle)) + lineH/2
			overflow = max(overflow, reach-(yAxisW+slot*(vg.Length(i)+0.5)))
		}
	}
	ticks := make([]plot.Tick, 0, len(labels))
	for i, s := range labels {
		if i%step != 0 {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: s})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	return overflow
}

func addHistogram(p *plot.Plot, m *model) {
	sz := m.sizer()
	bp := &barPlot{sz: sz, outline: color.White}
	col := hexColor(palette[0])
	hi := 0.0
	for i, n := range m.bins {
		x0 := m.binStart + float64(i)*m.binWidth
		bp.rects = append(bp.rects, rect{x0, x0 + m.binWidth, 0, n, col})
		hi = max(hi, n)
	}
	p.Add(bp)
	valueAxis(p, m, 0, hi, true)
	p.X.Min = m.binStart
	p.X.Max = m.binStart + float64(len(m.bins))*m.binWidth
	p.X.Tick.Marker = numberTicks{plain: isYearColumn(m.x.name), room: xRoom(m)}
}

// xRoom is about how many tick label characters fit along the x axis:
// the image width less margins, y axis and legend, over the width of a
// digit (7 pixels at the default size).
func xRoom(m *model) float64 {
	sz := float64(m.sizer())
	w := float64(m.spec.Width) - 130*sz
	if m.hasGroup {
		w -= 120 * sz
	}
	return max(w, 50) / (7 * sz)
}

// isYearColumn reports whether a column holds years, which print without
// thousands separators.
func isYearColumn(name string) bool {
	for _, w := range splitWords(name) {
		if w == "year" || w == "yr" || w == "years" {
			return true
		}
	}
	return false
}

func addXY(p *plot.Plot, m *model) error {
	sz := m.sizer()
	colors := seriesColors(func() []string {
		n := make([]string, len(m.xy))
		for i, s := range m.xy {
			n[i] = s.name
		}
		return n
	}())
	total := 0
	for _, s := range m.xy {
		total += len(s.pts)
	}
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, s := range m.xy {
		if len(s.pts) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(s.pts))
		for j, pt := range s.pts {
			xys[j] = plotter.XY{X: pt.x, Y: pt.y}
			xmin, xmax = min(xmin, pt.x), max(xmax, pt.x)
		}
		col := hexColor(colors[i])
		if m.spec.Kind == Line {
			l, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("line %q: %w", s.name, err)
			}
			l.LineStyle = draw.LineStyle{Color: col, Width: sz.px(2.5)}
			p.Add(l)
			if len(xys) <= 60 {
				sc, err := plotter.NewScatter(xys)
				if err != nil {
					return fmt.Errorf("line %q: %w", s.name, err)
				}
				sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: sz.px(3.5), Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("scatter %q: %w", s.name, err)
		}
		c := color.Color(col)
		if total > 500 {
			c = color.NRGBA{R: col.R, G: col.G, B: col.B, A: 150}
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: sz.px(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	if m.spec.Kind == Scatter {
		// Keep points off the axes.
		dx, dy := (p.X.Max-p.X.Min)*0.03, (p.Y.Max-p.Y.Min)*0.03
		p.X.Min, p.X.Max = p.X.Min-dx, p.X.Max+dx
		p.Y.Min, p.Y.Max = p.Y.Min-dy, p.Y.Max+dy
	}
	if m.xTime {
		if xmin == xmax {
			day := 86400.0
			p.X.Min, p.X.Max = xmin-day, xmax+day
		}
		p.X.Tick.Marker = timeTicks{dateOnly: m.dateOnly, room: xRoom(m)}
	} else {
		p.X.Tick.Marker = numberTicks{plain: isYearColumn(m.x.name), integer: m.x.integer, room: xRoom(m)}
	}
	p.Y.Tick.Marker = numberTicks{integer: !m.hasY}
	if m.spec.Kind == Line {
		// Lines of counts or of positive values read best from zero when
		// the data are not far from it.
		if p.Y.Min > 0 && p.Y.Min < p.Y.Max*0.5 {
			p.Y.Min = 0
		}
	}
	return nil
}
