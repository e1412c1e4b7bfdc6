// Package vapitest provides an in-process fake of Vapi's API, for testing
// code that uses the SDK (or speaks to the API directly) without the
// network: sessions and chats, and every other resource of the spec
// (assistants, squads, calls, phone numbers, tools, files, campaigns,
// knowledge bases, structured outputs, evals, simulations, insights,
// boards, scorecards, provider resources, analytics), kept in memory.
//
// It is modelled on net/http/httptest: [NewServer] returns a running server
// on a loopback port, its URL goes into vapi.WithBaseURL, and Close shuts it
// down. There is no global state and nothing else to manage.
//
//	srv := vapitest.NewServer(vapitest.WithAPIKey("test-key"))
//	defer srv.Close()
//	client, _ := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("test-key"))
//
// The server keeps sessions in memory and answers like the live API: the
// five operations of the Sessions API with their status codes and bodies,
// NestJS-shaped errors ({"message": ..., "error": ..., "statusCode": ...}),
// 401 without a valid bearer key, 404 for unknown ids and routes, and 400 for
// invalid JSON, unknown properties and requests that fail the SDK's own
// validation. See [Server] for the details of each operation, and
// [Server.Fail] for making requests fail on purpose.
//
// # Every resource
//
// Besides sessions and chats, the server serves every operation of Vapi's
// OpenAPI spec from a table generated from it (resources_gen.go), with one
// in-memory store per collection:
//
//   - POST to a collection creates a resource: 201 (or the spec's success
//     status) and the resource, made of a minimal valid instance of its
//     schema, every member the client sent, and id, orgId, createdAt and
//     updatedAt where the schema has them.
//   - GET of a collection lists its resources with the endpoint's query:
//     createdAt… and updatedAt… ranges, id and the other members the query
//     names (equal, or one of a comma-separated list for …Any and array
//     parameters), search (a case-insensitive substring of any string
//     member), sortOrder, and limit within the spec's bounds (default 100).
//     A paginated endpoint answers {"results", "metadata"} pages by page
//     and limit; any other answers a plain array, newest first.
//   - GET, PATCH (merging the body's members) and DELETE (answering the
//     deleted resource) of a member; a PATCH with no body of a resource
//     with a status (a simulation run or run item) cancels it.
//   - Any other operation (run, preview, concurrency, generate, metrics
//     overview, analytics) answers a minimal valid instance of its
//     schema, with ids and times filled in: deterministic placeholders,
//     never content that pretends to come from a model.
//
// Bodies are decoded into the SDK's request type for the operation (for a
// union body, the alternative its discriminator names) and checked like
// session bodies; query parameters are checked against the spec's types,
// enums and bounds; path ids that the spec wants as UUIDs are a 400 when
// they are not. An unknown id is a 404 ("Assistant not found"), a nested
// resource of an unknown parent too. /v2/campaign and /v2/phone-number
// serve the same resources as /campaign and /phone-number. Stores are
// bounded: see MaxStoredResources.
//
// # Calls and files
//
// POST /call with one customer (customer or customerId) creates a call of
// type "outboundPhoneCall" that starts "queued"; with customers it creates
// one call per customer and answers a CallBatchResponse ({"results": [...],
// "errors": []}); both, or neither, is a 400. A call moves on only when the
// test says so, with [Server.SetCallStatus] or [Server.EndCall]; each
// status it gets, "queued" included, is a status-update message, and its
// end also an end-of-call-report, delivered to the call's server URL
// before the request or method returns (see [Server.SetCallStatus]). DELETE
// /call/{id} also removes the calls its body's ids name. Once a call has
// ended, its seven downloads (GET /call/{id}/mono-recording,
// stereo-recording, video-recording, customer-recording,
// assistant-recording, pcap, call-logs) answer 302 with a Location on the
// same server that serves [ArtifactBytes] without asking for a key, as the
// API's presigned storage URLs do; before that, and for an unknown call,
// they are a 404.
//
// POST /file takes a multipart/form-data body with a "file" part and
// optional "purpose" and "metadata" parts. The file part is read as a
// stream: its size, filename and Content-Type are kept, never its content,
// and the upload is recorded in [Server.Requests] without its body. An
// unknown part, an unknown purpose or a missing file is a 400.
package vapitest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govapi/vapi"
)

