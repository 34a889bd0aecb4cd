package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"haven"
)

const reverifyColumns = `r.id, r.organization_id, o.name, r.user_id, u.email, u.locale, r.sent_at, r.reminded_at, r.answered_at, r.answer`

const reverifyFrom = ` FROM reverify_requests r JOIN organizations o ON o.id = r.organization_id JOIN users u ON u.id = r.user_id`

func scanReverify(row interface{ Scan(...any) error }) (*haven.ReverifyRequest, error) {
	q := &haven.ReverifyRequest{}
	var sent, reminded, answered string
	if err := row.Scan(&q.ID, &q.OrganizationID, &q.OrganizationName, &q.UserID, &q.Email, &q.Locale, &sent, &reminded, &answered, &q.Answer); err != nil {
		return nil, err
	}
	q.SentAt, q.RemindedAt, q.AnsweredAt = parseTime(sent), parseTime(reminded), parseTime(answered)
	// The answer is stored as "correct by e-mail" or "changes by e-mail".
	if a, by, ok := strings.Cut(q.Answer, " by "); ok {
		q.Answer, q.AnsweredBy = a, by
	}
	return q, nil
}

func (p *ProviderService) reverifyList(ctx context.Context, where string, args ...any) ([]haven.ReverifyRequest, error) {
	return queryAll(ctx, p.db.read, values(scanReverify), `SELECT `+reverifyColumns+reverifyFrom+` WHERE `+where+` ORDER BY r.sent_at, r.id LIMIT 1000`, args...)
}

