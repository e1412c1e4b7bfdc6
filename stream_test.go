package vapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// Tests of ChatStream and ResponseStream against loopback servers that write
// the event streams by hand.

const streamKey = "sk-chat-stream-7f3e9a1c5b"

// streamServer serves handler on a loopback port and returns a client for
// it that retries fast.
func streamServer(t *testing.T, handler http.HandlerFunc, opts ...vapi.Option) *vapi.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	c, err := vapi.NewClient(append([]vapi.Option{
		vapi.WithAPIKey(streamKey),
		vapi.WithBaseURL(srv.URL),
		vapi.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// rawStream answers with a text/event-stream whose body is body, written in
// pieces of at most 7 bytes, each flushed, so that events straddle reads.
func rawStream(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body := body // each request gets the whole body
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		for len(body) > 0 {
			n := min(7, len(body))
			_, _ = io.WriteString(w, body[:n])
			w.(http.Flusher).Flush()
			body = body[n:]
		}
	}
}

// chatEvent is one event's data line of a chat stream.
func chatEvent(id, delta string) string {
	b, _ := json.Marshal(map[string]string{"id": id, "sessionId": "sess-1", "path": "chat.output[0].content", "delta": delta})
	return "data: " + string(b) + "\n\n"
}

var chatReq = &vapi.CreateChatRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")}

// readChat reads a whole chat stream.
func readChat(s *vapi.ChatStream) (deltas []string) {
	for s.Next() {
		deltas = append(deltas, s.Event().Delta)
	}
	return deltas
}

func TestChatStreamReadsServerSentEvents(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantDeltas []string
		wantChatID string
		wantErr    string // a substring of Err's text; "" for a clean end
		wantIs     error
	}{
		{
			name:       "deltas separated by LF end at [DONE]",
			body:       chatEvent("chat-1", "Hel") + chatEvent("chat-1", "lo") + "data: [DONE]\n\n",
			wantDeltas: []string{"Hel", "lo"}, wantChatID: "chat-1",
		},
		{
			name:       "CRLF line ends",
			body:       strings.ReplaceAll(chatEvent("chat-1", "a")+chatEvent("chat-1", "b")+"data: [DONE]\n\n", "\n", "\r\n"),
			wantDeltas: []string{"a", "b"}, wantChatID: "chat-1",
		},
		{
			name:       "CR line ends",
			body:       strings.ReplaceAll(chatEvent("chat-1", "a")+"data: [DONE]\n\n", "\n", "\r"),
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
		},
		{
			name: "an event's data spread over several data lines is joined by line feeds",
			body: "data: {\"id\":\"chat-1\",\n" + "data: \"path\":\"chat.output[0].content\",\n" + "data: \"delta\":\"two lines\"}\n\n" +
				"data: [DONE]\n\n",
			wantDeltas: []string{"two lines"}, wantChatID: "chat-1",
		},
		{
			name: "comments, id, retry, event: message and keep-alive events are taken as the standard says",
			body: ": connected\n\n" + "id: 1\nretry: 3000\nevent: message\n" + chatEvent("chat-1", "a") +
				"data:\n\n" + ":ping\n" + "data: \n\n" + chatEvent("chat-1", "b") + "data: [DONE]\n\n",
			wantDeltas: []string{"a", "b"}, wantChatID: "chat-1",
		},
		{
			name:       "events of a type this SDK does not know are skipped",
			body:       "event: ping\ndata: not json either\n\n" + chatEvent("chat-1", "a") + "data: [DONE]\n\n",
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
		},
		{
			name:       "a byte order mark at the start is dropped",
			body:       "\uFEFF" + chatEvent("chat-1", "a") + "data: [DONE]\n\n",
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
		},
		{
			name:       "the end of the body without [DONE] is a clean end",
			body:       chatEvent("chat-1", "a") + chatEvent("chat-1", "b"),
			wantDeltas: []string{"a", "b"}, wantChatID: "chat-1",
		},
		{
			name:       "a last event without its blank line is delivered at the end of the body",
			body:       chatEvent("chat-1", "a") + strings.TrimSuffix(chatEvent("chat-1", "b"), "\n\n"),
			wantDeltas: []string{"a", "b"}, wantChatID: "chat-1",
		},
		{
			name:       "nothing after [DONE] is read as an event",
			body:       chatEvent("chat-1", "a") + "data: [DONE]\n\n" + chatEvent("chat-1", "late") + "data: {not json\n\n",
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
		},
		{
			name:       "ChatID is the last id the events carried",
			body:       chatEvent("", "a") + chatEvent("chat-2", "b") + chatEvent("", "c") + "data: [DONE]\n\n",
			wantDeltas: []string{"a", "b", "c"}, wantChatID: "chat-2",
		},
		{
			name:       "data that is not JSON ends the stream with an error",
			body:       chatEvent("chat-1", "a") + "data: {\"id\": oops}\n\n" + chatEvent("chat-1", "b"),
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
			wantErr: `unexpected response: 200 OK, Content-Type "text/event-stream", body "{\"id\": oops}"`, wantIs: vapi.ErrUnexpectedResponse,
		},
		{
			name:       "data that is JSON but not an object ends the stream with an error",
			body:       chatEvent("chat-1", "a") + "data: [1, 2]\n\n",
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
			wantErr: "not a JSON object", wantIs: vapi.ErrUnexpectedResponse,
		},
		{
			name:       "an event of type error ends the stream with its data as the error",
			body:       chatEvent("chat-1", "a") + "event: error\ndata: {\"message\":\"model overloaded\"}\n\n" + chatEvent("chat-1", "b"),
			wantDeltas: []string{"a"}, wantChatID: "chat-1",
			wantErr: `vapi: POST /chat: the stream reported an error: {"message":"model overloaded"}`,
		},
		{
			name:    "a field of the wrong type ends the stream with an error",
			body:    "data: {\"id\":\"chat-1\",\"path\":\"p\",\"delta\":7}\n\n",
			wantErr: "delta", wantIs: vapi.ErrUnexpectedResponse,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := streamServer(t, rawStream(tt.body))
			s, err := c.Chats.Stream(context.Background(), chatReq)
			require.NoError(t, err)
			defer s.Close()
			deltas := readChat(s)
			assert.Equal(t, tt.wantDeltas, deltas)
			assert.Equal(t, strings.Join(tt.wantDeltas, ""), s.Text())
			assert.Equal(t, tt.wantChatID, s.ChatID())
			assert.Nil(t, s.Event(), "no event once Next has returned false")
			assert.False(t, s.Next(), "Next stays false")
			if tt.wantErr == "" {
				assert.NoError(t, s.Err())
				return
			}
			require.Error(t, s.Err())
			assert.Contains(t, s.Err().Error(), tt.wantErr)
			if tt.wantIs != nil {
				assert.ErrorIs(t, s.Err(), tt.wantIs)
			}
		})
	}
}

