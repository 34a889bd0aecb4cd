package haven

import (
	"context"
	"time"
)

// Duplicates across sources (issue 22, part 3): the same real service
// described by two sources becomes two records. Package match finds pairs
// that are likely one service; curators merge them, choosing field by
// field, or say they are not the same, and Haven remembers either.

// MatchPair is two services that may be one, A's id before B's.
type MatchPair struct {
	A, B    MatchSide
	Score   float64 // 0..1
	Reasons []MatchReason
}

// MatchSide is what a curator needs to recognize one service of a pair.
type MatchSide struct {
	ID, Name, OrgName, City string
}

// MatchReason is one piece of evidence: Code is "identifier", "phone",
// "url" or "name" (see package match); Detail the shared value, or how
// alike the names are and how far apart.
type MatchReason struct {
	Code, Detail string
}

// ServiceMerge is one merge: Absorbed was folded into Survivor, which took
// the absorbed service's values of Fields. An undone merge has UndoneAt.
type ServiceMerge struct {
	ID                         string
	SurvivorID, AbsorbedID     string
	SurvivorName, AbsorbedName string
	Fields                     []MergeField
	MergedBy                   string
	MergedAt                   time.Time
	UndoneBy                   string
	UndoneAt                   time.Time
}

// MergeField is one field the survivor took from the absorbed service:
// its value before, and after.
type MergeField struct {
	Field, Before, After string
}

// MatchService finds likely duplicate services and merges them. Every
// decision is audited in the transaction that makes it.
type MatchService interface {
	// ListMatches returns the pairs of services, neither withdrawn nor
	// merged, that may be one service, scoring at least minScore, best
	// first; pairs marked not the same are left out.
	ListMatches(ctx context.Context, minScore float64) ([]MatchPair, error)
	// MarkDistinct records that two services are not the same, so that
	// they are never paired again. ENOTFOUND for an unknown service;
	// EINVALID for a service paired with itself.
	MarkDistinct(ctx context.Context, actor, a, b string) error
	// MergeServices folds absorbed into survivor: survivor takes the
	// absorbed service's values of the fields in take (field names of
	// package listing), the absorbed service's provenance (its metadata,
	// and its organization's identifiers) and a metadata record of the
	// merge; the absorbed service leaves public view and its id leads to
	// the survivor. EINVALID for an unknown field or a service merged with
	// itself; ENOTFOUND for an unknown service; ECONFLICT when either is
	// already merged away.
	MergeServices(ctx context.Context, actor, survivorID, absorbedID string, take []string) (*ServiceMerge, error)
	// UndoMerge brings the absorbed service back, sets the fields the
	// survivor took back to their values before (those not changed again
	// since), and removes what the survivor gained. ENOTFOUND for an
	// unknown merge; ECONFLICT for one already undone.
	UndoMerge(ctx context.Context, actor, mergeID string) error
	// ListMerges returns the latest merges, newest first.
	ListMerges(ctx context.Context, limit int) ([]ServiceMerge, error)
	// MergedInto returns the service a merged-away service's id now leads
	// to (following merges of merges), or "" when it was not merged away.
	MergedInto(ctx context.Context, id string) (string, error)
}
