package haven

import "context"

// TakedownKinds are the listings a curator can take down: withdraw from
// public view, restore, or delete.
var TakedownKinds = []string{"service", "organization", "location"}

// WithdrawnListing is a listing taken down from public view.
type WithdrawnListing struct {
	Kind, ID, Name string // Kind is one of TakedownKinds
}

// TakedownService takes directory listings down. Marking a service defunct
// leaves its page, its API record and its address up; withdrawing a
// listing hides it from every public page, API, search and default export
// while curators keep it, and deleting removes it. Kind is one of
// TakedownKinds: an organization takes its services with it, and a
// location leaves the services offered there. Each change is audited in
// the transaction that makes it.
type TakedownService interface {
	// TakedownStatus returns a listing's name and whether it is withdrawn
	// (a service also when it went down with its organization). EINVALID
	// for an unknown kind; ENOTFOUND for an unknown listing.
	TakedownStatus(ctx context.Context, kind, id string) (name string, withdrawn bool, err error)
	// SetWithdrawn withdraws a listing from public view, or restores it.
	// EINVALID for an unknown kind; ENOTFOUND for an unknown listing.
	SetWithdrawn(ctx context.Context, actor, kind, id string, withdrawn bool) error
	// DeleteListing deletes a service; an organization with its services;
	// or a location, which the services offered there and its
	// organization's record lose. EINVALID for an unknown kind; ENOTFOUND
	// for an unknown listing.
	DeleteListing(ctx context.Context, actor, kind, id string) error
}
