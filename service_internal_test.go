package vapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The shared calls are generic; these types stand for a resource other
// than sessions whose list takes no cursor, as GET /chat does.

type widget struct {
	ID string `json:"id"`
}

func (w *widget) resourceID() string { return w.ID }

type widgetPage struct {
	Results  []widget       `json:"results"`
	Metadata PaginationMeta `json:"metadata"`
}

func (p *widgetPage) results() []widget { return p.Results }

func (p *widgetPage) metadata() *PaginationMeta { return &p.Metadata }

type widgetParams struct {
	Page  *int
	Color string
}

func (p *widgetParams) Validate() error {
	if p.Color == "plaid" {
		return &ValidationError{Errors: []FieldError{{Field: "color", Message: "must not be plaid"}}}
	}
	return nil
}

func (p *widgetParams) values() url.Values {
	q := url.Values{}
	if p.Page != nil {
		q.Set("page", strconv.Itoa(*p.Page))
	}
	if p.Color != "" {
		q.Set("color", p.Color)
	}
	return q
}

func (p *widgetParams) pagination() (page **int, cursor **string) { return &p.Page, nil }

var widgets = resource{path: "/widget", noun: "widget"}

func widgetClient(t *testing.T, h http.HandlerFunc) (*Client, *[]string) {
	var mu sync.Mutex
	var uris []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uris = append(uris, r.Method+" "+r.URL.RequestURI())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithAPIKey("sk-widget"), WithBaseURL(srv.URL), WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, &uris
}

func TestSharedCallsServeAnotherResource(t *testing.T) {
	ctx := context.Background()
	t.Run("callByID gets, validates and escapes like the Sessions methods", func(t *testing.T) {
		c, uris := widgetClient(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"id":"w/1"}`))
		})
		got, err := callByID[widget](ctx, c, widgets, http.MethodGet, "w/1", nil, nil)
		require.NoError(t, err)
		assert.Equal(t, "w/1", got.ID)
		_, err = callByID[widget](ctx, c, widgets, http.MethodPatch, "w/1", &widgetParams{Color: "plaid"}, nil)
		require.ErrorAs(t, err, new(*ValidationError))
		_, err = callByID[widget](ctx, c, widgets, http.MethodDelete, "..", nil, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `the widget id ".."`)
		assert.Equal(t, []string{"GET /widget/w%2F1"}, *uris)
	})
	t.Run("createResource posts to the collection and wants an id back", func(t *testing.T) {
		c, uris := widgetClient(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(201)
			_, _ = w.Write([]byte(`{"name":"no id"}`))
		})
		got, err := createResource[widget](ctx, c, widgets, &widgetParams{Color: "red"}, nil)
		assert.Nil(t, got)
		require.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Equal(t, []string{"POST /widget"}, *uris)
	})
	t.Run("listAll follows page numbers when the endpoint takes no cursor, even if the server sends one", func(t *testing.T) {
		c, uris := widgetClient(t, func(w http.ResponseWriter, r *http.Request) {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			page = max(page, 1)
			more := page < 3
			b, _ := json.Marshal(map[string]any{
				"results":  []widget{{ID: fmt.Sprint("w", page)}},
				"metadata": map[string]any{"itemsPerPage": 1, "totalItems": 3, "currentPage": page, "hasNextPage": more, "nextCursor": "ignored"},
			})
			_, _ = w.Write(b)
		})
		var ids []string
		for w, err := range listAll[widgetPage, widget](ctx, c, widgets, &widgetParams{Color: "red"}, nil) {
			require.NoError(t, err)
			ids = append(ids, w.ID)
		}
		assert.Equal(t, []string{"w1", "w2", "w3"}, ids)
		assert.Equal(t, []string{"GET /widget?color=red", "GET /widget?color=red&page=2", "GET /widget?color=red&page=3"}, *uris)
	})
	t.Run("listPage takes nil params", func(t *testing.T) {
		c, uris := widgetClient(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"results":[],"metadata":{"itemsPerPage":1,"totalItems":0,"currentPage":1}}`))
		})
		page, err := listPage[widgetPage](ctx, c, widgets, (*widgetParams)(nil), nil)
		require.NoError(t, err)
		assert.Empty(t, page.Results)
		assert.Equal(t, []string{"GET /widget"}, *uris)
	})
}
