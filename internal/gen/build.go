package main

import (
	"github.com/govapi/vapi/internal/spec"

	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// builder turns the spec's schemas into a Model in two passes: the first
// meets every inline enum and union at all its sites, so that each gets one
// name however many parents share it; the second resolves those names.
type builder struct {
	sp      *spec.Spec
	model   *Model
	errs    []string
	closure map[string]bool

	enumSites  map[string][]site // key → sites
	enumVals   map[string][]string
	unionSites map[string][]site
	unions     map[string]*Union // key → union (name resolved later)
	enums      map[string]*Enum
	pending    []*Type // enum and union uses whose Name is the key until resolved
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

// Build computes the model for the closure of the given root schemas.
//
// requests are the roots that are request bodies: structs reachable from
// them get validation.
func Build(sp *spec.Spec, roots, requests []string) (*Model, error) {
	b := &builder{
		sp: sp,
		model: &Model{
			Structs: map[string]*Struct{}, Unions: map[string]*Union{}, Enums: map[string]*Enum{},
			ScalarAlts: map[string]*ScalarAlt{}, Validated: map[string]bool{}, Requests: map[string]bool{},
		},
		closure:    map[string]bool{},
		enumSites:  map[string][]site{},
		enumVals:   map[string][]string{},
		unionSites: map[string][]site{},
		unions:     map[string]*Union{},
		enums:      map[string]*Enum{},
	}
	for _, r := range roots {
		if sp.Components.Schemas[r] == nil {
			return nil, fmt.Errorf("root schema %s is not in the spec", r)
		}
		b.collect(r)
	}
	names := sortedKeys(b.closure)
	for _, n := range names {
		b.buildStruct(n)
	}
	b.nameTypes()
	b.assignDiscriminators()
	b.pruneEnums()
	b.findValidated(requests)
	if len(b.errs) > 0 {
		sort.Strings(b.errs)
		return nil, fmt.Errorf("spec problems the override table does not cover:\n  %s", strings.Join(b.errs, "\n  "))
	}
	return b.model, nil
}

// Closure lists the schemas reachable from roots, sorted.
func Closure(sp *spec.Spec, roots []string) []string {
	b := &builder{sp: sp, closure: map[string]bool{}}
	for _, r := range roots {
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

func (b *builder) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Sprintf(format, args...))
}

func (b *builder) structName(schema string) string {
	if n, ok := spec.Overrides.TypeNames[schema]; ok {
		return n
	}
	return schema
}

func (b *builder) buildStruct(name string) {
	sch := b.sp.Components.Schemas[name]
	st := &Struct{Name: b.structName(name), Schema: name, Doc: sch.Description}
	required := map[string]bool{}
	for _, r := range sch.Required {
		required[r] = true
	}
	seen := map[string]bool{}
	for _, p := range sch.Properties {
		f := &Field{JSON: p.Name, Go: goName(p.Name), Doc: p.Schema.Description, Required: required[p.Name]}
		for seen[f.Go] {
			f.Go += "_"
		}
		seen[f.Go] = true
		f.Type = b.typeOf(p.Schema, site{parent: name, prop: p.Name})
		if p.Schema.Nullable {
			f.Required = false
		}
		switch f.Type.Kind {
		case KString, KFloat, KInt, KBool, KTime:
			f.Pointer = !f.Required
		case KStruct:
			f.Pointer = !f.Required || b.selfContaining(f.Type.Name, name)
		}
		st.Fields = append(st.Fields, f)
	}
	b.model.Structs[st.Name] = st
}

// selfContaining reports whether struct target holds parent by value,
// directly or through other value fields, so that a value field would make
// an infinitely large type.
func (b *builder) selfContaining(target, parent string) bool {
	sch := b.sp.Components.Schemas[target]
	if target == parent {
		return true
	}
	req := map[string]bool{}
	for _, r := range sch.Required {
		req[r] = true
	}
	for _, p := range sch.Properties {
		s := spec.Deref(p.Schema)
		if s.Ref != "" && req[p.Name] && b.selfContaining(spec.RefName(s.Ref), parent) {
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
		if s.Pattern != "" {
			t.Check.Pattern = jsPattern(s.Pattern)
		}
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
		b.fail("%s: unsupported type %q", at, s.Type)
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

// jsPattern turns the spec's patterns, some written JavaScript-style as
// /…/, into Go regexps.
func jsPattern(p string) string {
	if len(p) >= 2 && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") {
		return p[1 : len(p)-1]
	}
	return p
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
	closed := !open && !spec.Overrides.Catalogues[at.prop] && !spec.Overrides.Catalogues[at.parent+"."+at.prop]
	t := &Type{Kind: KEnum, Name: key, Check: Check{ClosedEnum: closed}}
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
		var t *Type
		for _, a := range alts {
			if len(a.Enum) == 0 {
				open = true
			}
			values = append(values, stringValues(a.Enum)...)
		}
		if len(values) == 0 {
			t = &Type{Kind: KString}
		} else {
			t = b.enumType(dedupe(values), at, open)
		}
		return t
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
	sorted := append([]string(nil), sig...)
	sort.Strings(sorted)
	key := "union:" + strings.Join(sorted, ",")
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
				alt.Type = &Type{Kind: KStruct, Name: b.structName(spec.RefName(a.Ref))}
				alt.GoName = alt.Type.Name
			case a.Type == "string":
				alt.JSONKind = '"'
				if len(a.Enum) > 0 {
					alt.Type = &Type{Kind: KEnum, Name: key + "#string", Check: Check{ClosedEnum: true}}
					b.enumVals[key+"#string"] = dedupe(stringValues(a.Enum))
				} else {
					alt.Type = &Type{Kind: KString, Check: Check{MinLen: a.MinLength, MaxLen: a.MaxLength}}
					if a.Pattern != "" {
						alt.Type.Check.Pattern = jsPattern(a.Pattern)
					}
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
				b.fail("%s: unsupported oneOf alternative %q", at, a.Type)
				continue
			}
			for _, prev := range u.Alts {
				if prev.JSONKind == alt.JSONKind && alt.JSONKind != '{' {
					b.fail("%s: two %c alternatives", at, alt.JSONKind)
				}
			}
			u.Alts = append(u.Alts, alt)
		}
		if s.Discriminator != nil {
			for v, ref := range s.Discriminator.Mapping {
				for _, alt := range u.Alts {
					if alt.JSONKind == '{' && alt.Type.Name == b.structName(spec.RefName(ref)) {
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

// nameTypes gives every enum and union its Go name.
func (b *builder) nameTypes() {
	taken := map[string]bool{}
	for n := range b.model.Structs {
		taken[n] = true
	}
	resolved := map[string]string{}
	pick := func(sites []site) string {
		var best string
		for _, s := range sites {
			if n, ok := spec.Overrides.Names[s.String()]; ok {
				return n
			}
			c := s.candidate()
			if best == "" || len(c) < len(best) || (len(c) == len(best) && c < best) {
				best = c
			}
		}
		return best
	}
	claim := func(name string) string {
		n := name
		for i := 2; taken[n]; i++ {
			n = fmt.Sprintf("%s%d", name, i)
		}
		taken[n] = true
		return n
	}
	// Unions first: their names seed the names of their scalar alternatives.
	for _, key := range sortedKeys(b.unions) {
		u := b.unions[key]
		u.Name = claim(pick(b.unionSites[key]))
		u.Unknown = claim("Unknown" + u.Name)
		for _, s := range b.unionSites[key] {
			u.Sites = append(u.Sites, s.String())
		}
		resolved[key] = u.Name
		for _, alt := range u.Alts {
			suffix := map[byte]string{'"': "String", '0': "Number", 't': "Bool", '[': "List"}[alt.JSONKind]
			switch {
			case alt.JSONKind == '{':
				continue
			case alt.Type.Kind == KEnum:
				name := claim(u.Name + suffix)
				ek := alt.Type.Name
				b.model.Enums[name] = &Enum{Name: name, Values: b.enumVals[ek], Union: u.Name,
					Doc: fmt.Sprintf("%s is the string form of %s.", name, u.Name)}
				alt.Type = &Type{Kind: KEnum, Name: name, Check: alt.Type.Check}
				alt.GoName = name
			default:
				name := claim(u.Name + suffix)
				b.model.ScalarAlts[name] = &ScalarAlt{Name: name, Union: u.Name, Base: alt.Type}
				alt.GoName = name
			}
		}
		b.model.Unions[u.Name] = u
	}
	for _, key := range sortedKeys(b.enumSites) {
		name := claim(pick(b.enumSites[key]))
		resolved[key] = name
		e := &Enum{Name: name, Values: b.enumVals[key]}
		for _, s := range b.enumSites[key] {
			e.Sites = append(e.Sites, s.String())
		}
		b.model.Enums[name] = e
	}
	for _, t := range b.pending {
		if n, ok := resolved[t.Name]; ok {
			t.Name = n
		} else {
			b.fail("unresolved type %s", t.Name)
		}
	}
}

// assignDiscriminators finds, for every union with object alternatives, the
// property that tells them apart and each alternative's value of it. The
// discriminator then leaves the alternative's fields: marshalling writes it.
func (b *builder) assignDiscriminators() {
	for _, name := range sortedKeys(b.model.Unions) {
		u := b.model.Unions[name]
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
		if u.Disc == "" {
			if len(objs) > 1 {
				b.fail("union %s (%s): no discriminator", u.Name, strings.Join(u.Sites, ", "))
			}
			continue
		}
		var amb *spec.Ambiguity
		for _, site := range u.Sites {
			if a, ok := spec.Overrides.Ambiguous[site]; ok {
				amb = &a
			}
		}
		seen := map[string]string{}
		for _, a := range objs {
			if a.Disc == "" {
				a.Disc = b.constValue(a.Type.Name, u.Disc)
			}
			if a.Disc == "" {
				b.fail("union %s: alternative %s has no value for %s", u.Name, a.Type.Name, u.Disc)
				continue
			}
			if prev, dup := seen[a.Disc]; dup && amb != nil {
				if u.Ties == nil {
					u.Ties = map[string]*spec.Ambiguity{}
				}
				u.Ties[a.Disc] = amb
			} else if dup {
				b.fail("union %s: %s and %s both have %s %q", u.Name, prev, a.Type.Name, u.Disc, a.Disc)
			}
			seen[a.Disc] = a.Type.Name
			st := b.model.Structs[a.Type.Name]
			st.Unions = append(st.Unions, u.Name)
			b.setConst(st, u.Disc, a.Disc)
		}
	}
}

// findDisc picks the property every object alternative fixes to a value.
func (b *builder) findDisc(objs []*Alt) string {
	for _, cand := range []string{"type", "provider", "role", "on", "format", "algorithm"} {
		ok := true
		for _, a := range objs {
			if b.constValue(a.Type.Name, cand) == "" {
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

// constValue is the value a struct fixes for a property: a one-value enum,
// or the override table's word where the spec leaves it open.
func (b *builder) constValue(structName, prop string) string {
	st := b.model.Structs[structName]
	if v, ok := spec.Overrides.DiscValues[st.Schema+"."+prop]; ok {
		return v
	}
	for _, p := range b.sp.Components.Schemas[st.Schema].Properties {
		if p.Name == prop && len(p.Schema.Enum) == 1 {
			return fmt.Sprint(p.Schema.Enum[0])
		}
	}
	for _, c := range st.Consts {
		if c.JSON == prop {
			return c.Value
		}
	}
	return ""
}

func (b *builder) setConst(st *Struct, prop, value string) {
	for _, c := range st.Consts {
		if c.JSON == prop {
			if c.Value != value {
				b.fail("%s.%s is %q in one union and %q in another", st.Name, prop, c.Value, value)
			}
			return
		}
	}
	st.Consts = append(st.Consts, Const{JSON: prop, Value: value})
	kept := st.Fields[:0]
	for _, f := range st.Fields {
		if f.JSON != prop {
			kept = append(kept, f)
		}
	}
	st.Fields = kept
}

// findValidated marks the structs reachable from request bodies, and among
// them those whose subtree has any constraint to check.
func (b *builder) findValidated(requests []string) {
	m := b.model
	var visit func(t *Type)
	visitStruct := func(name string) {}
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
		if m.Requests[name] {
			return
		}
		m.Requests[name] = true
		for _, f := range m.Structs[name].Fields {
			visit(f.Type)
		}
	}
	for _, r := range requests {
		visitStruct(b.structName(r))
	}
	// Fixed point: a struct needs validation when one of its fields does.
	for changed := true; changed; {
		changed = false
		for name := range m.Requests {
			if m.Validated[name] {
				continue
			}
			for _, f := range m.Structs[name].Fields {
				if m.needsCheck(f.Type, f.Required) {
					m.Validated[name] = true
					changed = true
					break
				}
			}
		}
	}
}

// needsCheck reports whether a value of type t has anything to validate.
func (m *Model) needsCheck(t *Type, required bool) bool {
	if t.Check.any() {
		return true
	}
	if required && t.Kind != KFloat && t.Kind != KInt && t.Kind != KBool && t.Kind != KStruct {
		return true
	}
	switch t.Kind {
	case KStruct:
		return m.Validated[t.Name]
	case KUnion:
		for _, a := range m.Unions[t.Name].Alts {
			if m.needsCheck(a.Type, false) {
				return true
			}
		}
	case KArray, KMap:
		return m.needsCheck(t.Elem, false)
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

// pruneEnums drops the enums that only discriminator properties used: those
// properties left their structs, since marshalling writes them.
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
