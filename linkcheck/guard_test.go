package linkcheck

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"testing"
	"time"

	"haven/internal/testnet"
)

// mustInternalServer starts a server on loopback standing for something on
// the host or its private network, and returns its port and the server.
func mustInternalServer(t *testing.T) (string, *testnet.Internal) {
	t.Helper()
	s := testnet.MustInternal(t, "secret")
	return s.Port(), s
}

// guardedChecker is a default Checker (the guard on) with test timings and
// a resolver that sends every name to 127.0.0.1.
func guardedChecker() *Checker {
	c := &Checker{HostDelay: 0, Timeout: 5 * time.Second, resolver: loopbackResolver()}
	c.Client = c.newClient()
	c.owned = c.Client
	return c
}

// TestGuardNeverContactsInternalAddresses checks URLs that name, resolve
// to, or redirect to a loopback server: the server must accept no
// connection, and each URL is reported as not checked, not as broken.
func TestGuardNeverContactsInternalAddresses(t *testing.T) {
	port, internal := mustInternalServer(t)
	// A public site that redirects inward; the test lets the checker reach
	// it (and only it) although it too is on loopback.
	pub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer pub.Close()
	pubPort, _ := strconv.Atoi(pub.URL[len("http://127.0.0.1:"):])

	c := guardedChecker()
	c.allow = func(ap netip.AddrPort) bool { return int(ap.Port()) == pubPort }
	direct := []string{
		"http://127.0.0.1:" + port + "/",
		"http://127.1.2.3:" + port + "/",
		"http://localhost:" + port + "/",
		"http://localhost.:" + port + "/",
		"http://[::ffff:127.0.0.1]:" + port + "/",
		"http://[::ffff:7f00:1]:" + port + "/",
		"http://0.0.0.0:" + port + "/",
		"http://[::]:" + port + "/",
		"http://[::1]:" + port + "/",
		"http://rebind.example:" + port + "/", // resolves to 127.0.0.1
		"https://127.0.0.1:" + port + "/",
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.1:" + port + "/",
		"http://192.168.0.1:" + port + "/",
		"http://100.64.0.1:" + port + "/",
		"http://[fd00::1]:" + port + "/",
		"http://[fe80::1]:" + port + "/",
	}
	var redirected []string
	for _, to := range direct[:10] {
		redirected = append(redirected, pub.URL+"/?to="+to)
	}
	rs, err := c.Check(t.Context(), append(slices.Clone(direct), redirected...), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.Error != ErrPrivateAddress || r.Status != 0 || !r.NotChecked() || r.Broken() || r.OK() {
			t.Errorf("%s: got %+v; want %q", r.URL, r, ErrPrivateAddress)
		}
		if i >= len(direct) && (len(r.Redirects) != 1 || r.FinalURL == "") {
			t.Errorf("%s: the redirect inward is not recorded: %+v", r.URL, r)
		}
	}
	if n := internal.Connections(); n != 0 {
		t.Errorf("the internal server accepted %d connections; want 0", n)
	}

	// An operator who allows private addresses gets them checked.
	c.AllowPrivate = true
	if r := checkOne(t, c, direct[0]); !r.OK() {
		t.Errorf("with AllowPrivate: %+v", r)
	}
	if r := checkOne(t, c, "http://rebind.example:"+port+"/x"); !r.OK() {
		t.Errorf("with AllowPrivate, a name resolving to loopback: %+v", r)
	}
	if internal.Connections() == 0 {
		t.Error("with AllowPrivate the internal server was never asked")
	}
}

// TestGuardIsTheDefault checks that New's checker refuses loopback without
// anything set.
func TestGuardIsTheDefault(t *testing.T) {
	port, internal := mustInternalServer(t)
	c := New()
	c.HostDelay = 0
	if r := checkOne(t, c, "http://localhost:"+port+"/"); r.Error != ErrPrivateAddress {
		t.Errorf("got %+v; want %q", r, ErrPrivateAddress)
	}
	var zero Checker // no Client: the default one, guarded too
	if r := checkOne(t, &zero, "http://127.0.0.1:"+port+"/"); r.Error != ErrPrivateAddress {
		t.Errorf("zero Checker: got %+v; want %q", r, ErrPrivateAddress)
	}
	if n := internal.Connections(); n != 0 {
		t.Errorf("the internal server accepted %d connections; want 0", n)
	}
}
