package vapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/govapi/vapi/internal/jsonwire"
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

// The calls above serve the hand-written Sessions and Chats. The generated
// services (services_gen.go) go through invoke and the thin wrappers
// below, which take the operation as data: a method is one line naming its
// operation, its path parameters, its query or body and where to decode
// the answer (new(Assistant)). The wrappers are generic only over pointers
// (and union interfaces), which the compiler builds once for all pointer
// types, and read pages and arrays through reflection: the cost of a
// service is its one-line methods, not code per result type.

// operation is one operation of the spec.
type operation struct {
	method string
	path   string // the spec's template, "/eval/simulation/run/{id}/item/{itemId}"
	// arrayPage marks a list that answers with a page or a plain array
	// of the page's items (GET /eval/simulation/run).
	arrayPage bool
}

// expand fills the path template with args, in path order, each checked
// and path-escaped. A parameter that is empty, "." or ".." is refused: as
// a path segment it would name the collection, or its parent.
func (op *operation) expand(args []string) (string, error) {
	var b strings.Builder
	rest := op.path
	for i := 0; ; i++ {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}') + open
		name := rest[open+1 : end]
		if i >= len(args) {
			return "", fmt.Errorf("vapi: %s %s: path parameter %s is missing", op.method, op.path, name)
		}
		switch a := args[i]; a {
		case "":
			return "", fmt.Errorf("vapi: %s %s: path parameter %s is empty", op.method, op.path, name)
		case ".", "..":
			return "", fmt.Errorf("vapi: %s %s: path parameter %s is %q, which is not an id: as a path segment it names another path", op.method, op.path, name, a)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(args[i]))
		rest = rest[end+1:]
	}
	return b.String(), nil
}

// invoke makes one call of op: it fills the path with args, validates
// query and body (unless WithoutValidation), sends the body (nil for none)
// with the query, and decodes a 2xx answer into out. A nil pointer body is
// sent as the empty body of its type, so that a body with nothing required
// may be nil; a nil query sends no query.
func invoke(ctx context.Context, c *Client, op *operation, args []string, query listParams, body, out any, opts []Option) error {
	path, err := op.expand(args)
	if err != nil {
		return err
	}
	cl, err := c.newCall(op.method, path, opts)
	if err != nil {
		return err
	}
	if ub, ok := body.(unionBody); ok && isNil(ub.v) {
		return cl.errorf("the request is nil")
	}
	if rv := reflect.ValueOf(body); body != nil && rv.Kind() == reflect.Pointer && rv.IsNil() {
		body = reflect.New(rv.Type().Elem()).Interface()
	}
	if isNil(query) {
		query = nil
	}
	if !cl.noValidation {
		if query != nil {
			if err := query.Validate(); err != nil {
				return err
			}
		}
		if v, ok := body.(validatable); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
	}
	var q string
	if query != nil {
		q = query.values().Encode()
	}
	return cl.do(ctx, q, body, out)
}

// isNil reports whether v is nil or a nil pointer in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// unionBody is a request body that is a union: it marshals the
// alternative, and validates it as the alternative's own Validate does. An
// alternative this SDK does not know (an Unknown… value) has no rules to
// check: validation refuses it, as it refuses an unknown member of a
// union anywhere in a request; WithoutValidation sends it.
type unionBody struct{ v any }

func (b unionBody) MarshalJSON() ([]byte, error) { return marshal(b.v) }

func (b unionBody) Validate() error {
	if v, ok := b.v.(validatable); ok {
		return v.Validate()
	}
	return &ValidationError{Errors: []FieldError{{Message: fmt.Sprintf("is a %T, a kind of body this SDK does not know; pass WithoutValidation to send it anyway", b.v)}}}
}

// callOne makes op and decodes its answer into out, a pointer to the
// result, which it returns. Every caller passes a pointer, so the
// compiler builds one instantiation for all of them.
func callOne[P any](ctx context.Context, c *Client, op *operation, args []string, query listParams, body any, out P, opts []Option) (P, error) {
	if err := invoke(ctx, c, op, args, query, body, out, opts); err != nil {
		var zero P
		return zero, err
	}
	return out, nil
}

// callNoContent makes op, whose answer the spec does not describe, and
// discards the answer.
func callNoContent(ctx context.Context, c *Client, op *operation, args []string, query listParams, body any, opts []Option) error {
	return invoke(ctx, c, op, args, query, body, discardBody{}, opts)
}

