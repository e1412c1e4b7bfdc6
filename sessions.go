package vapi

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SessionsService calls the Sessions API: a session groups a conversation's
// chats and calls under one assistant or squad.
type SessionsService struct {
	client *Client
}

// sessions is the resource SessionsService calls.
var sessions = resource{path: "/session", noun: "session"}

// resourceID makes a 2xx body without an id an unexpected response.
func (s *Session) resourceID() string { return s.ID }

func (p *SessionPage) results() []Session { return p.Results }

func (p *SessionPage) metadata() *PaginationMeta { return &p.Metadata }

// Create creates a session. A nil req creates a session with every field at
// its default. Unless [WithoutValidation] is given, req is validated first
// and an invalid one is returned as a [*ValidationError] without sending
// anything.
//
// The API takes no idempotency key: a retry after a failure that the server
// did act on (a reset connection, 500, 502, 504) creates a second session.
// [WithoutDuplicateCreates] retries only what provably did not reach it.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/create
//
//meta:operation POST /session
func (s *SessionsService) Create(ctx context.Context, req *CreateSessionRequest, opts ...Option) (*Session, error) {
	if req == nil {
		req = &CreateSessionRequest{}
	}
	return createResource[Session](ctx, s.client, sessions, req, opts)
}

// Get returns the session with the given id.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/get
//
//meta:operation GET /session/{id}
func (s *SessionsService) Get(ctx context.Context, id string, opts ...Option) (*Session, error) {
	return callByID[Session](ctx, s.client, sessions, http.MethodGet, id, nil, opts)
}

// List returns one page of sessions, filtered, sorted and paginated by
// params, which may be nil. Unless [WithoutValidation] is given, params is
// validated first. [SessionsService.ListAll] walks every page.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/list
//
//meta:operation GET /session
func (s *SessionsService) List(ctx context.Context, params *ListSessionsParams, opts ...Option) (*SessionPage, error) {
	return listPage[SessionPage](ctx, s.client, sessions, params, opts)
}

// ListAll returns an iterator over every session that params selects,
// fetching pages as the loop needs them. It follows the server's nextCursor
// when the server sends one, else asks for the next page number while the
// server reports more pages. It stops at the first error, which it yields
// with a nil session. It never loops forever: a server that repeats a
// cursor or a page, or says there is a next page but sends no results, ends
// the walk with an error. params may be nil and is not modified.
//
//	for session, err := range client.Sessions.ListAll(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(session.ID)
//	}
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/list
//
//meta:operation GET /session
func (s *SessionsService) ListAll(ctx context.Context, params *ListSessionsParams, opts ...Option) iter.Seq2[*Session, error] {
	return listAll[SessionPage, Session](ctx, s.client, sessions, params, opts)
}

// Update changes the fields of the session with the given id that req sets.
// Unless [WithoutValidation] is given, req is validated first and an invalid
// one is returned as a [*ValidationError] without sending anything.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/update
//
//meta:operation PATCH /session/{id}
func (s *SessionsService) Update(ctx context.Context, id string, req *UpdateSessionRequest, opts ...Option) (*Session, error) {
	if req == nil {
		req = &UpdateSessionRequest{}
	}
	return callByID[Session](ctx, s.client, sessions, http.MethodPatch, id, req, opts)
}

// Delete deletes the session with the given id and returns it.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/sessions/delete
//
//meta:operation DELETE /session/{id}
func (s *SessionsService) Delete(ctx context.Context, id string, opts ...Option) (*Session, error) {
	return callByID[Session](ctx, s.client, sessions, http.MethodDelete, id, nil, opts)
}

// SessionSortBy is the column that List sorts sessions by.
type SessionSortBy string

// Columns to sort sessions by.
const (
	SessionSortByCreatedAt SessionSortBy = "createdAt"
	SessionSortByDuration  SessionSortBy = "duration"
	SessionSortByCost      SessionSortBy = "cost"
)

