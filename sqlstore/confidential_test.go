package sqlstore_test

import (
	"context"
	"testing"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/sqlstore"
)

// A location shared by two services becomes confidential through a
// re-import of one of them: the other's search place moves to the public
// point too (in SQL and in its stored document), and every public read
// redacts the location while a staff read keeps it whole.
func TestConfidentialLocationShared(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := mustOpenPath(t, e.fresh(t))
		svcs := MustSample(t, 60)
		MustImport(t, db, svcs)
		// Two services at one location with coordinates.
		var a, b *hsds.Service
		at := map[string]*hsds.Service{}
		for _, s := range svcs {
			for _, sal := range s.ServiceAtLocations {
				if l := sal.Location; l != nil && l.Latitude != nil && a == nil {
					if other := at[l.ID]; other != nil && other.ID != s.ID {
						a, b = other, s
					}
					at[l.ID] = s
				}
			}
		}
		if a == nil {
			t.Fatal("the sample has no shared location")
		}
		var loc *hsds.Location
		for _, sal := range a.ServiceAtLocations {
			if sal.Location != nil && sal.Location.ID != "" && at[sal.Location.ID] == b {
				loc = sal.Location
			}
		}
		site := geo.Point{Lat: *loc.Latitude, Lon: *loc.Longitude}
		yes := true
		loc.XConfidential = &yes
		if a.Organization != nil {
			for i := range a.Organization.Locations {
				if a.Organization.Locations[i].ID == loc.ID {
					a.Organization.Locations[i].XConfidential = &yes
				}
			}
		}
		MustImport(t, db, []*hsds.Service{a})

		pub, ok := geo.PublicPoint(&site, loc.Addresses[0].PostalCode, loc.Addresses[0].Country)
		if !ok {
			t.Fatal("no public point")
		}
		dir := sqlstore.NewDirectoryService(db)
		res, err := dir.SearchDirectory(ctx, haven.DirectoryFilter{Near: &haven.LatLon{Lat: site.Lat, Lon: site.Lon}, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.LocationID == loc.ID && (h.Lat == nil || *h.Lat != pub.Lat || *h.Lon != pub.Lon) {
				t.Errorf("service %s is placed at %v,%v; want the public point %v", h.ServiceID, h.Lat, h.Lon, pub)
			}
		}
		stored := map[string]*haven.DirectoryDoc{}
		if err := dir.EachDirectoryDoc(ctx, func(d *haven.DirectoryDoc) error { stored[d.ServiceID] = d; return nil }); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{a.ID, b.ID} {
			for _, p := range stored[id].Places {
				if p.LocationID == loc.ID && (p.Lat == nil || *p.Lat != pub.Lat || *p.Lon != pub.Lon) {
					t.Errorf("stored document of %s places the location at %v,%v", id, p.Lat, p.Lon)
				}
			}
		}
		mustMatchLive(t, db, "after marking")
		// The other service, which was not re-imported, is redacted too.
		got, err := dir.FindServiceByID(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sal := range got.ServiceAtLocations {
			if sal.LocationID == loc.ID && (!sal.Location.Confidential() || sal.Location.Latitude != nil ||
				sal.Location.Addresses[0].Address1 != "") {
				t.Errorf("public read of %s: %+v", b.ID, sal.Location)
			}
		}
		staff, err := dir.FindServiceByID(haven.WithStaffView(ctx), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sal := range staff.ServiceAtLocations {
			if sal.LocationID == loc.ID && (sal.Location.Latitude == nil || *sal.Location.Latitude != site.Lat) {
				t.Errorf("staff read of %s lost the site: %+v", b.ID, sal.Location)
			}
		}
		// Exports (EachService) redact unless asked for staff.
		for _, tc := range []struct {
			ctx   context.Context
			whole bool
		}{{ctx, false}, {haven.WithStaffView(ctx), true}} {
			err := dir.EachService(tc.ctx, func(s *hsds.Service) error {
				for _, sal := range s.ServiceAtLocations {
					if sal.LocationID == loc.ID && (sal.Location.Latitude != nil) != tc.whole {
						t.Errorf("EachService (whole %v) gave %s with %+v", tc.whole, s.ID, sal.Location)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}
