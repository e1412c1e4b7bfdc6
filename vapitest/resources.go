package vapitest

//go:generate go run ../internal/fakegen -spec ../../shared/spec/vapi-openapi.json -types ../types.go -out resources_gen.go

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govapi/vapi"
)

// The fake of every resource is driven by the table in resources_gen.go,
// generated from the spec by internal/fakegen: one endpoint per operation.
// The fields of an endpoint:
//
//   - method, path: the operation; op: its operationId.
//   - action: what the fake does (see the act… constants).
//   - store: the collection the operation reads or writes, named by its
//     path template; the /v2 paths of campaigns and phone numbers share
//     the store of the unversioned path, as the API serves the same
//     resources through both. parent: for a nested store, the store whose
//     member must exist.
//   - params, query: the path and query parameters with the constraints
//     the API checks.
//   - body: the request body's schema and the SDK type it decodes into (for
//     a union, one per discriminator value), and a minimal valid example.
//   - resp, status, schema: the answer's shape, success status and schema.
//   - fill: minimal valid instances of the answer's schema (by the value of
//     fillDisc for a union), the base of every created resource and of the
//     answers of actions.
//   - cancelStatus: the status a cancel (a PATCH with no body) sets.

type action uint8

const (
	actCreate   action = iota + 1 // POST to a collection: store a new resource
	actList                       // GET a collection: filter, sort, paginate
	actGet                        // GET a member
	actUpdate                     // PATCH a member: merge the body's members
	actDelete                     // DELETE a member: remove and return it
	actCancel                     // PATCH a member with no body: set cancelStatus
	actAction                     // anything else: answer a minimal instance of the schema
	actArtifact                   // GET /call/{id}/<artifact>: a 302 to the bytes
	actUpload                     // POST /file: a multipart upload
)

type respKind uint8

const (
	respSingle respKind = iota + 1 // one object
	respPage                       // {"results": [...], "metadata": {...}}
	respArray                      // a plain array, newest first
	respNone                       // no body
)

type queryKind uint8

const (
	qString queryKind = iota + 1
	qNumber
	qBool
	qDate    // RFC 3339
	qStrings // an array: repeated or comma-separated
)

type queryUse uint8

const (
	usePage      queryUse = iota + 1 // page number, from 1
	useLimit                         // page size, within min and max
	useSortOrder                     // ASC or DESC, by createdAt
	useSortBy                        // checked; the fake sorts by createdAt
	useDate                          // createdAt… and updatedAt… ranges, by name
	useSearch                        // a case-insensitive substring of any string member
	useEqual                         // the member equals the value
	useAny                           // the member is one of the values
	useIgnore                        // checked, then ignored (a flag the fake has no use for)
)

type endpoint struct {
	method, path, op string
	action           action
	store, parent    string
	resp             respKind
	status           int
	schema           string
	params           []pathParam
	query            []queryParam
	body             *bodyType
	fillDisc         string
	fill             map[string]string
	cancelStatus     string

	segs []string // path split at "/", computed once
}

type pathParam struct {
	name string
	uuid bool
	enum []string
}

type queryParam struct {
	name     string
	kind     queryKind
	use      queryUse
	member   string // for useEqual and useAny; "" means name
	enum     []string
	min, max *float64
	maxLen   int
	uuid     bool
	required bool
}

// bodyType is a request body: the SDK type it decodes into (nil while the
// SDK has none, and then any JSON object is taken), or for a union the
// discriminator and one type per value.
type bodyType struct {
	schema, example string
	decode          func() any
	disc            string
	alts            []bodyAlt
}

type bodyAlt struct {
	value, schema string
	decode        func() any
}

func newOf[T any]() any { return new(T) }

func num(f float64) *float64 { return &f }

// children maps a store to the stores nested under its members (a
// knowledge base's files, a campaign's contacts, a run's items).
var children = map[string][]string{}

func init() {
	for i := range endpoints {
		ep := &endpoints[i]
		ep.segs = strings.Split(strings.Trim(ep.path, "/"), "/")
		if ep.parent != "" && !contains(children[ep.parent], ep.store) {
			children[ep.parent] = append(children[ep.parent], ep.store)
		}
	}
}

