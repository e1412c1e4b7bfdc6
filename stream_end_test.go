package vapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// Tests of how streams end: at [DONE] without waiting for the server, by
// the idle timer counted from the last event the caller saw, and with an
// error when a 2xx stream carries nothing.

// holdOpen answers with body as a text/event-stream, flushed, and then
// keeps the connection open until the client goes away (at most hold).
func holdOpen(body string, hold time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, body)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(hold):
		}
	}
}

// doneLatency reads a stream whose server keeps the connection open after
// [DONE] and returns how long the Next that meets [DONE] took.
func doneLatency(t testing.TB, c *vapi.Client) time.Duration {
	s, err := c.Chats.Stream(context.Background(), chatReq)
	require.NoError(t, err)
	defer s.Close()
	require.True(t, s.Next())
	start := time.Now()
	more := s.Next()
	took := time.Since(start)
	require.False(t, more)
	require.NoError(t, s.Err())
	return took
}

func TestStreamEndsAtDoneAtOnce(t *testing.T) {
	const hold = 3 * time.Second
	body := chatEvent("chat-1", "Hi") + "data: [DONE]\n\n"
	t.Run("Next returns false at [DONE] although the server keeps the connection open", func(t *testing.T) {
		c := streamServer(t, holdOpen(body, hold))
		var worst time.Duration
		for range 5 {
			worst = max(worst, doneLatency(t, c))
		}
		t.Logf("[DONE] to Next()==false, worst of 5: %v", worst)
		assert.Less(t, worst, 100*time.Millisecond)
	})
	t.Run("a ResponseStream returns false at [DONE] at once too", func(t *testing.T) {
		c := streamServer(t, holdOpen(`data: {"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"Hi"}`+"\n\ndata: [DONE]\n\n", hold))
		s, err := c.Chats.StreamResponse(context.Background(), &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")})
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		start := time.Now()
		assert.False(t, s.Next())
		assert.Less(t, time.Since(start), 100*time.Millisecond)
		assert.NoError(t, s.Err())
	})
	t.Run("closing a stream that ended at [DONE] on a held connection returns at once and leaves no goroutine", func(t *testing.T) {
		c := streamServer(t, holdOpen(body, hold))
		check := goroutineCheck(t)
		for range 3 {
			s, err := c.Chats.Stream(context.Background(), chatReq)
			require.NoError(t, err)
			readChat(s)
			start := time.Now()
			require.NoError(t, s.Close())
			assert.Less(t, time.Since(start), 100*time.Millisecond)
			assert.NoError(t, s.Err())
		}
		c.CloseIdleConnections()
		check()
	})
}

// BenchmarkStreamDone measures the time from [DONE] to Next()==false when
// the server keeps the connection open after it.
func BenchmarkStreamDone(b *testing.B) {
	c := streamServer(&testing.T{}, holdOpen(chatEvent("chat-1", "Hi")+"data: [DONE]\n\n", 5*time.Second))
	var total time.Duration
	for range b.N {
		total += doneLatency(b, c)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/done")
}

func TestStreamIdleTimeoutCountsFromTheLastEventSeen(t *testing.T) {
	const idle = 200 * time.Millisecond
	// noise sends, every 20 ms for 3 s, something the caller never sees.
	noise := func(chunk string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, chatEvent("chat-1", "first"))
			w.(http.Flusher).Flush()
			for stop := time.Now().Add(3 * time.Second); time.Now().Before(stop) && r.Context().Err() == nil; {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		}
	}
	tests := []struct {
		name  string
		chunk string
	}{
		{"events of an unknown type do not hold Next past the idle timeout", "event: ping\ndata: {\"t\":1}\n\n"},
		{"comments do not hold Next past the idle timeout", ": keep-alive\n\n"},
		{"events with empty data do not hold Next past the idle timeout", "data:\n\n"},
		{"events with only an id do not hold Next past the idle timeout", "id: 7\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := streamServer(t, noise(tt.chunk))
			s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithStreamIdleTimeout(idle))
			require.NoError(t, err)
			defer s.Close()
			require.True(t, s.Next())
			start := time.Now()
			assert.False(t, s.Next())
			took := time.Since(start)
			t.Logf("Next returned after %v", took)
			assert.Less(t, took, 3*idle, "the idle timer bounds the wait for an event the caller sees")
			require.Error(t, s.Err())
			assert.ErrorIs(t, s.Err(), os.ErrDeadlineExceeded)
			assert.Contains(t, s.Err().Error(), "WithStreamIdleTimeout")
		})
	}
	t.Run("events the caller sees keep a slow stream going", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			for i := range 6 {
				_, _ = io.WriteString(w, chatEvent("chat-1", fmt.Sprint(i)))
				w.(http.Flusher).Flush()
				time.Sleep(idle / 2)
			}
			_, _ = io.WriteString(w, "data: [DONE]\n\n")
		})
		s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithStreamIdleTimeout(idle))
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []string{"0", "1", "2", "3", "4", "5"}, readChat(s))
		assert.NoError(t, s.Err())
	})
}

