package vapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// failFirst answers the first n requests with fail and the rest with a
// session.
func failFirst(n int32, fail http.HandlerFunc) http.HandlerFunc {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			fail(w, r)
			return
		}
		reply(w, 201, testSessionJSON)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		t.Run(fmt.Sprintf("retries a %d and succeeds on a later attempt", status), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, failFirst(2, func(w http.ResponseWriter, r *http.Request) {
				reply(w, status, `{"message":"try again"}`)
			}))
			c := newTestClient(t, srv)
			var resp vapi.Response
			s, err := c.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{Name: vapi.String("support")}, vapi.WithResponseInto(&resp))
			require.NoError(t, err)
			assert.Equal(t, "sess-1", s.ID)
			assert.Equal(t, 3, srv.Count())
			assert.Equal(t, 3, resp.Attempts)
			for i, r := range srv.Requests() {
				assert.JSONEq(t, `{"name":"support"}`, string(r.Body), "attempt %d re-sends the body intact", i+1)
				assert.Equal(t, "Bearer "+testAPIKey, r.Header.Get("Authorization"))
			}
		})
	}

	for _, status := range []int{400, 401, 403, 404, 405, 409, 410, 413, 422, 501, 505} {
		t.Run(fmt.Sprintf("never retries a %d", status), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, status, `{"message":"no"}`)
			})
			c := newTestClient(t, srv)
			_, err := c.Sessions.Get(context.Background(), "sess-1")
			var apiErr *vapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, 1, srv.Count())
		})
	}

	t.Run("returns the last response as an APIError when retries run out", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-"+strconv.Itoa(int(n.Add(1))))
			reply(w, 503, `{"message":"attempt `+strconv.Itoa(int(n.Load()))+`","error":"Service Unavailable","statusCode":503}`)
		})
		c := newTestClient(t, srv, vapi.WithMaxRetries(3))
		var resp vapi.Response
		_, err := c.Sessions.Delete(context.Background(), "sess-1", vapi.WithResponseInto(&resp))
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		require.ErrorIs(t, err, vapi.ErrServer)
		assert.Equal(t, 4, srv.Count())
		assert.Equal(t, 4, resp.Attempts)
		assert.Equal(t, []string{"attempt 4"}, apiErr.Messages)
		assert.Equal(t, "req-4", apiErr.RequestID)
		assert.Equal(t, "vapi: DELETE /session/sess-1: 503 Service Unavailable: attempt 4 (request id req-4)", err.Error())
		assert.NotContains(t, err.Error(), "giving up")
	})

	t.Run("makes one attempt with WithMaxRetries(0)", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 500, `{}`) })
		c := newTestClient(t, srv, vapi.WithMaxRetries(0))
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.ErrorIs(t, err, vapi.ErrServer)
		assert.Equal(t, 1, srv.Count())
	})

	t.Run("does not retry a 2xx that does not decode", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `nope`) })
		c := newTestClient(t, srv)
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
		assert.Equal(t, 1, srv.Count())
	})
}

func TestConnectionErrorsAreRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		drop func(net.Conn)
	}{
		{"a connection closed before the response", func(c net.Conn) { _ = c.Close() }},
		{"a connection reset by the peer", func(c net.Conn) {
			_ = c.(*net.TCPConn).SetLinger(0) // close with RST
			_ = c.Close()
		}},
	}
	for _, tt := range tests {
		t.Run("retries "+tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					tt.drop(conn)
				}
			}))
			c := newTestClient(t, srv)
			var resp vapi.Response
			_, err := c.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{Name: vapi.String("x")}, vapi.WithResponseInto(&resp))
			require.NoError(t, err)
			assert.Equal(t, 2, srv.Count())
			assert.Equal(t, 2, resp.Attempts)
			for _, r := range srv.Requests() {
				assert.JSONEq(t, `{"name":"x"}`, string(r.Body))
			}
		})
	}

	t.Run("does not retry a response cut off in its body", func(t *testing.T) {
		// The status arrived, so the request may have taken effect: a
		// cut-off body is an error of the final response.
		t.Parallel()
		srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_, _ = conn.Write([]byte("HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\n{\"id\":"))
				_ = conn.Close()
			}
		}))
		c := newTestClient(t, srv)
		_, err := c.Sessions.Create(context.Background(), nil)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Contains(t, err.Error(), "vapi: POST /session: read response: ")
		assert.Equal(t, 1, srv.Count())
	})

	t.Run("gives up after the last attempt with the connection error", func(t *testing.T) {
		t.Parallel()
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(closedServerURL(t)),
			vapi.WithRetryWait(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		_, err = c.Sessions.Get(context.Background(), "sess-1")
		require.Error(t, err)
		var opErr *net.OpError
		assert.ErrorAs(t, err, &opErr)
		assert.Contains(t, err.Error(), "vapi: GET /session/sess-1: ")
		assert.Contains(t, err.Error(), "connection refused")
		assert.Contains(t, err.Error(), "(3 attempts)")
		assert.NotContains(t, err.Error(), "giving up")
	})
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	httpDate := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	t.Run("is honoured in seconds, over a longer backoff", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0")
			reply(w, 429, `{}`)
		}))
		c := newTestClient(t, srv, vapi.WithRetryWait(10*time.Second, 20*time.Second))
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.Less(t, time.Since(start), 2*time.Second, "waited Retry-After, not the backoff")
		assert.Equal(t, 2, srv.Count())
	})
	t.Run("is honoured in seconds, over a shorter backoff", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			reply(w, 503, `{}`)
		}))
		c := newTestClient(t, srv, vapi.WithRetryWait(time.Millisecond, 5*time.Second))
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), time.Second)
	})
	t.Run("is honoured as an HTTP date", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", httpDate(-time.Hour)) // in the past: retry now
			reply(w, 503, `{}`)
		}))
		c := newTestClient(t, srv, vapi.WithRetryWait(10*time.Second, 20*time.Second))
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		require.NoError(t, err)
		assert.Less(t, time.Since(start), 2*time.Second)
		assert.Equal(t, 2, srv.Count())
	})
	for _, tt := range []struct{ name, value string }{
		{"in seconds", "120"},
		{"as an HTTP date", httpDate(2 * time.Minute)},
	} {
		t.Run("beyond the maximum wait "+tt.name+" returns the APIError at once", func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.value)
				reply(w, 429, `{"message":"Too Many Requests","statusCode":429}`)
			})
			c := newTestClient(t, srv, vapi.WithRetryWait(time.Millisecond, time.Second))
			start := time.Now()
			_, err := c.Sessions.Get(context.Background(), "sess-1")
			assert.Less(t, time.Since(start), 500*time.Millisecond)
			require.ErrorIs(t, err, vapi.ErrRateLimited)
			var apiErr *vapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.InDelta(t, 120, apiErr.RetryAfter.Seconds(), 2)
			assert.Equal(t, 1, srv.Count())
		})
	}
}

