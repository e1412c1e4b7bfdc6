package vapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// testAPIKey is the key the test clients send. It is long and distinctive so
// that finding it in any output is a real leak, not a coincidence.
const testAPIKey = "sk-test-5f0c2a9e-1b7d-4c3e-8a6f-0d9e8b7c6a51"

// testSessionJSON is a small session as the API returns it.
const testSessionJSON = `{"id":"sess-1","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:05:42.119Z","name":"support","status":"active"}`

// recorded is one request as a test server saw it.
type recorded struct {
	Method     string
	RequestURI string
	Header     http.Header
	Body       []byte
}

// testServer is an httptest server on loopback that records every request
// and answers with the handler the test gives it.
type testServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
}

func (s *testServer) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

func (s *testServer) Count() int { return len(s.Requests()) }

func newTestServer(t testing.TB, h http.HandlerFunc) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.requests = append(ts.requests, recorded{r.Method, r.RequestURI, r.Header.Clone(), body})
		ts.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// newTestClient returns a client for srv with the test key and retry waits
// of a few milliseconds.
func newTestClient(t testing.TB, srv *testServer, opts ...vapi.Option) *vapi.Client {
	t.Helper()
	base := []vapi.Option{
		vapi.WithAPIKey(testAPIKey),
		vapi.WithBaseURL(srv.URL),
		vapi.WithRetryWait(time.Millisecond, 5*time.Millisecond),
	}
	c, err := vapi.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func sessionHandler(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { reply(w, status, testSessionJSON) }
}

func TestNewClient(t *testing.T) {
	t.Run("reads the API key and base URL from the environment", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		t.Setenv("VAPI_API_KEY", testAPIKey)
		t.Setenv("VAPI_BASE_URL", srv.URL)
		c, err := vapi.NewClient()
		require.NoError(t, err)
		_, err = c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		require.Equal(t, 1, srv.Count())
		assert.Equal(t, "Bearer "+testAPIKey, srv.Requests()[0].Header.Get("Authorization"))
	})
	t.Run("prefers options to the environment", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		t.Setenv("VAPI_API_KEY", "sk-from-env")
		t.Setenv("VAPI_BASE_URL", "http://127.0.0.1:1")
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(srv.URL))
		require.NoError(t, err)
		_, err = c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.Equal(t, "Bearer "+testAPIKey, srv.Requests()[0].Header.Get("Authorization"))
	})
	t.Run("fails with ErrMissingAPIKey when neither option nor environment gives a key", func(t *testing.T) {
		t.Setenv("VAPI_API_KEY", "")
		_, err := vapi.NewClient()
		require.ErrorIs(t, err, vapi.ErrMissingAPIKey)
		assert.Contains(t, err.Error(), "VAPI_API_KEY")
	})
	t.Run("rejects an invalid base URL from the environment", func(t *testing.T) {
		t.Setenv("VAPI_BASE_URL", "http://api.example.com")
		_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "VAPI_BASE_URL")
	})
	t.Run("ignores an invalid environment base URL when WithBaseURL is given", func(t *testing.T) {
		t.Setenv("VAPI_BASE_URL", "http://api.example.com")
		_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL("https://api.vapi.ai"))
		require.NoError(t, err)
	})
	t.Run("defaults the base URL to https://api.vapi.ai", func(t *testing.T) {
		t.Setenv("VAPI_BASE_URL", "")
		var got string
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(testSessionJSON)), Request: r}, nil
		})}
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.Equal(t, "https://api.vapi.ai/session/sess-1", got)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBaseURLRules(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{"accepts https to any host", "https://api.vapi.ai", ""},
		{"accepts https with a path prefix", "https://proxy.example.com/vapi/", ""},
		{"accepts plain http to localhost", "http://localhost:8080", ""},
		{"accepts plain http to 127.0.0.1", "http://127.0.0.1:8080", ""},
		{"accepts plain http to anywhere in 127.0.0.0/8", "http://127.1.2.3", ""},
		{"accepts plain http to ::1", "http://[::1]:8080", ""},
		{"rejects plain http to a public host", "http://api.vapi.ai", "plain http"},
		{"rejects plain http to a private address", "http://10.0.0.1", "plain http"},
		{"rejects plain http to a host that only starts like localhost", "http://localhost.example.com", "plain http"},
		{"rejects an unparsable URL", "http://[::1", "missing ']'"},
		{"rejects a URL without a scheme", "api.vapi.ai", "scheme"},
		{"rejects another scheme", "ftp://api.vapi.ai", "scheme"},
		{"rejects a URL without a host", "https://", "no host"},
		{"rejects a URL with a query", "https://api.vapi.ai?x=1", "query"},
		{"rejects a URL with credentials", "https://user:pw@api.vapi.ai", "credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(tt.url))
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "pw@", "credentials are not echoed")
		})
	}

	t.Run("keeps a base path and drops its trailing slash", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv, vapi.WithBaseURL(srv.URL+"/vapi/"))
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.Equal(t, "/vapi/session/sess-1", srv.Requests()[0].RequestURI)
	})
}

