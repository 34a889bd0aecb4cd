package sqlstore_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"testing"

	"haven"
	"haven/hsds"
	"haven/sqlstore"
)

// localHits returns the hits found by a place of their own.
func localHits(hits []haven.DirectoryHit) []haven.DirectoryHit {
	var out []haven.DirectoryHit
	for _, h := range hits {
		if h.Served == "" {
			out = append(out, h)
		}
	}
	return out
}

// withServed adds to local (the oracle's services found by their places)
// those a search with a place finds because they serve it, computed in
// Go from the data by the rules of haven's servicearea.go.
func withServed(svcs []*hsds.Service, f haven.DirectoryFilter, local []string) []string {
	if !f.HasPlace() || f.Served == haven.ServedNone {
		if f.Served == haven.ServedOnly {
			return nil
		}
		return local
	}
	isLocal := map[string]bool{}
	for _, id := range local {
		isLocal[id] = true
	}
	out := slices.Clone(local)
	if f.Served == haven.ServedOnly {
		out = nil
	}
	for _, s := range svcs {
		if !f.AllStatuses && s.Status != "active" && s.Status != "temporarily closed" {
			continue
		}
		if f.Category != "" && !slices.ContainsFunc(s.Attributes, func(a hsds.Attribute) bool {
			return a.TaxonomyTerm != nil && a.TaxonomyTerm.Code == f.Category
		}) {
			continue
		}
		if f.Language != "" && !slices.ContainsFunc(s.Languages, func(l hsds.Language) bool { return l.Code == f.Language }) {
			continue
		}
		ps := placesOf(s)
		if isLocal[s.ID] && (f.Near == nil || f.RadiusKm > 0 || slices.ContainsFunc(ps, func(p place) bool { return p.pt != nil })) {
			continue
		}
		areas := areasOf(s, ps)
		serves := func(ok func(a haven.ServedArea) bool) bool { return slices.ContainsFunc(areas, ok) }
		if f.Near != nil {
			at := haven.LocatePoint(*f.Near)
			if !serves(func(a haven.ServedArea) bool {
				return a.Kind == haven.AreaCountry && a.Country == at.Country && at.Country != "" ||
					a.Kind == haven.AreaState && a.State == at.State && at.State != "" ||
					a.Kind == haven.AreaCounty && a.State == at.State && a.County == at.County && at.County != "" ||
					a.Kind == haven.AreaPolygon && haven.PolygonContains(a.Geometry, *f.Near)
			}) {
				continue
			}
		}
		if f.State != "" && !slices.ContainsFunc(ps, func(p place) bool { return p.state == f.State }) && !serves(func(a haven.ServedArea) bool {
			return (a.Kind == haven.AreaState || a.Kind == haven.AreaCounty) && a.State == f.State ||
				a.Kind == haven.AreaCountry && a.Country == haven.CountryOfState(f.State)
		}) {
			continue
		}
		if f.Country != "" && !slices.ContainsFunc(ps, func(p place) bool { return p.country == f.Country }) && !serves(func(a haven.ServedArea) bool {
			return a.Kind != "" && a.Kind != haven.AreaPolygon && a.Country == f.Country
		}) {
			continue
		}
		if !isLocal[s.ID] {
			out = append(out, s.ID)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// areasOf resolves a service's areas as the store does, with the state and
// country all its places share.
func areasOf(s *hsds.Service, ps []place) []haven.ServedArea {
	var home haven.AreaHome
	for i, p := range ps {
		if i == 0 {
			home = haven.AreaHome{Country: p.country, State: p.state}
		}
		if p.country != home.Country {
			home.Country = ""
		}
		if p.state != home.State {
			home.State = ""
		}
	}
	var out []haven.ServedArea
	for _, a := range s.ServiceAreas {
		out = append(out, haven.ResolveServiceArea(a, home))
	}
	return out
}

// houstonBox is a GeoJSON polygon around central Houston.
const houstonBox = `{"type":"Polygon","coordinates":[[[-95.6,29.6],[-95.1,29.6],[-95.1,29.95],[-95.6,29.95],[-95.6,29.6]]]}`

// areaServices is a small directory in which services serve areas: the
// first sample services, re-placed. Every one stays sample data (its
// organization says so).
func areaServices(tb testing.TB) (svcs []*hsds.Service, byRole map[string]*hsds.Service) {
	tb.Helper()
	svcs = MustSample(tb, 300)
	byRole = map[string]*hsds.Service{}
	area := func(s *hsds.Service, i int, a hsds.ServiceArea) hsds.ServiceArea {
		a.ID, a.ServiceID = fmt.Sprintf("00000000-0000-4000-8000-%012d", 900+i), s.ID
		return a
	}
	var next int
	pick := func(role string, state string) *hsds.Service {
		for _, s := range svcs[next:] {
			next++
			if s.Status != "active" || len(s.ServiceAtLocations) == 0 {
				continue
			}
			if st := placesOf(s); state == "" || len(st) > 0 && st[0].state == state {
				byRole[role] = s
				return s
			}
		}
		tb.Fatalf("no sample service for %s", role)
		return nil
	}
	// A statewide line in Texas with no place of its own.
	s := pick("tx-statewide", "")
	s.ServiceAtLocations = nil
	s.ServiceAreas = []hsds.ServiceArea{area(s, 1, hsds.ServiceArea{Name: "Statewide: Texas", ExtentType: "text"})}
	// A national online service: a virtual location, "Nationwide, USA".
	s = pick("us-online", "")
	virt := &hsds.Location{ID: "00000000-0000-4000-8000-000000000999", LocationType: "virtual", Name: "Online (sample)",
		URL: "https://example.org/chat", OrganizationID: s.OrganizationID}
	s.ServiceAtLocations = []hsds.ServiceAtLocation{{ID: "00000000-0000-4000-8000-000000000998", ServiceID: s.ID, LocationID: virt.ID, Location: virt}}
	s.ServiceAreas = []hsds.ServiceArea{area(s, 2, hsds.ServiceArea{Name: "Nationwide (United States)"})}
	// A service in California that also serves Houston by polygon.
	s = pick("polygon", "CA")
	s.ServiceAreas = []hsds.ServiceArea{area(s, 3, hsds.ServiceArea{Name: "Central Houston", ExtentType: "geojson", Extent: houstonBox})}
	// A county service in Texas, and one whose area cannot be resolved.
	s = pick("county", "")
	s.ServiceAtLocations = nil
	s.ServiceAreas = []hsds.ServiceArea{area(s, 4, hsds.ServiceArea{Name: "Harris County, TX"})}
	s = pick("unresolved", "")
	s.ServiceAtLocations = nil
	s.ServiceAreas = []hsds.ServiceArea{area(s, 5, hsds.ServiceArea{Name: "Greater Gulf Coast region"})}
	// A shelter in Texas at a confidential location, serving the state:
	// found far from it as served, it must show nothing of the site.
	s = pick("confidential", "TX")
	conf := *s.ServiceAtLocations[0].Location
	yes := true
	conf.XConfidential = &yes
	s.ServiceAtLocations = []hsds.ServiceAtLocation{s.ServiceAtLocations[0]}
	s.ServiceAtLocations[0].Location = &conf
	s.ServiceAreas = []hsds.ServiceArea{area(s, 7, hsds.ServiceArea{Name: "Texas"})}
	// Mexico, nationwide.
	s = pick("mx-nationwide", "")
	s.ServiceAtLocations = nil
	s.ServiceAreas = []hsds.ServiceArea{area(s, 6, hsds.ServiceArea{Name: "Todo México"})}
	return svcs, byRole
}

func TestServedAreasSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs, role := areaServices(t)
		dir := sqlstore.NewDirectoryService(db)
		i := 0
		rep, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
			if i == len(svcs) {
				return nil, io.EOF
			}
			i++
			return svcs[i-1], nil
		}, sqlstore.ImportOptions{Name: "areas"})
		if err != nil {
			t.Fatal(err)
		}
		// The import says how many areas it could not read: the sample's
		// "… metropolitan area" ones and the one made unreadable here.
		if want := len(unreadable(svcs)); rep.AreasUnread != want || want < 2 {
			t.Errorf("import reports %d unreadable areas, want %d", rep.AreasUnread, want)
		}
		houston := &haven.LatLon{Lat: 29.7604, Lon: -95.3698}
		guadalajara := &haven.LatLon{Lat: 20.6597, Lon: -103.3496}
		tests := []struct {
			f        haven.DirectoryFilter
			served   []string // roles found as served, with their mark
			marks    []string
			notFound []string
		}{
			// Houston lies in Harris County, which the county service serves.
			{haven.DirectoryFilter{Near: houston, RadiusKm: 40}, []string{"tx-statewide", "us-online", "polygon", "county"}, []string{"area", "remote", "area", "area"}, []string{"unresolved", "mx-nationwide"}},
			{haven.DirectoryFilter{Near: houston}, []string{"tx-statewide", "us-online", "county"}, []string{"area", "remote", "area"}, []string{"mx-nationwide"}},
			// Dallas is in Texas but not in Harris County.
			{haven.DirectoryFilter{Near: &haven.LatLon{Lat: 32.7767, Lon: -96.797}, RadiusKm: 40}, []string{"tx-statewide"}, []string{"area"}, []string{"county", "polygon"}},
			{haven.DirectoryFilter{State: "TX"}, []string{"tx-statewide", "us-online", "county"}, []string{"area", "remote", "area"}, []string{"polygon", "mx-nationwide"}},
			{haven.DirectoryFilter{State: "CA"}, []string{"us-online"}, []string{"remote"}, []string{"tx-statewide", "county"}},
			{haven.DirectoryFilter{Country: "US"}, []string{"tx-statewide", "us-online", "county"}, []string{"area", "remote", "area"}, []string{"mx-nationwide"}},
			{haven.DirectoryFilter{Country: "MX"}, []string{"mx-nationwide"}, []string{"area"}, []string{"us-online"}},
			// Outside the U.S. a point lies in the country of the nearest
			// town of the gazetteer: Guadalajara is served by Mexico's
			// nationwide service, not by the U.S. online one.
			{haven.DirectoryFilter{Near: guadalajara, RadiusKm: 50}, []string{"mx-nationwide"}, []string{"area"}, []string{"us-online", "tx-statewide"}},
			{haven.DirectoryFilter{Near: guadalajara, RadiusKm: 50, Country: "MX"}, []string{"mx-nationwide"}, []string{"area"}, []string{"us-online"}},
			{haven.DirectoryFilter{}, nil, nil, nil},
			{haven.DirectoryFilter{State: "TX", Served: haven.ServedOnly}, []string{"tx-statewide", "us-online", "county"}, []string{"area", "remote", "area"}, nil},
			{haven.DirectoryFilter{State: "TX", Served: haven.ServedNone}, nil, nil, []string{"tx-statewide", "us-online", "county"}},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%+v", tt.f), func(t *testing.T) {
				f := tt.f
				f.Limit = 100
				res, err := dir.SearchDirectory(context.Background(), f)
				if err != nil {
					t.Fatal(err)
				}
				if want := withServed(svcs, f, oracle(svcs, f)); res.Total != len(want) {
					t.Errorf("total %d, oracle %d", res.Total, len(want))
				}
				mark := map[string]string{}
				for _, h := range res.Hits {
					mark[h.ServiceID] = h.Served
					if h.Served == "" {
						mark[h.ServiceID] = "local"
					}
					if h.Served != "" && h.DistanceKm != nil {
						t.Errorf("served hit %s has a distance", h.Name)
					}
				}
				for i, r := range tt.served {
					if got := mark[role[r].ID]; got != tt.marks[i] {
						t.Errorf("%s: marked %q, want %q", r, got, tt.marks[i])
					}
				}
				for _, r := range tt.notFound {
					if got, ok := mark[role[r].ID]; ok {
						t.Errorf("%s found (%s)", r, got)
					}
				}
				if f.Served == haven.ServedOnly && len(localHits(res.Hits)) > 0 {
					t.Errorf("served=only lists %d services found by their places", len(localHits(res.Hits)))
				}
				// The served come one in ServedEvery while local ones remain.
				for i, h := range res.Hits {
					if h.Served != "" && (i+1)%haven.ServedEvery != 0 && len(localHits(res.Hits[i:])) > 0 {
						t.Errorf("served hit at %d of %d, before local ones", i, len(res.Hits))
					}
				}
			})
		}
		// A confidential location's service, served far from its site,
		// has no distance, and its coordinates are the public point's.
		conf := role["confidential"]
		site := conf.ServiceAtLocations[0].Location
		seen := 0
		for _, near := range []*haven.LatLon{{Lat: 31.7619, Lon: -106.485}, {Lat: 32.7767, Lon: -96.797}, houston} { // El Paso, Dallas, Houston
			res, err := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{Near: near, RadiusKm: 5, Served: haven.ServedOnly, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.ServiceID != conf.ID {
					continue
				}
				seen++
				if h.DistanceKm != nil {
					t.Errorf("confidential served hit near %v has a distance", near)
				}
				if h.Lat != nil && site.Latitude != nil && *h.Lat == *site.Latitude && *h.Lon == *site.Longitude {
					t.Errorf("confidential served hit near %v shows the site's coordinates", near)
				}
			}
		}
		if seen < 2 {
			t.Errorf("the confidential service was served in %d of 3 searches", seen)
		}
		// Pages split the merged order without loss or repeat.
		f := haven.DirectoryFilter{Near: houston, RadiusKm: 40, Limit: 1000}
		all, err := dir.SearchDirectory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		var paged []string
		for off := 0; off < all.Total; off += 3 {
			f.Offset, f.Limit = off, 3
			res, err := dir.SearchDirectory(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ServiceID+h.Served)
			}
		}
		var whole []string
		for _, h := range all.Hits {
			whole = append(whole, h.ServiceID+h.Served)
		}
		if !slices.Equal(paged, whole) {
			t.Errorf("pages of 3 give\n%v\nthe whole list\n%v", paged, whole)
		}
		// Curators see the area Haven could not resolve.
		problems, n, err := dir.ListAreaProblems(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range problems {
			found = found || p.ServiceID == role["unresolved"].ID && p.Label == "Greater Gulf Coast region" && p.Problem != ""
		}
		if !found || n != len(problems) {
			t.Errorf("area problems %d %+v: the unresolved area is not among them", n, problems)
		}
	})
}

