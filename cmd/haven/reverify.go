package main

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"haven"
	"haven/auth"
	havenhttp "haven/http"
)

// reverifyJob mails the yearly re-verification requests and their
// reminders, once a day, on one server (see haven.ReverifyService).
func reverifyJob(store haven.ReverifyService, mailer haven.Mailer, base string, logger *slog.Logger) haven.Job {
	return haven.Job{Name: "provider-reverify", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		return runReverify(ctx, store, mailer, base, logger)
	}}
}

// runReverify sends what is due. A request whose mail fails is taken back,
// so that the next run asks again; a reminder is sent once.
func runReverify(ctx context.Context, store haven.ReverifyService, mailer haven.Mailer, base string, logger *slog.Logger) error {
	link := func(token string) string { return base + "/reverify?t=" + url.QueryEscape(token) }
	due, err := store.DueReverifications(ctx)
	if err != nil {
		return err
	}
	var errs []error
	sent, reminded := 0, 0
	for _, q := range due {
		token, hash := auth.NewToken()
		req, err := store.StartReverify(ctx, q.OrganizationID, q.UserID, hash)
		if err != nil {
			return err
		}
		if err := mailer.SendMail(ctx, havenhttp.ReverifyMail(*req, link(token), false)); err != nil {
			errs = append(errs, err)
			if err := store.CancelReverify(ctx, req.ID); err != nil {
				return err
			}
			continue
		}
		sent++
	}
	rem, err := store.DueReminders(ctx)
	if err != nil {
		return err
	}
	for _, q := range rem {
		token, hash := auth.NewToken()
		if err := store.RemindReverify(ctx, q.ID, hash); err != nil {
			return err
		}
		if err := mailer.SendMail(ctx, havenhttp.ReverifyMail(q, link(token), true)); err != nil {
			errs = append(errs, err)
			continue
		}
		reminded++
	}
	if sent+reminded > 0 || len(errs) > 0 {
		logger.Info("re-verification requests", "sent", sent, "reminders", reminded, "failed", len(errs))
	}
	return errors.Join(errs...)
}
