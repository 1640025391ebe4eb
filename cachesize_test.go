package main

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/datasets"
)

// TestCacheSizeDefault: the dataset cache is on in serve mode and off for
// the single-client commands unless asked for.
func TestCacheSizeDefault(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int64
	}{
		{[]string{"serve"}, datasets.DefaultCacheSize},
		{[]string{"serve", "--cache-size", "100MB"}, 100e6},
		{[]string{"stdio"}, -1},
		{[]string{"stdio", "--cache-size", "1GiB"}, 1 << 30},
		{[]string{"ask", "how many?"}, -1},
	} {
		cfg, err := parseConfig(tc.args, io.Discard)
		require.NoError(t, err, "%v", tc.args)
		require.Equal(t, tc.want, cfg.app.CacheSize, "%v", tc.args)
	}
}
