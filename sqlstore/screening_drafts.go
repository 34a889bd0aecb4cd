package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"haven"
)

// draftLife is how long an interview in progress is kept.
const draftLife = 24 * time.Hour

// ScreeningDraftService keeps sealed screening interviews in progress.
type ScreeningDraftService struct{ db *DB }

// NewScreeningDraftService returns the screening drafts of db.
func NewScreeningDraftService(db *DB) *ScreeningDraftService { return &ScreeningDraftService{db: db} }

var _ haven.ScreeningDraftService = (*ScreeningDraftService)(nil)

// PutScreeningDraft stores a draft, replacing its earlier content, and
// drops every expired draft in the same transaction.
func (ds *ScreeningDraftService) PutScreeningDraft(ctx context.Context, authorID, id, sealed string) error {
	if authorID == "" || id == "" || sealed == "" {
		return haven.Errorf(haven.EINVALID, "A screening draft needs an author, an id and content.")
	}
	tx, err := ds.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.exec(ctx, `DELETE FROM screening_drafts WHERE updated_at < $1`, formatTime(tx.now.Add(-draftLife))); err != nil {
		return err
	}
	var owner string
	err = tx.QueryRowContext(ctx, `SELECT author_id FROM screening_drafts WHERE id = $1`, id).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case owner != authorID:
		return haven.Errorf(haven.EFORBIDDEN, "This interview belongs to another screener.")
	}
	if err := tx.exec(ctx, `INSERT INTO screening_drafts (id, author_id, sealed, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`, id, authorID, sealed, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// FindScreeningDraft returns a draft of authorID that has not expired.
func (ds *ScreeningDraftService) FindScreeningDraft(ctx context.Context, authorID, id string) (string, error) {
	var sealed string
	since := formatTime(ds.db.Now().UTC().Add(-draftLife))
	err := ds.db.read.QueryRowContext(ctx, `SELECT sealed FROM screening_drafts WHERE id = $1 AND author_id = $2 AND updated_at >= $3`, id, authorID, since).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", haven.Errorf(haven.ENOTFOUND, "There is no interview in progress here: it was saved, or it expired after a day. Start a new one from the screening page.")
	}
	return sealed, err
}

// DeleteScreeningDraft deletes a draft of authorID.
func (ds *ScreeningDraftService) DeleteScreeningDraft(ctx context.Context, authorID, id string) error {
	tx, err := ds.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.exec(ctx, `DELETE FROM screening_drafts WHERE id = $1 AND author_id = $2`, id, authorID); err != nil {
		return err
	}
	return tx.Commit()
}
