package sqlstore_test

import (
	"context"
	"testing"

	"haven"
	"haven/listing"
	"haven/sqlstore"
)

// TestProviderContract: the provider service on each engine ties only
// provider accounts, answers the same ENOTFOUND for another organization's
// record as for a missing one, refuses a confidential location, refuses
// unknown fields without saving anything, and a queued location edit,
// accepted after a curator's change to another field, keeps that change.
func TestProviderContract(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 12)
		MustImport(t, db, svcs)
		mine := svcs[0]
		var other = mine
		for _, s := range svcs {
			if s.OrganizationID != mine.OrganizationID {
				other = s
				break
			}
		}
		accounts, ps, dir := sqlstore.NewAccountService(db), sqlstore.NewProviderService(db), sqlstore.NewDirectoryService(db)
		prov := &haven.User{Email: "p@example.org", Role: haven.RoleProvider, PasswordHash: "x"}
		staff := &haven.User{Email: "c@example.org", Role: haven.RoleCurator, PasswordHash: "x"}
		for _, u := range []*haven.User{prov, staff} {
			if err := accounts.CreateUser(ctx, "test", u); err != nil {
				t.Fatal(err)
			}
		}
		if err := ps.LinkProvider(ctx, "test", staff.ID, mine.OrganizationID); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("tying a curator: %v", err)
		}
		if err := ps.LinkProvider(ctx, "test", prov.ID, "no-such-org"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("tying to no organization: %v", err)
		}
		if err := ps.LinkProvider(ctx, "test", prov.ID, mine.OrganizationID); err != nil {
			t.Fatal(err)
		}
		if err := ps.LinkProvider(ctx, "test", prov.ID, mine.OrganizationID); err != nil {
			t.Errorf("tying twice: %v", err)
		}
		loc := mine.ServiceAtLocations[0].LocationID
		for _, c := range []struct {
			typ, id, want string
		}{
			{"service", mine.ID, ""},
			{"organization", mine.OrganizationID, ""},
			{"location", loc, ""},
			{"service", other.ID, haven.ENOTFOUND},
			{"service", "no-such-service", haven.ENOTFOUND},
			{"organization", other.OrganizationID, haven.ENOTFOUND},
			{"location", other.ServiceAtLocations[0].LocationID, haven.ENOTFOUND},
			{"resource", "x", haven.EINVALID},
		} {
			if err := ps.ProviderMayEdit(ctx, prov.ID, c.typ, c.id); haven.ErrorCode(err) != c.want && !(c.want == "" && err == nil) {
				t.Errorf("ProviderMayEdit(%s %s): %v, want %q", c.typ, c.id, err, c.want)
			}
		}
		// A curator's account, even tied by hand, edits nothing as a provider.
		if _, err := ps.SubmitProviderEdit(ctx, staff, "service", mine.ID, map[string]string{"name": "x"}); haven.ErrorCode(err) != haven.EFORBIDDEN {
			t.Errorf("a curator submitting as a provider: %v", err)
		}
		if _, err := ps.SubmitProviderEdit(ctx, prov, "service", mine.ID, map[string]string{"x_last_verified": "2030-01-01"}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("a field outside the form: %v", err)
		}
		if _, err := ps.SubmitProviderEdit(ctx, prov, "location", loc, map[string]string{listing.ConfidentialField: ""}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("changing confidentiality: %v", err)
		}
		if n, _ := db.CountRows(ctx, "suggestions"); n != 0 {
			t.Errorf("refused edits left %d suggestions", n)
		}

		// A queued location edit; a curator then changes another field;
		// accepting the edit keeps the curator's change.
		l, _ := dir.FindLocation(ctx, loc)
		out, err := ps.SubmitProviderEdit(ctx, prov, "location", loc, map[string]string{"transportation": "Bus 7 stops at the door (sample)"})
		if err != nil || out != haven.ProviderEditQueued {
			t.Fatalf("queued location edit: %q %v", out, err)
		}
		v := listing.LocationText(l)
		v["name"] = "Renamed by a curator (sample)"
		if err := dir.UpdateLocation(ctx, "c@example.org", loc, v); err != nil {
			t.Fatal(err)
		}
		pending, _ := sqlstore.NewSuggestionService(db).ListSuggestions(ctx, "pending")
		if len(pending) != 1 {
			t.Fatalf("%d pending", len(pending))
		}
		if err := sqlstore.NewSuggestionService(db).ResolveSuggestion(ctx, "c@example.org", pending[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		l, _ = dir.FindLocation(ctx, loc)
		if l.Transportation != "Bus 7 stops at the door (sample)" || l.Name != "Renamed by a curator (sample)" {
			t.Errorf("after accepting: transportation %q, name %q", l.Transportation, l.Name)
		}
		// Confidential: refused, though it is theirs.
		v = listing.LocationText(l)
		v[listing.ConfidentialField] = "true"
		if err := dir.UpdateLocation(ctx, "c@example.org", loc, v); err != nil {
			t.Fatal(err)
		}
		if err := ps.ProviderMayEdit(ctx, prov.ID, "location", loc); haven.ErrorCode(err) != haven.EFORBIDDEN {
			t.Errorf("confidential location: %v", err)
		}
		orgs, err := ps.ProviderOrganizations(ctx, prov.ID)
		if err != nil || len(orgs) != 1 || orgs[0].ID != mine.OrganizationID || len(orgs[0].Services) == 0 {
			t.Fatalf("organizations: %+v %v", orgs, err)
		}
		for _, x := range orgs[0].Locations {
			if x.ID == loc && (!x.Confidential || x.Name == l.Addresses[0].Address1) {
				t.Errorf("the confidential location is listed as %+v", x)
			}
		}
		// Untied, or disabled, the provider edits nothing.
		if err := ps.UnlinkProvider(ctx, "test", prov.ID, mine.OrganizationID); err != nil {
			t.Fatal(err)
		}
		if err := ps.ProviderMayEdit(ctx, prov.ID, "service", mine.ID); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("after untying: %v", err)
		}
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "organization", mine.OrganizationID, 0)
		var link, unlink bool
		for _, e := range trail {
			link = link || e.Action == "link"
			unlink = unlink || e.Action == "unlink"
		}
		if !link || !unlink {
			t.Error("tying and untying are not audited")
		}
	})
}
