package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"haven"
	"haven/hsds"
	"haven/sqlstore"
)

var ns31 = uuid.MustParse("0b8c41a2-5f7e-4d43-9a57-4b2f0a6c3d21")

func id31(format string, args ...any) string {
	return uuid.NewSHA1(ns31, fmt.Appendf(nil, format, args...)).String()
}

func num(x float64) *float64 { return &x }

// with31 gives every third sample service the objects HSDS 3.1 added:
// capacities counting two shared units (one given by unit_id as well, one
// by its nested unit only), an additional URL, an attribute label, a
// service area of its first service_at_location and, every sixth, an area
// the service and that service_at_location both list; and every
// organization an additional website.
func with31(svcs []*hsds.Service) []*hsds.Service {
	bed := hsds.Unit{ID: id31("unit bed"), Name: "Bed (sample)", Scheme: "Haven", Identifier: "bed", URI: "https://haven.example/units/bed"}
	place := hsds.Unit{ID: id31("unit place"), Name: "Group place (sample)"}
	for i, s := range svcs {
		// Every copy of an organization must be the same: all get it.
		if o := s.Organization; o != nil {
			o.AdditionalWebsites = []hsds.URL{{ID: id31("org url %s", o.ID), Label: "Donate", URL: "https://haven.example/donate", OrganizationID: o.ID}}
		}
		if i%3 != 0 {
			continue
		}
		b, p := bed, place
		s.Capacities = []hsds.ServiceCapacity{
			// Listed out of id order: the service's order is kept.
			{ID: id31("cap %d z", i), ServiceID: s.ID, Unit: &b, UnitID: b.ID, Available: num(float64(i % 7)), Maximum: num(12),
				Description: "Emergency beds tonight (sample)", Updated: "2025-03-01T21:30:06.5+01:00"},
			{ID: id31("cap %d a", i), Unit: &p, Available: num(2.5), Updated: "2025-03-02T08:00:00Z"},
		}
		s.AdditionalURLs = []hsds.URL{{ID: id31("url %d", i), Label: "Intake form", URL: "https://haven.example/intake/" + fmt.Sprint(i), ServiceID: s.ID}}
		if len(s.Attributes) > 0 {
			s.Attributes[0].Label = "Category"
		}
		if len(s.ServiceAtLocations) > 0 {
			sal := &s.ServiceAtLocations[0]
			sal.ServiceAreas = []hsds.ServiceArea{{ID: id31("sal area %d", i), ServiceAtLocationID: sal.ID, Name: "The city centre", ExtentType: "text", Extent: "centre"}}
			if i%6 == 0 {
				both := hsds.ServiceArea{ID: id31("both area %d", i), ServiceID: s.ID, ServiceAtLocationID: sal.ID, Name: "The county"}
				s.ServiceAreas = append(s.ServiceAreas, both)
				sal.ServiceAreas = append(sal.ServiceAreas, both)
			}
		}
	}
	return svcs
}

func exported(t *testing.T, dir *sqlstore.DirectoryService) map[string]string {
	t.Helper()
	got := map[string]string{}
	if err := dir.EachService(context.Background(), func(s *hsds.Service) error {
		b, _ := json.Marshal(s)
		got[s.ID] = string(b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// The HSDS 3.1 objects are stored and come back exactly, on both engines,
// with capacities' update times as written; importing the same data again
// changes no row count.
func TestHSDS31RoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := with31(MustSample(t, 60))
		for _, s := range svcs {
			if errs := s.Validate(); len(errs) > 0 {
				t.Fatalf("with31 made an invalid service: %v", hsds.Errors(errs))
			}
		}
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		got := exported(t, dir)
		for _, s := range svcs {
			want, _ := json.Marshal(s)
			if got[s.ID] != string(want) {
				t.Fatalf("service %s changed on the way:\n in %s\nout %s", s.ID, want, got[s.ID])
			}
		}
		if !strings.Contains(got[svcs[0].ID], `"updated":"2025-03-01T21:30:06.5+01:00"`) {
			t.Errorf("capacity update time not kept as written: %s", got[svcs[0].ID])
		}
		// The link checker visits the 3.1 addresses too.
		links, err := sqlstore.NewCurationService(db).LinkURLs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"https://haven.example/intake/0", "https://haven.example/donate"} {
			if !slices.Contains(links, u) {
				t.Errorf("link checks leave out %s", u)
			}
		}
		counts := func() map[string]int {
			m := map[string]int{}
			for _, table := range []string{"service_capacities", "units", "urls", "service_areas"} {
				n, err := db.CountRows(context.Background(), table)
				if err != nil {
					t.Fatal(err)
				}
				m[table] = n
			}
			return m
		}
		first := counts()
		if first["service_capacities"] != 40 || first["units"] != 2 || first["urls"] < 21 {
			t.Errorf("rows after import: %v", first)
		}
		MustImport(t, db, with31(MustSample(t, 60)))
		if second := counts(); !maps.Equal(first, second) {
			t.Errorf("importing again changed the counts: %v, then %v", first, second)
		}
		// Rewritten without its 3.1 objects, a service leaves none behind.
		plain := MustSample(t, 1)
		MustImport(t, db, plain)
		caps, err := dir.ServiceCapacities(context.Background(), plain[0].ID)
		if err != nil || len(caps) != 0 {
			t.Errorf("capacities after rewriting without them: %v, %v", caps, err)
		}
	})
}

