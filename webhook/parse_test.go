package webhook_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

const (
	sessionJSON = `{"id":"3f0e2b1c-0000-4000-8000-000000000001","orgId":"org-1","createdAt":"2026-03-14T15:09:26.000Z","updatedAt":"2026-03-14T15:10:00.000Z","name":"support","status":"completed"}`
	chatJSON    = `{"id":"c1a7e000-0000-4000-8000-000000000002","orgId":"org-1","sessionId":"3f0e2b1c-0000-4000-8000-000000000001","createdAt":"2026-03-14T15:09:26.000Z","updatedAt":"2026-03-14T15:09:27.000Z","input":"hello","output":[{"role":"assistant","content":"Hi! How can I help?"}]}`
)

func TestParseTypesTheLifecycleMessages(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, msg vapi.ServerMessage)
	}{
		{"session.created is a *ServerMessageSessionCreated",
			`{"message":{"type":"session.created","timestamp":1773500966000,"session":` + sessionJSON + `}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.ServerMessageSessionCreated)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "3f0e2b1c-0000-4000-8000-000000000001", m.Session.ID)
				assert.Equal(t, "support", *m.Session.Name)
				assert.Equal(t, "completed", string(m.Session.Status))
			}},
		{"session.updated is a *ServerMessageSessionUpdated",
			`{"message":{"type":"session.updated","session":` + sessionJSON + `}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.ServerMessageSessionUpdated)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "org-1", m.Session.OrgID)
			}},
		{"session.deleted is a *ServerMessageSessionDeleted",
			`{"message":{"type":"session.deleted","session":` + sessionJSON + `}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.ServerMessageSessionDeleted)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "3f0e2b1c-0000-4000-8000-000000000001", m.Session.ID)
			}},
		{"chat.created is a *ServerMessageChatCreated",
			`{"message":{"type":"chat.created","chat":` + chatJSON + `}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.ServerMessageChatCreated)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "c1a7e000-0000-4000-8000-000000000002", m.Chat.ID)
			}},
		{"chat.deleted is a *ServerMessageChatDeleted",
			`{"message":{"type":"chat.deleted","chat":` + chatJSON + `}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.ServerMessageChatDeleted)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "c1a7e000-0000-4000-8000-000000000002", m.Chat.ID)
			}},
		{"a type newer than the SDK is an *UnknownServerMessage with its raw JSON",
			`{"message":{"type":"call.teleported","endedReason":"customer-ended-call","cost":0.12}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				m, ok := msg.(*vapi.UnknownServerMessage)
				require.True(t, ok, "got %T", msg)
				assert.Equal(t, "call.teleported", m.Type)
				assert.JSONEq(t, `{"type":"call.teleported","endedReason":"customer-ended-call","cost":0.12}`, string(m.Raw))
			}},
		{"message need not be the first member, and other members are skipped",
			`{"call":{"id":"x","nested":[1,{"a":[true,false,null]},"s\"}"]},"n":-1.5e3,  "message" : {"type":"session.deleted","session":` + sessionJSON + `} , "z":null}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				_, ok := msg.(*vapi.ServerMessageSessionDeleted)
				assert.True(t, ok, "got %T", msg)
			}},
		{"white space around the body is allowed",
			" \n\t{\"message\":{\"type\":\"x\"}}\r\n",
			func(t *testing.T, msg vapi.ServerMessage) {
				assert.Equal(t, "x", msg.(*vapi.UnknownServerMessage).Type)
			}},
		{"an escaped member name is read as what it spells",
			`{"mess\u0061ge":{"type":"x"}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				assert.Equal(t, "x", msg.(*vapi.UnknownServerMessage).Type)
			}},
		{"a message with an empty type is kept as unknown",
			`{"message":{"type":""}}`,
			func(t *testing.T, msg vapi.ServerMessage) {
				assert.Equal(t, "", msg.(*vapi.UnknownServerMessage).Type)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := webhook.Parse([]byte(tt.body))
			require.NoError(t, err)
			tt.check(t, msg)
		})
	}
}

func TestParseRejectsMalformedBodies(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"an empty body", ""},
		{"white space only", "  \n"},
		{"null", "null"},
		{"an array", `[{"message":{"type":"x"}}]`},
		{"a string", `"message"`},
		{"a number", `42`},
		{"an object without message", `{"type":"session.created"}`},
		{"an empty object", `{}`},
		{"a null message", `{"message":null}`},
		{"a string message", `{"message":"session.created"}`},
		{"an array message", `{"message":[{"type":"x"}]}`},
		{"a message without type", `{"message":{"session":{}}}`},
		{"a message with a numeric type", `{"message":{"type":5}}`},
		{"a message with a null type", `{"message":{"type":null}}`},
		{"a message with an object type", `{"message":{"type":{"name":"x"}}}`},
		{"two messages", `{"message":{"type":"x"},"message":{"type":"y"}}`},
		{"trailing data", `{"message":{"type":"x"}} {}`},
		{"a truncated body", `{"message":{"type":"x"}`},
		{"a syntax error in another member", `{"other":tru,"message":{"type":"x"}}`},
		{"a syntax error after the message", `{"message":{"type":"x"},"other":[1,}`},
		{"a syntax error inside the message", `{"message":{"type":"x",}}`},
		{"a missing colon", `{"message" {"type":"x"}}`},
		{"an unquoted key", `{message:{"type":"x"}}`},
		{"a known type whose session is not an object", `{"message":{"type":"session.created","session":"s1"}}`},
		{"a session.created without session", `{"message":{"type":"session.created"}}`},
		{"a session.deleted with a null session", `{"message":{"type":"session.deleted","session":null}}`},
		{"a chat.created without chat", `{"message":{"type":"chat.created","session":{}}}`},
		{"a chat.deleted with a null chat", `{"message":{"type":"chat.deleted","chat":null}}`},
		{"a known type whose member has the wrong type", `{"message":{"type":"session.updated","session":{"id":42}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := webhook.Parse([]byte(tt.body))
			assert.ErrorIs(t, err, webhook.ErrMalformedBody)
			assert.Nil(t, msg)
		})
	}
}

func TestParseKeepsEveryMemberOfTheFixture(t *testing.T) {
	body, err := os.ReadFile("testdata/session-created.json")
	require.NoError(t, err)
	msg, err := webhook.Parse(body)
	require.NoError(t, err)
	created, ok := msg.(*vapi.ServerMessageSessionCreated)
	require.True(t, ok, "got %T", msg)
	assert.Len(t, created.Session.Messages, 20)

	var in struct{ Message json.RawMessage }
	require.NoError(t, json.Unmarshal(body, &in))
	out, err := json.Marshal(msg)
	require.NoError(t, err)
	assert.JSONEq(t, string(in.Message), string(out), "the message marshals back to the JSON it came from")
}
