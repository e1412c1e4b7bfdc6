package vapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		name    string
		opt     vapi.Option
		wantErr string
	}{
		{"an empty API key", vapi.WithAPIKey(""), "key is empty"},
		{"an API key with a line break", vapi.WithAPIKey("sk-secret\r\nX-Evil: 1"), "control characters"},
		{"a nil HTTP client", vapi.WithHTTPClient(nil), "client is nil"},
		{"a negative timeout", vapi.WithTimeout(-time.Second), "must not be negative"},
		{"a negative number of retries", vapi.WithMaxRetries(-1), "must not be negative"},
		{"a negative minimum wait", vapi.WithRetryWait(-time.Second, time.Second), "0 ≤ min ≤ max"},
		{"a minimum wait above the maximum", vapi.WithRetryWait(2*time.Second, time.Second), "0 ≤ min ≤ max"},
		{"a nil logger", vapi.WithLogger(nil), "logger is nil"},
		{"a user agent with a line break", vapi.WithUserAgent("app\r\nX: y"), "line breaks"},
		{"an empty header name", vapi.WithHeader("", "v"), "invalid header name"},
		{"a header name with a colon", vapi.WithHeader("X-A:", "v"), "invalid header name"},
		{"a header value with a line break", vapi.WithHeader("X-A", "v\r\nX-B: w"), "line breaks"},
		{"an Authorization header", vapi.WithHeader("authorization", "Bearer other"), "WithAPIKey"},
		{"a User-Agent header", vapi.WithHeader("User-Agent", "x"), "WithUserAgent"},
		{"a nil response", vapi.WithResponseInto(nil), "response is nil"},
		{"a plain http base URL to a public host", vapi.WithBaseURL("http://api.vapi.ai"), "plain http"},
		{"a zero response size limit", vapi.WithMaxResponseBytes(0), "must be positive"},
		{"a negative response size limit", vapi.WithMaxResponseBytes(-1), "must be positive"},
		{"a negative stream idle timeout", vapi.WithStreamIdleTimeout(-time.Second), "must not be negative"},
	}
	for _, tt := range tests {
		t.Run("NewClient rejects "+tt.name, func(t *testing.T) {
			_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), tt.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "sk-secret")
		})
	}

	srv := newTestServer(t, sessionHandler(200))
	c := newTestClient(t, srv)
	for _, tt := range tests {
		t.Run("a call rejects "+tt.name+" and sends nothing", func(t *testing.T) {
			_, err := c.Sessions.Get(context.Background(), "sess-1", tt.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), "GET /session/sess-1")
			assert.Zero(t, srv.Count())
		})
	}
}

func TestValidOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  vapi.Option
	}{
		{"a zero timeout, which leaves only the context's", vapi.WithTimeout(0)},
		{"zero retries", vapi.WithMaxRetries(0)},
		{"equal minimum and maximum waits", vapi.WithRetryWait(time.Second, time.Second)},
		{"zero waits", vapi.WithRetryWait(0, 0)},
		{"an empty user agent", vapi.WithUserAgent("")},
		{"a header with an empty value", vapi.WithHeader("X-Empty", "")},
		{"a nil option", nil},
		{"an http client of the user's", vapi.WithHTTPClient(&http.Client{})},
		{"a one-byte response size limit", vapi.WithMaxResponseBytes(1)},
		{"a zero stream idle timeout, which leaves only the context's", vapi.WithStreamIdleTimeout(0)},
		{"no duplicate creates", vapi.WithoutDuplicateCreates()},
	}
	for _, tt := range tests {
		t.Run("NewClient accepts "+tt.name, func(t *testing.T) {
			_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), tt.opt)
			require.NoError(t, err)
		})
	}
}

func TestWithResponseIntoIsPerCallOnly(t *testing.T) {
	t.Run("NewClient refuses it", func(t *testing.T) {
		_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithResponseInto(&vapi.Response{}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "option of one call")
	})
	t.Run("a call takes it", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		var resp vapi.Response
		_, err := newTestClient(t, srv).Sessions.Get(context.Background(), "sess-1", vapi.WithResponseInto(&resp))
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
	})
}

func TestWithMaxResponseBytes(t *testing.T) {
	body := `{"id":"sess-1","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:05:42.119Z","name":"` + strings.Repeat("n", 2000) + `"}`
	tests := []struct {
		name     string
		limit    int64
		chunked  bool
		wantFail bool
	}{
		{"accepts a body of exactly the limit", int64(len(body)), false, false},
		{"refuses a body one byte over the limit", int64(len(body)) - 1, false, true},
		{"refuses a body over the limit without a Content-Length", int64(len(body)) - 1, true, true},
		{"accepts a body under the limit without a Content-Length", int64(len(body)), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				reply(w, 200, body)
			})
			c := newTestClient(t, srv)
			s, err := c.Sessions.Get(context.Background(), "sess-1", vapi.WithMaxResponseBytes(tt.limit))
			if !tt.wantFail {
				require.NoError(t, err)
				assert.Equal(t, "sess-1", s.ID)
				return
			}
			assert.Nil(t, s)
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), "larger than "+strconv.FormatInt(tt.limit, 10)+" bytes")
		})
	}
	t.Run("applies as a client default", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, body) })
		_, err := newTestClient(t, srv, vapi.WithMaxResponseBytes(100)).Sessions.Get(context.Background(), "sess-1")
		require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
	})
	t.Run("does not apply to error bodies, which are capped at 64 KiB", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			reply(w, 404, `{"message":"`+strings.Repeat("m", 500)+`"}`)
		})
		_, err := newTestClient(t, srv, vapi.WithMaxResponseBytes(100)).Sessions.Get(context.Background(), "sess-1")
		require.ErrorIs(t, err, vapi.ErrNotFound)
	})
}
