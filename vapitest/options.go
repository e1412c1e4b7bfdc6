package vapitest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/govapi/vapi"
)

// Option configures a [Server].
type Option func(*config)

type config struct {
	apiKey  string
	orgID   string
	clock   func() time.Time
	newID   func() string
	cursors bool
	// responder writes the assistant's replies; see WithChatResponder.
	responder func(ctx context.Context, messages []vapi.ChatMessage) string
	// replies writes them with tool calls; see WithChatReplies.
	replies        func(ctx context.Context, messages []vapi.ChatMessage) Reply
	streamInterval time.Duration // see WithChatStreamInterval
	// webhooks is where lifecycle messages go, and the record of what was
	// delivered (see webhook.go); never nil.
	webhooks *webhooks
}

func defaults() config {
	return config{clock: time.Now, newID: randomUUID, webhooks: &webhooks{}}
}

// WithAPIKey makes the server accept only "Authorization: Bearer <key>".
// Without it, any non-empty bearer key is accepted.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithOrgID sets the orgId of every session. Without it, the server picks a
// random UUID when it starts.
func WithOrgID(id string) Option {
	return func(c *config) { c.orgID = id }
}

// WithClock sets the source of the current time: createdAt and updatedAt
// of sessions and the Date header of responses. The server reads it once
// per request, under its lock. Without it, the server uses time.Now. See
// [StepClock] for a deterministic clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithIDGenerator sets the source of new session ids. The server calls it
// once per created session, under its lock; an id it has already served
// makes the create fail with a 500. Without it, ids are random version 4
// UUIDs. See [SequentialIDs] for deterministic ids.
func WithIDGenerator(next func() string) Option {
	return func(c *config) { c.newID = next }
}

// WithCursorPagination makes GET /session answer with metadata.nextCursor
// whenever there is a next page, as the live API does for some accounts, so
// that cursor-following clients can be tested. The cursor query parameter
// is understood with or without this option.
func WithCursorPagination() Option {
	return func(c *config) { c.cursors = true }
}

// SequentialIDs returns an id generator for [WithIDGenerator] that yields
// version 4 shaped UUIDs counting up from 1:
// "00000000-0000-4000-8000-000000000001", "...-000000000002", and so on.
// It is safe for concurrent use.
func SequentialIDs() func() string {
	var n atomic.Uint64
	return func() string {
		return fmt.Sprintf("00000000-0000-4000-8000-%012x", n.Add(1))
	}
}

// StepClock returns a clock for [WithClock] whose first reading is start and
// each later reading is step after the one before. It is safe for
// concurrent use.
func StepClock(start time.Time, step time.Duration) func() time.Time {
	var n atomic.Int64
	return func() time.Time {
		return start.Add(time.Duration(n.Add(1)-1) * step)
	}
}

// randomUUID returns a random version 4 UUID.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