// ListSessionsParams are the query parameters of List and ListAll: filters,
// sorting and pagination. Unset fields are not sent.
//
// The spec also flattens the assistantOverrides and squadOverrides objects of
// a customer into this query; objects cannot be query parameters, so they
// are left out. It lists "name" twice, for the session's name and the
// customer's; Name is that one parameter.
type ListSessionsParams struct {
	// ID filters by the session's id.
	ID *string
	// IDAny filters by any of these session ids.
	IDAny []string
	// Name filters by name (at most 40 characters).
	Name *string
	// AssistantID filters by the assistant's id.
	AssistantID *string
	// AssistantIDAny filters by any of these assistant ids.
	AssistantIDAny []string
	// SquadID filters by the squad's id.
	SquadID *string
	// WorkflowID filters by the workflow's id.
	WorkflowID *string
	// PhoneNumberID filters by the phone number's id.
	PhoneNumberID *string
	// PhoneNumberIDAny filters by any of these phone number ids.
	PhoneNumberIDAny []string

	// Number filters by the customer's number (3 to 40 characters).
	Number *string
	// CustomerNumberAny filters by any of these customer numbers.
	CustomerNumberAny []string
	// NumberE164CheckEnabled toggles the E.164 check of Number; the server
	// defaults to true.
	NumberE164CheckEnabled *bool
	// Extension filters by the customer's extension (at most 10 characters).
	Extension *string
	// SIPURI filters by the customer's SIP URI.
	SIPURI *string
	// Email filters by the customer's email (at most 40 characters).
	Email *string
	// ExternalID filters by the customer's external id (at most 40
	// characters).
	ExternalID *string

	// Page is the page number, from 1; the server defaults to 1. Set it
	// with vapi.Int.
	Page *int
	// Limit is the page size, from 0 to 1000; the server defaults to 100.
	// Set it with vapi.Int.
	Limit *int
	// SortOrder is the sort direction; the server defaults to DESC.
	SortOrder SortOrder
	// SortBy is the column to sort by; the server defaults to createdAt.
	SortBy SessionSortBy
	// Cursor asks for the page after the one whose metadata returned it as
	// nextCursor. ListAll sets it.
	Cursor *string

	// CreatedAtGt, CreatedAtLt, CreatedAtGe and CreatedAtLe select sessions
	// created after, before, at or after, and at or before a time.
	CreatedAtGt, CreatedAtLt, CreatedAtGe, CreatedAtLe *time.Time
	// UpdatedAtGt, UpdatedAtLt, UpdatedAtGe and UpdatedAtLe select sessions
	// updated after, before, at or after, and at or before a time.
	UpdatedAtGt, UpdatedAtLt, UpdatedAtGe, UpdatedAtLe *time.Time
}

// Validate checks p against the constraints of the API specification and
// returns nil or a [*ValidationError] listing every violation.
func (p *ListSessionsParams) Validate() error {
	var v validator
	maxLen := func(name string, s *string, n int) {
		if s != nil && textLength(*s) > n {
			v.failAt(name, "must be at most "+strconv.Itoa(n)+" characters")
		}
	}
	maxLen("name", p.Name, 40)
	maxLen("extension", p.Extension, 10)
	maxLen("email", p.Email, 40)
	maxLen("externalId", p.ExternalID, 40)
	if p.Number != nil {
		if n := textLength(*p.Number); n < 3 || n > 40 {
			v.failAt("number", "must be between 3 and 40 characters")
		}
	}
	if p.Page != nil && *p.Page < 1 {
		v.failAt("page", "must be at least 1")
	}
	if p.Limit != nil && (*p.Limit < 0 || *p.Limit > 1000) {
		v.failAt("limit", "must be between 0 and 1000")
	}
	switch p.SortOrder {
	case "", SortOrderASC, SortOrderDESC:
	default:
		v.failAt("sortOrder", `must be one of "ASC", "DESC"`)
	}
	switch p.SortBy {
	case "", SessionSortByCreatedAt, SessionSortByDuration, SessionSortByCost:
	default:
		v.failAt("sortBy", `must be one of "createdAt", "duration", "cost"`)
	}
	return v.err()
}

// pagination lets ListAll move through pages by number or by cursor.
func (p *ListSessionsParams) pagination() (page **int, cursor **string) {
	return &p.Page, &p.Cursor
}

// values encodes p as query parameters. Lists that the spec declares as
// comma-separated strings are joined with commas; phoneNumberIdAny, an
// array, is repeated.
func (p *ListSessionsParams) values() url.Values {
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
	str("name", p.Name)
	str("assistantId", p.AssistantID)
	list("assistantIdAny", p.AssistantIDAny)
	str("squadId", p.SquadID)
	str("workflowId", p.WorkflowID)
	str("phoneNumberId", p.PhoneNumberID)
	for _, id := range p.PhoneNumberIDAny {
		q.Add("phoneNumberIdAny", id)
	}
	str("number", p.Number)
	list("customerNumberAny", p.CustomerNumberAny)
	if p.NumberE164CheckEnabled != nil {
		q.Set("numberE164CheckEnabled", strconv.FormatBool(*p.NumberE164CheckEnabled))
	}
	str("extension", p.Extension)
	str("sipUri", p.SIPURI)
	str("email", p.Email)
	str("externalId", p.ExternalID)
	num("page", p.Page)
	num("limit", p.Limit)
	if p.SortOrder != "" {
		q.Set("sortOrder", string(p.SortOrder))
	}
	if p.SortBy != "" {
		q.Set("sortBy", string(p.SortBy))
	}
	str("cursor", p.Cursor)
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
