package searchindex_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"haven"
	"haven/hsds"
	"haven/sqlstore"
)

// roomNow is the time the differential tests' capacities are dated from:
// the time of the run, since a capacity update stamps the store's clock.
var roomNow = time.Now().UTC().Truncate(time.Second)

var roomUnits = []*hsds.Unit{
	{ID: "6f1c3a2e-0d7b-4e59-9a51-1b7e7c0a0001", Name: "Bed (sample)"},
	{ID: "6f1c3a2e-0d7b-4e59-9a51-1b7e7c0a0002", Name: "Place (sample)"},
}

// roughRoom gives a third of the services capacities: counts of zero and
// above, updated inside and outside the maximum ages the questions use,
// some a millisecond either side of a bound.
func roughRoom(r *rand.Rand, svcs []*hsds.Service) {
	ages := []time.Duration{time.Hour, 2*time.Hour - time.Millisecond, 2 * time.Hour, 2*time.Hour + time.Millisecond,
		23 * time.Hour, 24 * time.Hour, 25 * time.Hour, 72 * time.Hour, -time.Hour}
	for _, s := range svcs {
		if r.IntN(3) != 0 {
			continue
		}
		s.Capacities = nil
		for i := range 1 + r.IntN(2) {
			avail, maximum := pick(r, []float64{0, 0, 1, 3, 12}), 12.0
			c := hsds.ServiceCapacity{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(s.ID+strconv.Itoa(i))).String(),
				Unit: roomUnits[r.IntN(len(roomUnits))], Available: &avail, Maximum: &maximum,
				Updated: roomNow.Add(-pick(r, ages)).Format(time.RFC3339Nano)}
			s.Capacities = append(s.Capacities, c)
		}
	}
}

// randomRoom asks for room now in some questions, with maximum ages
// around the capacities' ages.
func randomRoom(r *rand.Rand, f *haven.DirectoryFilter) {
	if r.IntN(4) == 0 {
		f.RoomSince = haven.RoomSince(roomNow, pick(r, []time.Duration{2 * time.Hour, 24 * time.Hour, 48 * time.Hour}))
	}
}

// roomFilters are fixed questions about room now.
var roomFilters = []haven.DirectoryFilter{
	{RoomSince: haven.RoomSince(roomNow, haven.DefaultCapacityMaxAge)},
	{RoomSince: haven.RoomSince(roomNow, 2*time.Hour), Query: "legal"},
	{RoomSince: haven.RoomSince(roomNow, haven.DefaultCapacityMaxAge), State: "TX", Served: haven.ServedNone},
}

// changeRoom updates counts as curators do: some to zero, some above.
func changeRoom(t *testing.T, r *rand.Rand, dir *sqlstore.DirectoryService, svcs []*hsds.Service) {
	t.Helper()
	n := 0
	for _, s := range svcs {
		if len(s.Capacities) == 0 || r.IntN(2) == 0 {
			continue
		}
		c := s.Capacities[0]
		if err := dir.UpdateCapacity(context.Background(), "test", s.ID, c.ID, pick(r, []int{0, 2, 12})); err != nil {
			t.Fatalf("update capacity %s of %s: %v", c.ID, s.ID, err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no capacity updated: the test proves nothing of following updates")
	}
}

// TestRoomFilterCounts checks the room questions keep some services and
// leave out others, so that agreeing on them means something.
func TestRoomFilterCounts(t *testing.T) {
	svcs := randomDataset(t, 200, 1)
	ix := memIndex(svcs)
	all, err := ix.SearchDirectory(context.Background(), haven.DirectoryFilter{AllStatuses: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range roomFilters[:1] {
		f.AllStatuses = true
		got, err := ix.SearchDirectory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total == 0 || got.Total >= all.Total/2 {
			t.Errorf("room since %v kept %d of %d services; want some, and fewer than half", f.RoomSince, got.Total, all.Total)
		}
	}
}
