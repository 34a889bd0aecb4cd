package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"haven"
)

// contentSecurityPolicy allows nothing from another origin and no inline
// script or style: a visitor's browser talks to Haven alone.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()")
		if s.secureCookie(r) {
			// Served over TLS (here or at a proxy, per --secure-cookies): for
			// two years browsers go straight to https, so no first plain
			// request can be read or redirected on a watched network.
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			// Pages may be read on a shared or watched device: keep them out
			// of the browser's disk cache and back-forward cache.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	routeKey
)

// routeInfo carries the pattern that matched back out to the middleware,
// which runs before the mux has chosen a route.
type routeInfo struct{ pattern string }

// RequestID returns the id the logging middleware gave the request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests gives each request an id, which every log line about it
// carries and the X-Request-Id header returns, writes one access-log line a
// request and counts it for the metrics by route pattern. It records
// neither the client's address nor the query string: a search for "shelter
// near 78701" must not be tied to whoever made it.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		route := &routeInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeKey, route)
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		done := s.Metrics.Begin()
		start := time.Now()
		defer func() {
			// Also when the connection is aborted (http.ErrAbortHandler).
			elapsed := time.Since(start)
			done()
			status := sw.status
			if v := recover(); v != nil {
				status = http.StatusInternalServerError
				defer panic(v)
			} else if status == 0 {
				status = http.StatusOK
			}
			if route.pattern == "" {
				route.pattern = "unmatched" // a 404 or 405 from the mux itself
			}
			s.Metrics.Request(route.pattern, status, elapsed)
			s.Logger.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", route.pattern),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int("bytes", sw.bytes),
				slog.Duration("duration", elapsed),
			)
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// recoverPanics turns a panic into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log(r.Context()).Error("panic", "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, haven.Errorf(haven.EINTERNAL, "panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
