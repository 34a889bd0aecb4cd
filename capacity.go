package haven

import (
	"context"
	"time"

	"haven/hsds"
)

// Capacity (issue 21): how many beds, places or appointments a service has
// free now. A count is only as good as its age, so a capacity not updated
// within a maximum age is shown and searched as unknown, never as a stale
// number.

// DefaultCapacityMaxAge is how long a capacity's count is believed when
// the operator does not say (haven serve --capacity-max-age).
const DefaultCapacityMaxAge = 24 * time.Hour

// CapacityService changes capacities and reads their history.
type CapacityService interface {
	// UpdateCapacity sets a capacity's available count, stamps it updated
	// now, and records the change (who, when, before and after) in the
	// capacity history, the audit trail and the directory change log, in
	// one transaction. EINVALID for a count below zero or above the
	// capacity's maximum; ENOTFOUND for an unknown service or a capacity
	// the service does not have.
	UpdateCapacity(ctx context.Context, actor, serviceID, capacityID string, available int) error
	// CapacityHistory returns a capacity's changes, newest first, at most
	// limit of them.
	CapacityHistory(ctx context.Context, capacityID string, limit int) ([]CapacityChange, error)
	// OrganizationCapacities returns the capacities of an organization's
	// services, by service name; ENOTFOUND for an unknown organization.
	OrganizationCapacities(ctx context.Context, orgID string) ([]ServiceCapacities, error)
	// CapacityReport returns the current totals per unit, counting as
	// fresh the capacities updated within maxAge, and monthly figures per
	// unit of the changes made since a time: no service or person is named
	// in them.
	CapacityReport(ctx context.Context, since time.Time, maxAge time.Duration) (*CapacityReport, error)
}

// ServiceCapacities are one service's capacities, with their units.
type ServiceCapacities struct {
	ServiceID   string
	ServiceName string
	OrgID       string
	Capacities  []hsds.ServiceCapacity
}

// CapacityChange is one change of a capacity's count.
type CapacityChange struct {
	ServiceID     string
	CapacityID    string
	UnitID        string
	Before, After float64
	Maximum       *float64
	Actor         string
	At            time.Time
}

// CapacityReport holds aggregate, non-identifying capacity figures.
type CapacityReport struct {
	Since time.Time `json:"since"`
	// Units are the current totals, one per unit, by unit name.
	Units []CapacityUnitTotal `json:"units"`
	// Months are the updates made each month per unit, oldest first.
	Months []CapacityMonth `json:"months"`
}

// CapacityUnitTotal is what every service counting a unit has, summed.
type CapacityUnitTotal struct {
	Unit       string  `json:"unit"`
	Capacities int     `json:"capacities"`
	Available  float64 `json:"available"`
	Maximum    float64 `json:"maximum"` // of those capacities that give one
	// Fresh counts the capacities updated within the maximum age asked.
	Fresh int `json:"fresh"`
}

// CapacityMonth is the number of updates of one unit in one month.
type CapacityMonth struct {
	Month   string `json:"month"` // YYYY-MM, UTC
	Unit    string `json:"unit"`
	Updates int    `json:"updates"`
}

// CapacityState is a capacity as pages show it: a count with its age, or
// unknown when the count is older than the maximum age or its time cannot
// be read.
type CapacityState struct {
	Unit      string
	Available float64
	Maximum   *float64
	Updated   time.Time
	Known     bool
}

// CapacityStateOf reads a capacity as of now, believing counts no older
// than maxAge.
func CapacityStateOf(c hsds.ServiceCapacity, now time.Time, maxAge time.Duration) CapacityState {
	st := CapacityState{Maximum: c.Maximum}
	if c.Unit != nil {
		st.Unit = c.Unit.Name
	}
	if c.Available != nil {
		st.Available = *c.Available
	}
	t, err := time.Parse(time.RFC3339Nano, c.Updated)
	if err == nil && c.Available != nil {
		st.Updated = t
		st.Known = CapacityFresh(t, now, maxAge)
	}
	return st
}

// CapacityFresh reports whether a count updated at t is believed at now:
// it is no older than maxAge, at millisecond precision, as search compares
// (see DirectoryFilter.RoomSince). A time in the future is believed.
func CapacityFresh(t, now time.Time, maxAge time.Duration) bool {
	return t.UnixMilli() >= RoomSince(now, maxAge).UnixMilli()
}

// RoomSince is the oldest update time a search for room at now believes.
func RoomSince(now time.Time, maxAge time.Duration) time.Time {
	return now.Add(-maxAge).UTC().Truncate(time.Millisecond)
}

// RoomUpdated returns the latest update time of the capacities with a
// count above zero, nil for none: a service has room at a search's time
// when it is no earlier than the search's RoomSince.
func RoomUpdated(cs []hsds.ServiceCapacity) *time.Time {
	var latest *time.Time
	for _, c := range cs {
		if c.Available == nil || !(*c.Available > 0) {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, c.Updated)
		if err != nil {
			continue
		}
		t = t.UTC().Truncate(time.Millisecond)
		if latest == nil || t.After(*latest) {
			latest = &t
		}
	}
	return latest
}
