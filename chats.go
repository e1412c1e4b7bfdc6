package vapi

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ChatsService calls the Chats API: text conversations with an assistant or
// squad, each chat one turn. A chat continues a session (SessionID), which
// holds the conversation's messages, or a previous chat (PreviousChatID);
// the reply comes whole ([ChatsService.Create]) or streamed as it is
// generated ([ChatsService.Stream]).
//
//	session, _ := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{AssistantID: vapi.String(assistantID)})
//	chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{
//		SessionID: vapi.String(session.ID),
//		Input:     vapi.ChatInputText("Where is my order?"),
//	})
//	if err != nil {
//		return err
//	}
//	fmt.Println(chat.OutputText())
type ChatsService struct {
	client *Client
}

// chats is the resource ChatsService calls.
var chats = resource{path: "/chat", noun: "chat"}

// resourceID makes a 2xx body without an id an unexpected response.
func (c *Chat) resourceID() string { return c.ID }

// resourceID makes a 2xx body without an id an unexpected response.
func (r *ResponseObject) resourceID() string { return r.ID }

func (p *ChatPage) results() []Chat { return p.Results }

func (p *ChatPage) metadata() *PaginationMeta { return &p.Metadata }

// OutputText returns the text of the assistant messages in c.Output, joined
// without a separator (as a stream joins its deltas): the reply. Messages
// without content (an assistant message that only calls tools) add nothing.
func (c *Chat) OutputText() string {
	var text string
	for _, m := range c.Output {
		if am, ok := m.(*AssistantMessage); ok && am != nil && am.Content != nil {
			text += *am.Content
		}
	}
	return text
}

// OutputText returns the text of the assistant output messages in
// r.Output, joined without a separator, as [Chat.OutputText] joins its
// messages and a [ResponseStream] its deltas: the reply. Every message of
// Output is the assistant's; each adds the text of its output_text parts,
// in order. A nil response has no text.
func (r *ResponseObject) OutputText() string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	for _, m := range r.Output {
		for _, part := range m.Content {
			b.WriteString(part.Text)
		}
	}
	return b.String()
}

// Create sends one turn of a chat and returns the chat with its reply
// (see [Chat.OutputText]). It never asks for a stream, whatever req.Stream
// says; [ChatsService.Stream] does. req is not modified. Unless
// [WithoutValidation] is given, req is validated first and an invalid one
// is returned as a [*ValidationError] without sending anything: among other
// rules, sessionId excludes previousChatId, assistantId, assistant, squadId
// and squad.
//
// The API takes no idempotency key: a retry after a failure that the server
// did act on (a reset connection, 500, 502, 504) sends the turn twice.
// [WithoutDuplicateCreates] retries only what provably did not reach it.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/create
//
//meta:operation POST /chat
func (s *ChatsService) Create(ctx context.Context, req *CreateChatRequest, opts ...Option) (*Chat, error) {
	if req == nil {
		return nil, errors.New("vapi: POST /chat: the request is nil")
	}
	r := *req
	r.Stream = Bool(false)
	return createResource[Chat](ctx, s.client, chats, &r, opts)
}

// Stream sends one turn of a chat with "stream": true, whatever req.Stream
// says, and returns the reply as a [ChatStream] once the response headers
// are in. req is not modified. Unless [WithoutValidation] is given, req is
// validated first, as by Create.
//
// A status other than 2xx is an [*APIError] from Stream itself, after the
// usual retries; nothing is retried once the body has started. As for
// Create, a retry after a failure that the server did act on (a reset
// connection, 500, 502, 504) sends the turn twice; [WithoutDuplicateCreates]
// retries only what provably did not reach it. [WithTimeout]
// bounds the wait for the headers only; ctx bounds the whole stream, and
// [WithStreamIdleTimeout] each wait between two events. The caller must
// Close the stream, or read it to its end.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/create
//
//meta:operation POST /chat
func (s *ChatsService) Stream(ctx context.Context, req *CreateChatRequest, opts ...Option) (*ChatStream, error) {
	if req == nil {
		return nil, errors.New("vapi: POST /chat: the request is nil")
	}
	r := *req
	r.Stream = Bool(true)
	stream := &ChatStream{es: new(eventStream)}
	if err := s.stream(ctx, "/chat", &r, new(Chat), stream.es, opts); err != nil {
		return nil, err
	}
	return stream, nil
}

