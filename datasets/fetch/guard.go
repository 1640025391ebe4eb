package fetch

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// blockedPrefixes are networks that never hold a public server: fetching from
// them could reach the host itself, its LAN, or a cloud metadata service.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network", incl. 0.0.0.0
	netip.MustParsePrefix("10.0.0.0/8"),     // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),  // CGNAT shared space
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback
	netip.MustParsePrefix("169.254.0.0/16"), // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),  // RFC 1918
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("192.168.0.0/16"), // RFC 1918
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("224.0.0.0/4"),    // multicast
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("::/96"),          // unspecified, loopback, IPv4-compatible
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("100::/64"),       // discard-only
	netip.MustParsePrefix("2001::/32"),      // Teredo: the real peer is hidden
	netip.MustParsePrefix("fc00::/7"),       // unique local
	netip.MustParsePrefix("fe80::/10"),      // link-local
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("ff00::/8"),       // multicast
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// publicAddr reports whether a is an address a fetch may connect to when
// private addresses are not allowed. IPv6 forms that embed an IPv4 address
// (mapped, NAT64, 6to4) are judged by the embedded address.
func publicAddr(a netip.Addr) bool {
	// A zoned address matches no prefix, so drop the zone first.
	a = a.WithZone("").Unmap()
	if !a.IsValid() {
		return false
	}
	if a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsMulticast() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a):
		return publicAddr(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	case sixToFour.Contains(a):
		return publicAddr(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	}
	return true
}

// addrError is the dial-time refusal of an address.
type addrError struct {
	addr netip.Addr
}

func (e *addrError) Error() string {
	return fmt.Sprintf("connection to non-public address %s refused", e.addr)
}

func (e *addrError) Unwrap() error { return ErrPrivateAddress }

// control is the net.Dialer Control hook: it runs for every connection after
// the host name was resolved and before connect(2), so it sees the very
// address that will be used, whatever DNS answered earlier.
func (f *Fetcher) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check dial address %q", ErrPrivateAddress, address)
	}
	if !f.allowAddr(ap) {
		return &addrError{addr: ap.Addr()}
	}
	if f.hooks.gate != nil {
		return f.hooks.gate(network, address)
	}
	return nil
}

// refusedAddr returns the address a dial refused, if err is such a refusal.
func refusedAddr(err error) (netip.Addr, bool) {
	var ae *addrError
	if errors.As(err, &ae) {
		return ae.addr, true
	}
	return netip.Addr{}, false
}
