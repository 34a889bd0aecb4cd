package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"haven"
	"haven/hsds"
	"haven/listing"
	"haven/match"
)

// Duplicates across sources (haven.MatchService). A merged-away service is
// not deleted: it is withdrawn with the mark 3, so that everything it held
// stays and an undo is exact, and service_merges leads its id to the
// survivor while the merge stands.

// withdrawnMerged marks a service merged into another (withdraw.go uses 1
// and 2); any non-zero mark keeps it out of public view.
const withdrawnMerged = 3

// mergeAdded is what a merge gave the survivor, for the undo to take back.
type mergeAdded struct {
	Metadata       []string `json:"metadata,omitempty"`
	OrgIdentifiers []string `json:"organization_identifiers,omitempty"`
	OrgID          string   `json:"organization_id,omitempty"`
}

// ListMatches reads every service neither withdrawn nor merged and asks
// package match for the likely pairs.
func (d *DirectoryService) ListMatches(ctx context.Context, minScore float64) ([]haven.MatchPair, error) {
	// Finding the pairs reads every service: at 100,000 services that is
	// tens of seconds, too long for each visit to the curators' page. The
	// answer stands until the directory changes (every write is logged) or
	// a pair is marked "not the same", so it is kept until then.
	var key [2]int64
	var err error
	if key[0], err = d.LastDirectoryChange(ctx); err != nil {
		return nil, err
	}
	if err := d.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM match_distinct`).Scan(&key[1]); err != nil {
		return nil, err
	}
	c := &d.db.matches
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid && c.key == key && minScore >= c.minScore {
		var out []haven.MatchPair
		for _, p := range c.pairs {
			if p.Score >= minScore {
				out = append(out, p)
			}
		}
		return out, nil
	}
	pairs, err := d.findMatches(ctx, minScore)
	if err != nil {
		return nil, err
	}
	c.valid, c.key, c.minScore, c.pairs = true, key, minScore, pairs
	return slices.Clone(pairs), nil
}

// matchCache is the last list of likely duplicates, with what it was
// found from: the directory's last change and the number of pairs marked
// "not the same".
type matchCache struct {
	mu       sync.Mutex
	valid    bool
	key      [2]int64
	minScore float64
	pairs    []haven.MatchPair
}

func (d *DirectoryService) findMatches(ctx context.Context, minScore float64) ([]haven.MatchPair, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var recs []match.Record
	sides := map[string]haven.MatchSide{}
	after := ""
	for {
		ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE withdrawn = 0 AND id > $1 ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			break
		}
		svcs, err := loadServices(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		for _, s := range svcs {
			recs = append(recs, match.FromService(s))
			sides[s.ID] = sideOf(s)
		}
		after = ids[len(ids)-1]
	}
	distinct := map[[2]string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT service_a, service_b FROM match_distinct`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		distinct[match.Key(a, b)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	pairs := match.Find(recs, match.Options{MinScore: minScore, Distinct: distinct})
	out := make([]haven.MatchPair, len(pairs))
	for i, p := range pairs {
		out[i] = haven.MatchPair{A: sides[p.A], B: sides[p.B], Score: p.Score}
		for _, r := range p.Reasons {
			out[i].Reasons = append(out[i].Reasons, haven.MatchReason{Code: r.Code, Detail: r.Detail})
		}
	}
	return out, nil
}

// sideOf is how a pair shows one service.
func sideOf(s *hsds.Service) haven.MatchSide {
	m := haven.MatchSide{ID: s.ID, Name: s.Name}
	if s.Organization != nil {
		m.OrgName = s.Organization.Name
	}
	for _, sal := range s.ServiceAtLocations {
		if sal.Location != nil && m.City == "" {
			m.City = cityOf(sal.Location)
		}
	}
	return m
}

// MarkDistinct remembers that two services are not one, audited on both.
func (d *DirectoryService) MarkDistinct(ctx context.Context, actor, a, b string) error {
	if a == b {
		return haven.Errorf(haven.EINVALID, "A service cannot be paired with itself.")
	}
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range []string{a, b} {
		if _, err := serviceMark(ctx, tx, id); err != nil {
			return err
		}
	}
	k := match.Key(a, b)
	if err := tx.exec(ctx, `INSERT INTO match_distinct (service_a, service_b, decided_by, decided_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (service_a, service_b) DO NOTHING`, k[0], k[1], actor, formatTime(tx.now)); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "not-same", "service", a, "not_the_same_as", "", b); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "not-same", "service", b, "not_the_same_as", "", a); err != nil {
		return err
	}
	return tx.Commit()
}

// serviceMark returns a service's withdrawn mark, or ENOTFOUND.
func serviceMark(ctx context.Context, tx *Tx, id string) (int, error) {
	var w int
	// Locked until the transaction ends (PostgreSQL): two merges of one
	// service at once would both pass the check that it stands.
	err := tx.QueryRowContext(ctx, `SELECT withdrawn FROM services WHERE id = $1`+tx.db.dialect.forUpdate(false), id).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", id)
	}
	return w, err
}

