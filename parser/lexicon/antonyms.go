package lexicon

// antonymPairs are opposites WordNet does not link, added to Antonyms
// after WordNet's own (a test checks that WordNet still lacks each).
var antonymPairs = [][2]string{
	{"before", "after"}, {"over", "under"}, {"max", "min"}, {"since", "until"},
	{"with", "without"}, {"previous", "next"}, {"asc", "desc"},
}

var antonymExtra = func() map[string][]string {
	m := map[string][]string{}
	for _, p := range antonymPairs {
		m[p[0]] = append(m[p[0]], p[1])
		m[p[1]] = append(m[p[1]], p[0])
	}
	return m
}()
