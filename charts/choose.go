package charts

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Choose picks a chart for data from its column types. x, y and group
// name columns to use and may each be empty; Choose fills in the empty x
// and y when it can. The rules:
//
//   - category + number: bar (grouped or stacked with a group column)
//   - date/time + number: line
//   - number + number: scatter
//   - one number: histogram (a count bar when it is an integer column with
//     at most 20 distinct values, such as a class or a rating)
//   - one category: bar of row counts
//   - category + category: grouped (up to 4 groups) or stacked bar of
//     row counts, the second category as the group
//
// With no columns given, Choose prefers a date/time column for x, then a
// category with few distinct values, and skips identifier-like columns
// (whose name ends in the word "id", like "user_id" or "PassengerId", with
// a distinct value per row).
func Choose(data Data, x, y, group string) (Spec, error) {
	cols, err := resolveColumns(data)
	if err != nil {
		return Spec{}, err
	}
	if len(data.Rows) == 0 {
		return Spec{}, fmt.Errorf("%w: the result has no rows (columns: %s)", ErrNoRows, columnNames(cols))
	}
	return choose(cols, data, x, y, group)
}

// Thresholds of Choose.
const (
	maxBarCategories   = 50 // distinct values for a column to be a bar chart's x when picked automatically
	maxIntegerCategory = 20 // distinct values for an integer column to be counted as a category
	maxGroupedSeries   = 4  // more groups than this stack instead of standing side by side
	distinctCap        = 1000
)

type chooser struct {
	cols     []column
	rows     [][]any
	distinct map[int]int
}

// distinctCount counts the distinct values of a column, up to distinctCap+1.
func (c *chooser) distinctCount(col column) int {
	if n, ok := c.distinct[col.index]; ok {
		return n
	}
	seen := map[string]struct{}{}
	for _, r := range c.rows {
		seen[categoryLabel(r[col.index])] = struct{}{}
		if len(seen) > distinctCap {
			break
		}
	}
	c.distinct[col.index] = len(seen)
	return len(seen)
}

func (c *chooser) integerCategory(col column) bool {
	return col.kind == kindNumber && col.integer && c.distinctCount(col) <= maxIntegerCategory
}

func (c *chooser) idLike(col column) bool {
	words := splitWords(col.name)
	if len(words) == 0 || (words[len(words)-1] != "id" && words[len(words)-1] != "uuid") {
		return false // "PassengerId" and "user_id" are; "paid" and "valid" are not
	}
	return c.distinctCount(col) >= min(len(c.rows), distinctCap)
}

// unique reports whether no two rows share the values of cols.
func (c *chooser) unique(cols ...column) bool {
	seen := map[string]struct{}{}
	for _, r := range c.rows {
		var k strings.Builder
		for _, col := range cols {
			k.WriteString(categoryLabel(r[col.index]))
			k.WriteByte(0)
		}
		if _, dup := seen[k.String()]; dup {
			return false
		}
		seen[k.String()] = struct{}{}
	}
	return true
}

func (c *chooser) groupedKind(group column) Kind {
	if c.distinctCount(group) <= maxGroupedSeries {
		return GroupedBar
	}
	return StackedBar
}

func choose(cols []column, data Data, x, y, group string) (Spec, error) {
	c := &chooser{cols: cols, rows: data.Rows, distinct: map[int]int{}}
	get := func(role, name string) (column, bool, error) {
		if name == "" {
			return column{}, false, nil
		}
		col, ok := lookup(cols, name)
		if !ok {
			return column{}, false, fmt.Errorf("%w %q for %s (available: %s)", ErrUnknownColumn, name, role, columnNames(cols))
		}
		return col, true, nil
	}
	xc, hasX, err := get("x", x)
	if err != nil {
		return Spec{}, err
	}
	yc, hasY, err := get("y", y)
	if err != nil {
		return Spec{}, err
	}
	gc, hasG, err := get("group", group)
	if err != nil {
		return Spec{}, err
	}
	spec := Spec{}
	if hasG {
		spec.Group = gc.name
	}
	switch {
	case hasX && hasY:
		err = c.pair(&spec, xc, yc, hasG)
	case hasX:
		err = c.single(&spec, xc, hasG)
	case hasY:
		err = c.onlyY(&spec, yc, hasG, gc)
	default:
		err = c.auto(&spec, hasG, gc)
	}
	if err != nil {
		return Spec{}, err
	}
	return spec, nil
}

// bar sets a bar chart of y (a count when y is empty) by x.
func (c *chooser) bar(s *Spec, x column, y string, hasG bool) {
	s.Kind, s.X, s.Y = Bar, x.name, y
	if hasG {
		if g, ok := lookup(c.cols, s.Group); ok {
			s.Kind = c.groupedKind(g)
		}
	}
}

func (c *chooser) isCategory(col column) bool {
	return col.kind == kindCategory || c.integerCategory(col)
}

