package vapi

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoff(t *testing.T) {
	const lo, hi = 100 * time.Millisecond, 2 * time.Second
	tests := []struct {
		retry    int
		from, to time.Duration
	}{
		{0, 100 * time.Millisecond, 200 * time.Millisecond},
		{1, 200 * time.Millisecond, 400 * time.Millisecond},
		{2, 400 * time.Millisecond, 800 * time.Millisecond},
		{3, 800 * time.Millisecond, 1600 * time.Millisecond},
		{4, 1 * time.Second, 2 * time.Second},
		{5, 1 * time.Second, 2 * time.Second},
		{100, 1 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("retry %d waits between %v and %v", tt.retry, tt.from, tt.to), func(t *testing.T) {
			seen := map[time.Duration]bool{}
			for range 200 {
				d := backoff(lo, hi, tt.retry, nil)
				assert.GreaterOrEqual(t, d, tt.from)
				assert.LessOrEqual(t, d, tt.to)
				seen[d] = true
			}
			if tt.from < tt.to {
				assert.Greater(t, len(seen), 10, "the wait is jittered")
			}
		})
	}
	t.Run("waits nothing when both bounds are zero", func(t *testing.T) {
		assert.Zero(t, backoff(0, 0, 3, nil))
	})
	t.Run("never waits less than the minimum", func(t *testing.T) {
		for retry := range 10 {
			assert.Equal(t, time.Second, backoff(time.Second, time.Second, retry, nil))
			assert.GreaterOrEqual(t, backoff(time.Second, 3*time.Second/2, retry, nil), time.Second)
		}
	})
	t.Run("does not overflow with a huge maximum", func(t *testing.T) {
		d := backoff(time.Second, time.Duration(1<<63-1), 80, nil)
		assert.Positive(t, d)
	})
	t.Run("waits what Retry-After asks for", func(t *testing.T) {
		resp := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"1"}}}
		assert.Equal(t, time.Second, backoff(lo, hi, 0, resp))
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"reads seconds", "30", 30 * time.Second, true},
		{"reads zero seconds", "0", 0, true},
		{"reads an IMF-fixdate", "Fri, 20 Nov 2026 14:01:30 GMT", 90 * time.Second, true},
		{"reads an RFC 850 date", "Friday, 20-Nov-26 14:00:10 GMT", 10 * time.Second, true},
		{"reads a date in the past as zero", "Fri, 20 Nov 2026 13:00:00 GMT", 0, true},
		{"ignores negative seconds", "-5", 0, false},
		{"ignores garbage", "soon", 0, false},
		{"ignores an absent header", "", 0, false},
		{"caps absurd seconds instead of overflowing", "99999999999999999", time.Duration(1<<62/time.Second) * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := parseRetryAfter(h, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