func TestChatStreamEvents(t *testing.T) {
	t.Run("each event is a value of its own that later events leave alone", func(t *testing.T) {
		c := streamServer(t, rawStream(chatEvent("chat-1", "a")+chatEvent("chat-1", "b")+"data: [DONE]\n\n"))
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		var events []*vapi.ChatStreamEvent
		for s.Next() {
			events = append(events, s.Event())
		}
		require.NoError(t, s.Err())
		require.Len(t, events, 2)
		assert.Equal(t, &vapi.ChatStreamEvent{ID: "chat-1", SessionID: vapi.String("sess-1"), Path: "chat.output[0].content", Delta: "a"}, events[0])
		assert.Equal(t, "b", events[1].Delta)
	})
	t.Run("an event larger than 1 MiB ends the stream with an error, and the events before it are delivered", func(t *testing.T) {
		huge := "data: {\"id\":\"chat-1\",\"path\":\"p\",\"delta\":\"" + strings.Repeat("x", 1<<20) + "\"}\n\n"
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, chatEvent("chat-1", "a")+huge+chatEvent("chat-1", "b"))
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []string{"a"}, readChat(s))
		require.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
		assert.Contains(t, s.Err().Error(), "an event is larger than 1048576 bytes")
	})
	t.Run("an event of just under 1 MiB is read", func(t *testing.T) {
		delta := strings.Repeat("x", 1<<20-100)
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, chatEvent("chat-1", delta)+"data: [DONE]\n\n")
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []string{delta}, readChat(s))
		assert.NoError(t, s.Err())
	})
}

