// Package testnet gives tests a server on loopback that stands for
// something on the host or its private network, and counts the
// connections it accepts: what must never be contacted (a link check, a
// feed) is asserted by a count of zero.
package testnet

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// Internal is a loopback HTTP server that answers body and counts the
// connections it accepts.
type Internal struct {
	// Addr is the server's host:port on 127.0.0.1.
	Addr string
	n    atomic.Int32
}

// Connections returns how many connections the server has accepted.
func (s *Internal) Connections() int { return int(s.n.Load()) }

// Port returns the server's port.
func (s *Internal) Port() string {
	_, port, _ := net.SplitHostPort(s.Addr)
	return port
}

// MustInternal starts an Internal server answering body, stopped when the
// test ends.
func MustInternal(tb testing.TB, body string) *Internal {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Internal{Addr: ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })}
	go srv.Serve(counting{ln, &s.n})
	tb.Cleanup(func() { srv.Close() })
	return s
}

// counting counts the connections its listener accepts.
type counting struct {
	net.Listener
	n *atomic.Int32
}

func (l counting) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}
