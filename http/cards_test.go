package http

import (
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/i18n"
)

// TestHitCards checks that each card shows its own service at its own hit's
// place, when the services come back in another order or one is missing.
func TestHitCards(t *testing.T) {
	hits := []haven.DirectoryHit{{ServiceID: "a", City: "Austin"}, {ServiceID: "gone", City: "Nowhere"}, {ServiceID: "c", City: "Chicago"}}
	svcs := []*hsds.Service{{ID: "c", Name: "C"}, {ID: "a", Name: "A"}}
	cards := hitCards(i18n.New("en"), hits, svcs, cardClock{now: time.Now(), maxAge: haven.DefaultCapacityMaxAge})
	var got []string
	for _, c := range cards {
		got = append(got, c.Name+"@"+c.City)
	}
	if len(got) != 2 || got[0] != "A@Austin" || got[1] != "C@Chicago" {
		t.Errorf("cards %v, want [A@Austin C@Chicago]", got)
	}
}