// ServiceCapacities and SetServiceCapacities read and replace one
// service's capacities alone, keeping the times given; bad input changes
// nothing.
func TestServiceCapacitiesStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := with31(MustSample(t, 4))
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		sid := svcs[0].ID
		caps, err := dir.ServiceCapacities(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if len(caps) != 2 || caps[0].ID != id31("cap 0 z") || caps[0].Unit == nil || caps[0].Unit.Name != "Bed (sample)" {
			t.Fatalf("capacities read: %+v", caps)
		}
		caps[0].Available, caps[0].Updated = num(5), "2025-03-03T06:00:00-05:00"
		caps = caps[:1]
		if err := dir.SetServiceCapacities(ctx, sid, caps); err != nil {
			t.Fatal(err)
		}
		s, err := dir.FindServiceByID(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Capacities) != 1 || *s.Capacities[0].Available != 5 || s.Capacities[0].Updated != "2025-03-03T06:00:00-05:00" {
			t.Errorf("after the update the service has %+v", s.Capacities)
		}
		if s.Name != svcs[0].Name || len(s.Phones) != len(svcs[0].Phones) {
			t.Error("updating capacities changed the rest of the service")
		}
		// A curator's edit of the service keeps its capacities and its other
		// 3.1 objects.
		if err := dir.UpdateService(ctx, "curator@haven.example", sid, map[string]string{"application_process": "Call first (sample)"}); err != nil {
			t.Fatal(err)
		}
		if s, err = dir.FindServiceByID(ctx, sid); err != nil {
			t.Fatal(err)
		}
		if len(s.Capacities) != 1 || *s.Capacities[0].Available != 5 || len(s.AdditionalURLs) != 1 || len(s.ServiceAtLocations[0].ServiceAreas) == 0 {
			t.Errorf("an edit lost 3.1 objects: capacities %+v, urls %+v", s.Capacities, s.AdditionalURLs)
		}
		before := exported(t, dir)
		for name, tc := range map[string]struct {
			id   string
			caps []hsds.ServiceCapacity
			code string
		}{
			"negative":      {sid, []hsds.ServiceCapacity{{ID: id31("x"), Unit: caps[0].Unit, Available: num(-1), Updated: "2025-01-01T00:00:00Z"}}, haven.EINVALID},
			"no unit":       {sid, []hsds.ServiceCapacity{{ID: id31("x"), Available: num(1), Updated: "2025-01-01T00:00:00Z"}}, haven.EINVALID},
			"bad time":      {sid, []hsds.ServiceCapacity{{ID: id31("x"), Unit: caps[0].Unit, Available: num(1), Updated: "yesterday"}}, haven.EINVALID},
			"other service": {sid, []hsds.ServiceCapacity{{ID: id31("x"), ServiceID: svcs[1].ID, Unit: caps[0].Unit, Available: num(1), Updated: "2025-01-01T00:00:00Z"}}, haven.EINVALID},
			"twice":         {sid, []hsds.ServiceCapacity{caps[0], caps[0]}, haven.EINVALID},
			"no service":    {id31("nobody"), caps, haven.ENOTFOUND},
		} {
			err := dir.SetServiceCapacities(ctx, tc.id, tc.caps)
			if haven.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if _, err := dir.ServiceCapacities(ctx, id31("nobody")); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("capacities of no service: %v", err)
		}
		if after := exported(t, dir); !maps.Equal(before, after) {
			t.Error("refused updates changed the directory")
		}
	})
}