func TestRequestHeaders(t *testing.T) {
	srv := newTestServer(t, sessionHandler(200))
	c := newTestClient(t, srv, vapi.WithUserAgent("myapp/1.2"), vapi.WithHeader("X-Team", "voice"), vapi.WithHeader("x-trace", "client"))
	ctx := context.Background()

	_, err := c.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("a")}, vapi.WithHeader("X-Trace", "call"))
	require.NoError(t, err)
	_, err = c.Sessions.Get(ctx, "sess-1")
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	post, get := reqs[0].Header, reqs[1].Header
	t.Run("sends the key as a bearer token", func(t *testing.T) {
		assert.Equal(t, "Bearer "+testAPIKey, post.Get("Authorization"))
		assert.Equal(t, "Bearer "+testAPIKey, get.Get("Authorization"))
	})
	t.Run("accepts JSON", func(t *testing.T) {
		assert.Equal(t, "application/json", post.Get("Accept"))
		assert.Equal(t, "application/json", get.Get("Accept"))
	})
	t.Run("declares a JSON body only when there is one", func(t *testing.T) {
		assert.Equal(t, "application/json", post.Get("Content-Type"))
		assert.Empty(t, get.Get("Content-Type"))
	})
	t.Run("appends the user's agent to the SDK's", func(t *testing.T) {
		assert.Equal(t, "vapi-go/"+vapi.Version+" myapp/1.2", post.Get("User-Agent"))
	})
	t.Run("sends extra headers, a call's overriding the client's", func(t *testing.T) {
		assert.Equal(t, "voice", post.Get("X-Team"))
		assert.Equal(t, []string{"call"}, post.Values("X-Trace"))
		assert.Equal(t, []string{"client"}, get.Values("X-Trace"))
	})
	t.Run("sends the SDK's own user agent without WithUserAgent", func(t *testing.T) {
		plain := newTestClient(t, srv)
		_, err := plain.Sessions.Get(ctx, "sess-1")
		require.NoError(t, err)
		reqs := srv.Requests()
		assert.Equal(t, "vapi-go/"+vapi.Version, reqs[len(reqs)-1].Header.Get("User-Agent"))
	})
}

