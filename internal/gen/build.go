package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// builder turns the spec's schemas into a Model. It reads every schema of
// the spec, not only the generated ones, so that each inline enum and union
// meets all its sites and every name is the one it will keep when more of
// the spec is generated; then it keeps what the roots reach.
type builder struct {
	sp      *spec.Spec
	t       *spec.Table
	model   *Model
	names   map[string]string // schema → Go name
	errs    []problem
	closure map[string]bool

	enumSites  map[string][]site // key → sites
	enumVals   map[string][]string
	unionSites map[string][]site
	unions     map[string]*Union // key → union (name resolved later)
	pending    []*Type           // enum and union uses whose Name is the key until resolved
}

// problem is something in the spec the generator cannot map. It matters
// only when one of its owners (schemas) is generated.
type problem struct {
	msg    string
	owners []string
}

// site is one place an inline enum or union appears.
type site struct {
	parent, prop string
	item         bool
}

func (s site) String() string {
	if s.item {
		return s.parent + "." + s.prop + "[]"
	}
	return s.parent + "." + s.prop
}

func (s site) candidate() string {
	p := s.prop
	if s.item {
		p = singular(p)
	}
	return baseName(s.parent) + goName(p)
}

// Build computes the model for the closure of the table's roots and of the
// alternatives of its unions.
func Build(sp *spec.Spec, t *spec.Table) (*Model, error) {
	b := &builder{
		sp: sp,
		t:  t,
		model: &Model{
			Structs: map[string]*Struct{}, Unions: map[string]*Union{}, Enums: map[string]*Enum{},
			ScalarAlts: map[string]*ScalarAlt{}, Validated: map[string]bool{}, Requests: map[string]bool{},
			Exported: map[string]bool{},
		},
		closure:    map[string]bool{},
		enumSites:  map[string][]site{},
		enumVals:   map[string][]string{},
		unionSites: map[string][]site{},
		unions:     map[string]*Union{},
	}
	if err := applyAdditions(sp, t); err != nil {
		return nil, err
	}
	names, err := typeNames(sp, t)
	if err != nil {
		return nil, err
	}
	b.names = names
	for _, r := range b.roots() {
		if sp.Components.Schemas[r] == nil {
			return nil, fmt.Errorf("root schema %s is not in the spec", r)
		}
		b.collect(r)
	}
	all := sortedKeys(sp.Components.Schemas)
	for _, n := range all {
		b.buildStruct(n)
	}
	b.nameTypes()
	b.declareUnions()
	b.keepClosure()
	b.assignDiscriminators()
	b.findAliases()
	b.pruneEnums()
	b.findDocs()
	b.findValidated()
	b.model.Schemas = map[string]map[string]bool{}
	for name, sch := range sp.Components.Schemas {
		req := map[string]bool{}
		for _, r := range sch.Required {
			req[r] = true
		}
		b.model.Schemas[name] = req
	}
	var errs []string
	for _, p := range b.errs {
		// An owner "" is the override table itself: always reported.
		if slices.ContainsFunc(p.owners, func(o string) bool { return o == "" || b.closure[o] }) {
			errs = append(errs, p.msg)
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("spec problems the override table does not cover:\n  %s", strings.Join(errs, "\n  "))
	}
	return b.model, nil
}

// roots are the table's roots and the alternatives of its unions.
func (b *builder) roots() []string {
	roots := slices.Clone(b.t.Roots)
	if b.t.All {
		roots = append(roots, sortedKeys(b.sp.Components.Schemas)...)
	}
	for _, u := range b.t.Unions {
		roots = append(roots, u.Alts...)
		if u.Op != "" {
			if o, err := opUnion(b.sp, u.Op); err == nil {
				for _, a := range o.OneOf {
					roots = append(roots, spec.RefName(opAlt(a).Ref))
				}
			}
		}
	}
	return roots
}

// opUnion finds the oneOf of an operation's body or 2xx answer ("PATCH
// /tool/{id} body", "GET /tool/{id} response"), looking through an array
// of it.
func opUnion(sp *spec.Spec, where string) (*spec.Schema, error) {
	method, rest, _ := strings.Cut(where, " ")
	path, part, _ := strings.Cut(rest, " ")
	op := sp.Paths[path][strings.ToLower(method)]
	if op == nil {
		return nil, fmt.Errorf("the spec has no operation %s %s", method, path)
	}
	var s *spec.Schema
	switch part {
	case "body":
		if op.RequestBody != nil {
			s = op.RequestBody.Content["application/json"].Schema
		}
	case "response":
		for _, code := range sortedKeys(op.Responses) {
			if c, ok := op.Responses[code].Content["application/json"]; ok && strings.HasPrefix(code, "2") && c.Schema != nil {
				s = c.Schema
				break
			}
		}
	default:
		return nil, fmt.Errorf("%s: say body or response", where)
	}
	if s != nil && s.Type == "array" && s.Items != nil {
		s = s.Items
	}
	if s == nil || len(s.OneOf) == 0 {
		return nil, fmt.Errorf("%s is not a oneOf", where)
	}
	for _, a := range s.OneOf {
		if opAlt(a).Ref == "" {
			return nil, fmt.Errorf("%s: an alternative that is not a schema of the spec", where)
		}
	}
	return s, nil
}

// opAlt is the schema reference of an operation's union alternative:
// {$ref}, or {allOf: [{$ref}, …]} (a schema with more said about it).
func opAlt(a *spec.Schema) *spec.Schema {
	a = spec.Deref(a)
	if a.Ref == "" && len(a.AllOf) > 0 {
		return a.AllOf[0]
	}
	return a
}

// applyAdditions adds to the spec the properties the override table says
// Vapi sends and accepts beyond it.
func applyAdditions(sp *spec.Spec, t *spec.Table) error {
	for _, key := range sortedKeys(t.AddProps) {
		schema, prop, _ := strings.Cut(key, ".")
		sch := sp.Components.Schemas[schema]
		if sch == nil {
			continue
		}
		if slices.ContainsFunc(sch.Properties, func(p spec.Property) bool { return p.Name == prop }) {
			continue
		}
		var ps spec.Schema
		if err := json.Unmarshal([]byte(t.AddProps[key]), &ps); err != nil {
			return fmt.Errorf("AddProps %s: %w", key, err)
		}
		sch.Properties = append(sch.Properties, spec.Property{Name: prop, Schema: &ps})
	}
	return nil
}

// requestRoots are the table's request roots and, when it generates every
// schema, the JSON request bodies of every operation of the spec (each
// alternative of a body that is a oneOf).
func (b *builder) requestRoots() []string {
	roots := slices.Clone(b.t.RequestRoots)
	if !b.t.All {
		return roots
	}
	for _, path := range sortedKeys(b.sp.Paths) {
		for _, method := range sortedKeys(b.sp.Paths[path]) {
			op := b.sp.Paths[path][method]
			if op.RequestBody == nil {
				continue
			}
			c, ok := op.RequestBody.Content["application/json"]
			if !ok || c.Schema == nil {
				continue
			}
			body := spec.Deref(c.Schema)
			for _, s := range append([]*spec.Schema{body}, body.OneOf...) {
				if s.Ref != "" && !slices.Contains(roots, spec.RefName(s.Ref)) {
					roots = append(roots, spec.RefName(s.Ref))
				}
			}
		}
	}
	return roots
}

// Closure lists the schemas the table's roots reach, sorted.
func Closure(sp *spec.Spec, t *spec.Table) []string {
	b := &builder{sp: sp, t: t, closure: map[string]bool{}}
	for _, r := range b.roots() {
		b.collect(r)
	}
	return sortedKeys(b.closure)
}

func (b *builder) collect(name string) {
	if b.closure[name] {
		return
	}
	b.closure[name] = true
	spec.Walk(b.sp.Components.Schemas[name], func(s *spec.Schema) {
		if s.Ref != "" {
			b.collect(spec.RefName(s.Ref))
		}
	})
}

func (b *builder) fail(owners []string, format string, args ...any) {
	b.errs = append(b.errs, problem{msg: fmt.Sprintf(format, args...), owners: owners})
}

func (b *builder) structName(schema string) string {
	return b.names[schema]
}

func (b *builder) buildStruct(name string) {
	sch := b.sp.Components.Schemas[name]
	st := &Struct{Name: b.structName(name), Schema: name, Doc: sch.Description, Check: b.t.Checks[name]}
	if sch.Type == "object" && len(sch.Properties) == 0 && sch.AdditionalProperties == nil {
		// An object that declares no properties keeps what it is given.
		st.Open = true
	}
	required := map[string]bool{}
	for _, r := range sch.Required {
		required[r] = true
	}
	seen := map[string]bool{}
	for _, p := range sch.Properties {
		f := &Field{JSON: p.Name, Go: goName(p.Name), Doc: p.Schema.Description, Required: required[p.Name]}
		if seen[f.Go] {
			b.fail([]string{name}, "%s: two properties are %s in Go", name, f.Go)
		}
		seen[f.Go] = true
		at := site{parent: name, prop: p.Name}
		if v, ok := b.singleValue(p.Schema); ok && f.Required {
			// A required property with one possible value: marshalling
			// writes it, as it writes a discriminator.
			st.Consts = append(st.Consts, Const{JSON: p.Name, Value: v})
			continue
		}
		f.Type = b.typeOf(p.Schema, at)
		if b.t.Untyped[at.String()] {
			f.Type = &Type{Kind: KAny}
		}
		// Required in the spec, and left out by Vapi: validation lets it
		// be absent.
		f.MayBeAbsent = f.Required && b.t.NotRequired[name+"."+p.Name]
		if b.t.Timestamps[p.Name] && f.Type.Kind == KFloat {
			f.Type = &Type{Kind: KTimestamp}
		}
		if b.t.JSONText[name+"."+p.Name] && f.Type.Kind == KString {
			f.Type.Check.JSONText = true
		}
		f.Nullable = spec.Deref(p.Schema).Nullable || p.Schema.Nullable
		switch {
		case f.Nullable:
		case f.Type.Kind == KEnum && slices.Contains(b.enumVals[f.Type.Name], ""):
			f.Pointer = true // so that "" can be sent
		case f.Type.Kind == KString, f.Type.Kind == KFloat, f.Type.Kind == KInt, f.Type.Kind == KBool, f.Type.Kind == KTime, f.Type.Kind == KTimestamp:
			f.Pointer = !f.Required
		case f.Type.Kind == KStruct:
			f.Pointer = !f.Required || b.selfContaining(spec.RefName(spec.Deref(p.Schema).Ref), name)
		}
		st.Fields = append(st.Fields, f)
	}
	b.model.Structs[st.Name] = st
}

// singleValue reports the one value of a string enum property that has
// exactly one.
func (b *builder) singleValue(s *spec.Schema) (string, bool) {
	s = spec.Deref(s)
	if s.Ref == "" && s.Type == "string" && len(s.Enum) == 1 && !s.Nullable {
		return fmt.Sprint(s.Enum[0]), true
	}
	return "", false
}

// selfContaining reports whether struct target holds parent by value,
// directly or through other value fields, so that a value field would make
// an infinitely large type.
func (b *builder) selfContaining(target, parent string) bool {
	return b.containsByValue(target, parent, map[string]bool{})
}

func (b *builder) containsByValue(target, parent string, seen map[string]bool) bool {
	if target == parent {
		return true
	}
	if seen[target] {
		return false
	}
	seen[target] = true
	sch := b.sp.Components.Schemas[target]
	req := map[string]bool{}
	for _, r := range sch.Required {
		req[r] = true
	}
	for _, p := range sch.Properties {
		s := spec.Deref(p.Schema)
		if s.Ref != "" && req[p.Name] && !s.Nullable && b.containsByValue(spec.RefName(s.Ref), parent, seen) {
			return true
		}
	}
	return false
}

// typeOf maps a property schema to a Go type.
func (b *builder) typeOf(s *spec.Schema, at site) *Type {
	s = spec.Deref(s)
	if s.Ref != "" {
		return &Type{Kind: KStruct, Name: b.structName(spec.RefName(s.Ref))}
	}
	if len(s.OneOf) > 0 {
		if b.t.Untyped[at.String()] {
			return &Type{Kind: KAny}
		}
		return b.oneOf(s, at)
	}
	var t *Type
	switch s.Type {
	case "string":
		switch {
		case s.Format == "date-time":
			t = &Type{Kind: KTime}
		case len(s.Enum) > 0:
			t = b.enumType(stringValues(s.Enum), at, false)
		default:
			t = &Type{Kind: KString}
		}
		t.Check.MinLen, t.Check.MaxLen = s.MinLength, s.MaxLength
		t.Check.Pattern = s.Pattern
	case "number":
		t = &Type{Kind: KFloat}
		t.Check.Min, t.Check.Max = s.Minimum, s.Maximum
	case "integer":
		t = &Type{Kind: KInt}
		t.Check.Min, t.Check.Max = s.Minimum, s.Maximum
	case "boolean":
		t = &Type{Kind: KBool}
	case "array":
		item := s.Items
		if item == nil {
			item = &spec.Schema{}
		}
		if len(s.Enum) > 0 && len(item.Enum) == 0 {
			// Quirk: an enum written on the array is the enum of its items.
			copied := *item
			copied.Enum = s.Enum
			item = &copied
		}
		t = &Type{Kind: KArray, Elem: b.typeOf(item, site{parent: at.parent, prop: at.prop, item: true})}
		t.Check.MinItems, t.Check.MaxItems = s.MinItems, s.MaxItems
	case "object":
		if s.AdditionalProperties != nil {
			t = &Type{Kind: KMap, Elem: b.typeOf(s.AdditionalProperties, site{parent: at.parent, prop: at.prop, item: true})}
		} else {
			t = &Type{Kind: KMapAny}
		}
	case "":
		t = &Type{Kind: KAny}
	default:
		b.fail([]string{at.parent}, "%s: unsupported type %q", at, s.Type)
		t = &Type{Kind: KAny}
	}
	return t
}

func stringValues(vals []any) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// enumType registers an inline enum use. open marks a site whose values the
// spec does not close (a free string alternative).
func (b *builder) enumType(values []string, at site, open bool) *Type {
	values = dedupe(values) // the spec repeats some values
	sorted := append([]string(nil), values...)
	sort.Strings(sorted)
	key := "enum:" + strings.Join(sorted, "\x00")
	if _, ok := b.enumVals[key]; !ok {
		b.enumVals[key] = values
	}
	b.enumSites[key] = appendSite(b.enumSites[key], at)
	closed := !open && !b.t.Catalogues[at.prop] && !b.t.Catalogues[at.parent+"."+at.prop]
	t := &Type{Kind: KEnum, Name: key, Check: Check{ClosedEnum: closed, FreeText: open}}
	b.pending = append(b.pending, t)
	return t
}

func appendSite(list []site, s site) []site {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// oneOf maps a oneOf: strings-only alternatives collapse to one string (or
// enum) type, all JSON kinds at once collapse to any, and everything else
// is a union.
func (b *builder) oneOf(s *spec.Schema, at site) *Type {
	alts := s.OneOf
	allStrings := true
	kinds := map[string]bool{}
	for _, a := range alts {
		a = spec.Deref(a)
		k := a.Type
		if a.Ref != "" {
			k = "ref"
		}
		kinds[k] = true
		if k != "string" {
			allStrings = false
		}
	}
	if allStrings {
		var values []string
		open := false
		for _, a := range alts {
			if len(a.Enum) == 0 {
				open = true
			}
			values = append(values, stringValues(a.Enum)...)
		}
		if len(values) == 0 {
			return &Type{Kind: KString}
		}
		return b.enumType(dedupe(values), at, open)
	}
	if kinds["string"] && kinds["number"] && kinds["boolean"] && kinds["object"] && kinds["array"] {
		return &Type{Kind: KAny}
	}
	return b.union(s, at)
}

func dedupe(vals []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// union registers a union use; alternatives are built now, names later.
func (b *builder) union(s *spec.Schema, at site) *Type {
	var sig []string
	for _, a := range s.OneOf {
		a = spec.Deref(a)
		if a.Ref != "" {
			sig = append(sig, spec.RefName(a.Ref))
		} else {
			sig = append(sig, shapeKey(a))
		}
	}
	key := unionKey(sig)
	b.unionSites[key] = appendSite(b.unionSites[key], at)
	if _, ok := b.unions[key]; !ok {
		u := &Union{Doc: s.Description}
		if s.Discriminator != nil {
			u.Disc = s.Discriminator.PropertyName
		}
		b.unions[key] = u
		for _, a := range s.OneOf {
			a = spec.Deref(a)
			alt := &Alt{}
			switch {
			case a.Ref != "":
				alt.JSONKind = '{'
				alt.Schema = spec.RefName(a.Ref)
				alt.Type = &Type{Kind: KStruct, Name: b.structName(alt.Schema)}
				alt.GoName = alt.Type.Name
			case a.Type == "string":
				alt.JSONKind = '"'
				if len(a.Enum) > 0 {
					alt.Type = &Type{Kind: KEnum, Name: key + "#string", Check: Check{ClosedEnum: true}}
					b.enumVals[key+"#string"] = dedupe(stringValues(a.Enum))
				} else {
					alt.Type = &Type{Kind: KString, Check: Check{MinLen: a.MinLength, MaxLen: a.MaxLength, Pattern: a.Pattern}}
				}
			case a.Type == "number", a.Type == "integer":
				alt.JSONKind = '0'
				alt.Type = &Type{Kind: KFloat, Check: Check{Min: a.Minimum, Max: a.Maximum}}
			case a.Type == "boolean":
				alt.JSONKind = 't'
				alt.Type = &Type{Kind: KBool}
			case a.Type == "array":
				alt.JSONKind = '['
				alt.Type = b.typeOf(a, site{parent: at.parent, prop: at.prop})
			default:
				b.fail([]string{at.parent}, "%s: unsupported oneOf alternative %q", at, a.Type)
				continue
			}
			for _, prev := range u.Alts {
				if prev.JSONKind == alt.JSONKind && alt.JSONKind != '{' {
					b.fail([]string{at.parent}, "%s: two %c alternatives", at, alt.JSONKind)
				}
			}
			u.Alts = append(u.Alts, alt)
		}
		if s.Discriminator != nil {
			for v, ref := range s.Discriminator.Mapping {
				for _, alt := range u.Alts {
					if alt.JSONKind == '{' && alt.Schema == spec.RefName(ref) {
						alt.Disc = v
					}
				}
			}
		}
	}
	t := &Type{Kind: KUnion, Name: key}
	b.pending = append(b.pending, t)
	return t
}

// unionKey identifies a union by its alternatives (schema names, or the
// shapes of inline ones), in any order.
func unionKey(sig []string) string {
	sorted := append([]string(nil), sig...)
	sort.Strings(sorted)
	return "union:" + strings.Join(sorted, ",")
}

// nameTypes gives every enum and union of the whole spec its Go name. An
// override or a name a schema already has is an error to settle in the
// override table; a picked name that is taken gets a number.
func (b *builder) nameTypes() {
	taken := map[string]bool{}
	for _, n := range b.names {
		taken[n] = true
	}
	for _, u := range b.t.Unions {
		taken[u.Name] = true
		taken["Unknown"+u.Name] = true
	}
	resolved := map[string]string{}
	pick := func(sites []site) (string, bool) {
		var best string
		for _, s := range sites {
			if n, ok := b.t.Names[s.String()]; ok {
				return n, true
			}
			c := s.candidate()
			if best == "" || len(c) < len(best) || (len(c) == len(best) && c < best) {
				best = c
			}
		}
		return best, false
	}
	owners := func(sites []site) []string {
		var out []string
		for _, s := range sites {
			out = append(out, s.parent)
		}
		return out
	}
	claim := func(name string, fixed bool, sites []site) string {
		if fixed && taken[name] {
			b.fail(owners(sites), "the override name %s is taken", name)
		}
		n := name
		for i := 2; taken[n]; i++ {
			n = fmt.Sprintf("%s%d", name, i)
		}
		taken[n] = true
		return n
	}
	// Unions first: their names seed the names of their scalar alternatives.
	declared := map[string]spec.Union{}
	for _, d := range b.t.Unions {
		if d.Site != "" {
			declared[d.Site] = d
		}
	}
	for _, key := range sortedKeys(b.unions) {
		u := b.unions[key]
		sites := b.unionSites[key]
		var d spec.Union
		for _, s := range sites {
			if x, ok := declared[s.String()]; ok {
				d = x
			}
		}
		if d.Name != "" {
			u.Name, u.Unknown, u.Doc, u.Decoder, u.Declared = d.Name, "Unknown"+d.Name, d.Doc, d.Decoder, true
			if u.Disc == "" {
				u.Disc = d.Disc
			}
		} else {
			name, fixed := pick(sites)
			u.Name = claim(name, fixed, sites)
			u.Unknown = claim("Unknown"+u.Name, fixed, sites)
		}
		for _, s := range sites {
			u.Sites = append(u.Sites, s.String())
		}
		resolved[key] = u.Name
		for _, alt := range u.Alts {
			suffix := map[byte]string{'"': "String", '0': "Number", 't': "Bool", '[': "List"}[alt.JSONKind]
			if alt.JSONKind == '{' {
				continue
			}
			name, fixed := u.Name+suffix, false
			if n, ok := b.t.AltNames[name]; ok {
				name, fixed = n, true
			}
			name = claim(name, fixed, sites)
			alt.GoName = name
			if alt.Type.Kind == KEnum {
				ek := alt.Type.Name
				b.model.Enums[name] = &Enum{Name: name, Values: b.enumVals[ek], Union: u.Name,
					Doc: fmt.Sprintf("%s is the string form of %s.", name, u.Name)}
				alt.Type = &Type{Kind: KEnum, Name: name, Check: alt.Type.Check}
				continue
			}
			b.model.ScalarAlts[name] = &ScalarAlt{Name: name, Union: u.Name, Base: alt.Type}
		}
		b.model.Unions[u.Name] = u
	}
	for _, key := range sortedKeys(b.enumSites) {
		sites := b.enumSites[key]
		name, fixed := pick(sites)
		name = claim(name, fixed, sites)
		resolved[key] = name
		e := &Enum{Name: name, Values: b.enumVals[key]}
		for _, s := range sites {
			e.Sites = append(e.Sites, s.String())
		}
		b.model.Enums[name] = e
	}
	for _, t := range b.pending {
		if n, ok := resolved[t.Name]; ok {
			t.Name = n
		} else {
			b.fail(nil, "unresolved type %s", t.Name)
		}
	}
}

// declareUnions adds the unions of the override table.
func (b *builder) declareUnions() {
	for _, d := range b.t.Unions {
		if d.Site != "" {
			continue // named where the spec's union is named
		}
		u := &Union{Name: d.Name, Doc: d.Doc, Disc: d.Disc, Unknown: "Unknown" + d.Name, Decoder: d.Decoder, Declared: true}
		alts := d.Alts
		mapping := map[string]string{}
		if d.Op != "" {
			s, err := opUnion(b.sp, d.Op)
			if err != nil {
				b.fail([]string{""}, "union %s: %v", d.Name, err)
				continue
			}
			alts = nil
			for _, a := range s.OneOf {
				alts = append(alts, spec.RefName(opAlt(a).Ref))
			}
			if dsc := s.Discriminator; dsc != nil {
				if u.Disc == "" {
					u.Disc = dsc.PropertyName
				} else if u.Disc != dsc.PropertyName {
					b.fail([]string{""}, "union %s: the spec's discriminator is %s, not %s", d.Name, dsc.PropertyName, u.Disc)
				}
				for v, ref := range dsc.Mapping {
					mapping[spec.RefName(ref)] = v
				}
			}
			if _, dup := b.unions[unionKey(alts)]; dup {
				b.fail([]string{""}, "union %s: a property of the spec holds the same union: name it with Site", d.Name)
			}
			u.Sites = append(u.Sites, d.Op)
		}
		for _, schema := range alts {
			name := b.structName(schema)
			u.Alts = append(u.Alts, &Alt{JSONKind: '{', Schema: schema, GoName: name, Type: &Type{Kind: KStruct, Name: name}, Disc: mapping[schema]})
			if d.Op == "" {
				u.Sites = append(u.Sites, schema)
			}
		}
		b.model.Unions[u.Name] = u
	}
}

// keepClosure drops the structs the roots do not reach, and the unions,
// enums and scalar alternatives that no kept struct uses.
func (b *builder) keepClosure() {
	m := b.model
	keep := map[string]bool{}
	for schema := range b.closure {
		keep[b.structName(schema)] = true
	}
	for name := range m.Structs {
		if !keep[name] {
			delete(m.Structs, name)
		}
	}
	used := map[string]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		switch t.Kind {
		case KUnion:
			if used[t.Name] {
				return
			}
			used[t.Name] = true
			for _, a := range m.Unions[t.Name].Alts {
				walk(a.Type)
			}
		case KEnum, KStruct:
			used[t.Name] = true
		case KArray, KMap:
			walk(t.Elem)
		}
	}
	for _, st := range m.Structs {
		for _, f := range st.Fields {
			walk(f.Type)
		}
	}
	for name, u := range m.Unions {
		if u.Declared {
			walk(&Type{Kind: KUnion, Name: name})
		}
	}
	for name := range m.Unions {
		if !used[name] {
			delete(m.Unions, name)
		}
	}
	for name, s := range m.ScalarAlts {
		if !used[s.Union] {
			delete(m.ScalarAlts, name)
		}
	}
	for name, e := range m.Enums {
		if e.Union != "" && !used[e.Union] {
			delete(m.Enums, name)
		}
	}
}

// assignDiscriminators finds, for every union with object alternatives, the
// property that tells them apart and each alternative's value of it. The
// discriminator then leaves the alternative's fields: marshalling writes it.
func (b *builder) assignDiscriminators() {
	for _, name := range sortedKeys(b.model.Unions) {
		u := b.model.Unions[name]
		owners := u.owners()
		var objs []*Alt
		for _, a := range u.Alts {
			if a.JSONKind == '{' {
				objs = append(objs, a)
			}
		}
		if len(objs) == 0 {
			continue
		}
		if u.Disc == "" {
			u.Disc = b.findDisc(objs)
		}
		if u.Disc == "" && len(objs) > 1 {
			for _, site := range u.Sites {
				if a, ok := b.t.Ambiguous[site]; ok {
					u.Ties = map[string]*spec.Ambiguity{"": &a}
				}
			}
		}
		if u.Disc == "" {
			if len(objs) > 1 && u.Ties == nil {
				b.fail(owners, "union %s (%s): no discriminator", u.Name, strings.Join(u.Sites, ", "))
			}
			continue
		}
		ambiguity := func(value string) *spec.Ambiguity {
			for _, site := range u.Sites {
				if a, ok := b.t.Ambiguous[site+"#"+value]; ok {
					return &a
				}
			}
			for _, site := range u.Sites {
				if a, ok := b.t.Ambiguous[site]; ok {
					return &a
				}
			}
			return nil
		}
		seen := map[string]string{}
		for _, a := range objs {
			if a.Disc == "" {
				a.Disc, a.More = b.discValues(a.Schema, u.Disc)
			}
			if a.Disc == "" {
				b.fail(owners, "union %s: alternative %s has no value for %s", u.Name, a.Type.Name, u.Disc)
				continue
			}
			if prev, dup := seen[a.Disc]; dup && ambiguity(a.Disc) != nil {
				if u.Ties == nil {
					u.Ties = map[string]*spec.Ambiguity{}
				}
				u.Ties[a.Disc] = ambiguity(a.Disc)
			} else if dup {
				b.fail(owners, "union %s: %s and %s both have %s %q", u.Name, prev, a.Type.Name, u.Disc, a.Disc)
			}
			seen[a.Disc] = a.Type.Name
			st := b.model.Structs[a.Type.Name]
			st.Unions = append(st.Unions, u.Name)
			a.Prefix = b.t.DiscPrefixes[a.Schema+"."+u.Disc]
			if len(a.More) == 0 && !a.Prefix {
				b.setConst(st, u.Disc, a.Disc)
			} else if !slices.ContainsFunc(st.Discs, func(c Const) bool { return c.JSON == u.Disc }) {
				st.Discs = append(st.Discs, Const{JSON: u.Disc, Value: a.Disc})
			}
		}
	}
}

// owners are the schemas whose properties hold the union.
func (u *Union) owners() []string {
	var out []string
	for _, s := range u.Sites {
		if strings.Contains(s, " ") {
			// An operation's union: its alternatives.
			for _, a := range u.Alts {
				out = append(out, a.Schema)
			}
			continue
		}
		parent, _, _ := strings.Cut(s, ".")
		out = append(out, parent)
	}
	return out
}

// findDisc picks the property every object alternative fixes to a value.
func (b *builder) findDisc(objs []*Alt) string {
	for _, cand := range []string{"type", "provider", "role", "on", "format", "algorithm", "transport"} {
		ok := true
		for _, a := range objs {
			if v, _ := b.discValues(a.Schema, cand); v == "" {
				ok = false
				break
			}
		}
		if ok {
			return cand
		}
	}
	return ""
}

// discValues are the values a schema allows a discriminator property: the
// one a one-value enum fixes (more is empty), or, for a required string
// enum of several values, the first and the others.
func (b *builder) discValues(schema, prop string) (first string, more []string) {
	if v := b.constValue(schema, prop); v != "" {
		return v, nil
	}
	sch := b.sp.Components.Schemas[schema]
	if !slices.Contains(sch.Required, prop) {
		return "", nil
	}
	for _, p := range sch.Properties {
		if s := spec.Deref(p.Schema); p.Name == prop && s.Ref == "" && s.Type == "string" && len(s.Enum) > 1 {
			vals := stringValues(s.Enum)
			return vals[0], vals[1:]
		}
	}
	return "", nil
}

// constValue is the value a schema fixes for a property: a one-value enum,
// or the override table's word where the spec leaves it open.
func (b *builder) constValue(schema, prop string) string {
	if v, ok := b.t.DiscValues[schema+"."+prop]; ok {
		return v
	}
	for _, p := range b.sp.Components.Schemas[schema].Properties {
		if p.Name == prop {
			if v, ok := b.singleValue(p.Schema); ok {
				return v
			}
		}
	}
	return ""
}

func (b *builder) setConst(st *Struct, prop, value string) {
	for _, c := range st.Consts {
		if c.JSON == prop {
			if c.Value != value {
				b.fail([]string{st.Schema}, "%s.%s is %q in one union and %q in another", st.Name, prop, c.Value, value)
			}
			return
		}
	}
	st.Consts = append(st.Consts, Const{JSON: prop, Value: value})
	st.Fields = slices.DeleteFunc(st.Fields, func(f *Field) bool { return f.JSON == prop })
}

// findAliases makes Fallback<X> an alias of <X> where the spec repeats <X>
// field for field, less some optional fields (fallbackPlan): one Go type
// then serves both, and validation where the fallback is expected checks
// that the fields it lacks are unset.
func (b *builder) findAliases() {
	m := b.model
	for _, name := range sortedKeys(m.Structs) {
		st := m.Structs[name]
		primarySchema, ok := strings.CutPrefix(st.Schema, "Fallback")
		if !ok {
			continue
		}
		p := m.Structs[b.structName(primarySchema)]
		if p == nil || p.Open || st.Open {
			continue
		}
		excluded, ok := b.subset(st, p)
		if !ok {
			continue
		}
		st.Alias = p.Name
		st.Excluded = excluded
		for _, u := range m.Unions {
			for _, a := range u.Alts {
				if a.Type.Kind == KStruct && a.Type.Name == st.Name {
					a.Excluded = excluded
					a.Type = &Type{Kind: KStruct, Name: p.Name}
					a.GoName = p.Name
				}
			}
		}
		p.Unions = append(p.Unions, st.Unions...)
	}
	// Uses of an alias elsewhere (a field of the alias's type) keep the
	// alias name, which Go treats as the primary type.
}

// subset reports whether struct s has the fields of p, each the same, less
// optional fields of p, and returns those.
func (b *builder) subset(s, p *Struct) ([]string, bool) {
	if !reflect.DeepEqual(s.Consts, p.Consts) {
		return nil, false
	}
	byJSON := map[string]*Field{}
	for _, f := range s.Fields {
		byJSON[f.JSON] = f
	}
	var excluded []string
	n := 0
	for _, f := range p.Fields {
		g, ok := byJSON[f.JSON]
		if !ok {
			if f.Required {
				return nil, false
			}
			excluded = append(excluded, f.JSON)
			continue
		}
		n++
		if g.Go != f.Go || g.Required != f.Required || g.Pointer != f.Pointer || g.Nullable != f.Nullable ||
			!sameType(g.Type, f.Type) {
			return nil, false
		}
	}
	return excluded, n == len(s.Fields) && len(excluded) > 0
}

func sameType(a, b *Type) bool {
	if a.Kind != b.Kind || a.Name != b.Name || !reflect.DeepEqual(a.Check, b.Check) {
		return false
	}
	if a.Elem != nil || b.Elem != nil {
		return a.Elem != nil && b.Elem != nil && sameType(a.Elem, b.Elem)
	}
	return true
}

// findValidated marks the structs reachable from request bodies, and among
// them those whose subtree has any constraint to check.
func (b *builder) findValidated() {
	m := b.model
	var visit func(t *Type)
	var visitStruct func(name string)
	visit = func(t *Type) {
		switch t.Kind {
		case KStruct:
			visitStruct(t.Name)
		case KUnion:
			for _, a := range m.Unions[t.Name].Alts {
				visit(a.Type)
			}
		case KArray, KMap:
			visit(t.Elem)
		}
	}
	visitStruct = func(name string) {
		st := m.Structs[name]
		if st.Alias != "" {
			visitStruct(st.Alias)
			return
		}
		if m.Requests[name] {
			return
		}
		m.Requests[name] = true
		for _, f := range st.Fields {
			visit(f.Type)
		}
	}
	for _, r := range b.requestRoots() {
		visitStruct(b.structName(r))
		m.Exported[b.structName(r)] = true
	}
	// Fixed point: a struct needs validation when one of its fields does.
	for changed := true; changed; {
		changed = false
		for name := range m.Requests {
			if m.Validated[name] {
				continue
			}
			if m.Structs[name].Check != "" {
				m.Validated[name] = true
				changed = true
				continue
			}
			for _, f := range m.Structs[name].Fields {
				if m.fieldNeedsCheck(f) {
					m.Validated[name] = true
					changed = true
					break
				}
			}
		}
	}
}

// fieldNeedsCheck reports whether a field has anything to validate. A
// required field that can be absent must be set: a nullable one, a pointer
// to a struct, a union or an object (a nil map would be sent as null).
// Required strings, numbers, booleans, enums, arrays and struct values are
// always sent, so they are never missing.
func (m *Model) fieldNeedsCheck(f *Field) bool {
	if f.Required && (f.Nullable || f.Pointer || m.nilable(f.Type) || m.emptyEnum(f.Type)) {
		return true
	}
	return m.needsCheck(f.Type)
}

// nilable reports whether a value of type t can be nil, which is sent as
// null: a union, an array, an object or any value.
func (m *Model) nilable(t *Type) bool {
	switch t.Kind {
	case KUnion, KArray, KMap, KMapAny, KAny:
		return true
	case KStruct:
		return m.Structs[t.Name].Open
	}
	return false
}

// emptyEnum reports whether t is a catalogue enum (not checked, and
// without a free-text alternative) that does not list "", so that a
// present "" must be refused by a check of its own: no catalogue has an
// empty model or language.
func (m *Model) emptyEnum(t *Type) bool {
	return t.Kind == KEnum && !t.Check.ClosedEnum && !t.Check.FreeText && !slices.Contains(m.Enums[t.Name].Values, "")
}

// needsCheck reports whether a present value of type t has anything to
// validate. Every union does: its alternative must be one the API knows.
func (m *Model) needsCheck(t *Type) bool {
	if t.Check.any() {
		return true
	}
	switch t.Kind {
	case KUnion:
		return true
	case KStruct:
		return m.Validated[t.Name]
	case KArray, KMap:
		el := t.Elem
		return m.needsCheck(el) || (el.Kind != KAny && m.nilable(el)) || m.emptyEnum(el)
	}
	return false
}

// shapeKey identifies a non-reference alternative by everything but its
// prose, so that unions of scalars are shared only when they are the same.
func shapeKey(s *spec.Schema) string {
	c := *s
	c.Description, c.Title = "", ""
	b, _ := json.Marshal(&c)
	return string(b)
}

// pruneEnums drops the enums that no generated field, alternative or
// scalar alternative uses (those only discriminators used, for one).
func (b *builder) pruneEnums() {
	used := map[string]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		switch t.Kind {
		case KEnum:
			used[t.Name] = true
		case KArray, KMap:
			walk(t.Elem)
		}
	}
	for _, st := range b.model.Structs {
		for _, f := range st.Fields {
			walk(f.Type)
		}
	}
	for _, u := range b.model.Unions {
		for _, a := range u.Alts {
			walk(a.Type)
		}
	}
	for _, s := range b.model.ScalarAlts {
		walk(s.Base)
	}
	for name := range b.model.Enums {
		if !used[name] {
			delete(b.model.Enums, name)
		}
	}
}

// findDocs gives structs without a description of their own the
// description of a property that holds them, enums the description of the
// property at their first site, and notes which unions a struct is an
// alternative of.
func (b *builder) findDocs() {
	m := b.model
	for _, parent := range sortedKeys(b.closure) {
		for _, p := range b.sp.Components.Schemas[parent].Properties {
			s := spec.Deref(p.Schema)
			if s.Type == "array" && s.Items != nil {
				s = spec.Deref(s.Items)
			}
			if s.Ref == "" || p.Schema.Description == "" {
				continue
			}
			if st := m.Structs[b.structName(spec.RefName(s.Ref))]; st != nil && st.RefDoc == "" {
				st.RefDoc = p.Schema.Description
			}
		}
	}
	for _, path := range sortedKeys(b.sp.Paths) {
		for _, method := range sortedKeys(b.sp.Paths[path]) {
			op := b.sp.Paths[path][method]
			what := strings.ToUpper(method) + " " + path
			if op.Summary != "" {
				what += " (" + op.Summary + ")"
			}
			if op.RequestBody != nil {
				for _, c := range op.RequestBody.Content {
					if c.Schema != nil && c.Schema.Ref != "" {
						if st := m.Structs[b.structName(spec.RefName(c.Schema.Ref))]; st != nil {
							st.Ops = append(st.Ops, "the request body of "+what)
						}
					}
				}
			}
			for _, code := range sortedKeys(op.Responses) {
				if !strings.HasPrefix(code, "2") {
					continue
				}
				for _, c := range op.Responses[code].Content {
					if c.Schema != nil && c.Schema.Ref != "" {
						if st := m.Structs[b.structName(spec.RefName(c.Schema.Ref))]; st != nil {
							st.Ops = append(st.Ops, "the response to "+what)
						}
					}
				}
			}
		}
	}
	for name, doc := range b.t.Docs {
		if st := m.Structs[b.structName(name)]; st != nil {
			st.Doc = doc
		}
	}
	for _, en := range m.Enums {
		if len(en.Sites) == 0 {
			continue
		}
		parent, prop, _ := strings.Cut(strings.TrimSuffix(en.Sites[0], "[]"), ".")
		for _, p := range b.sp.Components.Schemas[parent].Properties {
			if p.Name == prop {
				en.SiteDoc = p.Schema.Description
			}
		}
	}
	for _, name := range sortedKeys(m.Unions) {
		u := m.Unions[name]
		for _, a := range u.Alts {
			if a.JSONKind != '{' {
				continue
			}
			if st := m.Structs[b.structName(a.Schema)]; st != nil {
				what := u.Name
				if u.Disc != "" && a.Disc != "" {
					what = fmt.Sprintf("%s with %s %q", u.Name, u.Disc, a.Disc)
				}
				st.AltOf = append(st.AltOf, what)
			}
		}
	}
}
