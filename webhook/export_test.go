package webhook

import "time"

// WithClock sets the clock that timestamps are checked against, so that
// tests can say exactly how old a timestamp is.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}
