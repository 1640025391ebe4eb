// Command datachat lets AI agents and people ask questions of data files. It
// serves MCP over stdio (the default) or streamable HTTP (datachat serve),
// with a ChatCSV-compatible REST API in serve mode.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "datachat:", err)
		}
		os.Exit(2)
	}
}