// Server is a running fake of the Sessions API. Its methods are safe for
// concurrent use, also while requests are being served.
//
// Routes, all of which need an "Authorization: Bearer <key>" header:
//
//   - POST /session creates a session: 201 and the Session. The server
//     sets id (a version 4 UUID unless [WithIDGenerator] says otherwise),
//     orgId, createdAt and updatedAt (RFC 3339, milliseconds, "Z"), and the
//     defaults status "active" and expirationSeconds 86400; the other fields
//     echo the request.
//   - GET /session/{id}: 200 and the Session.
//   - PATCH /session/{id}: merges the request's fields (name, status,
//     expirationSeconds, messages: whatever vapi.UpdateSessionRequest
//     carries) into the session, moves updatedAt on, 200 and the Session.
//   - DELETE /session/{id}: removes the session, 200 and the deleted Session.
//   - GET /session: 200 and a SessionPaginatedResponse,
//     {"results": [...], "metadata": {...}}. See [Server.ServeHTTP] for the
//     query parameters.
//
// Sessions never expire and never change unless a request changes them.
// The chat routes (POST /chat, streamed or not, POST /chat/responses, GET
// /chat, GET and DELETE /chat/{id}) are described at [WithChatResponder].
//
// Request bodies are decoded into vapi.CreateSessionRequest or
// vapi.UpdateSessionRequest and checked with their Validate method, which
// rejects what the live API rejects: a body that is not JSON or not a JSON
// object, a value of the wrong JSON type, a property those types do not
// know, a union member (a message, a model, a voice, …) without its
// discriminator ("role", "provider", …) or with one the SDK does not know,
// or a value that breaks a constraint. Such a request gets a 400 whose
// "message" array lists every problem:
//
//	property foo should not exist
//	assistant.property foo should not exist   (nested, as NestJS prints it)
//	messages.1.property foo should not exist  (array elements by index)
//	customer.number must be between 3 and 40 characters
//	name must be a string
//
// Validation messages are the SDK's FieldError as "<field> <message>", with
// array indexes written the NestJS way ("messages.1.content").
//
// A request is decoded and checked before the server takes the lock that
// guards its sessions, and a session is built before it is stored, so that
// a large or deeply nested body never holds up other requests. The server
// remembers a bounded number of requests for [Server.Requests].
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:<port>", for
	// vapi.WithBaseURL.
	URL string

	ts  *httptest.Server
	cfg config

	mu       sync.Mutex
	sessions map[string]*record
	chats    map[string]*record // see chats.go
	// stores holds every other resource, by the store of the table in
	// resources_gen.go; storedBytes counts their JSON (see MaxStoredBytes).
	stores      map[string]map[string]*record
	storedBytes int
	seq         int // insertion counter, the tie-breaker of the sort order
	reqSeq      int
	failures    []Failure
	requests    []Request // the most recent requests, oldest first
	reqBytes    int       // the size of their bodies and headers
}

// NewServer starts a fake Sessions API on a loopback port. Call Close when
// done, typically with defer or t.Cleanup.
func NewServer(opts ...Option) *Server {
	s := &Server{cfg: defaults(), sessions: make(map[string]*record), chats: make(map[string]*record), stores: make(map[string]map[string]*record)}
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.orgID == "" {
		s.cfg.orgID = randomUUID()
	}
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down and blocks until all outstanding requests
// have completed.
func (s *Server) Close() { s.ts.Close() }

// Client returns an *http.Client configured for the server, like
// httptest.Server.Client.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Failure describes responses that the next requests get instead of being
// served, whatever their method and path, for testing retry handling.
type Failure struct {
	// Count is how many requests in a row fail; 0 means 1.
	Count int
	// Status is the HTTP status code, for example 503.
	Status int
	// Header is added to each failed response, for example Retry-After.
	Header http.Header
	// Body is the response body. When empty, the body is the NestJS-shaped
	// error for the status:
	// {"message":"Service Unavailable","error":"Service Unavailable","statusCode":503}
	Body string
}

// Fail makes the next f.Count requests fail with f's response. Failures
// queue: after one Failure's requests have failed, the next one queued
// applies. Authentication is not checked for a failed request, just as a
// proxy in front of the API would not check it.
func (s *Server) Fail(f Failure) {
	if f.Count <= 0 {
		f.Count = 1
	}
	f.Header = f.Header.Clone()
	s.mu.Lock()
	s.failures = append(s.failures, f)
	s.mu.Unlock()
}

// Request is a request as the server received it.
type Request struct {
	Method string
	// URL holds the path and query as sent, for example
	// "/session?limit=2&page=1".
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// The bound on what [Server.Requests] retains, so that a long-running test
// server does not keep every body it ever received: the most recent
// MaxRecordedRequests requests, and fewer when their bodies and headers
// together would exceed MaxRecordedBytes (the newest request is always
// kept). Older requests are forgotten.
const (
	MaxRecordedRequests = 1000
	MaxRecordedBytes    = 32 << 20
)

// Requests returns copies of the requests received so far, in order,
// including those answered with an error or an injected failure: the most
// recent ones, within MaxRecordedRequests and MaxRecordedBytes. A request
// whose body was too large to read (413) is not recorded.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = cloneRequest(r)
	}
	return out
}

