package http

import "time"

// SetThrottleClock sets the sign-in throttle's clock, for tests of how
// delays grow.
func SetThrottleClock(s *Server, now func() time.Time) { s.signinThrottle.Now = now }
