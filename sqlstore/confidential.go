package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"haven"
	"haven/geo"
	"haven/hsds"
)

// Confidential locations (see haven.WithStaffView and hsds/confidential.go).
// The store keeps them whole; what leaves it for anyone but staff is
// redacted here, in the public read methods, so that every page, API and
// export gets the same treatment. Edits read through the lower-case
// helpers, which never redact, so that a redacted copy is never written
// back.
//
// Search measures distances from a public point, never from the site: the
// search document of a service at a confidential location carries
// geo.PublicPoint instead of its coordinates, so SQL (search_places), the
// stored documents and the in-memory index all measure from it alike.

// searchPoint returns the point search files a location under.
func searchPoint(l *hsds.Location) (lat, lon *float64) {
	if !l.Confidential() {
		return l.Latitude, l.Longitude
	}
	var site *geo.Point
	if l.Latitude != nil && l.Longitude != nil {
		site = &geo.Point{Lat: *l.Latitude, Lon: *l.Longitude}
	}
	postcode, country := "", ""
	for _, a := range l.Addresses {
		if a.PostalCode != "" && (postcode == "" || a.AddressType == "physical") {
			postcode, country = a.PostalCode, a.Country
		}
	}
	p, ok := geo.PublicPoint(site, postcode, country)
	if !ok {
		return nil, nil
	}
	return &p.Lat, &p.Lon
}

// placeChanged reports whether a location's stored data (before) and its
// new form differ in what decides where search puts it: its coordinates,
// its confidentiality or its postal codes. Such a change rewrites the
// search places of every service offered there, at commit.
func placeChanged(before string, l *hsds.Location) bool {
	var old hsds.Location
	if err := json.Unmarshal([]byte(before), &old); err != nil {
		return true
	}
	lat, lon := searchPoint(l)
	oldLat, oldLon := searchPoint(&old)
	return !sameFloat(lat, oldLat) || !sameFloat(lon, oldLon) || old.Confidential() != l.Confidential()
}

func sameFloat(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// reindexPlaced rewrites the search documents of the services offered at
// the locations whose place changed in this transaction.
func (tx *Tx) reindexPlaced(ctx context.Context) error {
	if len(tx.changes.placed) == 0 {
		return nil
	}
	locs := make([]string, 0, len(tx.changes.placed))
	for id := range tx.changes.placed {
		locs = append(locs, id)
	}
	tx.changes.placed = nil
	var ids []string
	if err := eachIDBatch(locs, func(in string, args []any) error {
		found, err := queryStrings(ctx, tx, `SELECT DISTINCT service_id FROM service_at_locations WHERE location_id IN (`+in+`)`, args...)
		ids = append(ids, found...)
		return err
	}); err != nil {
		return err
	}
	for start := 0; start < len(ids); start += 500 {
		svcs, err := loadServices(ctx, tx, ids[start:min(start+500, len(ids))])
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if err := indexService(ctx, tx, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// locationFlags returns which of the given locations are confidential and
// which are withdrawn now, by the locations table (one query a batch): a
// copy nested in an organization's or a service's document may predate
// the flag.
func locationFlags(ctx context.Context, tx *Tx, ids set) (secret, gone set, err error) {
	secret, gone = set{}, set{}
	all := make([]string, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	err = eachIDBatch(all, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, confidential, withdrawn FROM locations
			WHERE (confidential <> 0 OR withdrawn <> 0) AND id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var c, w int
			if err := rows.Scan(&id, &c, &w); err != nil {
				return err
			}
			secret[id], gone[id] = c != 0, w != 0
		}
		return rows.Err()
	})
	return secret, gone, err
}

// redactOrganizations redacts the organizations' confidential locations
// and takes their withdrawn ones off, unless ctx is a staff view.
func redactOrganizations(ctx context.Context, tx *Tx, orgs []*hsds.Organization) error {
	if haven.StaffView(ctx) || len(orgs) == 0 {
		return nil
	}
	ids := set{}
	for _, o := range orgs {
		for _, l := range o.Locations {
			ids.add(l.ID)
		}
	}
	secret, gone, err := locationFlags(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if len(gone) > 0 {
			o.Locations = slices.DeleteFunc(o.Locations, func(l hsds.Location) bool { return gone[l.ID] })
		}
		hsds.RedactOrganization(o, func(id string) bool { return secret[id] })
	}
	return nil
}