// findEndpoint matches a request to an endpoint: a literal segment wins
// over a parameter, as Express and NestJS route.
func findEndpoint(method string, segs []string) (*endpoint, map[string]string) {
	var best *endpoint
	for i := range endpoints {
		ep := &endpoints[i]
		if ep.method != method || len(ep.segs) != len(segs) || !matches(ep.segs, segs) {
			continue
		}
		if best == nil || moreLiteral(ep.segs, best.segs) {
			best = ep
		}
	}
	if best == nil {
		return nil, nil
	}
	vals := map[string]string{}
	for i, s := range best.segs {
		if isParam(s) {
			vals[s[1:len(s)-1]] = segs[i]
		}
	}
	return best, vals
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") }

func matches(tmpl, segs []string) bool {
	for i, s := range tmpl {
		if !isParam(s) && s != segs[i] {
			return false
		}
	}
	return true
}

// moreLiteral reports whether a has a literal where b has a parameter, at
// the first position where they differ in kind.
func moreLiteral(a, b []string) bool {
	for i := range a {
		if pa, pb := isParam(a[i]), isParam(b[i]); pa != pb {
			return pb
		}
	}
	return false
}

// storeParams are the names of the parameters in a store's template, the
// scope its members live in ("/v2/knowledge-base/{id}/file": id).
func storeParams(store string) []string {
	var out []string
	for _, s := range strings.Split(store, "/") {
		if isParam(s) {
			out = append(out, s[1:len(s)-1])
		}
	}
	return out
}

// resOp is a request to a resource made ready outside the lock.
type resOp struct {
	ep     *endpoint
	vals   map[string]string // path parameter values
	scope  string            // the store's parameter values, joined with "/"
	member string            // the id of the member the path names
	fields map[string]any    // the checked body
	disc   string            // the body's discriminator value
	query  listQuery
	raw    url.Values
	bad    *response // a 400, answered after auth
	// deferred is an update's body that can be decoded only once the
	// resource it updates is found (see prepareResource).
	deferred []byte
}

// prepareResource routes a request to the table and checks its path,
// query and body.
func prepareResource(r *http.Request, segs []string, body []byte) op {
	ep, vals := findEndpoint(r.Method, segs)
	if ep == nil {
		return op{kind: opNotFound}
	}
	o := &resOp{ep: ep, vals: vals, raw: r.URL.Query()}
	var scope []string
	for _, name := range storeParams(ep.store) {
		scope = append(scope, vals[name])
	}
	o.scope = strings.Join(scope, "/")
	if n := len(storeParams(ep.store)); n < len(ep.params) {
		o.member = vals[ep.params[n].name]
	}
	var msgs []string
	for _, p := range ep.params {
		if len(p.enum) > 0 && !contains(p.enum, vals[p.name]) {
			msgs = append(msgs, p.name+" must be one of the following values: "+strings.Join(p.enum, ", "))
		}
	}
	if ep.action == actList {
		var qm []string
		o.query, qm = parseQuery(o.raw, ep)
		msgs = append(msgs, qm...)
	} else {
		msgs = append(msgs, checkQuery(o.raw, ep.query)...)
	}
	if len(msgs) > 0 {
		bad := errorResponse(http.StatusBadRequest, msgs)
		o.bad = &bad
		return op{kind: opResource, res: o}
	}
	if ep.body != nil {
		if ep.action == actUpdate && ep.body.disc != "" && !hasMember(body, ep.body.disc) {
			// An update of a union (a tool, a phone number) takes the
			// body of the stored resource's alternative: decoded once
			// the resource is found.
			o.deferred = body
		} else {
			o.fields, o.disc, o.bad = decodeBody(body, ep.body)
		}
	}
	return op{kind: opResource, res: o}
}

// hasMember says whether body is a JSON object with the member name.
func hasMember(body []byte, name string) bool {
	var probe map[string]json.RawMessage
	if json.Unmarshal(orEmpty(body), &probe) != nil {
		return true // not an object: decodeBody says so
	}
	_, ok := probe[name]
	return ok
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// decodeBody checks a body against its type: the union's alternative
// chosen by the discriminator, decoded and validated by the SDK's type.
func decodeBody(body []byte, bt *bodyType) (map[string]any, string, *response) {
	decode := bt.decode
	var disc string
	if bt.disc != "" {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(bytes.TrimSpace(orEmpty(body)), &probe); err == nil {
			_ = json.Unmarshal(probe[bt.disc], &disc)
		}
		var values []string
		decode = nil
		found := false
		for _, a := range bt.alts {
			values = append(values, a.value)
			if a.value == disc {
				decode, found = a.decode, true
			}
		}
		if !found && probe != nil {
			resp := errorResponse(http.StatusBadRequest, []string{bt.disc + " must be one of the following values: " + strings.Join(values, ", ")})
			return nil, "", &resp
		}
	}
	if decode == nil {
		fields, bad := decodeObject(body)
		return fields, disc, bad
	}
	fields, bad := decodeRequest(body, decode())
	return fields, disc, bad
}

func orEmpty(body []byte) []byte {
	if len(bytes.TrimSpace(body)) == 0 {
		return []byte("{}")
	}
	return body
}

// decodeObject takes any JSON object: the check of a body whose schema
// the SDK has no type for.
func decodeObject(body []byte) (map[string]any, *response) {
	var raw any
	if err := json.Unmarshal(orEmpty(body), &raw); err != nil {
		resp := errorResponse(http.StatusBadRequest, "Unexpected token in JSON body: "+strings.TrimPrefix(err.Error(), "json: "))
		return nil, &resp
	}
	m, ok := raw.(map[string]any)
	if !ok {
		resp := errorResponse(http.StatusBadRequest, []string{"request body must be a JSON object"})
		return nil, &resp
	}
	return m, nil
}

// decodeAlt decodes a union body as the alternative for disc.
func decodeAlt(body []byte, bt *bodyType, disc string) (map[string]any, *response) {
	for _, a := range bt.alts {
		if a.value == disc && a.decode != nil {
			return decodeRequest(body, a.decode())
		}
	}
	return decodeObject(body)
}

// checkQuery checks the query of an operation that does not list: every
// parameter known and well-formed, the required ones present.
func checkQuery(q url.Values, params []queryParam) []string {
	var msgs []string
	for _, name := range sortedNames(q) {
		if p := findParam(params, name); p == nil {
			msgs = append(msgs, "property "+name+" should not exist")
		} else {
			msgs = append(msgs, checkValue(p, q[name])...)
		}
	}
	for _, p := range params {
		if p.required && len(q[p.name]) == 0 {
			msgs = append(msgs, p.name+" must be "+kindWords(p.kind))
		}
	}
	return msgs
}

func sortedNames(q url.Values) []string {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func findParam(params []queryParam, name string) *queryParam {
	for i := range params {
		if params[i].name == name {
			return &params[i]
		}
	}
	return nil
}

func kindWords(k queryKind) string {
	switch k {
	case qNumber:
		return "a number conforming to the specified constraints"
	case qBool:
		return "a boolean value"
	case qDate:
		return "a valid ISO 8601 date string"
	case qStrings:
		return "an array"
	}
	return "a string"
}

// checkValue words what is wrong with a parameter's values as
// class-validator does; nil when they are fine.
func checkValue(p *queryParam, vals []string) []string {
	var msgs []string
	items := []string{vals[len(vals)-1]}
	if p.kind == qStrings {
		items = splitValues(vals)
	}
	for _, v := range items {
		switch p.kind {
		case qNumber:
			lo, hi := math.Inf(-1), math.Inf(1)
			if p.min != nil {
				lo = *p.min
			}
			if p.max != nil {
				hi = *p.max
			}
			f, err := strconv.ParseFloat(v, 64)
			switch {
			case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
				msgs = append(msgs, p.name+" must be "+kindWords(qNumber))
			case f < lo:
				msgs = append(msgs, fmt.Sprintf("%s must not be less than %g", p.name, lo))
			case f > hi:
				msgs = append(msgs, fmt.Sprintf("%s must not be greater than %g", p.name, hi))
			case (p.use == usePage || p.use == useLimit) && f != math.Trunc(f):
				msgs = append(msgs, p.name+" must be an integer number")
			}
			continue
		case qBool:
			if v != "true" && v != "false" {
				msgs = append(msgs, p.name+" must be a boolean value")
			}
			continue
		case qDate:
			if _, err := parseDate(v); err != nil {
				msgs = append(msgs, p.name+" must be a valid ISO 8601 date string")
			}
			continue
		}
		if len(p.enum) > 0 && !contains(p.enum, v) {
			msgs = append(msgs, p.name+" must be one of the following values: "+strings.Join(p.enum, ", "))
		}
		if p.uuid && !uuidPattern.MatchString(v) {
			msgs = append(msgs, p.name+" must be a UUID")
		}
		if p.maxLen > 0 && utf8.RuneCountInString(v) > p.maxLen {
			msgs = append(msgs, fmt.Sprintf("%s must be shorter than or equal to %d characters", p.name, p.maxLen))
		}
	}
	return msgs
}

func splitValues(vals []string) []string {
	var out []string
	for _, v := range vals {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// parseQuery checks a list's query and turns it into filters, sort order
// and page.
func parseQuery(q url.Values, ep *endpoint) (listQuery, []string) {
	lq := listQuery{sortOrder: vapi.SortOrderDESC, limit: defaultLimit, page: 1}
	msgs := checkQuery(q, ep.query)
	if len(msgs) > 0 {
		return lq, msgs
	}
	for _, name := range sortedNames(q) {
		p := findParam(ep.query, name)
		vals := q[name]
		v := vals[len(vals)-1]
		member := p.member
		if member == "" {
			member = p.name
		}
		switch p.use {
		case usePage:
			lq.page, _ = strconv.Atoi(v)
		case useLimit:
			lq.limit, _ = strconv.Atoi(v)
		case useSortOrder:
			lq.sortOrder = vapi.SortOrder(v)
		case useDate:
			t, _ := parseDate(v)
			if cmp := dateFilters[name]; cmp != nil {
				lq.filters = append(lq.filters, func(r *record) bool { return cmp(r, t) })
			}
		case useSearch:
			needle := strings.ToLower(v)
			lq.filters = append(lq.filters, func(r *record) bool {
				for _, m := range r.obj {
					if s, ok := m.(string); ok && strings.Contains(strings.ToLower(s), needle) {
						return true
					}
				}
				return false
			})
		case useEqual:
			lq.filters = append(lq.filters, matchScalar(member, []string{v}))
		case useAny:
			lq.filters = append(lq.filters, matchScalar(member, splitValues(vals)))
		}
	}
	return lq, nil
}

// matchScalar matches resources whose member is one of want, written as a
// query string writes it (numbers and booleans as JSON writes them).
func matchScalar(member string, want []string) func(*record) bool {
	return func(r *record) bool {
		var s string
		switch v := r.obj[member].(type) {
		case string:
			s = v
		case float64, bool:
			s = string(mustJSON(v))
		default:
			return false
		}
		return contains(want, s)
	}
}

// The bound on what the fake stores, so that a long-running test server
// does not grow without limit: at most MaxStoredResources resources in one
// collection, and MaxStoredBytes of their JSON across the collections of
// the table (sessions and chats are not counted). A create beyond either
// is answered 507 Insufficient Storage, with a NestJS body; deleting
// resources makes room again.
const (
	MaxStoredResources = 10000
	MaxStoredBytes     = 64 << 20
)

// storeOf returns the records of a store, creating the map on first use.
// It is called under the lock.
func (s *Server) storeOf(name string) map[string]*record {
	m := s.stores[name]
	if m == nil {
		m = make(map[string]*record)
		s.stores[name] = m
	}
	return m
}

// put stores rec, replacing what was stored under its id, and keeps the
// byte count. It is called under the lock.
func (s *Server) put(store string, rec *record) {
	m := s.storeOf(store)
	if old := m[rec.id]; old != nil {
		s.storedBytes -= len(old.body)
	}
	m[rec.id] = rec
	s.storedBytes += len(rec.body)
}

// remove deletes a record. It is called under the lock.
func (s *Server) remove(store, id string) {
	m := s.stores[store]
	if old := m[id]; old != nil {
		s.storedBytes -= len(old.body)
		delete(m, id)
	}
}

// room says whether store can take another resource of n bytes; a 507
// when not.
func (s *Server) room(store string, n int) *response {
	if len(s.stores[store]) >= MaxStoredResources || s.storedBytes+n > MaxStoredBytes {
		resp := errorResponse(http.StatusInsufficientStorage, fmt.Sprintf("vapitest: the fake stores at most %d resources per collection and %d bytes in all; delete some", MaxStoredResources, MaxStoredBytes))
		return &resp
	}
	return nil
}

// stamp builds a stored resource: obj with its id, orgId and timestamps
// set where the resource's schema has them.
func (s *Server) stamp(obj map[string]any, id, scope string, seq int, created, updated time.Time) *record {
	created = created.UTC().Truncate(time.Millisecond)
	updated = updated.UTC().Truncate(time.Millisecond)
	obj["id"] = id
	if _, ok := obj["orgId"]; ok {
		obj["orgId"] = s.cfg.orgID
	}
	if _, ok := obj["createdAt"]; ok {
		obj["createdAt"] = created.Format(timeLayout)
	}
	if _, ok := obj["updatedAt"]; ok {
		obj["updatedAt"] = updated.Format(timeLayout)
	}
	return &record{seq: seq, id: id, scope: scope, createdAt: created, updatedAt: updated, obj: obj, body: mustJSON(obj)}
}

// instance is a fresh copy of the endpoint's minimal instance for a
// discriminator value, with its top-level date placeholders set to now.
func instance(ep *endpoint, disc string, now time.Time) map[string]any {
	src, ok := ep.fill[disc]
	if !ok {
		src = ep.fill[""]
	}
	obj := map[string]any{}
	_ = json.Unmarshal([]byte(src), &obj)
	for k, v := range obj {
		if v == epochPlaceholder {
			obj[k] = now.UTC().Truncate(time.Millisecond).Format(timeLayout)
		}
	}
	return obj
}

// epochPlaceholder is how fakegen writes a required date-time in a
// minimal instance.
const epochPlaceholder = "1970-01-01T00:00:00.000Z"

// zeroUUID is how fakegen writes a required uuid in a minimal instance.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// notFoundMessage is the API's 404 message for a store: "Assistant not
// found", "Phone Number not found", "Knowledge Base not found".
func notFoundMessage(store string) string {
	segs := strings.Split(store, "/")
	last := ""
	for _, s := range segs {
		if s != "" && !isParam(s) && s != "v2" {
			last = s
		}
	}
	words := strings.Split(last, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ") + " not found"
}

// find looks a member up: 404 when there is none (or it lives in another
// scope), 400 when the id is not a UUID and the path wants one.
func (s *Server) find(store, scope, id string, wantUUID bool) (*record, *response) {
	if rec := s.stores[store][id]; rec != nil && rec.scope == scope {
		return rec, nil
	}
	var resp response
	if wantUUID && !uuidPattern.MatchString(id) {
		resp = errorResponse(http.StatusBadRequest, "Validation failed (uuid is expected)")
	} else {
		resp = errorResponse(http.StatusNotFound, notFoundMessage(store))
	}
	return nil, &resp
}

// memberUUID says whether the path parameter naming the member is a UUID.
func (o *resOp) memberUUID() bool {
	n := len(storeParams(o.ep.store))
	return n < len(o.ep.params) && o.ep.params[n].uuid
}

// routeResource answers a prepared request to the table under the lock.
func (s *Server) routeResource(o *resOp, now time.Time) response {
	ep := o.ep
	if ep.parent != "" {
		params := storeParams(ep.store)
		parentID := o.vals[params[len(params)-1]]
		if _, bad := s.find(ep.parent, "", parentID, ep.params[len(params)-1].uuid); bad != nil {
			return *bad
		}
	}
	if o.bad != nil {
		return *o.bad
	}
	switch ep.action {
	case actCreate:
		if ep.store == "/call" {
			return s.createCall(o, now)
		}
		return s.createResource(o, now)
	case actList:
		return s.listResources(o)
	case actGet:
		rec, bad := s.find(ep.store, o.scope, o.member, o.memberUUID())
		if bad != nil {
			return *bad
		}
		return response{status: ep.status, body: s.view(ep.store, rec)}
	case actUpdate, actCancel:
		return s.updateResource(o, now)
	case actDelete:
		rec, bad := s.find(ep.store, o.scope, o.member, o.memberUUID())
		if bad != nil {
			return *bad
		}
		s.remove(ep.store, rec.id)
		for _, child := range children[ep.store] {
			for id, c := range s.stores[child] {
				if c.scope == rec.id {
					s.remove(child, id) // what the deleted resource held goes with it
				}
			}
		}
		if ep.store == "/call" {
			s.deleteCalls(o.fields)
		}
		return response{status: ep.status, body: rec.body}
	case actArtifact:
		return s.artifactRedirect(o)
	}
	return s.act(o, now)
}

// createResource stores a new resource: the minimal instance of its
// schema, the members the client sent, then id, orgId and timestamps.
func (s *Server) createResource(o *resOp, now time.Time) response {
	ep := o.ep
	obj := instance(ep, o.disc, now)
	for k, v := range o.fields {
		obj[k] = v
	}
	for name, v := range o.vals {
		if _, ok := obj[name]; ok && contains(storeParams(ep.store), name) {
			obj[name] = v // provider and resourceName of a provider resource
		}
	}
	rec, bad := s.insert(ep.store, o.scope, obj, now)
	if bad != nil {
		return *bad
	}
	if hook := afterCreate[ep.store]; hook != nil {
		rec = hook(s, rec, o, now)
	}
	return response{status: ep.status, body: rec.body}
}

// insert stores obj as a new member of store, under the lock.
func (s *Server) insert(store, scope string, obj map[string]any, now time.Time) (*record, *response) {
	id := s.cfg.newID()
	if _, dup := s.stores[store][id]; dup || id == "" {
		resp := errorResponse(http.StatusInternalServerError, "vapitest: the id generator returned an empty or already used id: "+id)
		return nil, &resp
	}
	s.seq++
	rec := s.stamp(obj, id, scope, s.seq, now, now)
	if bad := s.room(store, len(rec.body)); bad != nil {
		return nil, bad
	}
	s.put(store, rec)
	return rec, nil
}

// replace stores a changed copy of rec, with updatedAt now. It is called
// under the lock.
func (s *Server) replace(store string, rec *record, obj map[string]any, now time.Time) *record {
	next := s.stamp(obj, rec.id, rec.scope, rec.seq, rec.createdAt, now)
	s.put(store, next)
	return next
}

func cloneObj(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = v
	}
	return out
}

func (s *Server) updateResource(o *resOp, now time.Time) response {
	ep := o.ep
	rec, bad := s.find(ep.store, o.scope, o.member, o.memberUUID())
	if bad != nil {
		return *bad
	}
	if o.deferred != nil {
		disc, _ := rec.obj[ep.body.disc].(string)
		var bad *response
		if o.fields, bad = decodeAlt(o.deferred, ep.body, disc); bad != nil {
			return *bad
		}
	}
	obj := cloneObj(rec.obj)
	for k, v := range o.fields {
		obj[k] = v
	}
	if ep.action == actCancel {
		obj["status"] = ep.cancelStatus
		if ep.cancelStatus == "ended" {
			obj["endedAt"] = now.UTC().Truncate(time.Millisecond).Format(timeLayout)
			obj["endedReason"] = "cancelled"
		} else {
			obj[ep.cancelStatus+"At"] = now.UTC().Truncate(time.Millisecond).Format(timeLayout)
		}
	}
	next := s.replace(ep.store, rec, obj, now)
	return response{status: ep.status, body: next.body}
}

// listResources answers a list: a page for a paginated endpoint, else a
// plain array, newest first, of at most limit resources.
func (s *Server) listResources(o *resOp) response {
	ep := o.ep
	lq := o.query
	scope := o.scope
	lq.filters = append(lq.filters, func(r *record) bool { return r.scope == scope })
	recs := s.stores[ep.store]
	if ep.resp == respPage {
		return s.list(recs, lq, false)
	}
	var all []*record
next:
	for _, r := range recs {
		for _, f := range lq.filters {
			if !f(r) {
				continue next
			}
		}
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.After(b.createdAt)
		}
		return a.seq > b.seq
	})
	if len(all) > lq.limit {
		all = all[:lq.limit]
	}
	out := make([]json.RawMessage, len(all))
	for i, r := range all {
		out[i] = s.view(ep.store, r)
	}
	return response{status: ep.status, body: mustJSON(out)}
}

// view is a stored resource as GET serves it; a knowledge base comes with
// its files.
func (s *Server) view(store string, rec *record) []byte {
	if store != "/v2/knowledge-base" {
		return rec.body
	}
	var files []*record
	for _, f := range s.stores["/v2/knowledge-base/{id}/file"] {
		if f.scope == rec.id {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].seq < files[j].seq })
	list := make([]json.RawMessage, len(files))
	for i, f := range files {
		list[i] = f.body
	}
	obj := cloneObj(rec.obj)
	obj["files"] = list
	return mustJSON(obj)
}

// act answers an action: the member itself when the action answers the
// resource (a retry), else a minimal instance of the answer's schema with
// its ids and times filled in: deterministic placeholders, never output
// that pretends to come from a model.
func (s *Server) act(o *resOp, now time.Time) response {
	ep := o.ep
	var member *record
	if ep.store != "" && o.member != "" {
		rec, bad := s.find(ep.store, o.scope, o.member, o.memberUUID())
		if bad != nil {
			return *bad
		}
		member = rec
	}
	if ep.resp == respNone {
		return response{status: ep.status}
	}
	if member != nil && s.storeSchema(ep.store) == ep.schema {
		next := s.replace(ep.store, member, cloneObj(member.obj), now)
		return response{status: ep.status, body: next.body}
	}
	if hook := actions[ep.path]; hook != nil {
		return hook(s, o, now)
	}
	obj := instance(ep, o.disc, now)
	s.seq++
	for k, v := range obj {
		if member != nil && k != "id" && k != "orgId" && strings.HasSuffix(k, "Id") && (v == "" || v == zeroUUID) {
			obj[k] = member.id // insightId of an insight's run
		}
	}
	var body []byte
	if _, ok := obj["id"]; ok {
		body = s.stamp(obj, s.cfg.newID(), "", s.seq, now, now).body
	} else {
		if _, ok := obj["orgId"]; ok {
			obj["orgId"] = s.cfg.orgID
		}
		body = mustJSON(obj)
	}
	if ep.resp == respArray {
		body = []byte("[" + string(body) + "]")
	}
	return response{status: ep.status, body: body}
}

// storeSchema is the schema of a member of store: what GET serves, or
// for a store with no GET (a knowledge base's files), what POST creates.
func (s *Server) storeSchema(store string) string {
	for _, act := range []action{actGet, actCreate} {
		for i := range endpoints {
			if ep := &endpoints[i]; ep.action == act && ep.store == store {
				return ep.schema
			}
		}
	}
	return ""
}

// afterCreate completes what a create of some resources does besides
// storing them, by store. Each is called under the lock and returns the
// record as stored.
var afterCreate = map[string]func(s *Server, rec *record, o *resOp, now time.Time) *record{
	"/campaign":                    (*Server).createContacts,
	"/v2/knowledge-base":           (*Server).createKnowledgeBase,
	"/v2/knowledge-base/{id}/file": (*Server).attachFile,
	"/eval/simulation/run":         (*Server).createRunItems,
}

// actions answers actions whose answer is made of their request.
var actions = map[string]func(s *Server, o *resOp, now time.Time) response{
	"/analytics": (*Server).analytics,
}

// createContacts makes a campaign's customers its contacts, for GET
// /v2/campaign/{id}/contacts.
func (s *Server) createContacts(rec *record, _ *resOp, now time.Time) *record {
	customers, _ := rec.obj["customers"].([]any)
	for _, c := range customers {
		cust, _ := c.(map[string]any)
		contact := map[string]any{"id": "", "campaignId": rec.id, "orgId": "", "number": "", "createdAt": "", "status": "contact.pending"}
		for _, k := range []string{"number", "name"} {
			if v, ok := cust[k]; ok {
				contact[k] = v
			}
		}
		if _, bad := s.insert("/v2/campaign/{id}/contacts", rec.id, contact, now); bad != nil {
			break
		}
	}
	return rec
}

// createKnowledgeBase gives a knowledge base the id of its query tool, as
// the API creates one with it.
func (s *Server) createKnowledgeBase(rec *record, _ *resOp, now time.Time) *record {
	obj := cloneObj(rec.obj)
	obj["toolId"] = s.cfg.newID()
	return s.replace("/v2/knowledge-base", rec, obj, rec.updatedAt)
}

// attachFile fills an attached file's members from the file it names.
func (s *Server) attachFile(rec *record, o *resOp, now time.Time) *record {
	obj := cloneObj(rec.obj)
	obj["knowledgeBaseV2Id"] = o.scope
	obj["status"] = "ready"
	if id, _ := obj["fileId"].(string); id != "" {
		if f := s.stores["/file"][id]; f != nil {
			obj["fileName"] = f.obj["name"]
			obj["mimetype"] = f.obj["mimetype"]
			obj["bytes"] = f.obj["bytes"]
		}
	}
	return s.replace(o.ep.store, rec, obj, rec.updatedAt)
}

// createRunItems queues one item per simulation and iteration of a new
// simulation run, for GET /eval/simulation/run/{id}/item.
func (s *Server) createRunItems(rec *record, _ *resOp, now time.Time) *record {
	iterations := 1
	if n, ok := rec.obj["iterations"].(float64); ok && n >= 1 {
		iterations = int(min(n, 100))
	}
	sims, _ := rec.obj["simulations"].([]any)
	var ids []any
	for _, sim := range sims {
		m, _ := sim.(map[string]any)
		simID, _ := m["simulationId"].(string)
		for i := range iterations {
			item := map[string]any{
				"id": "", "orgId": "", "simulationId": simID, "runId": rec.id, "status": "queued",
				"iterationNumber": i + 1, "queuedAt": now.UTC().Truncate(time.Millisecond).Format(timeLayout),
				"createdAt": "", "updatedAt": "",
			}
			it, bad := s.insert("/eval/simulation/run/{id}/item", rec.id, item, now)
			if bad != nil {
				break
			}
			ids = append(ids, it.id)
		}
	}
	obj := cloneObj(rec.obj)
	obj["simulationRunItemIds"] = ids
	obj["url"] = "https://dashboard.vapi.ai/vapitest/simulation-run/" + rec.id
	return s.replace("/eval/simulation/run", rec, obj, rec.updatedAt)
}

// analytics answers one result per query, with its name and time range and
// no rows: the fake keeps no metrics.
func (s *Server) analytics(o *resOp, now time.Time) response {
	queries, _ := o.fields["queries"].([]any)
	out := []map[string]any{}
	for _, q := range queries {
		m, _ := q.(map[string]any)
		res := map[string]any{"name": m["name"], "timeRange": map[string]any{}, "result": []any{}}
		if tr, ok := m["timeRange"]; ok {
			res["timeRange"] = tr
		}
		out = append(out, res)
	}
	return response{status: o.ep.status, body: mustJSON(out)}
}
