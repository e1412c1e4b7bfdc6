package vapi

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"net/http"
	"net/url"
)

// This file holds the calls that every service makes the same way, generic
// over the resource's types, so that a service is a page of one-line
// methods:
//
//   - createResource: POST <path> with a validated body, returning the
//     created resource;
//   - callByID: GET, PATCH or DELETE <path>/{id}, with an optional validated
//     body, returning the resource;
//   - listPage: GET <path>?<query>, returning one page;
//   - listAll: the pager behind ListAll, over listPage.
//
// A service supplies a resource (its path and its noun for messages) and
// these methods on its types, in a file of its own:
//
//	func (c *Chat) resourceID() string { return c.ID }                  // identified
//	func (p *ChatPage) results() []Chat { return p.Results }            // pageOf[Chat]
//	func (p *ChatPage) metadata() *PaginationMeta { return &p.Metadata } // pageOf[Chat]
//	func (p *ListChatsParams) values() url.Values { … }                 // listParams
//	func (p *ListChatsParams) pagination() (page **int, cursor **string) {
//		return &p.Page, nil // nil: GET /chat takes no cursor
//	}
//
// and ChatsService's methods read like SessionsService's:
//
//	var chats = resource{path: "/chat", noun: "chat"}
//	func (s *ChatsService) Get(ctx context.Context, id string, opts ...Option) (*Chat, error) {
//		return callByID[Chat](ctx, s.client, chats, http.MethodGet, id, nil, opts)
//	}
//	func (s *ChatsService) ListAll(ctx context.Context, params *ListChatsParams, opts ...Option) iter.Seq2[*Chat, error] {
//		return listAll[ChatPage, Chat](ctx, s.client, chats, params, opts)
//	}
//
// A streamed call uses call.stream (client.go) instead of call.do.

// resource names one REST resource for the shared calls.
type resource struct {
	path string // the collection's path, "/session"
	noun string // for messages, "session"
}

// validatable is a request body or query that checks itself.
type validatable interface {
	Validate() error
}

// listParams is the query of a List call.
type listParams interface {
	validatable
	values() url.Values
}

// pagedParams is the query of a List call that ListAll can page through.
type pagedParams interface {
	listParams
	// pagination returns where the params keep the page number and the
	// cursor; cursor is nil when the endpoint takes none.
	pagination() (page **int, cursor **string)
}

// pageOf is one page of a list of T.
type pageOf[T any] interface {
	results() []T
	metadata() *PaginationMeta
}

