package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"haven"
	"haven/hsds"
	"haven/listing"
)

// FeedService keeps the registry of feeds and applies what they bring
// (haven.FeedService).
type FeedService struct{ db *DB }

// NewFeedService returns the feed store of db.
func NewFeedService(db *DB) *FeedService { return &FeedService{db: db} }

var _ haven.FeedService = (*FeedService)(nil)

const feedColumns = `name, url, kind, every_seconds, default_country, created_at, created_by, last_sync_at, last_ok_at, last_error,
	added, updated, unchanged, withdrawn, queued, etag, modified`

func scanFeed(row interface{ Scan(...any) error }) (*haven.Feed, error) {
	f := &haven.Feed{}
	var every int64
	var created, last, ok string
	if err := row.Scan(&f.Name, &f.URL, &f.Kind, &every, &f.DefaultCountry, &created, &f.CreatedBy, &last, &ok, &f.LastError,
		&f.Added, &f.Updated, &f.Unchanged, &f.Withdrawn, &f.Queued, &f.ETag, &f.Modified); err != nil {
		return nil, err
	}
	f.Every = time.Duration(every) * time.Second
	f.CreatedAt, f.LastSync, f.LastOK = parseTime(created), parseTime(last), parseTime(ok)
	return f, nil
}

// AddFeed registers a publisher, audited.
func (fs *FeedService) AddFeed(ctx context.Context, actor string, f *haven.Feed) error {
	if err := f.Validate(); err != nil {
		return err
	}
	tx, err := fs.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM feeds WHERE name = $1`, f.Name).Scan(&one); err == nil {
		return haven.Errorf(haven.ECONFLICT, "A feed is already called %q; remove it first or choose another name.", f.Name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	f.CreatedAt, f.CreatedBy = tx.now, actor
	if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (name, url, kind, every_seconds, default_country, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.Name, f.URL, f.Kind, int64(f.Every/time.Second), f.DefaultCountry, formatTime(tx.now), actor); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "create", "feed", f.Name, "url", "", f.URL); err != nil {
		return err
	}
	return tx.Commit()
}

// Feeds returns every feed, by name.
func (fs *FeedService) Feeds(ctx context.Context) ([]*haven.Feed, error) {
	return queryAll(ctx, fs.db.read, scanFeed, `SELECT `+feedColumns+` FROM feeds ORDER BY name`)
}

// FindFeed returns one feed; ENOTFOUND for an unknown name.
func (fs *FeedService) FindFeed(ctx context.Context, name string) (*haven.Feed, error) {
	f, err := scanFeed(fs.db.read.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No feed is called %q; \"haven feeds list\" shows them.", name)
	}
	return f, err
}

// RemoveFeed forgets a feed; its services and their sources stay.
func (fs *FeedService) RemoveFeed(ctx context.Context, actor, name string) error {
	tx, err := fs.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var url string
	err = tx.QueryRowContext(ctx, `SELECT url FROM feeds WHERE name = $1`, name).Scan(&url)
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No feed is called %q; \"haven feeds list\" shows them.", name)
	} else if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE name = $1`, name); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "delete", "feed", name, "url", url, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// FeedFailed records why a sync did not happen.
func (fs *FeedService) FeedFailed(ctx context.Context, name string, at time.Time, reason string) error {
	if utf8.RuneCountInString(reason) > 1000 {
		reason = string([]rune(reason)[:1000]) + "…"
	}
	_, err := fs.db.write.ExecContext(ctx, `UPDATE feeds SET last_sync_at = $2, last_error = $3 WHERE name = $1`, name, formatTime(at), reason)
	return err
}

