package vapitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

var toolPlan = vapi.HMACAuthenticationPlan{SecretKey: "tool-server-key", Algorithm: "sha256", SignaturePrefix: vapi.String("sha256=")}

// toolServer is a webhook.Router on a loopback server that verifies
// toolPlan and answers two tools: get_weather returns a struct, book
// fails.
type toolServer struct {
	URL     string
	mu      sync.Mutex
	calls   []vapi.ToolCall
	refused []error
}

func newToolServer(t *testing.T) *toolServer {
	t.Helper()
	ts := &toolServer{}
	r, err := webhook.NewRouter(webhook.WithHMAC(toolPlan), webhook.WithErrorHandler(func(_ *http.Request, err error) {
		ts.mu.Lock()
		ts.refused = append(ts.refused, err)
		ts.mu.Unlock()
	}))
	require.NoError(t, err)
	record := func(call vapi.ToolCall) {
		ts.mu.Lock()
		ts.calls = append(ts.calls, call)
		ts.mu.Unlock()
	}
	r.HandleTool("get_weather", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		record(call)
		args, err := webhook.Arguments[struct {
			City string `json:"city"`
		}](call)
		if err != nil {
			return nil, err
		}
		return struct {
			City    string `json:"city"`
			Celsius int    `json:"celsius"`
		}{args.City, 21}, nil
	})
	r.HandleTool("book", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		record(call)
		return nil, errors.New("no table free")
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	ts.URL = srv.URL + "/tools"
	return ts
}

// functionTool is a function tool named name, sent to url ("" for none).
func functionTool(name, url string) vapi.Tool {
	ft := &vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: name}}
	if url != "" {
		ft.Server = &vapi.Server{URL: vapi.String(url)}
	}
	return ft
}

// assistantWith is an inline assistant with tools and its own server URL.
func assistantWith(serverURL string, tools ...vapi.Tool) *vapi.AssistantConfig {
	a := &vapi.AssistantConfig{Model: &vapi.OpenAIModel{Model: vapi.OpenAIModelModel("gpt-4o"), Tools: tools}}
	if serverURL != "" {
		a.Server = &vapi.Server{URL: vapi.String(serverURL)}
	}
	return a
}

func call(id, name, args string) vapi.ToolCall {
	return vapi.ToolCall{ID: id, Type: "function", Function: vapi.ToolCallFunction{Name: name, Arguments: args}}
}

// scripted is a WithChatReplies function that asks for calls first, then
// answers with the contents of the tool messages it was given.
type scripted struct {
	calls []vapi.ToolCall
	mu    sync.Mutex
	seen  [][]vapi.ChatMessage
}

func (s *scripted) reply(ctx context.Context, messages []vapi.ChatMessage) vapitest.Reply {
	s.mu.Lock()
	s.seen = append(s.seen, messages)
	s.mu.Unlock()
	last := messages[len(messages)-1]
	if _, ok := last.(*vapi.ToolMessage); !ok {
		return vapitest.Reply{ToolCalls: s.calls}
	}
	var parts []string
	for _, m := range messages {
		if tm, ok := m.(*vapi.ToolMessage); ok {
			parts = append(parts, tm.ToolCallID+"="+tm.Content)
		}
	}
	return vapitest.Reply{Text: "Tools said: " + strings.Join(parts, "; ")}
}