func TestChatStreamJSONFallback(t *testing.T) {
	chat := `{"id":"chat-9","orgId":"org-1","sessionId":"sess-1","createdAt":"2026-01-15T09:30:00.000Z","updatedAt":"2026-01-15T09:30:00.000Z",` +
		`"output":[{"role":"assistant","content":"Hello, "},{"role":"tool","content":"{}","tool_call_id":"t1"},{"role":"assistant","content":"Ada."}]}`
	t.Run("a whole Chat answers as one event carrying the chat's id and its output text", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = io.WriteString(w, chat)
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		assert.Equal(t, &vapi.ChatStreamEvent{ID: "chat-9", SessionID: vapi.String("sess-1"), Path: "chat.output[0].content", Delta: "Hello, Ada."}, s.Event())
		assert.False(t, s.Next())
		assert.NoError(t, s.Err())
		assert.Equal(t, "chat-9", s.ChatID())
		assert.Equal(t, "Hello, Ada.", s.Text())
	})
	t.Run("a JSON answer that is not a Chat ends the stream with an unexpected response", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"output":[]}`)
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		assert.False(t, s.Next())
		assert.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
		assert.Contains(t, s.Err().Error(), `no "id"`)
	})
	t.Run("a body that is neither events nor JSON is an unexpected response from Stream", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>maintenance</html>")
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		assert.Nil(t, s)
		require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
		assert.Contains(t, err.Error(), `Content-Type "text/html"`)
	})
}

func TestChatStreamRequest(t *testing.T) {
	t.Run("Stream asks for a stream and Create does not, whatever req.Stream says, and req is left alone", func(t *testing.T) {
		var bodies []map[string]any
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			var body map[string]any
			assert.NoError(t, json.NewDecoder(r.Body).Decode(&body))
			bodies = append(bodies, body)
			if body["stream"] == true {
				assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
				rawStream(chatEvent("chat-1", "a"))(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"chat-1","orgId":"o","createdAt":"2026-01-15T09:30:00Z","updatedAt":"2026-01-15T09:30:00Z"}`)
		})
		req := &vapi.CreateChatRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi"), Stream: vapi.Bool(false)}
		s, err := c.Chats.Stream(context.Background(), req)
		require.NoError(t, err)
		readChat(s)
		require.NoError(t, s.Err())
		assert.Equal(t, vapi.Bool(false), req.Stream)

		req.Stream = vapi.Bool(true)
		_, err = c.Chats.Create(context.Background(), req)
		require.NoError(t, err)
		assert.Equal(t, vapi.Bool(true), req.Stream)

		require.Len(t, bodies, 2)
		assert.Equal(t, true, bodies[0]["stream"])
		assert.Equal(t, false, bodies[1]["stream"])
		assert.Equal(t, "Hi", bodies[0]["input"])
	})
	t.Run("CreateResponse sends stream false and StreamResponse stream true", func(t *testing.T) {
		var streams []any
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			assert.Equal(t, "/chat/responses", r.URL.Path)
			var body map[string]any
			assert.NoError(t, json.NewDecoder(r.Body).Decode(&body))
			streams = append(streams, body["stream"])
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"resp-1","object":"response","created_at":1,"status":"completed","output":[]}`)
		})
		req := &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")}
		_, err := c.Chats.CreateResponse(context.Background(), req)
		require.NoError(t, err)
		s, err := c.Chats.StreamResponse(context.Background(), req)
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []any{false, true}, streams)
		assert.Nil(t, req.Stream)
	})
	t.Run("an invalid request is refused before anything is sent", func(t *testing.T) {
		var calls atomic.Int32
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
		s, err := c.Chats.Stream(context.Background(), &vapi.CreateChatRequest{
			SessionID: vapi.String("sess-1"), PreviousChatID: vapi.String("chat-1"), Input: vapi.ChatInputText("Hi"),
		})
		assert.Nil(t, s)
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.Equal(t, "previousChatId", verr.Errors[0].Field)
		_, err = c.Chats.StreamResponse(context.Background(), &vapi.OpenAIResponsesRequest{})
		require.ErrorAs(t, err, &verr)
		assert.Equal(t, "input", verr.Errors[0].Field)
		assert.Zero(t, calls.Load())
	})
	t.Run("a nil request is an error", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {})
		_, err := c.Chats.Stream(context.Background(), nil)
		assert.EqualError(t, err, "vapi: POST /chat: the request is nil")
		_, err = c.Chats.StreamResponse(context.Background(), nil)
		assert.EqualError(t, err, "vapi: POST /chat/responses: the request is nil")
	})
	t.Run("a status other than 2xx is an *APIError from Stream, after retries", func(t *testing.T) {
		var calls atomic.Int32
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"message":"try later","error":"Service Unavailable","statusCode":503}`)
		}, vapi.WithMaxRetries(2))
		var resp vapi.Response
		s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithResponseInto(&resp))
		assert.Nil(t, s)
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, []string{"try later"}, apiErr.Messages)
		assert.Equal(t, int32(3), calls.Load())
		assert.Equal(t, 3, resp.Attempts)
	})
	t.Run("a retried status gives way to the stream of the next attempt", func(t *testing.T) {
		var calls atomic.Int32
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			rawStream(chatEvent("chat-1", "a")+"data: [DONE]\n\n")(w, r)
		})
		var resp vapi.Response
		s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithResponseInto(&resp))
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []string{"a"}, readChat(s))
		assert.NoError(t, s.Err())
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	})
}

