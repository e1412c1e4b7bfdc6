package vapi

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const streamTestKey = "sk-stream-test-0b1c2d3e4f"

// streamCall returns a POST /chat call against srv with the test key.
func streamCall(t *testing.T, srv *httptest.Server, opts ...Option) *call {
	t.Helper()
	c, err := NewClient(append([]Option{WithAPIKey(streamTestKey), WithBaseURL(srv.URL),
		WithRetryWait(time.Millisecond, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	cl, err := c.newCall(http.MethodPost, "/chat", nil)
	require.NoError(t, err)
	return cl
}

// sseServer sends the headers and a first event at once, then a second
// event after the given pause.
func sseServer(t *testing.T, pause time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-time.After(pause):
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "data: two\n\ndata: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStream(t *testing.T) {
	t.Run("returns the 2xx response with its body unread, to be read as it arrives", func(t *testing.T) {
		srv := sseServer(t, 50*time.Millisecond)
		cl := streamCall(t, srv)
		var resp Response
		cl.responseInto = &resp
		got, err := cl.stream(context.Background(), "", map[string]any{"stream": true}, "text/event-stream")
		require.NoError(t, err)
		defer got.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
		assert.Nil(t, resp.Body)
		r := bufio.NewReader(got.Body)
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "data: one\n", line)
		rest, err := io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, "\ndata: two\n\ndata: [DONE]\n\n", string(rest))
	})
	t.Run("lets WithTimeout bound only the wait for the headers", func(t *testing.T) {
		srv := sseServer(t, 300*time.Millisecond)
		cl := streamCall(t, srv, WithTimeout(100*time.Millisecond))
		got, err := cl.stream(context.Background(), "", nil, "text/event-stream")
		require.NoError(t, err)
		defer got.Body.Close()
		body, err := io.ReadAll(got.Body)
		require.NoError(t, err, "the body outlives WithTimeout")
		assert.Contains(t, string(body), "[DONE]")
	})
	t.Run("fails with DeadlineExceeded when the headers take longer than WithTimeout", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(srv.Close)
		cl := streamCall(t, srv, WithTimeout(100*time.Millisecond))
		start := time.Now()
		got, err := cl.stream(context.Background(), "", nil, "text/event-stream")
		assert.Nil(t, got)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), time.Second)
	})
	t.Run("lets the context bound the body", func(t *testing.T) {
		srv := sseServer(t, 5*time.Second)
		cl := streamCall(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		got, err := cl.stream(ctx, "", nil, "text/event-stream")
		require.NoError(t, err)
		defer got.Body.Close()
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err = io.ReadAll(got.Body)
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), time.Second)
	})
	t.Run("ends the request when the body is closed", func(t *testing.T) {
		ended := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			close(ended)
		}))
		t.Cleanup(srv.Close)
		got, err := streamCall(t, srv).stream(context.Background(), "", nil, "text/event-stream")
		require.NoError(t, err)
		require.NoError(t, got.Body.Close())
		select {
		case <-ended:
		case <-time.After(2 * time.Second):
			t.Fatal("the server still holds the request after Close")
		}
	})
	t.Run("retries before the headers and returns the final error status as an APIError", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(503)
			_, _ = io.WriteString(w, `{"message":"busy `+r.Header.Get("Authorization")+`"}`)
		}))
		t.Cleanup(srv.Close)
		got, err := streamCall(t, srv).stream(context.Background(), "", nil, "text/event-stream")
		assert.Nil(t, got)
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr))
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, int32(3), n.Load())
		assert.NotContains(t, err.Error(), streamTestKey)
	})
	t.Run("sends the Accept header it is given", func(t *testing.T) {
		var accept atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			accept.Store(r.Header.Get("Accept"))
		}))
		t.Cleanup(srv.Close)
		got, err := streamCall(t, srv).stream(context.Background(), "", nil, "text/event-stream")
		require.NoError(t, err)
		require.NoError(t, got.Body.Close())
		assert.Equal(t, "text/event-stream", accept.Load())
	})
	t.Run("keeps WithStreamIdleTimeout for the reader", func(t *testing.T) {
		srv := sseServer(t, 0)
		assert.Equal(t, DefaultStreamIdleTimeout, streamCall(t, srv).streamIdleTimeout)
		assert.Equal(t, 5*time.Second, streamCall(t, srv, WithStreamIdleTimeout(5*time.Second)).streamIdleTimeout)
	})
}