// DueReverifications returns the requests due now.
func (p *ProviderService) DueReverifications(ctx context.Context) ([]haven.ReverifyRequest, error) {
	cut := formatTime(p.db.Now().Add(-haven.ReverifyEvery))
	rows, err := p.db.read.QueryContext(ctx, `SELECT o.id, o.name, u.id, u.email, u.locale FROM provider_organizations po
		JOIN users u ON u.id = po.user_id JOIN organizations o ON o.id = po.organization_id
		WHERE u.role = $2 AND u.disabled_at = '' AND o.withdrawn = 0 AND po.created_at <= $1
		AND NOT EXISTS (SELECT 1 FROM reverify_requests r WHERE r.organization_id = po.organization_id AND r.sent_at > $1)
		ORDER BY o.id, u.email LIMIT 1000`, cut, haven.RoleProvider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.ReverifyRequest
	for rows.Next() {
		var q haven.ReverifyRequest
		if err := rows.Scan(&q.OrganizationID, &q.OrganizationName, &q.UserID, &q.Email, &q.Locale); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// StartReverify stores a request with its link's token hash.
func (p *ProviderService) StartReverify(ctx context.Context, orgID, userID, tokenHash string) (*haven.ReverifyRequest, error) {
	if tokenHash == "" {
		return nil, haven.Errorf(haven.EINVALID, "A request needs a token.")
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id := newID()
	if err := tx.exec(ctx, `INSERT INTO reverify_requests (id, organization_id, user_id, sent_at) VALUES ($1, $2, $3, $4)`,
		id, orgID, userID, formatTime(tx.now)); err != nil {
		return nil, err
	}
	if err := tx.exec(ctx, `INSERT INTO reverify_tokens (token_hash, request_id) VALUES ($1, $2)`, tokenHash, id); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, "system", "reverify", "organization", orgID, "provider", "", userID); err != nil {
		return nil, err
	}
	q, err := scanReverify(tx.QueryRowContext(ctx, `SELECT `+reverifyColumns+reverifyFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, err
	}
	return q, tx.Commit()
}

// CancelReverify removes a request whose mail could not be sent.
func (p *ProviderService) CancelReverify(ctx context.Context, id string) error {
	_, err := p.db.write.ExecContext(ctx, `DELETE FROM reverify_requests WHERE id = $1 AND answered_at = ''`, id)
	return err
}

// DueReminders returns the unanswered requests due a reminder.
func (p *ProviderService) DueReminders(ctx context.Context) ([]haven.ReverifyRequest, error) {
	return p.reverifyList(ctx, `r.answered_at = '' AND r.reminded_at = '' AND r.sent_at <= $1 AND u.disabled_at = ''`,
		formatTime(p.db.Now().Add(-haven.ReverifyRemindAfter)))
}

// RemindReverify adds the reminder's token and records the reminder.
func (p *ProviderService) RemindReverify(ctx context.Context, id, tokenHash string) error {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.exec(ctx, `INSERT INTO reverify_tokens (token_hash, request_id) VALUES ($1, $2)`, tokenHash, id); err != nil {
		return err
	}
	if err := tx.exec(ctx, `UPDATE reverify_requests SET reminded_at = $2 WHERE id = $1`, id, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// FindReverify returns the request a token opens, with the organization's
// services.
func (p *ProviderService) FindReverify(ctx context.Context, tokenHash string) (*haven.ReverifyRequest, error) {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, err := findReverify(ctx, tx, tokenHash)
	if err != nil {
		return nil, err
	}
	if q.Services, err = listingRows(ctx, tx, `SELECT id, name, status, last_verified, 0 FROM services
		WHERE organization_id = $1 AND withdrawn = 0 ORDER BY name, id`, q.OrganizationID); err != nil {
		return nil, err
	}
	return q, nil
}

func findReverify(ctx context.Context, tx *Tx, tokenHash string) (*haven.ReverifyRequest, error) {
	q, err := scanReverify(tx.QueryRowContext(ctx, `SELECT `+reverifyColumns+reverifyFrom+`
		JOIN reverify_tokens t ON t.request_id = r.id WHERE t.token_hash = $1`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) || tokenHash == "" {
		return nil, haven.Errorf(haven.ENOTFOUND, "This link does not work: it may have been copied wrong.")
	}
	return q, err
}

// AnswerReverify records a provider's answer.
func (p *ProviderService) AnswerReverify(ctx context.Context, tokenHash, answer, changes string) error {
	changes = strings.TrimSpace(changes)
	switch {
	case answer != haven.ReverifyCorrect && answer != haven.ReverifyChanges:
		return haven.Errorf(haven.EINVALID, "Unknown answer %q.", answer)
	case answer == haven.ReverifyChanges && changes == "":
		return haven.Errorf(haven.EINVALID, "Please say what has changed.")
	case utf8.RuneCountInString(changes) > 4000:
		return haven.Errorf(haven.EINVALID, "That is too long: 4000 characters at most.")
	}
	// A made-up token is refused from a read, without the write lock.
	var one int
	if err := p.db.read.QueryRowContext(ctx, `SELECT 1 FROM reverify_tokens WHERE token_hash = $1`, tokenHash).Scan(&one); errors.Is(err, sql.ErrNoRows) || tokenHash == "" {
		return haven.Errorf(haven.ENOTFOUND, "This link does not work: it may have been copied wrong.")
	} else if err != nil {
		return err
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q, err := findReverify(ctx, tx, tokenHash)
	if err != nil {
		return err
	}
	if !q.AnsweredAt.IsZero() {
		return haven.Errorf(haven.ECONFLICT, "This request was answered already. Thank you.")
	}
	if answer == haven.ReverifyCorrect {
		today := tx.now.UTC().Format("2006-01-02")
		ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE organization_id = $1 AND withdrawn = 0 ORDER BY id`, q.OrganizationID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := updateService(ctx, tx, haven.ProviderActor(q.Email), id, map[string]string{"x_last_verified": today}); err != nil {
				return err
			}
		}
		if err := updateOrganization(ctx, tx, haven.ProviderActor(q.Email), q.OrganizationID, map[string]string{"x_last_verified": today}); err != nil {
			return err
		}
	} else {
		id := newID()
		if err := tx.exec(ctx, `INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, contact, submitted_by)
			VALUES ($1, $2, 'organization', $3, 'other', $4, $5, $5)`, id, formatTime(tx.now), q.OrganizationID, changes, q.Email); err != nil {
			return err
		}
		if err := audit(ctx, tx, haven.ProviderActor(q.Email), "suggest", "suggestion", id, "other", "", "organization "+q.OrganizationID); err != nil {
			return err
		}
	}
	// One provider answers for the organization: its other requests of
	// this round close too.
	if err := tx.exec(ctx, `UPDATE reverify_requests SET answered_at = $2, answer = $3 WHERE organization_id = $1 AND answered_at = ''`,
		q.OrganizationID, formatTime(tx.now), answer+" by "+q.Email); err != nil {
		return err
	}
	if err := audit(ctx, tx, haven.ProviderActor(q.Email), "reverify", "organization", q.OrganizationID, "answer", "", answer); err != nil {
		return err
	}
	return tx.Commit()
}

// OpenReverifications returns the unanswered requests, oldest first.
func (p *ProviderService) OpenReverifications(ctx context.Context) ([]haven.ReverifyRequest, error) {
	return p.reverifyList(ctx, `r.answered_at = ''`)
}
