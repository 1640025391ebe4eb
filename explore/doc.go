// Package explore looks at a loaded table with SQL and proposes the few
// charts most worth seeing, each with a one-line finding: what datachat
// answers to "show me some interesting visuals about this data".
//
// Visuals profiles the table (counts and ranges in one scan; distinct
// counts, moments and percentiles in one more, over a sample of a large
// table), counts the values of its low-cardinality columns, and then
// scores six kinds of candidate:
//
//   - the rate of a binary outcome (0/1, true/false, yes/no,
//     survived/died, ...) across the values of a categorical column (2 to
//     12 values), scored by the correlation ratio of the outcome and the
//     category; groups smaller than max(10, 1% of the rows) are left out
//     and the difference must pass a chi-square test;
//   - the mean of a number across the values of a categorical column,
//     scored the same way from the share of variance between the groups;
//   - the distribution of a number (not an identifier), scored by its
//     skewness and missing share; a far tail is cut at the 1st or 99th
//     percentile so it does not squeeze the rest into one bar;
//   - the most common values of a categorical column with 3 to 30
//     values, scored by how uneven they are;
//   - a correlation of two numbers with |r| of at least 0.5;
//   - counts (or the mean of a number, when that trends more clearly)
//     over time by hour, day, month or year, scored by the strength of a
//     linear trend.
//
// Scores share one scale (roughly 0.2 to 1). Candidates on the same
// columns are dropped, each further chart of a kind already chosen counts
// 15% less so an answer mixes kinds unless one kind is clearly better, and
// every chart's data come from its own bounded SQL query (aggregated, or
// sampled to at most 1,000 rows), which the chart carries. On a generated
// table of a million rows a call takes about a third of a second of CPU.
package explore
