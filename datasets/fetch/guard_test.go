package fetch

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.215.14", true},
		{"172.32.0.1", true},
		{"100.128.0.1", true},
		{"11.0.0.1", true},
		{"2606:4700:4700::1111", true},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::808:808", true},
		{"2002:808:808::1", true},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.0.1", false},
		{"169.254.169.254", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"192.0.0.170", false},
		{"198.18.0.1", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		{"::", false},
		{"::1", false},
		{"::127.0.0.1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"64:ff9b::a00:1", false},
		{"64:ff9b::7f00:1", false},
		{"64:ff9b:1::1", false},
		{"2002:7f00:1::1", false},
		{"2002:a9fe:a9fe::", false},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
		{"100::1", false},
		{"fc00::1", false},
		{"fd00:ec2::254", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fec0::1", false},
		{"ff02::1", false},
		{"ff0e::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			require.Equal(t, tt.public, publicAddr(netip.MustParseAddr(tt.addr)))
		})
	}
	require.False(t, publicAddr(netip.Addr{}), "the zero Addr")
}

func TestControlRejectsOddAddresses(t *testing.T) {
	// No gate: control is called directly, nothing is dialled.
	f := newTestFetcher(t, Config{}, func(h *hooks) { h.gate = nil })
	for _, addr := range []string{"", "host:80", "127.0.0.1", "[::1]"} {
		require.ErrorIs(t, f.control("tcp", addr, nil), ErrPrivateAddress, addr)
	}
	require.NoError(t, f.control("tcp", "8.8.8.8:443", nil), "a public address passes (and is not dialled here)")
}