func TestPerCallOptionsOverrideClientOptions(t *testing.T) {
	ctx := context.Background()

	t.Run("WithMaxRetries", func(t *testing.T) {
		var n atomic.Int32
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				reply(w, 503, `{"message":"busy","statusCode":503}`)
				return
			}
			reply(w, 200, testSessionJSON)
		})
		c := newTestClient(t, srv, vapi.WithMaxRetries(0))
		_, err := c.Sessions.Get(ctx, "sess-1")
		require.ErrorIs(t, err, vapi.ErrServer)
		assert.Equal(t, 1, srv.Count(), "the client's default allows no retry")
		_, err = c.Sessions.Get(ctx, "sess-1", vapi.WithMaxRetries(2))
		require.NoError(t, err)
		assert.Equal(t, 3, srv.Count(), "the call allows two retries")
	})
	t.Run("WithAPIKey and WithBaseURL", func(t *testing.T) {
		first := newTestServer(t, sessionHandler(200))
		second := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, first)
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithBaseURL(second.URL), vapi.WithAPIKey("sk-other-key-1234"))
		require.NoError(t, err)
		assert.Equal(t, 0, first.Count())
		require.Equal(t, 1, second.Count())
		assert.Equal(t, "Bearer sk-other-key-1234", second.Requests()[0].Header.Get("Authorization"))
	})
	t.Run("WithUserAgent", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv, vapi.WithUserAgent("app/1"))
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithUserAgent("job/7"))
		require.NoError(t, err)
		assert.Equal(t, "vapi-go/"+vapi.Version+" job/7", srv.Requests()[0].Header.Get("User-Agent"))
	})
	t.Run("WithHTTPClient", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv)
		var used atomic.Bool
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			used.Store(true)
			return http.DefaultTransport.RoundTrip(r)
		})}
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithHTTPClient(hc))
		require.NoError(t, err)
		assert.True(t, used.Load())
	})
	t.Run("WithTimeout", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		})
		c := newTestClient(t, srv, vapi.WithTimeout(10*time.Second))
		start := time.Now()
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithTimeout(50*time.Millisecond))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), time.Second)
	})
	t.Run("does not change the client's defaults", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv)
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithHeader("X-Once", "1"), vapi.WithUserAgent("once/1"))
		require.NoError(t, err)
		_, err = c.Sessions.Get(ctx, "sess-1")
		require.NoError(t, err)
		second := srv.Requests()[1].Header
		assert.Empty(t, second.Get("X-Once"))
		assert.Equal(t, "vapi-go/"+vapi.Version, second.Get("User-Agent"))
	})
}

func TestWithResponseInto(t *testing.T) {
	ctx := context.Background()
	t.Run("holds the final response of a successful call", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-42")
			reply(w, 201, testSessionJSON)
		})
		c := newTestClient(t, srv)
		var resp vapi.Response
		_, err := c.Sessions.Create(ctx, nil, vapi.WithResponseInto(&resp))
		require.NoError(t, err)
		assert.Equal(t, 201, resp.StatusCode)
		assert.Equal(t, "req-42", resp.RequestID)
		assert.Equal(t, "req-42", resp.Header.Get("X-Request-Id"))
		assert.Equal(t, 1, resp.Attempts)
		assert.JSONEq(t, testSessionJSON, string(resp.Body))
	})
	t.Run("counts the attempts of a retried call", func(t *testing.T) {
		var n atomic.Int32
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				reply(w, 502, `{}`)
				return
			}
			reply(w, 200, testSessionJSON)
		})
		c := newTestClient(t, srv)
		var resp vapi.Response
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("holds the final response of a failed call", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("CF-Ray", "ray-7")
			reply(w, 404, `{"message":"Session not found","error":"Not Found","statusCode":404}`)
		})
		c := newTestClient(t, srv)
		var resp vapi.Response
		_, err := c.Sessions.Get(ctx, "nope", vapi.WithResponseInto(&resp))
		require.ErrorIs(t, err, vapi.ErrNotFound)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "ray-7", resp.RequestID)
		assert.Equal(t, 1, resp.Attempts)
		assert.Contains(t, string(resp.Body), "Session not found")
	})
	t.Run("counts the attempts of a call that never got a response", func(t *testing.T) {
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(closedServerURL(t)),
			vapi.WithRetryWait(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		var resp vapi.Response
		_, err = c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
		require.Error(t, err)
		assert.Equal(t, 3, resp.Attempts)
		assert.Zero(t, resp.StatusCode)
	})
}

// closedServerURL returns the URL of a loopback port that refuses
// connections.
func closedServerURL(t testing.TB) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

func TestLogger(t *testing.T) {
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", n.Add(1)))
		if n.Load() == 1 {
			reply(w, 500, `{"message":"boom"}`)
			return
		}
		reply(w, 200, testSessionJSON)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, srv, vapi.WithLogger(logger))
	_, err := c.Sessions.Get(context.Background(), "sess-1")
	require.NoError(t, err)

	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		lines = append(lines, m)
	}
	t.Run("writes one debug record per attempt", func(t *testing.T) {
		require.Len(t, lines, 2)
		for i, m := range lines {
			assert.Equal(t, "DEBUG", m["level"])
			assert.Equal(t, "GET", m["method"])
			assert.Equal(t, "/session/sess-1", m["path"])
			assert.EqualValues(t, i+1, m["attempt"])
			assert.Equal(t, fmt.Sprintf("req-%d", i+1), m["request_id"])
			assert.Contains(t, m, "duration")
		}
		assert.EqualValues(t, 500, lines[0]["status"])
		assert.EqualValues(t, 200, lines[1]["status"])
	})
	t.Run("never logs the API key", func(t *testing.T) {
		assert.NotContains(t, buf.String(), testAPIKey)
	})
	t.Run("logs nothing at info level", func(t *testing.T) {
		var quiet bytes.Buffer
		_, err := c.Sessions.Get(context.Background(), "sess-1",
			vapi.WithLogger(slog.New(slog.NewTextHandler(&quiet, &slog.HandlerOptions{Level: slog.LevelInfo}))))
		require.NoError(t, err)
		assert.Empty(t, quiet.String())
	})
}

