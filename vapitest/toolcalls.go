package vapitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"slices"
	"strconv"
	"time"

	"github.com/govapi/vapi"
)

// Reply is what a [WithChatReplies] function answers for one step of a
// chat turn: the assistant's text, or the tools to call first.
type Reply struct {
	// Text is the assistant's reply, when ToolCalls is empty.
	Text string
	// ToolCalls are the tools to call first. Give each an ID, Type
	// "function" and the Function's Name and Arguments (a JSON object in a
	// string, as models write them).
	ToolCalls []vapi.ToolCall
}

// MaxToolRounds bounds how many times in one chat turn a [WithChatReplies]
// function may ask for tool calls before it must answer with text; past
// it, the turn fails with a 500, so that a function that never stops
// calling tools does not hang the test.
const MaxToolRounds = 16

// WithChatReplies sets the function that writes the assistant's side of
// each chat turn, as [WithChatResponder] does, except that it may call
// tools first, as a live assistant does. It replaces a WithChatResponder
// function given before it (and is replaced by one given after).
//
// The function gets the request's context and the conversation so far
// (the context and input of the turn, as for WithChatResponder, then what
// the turn has added). When its Reply has ToolCalls, the server:
//
//  1. finds each call's server URL: the server.url of the function tool of
//     that name in the assistant's model.tools (or among the stored tools
//     its model.toolIds name), else the assistant's own server.url. The
//     assistant is the chat's: the request's inline assistant, else the
//     session's (or previous chat's), else the stored assistant its
//     assistantId names;
//  2. sends one tool-calls message per URL (one in the usual case), with
//     the calls in toolCallList, the matching function tools with their
//     call in toolWithToolCallList, the assistant, the chat (its id, orgId
//     and sessionId) and a timestamp, signed as that URL's
//     [WithWebhookSecret] or [WithWebhookHMAC] option says, unsigned
//     without one, as [Server.SendServerMessage] sends it;
//  3. appends to the conversation an assistant message with the calls
//     ({"role":"assistant","tool_calls":[...]}) and, for each call in
//     order, a tool message ({"role":"tool","tool_call_id":...,
//     "content":...}) holding the call's result from the answer, or its
//     error when the answer gives an error instead;
//  4. asks the function again with the longer conversation.
//
// When the Reply has no ToolCalls, its Text is the turn's final reply. The
// tool calls, their results and the final text, in that order, are the
// chat's output and are appended to the session's messages; a streamed
// reply streams the final text (its path names its index in the output).
// Each delivery is recorded in [Server.WebhookDeliveries].
//
// A call whose URL answers with a status other than 2xx, or with a body
// that is not a tool-calls answer, or whose answer has no result for it,
// gets a tool message saying so, as a live assistant tells its model that
// a tool failed: the test sees it in the conversation and in the
// delivery's Err. A call for which no server URL can be found, or more
// than [MaxToolRounds] rounds of calls, or an assistantId or toolIds entry
// the server does not hold, fail the chat request with a 500 naming the
// call or the id: a test setup error, not a tool's.
func WithChatReplies(fn func(ctx context.Context, messages []vapi.ChatMessage) Reply) Option {
	return func(c *config) {
		c.replies = fn
		c.responder = nil
	}
}

// turnContext is what answering a turn needs to know of its chat.
type turnContext struct {
	chat      vapi.Chat             // id, orgId, sessionId, assistantId, timestamps
	assistant *vapi.AssistantConfig // the inline assistant, when there is one
	messages  []vapi.ChatMessage    // the conversation so far
	now       time.Time             // the server's time of the turn
}

