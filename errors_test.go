package vapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestAPIErrorShapes(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		contentType  string
		body         string
		header       http.Header
		wantType     string
		wantMessages []string
		wantError    string
	}{
		{
			name:         "a NestJS body with a list of messages",
			status:       400,
			body:         `{"message":["property foo should not exist","name must be shorter than or equal to 40 characters"],"error":"Bad Request","statusCode":400}`,
			wantType:     "Bad Request",
			wantMessages: []string{"property foo should not exist", "name must be shorter than or equal to 40 characters"},
			wantError:    "vapi: POST /session: 400 Bad Request: property foo should not exist; name must be shorter than or equal to 40 characters",
		},
		{
			name:         "a NestJS body with a single message",
			status:       404,
			body:         `{"message":"Session not found","error":"Not Found","statusCode":404}`,
			wantType:     "Not Found",
			wantMessages: []string{"Session not found"},
			wantError:    "vapi: POST /session: 404 Not Found: Session not found",
		},
		{
			name:         "a NestJS body whose message repeats the status",
			status:       401,
			body:         `{"message":"Unauthorized","statusCode":401}`,
			wantType:     "Unauthorized",
			wantMessages: []string{"Unauthorized"},
			wantError:    "vapi: POST /session: 401 Unauthorized",
		},
		{
			name:        "a JSON body without message or error",
			status:      409,
			body:        `{"detail":"x"}`,
			wantType:    "Conflict",
			wantError:   "vapi: POST /session: 409 Conflict",
			contentType: "application/json",
		},
		{
			name:         "a message that is neither string nor list",
			status:       422,
			body:         `{"message":{"field":"name"},"error":"Unprocessable Entity"}`,
			wantType:     "Unprocessable Entity",
			wantMessages: []string{`{"field":"name"}`},
			wantError:    `vapi: POST /session: 422 Unprocessable Entity: {"field":"name"}`,
		},
		{
			name:         "an HTML page from a proxy",
			status:       502,
			contentType:  "text/html",
			body:         "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
			header:       http.Header{"Cf-Ray": {"8c1f2e3d4b5a6978-AMS"}},
			wantType:     "Bad Gateway",
			wantMessages: []string{"502 Bad Gateway"},
			wantError:    "vapi: POST /session: 502 Bad Gateway (request id 8c1f2e3d4b5a6978-AMS)",
		},
		{
			name:         "an HTML page with an informative title",
			status:       503,
			contentType:  "text/html",
			body:         "<!DOCTYPE html><html><head><TITLE>\n  Service   Unavailable &amp; under maintenance </TITLE></head></html>",
			wantType:     "Service Unavailable",
			wantMessages: []string{"Service Unavailable & under maintenance"},
			wantError:    "vapi: POST /session: 503 Service Unavailable: Service Unavailable & under maintenance",
		},
		{
			name:         "an HTML page without a title",
			status:       504,
			contentType:  "text/html",
			body:         "<html><body>\n<h1>Gateway   Timeout</h1><p>The upstream did not answer.</p></body></html>",
			wantType:     "Gateway Timeout",
			wantMessages: []string{"Gateway Timeout"},
			wantError:    "vapi: POST /session: 504 Gateway Timeout",
		},
		{
			name:         "a plain text body of several lines",
			status:       500,
			contentType:  "text/plain",
			body:         "\n  upstream connect error or disconnect/reset before headers  \nreset reason: overflow\n",
			wantType:     "Internal Server Error",
			wantMessages: []string{"upstream connect error or disconnect/reset before headers"},
			wantError:    "vapi: POST /session: 500 Internal Server Error: upstream connect error or disconnect/reset before headers",
		},
		{
			name:      "an empty body",
			status:    403,
			wantType:  "Forbidden",
			wantError: "vapi: POST /session: 403 Forbidden",
		},
		{
			name:         "a body with a request id header",
			status:       429,
			body:         `{"message":"Too many requests","statusCode":429}`,
			header:       http.Header{"X-Request-Id": {"req-9"}, "Cf-Ray": {"ray-1"}},
			wantType:     "Too Many Requests",
			wantMessages: []string{"Too many requests"},
			wantError:    "vapi: POST /session: 429 Too Many Requests: Too many requests (request id req-9)",
		},
	}
	for _, tt := range tests {
		t.Run("is built from "+tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				ct := tt.contentType
				if ct == "" && tt.body != "" {
					ct = "application/json"
				}
				if ct != "" {
					w.Header().Set("Content-Type", ct)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			c := newTestClient(t, srv, vapi.WithMaxRetries(0))
			_, err := c.Sessions.Create(context.Background(), nil)
			var apiErr *vapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantType, apiErr.Type)
			assert.Equal(t, tt.wantMessages, apiErr.Messages)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.Equal(t, tt.wantError, err.Error())
			assert.Equal(t, "POST", apiErr.Method)
			assert.Equal(t, "/session", apiErr.Path)
			assert.NotNil(t, apiErr.Header)
		})
	}

	t.Run("caps a huge body at 64 KiB", func(t *testing.T) {
		huge := strings.Repeat("x", 1<<20)
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, huge)
		})
		c := newTestClient(t, srv, vapi.WithMaxRetries(0))
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Len(t, apiErr.Body, 64<<10)
		require.Len(t, apiErr.Messages, 1)
		assert.Less(t, len(apiErr.Messages[0]), 300, "the message is short")
		assert.Less(t, len(err.Error()), 400)
	})
	t.Run("reads Retry-After into RetryAfter", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			reply(w, 429, `{"message":"slow down"}`)
		})
		c := newTestClient(t, srv, vapi.WithMaxRetries(0))
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 7*time.Second, apiErr.RetryAfter)
		assert.Equal(t, "vapi: GET /session/sess-1: 429 Too Many Requests: slow down (retry after 7s)", err.Error())
	})
}

