package searchindex_test

import (
	"fmt"
	"math/rand/v2"

	"haven/hsds"
)

// areaNames are service areas as real data writes them: states, countries
// and "nationwide" by name or code, counties, and text Haven cannot
// resolve.
var areaNames = []string{"Nationwide", "Nationwide, United States", "Texas (statewide)", "CA", "Statewide",
	"Harris County, TX", "Greater Gulf Coast region", "Todo México", "MX-JAL", "Estados Unidos", "New York State"}

// roughAreas gives some services areas: named ones, GeoJSON boxes around
// a place of the data, and virtual locations.
func roughAreas(r *rand.Rand, svcs []*hsds.Service, seed int64) {
	n := 0
	id := func() string {
		n++
		return fmt.Sprintf("%08x-0000-4000-a000-%012x", seed, n)
	}
	for _, s := range svcs {
		switch r.IntN(6) {
		case 0, 1:
			s.ServiceAreas = append(s.ServiceAreas, hsds.ServiceArea{ID: id(), ServiceID: s.ID, Name: areaNames[r.IntN(len(areaNames))]})
		case 2:
			o := svcs[r.IntN(len(svcs))]
			if len(o.ServiceAtLocations) == 0 || o.ServiceAtLocations[0].Location.Latitude == nil || o.ServiceAtLocations[0].Location.Longitude == nil {
				continue
			}
			l := o.ServiceAtLocations[0].Location
			d := 0.1 + r.Float64()*2
			lat, lon := *l.Latitude, *l.Longitude
			s.ServiceAreas = append(s.ServiceAreas, hsds.ServiceArea{ID: id(), ServiceID: s.ID, Name: "Around " + o.Name, ExtentType: "geojson",
				Extent: fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
					lon-d, lat-d, lon+d, lat-d, lon+d, lat+d, lon-d, lat+d, lon-d, lat-d)})
		case 3:
			v := &hsds.Location{ID: id(), LocationType: "virtual", Name: "Online (sample)", URL: "https://example.org/help", OrganizationID: s.OrganizationID}
			s.ServiceAtLocations = append(s.ServiceAtLocations, hsds.ServiceAtLocation{ID: id(), ServiceID: s.ID, LocationID: v.ID, Location: v})
			if r.IntN(2) == 0 {
				s.ServiceAreas = append(s.ServiceAreas, hsds.ServiceArea{ID: id(), ServiceID: s.ID, Name: "Nationwide (United States)"})
			}
		}
	}
}
