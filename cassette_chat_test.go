package vapi_test

// Cassettes of the Chats API, run by TestCassettes with the others, and the
// chat side of the cassette guard tests. See testdata/cassettes/README.md.

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/cassette"
	"github.com/govapi/vapi/internal/jsonkeys"
	"github.com/govapi/vapi/internal/sse"
)

func init() {
	cassetteTests = append(cassetteTests, chatCassetteTests...)
}

var chatCassetteTests = []struct {
	name string
	opts cassette.Options
	test func(t *testing.T, ctx context.Context, c *cassette.Cassette)
}{
	{name: "chat_session_turns", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{
			Name:      vapi.String("vapi-go chat"),
			Assistant: cassetteAssistant("Riley"),
		})

		first, err := c.Client.Chats.Create(ctx, &vapi.CreateChatRequest{
			SessionID: vapi.String(s.ID),
			Input:     vapi.ChatInputText("Hi, where is my order A-1001?"),
		})
		require.NoError(t, err)
		cassetteDeleteChatLater(t, c, first.ID)
		assert.Equal(t, s.ID, cassetteValue(first.SessionID))
		assert.NotEmpty(t, first.OutputText())

		// The streamed exchange replays as a stream: its body is the
		// recorded events.
		stream, err := c.Client.Chats.Stream(ctx, &vapi.CreateChatRequest{
			SessionID: vapi.String(s.ID),
			Input:     vapi.ChatInputText("And when will it arrive?"),
		})
		require.NoError(t, err)
		defer stream.Close()
		events := 0
		for stream.Next() {
			events++
			assert.Equal(t, "chat.output[0].content", stream.Event().Path)
			assert.Equal(t, s.ID, cassetteValue(stream.Event().SessionID))
		}
		require.NoError(t, stream.Err())
		assert.Greater(t, events, 1, "the reply came in pieces")
		require.NotEmpty(t, stream.ChatID())
		cassetteDeleteChatLater(t, c, stream.ChatID())

		second, err := c.Client.Chats.Get(ctx, stream.ChatID())
		require.NoError(t, err)
		assert.Equal(t, stream.Text(), second.OutputText())

		page, err := c.Client.Chats.List(ctx, &vapi.ListChatsParams{SessionID: vapi.String(s.ID), SortOrder: vapi.SortOrderASC})
		require.NoError(t, err)
		var ids []string
		for _, chat := range page.Results {
			ids = append(ids, chat.ID)
		}
		assert.Equal(t, []string{first.ID, second.ID}, ids)

		got, err := c.Client.Sessions.Get(ctx, s.ID)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(got.Messages), 4, "each turn adds its input and its reply to the session")
	}},
	{name: "chat_responses", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		assistantID := c.Var(t, "assistantId", cassetteAssistantEnv, cassetteAssistantID)
		resp, err := c.Client.Chats.CreateResponse(ctx, &vapi.OpenAIResponsesRequest{
			AssistantID: vapi.String(assistantID),
			Input:       vapi.ChatInputText("Say hello."),
		})
		require.NoError(t, err)
		cassetteDeleteChatLater(t, c, resp.ID)
		assert.Equal(t, "completed", string(resp.Status))
		require.NotEmpty(t, resp.Output)
		require.NotEmpty(t, resp.Output[0].Content)
		assert.NotEmpty(t, resp.Output[0].Content[0].Text)

		stream, err := c.Client.Chats.StreamResponse(ctx, &vapi.OpenAIResponsesRequest{
			PreviousChatID: vapi.String(resp.ID),
			Input:          vapi.ChatInputText("Again, please."),
		})
		require.NoError(t, err)
		defer stream.Close()
		var completed *vapi.ResponseCompletedEvent
		deltas := 0
		for stream.Next() {
			switch ev := stream.Event().(type) {
			case *vapi.ResponseTextDeltaEvent:
				deltas++
			case *vapi.ResponseCompletedEvent:
				completed = ev
			}
		}
		require.NoError(t, stream.Err())
		assert.Greater(t, deltas, 1)
		require.NotNil(t, completed, "the stream ends with response.completed")
		cassetteDeleteChatLater(t, c, completed.Response.ID)
		assert.Equal(t, stream.Text(), completed.Response.Output[0].Content[0].Text)
	}},
	{name: "chat_error_400", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{Name: vapi.String("vapi-go chat 400"), Assistant: cassetteAssistant("Riley")})
		// Refused by validation; WithoutValidation lets it reach the server.
		_, err := c.Client.Chats.Create(ctx, &vapi.CreateChatRequest{
			SessionID:      vapi.String(s.ID),
			PreviousChatID: vapi.String("00000000-0000-4000-8000-00000000dead"),
			Input:          vapi.ChatInputText("Hi"),
		}, vapi.WithoutValidation())
		apiErr := cassetteAPIError(t, err, http.StatusBadRequest, vapi.ErrBadRequest)
		assert.NotEmpty(t, apiErr.Messages)
	}},
	{name: "chat_error_404", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		_, err := c.Client.Chats.Stream(ctx, &vapi.CreateChatRequest{
			SessionID: vapi.String("00000000-0000-4000-8000-00000000dead"),
			Input:     vapi.ChatInputText("Hi"),
		})
		apiErr := cassetteAPIError(t, err, http.StatusNotFound, vapi.ErrNotFound)
		assert.NotEmpty(t, apiErr.Messages)
		_, err = c.Client.Chats.Get(ctx, "00000000-0000-4000-8000-00000000dead")
		cassetteAPIError(t, err, http.StatusNotFound, vapi.ErrNotFound)
	}},
}

