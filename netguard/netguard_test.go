package netguard

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

func TestSpecial(t *testing.T) {
	tests := []struct {
		addr    string
		special bool
	}{
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"10.0.0.1", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"192.0.0.8", true},
		{"192.0.2.1", true},
		{"198.18.0.1", true},
		{"198.19.255.255", true},
		{"198.51.100.1", true},
		{"203.0.113.1", true},
		{"224.0.0.1", true},
		{"239.255.255.250", true},
		{"240.0.0.1", true},
		{"255.255.255.255", true},
		{"::", true},
		{"::1", true},
		{"::127.0.0.1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:169.254.169.254", true},
		{"64:ff9b::7f00:1", true}, // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", true},  // NAT64 of 10.0.0.1
		{"64:ff9b:1::1", true},
		{"2002:7f00:1::1", true},   // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", true}, // 6to4 of 192.168.1.1
		{"2001::1", true},          // Teredo
		{"2001:db8::1", true},
		{"100::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"fec0::1", true},
		{"ff02::1", true},
		{"3fff::1", true},
		{"93.184.215.14", false},
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"172.32.0.1", false},
		{"100.128.0.1", false},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"2002:808:808::1", false},  // 6to4 of 8.8.8.8
		{"2606:4700:4700::1111", false},
		{"2001:4860:4860::8888", false},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := Special(a); got != tt.special {
			t.Errorf("Special(%s) = %v, want %v", tt.addr, got, tt.special)
		}
	}
	if !Special(netip.Addr{}) {
		t.Error("the zero Addr is not special")
	}
}

// TestDialerRefusesLoopback dials a real loopback listener through Dialer:
// the connection must fail with a RefusedError and never be accepted.
func TestDialerRefusesLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost", "::ffff:127.0.0.1", "0.0.0.0"} {
		c, err := Dialer().DialContext(t.Context(), "tcp", net.JoinHostPort(host, port))
		if err == nil {
			c.Close()
			t.Errorf("dial %s: connected", host)
			continue
		}
		if _, ok := errors.AsType[*RefusedError](err); !ok {
			t.Errorf("dial %s: %v, want a RefusedError", host, err)
		}
	}
	select {
	case <-accepted:
		t.Error("the loopback listener accepted a connection")
	default:
	}
	if Control("tcp", "not an address", nil) == nil {
		t.Error("Control let an unparsable address through")
	}
}
