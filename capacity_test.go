package haven_test

import (
	"testing"
	"time"

	"haven"
	"haven/hsds"
)

// A capacity's count is believed for the maximum age and no longer; room
// is the latest update of a count above zero.
func TestCapacityFreshness(t *testing.T) {
	now := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	n := func(f float64) *float64 { return &f }
	at := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339Nano) }
	for _, c := range []struct {
		name    string
		c       hsds.ServiceCapacity
		known   bool
		updated time.Time
	}{
		{"an hour old", hsds.ServiceCapacity{Available: n(3), Updated: at(time.Hour)}, true, now.Add(-time.Hour)},
		{"exactly the maximum age", hsds.ServiceCapacity{Available: n(3), Updated: at(24 * time.Hour)}, true, now.Add(-24 * time.Hour)},
		{"a millisecond older", hsds.ServiceCapacity{Available: n(3), Updated: at(24*time.Hour + time.Millisecond)}, false, now.Add(-24*time.Hour - time.Millisecond)},
		{"in another zone", hsds.ServiceCapacity{Available: n(3), Updated: "2026-12-06T12:30:00-05:00"}, true, time.Date(2026, 12, 6, 17, 30, 0, 0, time.UTC)},
		{"no time", hsds.ServiceCapacity{Available: n(3), Updated: "yesterday"}, false, time.Time{}},
		{"no count", hsds.ServiceCapacity{Updated: at(time.Hour)}, false, time.Time{}},
	} {
		st := haven.CapacityStateOf(c.c, now, haven.DefaultCapacityMaxAge)
		if st.Known != c.known || !st.Updated.Equal(c.updated) {
			t.Errorf("%s: known %v, updated %v; want %v, %v", c.name, st.Known, st.Updated, c.known, c.updated)
		}
	}
	room := haven.RoomUpdated([]hsds.ServiceCapacity{
		{Available: n(0), Updated: at(time.Minute)},          // full: not room
		{Available: n(2), Updated: at(3*time.Hour + 1500e3)}, // room, older
		{Available: n(1), Updated: at(2*time.Hour + 1500)},   // room, latest (to the millisecond)
		{Available: n(5), Updated: "not a time"},             // unreadable: not room
	})
	if want := now.Add(-2*time.Hour - time.Millisecond); room == nil || !room.Equal(want) {
		t.Errorf("room updated %v, want %v", room, want)
	}
	if haven.RoomUpdated([]hsds.ServiceCapacity{{Available: n(0), Updated: at(0)}}) != nil {
		t.Error("a service with no count above zero has room")
	}
}
