package vapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestSessionsMethods(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func(*vapi.SessionsService) (*vapi.Session, error)
		status   int
		method   string
		uri      string
		wantBody string // "" for no body
	}{
		{
			name: "Create posts the request to /session",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Create(ctx, &vapi.CreateSessionRequest{
					Name:        vapi.String("support"),
					AssistantID: vapi.String("asst-1"),
					Customer:    &vapi.CustomerConfig{Number: vapi.String("+14155550100")},
				})
			},
			status: 201, method: "POST", uri: "/session",
			wantBody: `{"name":"support","assistantId":"asst-1","customer":{"number":"+14155550100"}}`,
		},
		{
			name: "Create with a nil request posts an empty object",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Create(ctx, nil)
			},
			status: 201, method: "POST", uri: "/session", wantBody: `{}`,
		},
		{
			name: "Get reads /session/{id}",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Get(ctx, "sess-1")
			},
			status: 200, method: "GET", uri: "/session/sess-1",
		},
		{
			name: "Update patches /session/{id}",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Update(ctx, "sess-1", &vapi.UpdateSessionRequest{Status: vapi.SessionStatusCompleted})
			},
			status: 200, method: "PATCH", uri: "/session/sess-1", wantBody: `{"status":"completed"}`,
		},
		{
			name: "Update with a nil request patches with an empty object",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Update(ctx, "sess-1", nil)
			},
			status: 200, method: "PATCH", uri: "/session/sess-1", wantBody: `{}`,
		},
		{
			name: "Delete deletes /session/{id} and returns the session",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Delete(ctx, "sess-1")
			},
			status: 200, method: "DELETE", uri: "/session/sess-1",
		},
		{
			name: "Get path-escapes the id",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Get(ctx, "a/b c?d#e%f")
			},
			status: 200, method: "GET", uri: "/session/a%2Fb%20c%3Fd%23e%25f",
		},
		{
			name: "Delete cannot be redirected to another path by a dot-dot id",
			call: func(s *vapi.SessionsService) (*vapi.Session, error) {
				return s.Delete(ctx, "../assistant/asst-1")
			},
			status: 200, method: "DELETE", uri: "/session/..%2Fassistant%2Fasst-1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, sessionHandler(tt.status))
			c := newTestClient(t, srv)
			s, err := tt.call(c.Sessions)
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
			assert.Equal(t, "sess-1", s.ID)
			assert.Equal(t, "org-1", s.OrgID)
			assert.Equal(t, vapi.SessionStatusActive, s.Status)
			assert.Equal(t, time.Date(2026, 11, 20, 14, 3, 11, 482e6, time.UTC), s.CreatedAt)
			require.NotNil(t, s.Name)
			assert.Equal(t, "support", *s.Name)
		})
	}
}

func TestEmptyIDIsRefusedBeforeAnyRequest(t *testing.T) {
	srv := newTestServer(t, sessionHandler(200))
	c := newTestClient(t, srv)
	ctx := context.Background()
	calls := map[string]func() (*vapi.Session, error){
		"Get":    func() (*vapi.Session, error) { return c.Sessions.Get(ctx, "") },
		"Update": func() (*vapi.Session, error) { return c.Sessions.Update(ctx, "", &vapi.UpdateSessionRequest{}) },
		"Delete": func() (*vapi.Session, error) { return c.Sessions.Delete(ctx, "") },
	}
	for name, call := range calls {
		t.Run(name+" refuses an empty id", func(t *testing.T) {
			s, err := call()
			assert.Nil(t, s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "session id is empty")
			assert.Zero(t, srv.Count())
		})
	}
}