func TestChatRepliesCallToolsThroughTheServerURL(t *testing.T) {
	tools := newToolServer(t)
	script := &scripted{calls: []vapi.ToolCall{call("call_1", "get_weather", `{"city":"Lyon"}`), call("call_2", "book", `{}`)}}
	srv, client := hookServer(t, vapitest.WithWebhookHMAC(tools.URL, toolPlan), vapitest.WithChatReplies(script.reply))
	ctx := context.Background()

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Assistant: assistantWith("", functionTool("get_weather", tools.URL), functionTool("book", tools.URL)),
	})
	require.NoError(t, err)
	chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{SessionID: &session.ID, Input: vapi.ChatInputText("Weather in Lyon, and book a table?")})
	require.NoError(t, err)

	want := `Tools said: call_1={"city":"Lyon","celsius":21}; call_2=no table free`
	assert.Equal(t, want, chat.OutputText())
	require.Len(t, chat.Output, 4, "the calls, one result per call, and the text")
	calls, ok := chat.Output[0].(*vapi.AssistantMessage)
	require.True(t, ok, "%T", chat.Output[0])
	assert.Equal(t, script.calls, calls.ToolCalls)
	for i, id := range []string{"call_1", "call_2"} {
		tm, ok := chat.Output[1+i].(*vapi.ToolMessage)
		require.True(t, ok, "%T", chat.Output[1+i])
		assert.Equal(t, id, tm.ToolCallID)
	}
	assert.Equal(t, `{"city":"Lyon","celsius":21}`, chat.Output[1].(*vapi.ToolMessage).Content)
	assert.Equal(t, "no table free", chat.Output[2].(*vapi.ToolMessage).Content, "a tool's error is its result in the conversation")

	require.Len(t, tools.calls, 2, "each tool ran once")
	for _, err := range tools.refused {
		var te *webhook.ToolError
		assert.True(t, errors.As(err, &te), "the only complaint is the failing tool: %v", err)
	}

	d := toolDeliveries(srv)
	require.Len(t, d, 1, "one tool-calls message for both calls")
	assert.Equal(t, "tool-calls", d[0].Type)
	assert.Equal(t, tools.URL, d[0].URL)
	assert.Equal(t, 200, d[0].StatusCode, "the router verified the signature")
	assert.NotEmpty(t, d[0].Header.Get("X-Signature"))
	msg, err := webhook.Parse(d[0].Body)
	require.NoError(t, err)
	tc, ok := msg.(*vapi.ServerMessageToolCalls)
	require.True(t, ok, "%T", msg)
	assert.Equal(t, script.calls, tc.ToolCallList)
	require.Len(t, tc.ToolWithToolCallList, 2)
	with, ok := tc.ToolWithToolCallList[0].(*vapi.FunctionToolWithToolCall)
	require.True(t, ok, "%T", tc.ToolWithToolCallList[0])
	assert.Equal(t, "get_weather", with.Function.Name)
	assert.Equal(t, "call_1", with.ToolCall.ID)
	require.NotNil(t, tc.Chat)
	assert.Equal(t, chat.ID, tc.Chat.ID)
	assert.Equal(t, &session.ID, tc.Chat.SessionID)

	require.Len(t, script.seen, 2, "asked twice: before and after the tools")
	assert.Len(t, script.seen[1], len(script.seen[0])+3, "the second time with the calls and both results")

	got, err := client.Sessions.Get(ctx, session.ID)
	require.NoError(t, err)
	require.Len(t, got.Messages, 5, "the input, the calls, the two results and the text are the session's")
	_, ok = got.Messages[1].(*vapi.AssistantMessage)
	assert.True(t, ok)
	_, ok = got.Messages[2].(*vapi.ToolMessage)
	assert.True(t, ok)
}

// toolDeliveries are the tool-calls deliveries of srv (a URL with an
// option gets the lifecycle messages too).
func toolDeliveries(srv *vapitest.Server) []vapitest.WebhookDelivery {
	var out []vapitest.WebhookDelivery
	for _, d := range srv.WebhookDeliveries() {
		if d.Type == "tool-calls" {
			out = append(out, d)
		}
	}
	return out
}

func TestChatRepliesFindEachCallsServerURL(t *testing.T) {
	weather := newToolServer(t)
	general := newToolServer(t)
	script := &scripted{calls: []vapi.ToolCall{call("call_1", "get_weather", `{"city":"Oslo"}`), call("call_2", "book", `{}`)}}
	srv, client := hookServer(t,
		vapitest.WithWebhookHMAC(weather.URL, toolPlan), vapitest.WithWebhookHMAC(general.URL, toolPlan),
		vapitest.WithChatReplies(script.reply))
	chat, err := client.Chats.Create(context.Background(), &vapi.CreateChatRequest{
		Assistant: assistantWith(general.URL, functionTool("get_weather", weather.URL), functionTool("book", "")),
		Input:     vapi.ChatInputText("hi"),
	})
	require.NoError(t, err, "the request's inline assistant is the chat's")
	assert.Contains(t, chat.OutputText(), `call_1={"city":"Oslo","celsius":21}`)
	require.Len(t, weather.calls, 1, "the tool's own server.url gets its call")
	assert.Equal(t, "get_weather", weather.calls[0].Function.Name)
	require.Len(t, general.calls, 1, "a tool without a server.url goes to the assistant's")
	assert.Equal(t, "book", general.calls[0].Function.Name)
	d := toolDeliveries(srv)
	require.Len(t, d, 2, "one message per URL")
	assert.Equal(t, weather.URL, d[0].URL)
	assert.Equal(t, general.URL, d[1].URL)
}

func TestChatRepliesFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("a call with no server URL fails the turn with a 500 naming it", func(t *testing.T) {
		script := &scripted{calls: []vapi.ToolCall{call("call_9", "nowhere", `{}`)}}
		_, client := hookServer(t, vapitest.WithChatReplies(script.reply))
		_, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(""), Input: vapi.ChatInputText("hi")})
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 500, apiErr.StatusCode)
		assert.Contains(t, strings.Join(apiErr.Messages, " "), `tool call "call_9" ("nowhere"): no server URL`)
	})
	t.Run("an assistantId the server does not hold fails the turn naming it", func(t *testing.T) {
		script := &scripted{calls: []vapi.ToolCall{call("call_1", "f", `{}`)}}
		_, client := hookServer(t, vapitest.WithChatReplies(script.reply))
		const missing = "00000000-0000-4000-8000-00000000dead"
		_, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{AssistantID: vapi.String(missing), Input: vapi.ChatInputText("hi")})
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 500, apiErr.StatusCode)
		assert.Contains(t, strings.Join(apiErr.Messages, " "), `the chat's assistant "`+missing+`": GET /assistant/`+missing+`: 404`)
	})
	t.Run("looking up an assistant neither records a request nor uses up a queued failure", func(t *testing.T) {
		var srv *vapitest.Server
		srv, client := hookServer(t, vapitest.WithChatReplies(func(context.Context, []vapi.ChatMessage) vapitest.Reply {
			srv.Fail(vapitest.Failure{Status: 503})
			return vapitest.Reply{ToolCalls: []vapi.ToolCall{call("call_1", "f", `{}`)}}
		}))
		_, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{AssistantID: vapi.String("a-404"), Input: vapi.ChatInputText("hi")})
		require.Error(t, err)
		assert.Len(t, srv.Requests(), 1, "only the chat request is recorded")
		_, err = client.Sessions.List(ctx, nil)
		assert.ErrorIs(t, err, vapi.ErrServer, "the failure queued during the turn is still there for the next request")
	})
	t.Run("a server URL that refuses the message gives the calls an error result", func(t *testing.T) {
		tools := newToolServer(t)
		script := &scripted{calls: []vapi.ToolCall{call("call_1", "get_weather", `{}`)}}
		// No WithWebhookHMAC: the message goes unsigned and the router refuses it.
		srv, client := hookServer(t, vapitest.WithChatReplies(script.reply))
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(tools.URL), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		assert.Contains(t, chat.OutputText(), "call_1=vapitest: webhook: "+tools.URL+" answered 401 Unauthorized")
		assert.Empty(t, tools.calls)
		d := srv.WebhookDeliveries()
		require.Len(t, d, 1)
		assert.Equal(t, 401, d[0].StatusCode)
		assert.Error(t, d[0].Err)
	})
	t.Run("an answer without the call's result says so", func(t *testing.T) {
		rec := newRawReceiver(t, 200, `{"results":[{"toolCallId":"other","name":"x","result":"y"}]}`)
		script := &scripted{calls: []vapi.ToolCall{call("call_1", "f", `{}`)}}
		_, client := hookServer(t, vapitest.WithChatReplies(script.reply))
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(rec.URL), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		assert.Contains(t, chat.OutputText(), "has no result for this tool call")
	})
	t.Run("an answer that is not a tool-calls answer says so", func(t *testing.T) {
		rec := newRawReceiver(t, 200, `[1,2]`)
		script := &scripted{calls: []vapi.ToolCall{call("call_1", "f", `{}`)}}
		_, client := hookServer(t, vapitest.WithChatReplies(script.reply))
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(rec.URL), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		assert.Contains(t, chat.OutputText(), "is not a tool-calls answer")
	})
	t.Run("a function that never stops calling tools fails the turn", func(t *testing.T) {
		rec := newRawReceiver(t, 200, `{"results":[{"toolCallId":"call_1","name":"f","result":"again"}]}`)
		n := 0
		_, client := hookServer(t, vapitest.WithChatReplies(func(context.Context, []vapi.ChatMessage) vapitest.Reply {
			n++
			return vapitest.Reply{ToolCalls: []vapi.ToolCall{call("call_1", "f", `{}`)}}
		}))
		_, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(rec.URL), Input: vapi.ChatInputText("hi")})
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 500, apiErr.StatusCode)
		assert.Equal(t, vapitest.MaxToolRounds+1, n)
	})
}