// cassetteDeleteChatLater deletes a chat at the end of the test, before
// the session it belongs to, so that recording against the live API leaves
// nothing behind.
func cassetteDeleteChatLater(t *testing.T, c *cassette.Cassette, id string) {
	t.Helper()
	t.Cleanup(func() {
		if _, err := c.Client.Chats.Delete(context.Background(), id); err != nil {
			t.Errorf("deleting chat %s: %v", id, err)
		}
	})
}

// cassetteChatRequest returns the request type of a chat exchange: a
// CreateChatRequest for POST /chat, an OpenAIResponsesRequest for POST
// /chat/responses; ok is false for other paths.
func cassetteChatRequest(method, path string) (req interface{ Validate() error }, ok bool) {
	switch {
	case method == http.MethodPost && path == "/chat":
		return new(vapi.CreateChatRequest), true
	case method == http.MethodPost && path == "/chat/responses":
		return new(vapi.OpenAIResponsesRequest), true
	}
	return nil, false
}

// cassetteChatResponse returns the type a chat exchange's JSON response
// decodes into; ok is false for other paths.
func cassetteChatResponse(method, path string) (v any, ok bool) {
	switch {
	case path == "/chat/responses":
		return new(vapi.ResponseObject), true
	case method == http.MethodGet && path == "/chat":
		return new(vapi.ChatPage), true
	case path == "/chat" || strings.HasPrefix(path, "/chat/"):
		return new(vapi.Chat), true
	}
	return nil, false
}

// cassetteCheckStream checks a recorded text/event-stream response: every
// event decodes into the SDK's event type and encodes back without losing
// a property, and a chat stream ends with [DONE]. It reports whether the
// response was a stream.
func cassetteCheckStream(t *testing.T, where string, i *vcr.Interaction, path string) bool {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(i.Response.Headers.Get("Content-Type")); mt != "text/event-stream" {
		return false
	}
	dec := sse.NewDecoder(strings.NewReader(i.Response.Body), 0)
	var last string
	n := 0
	for {
		ev, err := dec.Next()
		if err != nil {
			break
		}
		n++
		last = string(ev.Data)
		if last == "[DONE]" {
			continue
		}
		var v any = new(vapi.ChatStreamEvent)
		if path == "/chat/responses" {
			var probe struct {
				Type string `json:"type"`
			}
			require.NoError(t, json.Unmarshal(ev.Data, &probe), "%s: event %d", where, n)
			assert.Equal(t, ev.Type, probe.Type, "%s: event %d: the event line names the data's type", where, n)
			v = map[string]any{
				"response.output_text.delta": new(vapi.ResponseTextDeltaEvent),
				"response.output_text.done":  new(vapi.ResponseTextDoneEvent),
				"response.completed":         new(vapi.ResponseCompletedEvent),
			}[probe.Type]
			require.NotNil(t, v, "%s: event %d: type %q", where, n, probe.Type)
		}
		require.NoError(t, json.Unmarshal(ev.Data, v), "%s: event %d", where, n)
		lost, err := jsonkeys.Lost(ev.Data, v)
		require.NoError(t, err)
		assert.Empty(t, lost, "%s: event %d: properties lost in a round trip through %T", where, n, v)
	}
	assert.Greater(t, n, 1, "%s: a stream of one event", where)
	if path == "/chat" {
		assert.Equal(t, "[DONE]", last, "%s: a chat stream ends with [DONE]", where)
	}
	return true
}
