// Package lexicon knows English words for the question parser: their base
// forms, parts of speech, synonyms, related forms, attributes, classes and
// antonyms from WordNet 3.0, and small hand-written tables of number words,
// ordinals, units, dates and abbreviations.
//
// # Data
//
// The WordNet part is wordnet.bin, embedded and decoded once, lazily, on
// the first lookup (or by Load). It is generated from the WordNet 3.0 dict
// files of Debian's wordnet-base package (apt-get install wordnet-base puts
// them in /usr/share/wordnet) by
//
//	go run ./cmd/genlexicon -dict /usr/share/wordnet -out parser/lexicon/wordnet.bin
//
// The generator's output depends only on the dict files; a test in
// cmd/genlexicon checks that the committed file is what it generates
// (skipped where the dict files are missing, failing then under CI=true).
// format.go documents the layout. Sense order and the order of a synset's
// lemmas follow the tag counts of the semantic concordance (cntlist.rev).
//
// The hand-written tables (numbers.go, units.go, dates.go, abbrev.go) are
// ours, not WordNet's.
//
// # Licence
//
// WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
// wordnet.bin is derived from it under the WordNet 3.0 licence, whose full
// text is in LICENSE-WordNet beside it and must travel with every copy.
//
// # Use
//
// Every function takes lower-case words (an upper-case letter costs an
// allocation, no more) and is safe for concurrent use. Multi-word lemmas
// are written with spaces ("home team").
package lexicon