// reply computes a turn's output: the responder's reply, or the rounds of
// WithChatReplies with their tool calls. It returns the output and the
// final text.
func (s *Server) reply(ctx context.Context, tc turnContext) ([]vapi.ChatMessage, string, error) {
	if s.cfg.replies == nil {
		respond := s.cfg.responder
		if respond == nil {
			respond = defaultResponder
		}
		text := respond(ctx, append([]vapi.ChatMessage(nil), tc.messages...))
		return []vapi.ChatMessage{&vapi.AssistantMessage{Content: &text}}, text, nil
	}
	conv := append([]vapi.ChatMessage(nil), tc.messages...)
	var out []vapi.ChatMessage
	for round := 0; ; round++ {
		r := s.cfg.replies(ctx, append([]vapi.ChatMessage(nil), conv...))
		if len(r.ToolCalls) == 0 {
			text := r.Text
			return append(out, &vapi.AssistantMessage{Content: &text}), text, nil
		}
		if round == MaxToolRounds {
			return nil, "", fmt.Errorf("the WithChatReplies function asked for tool calls %d times in one turn without answering with text", MaxToolRounds+1)
		}
		calls := append([]vapi.ToolCall(nil), r.ToolCalls...)
		results, err := s.callTools(ctx, tc, calls)
		if err != nil {
			return nil, "", err
		}
		added := append([]vapi.ChatMessage{&vapi.AssistantMessage{ToolCalls: calls}}, results...)
		out = append(out, added...)
		conv = append(conv, added...)
	}
}

// toolTarget is where one call goes: the URL, and the function tool that
// named it, when the assistant has one.
type toolTarget struct {
	url  string
	tool json.RawMessage // the tool's JSON, nil when the URL is the assistant's
}

// callTools sends the calls to their server URLs, one tool-calls message
// per URL, and returns one tool message per call, in the calls' order.
func (s *Server) callTools(ctx context.Context, tc turnContext, calls []vapi.ToolCall) ([]vapi.ChatMessage, error) {
	assistant := tc.assistant
	if assistant == nil && tc.chat.AssistantID != nil {
		raw, err := s.stored("/assistant/"+neturl.PathEscape(*tc.chat.AssistantID), tc.now)
		if err != nil {
			return nil, fmt.Errorf("the chat's assistant %s: %w", strconv.Quote(*tc.chat.AssistantID), err)
		}
		assistant = new(vapi.AssistantConfig)
		if err := json.Unmarshal(raw, assistant); err != nil {
			return nil, fmt.Errorf("the chat's assistant %s: %w", strconv.Quote(*tc.chat.AssistantID), err)
		}
		tc.assistant = assistant
	}
	tools, assistantURL, err := s.assistantTools(assistant, tc.now)
	if err != nil {
		return nil, err
	}
	targets := make([]toolTarget, len(calls))
	var urls []string // in the order of their first call
	for i, call := range calls {
		t, ok := tools[call.Function.Name]
		switch {
		case ok && t.url != "":
		case assistantURL != "":
			t.url = assistantURL
		default:
			return nil, fmt.Errorf("tool call %s (%s): no server URL: the chat's assistant has no function tool of that name with a server.url, and no server.url of its own", strconv.Quote(call.ID), strconv.Quote(call.Function.Name))
		}
		targets[i] = t
		if !slices.Contains(urls, t.url) {
			urls = append(urls, t.url)
		}
	}
	// The chat as far as a tool server needs it, without the conversation.
	chat := vapi.Chat{
		ID: tc.chat.ID, OrgID: tc.chat.OrgID,
		SessionID: tc.chat.SessionID, PreviousChatID: tc.chat.PreviousChatID,
		AssistantID: tc.chat.AssistantID, SquadID: tc.chat.SquadID,
		CreatedAt: tc.chat.CreatedAt, UpdatedAt: tc.chat.UpdatedAt,
	}
	contents := make([]string, len(calls))
	for _, url := range urls {
		msg := &vapi.ServerMessageToolCalls{
			Timestamp: ptrTo(vapi.TimestampOf(tc.now)),
			Assistant: tc.assistant,
			Chat:      &chat,
		}
		var idx []int
		for i, call := range calls {
			if targets[i].url != url {
				continue
			}
			idx = append(idx, i)
			msg.ToolCallList = append(msg.ToolCallList, call)
			with := &vapi.FunctionToolWithToolCall{}
			if targets[i].tool != nil {
				// Unknown members of a stored tool (id, orgId, ...) are
				// not part of a tool-calls message.
				_ = json.Unmarshal(targets[i].tool, with)
			}
			with.ToolCall = call
			msg.ToolWithToolCallList = append(msg.ToolWithToolCallList, with)
		}
		answer, err := s.SendServerMessage(ctx, url, msg)
		results, bad := readToolResults(answer, err)
		for _, i := range idx {
			switch r, ok := results[calls[i].ID]; {
			case bad != "":
				contents[i] = bad
			case !ok:
				contents[i] = "vapitest: the answer of " + url + " has no result for this tool call"
			case r.Result != nil:
				contents[i] = *r.Result
			case r.Error != nil:
				contents[i] = *r.Error
			}
		}
	}
	out := make([]vapi.ChatMessage, len(calls))
	for i, call := range calls {
		name := call.Function.Name
		out[i] = &vapi.ToolMessage{ToolCallID: call.ID, Content: contents[i], Name: &name}
	}
	return out, nil
}

