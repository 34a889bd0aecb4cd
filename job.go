package haven

import (
	"context"
	"log/slog"
	"time"
)

// Job is work a server does now and then: checking links, purging old
// records, housekeeping.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// JobService runs jobs once among all the servers sharing a database.
type JobService interface {
	// ClaimJob reports whether this server may run the named job now: when
	// it is due, exactly one claimant gets true, and its next run moves to
	// now+every.
	ClaimJob(ctx context.Context, name, runner string, every time.Duration) (bool, error)
	// RunJobs claims and runs due jobs every tick until ctx ends.
	RunJobs(ctx context.Context, runner string, tick time.Duration, jobs []Job, logger *slog.Logger)
}