// ServiceSource returns where a service came from, nil when unknown.
func (fs *FeedService) ServiceSource(ctx context.Context, serviceID string) (*haven.ServiceSource, error) {
	s := &haven.ServiceSource{ServiceID: serviceID}
	var fetched, withdrawn string
	err := fs.db.read.QueryRowContext(ctx, `SELECT kind, source, url, publisher_id, fetched_at, withdrawn_at FROM service_sources WHERE service_id = $1`, serviceID).
		Scan(&s.Kind, &s.Source, &s.URL, &s.PublisherID, &fetched, &withdrawn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	s.FetchedAt, s.Withdrawn = parseTime(fetched), parseTime(withdrawn)
	return s, nil
}

// sourceRow is what a sync keeps in memory of a service of its feed: a
// sum of the publisher's last copy, not the copy, which is read only for
// the services that changed.
type sourceRow struct {
	upstream                    sum
	upstreamModified, withdrawn string
}

// lastUpstream reads the publisher's last copy of a service.
func lastUpstream(ctx context.Context, tx *Tx, id string) (string, error) {
	var up string
	err := tx.QueryRowContext(ctx, `SELECT upstream FROM service_sources WHERE service_id = $1`, id).Scan(&up)
	return up, err
}

// curatorFields are the fields of a service whose curators' edits a sync
// keeps.
var curatorFields = append(append([]string{}, listing.ServiceFields...), "x_last_verified")

// ApplyFeed writes a complete fetch in one transaction; see
// haven.FeedService.
func (fs *FeedService) ApplyFeed(ctx context.Context, actor, name string, f *haven.FeedFetch) (*haven.FeedSyncReport, error) {
	tx, err := fs.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	feed, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No feed is called %q.", name)
	} else if err != nil {
		return nil, err
	}
	rep := &haven.FeedSyncReport{Feed: name, At: f.FetchedAt, NotModified: f.NotModified}
	at := formatTime(f.FetchedAt)
	existing := map[string]sourceRow{}
	rows, err := tx.QueryContext(ctx, `SELECT service_id, upstream, upstream_modified, withdrawn_at FROM service_sources WHERE kind = 'feed' AND source = $1`, name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, up string
		var r sourceRow
		if err := rows.Scan(&id, &up, &r.upstreamModified, &r.withdrawn); err != nil {
			rows.Close()
			return nil, err
		}
		r.upstream = sumOf(up)
		existing[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.NotModified {
		// The publisher says nothing changed since the last complete sync.
		for _, r := range existing {
			if r.withdrawn == "" {
				rep.Unchanged++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_sources SET fetched_at = $2 WHERE kind = 'feed' AND source = $1 AND withdrawn_at = ''`, name, at); err != nil {
			return nil, err
		}
		return rep, fs.finishSync(ctx, tx, actor, feed, f, rep)
	}
	if len(f.Services) == 0 {
		for _, r := range existing {
			if r.withdrawn == "" {
				// More likely a publisher in trouble than one that closed
				// every service at once.
				return nil, haven.Errorf(haven.EINVALID, "feed %s: the publisher lists no services at all now; Haven withdraws nothing on an empty answer (remove the feed to stop following it); nothing was changed", name)
			}
		}
	}
	elsewhere, err := providedElsewhere(ctx, tx, f.Services, existing)
	if err != nil {
		return nil, err
	}
	orgs := map[string]keptOrganization{} // shared organizations, kept once a sync
	seen := map[string]bool{}
	for i, s := range f.Services {
		where := fmt.Sprintf("feed %s, service %d", name, i+1)
		if s == nil || s.ID == "" {
			return nil, haven.Errorf(haven.EINVALID, "%s: a service without an id; nothing was changed", where)
		}
		where = fmt.Sprintf("feed %s, service %s", name, s.ID)
		if seen[s.ID] {
			return nil, haven.Errorf(haven.EINVALID, "%s: the publisher lists it twice; nothing was changed", where)
		}
		seen[s.ID] = true
		listing.NormalizePhones(s)
		if errs := s.Validate(); len(errs) > 0 {
			return nil, haven.Errorf(haven.EINVALID, "%s: %s; nothing was changed", where, hsds.Errors(errs).Error())
		}
		pubID := s.ID
		if p, ok := f.PublisherIDs[s.ID]; ok {
			pubID = p
		}
		up := mustJSON(s)
		row, ours := existing[s.ID]
		if !ours {
			if from, taken := elsewhere[s.ID]; taken {
				rep.Refused = append(rep.Refused, fmt.Sprintf("%s (%s): already in the directory, %s", s.Name, s.ID, from))
				continue
			}
			if err := checkRefs(ctx, tx, s, "feed "+name); err != nil {
				return nil, haven.Errorf(haven.EINVALID, "%s; nothing was changed", err.Error())
			}
			c := *s // the caller's record stays as the publisher sent it
			if err := keepConfidential(ctx, tx, &c); err != nil {
				return nil, err
			}
			queued, err := keepSharedOrganization(ctx, tx, name, &c, orgs)
			if err != nil {
				return nil, err
			}
			for _, q := range queued {
				if err := queueUpstream(ctx, tx, name, q); err != nil {
					return nil, err
				}
			}
			rep.Queued = append(rep.Queued, queued...)
			addProvenance(&c, feed, pubID, f.FetchedAt)
			if err := putService(ctx, tx, &c); err != nil {
				return nil, err
			}
			if err := tx.exec(ctx, `INSERT INTO service_sources (service_id, kind, source, url, publisher_id, fetched_at, upstream, upstream_modified)
				VALUES ($1, 'feed', $2, $3, $4, $5, $6, $7)`, s.ID, name, feed.URL, pubID, at, up, normalTime(s.LastModified)); err != nil {
				return nil, err
			}
			if err := audit(ctx, tx, actor, "sync-add", "service", s.ID, "", "", "feed "+name); err != nil {
				return nil, err
			}
			rep.Added++
			continue
		}
		restored := row.withdrawn != ""
		// The record itself says whether it changed; the publisher's
		// last_modified, where given, keeps a sync from going back to an
		// older copy (a lagging mirror of the publisher's API).
		same := row.upstream == sumOf(up) || olderThan(s.LastModified, row.upstreamModified)
		if same && !restored {
			if err := tx.exec(ctx, `UPDATE service_sources SET fetched_at = $2 WHERE service_id = $1`, s.ID, at); err != nil {
				return nil, err
			}
			rep.Unchanged++
			continue
		}
		// A copy, so that the caller's record stays as the publisher sent it.
		var merged *hsds.Service
		if err := json.Unmarshal([]byte(up), &merged); err != nil {
			return nil, err
		}
		last, err := lastUpstream(ctx, tx, s.ID)
		if err != nil {
			return nil, err
		}
		merged, queued, err := keepCuratorEdits(ctx, tx, merged, last)
		if err != nil {
			return nil, err
		}
		if err := checkRefs(ctx, tx, merged, "feed "+name); err != nil {
			return nil, haven.Errorf(haven.EINVALID, "%s; nothing was changed", err.Error())
		}
		if err := keepConfidential(ctx, tx, merged); err != nil {
			return nil, err
		}
		addProvenance(merged, feed, pubID, f.FetchedAt)
		if err := putService(ctx, tx, merged); err != nil {
			return nil, err
		}
		for _, q := range queued {
			if err := queueUpstream(ctx, tx, name, q); err != nil {
				return nil, err
			}
		}
		rep.Queued = append(rep.Queued, queued...)
		if err := tx.exec(ctx, `UPDATE service_sources SET publisher_id = $2, fetched_at = $3, upstream = $4, upstream_modified = $5, withdrawn_at = '', url = $6
			WHERE service_id = $1`, s.ID, pubID, at, up, normalTime(s.LastModified), feed.URL); err != nil {
			return nil, err
		}
		action := "sync-update"
		if restored {
			action = "sync-restore"
			rep.Restored = append(rep.Restored, haven.ServiceRef{ID: s.ID, Name: s.Name})
		} else {
			rep.Updated++
		}
		if err := audit(ctx, tx, actor, action, "service", s.ID, "", "", "feed "+name); err != nil {
			return nil, err
		}
	}
	// What the publisher no longer lists, after a complete answer, is
	// withdrawn: inactive, not deleted.
	for id, r := range existing {
		if seen[id] || r.withdrawn != "" {
			continue
		}
		svcs, err := loadServices(ctx, tx, []string{id})
		if err != nil {
			return nil, err
		}
		if len(svcs) == 0 {
			continue // deleted in Haven since
		}
		s := svcs[0]
		before := s.Status
		if before != "inactive" {
			// Modified now, so that a client polling with modified_after
			// learns of the withdrawal.
			s.Status, s.LastModified = "inactive", tx.now.UTC().Format(time.RFC3339)
			if err := putService(ctx, tx, s); err != nil {
				return nil, err
			}
		}
		// The stored upstream record says inactive too, so that the next
		// sync does not take the withdrawal for a curator's edit.
		up, err := lastUpstream(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		var prev hsds.Service
		if json.Unmarshal([]byte(up), &prev) == nil {
			prev.Status = "inactive"
			up = mustJSON(&prev)
		}
		if err := tx.exec(ctx, `UPDATE service_sources SET withdrawn_at = $2, upstream = $3 WHERE service_id = $1`, id, at, up); err != nil {
			return nil, err
		}
		if err := audit(ctx, tx, actor, "sync-withdraw", "service", id, "status", before, "inactive"); err != nil {
			return nil, err
		}
		rep.Withdrawn = append(rep.Withdrawn, haven.ServiceRef{ID: id, Name: s.Name})
	}
	return rep, fs.finishSync(ctx, tx, actor, feed, f, rep)
}

// finishSync records the sync on the feed and commits.
func (fs *FeedService) finishSync(ctx context.Context, tx *Tx, actor string, feed *haven.Feed, f *haven.FeedFetch, rep *haven.FeedSyncReport) error {
	at := formatTime(f.FetchedAt)
	etag, modified := f.ETag, f.Modified
	if f.NotModified {
		etag, modified = feed.ETag, feed.Modified
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET last_sync_at = $2, last_ok_at = $2, last_error = '', added = $3, updated = $4,
		unchanged = $5, withdrawn = $6, queued = $7, etag = $8, modified = $9 WHERE name = $1`,
		feed.Name, at, rep.Added, rep.Updated+len(rep.Restored), rep.Unchanged, len(rep.Withdrawn), len(rep.Queued), etag, modified); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "sync", "feed", feed.Name, "", "",
		fmt.Sprintf("%d added, %d updated, %d unchanged, %d withdrawn, %d queued", rep.Added, rep.Updated+len(rep.Restored), rep.Unchanged, len(rep.Withdrawn), len(rep.Queued))); err != nil {
		return err
	}
	return tx.Commit()
}

// keepCuratorEdits returns the publisher's record with the fields curators
// changed since the last sync kept as they are, and the upstream changes
// to those fields, for the queue. A field is a curator's when Haven's copy
// differs from what the publisher said last time.
func keepCuratorEdits(ctx context.Context, tx *Tx, s *hsds.Service, lastUpstream string) (*hsds.Service, []haven.FeedConflict, error) {
	var prev hsds.Service
	if lastUpstream == "" || json.Unmarshal([]byte(lastUpstream), &prev) != nil {
		return s, nil, nil
	}
	svcs, err := loadServices(ctx, tx, []string{s.ID})
	if err != nil || len(svcs) == 0 {
		return s, nil, err
	}
	local := svcs[0]
	var queued []haven.FeedConflict
	for _, field := range curatorFields {
		lv, _ := listing.ServiceField(local, field)
		pv, _ := listing.ServiceField(&prev, field)
		nv, _ := listing.ServiceField(s, field)
		if lv == pv || lv == nv {
			continue // not a curator's edit, or the publisher caught up
		}
		if err := listing.SetServiceField(s, field, lv, categoryLookup(ctx, tx)); err != nil {
			return nil, nil, fmt.Errorf("keep the curator's %s of service %s: %w", field, s.ID, err)
		}
		if nv != pv {
			queued = append(queued, haven.FeedConflict{RecordType: "service", RecordID: s.ID, Name: local.Name, Field: field, Local: lv, Upstream: nv})
		}
	}
	org, err := keepOrganizationEdits(s.Organization, local.Organization, prev.Organization)
	if err != nil {
		return nil, nil, err
	}
	s.Organization = org.o
	queued = append(queued, org.queued...)
	locs, err := keepLocationEdits(s, local, &prev)
	if err != nil {
		return nil, nil, err
	}
	return s, append(queued, locs...), nil
}

// keepLocationEdits does for the locations of the publisher's service (up)
// what keepCuratorEdits does for the service: a field of a location that
// Haven's copy (local) changed since the publisher's last copy (prev) is
// kept, and queued when the publisher changed it too. Confidentiality is
// keepConfidential's.
func keepLocationEdits(up, local, prev *hsds.Service) ([]haven.FeedConflict, error) {
	find := func(s *hsds.Service, id string) *hsds.Location {
		for _, sal := range s.ServiceAtLocations {
			if sal.Location != nil && sal.Location.ID == id {
				return sal.Location
			}
		}
		return nil
	}
	var queued []haven.FeedConflict
	for _, sal := range up.ServiceAtLocations {
		l := sal.Location
		if l == nil {
			continue
		}
		ll, pl := find(local, l.ID), find(prev, l.ID)
		if ll == nil || pl == nil {
			continue // new here, or new upstream: the publisher's
		}
		lt, pt, nt := listing.LocationText(ll), listing.LocationText(pl), listing.LocationText(l)
		values := maps.Clone(nt)
		kept := false
		for _, field := range listing.LocationFields {
			lv, pv, nv := lt[field], pt[field], nt[field]
			if lv == pv || lv == nv {
				continue
			}
			values[field], kept = lv, true
			if nv != pv {
				queued = append(queued, haven.FeedConflict{RecordType: "location", RecordID: l.ID, Name: ll.Name, Field: field, Local: lv, Upstream: nv})
			}
		}
		if kept {
			if err := listing.ApplyLocationText(l, values); err != nil {
				return nil, fmt.Errorf("keep the curator's edits of location %s: %w", l.ID, err)
			}
		}
	}
	return queued, nil
}

// keptOrganization is an organization with the curators' edits kept, and
// the upstream changes to them.
type keptOrganization struct {
	o      *hsds.Organization
	queued []haven.FeedConflict
}

// organizationText reads one field of an organization a curator edits.
func organizationText(o *hsds.Organization, field string) string {
	if field == "phone" {
		return listing.OrganizationPhone(o)
	}
	c := *o // OrganizationField may add a phone to read
	if p := listing.OrganizationField(&c, field); p != nil {
		return *p
	}
	return ""
}

// keepOrganizationEdits does for the publisher's organization (up) what
// keepCuratorEdits does for its service: a field Haven's copy (local)
// changed since the publisher's last copy (prev) is kept, and queued when
// the publisher changed it too. up itself is left as it is.
func keepOrganizationEdits(up, local, prev *hsds.Organization) (keptOrganization, error) {
	out := keptOrganization{o: up}
	if up == nil || local == nil || prev == nil || up.ID != local.ID || prev.ID != local.ID {
		return out, nil
	}
	var o *hsds.Organization
	for _, field := range append(slices.Clone(listing.OrganizationFields), "x_last_verified") {
		lv, pv, nv := organizationText(local, field), organizationText(prev, field), organizationText(up, field)
		if lv == pv || lv == nv {
			continue
		}
		if o == nil {
			c := *up
			c.Phones = slices.Clone(up.Phones)
			o = &c
		}
		if field == "phone" {
			listing.RestoreOrganizationPhone(o, lv)
			if lv == "" {
				listing.SetOrganizationPhone(o, "")
			}
		} else {
			*listing.OrganizationField(o, field) = lv
		}
		if nv != pv {
			out.queued = append(out.queued, haven.FeedConflict{RecordType: "organization", RecordID: o.ID, Name: local.Name, Field: field, Local: lv, Upstream: nv})
		}
	}
	if o != nil {
		out.o = o
	}
	return out, nil
}

// queueUpstream puts a publisher's change to a field a curator changed in
// the moderation queue, replacing one still pending for the same field.
func queueUpstream(ctx context.Context, tx *Tx, feed string, c haven.FeedConflict) error {
	value := c.Upstream
	if utf8.RuneCountInString(value) > 4000 {
		value = string([]rune(value)[:4000])
	}
	body := feed // the page says the rest, in the curator's language
	var same int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM suggestions WHERE record_type = $1 AND record_id = $2 AND kind = 'upstream'
		AND field = $3 AND status = 'pending' AND new_value = $4`, c.RecordType, c.RecordID, c.Field, value).Scan(&same)
	if err != nil || same > 0 {
		return err // already waiting (several services may share an organization)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE suggestions SET status = 'rejected', resolved_by = $4, resolved_at = $5
		WHERE record_type = $1 AND record_id = $2 AND kind = 'upstream' AND field = $3 AND status = 'pending'`,
		c.RecordType, c.RecordID, c.Field, "feed "+feed, formatTime(tx.now)); err != nil {
		return err
	}
	id := newID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, new_value, field)
		VALUES ($1, $2, $3, $4, 'upstream', $5, $6, $7)`, id, formatTime(tx.now), c.RecordType, c.RecordID, body, value, c.Field); err != nil {
		return err
	}
	return audit(ctx, tx, "feed "+feed, "suggest", "suggestion", id, "upstream", "", c.RecordType+" "+c.RecordID+" "+c.Field)
}

// provenanceNS is the namespace of the ids of the metadata records that
// say a service came from a feed.
var provenanceNS = uuid.MustParse("5e0f6a43-3f5c-4c0e-9b53-2f1d7c9a4e21")

// addProvenance adds to a service the HSDS metadata record that says where
// it came from, so that consumers of Haven's API and exports can trace it:
// the feed, its URL and the publisher's id.
func addProvenance(s *hsds.Service, feed *haven.Feed, publisherID string, at time.Time) {
	id := uuid.NewSHA1(provenanceNS, []byte(feed.Name+"\x00"+s.ID)).String()
	ms := s.Metadata[:0:0]
	for _, m := range s.Metadata {
		if m.ID != id {
			ms = append(ms, m)
		}
	}
	s.Metadata = append(ms, hsds.Metadata{ID: id, ResourceID: s.ID, ResourceType: "service",
		LastActionDate: at.UTC().Format("2006-01-02"), LastActionType: "feed sync", FieldName: "id",
		PreviousValue: publisherID, ReplacementValue: s.ID, UpdatedBy: provenanceBy(feed)})
}

// provenanceBy is the updated_by of a feed's metadata records.
func provenanceBy(feed *haven.Feed) string {
	return "Haven feed " + feed.Name + " (" + publicURL(feed.URL) + ")"
}

// publicURL is a feed's address as Haven publishes it: without the query,
// user or fragment, where a publisher's API key would be.
func publicURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// olderThan reports whether the time a is before b, both RFC 3339; false
// when either is missing or unreadable.
func olderThan(a, b string) bool {
	ta, err := time.Parse(time.RFC3339, a)
	if err != nil {
		return false
	}
	tb, err := time.Parse(time.RFC3339, b)
	return err == nil && ta.Before(tb)
}

// keepConfidential keeps confidential every location of s Haven already
// holds as confidential: a publisher does not know that a curator marked a
// shelter's address secret, and its next copy must not make it public.
// Only a curator unmarks a location. The locations of s are copied before
// they change, so that the caller's record stays as it was.
func keepConfidential(ctx context.Context, tx *Tx, s *hsds.Service) error {
	keep := func(l *hsds.Location) (*hsds.Location, error) {
		if l == nil || l.Confidential() {
			return l, nil
		}
		stored, err := tx.storedValue(ctx, `SELECT data FROM locations WHERE id = $1`, l.ID)
		if err != nil || stored == nil {
			return l, err
		}
		var before hsds.Location
		if err := json.Unmarshal([]byte(*stored), &before); err != nil {
			return nil, fmt.Errorf("location %s: %w", l.ID, err)
		}
		if !before.Confidential() {
			return l, nil
		}
		c := *l
		yes := true
		c.XConfidential = &yes
		return &c, nil
	}
	sals := slices.Clone(s.ServiceAtLocations)
	for i := range sals {
		l, err := keep(sals[i].Location)
		if err != nil {
			return err
		}
		sals[i].Location = l
	}
	s.ServiceAtLocations = sals
	if s.Organization != nil && len(s.Organization.Locations) > 0 {
		o := *s.Organization
		o.Locations = slices.Clone(o.Locations)
		for i := range o.Locations {
			l, err := keep(&o.Locations[i])
			if err != nil {
				return err
			}
			o.Locations[i] = *l
		}
		s.Organization = &o
	}
	return nil
}

// keepSharedOrganization keeps the curators' edits of the organization of
// a service new to the feed, when other services of the feed share it: its
// last copy from the publisher is theirs.
func keepSharedOrganization(ctx context.Context, tx *Tx, feed string, s *hsds.Service, done map[string]keptOrganization) ([]haven.FeedConflict, error) {
	if s.Organization == nil {
		return nil, nil
	}
	if k, ok := done[s.Organization.ID]; ok {
		if k.o != nil {
			s.Organization = k.o
		}
		return nil, nil // queued once
	}
	done[s.Organization.ID] = keptOrganization{}
	var up string
	err := tx.QueryRowContext(ctx, `SELECT ss.upstream FROM service_sources ss JOIN services sv ON sv.id = ss.service_id
		WHERE sv.organization_id = $1 AND ss.kind = 'feed' AND ss.source = $2 ORDER BY ss.service_id LIMIT 1`, s.Organization.ID, feed).Scan(&up)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var prev hsds.Service
	if json.Unmarshal([]byte(up), &prev) != nil {
		return nil, nil
	}
	var local *hsds.Organization
	if err := loadDocs(ctx, tx, "organizations", set{s.Organization.ID: true}, func(string) any {
		local = &hsds.Organization{}
		return local
	}); err != nil {
		return nil, err
	}
	kept, err := keepOrganizationEdits(s.Organization, local, prev.Organization)
	if err != nil {
		return nil, err
	}
	s.Organization = kept.o
	done[s.Organization.ID] = kept
	return kept.queued, nil
}

// providedElsewhere says, of the services a feed lists that it does not
// provide yet, which the directory already holds and from where: those are
// left alone.
func providedElsewhere(ctx context.Context, tx *Tx, svcs []*hsds.Service, ours map[string]sourceRow) (map[string]string, error) {
	var ids []string
	for _, s := range svcs {
		if _, ok := ours[s.ID]; !ok && s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	out := map[string]string{}
	err := eachIDBatch(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT sv.id, COALESCE(ss.kind, ''), COALESCE(ss.source, '') FROM services sv
			LEFT JOIN service_sources ss ON ss.service_id = sv.id WHERE sv.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, kind, source string
			if err := rows.Scan(&id, &kind, &source); err != nil {
				return err
			}
			if kind == "" {
				out[id] = "entered in Haven"
			} else {
				out[id] = "from " + kind + " " + source
			}
		}
		return rows.Err()
	})
	return out, err
}
