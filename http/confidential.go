package http

import (
	"strings"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/i18n"
)

// confidentialPlace shows a confidential location as the public may see
// it: the city, state, postal code and country of its first address, and
// that the address is given on contact, with the number to call. Lines
// carries the notice too, so that the referral sheet and its PDF, which
// print Lines, say it.
func confidentialPlace(l *i18n.Localizer, loc *hsds.Location, phone string) placeView {
	var parts []string
	for _, a := range loc.Addresses {
		area := strings.TrimSpace(strings.Trim(strings.TrimSpace(a.City+", "+a.StateProvince+" "+a.PostalCode), ","))
		if area != "" {
			parts = append(parts, area)
		}
		if a.Country != "" && a.Country != "US" {
			parts = append(parts, geo.CountryName(a.Country, l.Lang))
		}
		break
	}
	if phone != "" {
		parts = append(parts, l.T("service.confidential.call", phone))
	} else {
		parts = append(parts, l.T("service.confidential"))
	}
	return placeView{Lines: strings.Join(parts, "\n"), Confidential: true}
}

// shownConfidential reports whether the place a card shows (the hit's, or
// the service's first) is confidential.
func shownConfidential(h *haven.DirectoryHit, sv *hsds.Service) bool {
	for _, sal := range sv.ServiceAtLocations {
		if h == nil || h.LocationID == "" || sal.LocationID == h.LocationID {
			return sal.Location.Confidential()
		}
	}
	return false
}
