package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"haven"
	"haven/analyze"
)

const pageColumns = `slug, section, position, title_en, title_es, summary_en, summary_es, body_en, body_es, reviewed, cites, updated_at`

func queryPages(ctx context.Context, tx *Tx, query string, args ...any) ([]*haven.LearningPage, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.LearningPage
	for rows.Next() {
		p := &haven.LearningPage{Title: haven.Localized{}, Summary: haven.Localized{}, Body: haven.Localized{}}
		var te, ts, se, ss, be, bs, cites, updated string
		if err := rows.Scan(&p.Slug, &p.Section, &p.Position, &te, &ts, &se, &ss, &be, &bs, &p.Reviewed, &cites, &updated); err != nil {
			return nil, err
		}
		p.Title["en"], p.Title["es"], p.Summary["en"], p.Summary["es"], p.Body["en"], p.Body["es"] = te, ts, se, ss, be, bs
		p.Updated = parseTime(updated)
		json.Unmarshal([]byte(cites), &p.Cites)
		out = append(out, p)
	}
	return out, rows.Err()
}

func indexPage(ctx context.Context, tx *Tx, p *haven.LearningPage) error {
	head := analyze.Terms(p.Title["en"] + " " + p.Title["es"])
	body := analyze.Terms(strings.Join([]string{p.Summary["en"], p.Summary["es"], p.Body["en"], p.Body["es"]}, " "))
	return writeTerms(ctx, tx, "learning_pages", p.Slug, head, body)
}

func putPage(ctx context.Context, tx *Tx, p *haven.LearningPage) error {
	cites, _ := json.Marshal(p.Cites)
	if _, err := tx.ExecContext(ctx, `INSERT INTO learning_pages (`+pageColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (slug) DO UPDATE SET title_en = excluded.title_en, title_es = excluded.title_es,
			summary_en = excluded.summary_en, summary_es = excluded.summary_es, body_en = excluded.body_en,
			body_es = excluded.body_es, reviewed = excluded.reviewed, cites = excluded.cites, updated_at = excluded.updated_at`,
		p.Slug, p.Section, p.Position, p.Title["en"], p.Title["es"], p.Summary["en"], p.Summary["es"],
		p.Body["en"], p.Body["es"], p.Reviewed, string(cites), formatTime(tx.now)); err != nil {
		return err
	}
	return indexPage(ctx, tx, p)
}

// SeedPages loads the learning pages into an empty database, once in its
// life, as the library is loaded.
func (l *LearningService) SeedPages(ctx context.Context, pages []*haven.LearningPage) (int, error) {
	tx, err := l.db.BeginTx(ctx, false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('learning_seeded_at', $1) ON CONFLICT (key) DO NOTHING`, formatTime(tx.now))
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	for _, p := range pages {
		if err := putPage(ctx, tx, p); err != nil {
			return 0, err
		}
	}
	return len(pages), tx.Commit()
}

// ListPages returns the pages of a section (all sections when ""), in order.
func (l *LearningService) ListPages(ctx context.Context, section string) ([]*haven.LearningPage, error) {
	tx, err := l.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if section == "" {
		return queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages ORDER BY CASE section WHEN 'understand' THEN 1 WHEN 'heal' THEN 2 ELSE 3 END, position`)
	}
	return queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages WHERE section = $1 ORDER BY position`, section)
}

// FindPage returns one page, or ENOTFOUND.
func (l *LearningService) FindPage(ctx context.Context, slug string) (*haven.LearningPage, error) {
	tx, err := l.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ps, err := queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages WHERE slug = $1`, slug)
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, haven.Errorf(haven.ENOTFOUND, "No learning page is called %q.", slug)
	}
	return ps[0], nil
}

// SearchPages returns the pages matching a query, best first, with the
// same analysis and ranking as the library.
func (l *LearningService) SearchPages(ctx context.Context, q string) ([]*haven.LearningPage, error) {
	aq := analyze.ParseQuery(q)
	if aq.Empty() {
		return nil, nil
	}
	tx, err := l.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	args := []any{l.db.dialect.matchQuery(aq)}
	order := textRank("p", aq, &args)
	return queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages p WHERE `+l.db.dialect.textMatch("learning_pages", "p", "$1")+
		` ORDER BY `+order+`, p.section, p.position`, args...)
}

// UpdatePage saves a curator's edit of a page, marks it reviewed today and
// audits each changed field in the same transaction. Both languages are
// required.
func (l *LearningService) UpdatePage(ctx context.Context, actor string, p *haven.LearningPage) error {
	for _, lang := range []string{"en", "es"} {
		if strings.TrimSpace(p.Title[lang]) == "" || strings.TrimSpace(p.Summary[lang]) == "" || strings.TrimSpace(p.Body[lang]) == "" {
			return haven.Errorf(haven.EINVALID, "The page needs its title, summary and text in English and in Spanish.")
		}
	}
	tx, err := l.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	olds, err := queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages WHERE slug = $1`, p.Slug)
	if err != nil {
		return err
	} else if len(olds) == 0 {
		return haven.Errorf(haven.ENOTFOUND, "No learning page is called %q.", p.Slug)
	}
	old := olds[0]
	p.Section, p.Position, p.Cites = old.Section, old.Position, old.Cites
	p.Reviewed = tx.now.Format("2006-01-02")
	for _, lang := range []string{"en", "es"} {
		for _, f := range []fieldChange{{"title." + lang, old.Title[lang], p.Title[lang]}, {"summary." + lang, old.Summary[lang], p.Summary[lang]},
			{"body." + lang, old.Body[lang], p.Body[lang]}} {
			if f.before != f.after {
				if err := audit(ctx, tx, actor, "update", "learning_page", p.Slug, f.name, f.before, f.after); err != nil {
					return err
				}
			}
		}
	}
	if old.Reviewed != p.Reviewed {
		if err := audit(ctx, tx, actor, "verify", "learning_page", p.Slug, "reviewed", old.Reviewed, p.Reviewed); err != nil {
			return err
		}
	}
	if err := putPage(ctx, tx, p); err != nil {
		return err
	}
	return tx.Commit()
}