func (c *chooser) pair(s *Spec, x, y column, hasG bool) error {
	switch {
	case x.kind == kindTime && y.kind == kindNumber:
		s.Kind, s.X, s.Y = Line, x.name, y.name
	case x.kind == kindNumber && y.kind == kindTime:
		s.Kind, s.X, s.Y = Line, y.name, x.name
	case x.kind == kindNumber && y.kind == kindNumber:
		s.Kind, s.X, s.Y = Scatter, x.name, y.name
	case y.kind == kindNumber: // x is a category
		c.bar(s, x, y.name, hasG)
	case x.kind == kindNumber: // y is a category: bars go along the category
		c.bar(s, y, x.name, hasG)
	case hasG:
		return fmt.Errorf("%w: x %q and y %q are both non-numeric, so y would be the group, but group %q is set too",
			ErrBadSpec, x.name, y.name, s.Group)
	case x.kind == kindTime: // a count over time per category
		s.Kind, s.X, s.Group = Line, x.name, y.name
	case y.kind == kindTime:
		s.Kind, s.X, s.Group = Line, y.name, x.name
	default: // two categories: counts of x, split by y
		s.Kind, s.X, s.Group = c.groupedKind(y), x.name, y.name
	}
	return nil
}

func (c *chooser) single(s *Spec, x column, hasG bool) error {
	switch {
	case x.kind == kindTime:
		s.Kind, s.X = Line, x.name
	case x.kind == kindCategory || c.integerCategory(x):
		c.bar(s, x, "", hasG)
	case hasG:
		return fmt.Errorf("%w: a histogram of %q cannot be split by group %q; give a y column or no group",
			ErrBadSpec, x.name, s.Group)
	default:
		s.Kind, s.X = Histogram, x.name
	}
	return nil
}

func (c *chooser) onlyY(s *Spec, y column, hasG bool, g column) error {
	if y.kind != kindNumber {
		return c.single(s, y, hasG)
	}
	if x, ok := c.pickX(y, g, hasG); ok {
		return c.pair(s, x, y, hasG)
	}
	if hasG {
		return fmt.Errorf("%w: no x column to plot %q against (available: %s)", ErrBadSpec, y.name, columnNames(c.cols))
	}
	s.Kind, s.X = Histogram, y.name
	return nil
}

// pickX finds an x column for a numeric y: a date/time column, else a
// category with few distinct values.
func (c *chooser) pickX(y, g column, hasG bool) (column, bool) {
	free := func(col column) bool { return col.index != y.index && (!hasG || col.index != g.index) }
	for _, col := range c.cols {
		if free(col) && col.kind == kindTime {
			return col, true
		}
	}
	for _, col := range c.cols {
		if free(col) && c.isCategory(col) && !c.idLike(col) && c.distinctCount(col) <= maxBarCategories {
			return col, true
		}
	}
	return column{}, false
}

func (c *chooser) auto(s *Spec, hasG bool, g column) error {
	var nums, times, cats []column
	for _, col := range c.cols {
		if hasG && col.index == g.index {
			continue
		}
		switch {
		case col.kind == kindTime:
			times = append(times, col)
		case c.idLike(col):
		default:
			if c.isCategory(col) && c.distinctCount(col) <= maxBarCategories {
				cats = append(cats, col)
			}
			if col.kind == kindNumber {
				nums = append(nums, col)
			}
		}
	}
	// Measures before few-valued integers (which also serve as categories).
	slices.SortStableFunc(nums, func(a, b column) int {
		return cmp.Compare(b2i(c.integerCategory(a)), b2i(c.integerCategory(b)))
	})
	var measure *column
	if len(cats) > 0 {
		for i := range nums {
			if nums[i].index != cats[0].index {
				measure = &nums[i]
				break
			}
		}
	}
	switch {
	case len(times) > 0 && len(nums) > 0:
		s.Kind, s.X, s.Y = Line, times[0].name, nums[0].name
	case measure != nil:
		// Rows already aggregated per category get a bar of the value;
		// raw rows (a category repeats) get a bar of counts, as a sum of
		// raw values rarely means anything.
		switch {
		case c.unique(cats[0]):
			c.bar(s, cats[0], measure.name, hasG)
		case !hasG && len(cats) > 1 && cats[1].index != measure.index && c.unique(cats[0], cats[1]):
			s.Group = cats[1].name
			c.bar(s, cats[0], measure.name, true)
		default:
			c.bar(s, cats[0], "", hasG)
		}
	case len(nums) > 1:
		s.Kind, s.X, s.Y = Scatter, nums[0].name, nums[1].name
	case len(nums) == 1 && !hasG:
		s.Kind, s.X = Histogram, nums[0].name
	case len(cats) > 0:
		c.bar(s, cats[0], "", hasG)
	case len(times) > 0:
		s.Kind, s.X = Line, times[0].name
	default:
		return fmt.Errorf("%w: no column to chart: need a numeric, date/time, or categorical column with at most %d distinct values (columns: %s)",
			ErrBadSpec, maxBarCategories, columnNames(c.cols))
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
