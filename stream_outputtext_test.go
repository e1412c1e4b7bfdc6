package vapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestResponseObjectOutputText(t *testing.T) {
	msg := func(parts ...string) vapi.ResponseOutputMessage {
		m := vapi.ResponseOutputMessage{ID: "msg", Status: vapi.ResponseOutputMessageStatusCompleted}
		for _, p := range parts {
			m.Content = append(m.Content, vapi.ResponseOutputText{Text: p})
		}
		return m
	}
	tests := []struct {
		name   string
		output []vapi.ResponseOutputMessage
		want   string
	}{
		{"no output is no text", nil, ""},
		{"one message with one part is its text", []vapi.ResponseOutputMessage{msg("Hello!")}, "Hello!"},
		{"the parts of a message are joined without a separator", []vapi.ResponseOutputMessage{msg("Hel", "lo", "!")}, "Hello!"},
		{"messages are joined without a separator, as Chat.OutputText joins them", []vapi.ResponseOutputMessage{msg("Hello"), msg(), msg(" there")}, "Hello there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, (&vapi.ResponseObject{Output: tt.output}).OutputText())
		})
	}
	t.Run("a nil response has no text", func(t *testing.T) {
		var r *vapi.ResponseObject
		assert.Equal(t, "", r.OutputText())
	})
	t.Run("the text of a /chat/responses reply is what its stream's deltas join to", func(t *testing.T) {
		reply := `{"id":"resp_1","object":"response","created_at":1767225600,"status":"completed","output":[` +
			`{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Your order ","annotations":[]}]},` +
			`{"id":"msg_2","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"ships today.","annotations":[]}]}]}`
		c := streamServer(t, func(w http.ResponseWriter, r *http.Request) {
			var req map[string]any
			require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
			if req["stream"] == false {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(reply))
				return
			}
			delta := func(s string) string {
				return `data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"` + s + `"}` + "\n\n"
			}
			rawStream(delta("Your order ")+delta("ships today.")+"data: [DONE]\n\n")(w, r)
		})
		req := &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Where is my order?")}
		resp, err := c.Chats.CreateResponse(context.Background(), req)
		require.NoError(t, err)
		assert.Equal(t, "Your order ships today.", resp.OutputText())
		s, err := c.Chats.StreamResponse(context.Background(), req)
		require.NoError(t, err)
		defer s.Close()
		for s.Next() {
		}
		require.NoError(t, s.Err())
		assert.Equal(t, resp.OutputText(), s.Text())
	})
}
