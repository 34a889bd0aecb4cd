package haven

// TakedownKinds are the listings a curator can take down: withdraw from
// public view, restore, or delete.
var TakedownKinds = []string{"service", "organization", "location"}

// WithdrawnListing is a listing taken down from public view.
type WithdrawnListing struct {
	Kind, ID, Name string // Kind is one of TakedownKinds
}
