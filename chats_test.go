package vapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

const testChatJSON = `{"id":"chat-1","orgId":"org-1","sessionId":"sess-1","input":"Hi",` +
	`"messages":[{"role":"user","message":"Hi","time":1,"endTime":1,"secondsFromStart":0}],` +
	`"output":[{"role":"assistant","content":"Hello!"}],` +
	`"createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:03:11.482Z"}`

func chatHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/chat" {
		reply(w, 200, `{"results":[`+testChatJSON+`],"metadata":{"itemsPerPage":100,"totalItems":1,"currentPage":1}}`)
		return
	}
	reply(w, 200, testChatJSON)
}

func TestChatsMethods(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func(*vapi.ChatsService) (*vapi.Chat, error)
		method   string
		uri      string
		wantBody string // "" for no body
	}{
		{
			name: "Create posts the request to /chat with stream false",
			call: func(s *vapi.ChatsService) (*vapi.Chat, error) {
				return s.Create(ctx, &vapi.CreateChatRequest{SessionID: vapi.String("sess-1"), Input: vapi.ChatInputText("Hi")})
			},
			method: "POST", uri: "/chat", wantBody: `{"sessionId":"sess-1","input":"Hi","stream":false}`,
		},
		{
			name: "Create sends an input of messages as an array",
			call: func(s *vapi.ChatsService) (*vapi.Chat, error) {
				return s.Create(ctx, &vapi.CreateChatRequest{
					AssistantID: vapi.String("asst-1"),
					Input: vapi.ChatInputMessages{
						&vapi.SystemMessage{Message: "Be brief."},
						&vapi.AssistantMessage{Content: vapi.String("Hi, how can I help?")},
					},
				})
			},
			method: "POST", uri: "/chat",
			wantBody: `{"assistantId":"asst-1","stream":false,"input":[{"role":"system","message":"Be brief.","time":0,"secondsFromStart":0},{"role":"assistant","content":"Hi, how can I help?"}]}`,
		},
		{
			name:   "Get reads /chat/{id}",
			call:   func(s *vapi.ChatsService) (*vapi.Chat, error) { return s.Get(ctx, "chat-1") },
			method: "GET", uri: "/chat/chat-1",
		},
		{
			name:   "Get path-escapes the id",
			call:   func(s *vapi.ChatsService) (*vapi.Chat, error) { return s.Get(ctx, "a/b c?d") },
			method: "GET", uri: "/chat/a%2Fb%20c%3Fd",
		},
		{
			name:   "Delete deletes /chat/{id} and returns the chat",
			call:   func(s *vapi.ChatsService) (*vapi.Chat, error) { return s.Delete(ctx, "chat-1") },
			method: "DELETE", uri: "/chat/chat-1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, chatHandler)
			c := newTestClient(t, srv)
			chat, err := tt.call(c.Chats)
			require.NoError(t, err)
			require.Equal(t, 1, srv.Count())
			got := srv.Requests()[0]
			assert.Equal(t, tt.method, got.Method)
			assert.Equal(t, tt.uri, got.RequestURI)
			if tt.wantBody == "" {
				assert.Empty(t, got.Body)
			} else {
				assert.JSONEq(t, tt.wantBody, string(got.Body))
			}
			assert.Equal(t, "chat-1", chat.ID)
			assert.Equal(t, "Hello!", chat.OutputText())
			assert.Equal(t, vapi.ChatInputText("Hi"), chat.Input)
			require.Len(t, chat.Messages, 1)
			assert.Equal(t, &vapi.UserMessage{Message: "Hi", Time: 1, EndTime: 1}, chat.Messages[0])
			assert.Equal(t, time.Date(2026, 11, 20, 14, 3, 11, 482e6, time.UTC), chat.CreatedAt)
		})
	}
}