// createResource posts in (validated unless WithoutValidation) to the
// resource's collection and returns what the server created.
func createResource[T any, PT interface {
	*T
	identified
}](ctx context.Context, c *Client, res resource, in validatable, opts []Option) (*T, error) {
	cl, err := c.newCall(http.MethodPost, res.path, opts)
	if err != nil {
		return nil, err
	}
	if !cl.noValidation {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out := PT(new(T))
	if err := cl.do(ctx, "", in, out); err != nil {
		return nil, err
	}
	return out, nil
}

// callByID calls <path>/{id} with method, sending in (validated unless
// WithoutValidation; pass an untyped nil for no body), and returns the
// resource the server answers with. An id that is empty, "." or ".." is an
// error before anything is sent: as a path segment, it would name the
// collection or its parent.
func callByID[T any, PT interface {
	*T
	identified
}](ctx context.Context, c *Client, res resource, method, id string, in validatable, opts []Option) (*T, error) {
	if err := checkID(method, res, id); err != nil {
		return nil, err
	}
	cl, err := c.newCall(method, res.path+"/"+url.PathEscape(id), opts)
	if err != nil {
		return nil, err
	}
	var body any
	if in != nil {
		if !cl.noValidation {
			if err := in.Validate(); err != nil {
				return nil, err
			}
		}
		body = in
	}
	out := PT(new(T))
	if err := cl.do(ctx, "", body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkID refuses an id that cannot be a path segment of its own.
func checkID(method string, res resource, id string) error {
	switch id {
	case "":
		return fmt.Errorf("vapi: %s %s/{id}: the %s id is empty", method, res.path, res.noun)
	case ".", "..":
		return fmt.Errorf("vapi: %s %s/{id}: the %s id %q is not an id: as a path segment it names another path", method, res.path, res.noun, id)
	}
	return nil
}

// listPage gets one page of the resource's collection, filtered by params
// (validated unless WithoutValidation), which may be nil.
func listPage[Page any, P any, PP interface {
	*P
	listParams
}](ctx context.Context, c *Client, res resource, params PP, opts []Option) (*Page, error) {
	cl, err := c.newCall(http.MethodGet, res.path, opts)
	if err != nil {
		return nil, err
	}
	var query string
	if params != nil {
		if !cl.noValidation {
			if err := params.Validate(); err != nil {
				return nil, err
			}
		}
		query = params.values().Encode()
	}
	out := new(Page)
	if err := cl.do(ctx, query, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// listAll returns an iterator over every item of the collection that params
// selects, fetching pages as the loop needs them: it follows the server's
// nextCursor when the server sends one (and the endpoint takes a cursor),
// else asks for the next page number while the server reports more pages.
// It stops at the first error, which it yields with a nil item, and it
// never loops forever on a misbehaving server: a repeated cursor, a page
// the server already returned, or "there is a next page" with no results
// is an error. params may be nil and is not modified.
func listAll[Page any, T any, PG interface {
	*Page
	pageOf[T]
}, PT interface {
	*T
	identified
}, P any, PP interface {
	*P
	pagedParams
}](ctx context.Context, c *Client, res resource, params PP, opts []Option) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var p P
		if params != nil {
			p = *params
		}
		pp := PP(&p)
		pageRef, cursorRef := pp.pagination()
		pageNum := 1
		if *pageRef != nil {
			pageNum = **pageRef
		}
		fail := func(msg string) {
			yield(nil, errors.New("vapi: GET "+res.path+": ListAll: "+msg+"; stopped rather than loop"))
		}
		cursors := map[string]bool{}
		if cursorRef != nil && *cursorRef != nil {
			cursors[**cursorRef] = true
		}
		pages := map[uint64]bool{}
		seed := maphash.MakeSeed()
		for {
			pg, err := listPage[Page](ctx, c, res, pp, opts)
			if err != nil {
				yield(nil, err)
				return
			}
			items := PG(pg).results()
			m := PG(pg).metadata()
			// A nextCursor counts only where the endpoint takes a cursor.
			next := cursorRef != nil && m.NextCursor != nil && *m.NextCursor != ""
			more := next || (m.HasNextPage != nil && *m.HasNextPage) ||
				(m.TotalPages != nil && m.CurrentPage < *m.TotalPages)
			if len(items) == 0 {
				if more {
					fail("the server says there is a next page but sent a page without results")
				}
				return
			}
			var h maphash.Hash
			h.SetSeed(seed)
			for i := range items {
				_, _ = h.WriteString(PT(&items[i]).resourceID())
				_ = h.WriteByte(0)
			}
			sum := h.Sum64()
			if pages[sum] {
				fail("the server sent a page it had already sent")
				return
			}
			pages[sum] = true
			for i := range items {
				if !yield(&items[i], nil) {
					return
				}
			}
			switch {
			case next:
				if cursors[*m.NextCursor] {
					fail("the server sent a nextCursor it had already sent")
					return
				}
				cursors[*m.NextCursor] = true
				cursor := *m.NextCursor
				*cursorRef, *pageRef = &cursor, nil
			case cursorRef != nil && *cursorRef != nil:
				// Page numbers do not continue a walk by cursor.
				return
			case more:
				pageNum++
				n := pageNum
				*pageRef = &n
			default:
				return
			}
		}
	}
}
