package vapitest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// hookReceiver is a webhook.NewHandler on a loopback server that keeps the
// messages it accepted and the raw requests it got.
type hookReceiver struct {
	URL string

	mu       sync.Mutex
	messages []vapi.ServerMessage
	headers  []http.Header
	bodies   [][]byte
	status   int // when not 0, answer this instead of running the handler
	onMsg    func()
}

func newHookReceiver(t *testing.T, opts ...webhook.Option) *hookReceiver {
	t.Helper()
	rec := &hookReceiver{}
	h, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
		rec.mu.Lock()
		rec.messages = append(rec.messages, msg)
		f := rec.onMsg
		rec.mu.Unlock()
		if f != nil {
			f()
		}
		return nil
	}, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.bodies = append(rec.bodies, body)
		status := rec.status
		rec.mu.Unlock()
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL + "/vapi/events?tenant=7"
	return rec
}

func (rec *hookReceiver) got() []vapi.ServerMessage {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]vapi.ServerMessage(nil), rec.messages...)
}

// hookServer starts a deterministic vapitest server with the given webhook
// options, and an SDK client for it.
func hookServer(t *testing.T, opts ...vapitest.Option) (*vapitest.Server, *vapi.Client) {
	t.Helper()
	opts = append([]vapitest.Option{
		vapitest.WithAPIKey("hook-key"),
		vapitest.WithIDGenerator(vapitest.SequentialIDs()),
		vapitest.WithClock(vapitest.StepClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Second)),
	}, opts...)
	srv := vapitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("hook-key"), vapi.WithMaxRetries(0))
	require.NoError(t, err)
	return srv, client
}

// lifecycle creates, renames and deletes a session, checking after each
// call that the handler has already seen its message.
func lifecycle(t *testing.T, client *vapi.Client, rec *hookReceiver) []*vapi.Session {
	t.Helper()
	ctx := context.Background()
	created, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("hooked")})
	require.NoError(t, err)
	require.Len(t, rec.got(), 1, "session.created is delivered before Create returns")
	updated, err := client.Sessions.Update(ctx, created.ID, &vapi.UpdateSessionRequest{Name: vapi.String("renamed"), Status: "completed"})
	require.NoError(t, err)
	require.Len(t, rec.got(), 2, "session.updated is delivered before Update returns")
	deleted, err := client.Sessions.Delete(ctx, created.ID)
	require.NoError(t, err)
	require.Len(t, rec.got(), 3, "session.deleted is delivered before Delete returns")
	return []*vapi.Session{created, updated, deleted}
}

func checkLifecycleMessages(t *testing.T, got []vapi.ServerMessage, sessions []*vapi.Session) {
	t.Helper()
	require.Len(t, got, 3)
	c, ok := got[0].(*vapi.ServerMessageSessionCreated)
	require.True(t, ok, "first message is %T", got[0])
	assert.Equal(t, *sessions[0], c.Session)
	u, ok := got[1].(*vapi.ServerMessageSessionUpdated)
	require.True(t, ok, "second message is %T", got[1])
	assert.Equal(t, *sessions[1], u.Session)
	assert.Equal(t, "renamed", *u.Session.Name)
	d, ok := got[2].(*vapi.ServerMessageSessionDeleted)
	require.True(t, ok, "third message is %T", got[2])
	assert.Equal(t, *sessions[2], d.Session)
}