// readToolResults reads the answer to a tool-calls message, by call id;
// bad is the content of every call's tool message when the delivery or
// the answer failed.
func readToolResults(answer []byte, sendErr error) (results map[string]vapi.ToolCallResult, bad string) {
	if sendErr != nil {
		return nil, sendErr.Error()
	}
	var resp vapi.ServerMessageResponseToolCalls
	if err := json.Unmarshal(answer, &resp); err != nil {
		return nil, "vapitest: the answer is not a tool-calls answer: " + err.Error()
	}
	if len(resp.Results) == 0 && resp.Error != nil {
		return nil, *resp.Error
	}
	results = make(map[string]vapi.ToolCallResult, len(resp.Results))
	for _, r := range resp.Results {
		results[r.ToolCallID] = r
	}
	return results, ""
}

// assistantTools reads, from the assistant's JSON, its function tools by
// name (those of model.tools, then the stored tools model.toolIds names)
// and its own server URL. Reading the JSON rather than the Go types covers
// every model provider at once.
func (s *Server) assistantTools(a *vapi.AssistantConfig, now time.Time) (map[string]toolTarget, string, error) {
	if a == nil {
		return nil, "", nil
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return nil, "", fmt.Errorf("reading the chat's assistant: %w", err)
	}
	var shape struct {
		Server *struct {
			URL string `json:"url"`
		} `json:"server"`
		Model *struct {
			Tools   []json.RawMessage `json:"tools"`
			ToolIDs []string          `json:"toolIds"`
		} `json:"model"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		return nil, "", fmt.Errorf("reading the chat's assistant: %w", err)
	}
	url := ""
	if shape.Server != nil {
		url = shape.Server.URL
	}
	tools := map[string]toolTarget{}
	if shape.Model == nil {
		return tools, url, nil
	}
	all := shape.Model.Tools
	for _, id := range shape.Model.ToolIDs {
		t, err := s.stored("/tool/"+neturl.PathEscape(id), now)
		if err != nil {
			return nil, "", fmt.Errorf("the tool %s of the chat's assistant: %w", strconv.Quote(id), err)
		}
		all = append(all, t)
	}
	for _, t := range all {
		var tool struct {
			Type     string `json:"type"`
			Function *struct {
				Name string `json:"name"`
			} `json:"function"`
			Server *struct {
				URL string `json:"url"`
			} `json:"server"`
		}
		if json.Unmarshal(t, &tool) != nil || tool.Type != "function" || tool.Function == nil {
			continue
		}
		target := toolTarget{tool: t}
		if tool.Server != nil {
			target.url = tool.Server.URL
		}
		if _, dup := tools[tool.Function.Name]; !dup {
			tools[tool.Function.Name] = target
		}
	}
	return tools, url, nil
}

// stored returns the JSON of a resource the server holds, as GET path
// would serve it, without going through the network, recording the
// request, or consuming a failure queued with Fail.
func (s *Server) stored(path string, now time.Time) (json.RawMessage, error) {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	key := s.cfg.apiKey
	if key == "" {
		key = "vapitest-internal"
	}
	r.Header.Set("Authorization", "Bearer "+key)
	o := prepare(r, nil)
	s.mu.Lock()
	queued := s.failures
	s.failures = nil
	resp, finish := s.route(r, o, now)
	s.failures = queued
	s.mu.Unlock()
	if finish != nil {
		resp = finish()
	}
	if resp.status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", path, resp.status, http.StatusText(resp.status))
	}
	return resp.body, nil
}

// ptrTo returns a pointer to v.
func ptrTo[T any](v T) *T { return &v }