func TestAPIErrorMatchesSentinels(t *testing.T) {
	sentinels := []error{
		vapi.ErrBadRequest, vapi.ErrUnauthorized, vapi.ErrForbidden, vapi.ErrNotFound,
		vapi.ErrConflict, vapi.ErrUnprocessable, vapi.ErrRateLimited, vapi.ErrServer,
		vapi.ErrUnexpectedResponse, vapi.ErrMissingAPIKey,
	}
	tests := []struct {
		status int
		want   error // nil: matches no sentinel
	}{
		{400, vapi.ErrBadRequest},
		{401, vapi.ErrUnauthorized},
		{403, vapi.ErrForbidden},
		{404, vapi.ErrNotFound},
		{409, vapi.ErrConflict},
		{422, vapi.ErrUnprocessable},
		{429, vapi.ErrRateLimited},
		{500, vapi.ErrServer},
		{501, vapi.ErrServer},
		{503, vapi.ErrServer},
		{599, vapi.ErrServer},
		{402, nil},
		{418, nil},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("a %d matches only %v", tt.status, tt.want)
		t.Run(name, func(t *testing.T) {
			var err error = fmt.Errorf("wrapped: %w", &vapi.APIError{StatusCode: tt.status})
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "errors.Is(%d, %v)", tt.status, s)
			}
		})
	}
}

func TestUnexpectedResponse(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        []string
	}{
		{"an HTML page with status 200", 200, "text/html", "<html><body>Welcome to nginx!</body></html>",
			[]string{"GET /session/sess-1", "200 OK", `Content-Type "text/html"`, `"<html><body>Welcome to nginx!</body></html>"`}},
		{"a truncated JSON body", 200, "application/json", `{"id":"sess-1","orgId":`,
			[]string{"200 OK", `"{\"id\":\"sess-1\",\"orgId\":"`, "end of"}},
		{"an empty body", 200, "application/json", "",
			[]string{"200 OK", `body ""`}},
		{"a long body, quoted only in part", 200, "text/plain", strings.Repeat("abcdefgh", 100),
			[]string{`"` + strings.Repeat("abcdefgh", 8) + `"…`}},
		{"a JSON value of the wrong shape", 200, "application/json", `["not","a","session"]`,
			[]string{"not a JSON object"}},
		{"a JSON object of the wrong shape", 200, "application/json", `{"id":["sess-1"]}`,
			[]string{"id", "array"}},
	}
	for _, tt := range tests {
		t.Run("is reported for "+tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			c := newTestClient(t, srv)
			s, err := c.Sessions.Get(context.Background(), "sess-1")
			assert.Nil(t, s)
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), want)
			}
			var apiErr *vapi.APIError
			assert.False(t, errors.As(err, &apiErr), "a 2xx is not an APIError")
			assert.Equal(t, 1, srv.Count(), "an undecodable 2xx is not retried")
		})
	}
}

// TestAPIKeyNeverLeaks points a client at servers that echo the
// Authorization header back in every place an error or log line could pick
// it up, and checks that the key shows up nowhere.
func TestAPIKeyNeverLeaks(t *testing.T) {
	echo := func(r *http.Request) string { return r.Header.Get("Authorization") }
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"in a NestJS message list", func(w http.ResponseWriter, r *http.Request) {
			reply(w, 400, `{"message":["bad token `+echo(r)+`"],"error":"Bad Request `+echo(r)+`"}`)
		}},
		{"in a NestJS message string", func(w http.ResponseWriter, r *http.Request) {
			reply(w, 401, `{"message":"invalid key `+echo(r)+`","statusCode":401}`)
		}},
		{"in an HTML title", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html><title>bad "+echo(r)+"</title></html>")
		}},
		{"in a plain text body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			_, _ = io.WriteString(w, echo(r)+"\n")
		}},
		{"in the request id header", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", echo(r))
			reply(w, 404, `{"message":"nope"}`)
		}},
		{"in an undecodable 2xx body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = io.WriteString(w, echo(r)+" is not JSON")
		}},
		{"in a header echoed on every attempt", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cf-Ray", echo(r))
			reply(w, 503, `{"message":"`+echo(r)+`"}`)
		}},
	}
	for _, tt := range tests {
		t.Run("even when the server echoes it "+tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handler)
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newTestClient(t, srv, vapi.WithLogger(logger))
			var resp vapi.Response
			_, err := c.Sessions.Get(context.Background(), "sess-1", vapi.WithResponseInto(&resp))
			require.Error(t, err)
			assert.NotContains(t, err.Error(), testAPIKey)
			assert.NotContains(t, fmt.Sprintf("%+v", err), testAPIKey)
			assert.NotContains(t, fmt.Sprintf("%#v", err), testAPIKey)
			assert.NotContains(t, logs.String(), testAPIKey)
			assert.NotContains(t, string(resp.Body), testAPIKey)
			var apiErr *vapi.APIError
			if errors.As(err, &apiErr) {
				assert.NotContains(t, string(apiErr.Body), testAPIKey)
				assert.NotContains(t, apiErr.RequestID, testAPIKey)
				assert.Contains(t, err.Error()+string(apiErr.Body), "[REDACTED]", "the echo is still visible as such")
			}
		})
	}
	t.Run("even when the connection fails", func(t *testing.T) {
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(closedServerURL(t)),
			vapi.WithRetryWait(0, 0), vapi.WithLogger(logger))
		require.NoError(t, err)
		_, err = c.Sessions.Create(context.Background(), nil)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), testAPIKey)
		assert.NotContains(t, logs.String(), testAPIKey)
		assert.Contains(t, logs.String(), "connection refused")
	})
}