func TestConcurrentUse(t *testing.T) {
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if k := n.Add(1); k%5 == 0 && k <= 40 { // at most 8 failures: fewer than one call's 11 attempts
			reply(w, 503, `{"message":"busy"}`)
			return
		}
		body := testSessionJSON
		if r.Method == http.MethodGet && r.URL.Path == "/session" {
			body = `{"results":[` + testSessionJSON + `],"metadata":{"itemsPerPage":1,"totalItems":1,"currentPage":1}}`
		}
		reply(w, 200, body)
	})
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, srv, vapi.WithMaxRetries(10), vapi.WithLogger(logger))

	var wg sync.WaitGroup
	errs := make(chan error, 64*10)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range 10 {
				var err error
				var resp vapi.Response
				switch (g + i) % 4 {
				case 0:
					_, err = c.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("n")}, vapi.WithHeader("X-G", fmt.Sprint(g)))
				case 1:
					_, err = c.Sessions.Get(ctx, fmt.Sprintf("s-%d", g), vapi.WithResponseInto(&resp))
				case 2:
					_, err = c.Sessions.List(ctx, &vapi.ListSessionsParams{Limit: vapi.Int(1)}, vapi.WithRetryWait(0, time.Millisecond))
				case 3:
					_, err = c.Sessions.Update(ctx, "s", &vapi.UpdateSessionRequest{Status: vapi.SessionStatusCompleted})
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.NotContains(t, logs.String(), testAPIKey)
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestNoGoroutinesLeftBehind(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/session/flaky" {
			reply(w, 503, `{}`)
			return
		}
		reply(w, 200, testSessionJSON)
	})
	c := newTestClient(t, srv)
	ctx := context.Background()
	// Warm up once so that lazily started runtime and server goroutines are
	// counted in the baseline.
	_, err := c.Sessions.Get(ctx, "sess-1")
	require.NoError(t, err)
	c.CloseIdleConnections()
	before := settledGoroutines(-1)

	for range 20 {
		_, err := c.Sessions.Get(ctx, "sess-1")
		require.NoError(t, err)
		_, err = c.Sessions.Get(ctx, "flaky")
		require.Error(t, err)
		_, err = c.Sessions.Get(ctx, "sess-1", vapi.WithMaxRetries(1))
		require.NoError(t, err)
		cctx, cancel := context.WithTimeout(ctx, time.Millisecond)
		_, _ = c.Sessions.Get(cctx, "flaky", vapi.WithRetryWait(time.Second, time.Second))
		cancel()
	}
	c.CloseIdleConnections()
	after := settledGoroutines(before)
	if after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before, %d after the client went idle:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// settledGoroutines waits up to a second for the goroutine count to fall to
// target (with a negative target, to stop falling), and returns it.
func settledGoroutines(target int) int {
	deadline := time.Now().Add(time.Second)
	last := runtime.NumGoroutine()
	for {
		time.Sleep(10 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n <= target || (target < 0 && n >= last) || time.Now().After(deadline) {
			return n
		}
		last = n
	}
}

func TestNilContextIsAnError(t *testing.T) {
	srv := newTestServer(t, sessionHandler(200))
	c := newTestClient(t, srv)
	//lint:ignore SA1012 the point is a nil context
	_, err := c.Sessions.Get(nil, "sess-1") //nolint:staticcheck
	require.Error(t, err)
	assert.Zero(t, srv.Count())
	assert.False(t, errors.Is(err, vapi.ErrNotFound))
}