func TestChatsList(t *testing.T) {
	ctx := context.Background()
	t.Run("List sends the params as the query and decodes the page", func(t *testing.T) {
		srv := newTestServer(t, chatHandler)
		c := newTestClient(t, srv)
		at := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)
		page, err := c.Chats.List(ctx, &vapi.ListChatsParams{
			SessionID: vapi.String("sess-1"), PreviousChatID: vapi.String("chat-0"),
			AssistantIDAny: []string{"a1", "a2"}, IDAny: []string{"c1", "c2"},
			Page: vapi.Int(2), Limit: vapi.Int(10), SortOrder: vapi.SortOrderASC, SortBy: vapi.ChatSortByCost,
			CreatedAtGe: &at,
		})
		require.NoError(t, err)
		require.Len(t, page.Results, 1)
		assert.Equal(t, "chat-1", page.Results[0].ID)
		assert.Equal(t, "/chat?assistantIdAny=a1%2Ca2&createdAtGe=2026-01-15T09%3A30%3A00Z&idAny=c1%2Cc2&limit=10&page=2"+
			"&previousChatId=chat-0&sessionId=sess-1&sortBy=cost&sortOrder=ASC", srv.Requests()[0].RequestURI)
	})
	t.Run("List with nil params sends no query", func(t *testing.T) {
		srv := newTestServer(t, chatHandler)
		c := newTestClient(t, srv)
		_, err := c.Chats.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "/chat", srv.Requests()[0].RequestURI)
	})
	t.Run("List refuses invalid params before sending", func(t *testing.T) {
		srv := newTestServer(t, chatHandler)
		c := newTestClient(t, srv)
		_, err := c.Chats.List(ctx, &vapi.ListChatsParams{Page: vapi.Int(0)})
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.True(t, verr.Has("page"))
		assert.Zero(t, srv.Count())
	})
}

func TestChatsRefuseIDsThatAreNotIDs(t *testing.T) {
	srv := newTestServer(t, chatHandler)
	c := newTestClient(t, srv)
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		t.Run("Get and Delete refuse "+`"`+id+`"`, func(t *testing.T) {
			_, err := c.Chats.Get(ctx, id)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "chat id")
			_, err = c.Chats.Delete(ctx, id)
			require.Error(t, err)
		})
	}
	assert.Zero(t, srv.Count())
}

