package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"haven"
)

// ClaimJob reports whether this server may run the named job now. When the
// job is due, exactly one claimant among all servers sharing the database
// gets true, and the job's next run moves to now+every. On PostgreSQL the
// row is taken with FOR UPDATE SKIP LOCKED, so other servers do not even
// wait; SQLite's single writer serializes the claim.
func (js *JobService) ClaimJob(ctx context.Context, name, runner string, every time.Duration) (bool, error) {
	tx, err := js.db.BeginTx(ctx, false)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	now := js.db.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (name, next_run) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, now.Format(time.RFC3339Nano)); err != nil {
		return false, err
	}
	lock := js.db.dialect.forUpdate(true)
	var next string
	err = tx.QueryRowContext(ctx, `SELECT next_run FROM jobs WHERE name = $1`+lock, name).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // another server holds it right now
	} else if err != nil {
		return false, err
	}
	if due, err := time.Parse(time.RFC3339Nano, next); err == nil && due.After(now) {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE jobs SET next_run = $2, last_run = $3, last_runner = $4, runs = runs + 1 WHERE name = $1`,
		name, now.Add(every).Format(time.RFC3339Nano), now.Format(time.RFC3339Nano), runner); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// recordJobError keeps the last failure of a job, for operators.
func (db *DB) recordJobError(ctx context.Context, name string, jobErr error) {
	msg := ""
	if jobErr != nil {
		msg = jobErr.Error()
	}
	db.write.ExecContext(ctx, `UPDATE jobs SET last_error = $2 WHERE name = $1`, name, msg)
}

// RunJobs claims and runs due jobs every tick until ctx ends. Any number of
// servers may run it on one database; each due job runs once.
func (js *JobService) RunJobs(ctx context.Context, runner string, tick time.Duration, jobs []haven.Job, logger *slog.Logger) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		for _, j := range jobs {
			ok, err := js.ClaimJob(ctx, j.Name, runner, j.Every)
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("job claim failed; will retry", "job", j.Name, "err", err)
				}
				continue
			}
			if !ok {
				continue
			}
			start := time.Now()
			err = j.Run(ctx)
			js.db.recordJobError(context.WithoutCancel(ctx), j.Name, err)
			if err != nil {
				logger.Error("job failed", "job", j.Name, "err", err)
			} else {
				logger.Info("job ran", "job", j.Name, "duration", time.Since(start))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Optimize prunes the directory change log and refreshes the query
// planner's statistics: ANALYZE on PostgreSQL, PRAGMA optimize on SQLite.
// A daily job.
func (db *DB) Optimize(ctx context.Context) error {
	if err := db.pruneChanges(ctx); err != nil {
		return err
	}
	stmt := db.dialect.optimize
	if db.dialect.name == Postgres {
		// A bare ANALYZE reads every table of the database, in every schema,
		// and waits on any of them another application (or another Haven
		// sharing the database) has locked: analyze Haven's own tables only.
		var tables sql.NullString
		if err := db.write.QueryRowContext(ctx, `SELECT string_agg(quote_ident(tablename), ', ' ORDER BY tablename)
			FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil || !tables.Valid {
			return err
		}
		stmt += " " + tables.String
	}
	_, err := db.write.ExecContext(ctx, stmt)
	return err
}