func TestContextEndsTheCall(t *testing.T) {
	t.Parallel()
	// The budget for returning after the context ends. The contract says
	// 10 ms; the race detector and a loaded CI machine get some slack, which
	// is still far below the 2 s backoff a sleeping client would overrun by.
	const slack = 25 * time.Millisecond

	alwaysBusy := func(w http.ResponseWriter, r *http.Request) { reply(w, 503, `{}`) }
	t.Run("when its deadline passes in the middle of a backoff", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, alwaysBusy)
		c := newTestClient(t, srv, vapi.WithRetryWait(2*time.Second, 4*time.Second), vapi.WithTimeout(0))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		deadline, _ := ctx.Deadline()
		var resp vapi.Response
		_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
		overrun := time.Since(deadline)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		t.Logf("returned %v after the deadline", overrun)
		assert.Less(t, overrun, slack)
		assert.Equal(t, 1, srv.Count())
		assert.Equal(t, 1, resp.Attempts)
		assert.Equal(t, "vapi: GET /session/sess-1: context deadline exceeded", err.Error())
	})
	t.Run("when it is cancelled in the middle of a backoff", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, alwaysBusy)
		c := newTestClient(t, srv, vapi.WithRetryWait(2*time.Second, 4*time.Second))
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt atomic.Int64
		time.AfterFunc(100*time.Millisecond, func() {
			cancelledAt.Store(time.Now().UnixNano())
			cancel()
		})
		_, err := c.Sessions.Get(ctx, "sess-1")
		overrun := time.Since(time.Unix(0, cancelledAt.Load()))
		require.ErrorIs(t, err, context.Canceled)
		t.Logf("returned %v after the cancellation", overrun)
		assert.Less(t, overrun, slack)
	})
	t.Run("when WithTimeout expires in the middle of a backoff", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, alwaysBusy)
		c := newTestClient(t, srv, vapi.WithRetryWait(2*time.Second, 4*time.Second), vapi.WithTimeout(100*time.Millisecond))
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1")
		overrun := time.Since(start) - 100*time.Millisecond
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, overrun, slack)
	})
	t.Run("when WithTimeout expires while the server is thinking", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		})
		c := newTestClient(t, srv)
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1", vapi.WithTimeout(100*time.Millisecond))
		overrun := time.Since(start) - 100*time.Millisecond
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, overrun, slack)
		assert.Equal(t, 1, srv.Count(), "an attempt that runs out of time is not retried")
	})
	t.Run("when WithTimeout expires across several attempts", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, alwaysBusy)
		c := newTestClient(t, srv, vapi.WithMaxRetries(1000), vapi.WithRetryWait(20*time.Millisecond, 20*time.Millisecond))
		start := time.Now()
		_, err := c.Sessions.Get(context.Background(), "sess-1", vapi.WithTimeout(150*time.Millisecond))
		overrun := time.Since(start) - 150*time.Millisecond
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, overrun, slack)
		assert.Greater(t, srv.Count(), 2)
	})
	t.Run("before the first attempt when it has already ended", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Sessions.Get(ctx, "sess-1")
		require.ErrorIs(t, err, context.Canceled)
		assert.Zero(t, srv.Count())
		assert.False(t, errors.Is(err, vapi.ErrServer))
	})
}

func TestWithoutDuplicateCreates(t *testing.T) {
	t.Parallel()
	withRetryAfter := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0")
			reply(w, status, `{}`)
		}
	}
	plain := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { reply(w, status, `{}`) }
	}
	reset := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
		}
	}
	tests := []struct {
		name     string
		fail     http.HandlerFunc
		wantPOST int // requests a Create makes under the option
	}{
		{"retries a Create answered 429", plain(429), 2},
		{"retries a Create answered 503 with Retry-After", withRetryAfter(503), 2},
		{"does not retry a Create answered 503 without Retry-After", plain(503), 1},
		{"does not retry a Create answered 500", plain(500), 1},
		{"does not retry a Create answered 502", plain(502), 1},
		{"does not retry a Create answered 504", plain(504), 1},
		{"does not retry a Create answered 408", plain(408), 1},
		{"does not retry a Create whose connection was reset", reset, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, failFirst(1, tt.fail))
			c := newTestClient(t, srv, vapi.WithoutDuplicateCreates())
			_, err := c.Sessions.Create(context.Background(), nil)
			assert.Equal(t, tt.wantPOST, srv.Count())
			if tt.wantPOST == 2 {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			// Other methods are retried as usual under the option.
			srv2 := newTestServer(t, failFirst(1, tt.fail))
			_, err = newTestClient(t, srv2, vapi.WithoutDuplicateCreates()).Sessions.Update(context.Background(), "sess-1", nil)
			require.NoError(t, err)
			assert.Equal(t, 2, srv2.Count())
		})
	}
	t.Run("retries a Create that could not connect", func(t *testing.T) {
		t.Parallel()
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(closedServerURL(t)),
			vapi.WithRetryWait(time.Millisecond, time.Millisecond), vapi.WithoutDuplicateCreates())
		require.NoError(t, err)
		var resp vapi.Response
		_, err = c.Sessions.Create(context.Background(), nil, vapi.WithResponseInto(&resp))
		require.Error(t, err)
		assert.Equal(t, 3, resp.Attempts)
	})
}
