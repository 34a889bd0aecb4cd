package haven

import "context"

// ScreeningDraftService keeps the interviews signed-in screeners have in
// progress, sealed (package vault seals them before they arrive), so that
// each step of the interview is a page of its own and nothing is asked
// twice. Drafts are short-lived: a store drops those older than a day.
type ScreeningDraftService interface {
	// PutScreeningDraft stores draft id of authorID, replacing any earlier
	// content. EINVALID for an empty author or id.
	PutScreeningDraft(ctx context.Context, authorID, id, sealed string) error
	// FindScreeningDraft returns the sealed draft id of authorID, or
	// ENOTFOUND, also when it belongs to someone else or has expired.
	FindScreeningDraft(ctx context.Context, authorID, id string) (string, error)
	// DeleteScreeningDraft deletes draft id of authorID, if there is one.
	DeleteScreeningDraft(ctx context.Context, authorID, id string) error
}