// cutStream writes events, then breaks the connection without ending the
// chunked body.
func cutStream(events string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, events)
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func TestChatStreamFailures(t *testing.T) {
	t.Run("a connection cut before [DONE] ends the stream with an error, keeping what came", func(t *testing.T) {
		var calls atomic.Int32
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			cutStream(chatEvent("chat-1", "Hel"))(w, r)
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, []string{"Hel"}, readChat(s))
		require.ErrorIs(t, s.Err(), io.ErrUnexpectedEOF)
		assert.Contains(t, s.Err().Error(), "vapi: POST /chat: stream broke off before its end")
		assert.Equal(t, "Hel", s.Text())
		assert.Equal(t, int32(1), calls.Load(), "nothing is retried once the body has started")
	})
	t.Run("WithStreamIdleTimeout ends a stream that goes silent", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, chatEvent("chat-1", "a"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithStreamIdleTimeout(50*time.Millisecond))
		require.NoError(t, err)
		defer s.Close()
		start := time.Now()
		assert.Equal(t, []string{"a"}, readChat(s))
		assert.Less(t, time.Since(start), 2*time.Second)
		require.ErrorIs(t, s.Err(), os.ErrDeadlineExceeded)
		assert.Contains(t, s.Err().Error(), "no event for 50ms (WithStreamIdleTimeout)")
	})
	t.Run("WithStreamIdleTimeout bounds each wait, not the whole stream, and WithTimeout only the headers", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			for i := range 6 {
				_, _ = io.WriteString(w, chatEvent("chat-1", fmt.Sprint(i)))
				w.(http.Flusher).Flush()
				time.Sleep(40 * time.Millisecond)
			}
			_, _ = io.WriteString(w, "data: [DONE]\n\n")
		})
		s, err := c.Chats.Stream(context.Background(), chatReq,
			vapi.WithStreamIdleTimeout(150*time.Millisecond), vapi.WithTimeout(100*time.Millisecond))
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, "012345", strings.Join(readChat(s), ""))
		assert.NoError(t, s.Err())
	})
	t.Run("cancelling the context ends the stream at once with the context's error", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, chatEvent("chat-1", "a"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, err := c.Chats.Stream(ctx, chatReq)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		assert.False(t, s.Next())
		assert.Less(t, time.Since(start), time.Second)
		assert.ErrorIs(t, s.Err(), context.Canceled)
		assert.Equal(t, "a", s.Text())
	})
	t.Run("the context's deadline bounds the whole stream", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			for r.Context().Err() == nil {
				_, _ = io.WriteString(w, chatEvent("chat-1", "a"))
				w.(http.Flusher).Flush()
				time.Sleep(5 * time.Millisecond)
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		s, err := c.Chats.Stream(ctx, chatReq)
		require.NoError(t, err)
		defer s.Close()
		readChat(s)
		assert.ErrorIs(t, s.Err(), context.DeadlineExceeded)
	})
	t.Run("no error string shows the API key, whatever the server echoes", func(t *testing.T) {
		echo := "data: {\"id\": \"" + streamKey + "\", oops}\n\n"
		for name, body := range map[string]string{
			"undecodable data": echo,
			"an error event":   "event: error\ndata: bad key " + streamKey + "\n\n",
		} {
			c := streamServer(t, rawStream(body))
			s, err := c.Chats.Stream(context.Background(), chatReq)
			require.NoError(t, err)
			readChat(s)
			require.Error(t, s.Err(), name)
			for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
				assert.NotContains(t, fmt.Sprintf(format, s.Err()), streamKey, "%s, %s", name, format)
			}
			assert.Contains(t, s.Err().Error(), "[REDACTED]", name)
			s.Close()
		}
	})
	t.Run("control characters from the server are escaped in Err", func(t *testing.T) {
		c := streamServer(t, rawStream("event: error\ndata: line\x1b[31m red\n\n"))
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		readChat(s)
		require.Error(t, s.Err())
		assert.NotContains(t, s.Err().Error(), "\x1b")
	})
}

