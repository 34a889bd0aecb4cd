package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/sqlstore"
)

// The funders' report counts capacities and updates by unit and month and
// names no service, organization or person.
func TestCapacityReport(t *testing.T) {
	dir := t.TempDir()
	db, in := filepath.Join(dir, "h.db"), filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "10", "--out", in)
	MustRunMain(t, db, "import", in)
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	d := sqlstore.NewDirectoryService(store)
	var svcs []*hsds.Service
	if err := d.EachService(ctx, func(s *hsds.Service) error { svcs = append(svcs, s); return nil }); err != nil {
		t.Fatal(err)
	}
	bed := &hsds.Unit{ID: "0c9d5a1e-3b7f-4e2a-8d6c-5f4e3d2c1b0a", Name: "Bed (sample)"}
	n := func(f float64) *float64 { return &f }
	for i, s := range svcs[:3] {
		c := hsds.ServiceCapacity{ID: []string{"7a1f0c2e-9b3d-4e8a-a6f5-1c2d3e4f5a6b", "7a1f0c2e-9b3d-4e8a-a6f5-1c2d3e4f5a6c", "7a1f0c2e-9b3d-4e8a-a6f5-1c2d3e4f5a6d"}[i],
			Unit: bed, Available: n(0), Maximum: n(10), Updated: time.Now().UTC().Format(time.RFC3339)}
		if err := d.SetServiceCapacities(ctx, s.ID, []hsds.ServiceCapacity{c}); err != nil {
			t.Fatal(err)
		}
		if err := d.UpdateCapacity(ctx, "curator@example.org", s.ID, c.ID, i+1); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	// --capacity available finds the three with beds free.
	var found struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(MustRunMain(t, db, "providers", "--capacity", "available", "--all", "--json")), &found); err != nil || found.Total != 3 {
		t.Errorf("providers --capacity available: %d found (%v), want 3", found.Total, err)
	}

	out := MustRunMain(t, db, "capacity", "report", "--json")
	var rep haven.CapacityReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Units) != 1 || rep.Units[0] != (haven.CapacityUnitTotal{Unit: "Bed (sample)", Capacities: 3, Available: 6, Maximum: 30, Fresh: 3}) {
		t.Errorf("units: %+v", rep.Units)
	}
	if len(rep.Months) != 1 || rep.Months[0].Updates != 3 || rep.Months[0].Month != time.Now().UTC().Format("2006-01") {
		t.Errorf("months: %+v", rep.Months)
	}
	text := MustRunMain(t, db, "capacity", "report")
	for _, s := range svcs {
		for _, name := range []string{s.ID, s.Name, s.OrganizationID} {
			if strings.Contains(out, name) || strings.Contains(text, name) {
				t.Errorf("the report names %q", name)
			}
		}
	}
	if strings.Contains(out+text, "curator@example.org") {
		t.Error("the report names the person who updated")
	}
	if !strings.Contains(text, "Bed (sample)  3") {
		t.Errorf("text report:\n%s", text)
	}
	if _, err := runMain(db, "capacity", "report", "--since", "last week"); err == nil || !strings.Contains(err.Error(), "--since") {
		t.Errorf("a bad --since: %v", err)
	}
}