// callUnion makes op and returns its answer decoded by decode, a union's
// decoder. With needID, an answer without an id is an unexpected response,
// as for any single resource.
func callUnion[U any](ctx context.Context, c *Client, op *operation, args []string, query listParams, body any, decode func([]byte) (U, error), needID bool, opts []Option) (U, error) {
	out := &unionOut[U]{decode: decode, needID: needID}
	if err := invoke(ctx, c, op, args, query, body, out, opts); err != nil {
		var zero U
		return zero, err
	}
	return out.v, nil
}

// callArray makes op, whose answer is a JSON array, and decodes its items
// into the slice dst points to (left nil on error); union, when set, is
// the items' union.
func callArray(ctx context.Context, c *Client, op *operation, args []string, query listParams, body, dst any, union *unionInfo, opts []Option) error {
	out := &arrayOut{dst: reflect.ValueOf(dst).Elem(), union: union}
	if err := invoke(ctx, c, op, args, query, body, out, opts); err != nil {
		out.dst.SetZero()
		return err
	}
	return nil
}

// callPage makes op, a paginated list, and decodes its answer into page,
// which it returns. For an operation that may answer with a plain array
// instead (arrayPage), the array becomes the results of a page with empty
// metadata.
func callPage[PG any](ctx context.Context, c *Client, op *operation, args []string, query listParams, page PG, opts []Option) (PG, error) {
	var out any = page
	if op.arrayPage {
		out = &pageOrArray{page: page}
	}
	if err := invoke(ctx, c, op, args, query, nil, out, opts); err != nil {
		var zero PG
		return zero, err
	}
	return page, nil
}

// bodyShape is implemented by what a call decodes into when its answer is
// not a JSON object: decode asks it whether the body has the right shape.
type bodyShape interface {
	accepts(data []byte) bool
}

// acceptsBody reports whether data has the shape out decodes: a JSON
// object, unless out says otherwise.
func acceptsBody(out any, data []byte) bool {
	if s, ok := out.(bodyShape); ok {
		return s.accepts(data)
	}
	return isJSONObject(data)
}