func TestChatStreamClose(t *testing.T) {
	// endless writes events until the client goes away (or, should the
	// client never go away, for two seconds, so that a leak fails the test
	// rather than hanging it).
	endless := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		stop := time.Now().Add(2 * time.Second)
		for i := 0; r.Context().Err() == nil && time.Now().Before(stop); i++ {
			if _, err := io.WriteString(w, chatEvent("chat-1", fmt.Sprint(i, " "))); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(time.Millisecond)
		}
	}
	t.Run("breaking out of the loop and closing leaves no goroutine behind", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(endless))
		t.Cleanup(srv.Close)
		c, err := vapi.NewClient(vapi.WithAPIKey(streamKey), vapi.WithBaseURL(srv.URL))
		require.NoError(t, err)
		check := goroutineCheck(t)
		for range 5 {
			s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithStreamIdleTimeout(time.Minute))
			require.NoError(t, err)
			for i := 0; s.Next(); i++ {
				if i == 3 {
					break
				}
			}
			require.NoError(t, s.Close())
			assert.NoError(t, s.Err(), "a stream closed on purpose has no error")
			assert.False(t, s.Next())
		}
		c.CloseIdleConnections()
		check()
	})
	t.Run("a stream read to its end leaves no goroutine behind, closed or not", func(t *testing.T) {
		srv := httptest.NewServer(rawStream(chatEvent("chat-1", "a") + "data: [DONE]\n\n"))
		t.Cleanup(srv.Close)
		c, err := vapi.NewClient(vapi.WithAPIKey(streamKey), vapi.WithBaseURL(srv.URL))
		require.NoError(t, err)
		check := goroutineCheck(t)
		for range 5 {
			s, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithStreamIdleTimeout(time.Minute))
			require.NoError(t, err)
			readChat(s)
			require.NoError(t, s.Err())
		}
		c.CloseIdleConnections()
		check()
	})
	t.Run("Close is idempotent and stops a Next waiting in another goroutine", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		s, err := c.Chats.Stream(context.Background(), chatReq)
		require.NoError(t, err)
		time.AfterFunc(20*time.Millisecond, func() { _ = s.Close() })
		start := time.Now()
		assert.False(t, s.Next())
		assert.Less(t, time.Since(start), time.Second)
		assert.NoError(t, s.Err())
		assert.NoError(t, s.Close())
		assert.NoError(t, s.Close())
	})
	t.Run("a connection read to [DONE] is reused by the next call", func(t *testing.T) {
		var conns atomic.Int32
		srv := httptest.NewUnstartedServer(rawStream(chatEvent("chat-1", "a") + "data: [DONE]\n\n"))
		srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)
		c, err := vapi.NewClient(vapi.WithAPIKey(streamKey), vapi.WithBaseURL(srv.URL))
		require.NoError(t, err)
		defer c.CloseIdleConnections()
		for range 3 {
			s, err := c.Chats.Stream(context.Background(), chatReq)
			require.NoError(t, err)
			readChat(s)
			require.NoError(t, s.Err())
		}
		assert.Equal(t, int32(1), conns.Load())
	})
}

// goroutineCheck records the goroutines running now; the function it
// returns fails the test if others are still running a while later (as
// go.uber.org/goleak does, without the dependency).
func goroutineCheck(t *testing.T) func() {
	t.Helper()
	before := goroutines()
	return func() {
		t.Helper()
		var extra []string
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			extra = extra[:0]
			for id, stack := range goroutines() {
				if _, ok := before[id]; !ok {
					extra = append(extra, stack)
				}
			}
			if len(extra) == 0 {
				return
			}
		}
		slices.Sort(extra)
		t.Errorf("%d goroutines left behind:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
	}
}

var goroutineHeader = regexp.MustCompile(`^goroutine (\d+) `)

// goroutines returns the stack of every goroutine but the caller's, by id.
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for i, stack := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // the caller
		}
		if m := goroutineHeader.FindStringSubmatch(stack); m != nil {
			out[m[1]] = stack
		}
	}
	return out
}

