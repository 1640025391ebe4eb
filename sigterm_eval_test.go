package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAskOnceHung asks the question that once sent the planner round for
// ever: the built binary must answer it and exit. The minute is only a
// bound for a binary that hangs, not a measure.
func TestAskOnceHung(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "ask", "--cache-dir", t.TempDir(), "--file", "chat/testdata/prices.csv", "Is Oslo more expensive than Lima?")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "OPENAI_API_KEY=", "OPENAI_BASE_URL=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "ask did not exit")
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "**Yes**")
}

// TestEvalSIGTERM starts an eval of many questions, waits for its first
// prediction and sends SIGTERM: the run must stop (the signal's context
// reaches each question) rather than answer the rest.
func TestEvalSIGTERM(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("chat/testdata/prices.csv")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prices.csv"), data, 0o644))
	var qs strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&qs, `{"id": "q%d", "file": "prices.csv", "question": "Is Oslo more expensive than Lima?"}`+"\n", i)
	}
	questions := filepath.Join(dir, "q.jsonl")
	require.NoError(t, os.WriteFile(questions, []byte(qs.String()), 0o644))

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "eval", "--cache-dir", t.TempDir(), "--questions", questions, "--question-timeout", "1h")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "OPENAI_API_KEY=", "OPENAI_BASE_URL=")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "a first prediction")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	n := 1
	for lines.Scan() {
		n++
	}
	err = cmd.Wait()
	require.NoError(t, ctx.Err(), "eval did not stop after SIGTERM")
	require.Error(t, err, "an interrupted run reports it")
	require.Less(t, n, 200000, "the run stopped before the last question")
}
