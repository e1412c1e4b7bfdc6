package vapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// Printing a stream, with any verb, shows neither the API key nor the
// values of WithHeader headers, which may be secrets of their own.
func TestStreamsPrintNoSecret(t *testing.T) {
	const headerSecret = "hdr-secret-3b9d1f"
	respReq := &vapi.OpenAIResponsesRequest{AssistantID: vapi.String("asst-1"), Input: vapi.ChatInputText("Hi")}
	body := chatEvent("chat-1", "Hi") + "data: [DONE]\n\n"
	c := streamServer(t, rawStream(body), vapi.WithHeader("X-Team-Secret", headerSecret))
	chat, err := c.Chats.Stream(context.Background(), chatReq, vapi.WithHeader("X-Call-Secret", headerSecret))
	require.NoError(t, err)
	defer chat.Close()
	resp, err := c.Chats.StreamResponse(context.Background(), respReq)
	require.NoError(t, err)
	defer resp.Close()

	values := map[string]func() any{
		"a *ChatStream":     func() any { return chat },
		"a ChatStream":      func() any { return *chat },
		"a *ResponseStream": func() any { return resp },
		"a ResponseStream":  func() any { return *resp },
		"a struct holding a *ChatStream": func() any {
			return struct{ S *vapi.ChatStream }{chat}
		},
	}
	check := func(t *testing.T, v any) {
		t.Helper()
		for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%d"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, headerSecret, verb)
			assert.NotContains(t, out, streamKey, verb)
			assert.NotContains(t, out, streamKey[:8], verb)
		}
	}
	for name, v := range values {
		t.Run(name+" prints no secret before, while and after it is read", func(t *testing.T) {
			check(t, v())
		})
	}
	readChat(chat)
	for resp.Next() {
	}
	require.NoError(t, chat.Err())
	for name, v := range values {
		t.Run(name+" prints no secret once read", func(t *testing.T) {
			check(t, v())
		})
	}
	t.Run("a ChatStream prints its call, chat id, events and error", func(t *testing.T) {
		assert.Equal(t, `vapi.ChatStream{POST /chat, ChatID: "chat-1", Events: 1, Err: <nil>}`, fmt.Sprintf("%v", chat))
		assert.Equal(t, fmt.Sprintf("%v", chat), fmt.Sprintf("%#v", *chat))
	})
	t.Run("a ResponseStream prints its call, events and error", func(t *testing.T) {
		assert.True(t, strings.HasPrefix(fmt.Sprintf("%+v", resp), `vapi.ResponseStream{POST /chat/responses, Events: `), fmt.Sprintf("%+v", resp))
	})
	t.Run("a zero ChatStream prints without panicking", func(t *testing.T) {
		assert.Equal(t, `vapi.ChatStream{no call, ChatID: "", Events: 0, Err: <nil>}`, fmt.Sprint(vapi.ChatStream{}))
	})
}
