package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"haven"
	"haven/sqlstore"
)

// A curator's new count goes live: the capacity row, its history, the
// audit trail, the change log and "has room now" search all follow, on
// both engines; a count out of range or a capacity of another service
// changes nothing.
func TestUpdateCapacity(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := with31(MustSample(t, 12))
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		s, other := svcs[0], svcs[3]
		capID := s.Capacities[0].ID // Bed (sample): 0 of 12, updated in 2025
		room := func() []string {
			t.Helper()
			res, err := dir.SearchDirectory(ctx, haven.DirectoryFilter{AllStatuses: true, Limit: 100,
				RoomSince: haven.RoomSince(time.Now(), haven.DefaultCapacityMaxAge)})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.ServiceID)
			}
			return ids
		}
		if got := room(); len(got) != 0 {
			t.Fatalf("room now before any update (every count dates from 2025): %v", got)
		}
		seq, err := dir.LastDirectoryChange(ctx)
		if err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name, service, capacity string
			n                       int
			code                    string
		}{
			{"above the maximum", s.ID, capID, 13, haven.EINVALID},
			{"below zero", s.ID, capID, -1, haven.EINVALID},
			{"no such capacity", s.ID, id31("nothing"), 1, haven.ENOTFOUND},
			{"another service's capacity", other.ID, capID, 1, haven.ENOTFOUND},
		} {
			if err := dir.UpdateCapacity(ctx, "curator@example.org", c.service, c.capacity, c.n); haven.ErrorCode(err) != c.code {
				t.Errorf("%s: got %v, want %s", c.name, err, c.code)
			}
		}
		if h, err := dir.CapacityHistory(ctx, capID, 10); err != nil || len(h) != 0 {
			t.Fatalf("history after refused updates: %v, %v", h, err)
		}

		before := time.Now().Add(-time.Second)
		if err := dir.UpdateCapacity(ctx, "curator@example.org", s.ID, capID, 3); err != nil {
			t.Fatal(err)
		}
		caps, err := dir.ServiceCapacities(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := caps[0]
		updated, err := time.Parse(time.RFC3339, c.Updated)
		if c.ID != capID || *c.Available != 3 || *c.Maximum != 12 || err != nil || updated.Before(before) || c.Unit == nil || c.Unit.Name != "Bed (sample)" {
			t.Errorf("capacity after update: %+v (updated %v)", c, err)
		}
		if got := room(); !slices.Equal(got, []string{s.ID}) {
			t.Errorf("room now after 3 beds: %v, want [%s]", got, s.ID)
		}
		changes, err := dir.DirectoryChanges(ctx, seq, 10)
		if err != nil || !slices.ContainsFunc(changes, func(c haven.DirectoryChange) bool { return c.ServiceID == s.ID }) {
			t.Errorf("change log after update: %v, %v", changes, err)
		}
		trail, err := sqlstore.NewAuditService(db).AuditTrail(ctx, "service", s.ID, 0)
		if err != nil || len(trail) == 0 {
			t.Fatalf("audit trail: %v, %v", trail, err)
		}
		if a := trail[len(trail)-1]; a.Actor != "curator@example.org" || a.Action != "capacity" || a.Field != "capacity:"+capID || a.Before != "0" || a.After != "3" {
			t.Errorf("audit line: %+v", a)
		}

		if err := dir.UpdateCapacity(ctx, "other@example.org", s.ID, capID, 0); err != nil {
			t.Fatal(err)
		}
		if got := room(); len(got) != 0 {
			t.Errorf("room now after the last bed went: %v", got)
		}
		h, err := dir.CapacityHistory(ctx, capID, 10)
		if err != nil || len(h) != 2 {
			t.Fatalf("history: %v, %v", h, err)
		}
		if h[0].Actor != "other@example.org" || h[0].Before != 3 || h[0].After != 0 || h[1].Actor != "curator@example.org" || h[1].Before != 0 || h[1].After != 3 ||
			h[0].UnitID != s.Capacities[0].Unit.ID || h[1].At.Before(before) || *h[0].Maximum != 12 {
			t.Errorf("history, newest first: %+v", h)
		}

		// The organization's page lists its services with capacities.
		list, err := dir.OrganizationCapacities(ctx, s.OrganizationID)
		if err != nil || !slices.ContainsFunc(list, func(sc haven.ServiceCapacities) bool { return sc.ServiceID == s.ID && len(sc.Capacities) == 2 }) {
			t.Errorf("organization capacities: %+v, %v", list, err)
		}
		if _, err := dir.OrganizationCapacities(ctx, id31("no org")); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown organization: %v", err)
		}

		// Funders' figures: per unit and month, nobody named.
		rep, err := dir.CapacityReport(ctx, time.Now().AddDate(0, -1, 0), haven.DefaultCapacityMaxAge)
		if err != nil {
			t.Fatal(err)
		}
		month := time.Now().UTC().Format("2006-01")
		if !slices.Equal(rep.Months, []haven.CapacityMonth{{Month: month, Unit: "Bed (sample)", Updates: 2}}) {
			t.Errorf("months: %+v", rep.Months)
		}
		var bed *haven.CapacityUnitTotal
		for i := range rep.Units {
			if rep.Units[i].Unit == "Bed (sample)" {
				bed = &rep.Units[i]
			}
		}
		// with31 gives services 0, 3, 6 and 9 a bed count of i%7 (0, 3, 6, 2) of 12.
		if bed == nil || bed.Capacities != 4 || bed.Available != 0+3+6+2 || bed.Maximum != 48 || bed.Fresh != 1 {
			t.Errorf("bed totals: %+v in %+v", bed, rep.Units)
		}
	})
}

// Updates of one count made at once are recorded one after the other: each
// line's before is the line before's after, and the last after is the count.
func TestUpdateCapacityConcurrent(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := with31(MustSample(t, 3))
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		s := svcs[0]
		capID := s.Capacities[0].ID
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() { errs <- dir.UpdateCapacity(ctx, "curator@example.org", s.ID, capID, i+1) }()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		h, err := dir.CapacityHistory(ctx, capID, 100)
		if err != nil || len(h) != n {
			t.Fatalf("history: %d lines, %v", len(h), err)
		}
		for k := 0; k+1 < len(h); k++ {
			if h[k].Before != h[k+1].After {
				t.Errorf("line %d says before %v, but the line before it left %v", k, h[k].Before, h[k+1].After)
			}
		}
		caps, err := dir.ServiceCapacities(ctx, s.ID)
		if err != nil || *caps[0].Available != h[0].After || h[len(h)-1].Before != 0 {
			t.Errorf("count %v after history %+v (%v)", *caps[0].Available, h, err)
		}
	})
}