// TestEditServiceAreas: a curator's areas are resolved when saved, found
// by search at once, and the unreadable line is listed, not guessed.
func TestEditServiceAreas(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs, role := areaServices(t)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		ctx := context.Background()
		s := role["polygon"] // in California, serving Houston by a polygon
		if err := dir.UpdateService(ctx, "curator@example.org", s.ID, map[string]string{"service_areas": "Oregon\nThe valley and beyond"}); err != nil {
			t.Fatal(err)
		}
		got, err := dir.FindServiceByID(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range got.ServiceAreas {
			names = append(names, a.Name)
		}
		if len(got.ServiceAreas) != 3 || !slices.Contains(names, "Central Houston") || !slices.Contains(names, "Oregon") {
			t.Fatalf("areas after the edit: %v", names)
		}
		for _, tt := range []struct {
			f    haven.DirectoryFilter
			want string
		}{
			{haven.DirectoryFilter{State: "OR", Limit: 100}, "area"},
			{haven.DirectoryFilter{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, RadiusKm: 10, Limit: 100}, "area"}, // the polygon stays
			{haven.DirectoryFilter{State: "WA", Limit: 100}, ""},
		} {
			res, err := dir.SearchDirectory(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			mark := "none"
			for _, h := range res.Hits {
				if h.ServiceID == s.ID {
					mark = h.Served
				}
			}
			if tt.want == "" && mark != "none" || tt.want != "" && mark != tt.want {
				t.Errorf("%+v: the edited service is %q", tt.f, mark)
			}
		}
		problems, _, err := dir.ListAreaProblems(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(problems, func(p haven.AreaProblem) bool { return p.Label == "The valley and beyond" && p.ServiceID == s.ID }) {
			t.Errorf("the unreadable line is not listed: %+v", problems)
		}
	})
}

// unreadable returns the ids of the areas of svcs Haven cannot resolve.
func unreadable(svcs []*hsds.Service) []string {
	var ids []string
	for _, s := range svcs {
		for _, a := range areasOf(s, placesOf(s)) {
			if a.Kind == "" {
				ids = append(ids, a.AreaID)
			}
		}
	}
	return ids
}
