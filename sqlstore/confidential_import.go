package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"haven/hsds"
)

// A public export shows a confidential location as its area only (see
// hsds.RedactedLocation). Imported back over the database it came from,
// such a copy would replace the shelter's street, coordinates and name,
// which exist nowhere else, with nothing. checkPublicCopies refuses that,
// naming the record and field: the operator imports the full export
// (haven export --include-confidential) instead, or leaves the record out
// with --skip-invalid. A curator clearing a street in the form is another
// path (UpdateLocation), and is not refused.
func checkPublicCopies(ctx context.Context, tx *Tx, s *hsds.Service, file string) (hsds.Errors, error) {
	var errs hsds.Errors
	check := func(field string, l *hsds.Location) error {
		if l == nil || !l.Confidential() || !publicCopy(l) {
			return nil
		}
		stored, err := tx.storedValue(ctx, `SELECT data FROM locations WHERE id = $1`, l.ID)
		if err != nil || stored == nil {
			return err
		}
		var before hsds.Location
		if err := json.Unmarshal([]byte(*stored), &before); err != nil {
			return fmt.Errorf("location %s: %w", l.ID, err)
		}
		if publicCopy(&before) {
			return nil // nothing secret is stored here to lose
		}
		errs = append(errs, &hsds.FieldError{File: file, Record: "service " + s.ID, Field: field,
			Reason: fmt.Sprintf("location %s is a public copy of a confidential location (no street, coordinates or name), "+
				"and this database holds its full address: importing it would erase that; import a full export "+
				"(haven export --include-confidential) instead, or leave this record out with --skip-invalid", l.ID)})
		return nil
	}
	for i := range s.ServiceAtLocations {
		if err := check(fmt.Sprintf("service_at_locations[%d].location", i), s.ServiceAtLocations[i].Location); err != nil {
			return nil, err
		}
	}
	if o := s.Organization; o != nil {
		for i := range o.Locations {
			if err := check(fmt.Sprintf("organization.locations[%d]", i), &o.Locations[i]); err != nil {
				return nil, err
			}
		}
	}
	return errs, nil
}

// publicCopy reports whether l holds none of what redaction removes from a
// confidential location: no name, coordinates or street lines.
func publicCopy(l *hsds.Location) bool {
	if l.Name != "" || l.Latitude != nil || l.Longitude != nil {
		return false
	}
	for _, a := range l.Addresses {
		if a.Address1 != "" || a.Address2 != "" {
			return false
		}
	}
	return true
}