func TestResponseStream(t *testing.T) {
	respReq := &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")}
	event := func(typ, data string) string { return "event: " + typ + "\ndata: " + data + "\n\n" }
	delta := func(s string) string {
		return event("response.output_text.delta", `{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"`+s+`"}`)
	}
	completed := event("response.completed", `{"type":"response.completed","response":{"id":"resp-1","object":"response","created_at":1768469400,"status":"completed","output":[]}}`)
	t.Run("yields the typed events to the end of the body, and Text joins the deltas", func(t *testing.T) {
		c := streamServer(t, rawStream(delta("Hel")+delta("lo")+
			event("response.output_text.done", `{"type":"response.output_text.done","item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello"}`)+
			event("response.in_progress", `{"type":"response.in_progress","sequence_number":3}`)+
			completed))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		var types []string
		for s.Next() {
			types = append(types, fmt.Sprintf("%T", s.Event()))
			if u, ok := s.Event().(*vapi.UnknownResponseStreamEvent); ok {
				assert.Equal(t, "response.in_progress", u.Type)
				assert.JSONEq(t, `{"type":"response.in_progress","sequence_number":3}`, string(u.Raw))
			}
			if done, ok := s.Event().(*vapi.ResponseTextDoneEvent); ok {
				assert.Equal(t, "Hello", done.Text)
			}
			if c, ok := s.Event().(*vapi.ResponseCompletedEvent); ok {
				assert.Equal(t, "resp-1", c.Response.ID)
			}
		}
		require.NoError(t, s.Err())
		assert.Equal(t, []string{"*vapi.ResponseTextDeltaEvent", "*vapi.ResponseTextDeltaEvent", "*vapi.ResponseTextDoneEvent",
			"*vapi.UnknownResponseStreamEvent", "*vapi.ResponseCompletedEvent"}, types)
		assert.Equal(t, "Hello", s.Text())
	})
	t.Run("an error event ends the stream with an error and stays the Event", func(t *testing.T) {
		c := streamServer(t, rawStream(delta("Hel")+
			event("error", `{"type":"error","code":"rate_limit","message":"slow down","param":null,"sequence_number":2}`)+delta("lo")))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		assert.False(t, s.Next())
		require.EqualError(t, s.Err(), "vapi: POST /chat/responses: the stream reported an error: rate_limit: slow down")
		ev, ok := s.Event().(*vapi.ResponseErrorEvent)
		require.True(t, ok, "Event is %T", s.Event())
		assert.Equal(t, "slow down", ev.Message)
		assert.Equal(t, "Hel", s.Text())
	})
	t.Run("an event named error in another form ends the stream with an error too", func(t *testing.T) {
		c := streamServer(t, rawStream(delta("Hel")+event("error", `{"error":{"message":"overloaded"}}`)+delta("lo")))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		assert.False(t, s.Next())
		require.EqualError(t, s.Err(), `vapi: POST /chat/responses: the stream reported an error: {"error":{"message":"overloaded"}}`)
		assert.IsType(t, &vapi.UnknownResponseStreamEvent{}, s.Event())
	})
	t.Run("[DONE] ends the stream too", func(t *testing.T) {
		c := streamServer(t, rawStream(delta("a")+"data: [DONE]\n\n"+delta("b")))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		n := 0
		for s.Next() {
			n++
		}
		assert.Equal(t, 1, n)
		assert.NoError(t, s.Err())
	})
	t.Run("data that is not JSON ends the stream with an error", func(t *testing.T) {
		c := streamServer(t, rawStream(delta("a")+"data: nope\n\n"))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		for s.Next() {
		}
		assert.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
	})
	t.Run("a whole ResponseObject answers as one response.completed event", func(t *testing.T) {
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"resp-1","object":"response","created_at":1,"status":"completed",`+
				`"output":[{"id":"m","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hi!","annotations":[]}]}]}`)
		})
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		ev, ok := s.Event().(*vapi.ResponseCompletedEvent)
		require.True(t, ok, "Event is %T", s.Event())
		assert.Equal(t, "resp-1", ev.Response.ID)
		assert.Equal(t, "Hi!", ev.Response.Output[0].Content[0].Text)
		assert.False(t, s.Next())
		assert.NoError(t, s.Err())
	})
	t.Run("a connection cut ends the stream with an error", func(t *testing.T) {
		c := streamServer(t, cutStream(delta("a")))
		s, err := c.Chats.StreamResponse(context.Background(), respReq)
		require.NoError(t, err)
		defer s.Close()
		for s.Next() {
		}
		assert.ErrorIs(t, s.Err(), io.ErrUnexpectedEOF)
	})
}