func TestChatCreateRefusesWhatValidationRefuses(t *testing.T) {
	srv := newTestServer(t, chatHandler)
	c := newTestClient(t, srv)
	ctx := context.Background()
	tests := []struct {
		name string
		req  *vapi.CreateChatRequest
		want []string
	}{
		{"sessionId with previousChatId", &vapi.CreateChatRequest{
			SessionID: vapi.String("s"), PreviousChatID: vapi.String("c"), Input: vapi.ChatInputText("Hi"),
		}, []string{"previousChatId"}},
		{"sessionId with an assistant", &vapi.CreateChatRequest{
			SessionID: vapi.String("s"), AssistantID: vapi.String("a"), Input: vapi.ChatInputText("Hi"),
		}, []string{"assistantId"}},
		{"no input", &vapi.CreateChatRequest{SessionID: vapi.String("s")}, []string{"input"}},
		{"a name over 40 characters", &vapi.CreateChatRequest{
			SessionID: vapi.String("s"), Name: vapi.String(strings.Repeat("n", 41)), Input: vapi.ChatInputText("Hi"),
		}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run("Create refuses "+tt.name, func(t *testing.T) {
			_, err := c.Chats.Create(ctx, tt.req)
			var verr *vapi.ValidationError
			require.ErrorAs(t, err, &verr)
			for _, f := range tt.want {
				assert.True(t, verr.Has(f), "%v", verr)
			}
		})
	}
	_, err := c.Chats.Create(ctx, nil)
	assert.EqualError(t, err, "vapi: POST /chat: the request is nil")
	_, err = c.Chats.CreateResponse(ctx, &vapi.OpenAIResponsesRequest{SessionID: vapi.String("s"), Squad: &vapi.SquadConfig{}, Input: vapi.ChatInputText("x")})
	var verr *vapi.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.True(t, verr.Has("squad"))
	assert.Zero(t, srv.Count())
}

func TestListChatsParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		params vapi.ListChatsParams
		want   []string // fields in violation
	}{
		{"accepts empty params", vapi.ListChatsParams{}, nil},
		{"accepts every field within bounds", vapi.ListChatsParams{
			Page: vapi.Int(1), Limit: vapi.Int(1000), SortOrder: vapi.SortOrderDESC, SortBy: vapi.ChatSortByDuration,
		}, nil},
		{"accepts a limit of zero", vapi.ListChatsParams{Limit: vapi.Int(0)}, nil},
		{"refuses page 0 and a negative limit", vapi.ListChatsParams{Page: vapi.Int(0), Limit: vapi.Int(-1)}, []string{"page", "limit"}},
		{"refuses a limit over 1000", vapi.ListChatsParams{Limit: vapi.Int(1001)}, []string{"limit"}},
		{"refuses an unknown sort order and column", vapi.ListChatsParams{SortOrder: "UP", SortBy: "name"}, []string{"sortOrder", "sortBy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.params.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			var verr *vapi.ValidationError
			require.ErrorAs(t, err, &verr)
			var got []string
			for _, fe := range verr.Errors {
				got = append(got, fe.Field)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestChatOutputText(t *testing.T) {
	tests := []struct {
		name   string
		output []vapi.ChatMessage
		want   string
	}{
		{"is empty without output", nil, ""},
		{"is the content of the one assistant message", []vapi.ChatMessage{&vapi.AssistantMessage{Content: vapi.String("Hello!")}}, "Hello!"},
		{"joins the assistant messages and skips the others", []vapi.ChatMessage{
			&vapi.AssistantMessage{ToolCalls: []vapi.ToolCall{{ID: "t1"}}},
			&vapi.ToolMessage{Content: "{}", ToolCallID: "t1"},
			&vapi.AssistantMessage{Content: vapi.String("Your order ")},
			(*vapi.AssistantMessage)(nil),
			&vapi.AssistantMessage{Content: vapi.String("shipped.")},
		}, "Your order shipped."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, (&vapi.Chat{Output: tt.output}).OutputText())
		})
	}
}

// A conversation in a session, against vapitest: turns whole and streamed,
// then the chats read back, listed and deleted.
func TestChatsAgainstVapitest(t *testing.T) {
	srv := vapitest.NewServer(vapitest.WithAPIKey(testAPIKey))
	t.Cleanup(srv.Close)
	c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(srv.URL))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	session, err := c.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Assistant: &vapi.AssistantConfig{Name: vapi.String("Riley")},
	})
	require.NoError(t, err)

	first, err := c.Chats.Create(ctx, &vapi.CreateChatRequest{SessionID: &session.ID, Input: vapi.ChatInputText("Where is my order?")})
	require.NoError(t, err)
	assert.Equal(t, `Reply 1 from vapitest: you said "Where is my order?".`, first.OutputText())
	assert.Equal(t, vapi.String(session.ID), first.SessionID)

	stream, err := c.Chats.Stream(ctx, &vapi.CreateChatRequest{SessionID: &session.ID, Input: vapi.ChatInputText("It is A-1001.")})
	require.NoError(t, err)
	var deltas []string
	for stream.Next() {
		deltas = append(deltas, stream.Event().Delta)
		assert.Equal(t, vapi.String(session.ID), stream.Event().SessionID)
	}
	require.NoError(t, stream.Err())
	assert.Greater(t, len(deltas), 1, "the reply comes in pieces")
	assert.Equal(t, `Reply 2 from vapitest: you said "It is A-1001.".`, stream.Text())

	second, err := c.Chats.Get(ctx, stream.ChatID())
	require.NoError(t, err)
	assert.Equal(t, stream.Text(), second.OutputText())

	third, err := c.Chats.CreateResponse(ctx, &vapi.OpenAIResponsesRequest{PreviousChatID: vapi.String(second.ID), Input: vapi.ChatInputText("Thanks")})
	require.NoError(t, err)
	require.Len(t, third.Output, 1)
	assert.Equal(t, `Reply 3 from vapitest: you said "Thanks".`, third.Output[0].Content[0].Text)

	got, err := c.Sessions.Get(ctx, session.ID)
	require.NoError(t, err)
	assert.Len(t, got.Messages, 4, "two turns in the session, each a user and an assistant message")

	var ids []string
	for chat, err := range c.Chats.ListAll(ctx, &vapi.ListChatsParams{SessionID: &session.ID, SortOrder: vapi.SortOrderASC, Limit: vapi.Int(1)}) {
		require.NoError(t, err)
		ids = append(ids, chat.ID)
	}
	assert.Equal(t, []string{first.ID, second.ID}, ids)

	deleted, err := c.Chats.Delete(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, first.ID, deleted.ID)
	_, err = c.Chats.Get(ctx, first.ID)
	assert.ErrorIs(t, err, vapi.ErrNotFound)
}
