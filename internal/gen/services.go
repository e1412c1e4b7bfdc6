package main

// This file generates the services: services_gen.go (one service type per
// Client field, one method per operation, the List<X>Params of every list)
// and services_gen_test.go (one test row per operation). The override
// table internal/spec/services.go names each operation's method; the rest
// comes from the spec's paths.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/govapi/vapi/internal/spec"
)

// rawOp is an operation as the services read it (more than spec.Operation
// holds: parameters, tags, the operation id).
type rawOp struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Parameters  []struct {
		Name        string       `json:"name"`
		In          string       `json:"in"`
		Required    bool         `json:"required"`
		Description string       `json:"description"`
		Schema      *spec.Schema `json:"schema"`
	} `json:"parameters"`
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

// svcKind is the shape of what a method sends or returns.
type svcKind int

const (
	kNone     svcKind = iota
	kStruct           // *T
	kUnion            // U
	kArray            // []T
	kUnionArr         // []U
	kPage             // *Page (results + metadata)
	kMap              // map[string]any
	kRaw              // no union type yet: json.RawMessage
	kRawArr           // []json.RawMessage
)

// svcType is a body or response of an operation.
type svcType struct {
	Kind   svcKind
	Go     string   // struct, union, page or item type
	Schema string   // spec schema of a struct or page (or first alternative)
	Alts   []string // spec schemas of a union's alternatives
	Item   string   // a page's item type
	ItemU  bool     // a page's items are a union
	Array  bool     // a page that may come as a plain array
	NeedID bool     // a single resource: an answer without id is unexpected
}

// svcParam is one query parameter.
type svcParam struct {
	JSON, Go, Doc string
	Type          string // Go type of the field
	Kind          string // "string", "enum", "time", "int", "float", "bool", "strings", "enums"
	Enum          string // enum type
	EnumValues    []string
	Required      bool
	Min, Max      *float64
	MinLen        *int
	MaxLen        *int
}

// svcOp is one operation, resolved.
type svcOp struct {
	Key, Method, Path string
	Table             spec.ServiceOp
	Raw               *rawOp
	PathParams        []string // spec names, in path order
	Query             []*svcParam
	Body              svcType
	Resp              svcType
	Var               string // the operation's variable
}

type svcGen struct {
	sp      *spec.Spec
	m       *Model
	names   map[string]string // schema → Go name
	unions  map[string]string // sorted alternative set → union name
	enums   map[string]string // sorted value set → enum name
	ops     []*svcOp
	newEnum map[string][]string // enums the params need that the model lacks
	missing []string
}

