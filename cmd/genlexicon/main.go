// Command genlexicon compiles WordNet 3.0's dict files into the compact table
// that package lexicon embeds:
//
//	go run ./cmd/genlexicon -dict /usr/share/wordnet -out parser/lexicon/wordnet.bin
//
// The dict files come from Debian's wordnet-base package. The output depends
// only on them: running it twice gives the same bytes.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "genlexicon:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("genlexicon", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dict := fs.String("dict", "/usr/share/wordnet", "directory of the WordNet 3.0 dict files (data.*, index.*, *.exc, cntlist.rev)")
	out := fs.String("out", "parser/lexicon/wordnet.bin", "file to write the table to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	payload, err := generate(*dict)
	if err != nil {
		return err
	}
	z, err := compress(payload)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, z, 0o644); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	slog.New(slog.NewTextHandler(stderr, nil)).Info("wrote lexicon", "file", *out, "bytes", len(z), "payload", len(payload))
	return nil
}

// generate reads the dictionary in dir and returns the table's payload.
func generate(dir string) ([]byte, error) {
	wn, err := readWordNet(dir)
	if err != nil {
		return nil, fmt.Errorf("read wordnet: %w", err)
	}
	t, err := build(wn)
	if err != nil {
		return nil, fmt.Errorf("build table: %w", err)
	}
	return t.encode(), nil
}

// compress gzips the payload without a name or time stamp, so the file
// depends on the payload alone.
func compress(payload []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(payload); err != nil {
		return nil, fmt.Errorf("compress table: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress table: %w", err)
	}
	return buf.Bytes(), nil
}
