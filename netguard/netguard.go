// Package netguard keeps Haven's own outgoing requests — the link checker
// today, feeds later — away from the machine it runs on and the networks
// behind it.
//
// The addresses Haven fetches come from people: a visitor's suggestion a
// curator accepted, an imported directory. Without a guard, any of them can
// make the server probe its loopback services, its private network or a
// cloud metadata endpoint, and report what answered. The guard refuses by
// the address actually connected to, after DNS and on every redirect, so
// a name that resolves to 127.0.0.1 or changes its answer between checks
// (DNS rebinding) is refused as well.
package netguard

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// RefusedError is returned by Control for an address Special refuses.
type RefusedError struct {
	Addr netip.Addr
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused to connect to %s: a loopback, private or otherwise special address", e.Addr)
}

// special holds the ranges Special refuses beyond what netip classifies:
// IANA's special-purpose registries for IPv4 and IPv6, less the few that
// reach the public internet.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"; 0.0.0.0 reaches the local host
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation (TEST-NET-1)
	netip.MustParsePrefix("192.88.99.0/24"),  // deprecated 6to4 relay anycast
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation (TEST-NET-3)
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated), with :: and ::1
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated (SIIT)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use IPv4/IPv6 translation
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo among them
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("3fff::/20"),       // documentation
	netip.MustParsePrefix("5f00::/16"),       // segment routing (SRv6) SIDs
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // well-known NAT64: an IPv4 address inside
	sixToFour = netip.MustParsePrefix("2002::/16")    // 6to4: an IPv4 address inside
)

// Special reports whether a is an address Haven must not connect to for
// someone else: loopback, private (RFC 1918, unique local), link-local,
// multicast, unspecified, shared (CGNAT), documentation, benchmarking,
// reserved, and IPv6 forms that carry such an IPv4 address (IPv4-mapped,
// NAT64, 6to4). An invalid address is special.
func Special(a netip.Addr) bool {
	if !a.IsValid() {
		return true
	}
	a = a.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		// Not global unicast: loopback, link-local, multicast,
		// unspecified, 255.255.255.255.
		return true
	}
	for _, p := range special {
		if p.Contains(a) {
			return true
		}
	}
	if a.Is6() {
		b := a.As16()
		switch {
		case nat64.Contains(a):
			return Special(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(a):
			return Special(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	return false
}

// Control is a net.Dialer Control function that refuses, with a
// *RefusedError, to connect to an address Special refuses. It runs once the
// name is resolved, for each address tried, so neither DNS nor a redirect
// gets past it.
func Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &RefusedError{} // not an address: refuse rather than guess
	}
	if Special(ap.Addr()) {
		return &RefusedError{Addr: ap.Addr()}
	}
	return nil
}

// Dialer returns a dialer with the standard library's defaults whose
// connections only reach addresses Special allows.
func Dialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: Control}
}
