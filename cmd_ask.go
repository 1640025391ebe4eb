package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"datachat/app"
	"datachat/chat"
	"datachat/datasets"
	"datachat/tools"
)

// ask loads the --file sources and answers one question with the embedded
// engine, printing the answer and the SQL it ran.
func ask(ctx context.Context, cfg *config, stdout io.Writer) error {
	question := strings.TrimSpace(strings.Join(cfg.args, " "))
	if question == "" {
		return errors.New(`ask needs a question: datachat ask --file data.csv "how many rows are there?"`)
	}
	a, err := app.New(cfg.app)
	if err != nil {
		return err
	}
	defer a.Close()
	cat, err := a.Datasets.Scratch(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	for _, f := range cfg.files {
		if _, err := cat.Load(ctx, f, datasets.LoadOptions{}); err != nil {
			return err
		}
	}
	ans, err := a.Chat.Answer(ctx, cat, chat.Request{Messages: []chat.Message{{Role: "user", Content: question}}})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, strings.TrimRight(ans.Text, "\n")); err != nil {
		return err
	}
	return writeCharts(ctx, cfg.charts, ans.Charts, stdout)
}

// writeCharts renders an answer's charts as PNG files into dir (when set)
// and prints where each went, with its finding.
func writeCharts(ctx context.Context, dir string, list []chat.Chart, stdout io.Writer) error {
	if dir == "" || len(list) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create charts folder: %w", err)
	}
	for i, c := range list {
		png, _, spec, err := tools.RenderChart(ctx, c.Spec, c.Data)
		if err != nil {
			fmt.Fprintf(stdout, "chart %d skipped: %v\n", i+1, err)
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("chart-%d-%s.png", i+1, datasets.TableName(spec.Title)))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return fmt.Errorf("write chart: %w", err)
		}
		caption := c.Finding
		if caption == "" {
			caption = spec.Title
		}
		fmt.Fprintf(stdout, "chart: %s  %s\n", path, caption)
	}
	return nil
}

// eval answers every question of a questions.jsonl and writes predictions.
func eval(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	if cfg.qfile == "" {
		return errors.New("eval needs --questions FILE (a questions.jsonl)")
	}
	a, err := app.New(cfg.app)
	if err != nil {
		return err
	}
	defer a.Close()
	out := stdout
	if cfg.out != "" {
		f, err := os.Create(cfg.out)
		if err != nil {
			return fmt.Errorf("create %s: %w", cfg.out, err)
		}
		defer f.Close()
		out = f
	}
	open := func(ctx context.Context, file string) (chat.Catalog, func(), error) {
		cat, err := a.Datasets.Scratch(ctx)
		if err != nil {
			return nil, nil, err
		}
		drop := func() { cat.Close() }
		if _, err := cat.Load(ctx, file, datasets.LoadOptions{}); err != nil {
			drop()
			return nil, nil, err
		}
		return cat, drop, nil
	}
	sum, err := chat.Eval(ctx, cfg.qfile, out, a.Chat, open, chat.WithQuestionTimeout(cfg.qtimeout))
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "eval: %d questions, %d answered, %d failed to load or answer, %d timed out\n", sum.Questions, sum.Answered, sum.Failed, sum.TimedOut)
	return sum.WriteScore(stderr)
}