// firstByte returns the first byte of data after whitespace, 0 if none.
func firstByte(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// discardBody takes any answer, or none.
type discardBody struct{}

func (discardBody) accepts([]byte) bool { return true }

func (discardBody) UnmarshalJSON([]byte) error { return nil }

// unionOut decodes a union value with its decoder.
type unionOut[U any] struct {
	decode func([]byte) (U, error)
	v      U
	needID bool
}

func (o *unionOut[U]) UnmarshalJSON(data []byte) error {
	v, err := o.decode(data)
	o.v = v
	return err
}

// resourceID makes an answer without an id unexpected, when the union is
// a resource.
func (o *unionOut[U]) resourceID() string {
	if !o.needID {
		return "-"
	}
	if r, ok := any(o.v).(identified); ok && !isNil(o.v) {
		return r.resourceID()
	}
	return ""
}

// arrayOut decodes a JSON array into dst, a slice, item by item.
type arrayOut struct {
	dst   reflect.Value
	union *unionInfo // the items' union, nil for items of a struct type
}

func (o *arrayOut) accepts(data []byte) bool { return firstByte(data) == '[' }

func (o *arrayOut) UnmarshalJSON(data []byte) error {
	return decodeArray(data, o.dst, o.union)
}

// decodeArray decodes a JSON array into the slice dst in one pass, on the
// engine's codec of the slice type: each item as its type decodes, or as
// one value of union when union is set (a null item is then nil). An
// empty array is an empty slice, not nil; on an error dst is nil.
func decodeArray(data []byte, dst reflect.Value, union *unionInfo) error {
	d := jsonwire.NewDecoder(data)
	if d.Kind() != '[' {
		d.Array()
		return d.Err()
	}
	arrayCodecOf(dst.Type(), union).decode(&d, dst.Addr().UnsafePointer())
	if err := d.End(); err != nil {
		dst.SetZero()
		return err
	}
	return nil
}

// arrayCodecs caches the codec of each slice type the services decode.
var arrayCodecs sync.Map // reflect.Type → codec

// arrayCodecOf returns the codec of slice type t, whose items are of
// union when union is set.
func arrayCodecOf(t reflect.Type, union *unionInfo) codec {
	if c, ok := arrayCodecs.Load(t); ok {
		return c.(codec)
	}
	var ti *typeInfo
	if union != nil {
		ti = &typeInfo{elem: &typeInfo{union: union}}
	}
	c := build(func(b *planBuilder) codec { return b.codecOf(t, ti) })
	arrayCodecs.Store(t, c)
	return c
}

// pageOrArray decodes a page, or a plain array of its items (the page's
// Results).
type pageOrArray struct {
	page any
}

func (o *pageOrArray) accepts(data []byte) bool {
	c := firstByte(data)
	return c == '{' || c == '['
}

func (o *pageOrArray) UnmarshalJSON(data []byte) error {
	if firstByte(data) != '[' {
		return unmarshal(data, o.page)
	}
	return decodeArray(data, reflect.ValueOf(o.page).Elem().FieldByName("Results"), nil)
}

// walkParams is the query of a generated list, which ListAll walks.
type walkParams interface {
	listParams
	// walk returns a copy of the params (zero params for a nil receiver)
	// and where the copy keeps what a walk moves; a nil reference is a
	// parameter the endpoint does not take.
	walk() (listParams, walkRefs)
}

// walkRefs points into a copy of a list's params.
type walkRefs struct {
	page        **int
	limit       **int
	createdAtLe **time.Time
}

// listItem is an item of a list that ListAll walks back in time.
type listItem interface {
	identified
	resourceCreatedAt() time.Time
}

// walkStop reports a server that would make a walk loop or skip items.
func walkStop(op *operation, msg string) error {
	return errors.New("vapi: " + op.method + " " + op.path + ": ListAll: " + msg + "; stopped rather than loop")
}

// walkPages walks a paginated list, as listAll does for Sessions: it asks
// for the next page number while the server reports more pages. fetch gets
// the page that q asks for and returns how many items it holds, their keys
// (ids) and its metadata; yield yields item i of the last page fetched. A
// page the server already sent, or "there is a next page" with no results,
// ends the walk with an error.
func walkPages(op *operation, params walkParams, fetch func(q listParams) (n int, key func(int) string, m *PaginationMeta, err error), yield func(i int) bool, fail func(error)) {
	q, refs := params.walk()
	pageNum := 1
	if refs.page != nil && *refs.page != nil {
		pageNum = **refs.page
	}
	pages := map[uint64]bool{}
	seed := maphash.MakeSeed()
	for {
		n, key, m, err := fetch(q)
		if err != nil {
			fail(err)
			return
		}
		more := (m.HasNextPage != nil && *m.HasNextPage) || (m.TotalPages != nil && m.CurrentPage < *m.TotalPages)
		if n == 0 {
			if more {
				fail(walkStop(op, "the server says there is a next page but sent a page without results"))
			}
			return
		}
		var h maphash.Hash
		h.SetSeed(seed)
		for i := 0; i < n; i++ {
			_, _ = h.WriteString(key(i))
			_ = h.WriteByte(0)
		}
		if sum := h.Sum64(); pages[sum] {
			fail(walkStop(op, "the server sent a page it had already sent"))
			return
		} else {
			pages[sum] = true
		}
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
		if !more || refs.page == nil {
			return
		}
		pageNum++
		next := pageNum
		*refs.page = &next
	}
}

// walkBack walks a list that answers with a plain array, newest first,
// backwards in time: each request after the first asks for the items
// created at or before the oldest item seen (createdAtLe), and skips the
// items already seen at that instant, so that items sharing a createdAt
// are neither skipped nor repeated. It stops when a page adds nothing new,
// or is shorter than the limit asked for. A list that takes no createdAtLe
// is fetched once. A server that answers with items newer than it was
// asked for, or a full page of items that all share the instant asked
// for (more of them than the limit: the rest cannot be reached), ends the
// walk with an error.
func walkBack(op *operation, params walkParams, fetch func(q listParams) (n int, item func(int) listItem, err error), yield func(i int) bool, fail func(error)) {
	q, refs := params.walk()
	limit := -1
	if refs.limit != nil && *refs.limit != nil {
		limit = **refs.limit
	}
	var bound *time.Time         // the createdAtLe of the last request
	atBound := map[string]bool{} // the ids seen created at *bound
	for {
		n, item, err := fetch(q)
		if err != nil {
			fail(err)
			return
		}
		if refs.createdAtLe == nil {
			for i := 0; i < n; i++ {
				if !yield(i) {
					return
				}
			}
			return
		}
		var oldest time.Time
		fresh, tied := 0, 0
		for i := 0; i < n; i++ {
			it := item(i)
			t := it.resourceCreatedAt()
			if bound != nil && t.After(*bound) {
				fail(walkStop(op, "the server sent an item created after the createdAtLe it was asked for"))
				return
			}
			if i == 0 || t.Before(oldest) {
				oldest = t
			}
			if bound != nil && t.Equal(*bound) {
				tied++
				if atBound[it.resourceID()] {
					continue
				}
			}
			fresh++
		}
		if fresh == 0 {
			if n > 0 && tied == n && n == limit {
				fail(walkStop(op, fmt.Sprintf("more than %d items were created at %s, and createdAtLe cannot reach past them; ask with a larger Limit", limit, bound.Format(time.RFC3339Nano))))
			}
			return
		}
		for i := 0; i < n; i++ {
			it := item(i)
			if bound != nil && it.resourceCreatedAt().Equal(*bound) && atBound[it.resourceID()] {
				continue
			}
			if !yield(i) {
				return
			}
		}
		if limit >= 0 && n < limit {
			return
		}
		if bound == nil || oldest.Before(*bound) {
			atBound = map[string]bool{}
		}
		for i := 0; i < n; i++ {
			if it := item(i); it.resourceCreatedAt().Equal(oldest) {
				atBound[it.resourceID()] = true
			}
		}
		next := oldest
		bound = &next
		*refs.createdAtLe = &next
	}
}

// The ListAll walkers below are generic only in what they yield (a
// pointer to a struct item, or a union value) and read the pages and
// arrays through reflection, so the compiler builds them once for every
// struct item and once per union, not once per item type.

// listAllPages walks a paginated list whose pages are of page's type (a
// typed nil *…Page), yielding its items as P: a pointer to each item of a
// struct type, or each value of a union.
func listAllPages[P any](ctx context.Context, c *Client, op *operation, args []string, params walkParams, page any, opts []Option) iter.Seq2[P, error] {
	pageType := reflect.TypeOf(page).Elem()
	return func(yield func(P, error) bool) {
		var items reflect.Value
		var zero P
		walkPages(op, params, func(q listParams) (int, func(int) string, *PaginationMeta, error) {
			pg := reflect.New(pageType)
			if _, err := callPage(ctx, c, op, args, q, pg.Interface(), opts); err != nil {
				return 0, nil, nil, err
			}
			items = pg.Elem().FieldByName("Results")
			meta := pg.Elem().FieldByName("Metadata").Addr().Interface().(*PaginationMeta)
			return items.Len(), func(i int) string { return keyOf(itemOf[P](items, i)) }, meta, nil
		}, func(i int) bool { return yield(itemOf[P](items, i), nil) }, func(err error) { yield(zero, err) })
	}
}

// listAllBack walks a list that answers with an array, back in time,
// yielding its items as P: a pointer to each item of a struct type, or,
// when union is set, each value of that union.
func listAllBack[P any](ctx context.Context, c *Client, op *operation, args []string, params walkParams, union *unionInfo, opts []Option) iter.Seq2[P, error] {
	elem := reflect.TypeFor[P]()
	if union == nil {
		elem = elem.Elem()
	}
	return func(yield func(P, error) bool) {
		items := reflect.New(reflect.SliceOf(elem)).Elem()
		var zero P
		walkBack(op, params, func(q listParams) (int, func(int) listItem, error) {
			err := callArray(ctx, c, op, args, q, nil, items.Addr().Interface(), union, opts)
			return items.Len(), func(i int) listItem { return asListItem(itemOf[P](items, i)) }, err
		}, func(i int) bool { return yield(itemOf[P](items, i), nil) }, func(err error) { yield(zero, err) })
	}
}

// itemOf returns item i of the slice items as P: the item itself when P is
// its type (a union), else a pointer to it.
func itemOf[P any](items reflect.Value, i int) P {
	it := items.Index(i)
	if it.Type() != reflect.TypeFor[P]() {
		it = it.Addr()
	}
	p, _ := it.Interface().(P) // a nil union item is P's zero value
	return p
}

// asListItem is an item of a list as walkBack reads it: an item without
// an id or a createdAt (a nil union value, or a type that does not say)
// has the zero ones.
func asListItem(v any) listItem {
	if it, ok := v.(listItem); ok && !isNil(v) {
		return it
	}
	return noItem{}
}

// noItem is a list item with no id and no createdAt.
type noItem struct{}

func (noItem) resourceID() string { return "" }

func (noItem) resourceCreatedAt() time.Time { return time.Time{} }

// keyOf is the id of a list item, "" when it has none.
func keyOf(v any) string {
	if r, ok := v.(identified); ok && !isNil(v) {
		return r.resourceID()
	}
	return ""
}

// rawResource reads the id and createdAt of an object this SDK does not
// know (an Unknown… alternative of a union), for ListAll and for the
// check that a resource has an id.
func rawResource(raw json.RawMessage) (id string, createdAt time.Time) {
	var r struct {
		ID        string    `json:"id"`
		CreatedAt time.Time `json:"createdAt"`
	}
	_ = json.Unmarshal(raw, &r)
	return r.ID, r.CreatedAt
}
