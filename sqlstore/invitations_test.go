package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/sqlstore"
)

// TestInvitationOnce: on each engine, two acceptances of one invitation at
// once make one account, tied once; the other finds the link used.
func TestInvitationOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 3)
		MustImport(t, db, svcs)
		ps := sqlstore.NewProviderService(db)
		token, hash := auth.NewToken()
		inv := &haven.Invitation{Email: "New@Example.org", OrganizationID: svcs[0].OrganizationID, Locale: "es"}
		if err := ps.CreateInvitation(ctx, "c@example.org", inv, hash); err != nil {
			t.Fatal(err)
		}
		if inv.Email != "new@example.org" || inv.ExpiresAt.Sub(inv.CreatedAt) != haven.InvitationTTL {
			t.Errorf("invitation: %+v", inv)
		}
		if _, err := ps.FindInvitation(ctx, token); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("found by the token rather than its hash: %v", err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = ps.AcceptInvitation(ctx, hash, "hash-"+string(rune('a'+i)))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if haven.ErrorCode(err) != haven.ENOTFOUND {
				t.Errorf("the second acceptance: %v, want ENOTFOUND", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d acceptances succeeded, want 1: %v", ok, errs)
		}
		u, err := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "new@example.org")
		if err != nil || u.Role != haven.RoleProvider || u.Locale != "es" {
			t.Fatalf("account: %+v %v", u, err)
		}
		links, _ := ps.OrganizationProviders(ctx, svcs[0].OrganizationID)
		if len(links) != 1 || links[0].UserID != u.ID {
			t.Errorf("ties: %+v", links)
		}
		// An expired invitation, and one to a staff address, are refused.
		_, hash2 := auth.NewToken()
		if err := ps.CreateInvitation(ctx, "c@example.org", &haven.Invitation{Email: "late@example.org", OrganizationID: svcs[0].OrganizationID,
			Locale: "en", ExpiresAt: time.Now().Add(-time.Minute)}, hash2); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.AcceptInvitation(ctx, hash2, "x"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("expired: %v", err)
		}
		staff := &haven.User{Email: "cur@example.org", Role: haven.RoleCurator, PasswordHash: "x"}
		if err := sqlstore.NewAccountService(db).CreateUser(ctx, "test", staff); err != nil {
			t.Fatal(err)
		}
		_, hash3 := auth.NewToken()
		if err := ps.CreateInvitation(ctx, "c@example.org", &haven.Invitation{Email: "cur@example.org", OrganizationID: svcs[0].OrganizationID, Locale: "en"}, hash3); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("inviting a curator: %v", err)
		}
		if err := ps.CreateInvitation(ctx, "c@example.org", &haven.Invitation{Email: "x@example.org", OrganizationID: "nope", Locale: "en"}, hash3); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("inviting to no organization: %v", err)
		}
		if err := ps.CreateInvitation(ctx, "c@example.org", &haven.Invitation{Email: "x@example.org", OrganizationID: svcs[0].OrganizationID, Locale: "fr"}, hash3); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("a language Haven does not write: %v", err)
		}
	})
}