func TestWebhookHMACDeliversVerifiableLifecycleMessages(t *testing.T) {
	plans := []struct {
		name string
		plan vapi.HMACAuthenticationPlan
	}{
		{"the defaults of a plan", vapi.HMACAuthenticationPlan{SecretKey: "k1", Algorithm: "sha256"}},
		{"sha512, base64, a prefix and custom headers", vapi.HMACAuthenticationPlan{
			SecretKey: "k2", Algorithm: "sha512", SignatureEncoding: "base64",
			SignaturePrefix: vapi.String("sha512="), SignatureHeader: vapi.String("X-Hub-Signature"),
			TimestampHeader: vapi.String("X-Hub-Timestamp"),
		}},
		{"sha1 without timestamp", vapi.HMACAuthenticationPlan{SecretKey: "k3", Algorithm: "sha1", IncludeTimestamp: vapi.Bool(false)}},
		{"a Svix-style plan with a base64 secret", vapi.HMACAuthenticationPlan{
			SecretKey: "c3ZpeC1zdHlsZS1zZWNyZXQtYnl0ZXM=", SecretIsBase64: vapi.Bool(true), Algorithm: "sha256",
			SignatureEncoding: "base64", SignaturePrefix: vapi.String("v1,"),
			SignatureHeader: vapi.String("svix-signature"), TimestampHeader: vapi.String("svix-timestamp"),
			MessageIDHeader: vapi.String("svix-id"), PayloadFormat: vapi.String("{svix-id}.{timestamp}.{body}"),
		}},
		{"a payload format with the method and URL", vapi.HMACAuthenticationPlan{
			SecretKey: "k5", Algorithm: "sha256", PayloadFormat: vapi.String("{method} {url}\n{timestamp}\n{body}"),
		}},
	}
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			rec := newHookReceiver(t, webhook.WithHMAC(p.plan))
			srv, client := hookServer(t, vapitest.WithWebhookHMAC(rec.URL, p.plan))
			sessions := lifecycle(t, client, rec)
			checkLifecycleMessages(t, rec.got(), sessions)
			for _, d := range srv.WebhookDeliveries() {
				assert.NoError(t, d.Err)
				assert.Equal(t, 200, d.StatusCode)
			}
		})
	}

	t.Run("a handler with another key refuses every delivery, and the API calls still succeed", func(t *testing.T) {
		plan := vapi.HMACAuthenticationPlan{SecretKey: "right", Algorithm: "sha256"}
		rec := newHookReceiver(t, webhook.WithHMAC(plan))
		wrong := plan
		wrong.SecretKey = "wrong"
		srv, client := hookServer(t, vapitest.WithWebhookHMAC(rec.URL, wrong))
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		require.NoError(t, err)
		assert.Empty(t, rec.got())
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 401, d[0].StatusCode)
		assert.ErrorContains(t, d[0].Err, "401")
	})
}

func TestWebhookHMACHeaders(t *testing.T) {
	plan := vapi.HMACAuthenticationPlan{
		SecretKey: "k", Algorithm: "sha256", MessageIDHeader: vapi.String("webhook-id"),
		PayloadFormat: vapi.String("{svix-id}.{timestamp}.{body}"),
	}
	rec := newHookReceiver(t, webhook.WithHMAC(plan))
	srv, client := hookServer(t, vapitest.WithWebhookHMAC(rec.URL, plan))
	before := time.Now()
	lifecycle(t, client, rec)
	after := time.Now()

	deliveries := srv.WebhookDeliveries()
	require.Len(t, deliveries, 3)
	for i, d := range deliveries {
		assert.Equal(t, rec.URL, d.URL)
		assert.Equal(t, "msg_"+strconv.Itoa(i+1), d.Header.Get("webhook-id"), "each delivery has its own message id")
		assert.Equal(t, "application/json; charset=utf-8", d.Header.Get("Content-Type"))
		ms, err := strconv.ParseInt(d.Header.Get("x-timestamp"), 10, 64)
		require.NoError(t, err)
		at := time.UnixMilli(ms)
		assert.False(t, at.Before(before.Truncate(time.Millisecond)) || at.After(after), "the timestamp header is the real time of delivery, in milliseconds")
		assert.Len(t, d.Header.Get("x-signature"), 64, "a hex sha256")
	}
}

func TestWebhookBodies(t *testing.T) {
	rec := newHookReceiver(t, webhook.WithSecret("s"))
	srv, _ := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))

	call := func(method, path, body string) string {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer hook-key")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Less(t, resp.StatusCode, 300, "%s", b)
		return string(b)
	}
	created := call("POST", "/session", `{"name":"a"}`)
	var s struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(created), &s))
	updated := call("PATCH", "/session/"+s.ID, `{"name":"b"}`)
	deleted := call("DELETE", "/session/"+s.ID, ``)

	deliveries := srv.WebhookDeliveries()
	require.Len(t, deliveries, 3)
	// StepClock: the create is the first reading (03:04:05), the update the
	// second, the delete the third.
	for i, want := range []struct{ typ, session string }{
		{"session.created", created}, {"session.updated", updated}, {"session.deleted", deleted},
	} {
		d := deliveries[i]
		ts := time.Date(2026, 1, 2, 3, 4, 5+i, 0, time.UTC).UnixMilli()
		assert.Equal(t, want.typ, d.Type)
		assert.Equal(t, `{"message":{"type":"`+want.typ+`","timestamp":`+strconv.FormatInt(ts, 10)+`,"session":`+want.session+`}}`, string(d.Body),
			"the body carries the Session exactly as served, and the time on the server's clock")
		assert.Equal(t, "s", d.Header.Get("X-Vapi-Secret"))
		assert.Equal(t, string(d.Body), string(rec.bodies[i]), "the recorded body is what was sent")
	}
}

