// Package explore looks at a loaded table with SQL and proposes the few
// charts most worth seeing, each with a one-line finding: what datachat
// answers to "show me some interesting visuals about this data".
//
// Visuals profiles the table in one pass (counts, distinct counts,
// moments and quartiles), counts the values of its low-cardinality
// columns, and then scores five kinds of candidate:
//
//   - the rate of a binary outcome (0/1, true/false, yes/no,
//     survived/died, ...) across the values of a categorical column, scored
//     by the correlation ratio of the outcome and the category (groups
//     smaller than max(10, 1% of the rows) are left out and the difference
//     must be significant);
//   - the distribution of a number, scored by its skewness and missing
//     share;
//   - the most common values of a categorical column, scored by how
//     uneven they are;
//   - a correlation of two numbers with |r| of at least 0.5;
//   - counts (or the mean of a number) over time by hour, day, month or
//     year, scored by the strength of the trend.
//
// Scores share one scale (roughly 0.2 to 1). Candidates on the same
// columns are dropped, each further chart of a kind already chosen counts
// a little less so the answer mixes kinds, and every chart's data come
// from its own bounded SQL query (aggregated, or sampled to at most 1,000
// rows), which the chart carries.
package explore