func TestStreamWithNothingInItIsAnError(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr bool
	}{
		{"an empty 2xx body is an unexpected response", "", true},
		{"a body of only comments and keep-alives is an unexpected response", ": hi\n\ndata:\n\n: bye\n\n", true},
		{"a body of only unknown events is an unexpected response for a chat stream", "event: ping\ndata: {}\n\n", true},
		{"a body of only [DONE] is a clean, empty stream", "data: [DONE]\n\n", false},
		{"a body with one event and no [DONE] ends cleanly", chatEvent("chat-1", "Hi"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := streamServer(t, rawStream(tt.body))
			s, err := c.Chats.Stream(context.Background(), chatReq)
			require.NoError(t, err)
			defer s.Close()
			readChat(s)
			if !tt.wantErr {
				assert.NoError(t, s.Err())
				return
			}
			require.Error(t, s.Err())
			assert.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
			assert.Contains(t, s.Err().Error(), "[DONE]")
		})
	}
	t.Run("an empty 2xx body is an unexpected response for a ResponseStream too", func(t *testing.T) {
		c := streamServer(t, rawStream(": nothing\n\n"))
		s, err := c.Chats.StreamResponse(context.Background(), &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")})
		require.NoError(t, err)
		defer s.Close()
		assert.False(t, s.Next())
		assert.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
	})
}

func TestResponseErrorEventMessageIsCapped(t *testing.T) {
	huge := strings.Repeat("x", 900<<10)
	tests := []struct {
		name, code, message string
		want                string
	}{
		{"a 900 KB message is capped in Err", "server_error", huge, "server_error: xxxx"},
		{"control characters in the message and code are escaped", "bad\ncode", "line\nforged\x1b[2K", `bad\ncode: line\nforged\x1b[2K`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(map[string]any{"type": "error", "code": tt.code, "message": tt.message, "param": nil, "sequence_number": 1})
			require.NoError(t, err)
			c := streamServer(t, rawStream("data: "+string(data)+"\n\n"))
			s, err := c.Chats.StreamResponse(context.Background(), &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")})
			require.NoError(t, err)
			defer s.Close()
			assert.False(t, s.Next())
			require.Error(t, s.Err())
			msg := s.Err().Error()
			assert.Less(t, len(msg), 1<<10, "the error is short")
			assert.Contains(t, msg, tt.want)
			assert.NotContains(t, msg, "\n")
			assert.NotContains(t, msg, "\x1b")
			ev, ok := s.Event().(*vapi.ResponseErrorEvent)
			require.True(t, ok)
			assert.Equal(t, tt.message, ev.Message, "the event itself keeps the server's text")
		})
	}
}

func TestStreamWithoutDuplicateCreates(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   map[string]string
		opts     []vapi.Option
		wantSent int32
		wantErr  error
	}{
		{"a streamed turn is sent twice after a 502 by default", 502, nil, nil, 2, nil},
		{"a streamed turn is sent once after a 502 under WithoutDuplicateCreates", 502, nil, []vapi.Option{vapi.WithoutDuplicateCreates()}, 1, vapi.ErrServer},
		{"a streamed turn is sent once after a 500 under WithoutDuplicateCreates", 500, nil, []vapi.Option{vapi.WithoutDuplicateCreates()}, 1, vapi.ErrServer},
		{"a 429 is retried under WithoutDuplicateCreates", 429, nil, []vapi.Option{vapi.WithoutDuplicateCreates()}, 2, nil},
		{"a 503 with Retry-After is retried under WithoutDuplicateCreates", 503, map[string]string{"Retry-After": "0"}, []vapi.Option{vapi.WithoutDuplicateCreates()}, 2, nil},
		{"a connection cut after the request was read is retried by default", -1, nil, nil, 2, nil},
		{"a connection cut after the request was read is not retried under WithoutDuplicateCreates", -1, nil, []vapi.Option{vapi.WithoutDuplicateCreates()}, 1, io.EOF},
	}
	for _, tt := range tests {
		for _, kind := range []string{"chat", "response"} {
			t.Run(tt.name+" ("+kind+")", func(t *testing.T) {
				var sent atomic.Int32
				c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
					if sent.Add(1) == 1 {
						if tt.status < 0 {
							conn, _, err := w.(http.Hijacker).Hijack()
							require.NoError(t, err)
							_ = conn.Close()
							return
						}
						for k, v := range tt.header {
							w.Header().Set(k, v)
						}
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(tt.status)
						_, _ = io.WriteString(w, `{"message":"upstream failed"}`)
						return
					}
					rawStream(chatEvent("chat-1", "Hi")+"data: [DONE]\n\n")(w, r)
				})
				var err error
				if kind == "chat" {
					var s *vapi.ChatStream
					if s, err = c.Chats.Stream(context.Background(), chatReq, tt.opts...); err == nil {
						_ = s.Close()
					}
				} else {
					var s *vapi.ResponseStream
					if s, err = c.Chats.StreamResponse(context.Background(), &vapi.OpenAIResponsesRequest{Input: vapi.ChatInputText("Hi")}, tt.opts...); err == nil {
						_ = s.Close()
					}
				}
				assert.Equal(t, tt.wantSent, sent.Load())
				if tt.wantErr == nil {
					assert.NoError(t, err)
				} else {
					assert.True(t, errors.Is(err, tt.wantErr), "got %v", err)
					assertNoKey(t, "the error", err)
				}
			})
		}
	}
}