// CreateResponse sends one turn of a chat to the OpenAI-compatible
// endpoint, with "stream": false (the server's default is to stream), and
// returns the reply in the format of OpenAI's Responses API. req is not
// modified. Unless [WithoutValidation] is given, req is validated first.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/create-chat-open-ai-compatible
//
//meta:operation POST /chat/responses
func (s *ChatsService) CreateResponse(ctx context.Context, req *OpenAIResponsesRequest, opts ...Option) (*ResponseObject, error) {
	if req == nil {
		return nil, errors.New("vapi: POST /chat/responses: the request is nil")
	}
	r := *req
	r.Stream = Bool(false)
	return createResource[ResponseObject](ctx, s.client, responses, &r, opts)
}

// StreamResponse sends one turn of a chat to the OpenAI-compatible endpoint
// with "stream": true and returns the reply as a [ResponseStream] of
// OpenAI Responses events once the response headers are in. It fails,
// retries and is bounded like [ChatsService.Stream].
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/create-chat-open-ai-compatible
//
//meta:operation POST /chat/responses
func (s *ChatsService) StreamResponse(ctx context.Context, req *OpenAIResponsesRequest, opts ...Option) (*ResponseStream, error) {
	if req == nil {
		return nil, errors.New("vapi: POST /chat/responses: the request is nil")
	}
	r := *req
	r.Stream = Bool(true)
	stream := &ResponseStream{es: new(eventStream)}
	if err := s.stream(ctx, "/chat/responses", &r, new(ResponseObject), stream.es, opts); err != nil {
		return nil, err
	}
	return stream, nil
}

// responses is the OpenAI-compatible endpoint, for the shared calls.
var responses = resource{path: "/chat/responses", noun: "response"}

// stream validates req, sends it to path and starts es on the answer; out
// is what a JSON answer decodes into.
func (s *ChatsService) stream(ctx context.Context, path string, req validatable, out any, es *eventStream, opts []Option) error {
	cl, err := s.client.newCall(http.MethodPost, path, opts)
	if err != nil {
		return err
	}
	if !cl.noValidation {
		if err := req.Validate(); err != nil {
			return err
		}
	}
	resp, err := cl.stream(ctx, "", req, "text/event-stream")
	if err != nil {
		return err
	}
	return es.start(ctx, cl, resp, out)
}

// Get returns the chat with the given id.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/get
//
//meta:operation GET /chat/{id}
func (s *ChatsService) Get(ctx context.Context, id string, opts ...Option) (*Chat, error) {
	return callByID[Chat](ctx, s.client, chats, http.MethodGet, id, nil, opts)
}

// List returns one page of chats, filtered, sorted and paginated by params,
// which may be nil. Unless [WithoutValidation] is given, params is
// validated first. [ChatsService.ListAll] walks every page.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/list
//
//meta:operation GET /chat
func (s *ChatsService) List(ctx context.Context, params *ListChatsParams, opts ...Option) (*ChatPage, error) {
	return listPage[ChatPage](ctx, s.client, chats, params, opts)
}

// ListAll returns an iterator over every chat that params selects, fetching
// pages as the loop needs them: it asks for the next page number while the
// server reports more pages. It stops at the first error, which it yields
// with a nil chat, and it never loops forever: a server that repeats a page,
// or says there is a next page but sends no results, ends the walk with an
// error. params may be nil and is not modified.
//
//	for chat, err := range client.Chats.ListAll(ctx, &vapi.ListChatsParams{SessionID: vapi.String(id)}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(chat.ID, chat.OutputText())
//	}
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/list
//
//meta:operation GET /chat
func (s *ChatsService) ListAll(ctx context.Context, params *ListChatsParams, opts ...Option) iter.Seq2[*Chat, error] {
	return listAll[ChatPage, Chat](ctx, s.client, chats, params, opts)
}

// Delete deletes the chat with the given id and returns it.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/chats/delete
//
//meta:operation DELETE /chat/{id}
func (s *ChatsService) Delete(ctx context.Context, id string, opts ...Option) (*Chat, error) {
	return callByID[Chat](ctx, s.client, chats, http.MethodDelete, id, nil, opts)
}

// ChatSortBy is the column that List sorts chats by.
type ChatSortBy string

// Columns to sort chats by.
const (
	ChatSortByCreatedAt ChatSortBy = "createdAt"
	ChatSortByDuration  ChatSortBy = "duration"
	ChatSortByCost      ChatSortBy = "cost"
)

