package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/internal/testnet"
	"haven/internal/testpg"
	"haven/linkcheck"
	"haven/sample"
	"haven/sqlstore"
)

// TestLinkCheckNeverProbesInternal plays the attack on both engines: a
// visitor suggests a loopback address as a service's web site, a curator
// accepts it, and the link check runs — from "haven links check" and from
// the server's scheduled job. A listener on that address must accept no
// connection, and the dashboard says the link was not checked. With
// --allow-private the operator gets it checked.
func TestLinkCheckNeverProbesInternal(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { linkCheckNeverProbesInternal(t, e.Fresh(t)) })
}

func linkCheckNeverProbesInternal(t *testing.T, dsn string) {
	internal := testnet.MustInternal(t, "admin panel")
	target := "http://" + internal.Addr + "/admin"

	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// One service with no addresses of its own, so nothing else is checked.
	var svcs []*hsds.Service
	sample.Services(1, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
	svcs[0].URL, svcs[0].Organization.Website = "", ""
	for _, sal := range svcs[0].ServiceAtLocations {
		sal.Location.URL = ""
	}
	done := false
	if _, err := sqlstore.NewDirectoryService(db).Import(ctx, func() (*hsds.Service, error) {
		if done {
			return nil, io.EOF
		}
		done = true
		return svcs[0], nil
	}, sqlstore.ImportOptions{Name: "t"}); err != nil {
		t.Fatal(err)
	}
	sg := &haven.Suggestion{RecordType: "service", RecordID: svcs[0].ID, Kind: "website", Body: "Our new site", NewValue: target}
	if err := sqlstore.NewSuggestionService(db).CreateSuggestion(ctx, sg); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.NewSuggestionService(db).ResolveSuggestion(ctx, "curator@example.org", sg.ID, true, ""); err != nil {
		t.Fatal(err)
	}

	// The library's addresses are the same one, so the check never leaves
	// this machine and still has one address to visit.
	pointLibraryAt(t, db, func(string) string { return target })

	out := MustRunMain(t, dsn, "links", "check", "--host-delay", "0")
	if !strings.Contains(out, "checked 1 links: 0 broken or redirected") || !strings.Contains(out, "1 not checked") {
		t.Errorf("links check: %s", out)
	}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Logger: discardLogger()}
	if err := linkJob(db, time.Hour, m).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := internal.Connections(); n != 0 {
		t.Fatalf("the internal listener accepted %d connections; want 0", n)
	}
	d, err := sqlstore.NewCurationService(db).Dashboard(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Broken) != 1 || d.Broken[0].URL != target || d.Broken[0].Error != linkcheck.ErrPrivateAddress {
		t.Errorf("dashboard links: %+v", d.Broken)
	}

	// The operator allows private addresses: now it is checked, and works.
	MustRunMain(t, dsn, "links", "check", "--host-delay", "0", "--allow-private")
	if internal.Connections() == 0 {
		t.Fatal("--allow-private: the link was not checked")
	}
	before := internal.Connections()
	m.linksAllowPrivate = true // serve --links-allow-private
	if err := linkJob(db, time.Hour, m).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if internal.Connections() == before {
		t.Error("serve --links-allow-private: the scheduled check did not visit the link")
	}
	if d, _ = sqlstore.NewCurationService(db).Dashboard(ctx, time.Now()); len(d.Broken) != 0 {
		t.Errorf("a working link is listed: %+v", d.Broken)
	}
}