func TestRequestValidation(t *testing.T) {
	ctx := context.Background()
	longName := vapi.String(strings.Repeat("n", 41))
	t.Run("Create returns the ValidationError and sends nothing", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(201))
		c := newTestClient(t, srv)
		_, err := c.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: longName, Status: "paused"})
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.True(t, verr.Has("name"))
		assert.True(t, verr.Has("status"))
		assert.Zero(t, srv.Count())
	})
	t.Run("Update returns the ValidationError and sends nothing", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv)
		_, err := c.Sessions.Update(ctx, "sess-1", &vapi.UpdateSessionRequest{ExpirationSeconds: vapi.Float64(1)})
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.True(t, verr.Has("expirationSeconds"))
		assert.Zero(t, srv.Count())
	})
	t.Run("WithoutValidation on the call sends the request as it is", func(t *testing.T) {
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			reply(w, 400, `{"message":["name must be shorter than or equal to 40 characters"],"error":"Bad Request","statusCode":400}`)
		})
		c := newTestClient(t, srv)
		_, err := c.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: longName}, vapi.WithoutValidation())
		require.ErrorIs(t, err, vapi.ErrBadRequest)
		require.Equal(t, 1, srv.Count())
		assert.JSONEq(t, `{"name":"`+*longName+`"}`, string(srv.Requests()[0].Body))
	})
	t.Run("WithoutValidation on the client applies to every call", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv, vapi.WithoutValidation())
		_, err := c.Sessions.Update(ctx, "sess-1", &vapi.UpdateSessionRequest{Name: longName})
		require.NoError(t, err)
		_, err = c.Sessions.List(ctx, &vapi.ListSessionsParams{Page: vapi.Int(0)})
		require.NoError(t, err)
		require.Equal(t, 2, srv.Count())
		assert.Equal(t, "/session?page=0", srv.Requests()[1].RequestURI)
	})
	t.Run("List returns the ValidationError of its params and sends nothing", func(t *testing.T) {
		srv := newTestServer(t, sessionHandler(200))
		c := newTestClient(t, srv)
		_, err := c.Sessions.List(ctx, &vapi.ListSessionsParams{Limit: vapi.Int(5000)})
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.True(t, verr.Has("limit"))
		assert.Zero(t, srv.Count())
	})
}

func TestListSessionsParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		params vapi.ListSessionsParams
		want   []string // fields in violation
	}{
		{"accepts empty params", vapi.ListSessionsParams{}, nil},
		{"accepts every field within bounds", vapi.ListSessionsParams{
			Page: vapi.Int(1), Limit: vapi.Int(1000), SortOrder: vapi.SortOrderASC, SortBy: vapi.SessionSortByCost,
			Name: vapi.String(strings.Repeat("n", 40)), Number: vapi.String("+1415"), Extension: vapi.String("1234567890"),
			Email: vapi.String("a@b.c"), ExternalID: vapi.String("x"),
		}, nil},
		{"accepts a limit of zero", vapi.ListSessionsParams{Limit: vapi.Int(0)}, nil},
		{"rejects page 0", vapi.ListSessionsParams{Page: vapi.Int(0)}, []string{"page"}},
		{"rejects a negative limit", vapi.ListSessionsParams{Limit: vapi.Int(-1)}, []string{"limit"}},
		{"rejects a limit above 1000", vapi.ListSessionsParams{Limit: vapi.Int(1001)}, []string{"limit"}},
		{"rejects an unknown sort order", vapi.ListSessionsParams{SortOrder: "asc"}, []string{"sortOrder"}},
		{"rejects an unknown sort column", vapi.ListSessionsParams{SortBy: "name"}, []string{"sortBy"}},
		{"rejects a customer number that is too short", vapi.ListSessionsParams{Number: vapi.String("12")}, []string{"number"}},
		{"rejects strings that are too long", vapi.ListSessionsParams{
			Name: vapi.String(strings.Repeat("n", 41)), Email: vapi.String(strings.Repeat("e", 41)),
			ExternalID: vapi.String(strings.Repeat("x", 41)), Extension: vapi.String("12345678901"),
		}, []string{"name", "email", "externalId", "extension"}},
		{"reports every violation, not the first", vapi.ListSessionsParams{
			Page: vapi.Int(-3), Limit: vapi.Int(2000), SortOrder: "up", SortBy: "x",
		}, []string{"page", "limit", "sortOrder", "sortBy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.params.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var verr *vapi.ValidationError
			require.ErrorAs(t, err, &verr)
			var got []string
			for _, fe := range verr.Errors {
				got = append(got, fe.Field)
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestListQuery(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	local := time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.FixedZone("CET", 3600))
	tests := []struct {
		name   string
		params *vapi.ListSessionsParams
		want   url.Values
	}{
		{"sends nothing for nil params", nil, url.Values{}},
		{"sends nothing for empty params", &vapi.ListSessionsParams{}, url.Values{}},
		{"sends every filter by its spec name", &vapi.ListSessionsParams{
			ID: vapi.String("s1"), IDAny: []string{"s1", "s2"}, Name: vapi.String("support"),
			AssistantID: vapi.String("a1"), AssistantIDAny: []string{"a1", "a2"},
			SquadID: vapi.String("q1"), WorkflowID: vapi.String("w1"),
			PhoneNumberID: vapi.String("p1"), PhoneNumberIDAny: []string{"p1", "p2"},
			Number: vapi.String("+14155550100"), CustomerNumberAny: []string{"+1", "+2"},
			NumberE164CheckEnabled: vapi.Bool(false), Extension: vapi.String("12"),
			SIPURI: vapi.String("sip:a@b.c"), Email: vapi.String("a@b.c"), ExternalID: vapi.String("ext"),
		}, url.Values{
			"id": {"s1"}, "idAny": {"s1,s2"}, "name": {"support"},
			"assistantId": {"a1"}, "assistantIdAny": {"a1,a2"},
			"squadId": {"q1"}, "workflowId": {"w1"},
			"phoneNumberId": {"p1"}, "phoneNumberIdAny": {"p1", "p2"},
			"number": {"+14155550100"}, "customerNumberAny": {"+1,+2"},
			"numberE164CheckEnabled": {"false"}, "extension": {"12"},
			"sipUri": {"sip:a@b.c"}, "email": {"a@b.c"}, "externalId": {"ext"},
		}},
		{"sends pagination and sorting", &vapi.ListSessionsParams{
			Page: vapi.Int(3), Limit: vapi.Int(50), SortOrder: vapi.SortOrderASC,
			SortBy: vapi.SessionSortByDuration, Cursor: vapi.String("c/+="),
		}, url.Values{
			"page": {"3"}, "limit": {"50"}, "sortOrder": {"ASC"}, "sortBy": {"duration"}, "cursor": {"c/+="},
		}},
		{"sends time ranges in RFC 3339", &vapi.ListSessionsParams{
			CreatedAtGt: &at, CreatedAtLt: &at, CreatedAtGe: &local, CreatedAtLe: &at,
			UpdatedAtGt: &at, UpdatedAtLt: &at, UpdatedAtGe: &at, UpdatedAtLe: &local,
		}, url.Values{
			"createdAtGt": {"2026-01-02T03:04:05Z"}, "createdAtLt": {"2026-01-02T03:04:05Z"},
			"createdAtGe": {"2026-01-02T03:04:05.6+01:00"}, "createdAtLe": {"2026-01-02T03:04:05Z"},
			"updatedAtGt": {"2026-01-02T03:04:05Z"}, "updatedAtLt": {"2026-01-02T03:04:05Z"},
			"updatedAtGe": {"2026-01-02T03:04:05Z"}, "updatedAtLe": {"2026-01-02T03:04:05.6+01:00"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"results":[`+testSessionJSON+`],"metadata":{"itemsPerPage":100,"totalItems":1,"currentPage":1}}`)
			})
			c := newTestClient(t, srv)
			page, err := c.Sessions.List(context.Background(), tt.params)
			require.NoError(t, err)
			require.Len(t, page.Results, 1)
			assert.Equal(t, "sess-1", page.Results[0].ID)
			assert.EqualValues(t, 1, page.Metadata.TotalItems)

			got := srv.Requests()[0]
			assert.Equal(t, "GET", got.Method)
			u, err := url.Parse(got.RequestURI)
			require.NoError(t, err)
			assert.Equal(t, "/session", u.Path)
			assert.Equal(t, tt.want, u.Query())
		})
	}
}

// pagedServer serves total sessions, limit per page, by page number or, with
// cursors, by an opaque cursor naming the next offset. failOn, when not 0,
// is a 1-based request number answered with a 500.
func pagedServer(t *testing.T, total, limit int, cursors bool, failOn int) *testServer {
	var n atomic.Int32
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if int(n.Add(1)) == failOn {
			reply(w, 500, `{"message":"database on fire"}`)
			return
		}
		q := r.URL.Query()
		offset := 0
		switch {
		case q.Get("cursor") != "":
			if q.Has("page") {
				reply(w, 400, `{"message":"page and cursor are exclusive"}`)
				return
			}
			offset, _ = strconv.Atoi(strings.TrimPrefix(q.Get("cursor"), "after-"))
		case q.Get("page") != "":
			p, _ := strconv.Atoi(q.Get("page"))
			offset = (p - 1) * limit
		}
		var results []string
		for i := offset; i < min(offset+limit, total); i++ {
			results = append(results, fmt.Sprintf(`{"id":"s%d","orgId":"o","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}`, i))
		}
		pages := (total + limit - 1) / limit
		current := offset/limit + 1
		meta := fmt.Sprintf(`"itemsPerPage":%d,"totalItems":%d,"currentPage":%d`, limit, total, current)
		more := offset+limit < total
		if cursors {
			if more {
				meta += fmt.Sprintf(`,"nextCursor":"after-%d"`, offset+limit)
			}
		} else {
			meta += fmt.Sprintf(`,"totalPages":%d,"hasNextPage":%t`, pages, more)
		}
		reply(w, 200, `{"results":[`+strings.Join(results, ",")+`],"metadata":{`+meta+`}}`)
	})
}

func collect(t *testing.T, c *vapi.Client, params *vapi.ListSessionsParams) ([]string, error) {
	var ids []string
	for s, err := range c.Sessions.ListAll(context.Background(), params) {
		if err != nil {
			assert.Nil(t, s)
			return ids, err
		}
		ids = append(ids, s.ID)
	}
	return ids, nil
}

func ids(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("s%d", i))
	}
	return out
}

func TestListAll(t *testing.T) {
	limit := &vapi.ListSessionsParams{Limit: vapi.Int(2)}
	t.Run("walks every page by page number", func(t *testing.T) {
		srv := pagedServer(t, 5, 2, false, 0)
		got, err := collect(t, newTestClient(t, srv), limit)
		require.NoError(t, err)
		assert.Equal(t, ids(0, 5), got)
		reqs := srv.Requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, "/session?limit=2", reqs[0].RequestURI)
		assert.Equal(t, "/session?limit=2&page=2", reqs[1].RequestURI)
		assert.Equal(t, "/session?limit=2&page=3", reqs[2].RequestURI)
	})
	t.Run("walks every page by cursor when the server sends one", func(t *testing.T) {
		srv := pagedServer(t, 5, 2, true, 0)
		got, err := collect(t, newTestClient(t, srv), &vapi.ListSessionsParams{Limit: vapi.Int(2), Page: vapi.Int(1)})
		require.NoError(t, err)
		assert.Equal(t, ids(0, 5), got)
		reqs := srv.Requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, "/session?limit=2&page=1", reqs[0].RequestURI)
		assert.Equal(t, "/session?cursor=after-2&limit=2", reqs[1].RequestURI, "the cursor replaces the page")
		assert.Equal(t, "/session?cursor=after-4&limit=2", reqs[2].RequestURI)
	})
	t.Run("starts from the page the params name", func(t *testing.T) {
		srv := pagedServer(t, 5, 2, false, 0)
		got, err := collect(t, newTestClient(t, srv), &vapi.ListSessionsParams{Limit: vapi.Int(2), Page: vapi.Int(2)})
		require.NoError(t, err)
		assert.Equal(t, ids(2, 5), got)
	})
	t.Run("makes one request for a single page", func(t *testing.T) {
		srv := pagedServer(t, 2, 10, false, 0)
		got, err := collect(t, newTestClient(t, srv), nil)
		require.NoError(t, err)
		assert.Equal(t, ids(0, 2), got)
		assert.Equal(t, 1, srv.Count())
	})
	t.Run("yields nothing for no sessions", func(t *testing.T) {
		srv := pagedServer(t, 0, 10, false, 0)
		got, err := collect(t, newTestClient(t, srv), nil)
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Equal(t, 1, srv.Count())
	})
	t.Run("stops at the first error and yields it", func(t *testing.T) {
		srv := pagedServer(t, 10, 2, false, 3)
		got, err := collect(t, newTestClient(t, srv, vapi.WithMaxRetries(0)), limit)
		require.ErrorIs(t, err, vapi.ErrServer)
		assert.Contains(t, err.Error(), "database on fire")
		assert.Equal(t, ids(0, 4), got)
		assert.Equal(t, 3, srv.Count())
	})
	t.Run("stops after yielding an invalid params error", func(t *testing.T) {
		srv := pagedServer(t, 10, 2, false, 0)
		got, err := collect(t, newTestClient(t, srv), &vapi.ListSessionsParams{Limit: vapi.Int(-1)})
		var verr *vapi.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.Empty(t, got)
		assert.Zero(t, srv.Count())
	})
	t.Run("stops fetching when the loop breaks", func(t *testing.T) {
		srv := pagedServer(t, 10, 2, false, 0)
		c := newTestClient(t, srv)
		var got []string
		for s, err := range c.Sessions.ListAll(context.Background(), limit) {
			require.NoError(t, err)
			got = append(got, s.ID)
			if len(got) == 3 {
				break
			}
		}
		assert.Equal(t, ids(0, 3), got)
		assert.Equal(t, 2, srv.Count())
	})
	t.Run("does not modify the params", func(t *testing.T) {
		srv := pagedServer(t, 5, 2, true, 0)
		params := &vapi.ListSessionsParams{Limit: vapi.Int(2)}
		_, err := collect(t, newTestClient(t, srv), params)
		require.NoError(t, err)
		assert.Nil(t, params.Cursor)
		assert.Nil(t, params.Page)
	})
	t.Run("stops with an error when the server repeats a cursor", func(t *testing.T) {
		var n atomic.Int32
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, fmt.Sprintf(`{"results":[{"id":"s%d","orgId":"o","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}],"metadata":{"itemsPerPage":1,"totalItems":9,"currentPage":1,"nextCursor":"same"}}`, n.Add(1)))
		})
		got, err := collect(t, newTestClient(t, srv), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nextCursor")
		assert.Equal(t, []string{"s1", "s2"}, got)
		assert.Equal(t, 2, srv.Count())
	})
	t.Run("stops with an error when the server repeats the cursor it was given", func(t *testing.T) {
		srv := pagedServer(t, 9, 2, true, 0)
		_, err := collect(t, newTestClient(t, srv), &vapi.ListSessionsParams{Limit: vapi.Int(2), Cursor: vapi.String("after-2")})
		require.NoError(t, err, "the server moves on from the cursor given")
		srv2 := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, `{"results":[`+testSessionJSON+`],"metadata":{"itemsPerPage":1,"totalItems":9,"currentPage":1,"nextCursor":"start"}}`)
		})
		_, err = collect(t, newTestClient(t, srv2), &vapi.ListSessionsParams{Cursor: vapi.String("start")})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nextCursor")
	})
	t.Run("can be ranged over again", func(t *testing.T) {
		srv := pagedServer(t, 3, 2, false, 0)
		c := newTestClient(t, srv)
		seq := c.Sessions.ListAll(context.Background(), limit)
		for range 2 {
			var got []string
			for s, err := range seq {
				require.NoError(t, err)
				got = append(got, s.ID)
			}
			assert.Equal(t, ids(0, 3), got)
		}
	})
}