// record keeps r, forgetting the oldest requests beyond the bound. It is
// called under the lock.
func (s *Server) record(r Request) {
	s.requests = append(s.requests, r)
	s.reqBytes += requestSize(r)
	for len(s.requests) > 1 && (len(s.requests) > MaxRecordedRequests || s.reqBytes > MaxRecordedBytes) {
		s.reqBytes -= requestSize(s.requests[0])
		s.requests[0] = Request{}
		s.requests = s.requests[1:]
	}
}

// requestSize is what a recorded request counts against MaxRecordedBytes.
func requestSize(r Request) int {
	n := len(r.Body) + len(r.URL.String())
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

func cloneRequest(r Request) Request {
	u := *r.URL
	return Request{
		Method: r.Method,
		URL:    &u,
		Header: r.Header.Clone(),
		Body:   bytes.Clone(r.Body),
	}
}

// response is an answer computed under the lock and written after it.
type response struct {
	status   int
	header   http.Header
	body     []byte
	webhooks []webhookMessage // delivered before the response is written
	// stream, when set, writes the body instead (status and header
	// included), as it is produced: a Server-Sent Events reply.
	stream func(http.ResponseWriter, *http.Request)
}

// maxBody bounds the request bodies the server reads.
const maxBody = 10 << 20

// ServeHTTP answers one request; [NewServer] serves it on a loopback port,
// and it can be mounted in another server too.
//
// GET /session accepts the query parameters of the live API:
//   - filters: id, idAny (comma-separated), assistantId, assistantIdAny,
//     squadId, workflowId, name, phoneNumberId, phoneNumberIdAny, and the
//     customer fields number, customerNumberAny, sipUri, email and externalId;
//   - createdAtGt, createdAtLt, createdAtGe, createdAtLe and the same four
//     for updatedAt, as RFC 3339 dates;
//   - sortOrder (ASC or DESC, by createdAt; default DESC), sortBy (createdAt,
//     duration or cost; the fake sorts by createdAt whatever it says),
//     limit (0 to 1000, default 100) and page (1 or more, default 1);
//   - cursor, a metadata.nextCursor from an earlier page; see
//     [WithCursorPagination].
//
// numberE164CheckEnabled, extension, assistantOverrides and squadOverrides
// are accepted and ignored. Any other parameter, or a value out of range,
// is a 400.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isUpload(r) {
		s.serveUpload(w, r)
		return
	}
	body, err := readBody(r)
	var resp response
	switch {
	case err != nil:
		resp = errorResponse(http.StatusBadRequest, "could not read request body: "+err.Error())
	case len(body) > maxBody:
		resp = errorResponse(http.StatusRequestEntityTooLarge, "request entity too large")
	default:
		resp = s.serve(r, body)
		s.deliver(r.Context(), resp.webhooks)
	}
	writeResponse(w, r, resp)
}