// writeServices generates services_gen.go and services_gen_test.go into dir.
func writeServices(specFile string, sp *spec.Spec, m *Model, dir string) error {
	files, err := GenerateServices(specFile, sp, m)
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// GenerateServices renders the services of the spec in specFile.
func GenerateServices(specFile string, sp *spec.Spec, m *Model) (map[string][]byte, error) {
	b, err := os.ReadFile(specFile)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Paths map[string]map[string]*rawOp `json:"paths"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	names, err := typeNames(sp, &spec.Overrides)
	if err != nil {
		return nil, err
	}
	g := &svcGen{sp: sp, m: m, names: names, unions: map[string]string{}, enums: map[string]string{}, newEnum: map[string][]string{}}
	for _, n := range sortedKeys(m.Unions) {
		u := m.Unions[n]
		var alts []string
		for _, a := range u.Alts {
			alts = append(alts, a.Schema)
		}
		key := altKey(alts)
		if prev, ok := g.unions[key]; !ok || len(n) < len(prev) {
			g.unions[key] = n
		}
	}
	for _, n := range sortedKeys(m.Enums) {
		key := altKey(m.Enums[n].Values)
		if prev, ok := g.enums[key]; !ok || len(n) < len(prev) {
			g.enums[key] = n
		}
	}
	seen := map[string]bool{}
	for _, path := range sortedKeys(raw.Paths) {
		for _, method := range sortedKeys(raw.Paths[path]) {
			key := strings.ToUpper(method) + " " + path
			t, ok := spec.ServiceOps[key]
			if !ok {
				return nil, fmt.Errorf("services: %s is not in spec.ServiceOps", key)
			}
			seen[key] = true
			op, err := g.resolve(key, strings.ToUpper(method), path, t, raw.Paths[path][method])
			if err != nil {
				return nil, fmt.Errorf("services: %s: %w", key, err)
			}
			g.ops = append(g.ops, op)
		}
	}
	for key := range spec.ServiceOps {
		if !seen[key] {
			return nil, fmt.Errorf("services: spec.ServiceOps names %s, which the spec does not have", key)
		}
	}
	out := map[string][]byte{}
	for name, fn := range map[string]func(*bytes.Buffer){"services_gen.go": g.emit, "services_gen_test.go": g.emitTests} {
		var buf bytes.Buffer
		fn(&buf)
		src, err := format.Source(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", name, err, buf.Bytes())
		}
		out[name] = src
	}
	return out, nil
}

func altKey(s []string) string {
	c := slices.Clone(s)
	sort.Strings(c)
	return strings.Join(c, "|")
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func (g *svcGen) resolve(key, method, path string, t spec.ServiceOp, raw *rawOp) (*svcOp, error) {
	op := &svcOp{Key: key, Method: method, Path: path, Table: t, Raw: raw}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		op.PathParams = append(op.PathParams, m[1])
	}
	op.Var = "op" + t.Field + t.Method
	if t.Unexposed || t.Special {
		return op, nil
	}
	for _, p := range raw.Parameters {
		if p.In != "query" || t.Hand {
			// A hand-written method's params are its own type.
			continue
		}
		q, err := g.param(p.Name, p.Description, p.Required, p.Schema)
		if err != nil {
			return nil, err
		}
		op.Query = append(op.Query, q)
	}
	if len(op.Query) > 0 && t.Params == "" {
		return nil, fmt.Errorf("it takes query parameters: the table must name its Params type")
	}
	if raw.RequestBody != nil {
		c, ok := raw.RequestBody.Content["application/json"]
		if !ok {
			return nil, fmt.Errorf("a body that is not JSON needs a hand-written method")
		}
		op.Body = g.typeOf(c.Schema, key+" body")
	}
	for _, code := range sortedKeys(raw.Responses) {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		c, ok := raw.Responses[code].Content["application/json"]
		if !ok || c.Schema == nil {
			continue
		}
		op.Resp = g.typeOf(c.Schema, key+" response")
		break
	}
	return op, nil
}

// typeOf resolves a body or response schema.
func (g *svcGen) typeOf(s *spec.Schema, what string) svcType {
	s = spec.Deref(s)
	switch {
	case s.Ref != "":
		name := spec.RefName(s.Ref)
		st := g.m.Structs[g.names[name]]
		if st != nil && len(st.Fields) == 2 && st.Fields[0].JSON == "results" && st.Fields[1].JSON == "metadata" {
			it := st.Fields[0].Type.Elem
			return svcType{Kind: kPage, Go: st.Name, Schema: name, Item: it.Name, ItemU: it.Kind == KUnion}
		}
		return svcType{Kind: kStruct, Go: g.names[name], Schema: name, NeedID: g.hasID(name)}
	case len(s.OneOf) > 0:
		var alts []string
		var page *svcType
		for _, a := range s.OneOf {
			if a.Type == "array" && a.Items != nil {
				continue
			}
			a = spec.Deref(a)
			if a.Ref == "" && len(a.AllOf) > 0 {
				a = a.AllOf[0]
			}
			if t := g.typeOf(a, what); t.Kind == kPage {
				page = &t
			}
			alts = append(alts, spec.RefName(a.Ref))
		}
		if page != nil && len(s.OneOf) == 2 && len(alts) == 1 {
			page.Array = true
			return *page
		}
		u, ok := g.unions[altKey(alts)]
		if !ok {
			g.missing = append(g.missing, what+": "+strings.Join(alts, ", "))
			return svcType{Kind: kRaw, Alts: alts}
		}
		need := true
		for _, a := range alts {
			need = need && g.hasID(a)
		}
		return svcType{Kind: kUnion, Go: u, Alts: alts, NeedID: need}
	case s.Type == "array" && s.Items != nil:
		it := g.typeOf(s.Items, what)
		switch it.Kind {
		case kStruct:
			it.Kind = kArray
		case kUnion:
			it.Kind = kUnionArr
		case kRaw:
			it.Kind = kRawArr
		}
		it.NeedID = false
		return it
	case s.Type == "object":
		return svcType{Kind: kMap}
	}
	return svcType{Kind: kNone}
}

// hasID reports whether a schema has a required string id.
func (g *svcGen) hasID(schema string) bool {
	s := g.sp.Components.Schemas[schema]
	return s != nil && slices.Contains(s.Required, "id")
}

// hasCreatedAt reports whether a schema has a required createdAt.
func (g *svcGen) hasCreatedAt(schema string) bool {
	s := g.sp.Components.Schemas[schema]
	return s != nil && slices.Contains(s.Required, "createdAt")
}

func (g *svcGen) param(name, desc string, required bool, s *spec.Schema) (*svcParam, error) {
	p := &svcParam{JSON: name, Go: goName(name), Doc: desc, Required: required, Min: s.Minimum, Max: s.Maximum, MinLen: s.MinLength, MaxLen: s.MaxLength}
	switch {
	case s.Type == "array" && s.Items != nil && len(s.Items.Enum) > 0:
		p.Kind, p.Enum = "enums", g.enumFor(s.Items.Enum, p.Go)
		p.Type = "[]" + p.Enum
	case s.Type == "array":
		p.Kind, p.Type = "strings", "[]string"
	case len(s.Enum) > 0:
		p.Kind, p.Enum = "enum", g.enumFor(s.Enum, p.Go)
		p.Type = p.Enum
	case s.Type == "string" && s.Format == "date-time":
		p.Kind, p.Type = "time", "*time.Time"
	case s.Type == "string":
		p.Kind, p.Type = "string", "*string"
		if required {
			p.Type = "string"
		}
	case s.Type == "number" && (name == "page" || name == "limit"):
		p.Kind, p.Type = "int", "*int"
	case s.Type == "number":
		p.Kind, p.Type = "float", "*float64"
	case s.Type == "boolean":
		p.Kind, p.Type = "bool", "*bool"
	default:
		return nil, fmt.Errorf("query parameter %s: a schema the services cannot send (%+v)", name, s)
	}
	if p.Enum != "" {
		for _, v := range s.Enum {
			p.EnumValues = append(p.EnumValues, fmt.Sprint(v))
		}
		if s.Items != nil {
			for _, v := range s.Items.Enum {
				p.EnumValues = append(p.EnumValues, fmt.Sprint(v))
			}
		}
	}
	return p, nil
}

// enumFor names the enum type of a query parameter: the model's enum with
// the same values, else one of its own named for the parameter.
func (g *svcGen) enumFor(values []any, goField string) string {
	var vs []string
	for _, v := range values {
		vs = append(vs, fmt.Sprint(v))
	}
	if n, ok := g.enums[altKey(vs)]; ok {
		return n
	}
	name := "List" + goField
	if prev, ok := g.newEnum[name]; ok && altKey(prev) != altKey(vs) {
		panic("services: two query enums named " + name)
	}
	g.newEnum[name] = vs
	return name
}

// argName is the Go argument for a path parameter.
func argName(p string) string {
	n := goName(p)
	r := []rune(n)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) && (i == 0 || i+1 >= len(r) || unicode.IsUpper(r[i+1])) {
		r[i] = unicode.ToLower(r[i])
		i++
	}
	return string(r)
}

// docLink is the operation's page of the API reference:
// https://docs.vapi.ai/api-reference/<tag>/<method>, both in kebab case:
// the spec's first tag and the SDK's method name (the reference names its
// pages for the SDK method: sessions/create, sessions/list).
func docLink(tag, method string) string {
	return "https://docs.vapi.ai/api-reference/" + kebab(tag) + "/" + kebab(method)
}

func kebab(s string) string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out = append(out, strings.ToLower(strings.Join(words(w), "-")))
	}
	return strings.Join(out, "-")
}

func (g *svcGen) services() []spec.Service {
	var out []spec.Service
	for _, s := range spec.Services {
		if !s.Hand {
			out = append(out, s)
		}
	}
	return out
}

func (g *svcGen) opsOf(field string) []*svcOp {
	var out []*svcOp
	for _, op := range g.ops {
		if op.Table.Field == field {
			out = append(out, op)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := methodRank[out[i].Table.Method], methodRank[out[j].Table.Method]
		if ri == 0 {
			ri = 9
		}
		if rj == 0 {
			rj = 9
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Table.Method < out[j].Table.Method
	})
	return out
}

// generated reports whether the method of op is generated.
func generated(op *svcOp) bool {
	return !op.Table.Unexposed && !op.Table.Special && !op.Table.Hand
}

const svcHeader = "// Code generated by internal/gen from Vapi's OpenAPI spec; DO NOT EDIT.\n\n"

func (g *svcGen) emit(w *bytes.Buffer) {
	var body bytes.Buffer
	out := w
	defer func() {
		w := out
		w.WriteString(svcHeader + "package vapi\n\nimport (\n")
		for _, imp := range []string{"context", "encoding/json", "iter", "net/url", "strconv", "time"} {
			if strings.Contains(body.String(), path.Base(imp)+".") {
				fmt.Fprintf(w, "\t%q\n", imp)
			}
		}
		w.WriteString(")\n\n")
		w.Write(body.Bytes())
	}()
	w = &body
	for _, s := range g.services() {
		w.WriteString(docComment("", s.Field+"Service "+s.Doc, ""))
		fmt.Fprintf(w, "type %sService struct {\n\tclient *Client\n}\n\n", s.Field)
	}
	w.WriteString("// newServices wires the generated services to c.\nfunc (c *Client) newServices() {\n")
	for _, s := range g.services() {
		fmt.Fprintf(w, "\tc.%s = &%sService{client: c}\n", s.Field, s.Field)
	}
	w.WriteString("}\n\n")
	// The operations.
	w.WriteString("// The operations the generated methods call.\nvar (\n")
	for _, op := range g.ops {
		if !generated(op) {
			continue
		}
		extra := ""
		if op.Resp.Array {
			extra = ", arrayPage: true"
		}
		fmt.Fprintf(w, "\t%s = operation{method: %q, path: %q%s}\n", op.Var, op.Method, op.Path, extra)
	}
	w.WriteString(")\n\n")
	for _, s := range g.services() {
		for _, op := range g.opsOf(s.Field) {
			if generated(op) {
				g.emitMethod(w, op)
			}
		}
	}
	g.emitParams(w)
	g.emitResources(w)
	for _, n := range sortedKeys(g.newEnum) {
		vs := g.newEnum[n]
		fmt.Fprintf(w, "// %s is a value of a list's query parameter.\ntype %s string\n\n", n, n)
		consts, _ := constNames(n, vs)
		fmt.Fprintf(w, "// The values of %s.\nconst (\n", n)
		for i, c := range consts {
			fmt.Fprintf(w, "\t%s %s = %q\n", c, n, vs[i])
		}
		w.WriteString(")\n\n")
	}
}

// goResult spells what a method returns.
func goResult(t svcType) string {
	switch t.Kind {
	case kStruct, kPage:
		return "*" + t.Go
	case kUnion:
		return t.Go
	case kArray, kUnionArr:
		return "[]" + t.Go
	case kMap:
		return "map[string]any"
	case kRaw:
		return "json.RawMessage"
	case kRawArr:
		return "[]json.RawMessage"
	}
	return ""
}

// goBody spells the Go type of a body argument.
func goBody(t svcType) string {
	switch t.Kind {
	case kStruct:
		return "*" + t.Go
	case kUnion:
		return t.Go
	case kMap:
		return "map[string]any"
	}
	return "any"
}

// decoderOf names the function that decodes one value of union u.
func decoderOf(u string) string { return "unmarshal" + u }

func (g *svcGen) signature(op *svcOp) (params, args, query, body string) {
	var ps []string
	var as []string
	for _, p := range op.PathParams {
		ps = append(ps, argName(p)+" string")
		as = append(as, argName(p))
	}
	args = "nil"
	if len(as) > 0 {
		args = "[]string{" + strings.Join(as, ", ") + "}"
	}
	body = "nil"
	if op.Body.Kind != kNone {
		ps = append(ps, "req "+goBody(op.Body))
		body = "req"
		if op.Body.Kind == kUnion {
			body = "unionBody{req}"
		}
	}
	query = "nil"
	if op.Table.Params != "" {
		ps = append(ps, "params *"+op.Table.Params)
		query = "params"
	}
	ps = append(ps, "opts ...Option")
	params = "ctx context.Context, " + strings.Join(ps, ", ")
	return
}

func (g *svcGen) methodDoc(w *bytes.Buffer, op *svcOp, method, lead string) {
	text := lead
	if d := firstParagraph(op.Raw.Description); d != "" && !strings.EqualFold(d, op.Raw.Summary) {
		text += " " + d
	}
	w.WriteString(docComment("", method+" "+text, ""))
	w.WriteString("//\n")
	tag := ""
	if len(op.Raw.Tags) > 0 {
		tag = op.Raw.Tags[0]
	}
	fmt.Fprintf(w, "// Vapi API docs: %s\n//\n//meta:operation %s %s\n", docLink(tag, op.Table.Method), op.Method, op.Path)
}

// lead describes what a method does, from the operation's summary: its
// verb in the third person, the rest of it as a noun phrase.
func (g *svcGen) lead(op *svcOp) string {
	words := strings.Fields(op.Raw.Summary)
	if len(words) == 0 {
		words = []string{op.Table.Method}
	}
	verb := strings.ToLower(words[0])
	var rest []string
	for _, w := range words[1:] {
		if strings.ToUpper(w) != w && !strings.ContainsAny(w, "0123456789") {
			w = strings.ToLower(w)
		}
		rest = append(rest, w)
	}
	if len(rest) > 1 && (rest[0] == "a" || rest[0] == "an") {
		rest = rest[1:]
	}
	noun := strings.Join(rest, " ")
	param := ""
	if n := len(op.PathParams); n > 0 {
		param = " with the given " + argName(op.PathParams[n-1])
	}
	var text string
	switch verb {
	case "create":
		text = "creates " + article(noun) + " " + noun
		if op.Resp.Kind != kNone {
			text += " and returns it"
		}
	case "get":
		if op.Resp.Kind == kArray || op.Resp.Kind == kUnionArr || op.Resp.Kind == kPage || op.Resp.Kind == kRawArr {
			text = "lists " + noun
		} else {
			text = "returns the " + noun + param
		}
	case "update", "delete", "cancel", "run":
		text = verb + "s the " + noun + param
		if op.Resp.Kind != kNone && verb != "run" {
			text += " and returns it"
		}
	default:
		text = thirdPerson(verb) + " " + noun
	}
	text += "."
	if op.Body.Kind != kNone || op.Table.Params != "" {
		what := "req"
		if op.Body.Kind == kNone {
			what = "params"
		}
		text += " Unless [WithoutValidation] is given, " + what + " is validated first and an invalid one is returned as a [*ValidationError] without sending anything."
	}
	if op.Table.Params != "" && op.Body.Kind == kNone {
		text += " params may be nil."
	}
	switch {
	case op.Body.Kind == kStruct || op.Body.Kind == kMap:
		text += " A nil req sends an empty body."
	case op.Body.Kind == kUnion:
		text += " req is one of the alternatives of " + op.Body.Go + "; nil is an error."
	case op.Body.Kind == kRaw:
		text += " req is one of " + goNames(g, op.Body.Alts) + ": the spec's union of them has no Go type yet."
	}
	switch op.Resp.Kind {
	case kUnion:
		text += " The answer is one of the alternatives of " + op.Resp.Go + ": read it with a type switch."
	case kRaw, kRawArr:
		text += " The answer is the JSON of one of " + goNames(g, op.Resp.Alts) + ": the spec's union of them has no Go type yet."
	}
	return text
}

func goNames(g *svcGen, schemas []string) string {
	var out []string
	for _, s := range schemas {
		out = append(out, g.names[s])
	}
	return strings.Join(out, ", ")
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

func thirdPerson(verb string) string {
	switch {
	case strings.HasSuffix(verb, "y"):
		return strings.TrimSuffix(verb, "y") + "ies"
	case strings.HasSuffix(verb, "ch"), strings.HasSuffix(verb, "sh"), strings.HasSuffix(verb, "s"):
		return verb + "es"
	}
	return verb + "s"
}

// methodRank orders a service's methods: the five of a resource first.
var methodRank = map[string]int{"Create": 1, "List": 2, "Get": 3, "Update": 4, "Delete": 5}

func (g *svcGen) emitMethod(w *bytes.Buffer, op *svcOp) {
	recv := "(s *" + op.Table.Field + "Service)"
	params, args, query, body := g.signature(op)
	g.methodDoc(w, op, op.Table.Method, g.lead(op))
	res := goResult(op.Resp)
	common := fmt.Sprintf("ctx, s.client, &%s, %s, %s, %s", op.Var, args, query, body)
	switch op.Resp.Kind {
	case kNone:
		fmt.Fprintf(w, "func %s %s(%s) error {\n\treturn callNoContent(%s, opts)\n}\n\n", recv, op.Table.Method, params, common)
	case kStruct:
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\treturn callOne(%s, new(%s), opts)\n}\n\n", recv, op.Table.Method, params, res, common, op.Resp.Go)
	case kMap:
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\tm, err := callOne(%s, new(map[string]any), opts)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn *m, nil\n}\n\n", recv, op.Table.Method, params, res, common)
	case kRaw:
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\tm, err := callOne(%s, new(json.RawMessage), opts)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn *m, nil\n}\n\n", recv, op.Table.Method, params, res, common)
	case kUnion:
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\treturn callUnion(%s, %s, %v, opts)\n}\n\n", recv, op.Table.Method, params, res, common, decoderOf(op.Resp.Go), op.Resp.NeedID)
	case kArray, kUnionArr, kRawArr:
		union := "nil"
		if op.Resp.Kind == kUnionArr {
			union = "&union" + op.Resp.Go
		}
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\tvar items %s\n\tif err := callArray(%s, &items, %s, opts); err != nil {\n\t\treturn nil, err\n\t}\n\treturn items, nil\n}\n\n", recv, op.Table.Method, params, res, res, common, union)
	case kPage:
		fmt.Fprintf(w, "func %s %s(%s) (%s, error) {\n\treturn callPage(ctx, s.client, &%s, %s, %s, new(%s), opts)\n}\n\n", recv, op.Table.Method, params, res, op.Var, args, query, op.Resp.Go)
	}
	if op.Table.ListAll == "" {
		return
	}
	// ListAll.
	var item, call, how string
	switch op.Resp.Kind {
	case kPage:
		how = "It asks for the next page number while the server reports more pages."
		item = op.Resp.Item
		if !op.Resp.ItemU {
			item = "*" + op.Resp.Item
		}
		call = fmt.Sprintf("listAllPages[%s](ctx, s.client, &%s, %s, %s, (*%s)(nil), opts)", item, op.Var, args, query, op.Resp.Go)
	case kArray:
		item = "*" + op.Resp.Go
		call = fmt.Sprintf("listAllBack[%s](ctx, s.client, &%s, %s, %s, nil, opts)", item, op.Var, args, query)
	case kUnionArr:
		item = op.Resp.Go
		call = fmt.Sprintf("listAllBack[%s](ctx, s.client, &%s, %s, %s, &union%s, opts)", item, op.Var, args, query, op.Resp.Go)
	default:
		return
	}
	if op.Resp.Kind != kPage {
		if g.takes(op, "createdAtLe") {
			how = "The endpoint answers with a plain array, newest first: it walks back in time, asking each time for the items created at or before the oldest one seen (createdAtLe) and skipping those already seen at that instant, so that items sharing a createdAt are neither skipped nor repeated. Set Limit: a full page whose items all share one instant cannot be walked past, and is an error."
		} else {
			how = "The endpoint takes no createdAt bounds and does not paginate: ListAll makes the one request List makes."
		}
	}
	text := fmt.Sprintf("returns an iterator over every item that params selects, fetching pages as the loop needs them. %s It stops at the first error, which it yields with a nil item, and it never loops forever: a server that repeats a page, or answers with items it was not asked for, ends the walk with an error. params may be nil and is not modified.", how)
	w.WriteString(docComment("", op.Table.ListAll+" "+text, ""))
	tag := ""
	if len(op.Raw.Tags) > 0 {
		tag = op.Raw.Tags[0]
	}
	fmt.Fprintf(w, "//\n// Vapi API docs: %s\n//\n//meta:operation %s %s\n", docLink(tag, op.Table.Method), op.Method, op.Path)
	fmt.Fprintf(w, "func %s %s(%s) iter.Seq2[%s, error] {\n\treturn %s\n}\n\n", recv, op.Table.ListAll, params, item, call)
}

func (g *svcGen) takes(op *svcOp, name string) bool {
	for _, q := range op.Query {
		if q.JSON == name {
			return true
		}
	}
	return false
}

func (g *svcGen) emitParams(w *bytes.Buffer) {
	for _, op := range g.ops {
		if !generated(op) || op.Table.Params == "" {
			continue
		}
		t := op.Table.Params
		fmt.Fprintf(w, "// %s are the query parameters of %s %s (%s). Unset fields are not sent.\ntype %s struct {\n", t, op.Method, op.Path, op.Raw.Summary, t)
		for _, q := range op.Query {
			doc := q.Doc
			if doc == "" {
				doc = "is the " + q.JSON + " query parameter."
			} else {
				doc = "is the " + q.JSON + " query parameter: " + doc
			}
			w.WriteString(docComment("\t", q.Go+" "+doc, ""))
			tag := q.JSON
			if q.Kind == "string" && q.Required {
				tag += ",required"
			}
			fmt.Fprintf(w, "\t%s %s `query:%q`\n", q.Go, q.Type, tag)
		}
		w.WriteString("}\n\n")
		// Validate.
		fmt.Fprintf(w, "// Validate checks p against the constraints of the API specification and\n// returns nil or a [*ValidationError] listing every violation.\nfunc (p *%s) Validate() error {\n\tif p == nil {\n\t\treturn nil\n\t}\n\tvar v validator\n", t)
		for _, q := range op.Query {
			g.emitCheck(w, q)
		}
		w.WriteString("\treturn v.err()\n}\n\n")
		// values.
		// values: one shared encoder reads the query tags, rather than
		// code per params type.
		fmt.Fprintf(w, "// values encodes p as query parameters; arrays repeat their key.\nfunc (p *%s) values() url.Values { return queryValues(p) }\n\n", t)
		if op.Table.ListAll == "" {
			continue
		}
		refs := []string{}
		if g.takes(op, "page") && op.Resp.Kind == kPage {
			refs = append(refs, "page: &c.Page")
		}
		if g.takes(op, "limit") {
			refs = append(refs, "limit: &c.Limit")
		}
		if g.takes(op, "createdAtLe") && op.Resp.Kind != kPage {
			refs = append(refs, "createdAtLe: &c.CreatedAtLe")
		}
		fmt.Fprintf(w, "// walk copies p for ListAll.\nfunc (p *%s) walk() (listParams, walkRefs) {\n\tc := new(%s)\n\tif p != nil {\n\t\t*c = *p\n\t}\n\treturn c, walkRefs{%s}\n}\n\n", t, t, strings.Join(refs, ", "))
	}
}

func (g *svcGen) emitCheck(w *bytes.Buffer, q *svcParam) {
	f := "p." + q.Go
	switch q.Kind {
	case "int", "float":
		conv := "float64(*" + f + ")"
		if q.Kind == "float" {
			conv = "*" + f
		}
		if q.Min != nil || q.Max != nil {
			lo, hi := "noMin", "noMax"
			if q.Min != nil {
				lo = fnum(*q.Min)
			}
			if q.Max != nil {
				hi = fnum(*q.Max)
			}
			fmt.Fprintf(w, "\tif %s != nil {\n\t\tv.number(%q, %s, %s, %s)\n\t}\n", f, q.JSON, conv, lo, hi)
		}
	case "string":
		if q.MinLen != nil || q.MaxLen != nil {
			lo, hi := -1, -1
			if q.MinLen != nil {
				lo = *q.MinLen
			}
			if q.MaxLen != nil {
				hi = *q.MaxLen
			}
			if q.Required {
				fmt.Fprintf(w, "\tv.length(%q, %s, %d, %d)\n", q.JSON, f, lo, hi)
			} else {
				fmt.Fprintf(w, "\tif %s != nil {\n\t\tv.length(%q, *%s, %d, %d)\n\t}\n", f, q.JSON, f, lo, hi)
			}
		}
	case "enum":
		fmt.Fprintf(w, "\tswitch %s {\n\tcase \"\", %s:\n\tdefault:\n\t\tv.failAt(%q, %q)\n\t}\n", f, strings.Join(quoteAll(q.EnumValues), ", "), q.JSON, "must be one of "+strings.Join(quoteAll(q.EnumValues), ", "))
	case "enums":
		fmt.Fprintf(w, "\tfor i, e := range %s {\n\t\tswitch e {\n\t\tcase %s:\n\t\tdefault:\n\t\t\tv.enterIndex(i)\n\t\t\tv.failAt(\"\", %q)\n\t\t\tv.leave()\n\t\t}\n\t}\n", f, strings.Join(quoteAll(q.EnumValues), ", "), "must be one of "+strings.Join(quoteAll(q.EnumValues), ", "))
		// The index is under the parameter's name.
	}
}

// emitResources gives the types the generated methods answer with what
// the shared calls ask of them: an id (a single resource without one is
// unexpected), a createdAt (ListAll walks back in time), a page's results.
func (g *svcGen) emitResources(w *bytes.Buffer) {
	ids := map[string]bool{}      // Go struct → emits resourceID
	times := map[string]bool{}    // Go struct → emits resourceCreatedAt
	unknown := map[string]bool{}  // Unknown… types of response unions
	decoders := map[string]bool{} // unions the methods decode with unmarshal<U>
	addStruct := func(schema string, walk bool) {
		if !g.hasID(schema) {
			return
		}
		ids[g.names[schema]] = true
		if walk && g.hasCreatedAt(schema) {
			times[g.names[schema]] = true
		}
	}
	for _, op := range g.ops {
		if !generated(op) {
			continue
		}
		r := op.Resp
		walk := op.Table.ListAll != "" && r.Kind != kPage
		switch r.Kind {
		case kStruct, kArray:
			addStruct(r.Schema, walk)
		case kUnion, kUnionArr:
			for _, a := range r.Alts {
				addStruct(a, walk)
			}
			unknown[g.m.Unions[r.Go].Unknown] = true
			decoders[r.Go] = true
		case kPage:
			if !r.ItemU {
				addStruct(g.schemaOf(r.Item), false)
			} else {
				for _, a := range g.m.Unions[r.Item].Alts {
					addStruct(a.Schema, false)
				}
				unknown[g.m.Unions[r.Item].Unknown] = true
			}
		}
	}
	for _, n := range sortedKeys(ids) {
		fmt.Fprintf(w, "func (x *%s) resourceID() string { return x.ID }\n\n", n)
		if times[n] {
			fmt.Fprintf(w, "func (x *%s) resourceCreatedAt() time.Time { return x.CreatedAt }\n\n", n)
		}
	}
	for _, n := range sortedKeys(unknown) {
		if n == "" {
			continue
		}
		fmt.Fprintf(w, "func (x *%s) resourceID() string {\n\tid, _ := rawResource(x.Raw)\n\treturn id\n}\n\n", n)
		fmt.Fprintf(w, "func (x *%s) resourceCreatedAt() time.Time {\n\t_, t := rawResource(x.Raw)\n\treturn t\n}\n\n", n)
	}
	for _, n := range sortedKeys(decoders) {
		fmt.Fprintf(w, "// %s decodes one %s on the engine's plans: one JSON object, wholly read, in one pass.\nfunc %s(data []byte) (u %s, err error) {\n\terr = decodeUnion(data, &union%s, &u)\n\treturn u, err\n}\n\n", decoderOf(n), n, decoderOf(n), n, n)
	}
	// Pages need no methods: the shared calls read their Results and
	// Metadata through reflection.
}

// schemaOf returns the spec schema of a Go struct name.
func (g *svcGen) schemaOf(goName string) string {
	if st := g.m.Structs[goName]; st != nil {
		return st.Schema
	}
	return ""
}

// emitTests writes services_gen_test.go: one row per method that has the
// generated signature (the generated ones and the hand-written ones of
// Sessions and Chats), each called once against a loopback server that
// answers with the smallest body of the answer's shape; the test checks
// the method, path, query parameters and body member sent, and that the
// answer decodes.
func (g *svcGen) emitTests(w *bytes.Buffer) {
	w.WriteString(svcHeader + "package vapi_test\n\n")
	w.WriteString("import (\n\t\"context\"\n\n\t\"github.com/govapi/vapi\"\n)\n\n")
	w.WriteString("// serviceOps calls every method that has the generated signature once,\n// with path parameters p1, p2, …, every query parameter set (fillParams),\n// a body decoded from the row's body JSON (one member the server must\n// receive) and validation off; answer is the loopback server's 2xx body.\nvar serviceOps = []serviceOp{\n")
	for _, op := range g.ops {
		if op.Table.Unexposed || op.Table.Special {
			continue
		}
		var args []string
		path := op.Path
		for i, p := range op.PathParams {
			v := fmt.Sprintf("p%d", i+1)
			args = append(args, strconv.Quote(v))
			path = strings.Replace(path, "{"+p+"}", v, 1)
		}
		sent := ""
		switch op.Body.Kind {
		case kNone:
		case kUnion:
			alt := g.m.Unions[op.Body.Go].Alts[0].GoName
			sent = g.sampleBody(alt)
			args = append(args, "decodeBody[vapi."+alt+"](body)")
		case kStruct:
			sent = g.sampleBody(op.Body.Go)
			args = append(args, "decodeBody[vapi."+op.Body.Go+"](body)")
		default:
			args = append(args, "nil")
		}
		var keys []string
		if op.Table.Params != "" && op.Table.Hand {
			// Sessions' and Chats' own params are tested with them.
			args = append(args, "nil")
		} else if op.Table.Params != "" {
			args = append(args, "fillParams(new(vapi."+op.Table.Params+"))")
			for _, q := range op.Query {
				keys = append(keys, q.JSON)
			}
			sort.Strings(keys)
		}
		query := strings.Join(keys, ",")
		args = append(args, "vapi.WithoutValidation()")
		call := fmt.Sprintf("c.%s.%s(ctx, %s)", op.Table.Field, op.Table.Method, strings.Join(args, ", "))
		answer := g.answer(op.Resp)
		body := "return " + call
		if op.Resp.Kind == kNone {
			body = "return nil, " + call
		}
		want, item := g.decoded(op.Resp)
		fmt.Fprintf(w, "\t{%q, %q, %q, %q, %q, %s, %q, func(ctx context.Context, c *vapi.Client, body []byte) (any, error) { %s }},\n",
			op.Table.Field+"."+op.Table.Method, op.Method, path, query, sent, strconv.Quote(answer), want, body)
		if op.Table.ListAll != "" {
			fmt.Fprintf(w, "\t{%q, %q, %q, %q, %q, %s, %q, func(ctx context.Context, c *vapi.Client, body []byte) (any, error) { return first(c.%s.%s(ctx, %s)) }},\n",
				op.Table.Field+"."+op.Table.ListAll, op.Method, path, query, sent, strconv.Quote(answer), item, op.Table.Field, op.Table.ListAll, strings.Join(args, ", "))
		}
	}
	w.WriteString("}\n")
}

// sampleBody is a body of struct st with one member set, the first
// string, number or boolean field it has, for the test to find on the
// wire; "{}" when it has none of those.
func (g *svcGen) sampleBody(st string) string {
	s := g.m.Structs[st]
	if s == nil {
		return "{}"
	}
	for _, f := range s.Fields {
		if f.Nullable {
			continue
		}
		switch f.Type.Kind {
		case KString:
			return fmt.Sprintf(`{%q:"sample"}`, f.JSON)
		case KFloat, KInt:
			return fmt.Sprintf(`{%q:7}`, f.JSON)
		case KBool:
			return fmt.Sprintf(`{%q:true}`, f.JSON)
		}
	}
	return "{}"
}

// decoded is the Go type (as %T prints it) that the answer of g.answer
// decodes to, and that of one item of a list.
func (g *svcGen) decoded(t svcType) (whole, item string) {
	alt := func(u string) string { return "*vapi." + g.m.Unions[u].Alts[0].GoName }
	switch t.Kind {
	case kStruct:
		return "*vapi." + t.Go, ""
	case kUnion:
		return alt(t.Go), ""
	case kArray:
		return "[]vapi." + t.Go, "*vapi." + t.Go
	case kUnionArr:
		return "[]vapi." + t.Go, alt(t.Go)
	case kPage:
		if t.ItemU {
			return "*vapi." + t.Go, alt(t.Item)
		}
		return "*vapi." + t.Go, "*vapi." + t.Item
	case kMap:
		return "map[string]interface {}", ""
	}
	return "<nil>", ""
}

// answer is the smallest 2xx body of a response's shape that decodes: an
// object with an id (and the first alternative's discriminator, for a
// union), an array or page of one such item.
func (g *svcGen) answer(t svcType) string {
	item := func(union string) string {
		obj := `"id":"p1","createdAt":"2026-01-02T03:04:05Z"`
		if u := g.m.Unions[union]; u != nil && u.Disc != "" {
			obj += fmt.Sprintf(`,%q:%q`, u.Disc, u.Alts[0].Disc)
		}
		return "{" + obj + "}"
	}
	switch t.Kind {
	case kStruct:
		return item("")
	case kUnion:
		return item(t.Go)
	case kArray:
		return "[" + item("") + "]"
	case kUnionArr:
		return "[" + item(t.Go) + "]"
	case kPage:
		it := item("")
		if t.ItemU {
			it = item(t.Item)
		}
		return `{"results":[` + it + `],"metadata":{"itemsPerPage":1,"totalItems":1,"currentPage":1}}`
	}
	return "{}"
}
