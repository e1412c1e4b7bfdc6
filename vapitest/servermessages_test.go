package vapitest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
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

// rawReceiver is a loopback server that keeps the requests it got and
// answers each with status and answer.
type rawReceiver struct {
	URL string

	mu      sync.Mutex
	headers []http.Header
	bodies  []string
	status  int
	answer  string
}

func newRawReceiver(t *testing.T, status int, answer string) *rawReceiver {
	t.Helper()
	rec := &rawReceiver{status: status, answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.bodies = append(rec.bodies, string(body))
		rec.mu.Unlock()
		w.WriteHeader(rec.status)
		_, _ = io.WriteString(w, rec.answer)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL + "/tools?x=1"
	return rec
}

// testHMAC is the signature of payload with key, written here rather than
// taken from package webhook or vapitest.
func testHMAC(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}

var sampleMessage = &vapi.ServerMessageChatDeleted{Chat: vapi.Chat{ID: "chat-1", OrgID: "org-1"}}

const sampleBody = `{"message":{"type":"chat.deleted","chat":{"id":"chat-1","orgId":"org-1"`

func TestSendServerMessagePostsTheMessageAndReturnsTheAnswer(t *testing.T) {
	rec := newRawReceiver(t, 200, `{"results":[]}`)
	srv := vapitest.NewServer()
	defer srv.Close()

	answer, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
	require.NoError(t, err)
	assert.Equal(t, `{"results":[]}`, string(answer))
	require.Len(t, rec.bodies, 1)
	assert.True(t, strings.HasPrefix(rec.bodies[0], sampleBody), "the body is {\"message\": msg}: %s", rec.bodies[0])
	assert.Empty(t, rec.headers[0].Get("X-Vapi-Secret"), "a URL without an option gets no credential")
	assert.Empty(t, rec.headers[0].Get("X-Signature"))

	d := srv.WebhookDeliveries()
	require.Len(t, d, 1, "the delivery is recorded")
	assert.Equal(t, rec.URL, d[0].URL)
	assert.Equal(t, "chat.deleted", d[0].Type)
	assert.Equal(t, 200, d[0].StatusCode)
	assert.Equal(t, `{"results":[]}`, string(d[0].Response))
	assert.NoError(t, d[0].Err)
}

func TestSendServerMessageSignsAsTheURLsOptionSays(t *testing.T) {
	secretBytes := []byte("\xfb\xff\xfe binary key \xfa")
	forms := []struct {
		name   string
		secret string
	}{
		{"a standard base64 secret", base64.StdEncoding.EncodeToString(secretBytes)},
		{"an unpadded standard base64 secret", base64.RawStdEncoding.EncodeToString(secretBytes)},
		{"a base64url secret", base64.URLEncoding.EncodeToString(secretBytes)},
		{"an unpadded base64url secret", base64.RawURLEncoding.EncodeToString(secretBytes)},
	}
	for _, f := range forms {
		t.Run(f.name+" signs with the decoded key", func(t *testing.T) {
			plan := vapi.HMACAuthenticationPlan{SecretKey: f.secret, SecretIsBase64: vapi.Bool(true), Algorithm: "sha256"}
			rec := newRawReceiver(t, 200, "{}")
			srv := vapitest.NewServer(vapitest.WithWebhookHMAC(rec.URL, plan))
			defer srv.Close()
			_, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
			require.NoError(t, err)
			require.Len(t, rec.headers, 1)
			ts := rec.headers[0].Get("X-Timestamp")
			require.NotEmpty(t, ts)
			assert.Equal(t, testHMAC(secretBytes, ts+"."+rec.bodies[0]), rec.headers[0].Get("X-Signature"))

			// And package webhook agrees.
			r := httptest.NewRequest(http.MethodPost, rec.URL, strings.NewReader(rec.bodies[0]))
			r.Header = rec.headers[0]
			assert.NoError(t, webhook.Verify(r, []byte(rec.bodies[0]), webhook.WithHMAC(plan)))
		})
	}
	t.Run("a secret option sends X-Vapi-Secret", func(t *testing.T) {
		rec := newRawReceiver(t, 200, "{}")
		srv := vapitest.NewServer(vapitest.WithWebhookSecret(rec.URL, "tool-secret"))
		defer srv.Close()
		_, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
		require.NoError(t, err)
		assert.Equal(t, "tool-secret", rec.headers[0].Get("X-Vapi-Secret"))
	})
	t.Run("a secret and a plan for one URL are both sent, in one request", func(t *testing.T) {
		rec := newRawReceiver(t, 200, "{}")
		plan := vapi.HMACAuthenticationPlan{SecretKey: "k", Algorithm: "sha256"}
		srv := vapitest.NewServer(vapitest.WithWebhookSecret(rec.URL, "s"), vapitest.WithWebhookHMAC(rec.URL, plan))
		defer srv.Close()
		_, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
		require.NoError(t, err)
		require.Len(t, rec.headers, 1)
		r := httptest.NewRequest(http.MethodPost, rec.URL, strings.NewReader(rec.bodies[0]))
		r.Header = rec.headers[0]
		assert.NoError(t, webhook.Verify(r, []byte(rec.bodies[0]), webhook.WithSecret("s"), webhook.WithHMAC(plan)))
	})
	t.Run("an option for another URL is not used", func(t *testing.T) {
		rec := newRawReceiver(t, 200, "{}")
		srv := vapitest.NewServer(vapitest.WithWebhookSecret(rec.URL+"&other=1", "s"))
		defer srv.Close()
		_, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
		require.NoError(t, err)
		assert.Empty(t, rec.headers[0].Get("X-Vapi-Secret"))
	})
}

func TestSendServerMessageFailures(t *testing.T) {
	t.Run("a status other than 2xx is an error, recorded with the answer", func(t *testing.T) {
		rec := newRawReceiver(t, 401, "Unauthorized\n")
		srv := vapitest.NewServer()
		defer srv.Close()
		answer, err := srv.SendServerMessage(context.Background(), rec.URL, sampleMessage)
		assert.ErrorContains(t, err, "401 Unauthorized")
		assert.Nil(t, answer)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 401, d[0].StatusCode)
		assert.Equal(t, "Unauthorized\n", string(d[0].Response))
	})
	t.Run("a cancelled context is an error and sends nothing", func(t *testing.T) {
		rec := newRawReceiver(t, 200, "{}")
		srv := vapitest.NewServer()
		defer srv.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := srv.SendServerMessage(ctx, rec.URL, sampleMessage)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, rec.bodies)
	})
	t.Run("a slow receiver is cut off by the context", func(t *testing.T) {
		block := make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
		defer slow.Close()
		defer close(block)
		srv := vapitest.NewServer()
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := srv.SendServerMessage(ctx, slow.URL, sampleMessage)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("a nil message is an error", func(t *testing.T) {
		srv := vapitest.NewServer()
		defer srv.Close()
		_, err := srv.SendServerMessage(context.Background(), "http://127.0.0.1:1/", nil)
		assert.ErrorContains(t, err, "nil")
	})
	t.Run("an unknown message with a Raw that is not JSON is an error", func(t *testing.T) {
		srv := vapitest.NewServer()
		defer srv.Close()
		_, err := srv.SendServerMessage(context.Background(), "http://127.0.0.1:1/", &vapi.UnknownServerMessage{Type: "x", Raw: []byte("{")})
		assert.ErrorContains(t, err, "does not encode")
	})
}

func TestWebhookDeliveriesAreBounded(t *testing.T) {
	t.Parallel()
	t.Run("by count", func(t *testing.T) {
		t.Parallel()
		rec := newRawReceiver(t, 200, "{}")
		srv := vapitest.NewServer()
		defer srv.Close()
		for i := 0; i < vapitest.MaxRecordedRequests+3; i++ {
			_, err := srv.SendServerMessage(context.Background(), rec.URL, &vapi.ServerMessageChatDeleted{Chat: vapi.Chat{ID: "chat-" + strings.Repeat("x", i%7)}})
			require.NoError(t, err)
		}
		d := srv.WebhookDeliveries()
		assert.Len(t, d, vapitest.MaxRecordedRequests, "the oldest deliveries are forgotten")
		assert.Contains(t, string(d[0].Body), `"chat-xxx"`, "the first kept is the fourth sent")
	})
	t.Run("by size", func(t *testing.T) {
		t.Parallel()
		rec := newRawReceiver(t, 200, "{}")
		srv := vapitest.NewServer()
		defer srv.Close()
		big := &vapi.UnknownServerMessage{Type: "x", Raw: []byte(`{"type":"x","pad":"` + strings.Repeat("b", 10<<20) + `"}`)}
		for i := 0; i < 4; i++ {
			_, err := srv.SendServerMessage(context.Background(), rec.URL, big)
			require.NoError(t, err)
		}
		d := srv.WebhookDeliveries()
		assert.Len(t, d, 3, "four 10 MiB bodies do not fit in 32 MiB")
	})
}
