package listing

import (
	"strings"

	"haven/hsds"
)

// serviceAreasField is "service_areas": the areas a service serves that
// are written as text, one a line ("Texas", "Nationwide, United States",
// "Harris County, TX"). Areas drawn as shapes (a GeoJSON, TopoJSON or KML
// extent) are not shown and stay as they are. A line kept as it was keeps
// its area's id and description. The store resolves each line when it
// saves the service, and lists on the curators' dashboard those it cannot
// read (haven's servicearea.go): a curator's wording is never guessed at.
var serviceAreasField = textField{
	get: func(s *hsds.Service) string {
		var lines []string
		for _, a := range s.ServiceAreas {
			if !shapedArea(a) && a.Name != "" {
				lines = append(lines, a.Name)
			}
		}
		return strings.Join(lines, "\n")
	},
	set: func(s *hsds.Service, v string, _ CategoryLookup) error {
		old := map[string]hsds.ServiceArea{}
		var out []hsds.ServiceArea
		for _, a := range s.ServiceAreas {
			if shapedArea(a) || a.Name == "" {
				out = append(out, a)
			} else if _, dup := old[a.Name]; !dup {
				old[a.Name] = a
			}
		}
		seen := map[string]bool{}
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || seen[line] {
				continue
			}
			seen[line] = true
			a, ok := old[line]
			if !ok {
				a = hsds.ServiceArea{ID: newID(), Name: line}
			}
			a.ServiceID = s.ID
			out = append(out, a)
		}
		if len(out) == 0 {
			out = nil
		}
		s.ServiceAreas = out
		return nil
	},
}

// shapedArea reports whether an area is drawn as a shape rather than
// written as text.
func shapedArea(a hsds.ServiceArea) bool {
	t := strings.ToLower(a.ExtentType)
	return strings.TrimSpace(a.Extent) != "" && t != "" && t != "text"
}

func init() {
	serviceTextFields["service_areas"] = serviceAreasField
}