// MergeServices folds absorbed into survivor in one transaction, audited.
func (d *DirectoryService) MergeServices(ctx context.Context, actor, survivorID, absorbedID string, take []string) (*haven.ServiceMerge, error) {
	if survivorID == absorbedID {
		return nil, haven.Errorf(haven.EINVALID, "A service cannot be merged with itself.")
	}
	for _, f := range take {
		if !slices.Contains(listing.ServiceFields, f) {
			return nil, haven.Errorf(haven.EINVALID, "Unknown field %q: a merge takes only fields of the service form.", f)
		}
	}
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	survivorMark, err := serviceMark(ctx, tx, survivorID)
	if err != nil {
		return nil, err
	}
	absorbedMark, err := serviceMark(ctx, tx, absorbedID)
	if err != nil {
		return nil, err
	}
	if survivorMark == withdrawnMerged || absorbedMark == withdrawnMerged {
		return nil, haven.Errorf(haven.ECONFLICT, "One of these services is already merged into another; undo that merge first.")
	}
	svcs, err := loadServices(ctx, tx, []string{survivorID, absorbedID})
	if err != nil {
		return nil, err
	}
	survivor, absorbed := svcs[0], svcs[1]

	// Fields the survivor takes, audited one by one as a curator's edit.
	changes := map[string]string{}
	for _, f := range take {
		changes[f], _ = listing.ServiceField(absorbed, f)
	}
	before := listing.ServiceText(survivor)
	if err := updateService(ctx, tx, actor, survivorID, changes); err != nil {
		return nil, err
	}
	if svcs, err = loadServices(ctx, tx, []string{survivorID}); err != nil {
		return nil, err
	}
	survivor = svcs[0]
	m := &haven.ServiceMerge{ID: newID(), SurvivorID: survivorID, AbsorbedID: absorbedID, SurvivorName: survivor.Name,
		AbsorbedName: absorbed.Name, MergedBy: actor, MergedAt: tx.now}
	for _, f := range listing.ServiceFields {
		if after, _ := listing.ServiceField(survivor, f); after != before[f] {
			m.Fields = append(m.Fields, haven.MergeField{Field: f, Before: before[f], After: after})
		}
	}

	// Both provenances: the absorbed service's metadata (where it came
	// from), a record of the merge, and its organization's identifiers.
	var added mergeAdded
	for _, md := range absorbed.Metadata {
		md.ID, md.ResourceID = newID(), survivorID
		survivor.Metadata = append(survivor.Metadata, md)
		added.Metadata = append(added.Metadata, md.ID)
	}
	rec := hsds.Metadata{ID: newID(), ResourceID: survivorID, ResourceType: "service", LastActionDate: tx.now.Format("2006-01-02"),
		LastActionType: "merge", FieldName: "id", PreviousValue: absorbedID, ReplacementValue: survivorID, UpdatedBy: actor}
	survivor.Metadata = append(survivor.Metadata, rec)
	added.Metadata = append(added.Metadata, rec.ID)
	if so, ao := survivor.Organization, absorbed.Organization; so != nil && ao != nil && so.ID != ao.ID {
		have := map[string]bool{}
		for _, oi := range so.OrganizationIdentifiers {
			have[oi.IdentifierScheme+"\x00"+oi.IdentifierType+"\x00"+oi.Identifier] = true
		}
		for _, oi := range ao.OrganizationIdentifiers {
			if have[oi.IdentifierScheme+"\x00"+oi.IdentifierType+"\x00"+oi.Identifier] {
				continue
			}
			oi.ID, oi.OrganizationID = newID(), so.ID
			so.OrganizationIdentifiers = append(so.OrganizationIdentifiers, oi)
			added.OrgIdentifiers = append(added.OrgIdentifiers, oi.ID)
		}
		added.OrgID = so.ID
	}
	if err := putService(ctx, tx, survivor); err != nil {
		return nil, err
	}

	// The absorbed service leaves public view and search.
	if err := tx.exec(ctx, `UPDATE services SET withdrawn = $2 WHERE id = $1`, absorbedID, withdrawnMerged); err != nil {
		return nil, err
	}
	if err := reindexServices(ctx, tx, `SELECT id FROM services WHERE id = $1`, absorbedID); err != nil {
		return nil, err
	}
	if err := tx.exec(ctx, `INSERT INTO service_merges (id, survivor_id, absorbed_id, fields, added, snapshot, withdrawn_before, merged_by, merged_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, m.ID, survivorID, absorbedID, mustJSON(m.Fields), mustJSON(added),
		mustJSON(absorbed), absorbedMark, actor, formatTime(tx.now)); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, actor, "merge", "service", survivorID, "merged_from", "", absorbedID); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, actor, "merge", "service", absorbedID, "merged_into", "", survivorID); err != nil {
		return nil, err
	}
	return m, tx.Commit()
}

// UndoMerge takes a merge back, audited.
func (d *DirectoryService) UndoMerge(ctx context.Context, actor, mergeID string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var survivorID, absorbedID, fieldsJSON, addedJSON, undoneAt string
	var was int
	err = tx.QueryRowContext(ctx, `SELECT survivor_id, absorbed_id, fields, added, withdrawn_before, undone_at
		FROM service_merges WHERE id = $1`, mergeID).Scan(&survivorID, &absorbedID, &fieldsJSON, &addedJSON, &was, &undoneAt)
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No merge has the id %q.", mergeID)
	} else if err != nil {
		return err
	}
	if undoneAt != "" {
		return haven.Errorf(haven.ECONFLICT, "This merge was already undone.")
	}
	var fields []haven.MergeField
	var added mergeAdded
	if err := json.Unmarshal([]byte(fieldsJSON), &fields); err != nil {
		return fmt.Errorf("merge %s fields: %w", mergeID, err)
	}
	if err := json.Unmarshal([]byte(addedJSON), &added); err != nil {
		return fmt.Errorf("merge %s added: %w", mergeID, err)
	}

	// The survivor may be gone (deleted since): then only the absorbed
	// service comes back.
	svcs, err := loadServices(ctx, tx, []string{survivorID})
	if err != nil {
		return err
	}
	if len(svcs) == 1 {
		s := svcs[0]
		// Fields changed again since the merge keep their newer value.
		changes := map[string]string{}
		for _, f := range fields {
			if now, _ := listing.ServiceField(s, f.Field); now == f.After {
				changes[f.Field] = f.Before
			}
		}
		if err := updateService(ctx, tx, actor, survivorID, changes); err != nil {
			return err
		}
		if svcs, err = loadServices(ctx, tx, []string{survivorID}); err != nil {
			return err
		}
		s = svcs[0]
		s.Metadata = slices.DeleteFunc(s.Metadata, func(m hsds.Metadata) bool { return slices.Contains(added.Metadata, m.ID) })
		if o := s.Organization; o != nil && o.ID == added.OrgID {
			o.OrganizationIdentifiers = slices.DeleteFunc(o.OrganizationIdentifiers, func(oi hsds.OrganizationIdentifier) bool {
				return slices.Contains(added.OrgIdentifiers, oi.ID)
			})
		}
		if err := putService(ctx, tx, s); err != nil {
			return err
		}
	}
	if err := tx.exec(ctx, `UPDATE services SET withdrawn = $2 WHERE id = $1 AND withdrawn = $3`, absorbedID, was, withdrawnMerged); err != nil {
		return err
	}
	if err := reindexServices(ctx, tx, `SELECT id FROM services WHERE id = $1`, absorbedID); err != nil {
		return err
	}
	if err := tx.exec(ctx, `UPDATE service_merges SET undone_by = $2, undone_at = $3 WHERE id = $1`, mergeID, actor, formatTime(tx.now)); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "unmerge", "service", survivorID, "merged_from", absorbedID, ""); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "unmerge", "service", absorbedID, "merged_into", survivorID, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// ListMerges returns the latest merges, newest first, with the services'
// current names.
func (d *DirectoryService) ListMerges(ctx context.Context, limit int) ([]haven.ServiceMerge, error) {
	rows, err := d.db.read.QueryContext(ctx, `SELECT m.id, m.survivor_id, m.absorbed_id, m.fields, m.merged_by, m.merged_at,
		m.undone_by, m.undone_at, COALESCE(s.name, ''), COALESCE(a.name, '')
		FROM service_merges m LEFT JOIN services s ON s.id = m.survivor_id LEFT JOIN services a ON a.id = m.absorbed_id
		ORDER BY m.merged_at DESC, m.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.ServiceMerge
	for rows.Next() {
		var m haven.ServiceMerge
		var fields, at, undoneAt string
		if err := rows.Scan(&m.ID, &m.SurvivorID, &m.AbsorbedID, &fields, &m.MergedBy, &at, &m.UndoneBy, &undoneAt,
			&m.SurvivorName, &m.AbsorbedName); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &m.Fields); err != nil {
			return nil, fmt.Errorf("merge %s fields: %w", m.ID, err)
		}
		m.MergedAt = parseTime(at)
		if undoneAt != "" {
			m.UndoneAt = parseTime(undoneAt)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// maxMergeHops bounds how many merges of merges an old id is followed
// through.
const maxMergeHops = 16

// MergedInto follows standing merges from id to the service that absorbed
// it last.
func (d *DirectoryService) MergedInto(ctx context.Context, id string) (string, error) {
	to := ""
	for range maxMergeHops {
		var next string
		err := d.db.read.QueryRowContext(ctx, `SELECT m.survivor_id FROM service_merges m JOIN services s ON s.id = m.absorbed_id
			WHERE m.absorbed_id = $1 AND m.undone_at = '' AND s.withdrawn = $2 ORDER BY m.merged_at DESC, m.id DESC LIMIT 1`,
			id, withdrawnMerged).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return to, nil
		} else if err != nil {
			return "", err
		}
		to, id = next, next
	}
	return to, nil
}

var _ haven.MatchService = (*DirectoryService)(nil)