// ListChatsParams are the query parameters of List and ListAll: filters,
// sorting and pagination. Unset fields are not sent.
type ListChatsParams struct {
	// ID filters by the chat's id.
	ID *string
	// IDAny filters by any of these chat ids.
	IDAny []string
	// SessionID filters by the session the chats belong to.
	SessionID *string
	// PreviousChatID filters by the chat the chats continue.
	PreviousChatID *string
	// AssistantID filters by the assistant's id.
	AssistantID *string
	// AssistantIDAny filters by any of these assistant ids.
	AssistantIDAny []string
	// SquadID filters by the squad's id.
	SquadID *string

	// Page is the page number, from 1; the server defaults to 1.
	Page *int
	// Limit is the page size, from 0 to 1000; the server defaults to 100.
	Limit *int
	// SortOrder is the sort direction; the server defaults to DESC.
	SortOrder SortOrder
	// SortBy is the column to sort by; the server defaults to createdAt.
	SortBy ChatSortBy

	// CreatedAtGt, CreatedAtLt, CreatedAtGe and CreatedAtLe select chats
	// created after, before, at or after, and at or before a time.
	CreatedAtGt, CreatedAtLt, CreatedAtGe, CreatedAtLe *time.Time
	// UpdatedAtGt, UpdatedAtLt, UpdatedAtGe and UpdatedAtLe select chats
	// updated after, before, at or after, and at or before a time.
	UpdatedAtGt, UpdatedAtLt, UpdatedAtGe, UpdatedAtLe *time.Time
}

// Validate checks p against the constraints of the API specification and
// returns nil or a [*ValidationError] listing every violation.
func (p *ListChatsParams) Validate() error {
	var v validator
	if p.Page != nil && *p.Page < 1 {
		v.failAt("page", "must be at least 1")
	}
	if p.Limit != nil && (*p.Limit < 0 || *p.Limit > 1000) {
		v.failAt("limit", "must be between 0 and 1000")
	}
	switch string(p.SortOrder) {
	case "", "ASC", "DESC":
	default:
		v.failAt("sortOrder", `must be one of "ASC", "DESC"`)
	}
	switch p.SortBy {
	case "", ChatSortByCreatedAt, ChatSortByDuration, ChatSortByCost:
	default:
		v.failAt("sortBy", `must be one of "createdAt", "duration", "cost"`)
	}
	return v.err()
}

// pagination tells ListAll where p keeps the page number; GET /chat takes
// no cursor.
func (p *ListChatsParams) pagination() (page **int, cursor **string) {
	return &p.Page, nil
}

// values encodes p as query parameters; the spec declares idAny and
// assistantIdAny as comma-separated strings.
func (p *ListChatsParams) values() url.Values {
	q := url.Values{}
	str := func(key string, s *string) {
		if s != nil {
			q.Set(key, *s)
		}
	}
	list := func(key string, l []string) {
		if len(l) > 0 {
			q.Set(key, strings.Join(l, ","))
		}
	}
	num := func(key string, n *int) {
		if n != nil {
			q.Set(key, strconv.Itoa(*n))
		}
	}
	tm := func(key string, t *time.Time) {
		if t != nil {
			q.Set(key, t.Format(time.RFC3339Nano))
		}
	}
	str("id", p.ID)
	list("idAny", p.IDAny)
	str("sessionId", p.SessionID)
	str("previousChatId", p.PreviousChatID)
	str("assistantId", p.AssistantID)
	list("assistantIdAny", p.AssistantIDAny)
	str("squadId", p.SquadID)
	num("page", p.Page)
	num("limit", p.Limit)
	if p.SortOrder != "" {
		q.Set("sortOrder", string(p.SortOrder))
	}
	if p.SortBy != "" {
		q.Set("sortBy", string(p.SortBy))
	}
	tm("createdAtGt", p.CreatedAtGt)
	tm("createdAtLt", p.CreatedAtLt)
	tm("createdAtGe", p.CreatedAtGe)
	tm("createdAtLe", p.CreatedAtLe)
	tm("updatedAtGt", p.UpdatedAtGt)
	tm("updatedAtLt", p.UpdatedAtLt)
	tm("updatedAtGe", p.UpdatedAtGe)
	tm("updatedAtLe", p.UpdatedAtLe)
	return q
}
