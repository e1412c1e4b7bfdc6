package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// API is the spec as fakegen reads it: the schemas through internal/spec's
// loader, and the operations with the parameters that loader does not keep.
type API struct {
	Schemas map[string]*spec.Schema
	Ops     []*Op
}

// Op is one operation of the spec.
type Op struct {
	Method, Path string
	ID           string // operationId
	Params       []Param
	// Body is the request body's schema and its media type; nil when the
	// operation takes none.
	Body      *spec.Schema
	BodyMedia string
	// Responses by status code: the JSON schema, nil for no content.
	Responses map[int]*spec.Schema
}

// Param is a path or query parameter.
type Param struct {
	Name     string       `json:"name"`
	In       string       `json:"in"`
	Required bool         `json:"required"`
	Schema   *spec.Schema `json:"schema"`
}

type rawOp struct {
	OperationID string  `json:"operationId"`
	Parameters  []Param `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *spec.Schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *spec.Schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

var methods = []string{"get", "post", "put", "patch", "delete"}

// Load reads the spec: its schemas with spec.Load, its operations sorted by
// path then method.
func Load(file string) (*API, error) {
	sp, err := spec.Load(file)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	api := &API{Schemas: sp.Components.Schemas}
	for path, ops := range raw.Paths {
		for _, m := range methods {
			msg, ok := ops[m]
			if !ok {
				continue
			}
			var r rawOp
			if err := json.Unmarshal(msg, &r); err != nil {
				return nil, fmt.Errorf("%s %s: %w", m, path, err)
			}
			op := &Op{Method: strings.ToUpper(m), Path: path, ID: r.OperationID, Params: r.Parameters, Responses: map[int]*spec.Schema{}}
			if r.RequestBody != nil {
				for _, media := range sortedKeys(r.RequestBody.Content) {
					op.Body, op.BodyMedia = r.RequestBody.Content[media].Schema, media
					break
				}
			}
			for code, resp := range r.Responses {
				n, err := strconv.Atoi(code)
				if err != nil {
					continue
				}
				op.Responses[n] = nil
				if c, ok := resp.Content["application/json"]; ok {
					op.Responses[n] = c.Schema
				}
			}
			api.Ops = append(api.Ops, op)
		}
	}
	sort.Slice(api.Ops, func(i, j int) bool {
		a, b := api.Ops[i], api.Ops[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return methodRank(a.Method) < methodRank(b.Method)
	})
	return api, nil
}

func methodRank(m string) int {
	for i, x := range []string{"POST", "GET", "PUT", "PATCH", "DELETE"} {
		if x == m {
			return i
		}
	}
	return len(methods)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Endpoint is what the fake does with one operation: a row of the
// generated table.
type Endpoint struct {
	Method, Path string
	Op           string // operationId, for the reader
	// Action is one of create, list, get, update, delete, cancel (a PATCH
	// of a member with no body), action (an operation that computes an
	// answer), artifact (a call download behind a 302) or upload (a
	// multipart create).
	Action string
	// Store is the collection the operation reads or writes, named by its
	// path template ("/assistant", "/v2/knowledge-base/{id}/file"); "" for
	// an action on no resource.
	Store string
	// Parent is the store whose member a nested store belongs to
	// ("/v2/knowledge-base" for "/v2/knowledge-base/{id}/file"): the fake
	// answers 404 when that member does not exist.
	Parent     string
	PathParams []PathParam
	Query      []QueryParam
	Body       *Body
	// Resp is how the answer is shaped: single, page (results and
	// metadata), array, or none.
	Resp   string
	Status int
	// Schema is the answer's schema: the resource, or the element of a
	// page or array.
	Schema string
	// Fill holds minimal valid instances of the answer's schema as JSON,
	// by the value of FillDisc when the answer is a union ("" otherwise).
	Fill     map[string]string
	FillDisc string
	// CancelStatus is the status a cancel sets: "canceled" where the
	// resource's status enum has it, else its last value ("ended").
	CancelStatus string
}

// PathParam is a path parameter and what the API checks of it.
type PathParam struct {
	Name string
	UUID bool
	Enum []string
}

// QueryParam is a query parameter: its type and constraints, and what the
// fake does with it (Use).
type QueryParam struct {
	Name     string
	Kind     string // string, number, boolean, date, strings (an array)
	Enum     []string
	Min, Max *float64
	MaxLen   *int
	UUID     bool
	Required bool
	// Use is page, limit, sortOrder, sortBy, date (the createdAt… and
	// updatedAt… ranges), search, equal (the member named Member), any (one
	// of the comma-separated values of Member), or ignore.
	Use    string
	Member string
}

// Body is the request body: the SDK's Go type for it, or for a union the
// discriminator and one type per value.
type Body struct {
	Schema string
	GoType string // "" when the SDK has no type for the schema yet
	Disc   string
	Alts   []BodyAlt
	// Example is a minimal valid body (the first alternative's for a
	// union), as JSON.
	Example string
}

// BodyAlt is one alternative of a union body.
type BodyAlt struct {
	Value, Schema, GoType string
}

// builder classifies operations.
type builder struct {
	api     *API
	goTypes map[string]string
	paths   map[string]bool
	members map[string]string // collection template -> member template
}

// Build turns the spec's operations into the fake's endpoints.
func Build(api *API, goTypes map[string]string) ([]Endpoint, error) {
	b := &builder{api: api, goTypes: goTypes, paths: map[string]bool{}, members: map[string]string{}}
	for _, op := range api.Ops {
		b.paths[op.Path] = true
	}
	for p := range b.paths {
		parent, last := splitLast(p)
		if isParam(last) && b.paths[parent] {
			b.members[parent] = p
		}
	}
	var out []Endpoint
	for _, op := range api.Ops {
		ep, err := b.endpoint(op)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", op.Method, op.Path, err)
		}
		out = append(out, ep)
	}
	// A create whose answer the spec leaves untyped (POST /eval/run: an
	// object) answers the resource its store serves.
	for i := range out {
		ep := &out[i]
		if ep.Action != "create" || ep.Schema != "" {
			continue
		}
		for _, get := range out {
			if get.Action == "get" && get.Store == ep.Store {
				elem := b.api.Schemas[get.Schema]
				if elem == nil {
					continue
				}
				ep.Schema, ep.Resp = get.Schema, "single"
				ep.Fill, ep.FillDisc = b.fills(&spec.Schema{Ref: "#/components/schemas/" + get.Schema})
			}
		}
	}
	return out, nil
}

func splitLast(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i], p[i+1:]
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// alias is the store of a collection: a /v2/X collection shares /X's when
// the spec has both (campaigns, phone numbers), as the API serves the same
// resources through both.
func (b *builder) alias(collection string) string {
	if rest, ok := strings.CutPrefix(collection, "/v2"); ok {
		if _, isColl := b.members[rest]; isColl {
			return rest
		}
	}
	return collection
}

// owner finds the collection whose member path is p or a prefix of it.
func (b *builder) owner(p string) (collection, member string) {
	for c, m := range b.members {
		if (p == m || strings.HasPrefix(p, m+"/")) && len(m) > len(member) {
			collection, member = c, m
		}
	}
	return collection, member
}

func (b *builder) endpoint(op *Op) (Endpoint, error) {
	ep := Endpoint{Method: op.Method, Path: op.Path, Op: op.ID}
	ep.Status, ep.Resp = 200, "none"
	var respSchema *spec.Schema
	ep.Status, respSchema = b.success(op)
	_, redirect := op.Responses[302]
	_, isCollection := b.members[op.Path]
	coll, member := b.owner(op.Path)
	switch {
	case isCollection && op.Method == "POST" && strings.HasPrefix(op.BodyMedia, "multipart/"):
		ep.Action, ep.Store = "upload", b.alias(op.Path)
	case isCollection && op.Method == "POST":
		ep.Action, ep.Store = "create", b.alias(op.Path)
	case isCollection && op.Method == "GET":
		ep.Action, ep.Store = "list", b.alias(op.Path)
	case op.Path == member:
		ep.Store = b.alias(coll)
		switch op.Method {
		case "GET":
			ep.Action = "get"
		case "PATCH", "PUT":
			ep.Action = "update"
			if op.Body == nil && b.properties(b.getSchema(op.Path))["status"] {
				ep.Action = "cancel" // PATCH /eval/simulation/run/{id}
				ep.CancelStatus = b.cancelStatus(b.getSchema(op.Path))
			}
		case "DELETE":
			ep.Action = "delete"
		default:
			ep.Action = "action"
		}
	case member != "" && redirect && op.Method == "GET":
		ep.Action, ep.Store = "artifact", b.alias(coll)
	case op.Method == "GET" && listShape(b.api, respSchema) != "":
		// A listing with no member path: a store of its own
		// (/v2/campaign/{id}/contacts), or another view of one
		// (/v2/phone-number).
		ep.Action, ep.Store = "list", b.alias(op.Path)
	case member != "":
		ep.Action, ep.Store = "action", b.alias(coll)
	default:
		ep.Action = "action"
		// An action beside a collection (POST /structured-output/run)
		// reads no resource of it.
	}

	if ep.Store != "" {
		if prefix, _ := splitLast(ep.Store); prefix != "" {
			if c, m := b.owner(prefix); m == prefix {
				ep.Parent = b.alias(c)
			}
		}
	}
	for _, seg := range strings.Split(op.Path, "/") {
		if !isParam(seg) {
			continue
		}
		name := seg[1 : len(seg)-1]
		pp := PathParam{Name: name}
		for _, p := range op.Params {
			if p.In == "path" && p.Name == name && p.Schema != nil {
				pp.UUID = p.Schema.Format == "uuid"
				pp.Enum = stringValues(p.Schema.Enum)
			}
		}
		ep.PathParams = append(ep.PathParams, pp)
	}

	if op.Body != nil && !strings.HasPrefix(op.BodyMedia, "multipart/") {
		body, err := b.body(op.Body)
		if err != nil {
			return ep, err
		}
		ep.Body = body
	}

	elem := respSchema
	switch shape := listShape(b.api, respSchema); {
	case respSchema == nil:
	case shape != "" && (ep.Action == "list" || ep.Action == "action"):
		ep.Resp, elem = shape, listElem(b.api, respSchema, shape)
	default:
		ep.Resp = "single"
		elem = b.pickSingle(respSchema)
	}
	if ep.Resp != "none" && elem != nil {
		ep.Schema = schemaName(elem)
		fill, disc := b.fills(elem)
		ep.Fill, ep.FillDisc = fill, disc
	}
	switch ep.Action {
	case "create", "upload", "action":
	default:
		ep.Fill, ep.FillDisc = nil, "" // the answer is a stored resource
	}
	props := b.properties(elem)
	for _, p := range op.Params {
		if p.In != "query" {
			continue
		}
		ep.Query = append(ep.Query, queryParam(p, props, ep.Resp))
	}
	return ep, nil
}

func (b *builder) cancelStatus(s *spec.Schema) string {
	for _, p := range resolve(b.api, s).Properties {
		if p.Name != "status" {
			continue
		}
		vals := stringValues(resolve(b.api, p.Schema).Enum)
		for _, v := range vals {
			if v == "canceled" || v == "cancelled" {
				return v
			}
		}
		if len(vals) > 0 {
			return vals[len(vals)-1]
		}
	}
	return ""
}

// success picks the status and schema of an operation's answer: the first
// 2xx whose content is typed (NestJS documents a bare 201 {"type":
// "object"} beside the 200 of a POST that answers 200), else a POST's 201
// and anything else's 200.
func (b *builder) success(op *Op) (int, *spec.Schema) {
	for _, code := range []int{200, 201, 202, 204} {
		if s, ok := op.Responses[code]; ok && s != nil && !untyped(s) {
			return code, s
		}
	}
	for _, code := range []int{201, 200, 202, 204} {
		if s, ok := op.Responses[code]; ok && (code == 201) == (op.Method == "POST") {
			if untyped(s) {
				s = nil
			}
			return code, s
		}
	}
	for _, code := range []int{200, 201, 202, 204} {
		if _, ok := op.Responses[code]; ok {
			return code, nil
		}
	}
	return 200, nil
}

// untyped is a schema that says no more than "an object".
func untyped(s *spec.Schema) bool {
	return s == nil || (s.Ref == "" && s.Type == "object" && len(s.Properties) == 0 && len(s.OneOf) == 0 && len(s.AllOf) == 0)
}

// getSchema is the response schema of GET member, the resource a member
// path serves.
func (b *builder) getSchema(member string) *spec.Schema {
	for _, op := range b.api.Ops {
		if op.Path == member && op.Method == "GET" {
			return op.Responses[200]
		}
	}
	return nil
}

// listShape says whether s is a page ({results, metadata}), an array, or
// neither; for a oneOf of an array and a page (GET /eval/simulation/run) it
// is the page.
func listShape(api *API, s *spec.Schema) string {
	if s == nil {
		return ""
	}
	s = resolve(api, s)
	if s.Type == "array" {
		return "array"
	}
	if hasProp(s, "results") && hasProp(s, "metadata") {
		return "page"
	}
	shape := ""
	for _, alt := range s.OneOf {
		switch listShape(api, alt) {
		case "page":
			return "page"
		case "array":
			shape = "array"
		}
	}
	return shape
}

func listElem(api *API, s *spec.Schema, shape string) *spec.Schema {
	s = resolve(api, s)
	if shape == "array" && s.Type == "array" {
		return s.Items
	}
	for _, p := range s.Properties {
		if p.Name == "results" {
			return resolveKeepRef(p.Schema).Items
		}
	}
	for _, alt := range s.OneOf {
		if listShape(api, alt) == shape {
			return listElem(api, alt, shape)
		}
	}
	return nil
}

func hasProp(s *spec.Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return false
}

// pickSingle chooses, among a oneOf of a resource and inline alternatives
// (POST /structured-output/run), the first named alternative; a union of
// named resources (a phone number) stays a union.
func (b *builder) pickSingle(s *spec.Schema) *spec.Schema {
	s = resolveKeepRef(s)
	if s.Ref != "" || len(s.OneOf) == 0 {
		return s
	}
	for _, alt := range s.OneOf {
		if resolveKeepRef(alt).Ref == "" {
			for _, alt := range s.OneOf {
				if resolveKeepRef(alt).Ref != "" {
					return resolveKeepRef(alt)
				}
			}
		}
	}
	return s
}

// resolveKeepRef unwraps the spec's {allOf: [{$ref}]} and {title, allOf:
// [{$ref}, {...}]} wrappers, keeping the reference.
func resolveKeepRef(s *spec.Schema) *spec.Schema {
	if s == nil {
		return nil
	}
	s = spec.Deref(s)
	if s.Ref == "" && len(s.AllOf) > 0 && s.AllOf[0].Ref != "" && len(s.Properties) == 0 {
		return s.AllOf[0]
	}
	return s
}

// resolve follows references to the schema itself.
func resolve(api *API, s *spec.Schema) *spec.Schema {
	for i := 0; s != nil && i < 8; i++ {
		s = resolveKeepRef(s)
		if s.Ref == "" {
			return s
		}
		s = api.Schemas[spec.RefName(s.Ref)]
	}
	return s
}

func schemaName(s *spec.Schema) string {
	s = resolveKeepRef(s)
	if s.Ref != "" {
		return spec.RefName(s.Ref)
	}
	var names []string
	for _, alt := range s.OneOf {
		if a := resolveKeepRef(alt); a.Ref != "" {
			names = append(names, spec.RefName(a.Ref))
		}
	}
	return strings.Join(names, " | ")
}

// alternatives lists the named alternatives of a union schema (nil for a
// schema that is not one), with the discriminator that tells them apart.
func (b *builder) alternatives(s *spec.Schema) (disc string, names, values []string) {
	s = resolve(b.api, s)
	if len(s.OneOf) == 0 {
		return "", nil, nil
	}
	for _, alt := range s.OneOf {
		a := resolveKeepRef(alt)
		if a.Ref == "" {
			return "", nil, nil
		}
		names = append(names, spec.RefName(a.Ref))
	}
	if s.Discriminator != nil {
		disc = s.Discriminator.PropertyName
	} else {
		disc = commonConst(b.api, names)
	}
	if disc == "" {
		return "", nil, nil
	}
	for _, n := range names {
		v := constOf(b.api, b.api.Schemas[n], disc)
		if s.Discriminator != nil {
			for mv, ref := range s.Discriminator.Mapping {
				if spec.RefName(ref) == n {
					v = mv
				}
			}
		}
		values = append(values, v)
	}
	return disc, names, values
}

// commonConst is the property that has one enum value in every schema of
// names: the union's implicit discriminator.
func commonConst(api *API, names []string) string {
	for _, cand := range []string{"type", "provider", "role", "on"} {
		ok := true
		for _, n := range names {
			if constOf(api, api.Schemas[n], cand) == "" {
				ok = false
			}
		}
		if ok {
			return cand
		}
	}
	return ""
}

func constOf(api *API, s *spec.Schema, prop string) string {
	s = resolve(api, s)
	if s == nil {
		return ""
	}
	for _, p := range s.Properties {
		if p.Name == prop {
			if vals := stringValues(resolve(api, p.Schema).Enum); len(vals) == 1 {
				return vals[0]
			}
		}
	}
	return ""
}

func stringValues(vals []any) []string {
	var out []string
	for _, v := range vals {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (b *builder) body(s *spec.Schema) (*Body, error) {
	if disc, names, values := b.alternatives(s); disc != "" {
		body := &Body{Schema: strings.Join(names, " | "), Disc: disc}
		for i, n := range names {
			body.Alts = append(body.Alts, BodyAlt{Value: values[i], Schema: n, GoType: b.goTypes[n]})
		}
		ex, err := json.Marshal(minimal(b.api, b.api.Schemas[names[0]], 0))
		body.Example = string(ex)
		return body, err
	}
	name := schemaName(s)
	if name == "" || strings.Contains(name, "|") {
		return nil, fmt.Errorf("a request body that is neither a named schema nor a discriminated union")
	}
	ex, err := json.Marshal(minimal(b.api, b.api.Schemas[name], 0))
	return &Body{Schema: name, GoType: b.goTypes[name], Example: string(ex)}, err
}

// fills are the minimal instances of an answer's schema, one per
// alternative of a union.
func (b *builder) fills(s *spec.Schema) (map[string]string, string) {
	out := map[string]string{}
	if disc, names, values := b.alternatives(s); disc != "" {
		for i, n := range names {
			out[values[i]] = mustJSON(minimal(b.api, b.api.Schemas[n], 0))
		}
		return out, disc
	}
	out[""] = mustJSON(minimal(b.api, s, 0))
	return out, ""
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// properties are the top-level property names of a resource schema (of
// every alternative, for a union).
func (b *builder) properties(s *spec.Schema) map[string]bool {
	out := map[string]bool{}
	if s == nil {
		return out
	}
	r := resolve(b.api, s)
	for _, p := range r.Properties {
		out[p.Name] = true
	}
	for _, alt := range r.OneOf {
		for p := range b.properties(alt) {
			out[p] = true
		}
	}
	for _, part := range r.AllOf {
		for p := range b.properties(part) {
			out[p] = true
		}
	}
	return out
}

var dateParams = map[string]bool{}

func init() {
	for _, f := range []string{"createdAt", "updatedAt"} {
		for _, op := range []string{"Gt", "Lt", "Ge", "Le"} {
			dateParams[f+op] = true
		}
	}
}

func queryParam(p Param, props map[string]bool, resp string) QueryParam {
	q := QueryParam{Name: p.Name, Required: p.Required, Kind: "string"}
	if s := p.Schema; s != nil {
		switch {
		case s.Type == "number" || s.Type == "integer":
			q.Kind = "number"
		case s.Type == "boolean":
			q.Kind = "boolean"
		case s.Type == "array":
			q.Kind = "strings"
			if s.Items != nil {
				q.Enum = stringValues(s.Items.Enum)
			}
		case s.Format == "date-time":
			q.Kind = "date"
		}
		if q.Enum == nil {
			q.Enum = stringValues(s.Enum)
		}
		q.Min, q.Max, q.MaxLen, q.UUID = s.Minimum, s.Maximum, s.MaxLength, s.Format == "uuid"
	}
	base, isAny := strings.CutSuffix(p.Name, "Any")
	switch {
	case p.Name == "page", p.Name == "limit", p.Name == "sortOrder", p.Name == "sortBy", p.Name == "search":
		q.Use = p.Name
	case dateParams[p.Name]:
		q.Use = "date"
	case resp == "none" || resp == "single":
		q.Use = "ignore" // a flag of the operation, not a filter
	case props[p.Name]:
		q.Use, q.Member = "equal", p.Name
		if q.Kind == "strings" {
			q.Use = "any"
		}
	case isAny && props[base]:
		q.Use, q.Member = "any", base
	default:
		q.Use = "ignore"
	}
	return q
}