// writeResponse writes an answer: its headers, then its body or stream.
func writeResponse(w http.ResponseWriter, r *http.Request, resp response) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if resp.stream != nil {
		resp.stream(w, r)
		return
	}
	if h.Get("Content-Type") == "" && len(resp.body) > 0 {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// op is a request made ready outside the lock: its route, and its body or
// query parsed and checked, which can take a while for a large or deeply
// nested body. serve then applies it under the lock.
type op struct {
	kind   opKind
	id     string         // for get, update and delete
	fields map[string]any // the decoded body of create and update
	query  listQuery      // for list
	bad    *response      // a 400 for the body or query, answered after auth
	chat   *chatOp        // a request to /chat…, see chats.go
	res    *resOp         // a request to any other resource, see resources.go
}

type opKind int

const (
	opNotFound opKind = iota
	opCreate
	opList
	opGet
	opUpdate
	opDelete
	opChat     // see chats.go
	opResource // see resources.go
	opArtifact // the bytes of a call artifact, served without a key; see calls.go
	opUpload   // POST /file, read as a stream; see files.go
)

// prepare finds the route of r and decodes its body or query. It needs no
// lock.
func prepare(r *http.Request, body []byte) op {
	segs, ok := splitPath(r.URL.EscapedPath())
	if ok && len(segs) > 0 && segs[0] == "chat" {
		return prepareChat(r, segs, body)
	}
	if ok && len(segs) == 4 && segs[0] == artifactPrefix {
		return prepareArtifact(segs)
	}
	if ok && len(segs) > 0 && segs[0] != "session" {
		return prepareResource(r, segs, body)
	}
	if !ok || len(segs) == 0 || len(segs) > 2 || segs[0] != "session" {
		return op{kind: opNotFound}
	}
	var o op
	switch {
	case len(segs) == 1 && r.Method == http.MethodPost:
		o.kind = opCreate
		o.fields, o.bad = decodeRequest(body, &vapi.CreateSessionRequest{})
	case len(segs) == 1 && r.Method == http.MethodGet:
		o.kind = opList
		var msgs []string
		o.query, msgs = parseListQuery(r.URL.Query(), sessionList)
		if len(msgs) > 0 {
			bad := errorResponse(http.StatusBadRequest, msgs)
			o.bad = &bad
		}
	case len(segs) == 2 && r.Method == http.MethodGet:
		o.kind, o.id = opGet, segs[1]
	case len(segs) == 2 && r.Method == http.MethodPatch:
		o.kind, o.id = opUpdate, segs[1]
		o.fields, o.bad = decodeRequest(body, &vapi.UpdateSessionRequest{})
	case len(segs) == 2 && r.Method == http.MethodDelete:
		o.kind, o.id = opDelete, segs[1]
	}
	return o
}

// readBody reads a request body of up to maxBody+1 bytes into a buffer no
// larger than it, as the server keeps it for Requests.
func readBody(r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n >= 0 && n <= maxBody {
		body := make([]byte, n)
		_, err := io.ReadFull(r.Body, body)
		return body, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if cap(body)-len(body) > len(body)/8 {
		body = bytes.Clone(body)
	}
	return body, err
}

// serve computes the response to one request: the request is decoded and
// checked first, then applied under the lock, so that a slow body never
// holds up other requests.
func (s *Server) serve(r *http.Request, body []byte) response {
	o := prepare(r, body)
	u := *r.URL
	rec := Request{Method: r.Method, URL: &u, Header: r.Header.Clone(), Body: body}

	s.mu.Lock()
	now := s.cfg.clock().UTC()
	s.reqSeq++
	reqID := "vapitest-" + strconv.Itoa(s.reqSeq)
	s.record(rec)
	resp, finish := s.route(r, o, now)
	s.mu.Unlock()
	if finish != nil {
		resp = finish()
	}

	if resp.header == nil {
		resp.header = http.Header{}
	}
	resp.header.Set("Date", now.Format(http.TimeFormat))
	resp.header.Set("X-Request-Id", reqID)
	return resp
}

// route answers a prepared request under the lock: an injected failure
// first, then 404 for an unknown route, 401 without a valid key, then the
// operation. An operation that stores a session returns a finish function
// instead, to be called after the lock is released: it builds the stored
// session (encoding and decoding it, which takes time in proportion to its
// size) without the lock, and takes the lock again only to store it.
func (s *Server) route(r *http.Request, o op, now time.Time) (response, func() response) {
	if len(s.failures) > 0 {
		f := &s.failures[0]
		f.Count--
		resp := response{status: f.Status, header: f.Header.Clone(), body: []byte(f.Body)}
		if f.Count == 0 {
			s.failures = s.failures[1:]
		}
		if len(resp.body) == 0 {
			resp.body = errorResponse(f.Status, http.StatusText(f.Status)).body
		}
		return resp, nil
	}
	if o.kind == opNotFound {
		return notFoundRoute(r), nil
	}
	if o.kind == opArtifact {
		return s.artifactContent(o.id), nil
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		return response{status: http.StatusUnauthorized, body: mustJSON(errorBody{Message: "Unauthorized", StatusCode: http.StatusUnauthorized})}, nil
	}
	if o.chat != nil {
		return s.routeChat(r, o.chat, now)
	}
	if o.res != nil {
		return s.routeResource(o.res, now), nil
	}
	if o.kind == opUpload {
		return response{}, nil // authorized: serveUpload reads the body
	}
	if o.bad != nil && (o.kind == opCreate || o.kind == opList) {
		return *o.bad, nil
	}
	switch o.kind {
	case opCreate:
		return s.create(o.fields, now)
	case opList:
		return s.list(s.sessions, o.query, s.cfg.cursors), nil
	case opGet:
		return s.get(o.id), nil
	case opUpdate:
		return s.update(o.id, o.fields, o.bad, now)
	default:
		return s.delete(o.id, now), nil
	}
}

// splitPath splits an escaped URL path into unescaped segments, ignoring
// one trailing slash as Express does.
func splitPath(escaped string) ([]string, bool) {
	escaped = strings.TrimPrefix(escaped, "/")
	escaped = strings.TrimSuffix(escaped, "/")
	if escaped == "" {
		return nil, true
	}
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil || u == "" {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

func notFoundRoute(r *http.Request) response {
	return errorResponse(http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path)
}

func (s *Server) authorized(h string) bool {
	scheme, key, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return false
	}
	return s.cfg.apiKey == "" || key == s.cfg.apiKey
}