func TestChatRepliesWithoutToolsAndStreams(t *testing.T) {
	ctx := context.Background()
	t.Run("a reply without tool calls is the text, as a responder's", func(t *testing.T) {
		_, client := hookServer(t, vapitest.WithChatReplies(func(_ context.Context, m []vapi.ChatMessage) vapitest.Reply {
			return vapitest.Reply{Text: "plain"}
		}))
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{AssistantID: vapi.String("a1"), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		assert.Equal(t, "plain", chat.OutputText())
		assert.Len(t, chat.Output, 1)
	})
	t.Run("the last of WithChatReplies and WithChatResponder counts", func(t *testing.T) {
		_, client := hookServer(t,
			vapitest.WithChatReplies(func(context.Context, []vapi.ChatMessage) vapitest.Reply { return vapitest.Reply{Text: "replies"} }),
			vapitest.WithChatResponder(func(context.Context, []vapi.ChatMessage) string { return "responder" }))
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{AssistantID: vapi.String("a1"), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		assert.Equal(t, "responder", chat.OutputText())
	})
	t.Run("a streamed turn streams the final text at its index in the output", func(t *testing.T) {
		tools := newToolServer(t)
		script := &scripted{calls: []vapi.ToolCall{call("call_1", "get_weather", `{"city":"Rome"}`)}}
		_, client := hookServer(t, vapitest.WithWebhookHMAC(tools.URL, toolPlan), vapitest.WithChatReplies(script.reply))
		stream, err := client.Chats.Stream(ctx, &vapi.CreateChatRequest{Assistant: assistantWith(tools.URL), Input: vapi.ChatInputText("hi")})
		require.NoError(t, err)
		defer stream.Close()
		var paths []string
		for stream.Next() {
			paths = append(paths, stream.Event().Path)
		}
		require.NoError(t, stream.Err())
		assert.Equal(t, `Tools said: call_1={"city":"Rome","celsius":21}`, stream.Text())
		require.NotEmpty(t, paths)
		assert.Equal(t, "chat.output[2].content", paths[0], "after the calls and the result")
	})
}

// postJSON posts body to the fake's path with its key and returns the
// status and the decoded answer.
func postJSON(t *testing.T, srv *vapitest.Server, path string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer hook-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestChatRepliesUseTheStoredAssistantAndTools(t *testing.T) {
	tools := newToolServer(t)
	script := &scripted{calls: []vapi.ToolCall{call("call_1", "get_weather", `{"city":"Nice"}`)}}
	srv, client := hookServer(t, vapitest.WithWebhookHMAC(tools.URL, toolPlan), vapitest.WithChatReplies(script.reply))
	status, tool := postJSON(t, srv, "/tool", map[string]any{
		"type": "function", "function": map[string]any{"name": "get_weather"}, "server": map[string]any{"url": tools.URL},
	})
	if status == http.StatusNotFound {
		t.Skip("this server does not fake POST /tool")
	}
	require.Equal(t, http.StatusCreated, status, "%v", tool)
	status, assistant := postJSON(t, srv, "/assistant", map[string]any{
		"model": map[string]any{"provider": "openai", "model": "gpt-4o", "toolIds": []any{tool["id"]}},
	})
	require.Equal(t, http.StatusCreated, status, "%v", assistant)
	id, _ := assistant["id"].(string)

	chat, err := client.Chats.Create(context.Background(), &vapi.CreateChatRequest{AssistantID: &id, Input: vapi.ChatInputText("hi")})
	require.NoError(t, err)
	assert.Equal(t, `Tools said: call_1={"city":"Nice","celsius":21}`, chat.OutputText(),
		"the assistant by id, its tool by toolIds, the call to the tool's server.url")
	require.Len(t, toolDeliveries(srv), 1)
}
