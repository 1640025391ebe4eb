package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/stretchr/testify/require"
)

// TestSIGTERM starts the binary, leaves a query running, and sends SIGTERM:
// the server must cancel the query, exit cleanly and leave no staging
// folder. A folder left by a crashed server is swept at start-up.
func TestSIGTERM(t *testing.T) {
	tmp := t.TempDir()
	crashed := filepath.Join(tmp, "datachat-crashed")
	require.NoError(t, os.MkdirAll(filepath.Join(crashed, "s-1"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(crashed, ".lock"), nil, 0o600))

	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--cache-dir", t.TempDir(), "--query-timeout", "1h", "--log-level", "info")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "HOME="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	lines := bufio.NewScanner(stderr)
	addr := ""
	for addr == "" && lines.Scan() {
		if m := regexp.MustCompile(`msg=serving addr=(\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	require.NotEmpty(t, addr)
	go func() {
		for lines.Scan() {
		}
		exited <- cmd.Wait()
	}()
	_, err = os.Stat(crashed)
	require.True(t, os.IsNotExist(err), "the crashed server's folder is swept at start-up")

	tr, err := transport.NewStreamableHTTP("http://" + addr + "/mcp")
	require.NoError(t, err)
	c := client.NewClient(tr)
	require.NoError(t, c.Start(t.Context()))
	initialize(t, c)
	running := make(chan error, 1)
	go func() {
		// Runs for hours unless it is cancelled.
		_, _, err := callTool(context.Background(), c, "query", map[string]any{"sql": "SELECT count(*) FROM range(10000000000000) a"})
		running <- err
	}()
	// Let the query reach DuckDB; the test holds either way, the wait only
	// makes it stronger.
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	wait, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	select {
	case err := <-exited:
		require.NoError(t, err, "a clean exit")
	case <-wait.Done():
		t.Fatal("the server did not stop after SIGTERM")
	}
	<-running
	left, _ := filepath.Glob(filepath.Join(tmp, "datachat-*"))
	require.Empty(t, left, "staging folders removed")
}