func TestWebhookFailuresNeverFailTheCall(t *testing.T) {
	t.Run("a handler answering 500", func(t *testing.T) {
		rec := newHookReceiver(t, webhook.WithSecret("s"))
		rec.status = 500
		srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		require.NoError(t, err)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 500, d[0].StatusCode)
		assert.ErrorContains(t, d[0].Err, "500")
	})
	t.Run("a URL nobody listens on", func(t *testing.T) {
		closed := httptest.NewServer(http.NotFoundHandler())
		closed.Close()
		srv, client := hookServer(t, vapitest.WithWebhookSecret(closed.URL, "s"))
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		require.NoError(t, err)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 0, d[0].StatusCode)
		assert.Error(t, d[0].Err)
	})
	t.Run("a plan the server cannot sign with", func(t *testing.T) {
		rec := newHookReceiver(t, webhook.InsecureSkipVerify())
		srv, client := hookServer(t, vapitest.WithWebhookHMAC(rec.URL, vapi.HMACAuthenticationPlan{SecretKey: "k", Algorithm: "md5"}))
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		require.NoError(t, err)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.ErrorContains(t, d[0].Err, "md5")
		assert.Empty(t, rec.got(), "nothing unsigned is sent")
	})
	t.Run("a redirect is not followed", func(t *testing.T) {
		rec := newHookReceiver(t, webhook.WithSecret("s"))
		redirect := httptest.NewServer(http.RedirectHandler(rec.URL, http.StatusTemporaryRedirect))
		defer redirect.Close()
		srv, client := hookServer(t, vapitest.WithWebhookSecret(redirect.URL, "s"))
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		require.NoError(t, err)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 307, d[0].StatusCode)
		assert.Error(t, d[0].Err)
		assert.Empty(t, rec.got())
	})
}

func TestWebhookOnlyForChanges(t *testing.T) {
	rec := newHookReceiver(t, webhook.WithSecret("s"))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))
	ctx := context.Background()
	s, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{})
	require.NoError(t, err)
	_, err = client.Sessions.Get(ctx, s.ID)
	require.NoError(t, err)
	_, err = client.Sessions.List(ctx, nil)
	require.NoError(t, err)
	_, err = client.Sessions.Update(ctx, "00000000-0000-4000-8000-0000000000ff", &vapi.UpdateSessionRequest{Name: vapi.String("x")})
	require.Error(t, err, "an update of an unknown session fails")
	srv.Fail(vapitest.Failure{Status: 503})
	_, err = client.Sessions.Delete(ctx, s.ID)
	require.Error(t, err, "an injected failure fails")
	assert.Len(t, srv.WebhookDeliveries(), 1, "reads, failed and refused requests deliver nothing")
	assert.Len(t, rec.got(), 1)
}

func TestWebhookEveryURLGetsEveryMessage(t *testing.T) {
	plan := vapi.HMACAuthenticationPlan{SecretKey: "k", Algorithm: "sha256"}
	a := newHookReceiver(t, webhook.WithSecret("a"))
	b := newHookReceiver(t, webhook.WithHMAC(plan))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(a.URL, "a"), vapitest.WithWebhookHMAC(b.URL, plan))
	_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
	require.NoError(t, err)
	assert.Len(t, a.got(), 1)
	assert.Len(t, b.got(), 1)
	for _, d := range srv.WebhookDeliveries() {
		assert.NoError(t, d.Err)
	}
}

func TestWebhookHandlerMayCallTheServerBack(t *testing.T) {
	rec := newHookReceiver(t, webhook.WithSecret("s"))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))
	var seen []string
	rec.onMsg = func() {
		// A handler that reads the session back while the API call that
		// caused the message is still waiting for its answer.
		page, err := client.Sessions.List(context.Background(), nil)
		if assert.NoError(t, err) {
			for _, s := range page.Results {
				seen = append(seen, s.ID)
			}
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
		assert.NoError(t, err)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the API call and the handler deadlocked")
	}
	assert.Len(t, seen, 1, "the created session is visible to the handler")
	assert.Len(t, srv.WebhookDeliveries(), 1)
}

func TestWebhookDeliveriesAreCopies(t *testing.T) {
	rec := newHookReceiver(t, webhook.WithSecret("s"))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))
	_, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{})
	require.NoError(t, err)
	d := srv.WebhookDeliveries()
	d[0].Body[0] = 'X'
	d[0].Header.Set("X-Vapi-Secret", "changed")
	again := srv.WebhookDeliveries()
	assert.Equal(t, byte('{'), again[0].Body[0])
	assert.Equal(t, "s", again[0].Header.Get("X-Vapi-Secret"))
	plain := vapitest.NewServer()
	defer plain.Close()
	assert.Nil(t, plain.WebhookDeliveries(), "a server without webhook URLs records nothing")
}
