package vapi_test

import (
	"context"
	"net/http"
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
	}
	for _, tt := range tests {
		t.Run("NewClient accepts "+tt.name, func(t *testing.T) {
			_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), tt.opt)
			require.NoError(t, err)
		})
	}
}
