package main

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The codec and validation files are tables: for each struct, what its Go
// declaration cannot say (the members marshalling writes, the unions, enums
// and constraints of its fields), and for each union its alternatives. One
// engine (engine.go) runs them, so a schema costs data, not code.

// codecs writes codec_gen.go.
func (e *emitter) codecs(w *bytes.Buffer) error {
	w.WriteString(header + "package vapi\n\n")
	for _, n := range sortedKeys(e.m.Structs) {
		if err := e.structTable(w, e.m.Structs[n]); err != nil {
			return err
		}
	}
	for _, n := range sortedKeys(e.m.Unions) {
		if err := e.unionTable(w, e.m.Unions[n]); err != nil {
			return err
		}
	}
	for _, n := range sortedKeys(e.m.ScalarAlts) {
		s := e.m.ScalarAlts[n]
		fmt.Fprintf(w, "// MarshalJSON writes x as a JSON %s.\nfunc (x %s) MarshalJSON() ([]byte, error) { return marshalScalar(&x) }\n\n", jsonKindName(s.Base), s.Name)
	}
	for _, n := range sortedKeys(e.m.Enums) {
		en := e.m.Enums[n]
		fmt.Fprintf(w, "var enum%s = enumInfo{values: []string{%s}}\n\n", en.Name, strings.Join(quoteAll(en.Values), ", "))
		if en.Union != "" {
			fmt.Fprintf(w, "// MarshalJSON writes x as a JSON string.\nfunc (x %s) MarshalJSON() ([]byte, error) { return marshalScalar(&x) }\n\n", en.Name)
		}
	}
	return nil
}

// structTable writes the methods and the table of struct st.
func (e *emitter) structTable(w *bytes.Buffer, st *Struct) error {
	if st.Alias != "" {
		return nil
	}
	if st.Open {
		fmt.Fprintf(w, "// MarshalJSON writes every member x holds.\nfunc (x %s) MarshalJSON() ([]byte, error) { return marshalScalar(&x) }\n\n", st.Name)
		fmt.Fprintf(w, "// UnmarshalJSON keeps every member of the object.\nfunc (x *%s) UnmarshalJSON(b []byte) error { return unmarshalScalar(b, x) }\n\n", st.Name)
		return nil
	}
	fmt.Fprintf(w, "// MarshalJSON encodes x as the API expects it, with the members a decoded\n// x kept.\nfunc (x %s) MarshalJSON() ([]byte, error) { return marshalStruct(&x) }\n\n", st.Name)
	fmt.Fprintf(w, "// UnmarshalJSON decodes x in one pass, keeping what its fields cannot\n// hold.\nfunc (x *%s) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, x) }\n\n", st.Name)
	var parts []string
	if len(st.Consts) > 0 {
		var cs []string
		for _, c := range st.Consts {
			cs = append(cs, fmt.Sprintf("{%q, %q}", c.JSON, c.Value))
		}
		parts = append(parts, "consts: []constMember{"+strings.Join(cs, ", ")+"}")
	}
	var sites []string
	for _, f := range st.Fields {
		lit, err := e.typeInfo(f.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", st.Name, f.JSON, err)
		}
		if lit != "" {
			sites = append(sites, fmt.Sprintf("\t\t{%q, %s},\n", f.JSON, lit))
		}
	}
	if len(sites) > 0 {
		parts = append(parts, "sites: []siteInfo{\n"+strings.Join(sites, "")+"\t}")
	}
	if len(st.Discs) > 0 {
		var cs []string
		for _, c := range st.Discs {
			cs = append(cs, fmt.Sprintf("{%q, %q}", c.JSON, c.Value))
		}
		parts = append(parts, "discs: []constMember{"+strings.Join(cs, ", ")+"}")
	}
	var optConsts []string
	sch := e.m.Schemas[st.Schema]
	for _, c := range st.Consts {
		if sch != nil && !sch[c.JSON] {
			optConsts = append(optConsts, c.JSON)
		}
	}
	if len(optConsts) > 0 {
		parts = append(parts, "optionalConsts: []string{"+strings.Join(quoteAll(optConsts), ", ")+"}")
	}
	var required []string
	for _, f := range st.Fields {
		if f.Required && f.Nullable {
			required = append(required, f.JSON)
		}
	}
	if len(required) > 0 {
		parts = append(parts, "required: []string{"+strings.Join(quoteAll(required), ", ")+"}")
	}
	var lenient []string
	for _, f := range st.Fields {
		if f.MayBeAbsent {
			lenient = append(lenient, f.JSON)
		}
	}
	if len(lenient) > 0 {
		parts = append(parts, "mayBeAbsent: []string{"+strings.Join(quoteAll(lenient), ", ")+"}")
	}
	if len(parts) == 0 {
		return nil
	}
	// A method, not an entry of one table of all types: the linker keeps
	// the tables, and what they point to, only of the types a program uses.
	fmt.Fprintf(w, "func (*%s) info() *structInfo { return &info%s }\n\n", st.Name, st.Name)
	fmt.Fprintf(w, "var info%s = structInfo{\n\t%s,\n}\n\n", st.Name, strings.Join(parts, ",\n\t"))
	return nil
}

// typeInfo spells the typeInfo of a place of type t, or "" when its Go type
// says everything.
func (e *emitter) typeInfo(t *Type) (string, error) {
	var parts []string
	c := t.Check
	switch t.Kind {
	case KUnion:
		parts = append(parts, "union: &union"+t.Name)
	case KEnum:
		parts = append(parts, "enum: &enum"+t.Name)
		if c.ClosedEnum {
			parts = append(parts, "closed: true")
		}
		if c.FreeText {
			parts = append(parts, "free: true")
		}
	}
	if c.JSONText {
		parts = append(parts, "jsonText: true")
	}
	var limits []string
	add := func(name string, v any) {
		limits = append(limits, fmt.Sprintf("%s %v", name, v))
	}
	if c.MinLen != nil {
		add("minLength", *c.MinLen)
	}
	if c.MaxLen != nil {
		add("maxLength", *c.MaxLen)
	}
	if c.Min != nil {
		add("minimum", fnum(*c.Min))
	}
	if c.Max != nil {
		add("maximum", fnum(*c.Max))
	}
	if c.MinItems != nil {
		add("minItems", *c.MinItems)
	}
	if c.MaxItems != nil {
		add("maxItems", *c.MaxItems)
	}
	if len(limits) > 0 {
		parts = append(parts, "limits: "+strconv.Quote(strings.Join(limits, ", ")))
	}
	if c.Pattern != "" {
		if name := e.pattern(c.Pattern); name != "" {
			parts = append(parts, "pattern: &"+name)
		}
	}
	if t.Kind == KArray || t.Kind == KMap {
		el, err := e.typeInfo(t.Elem)
		if err != nil {
			return "", err
		}
		if el != "" {
			parts = append(parts, "elem: "+el)
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "&typeInfo{" + strings.Join(parts, ", ") + "}", nil
}

func (e *emitter) unionTable(w *bytes.Buffer, u *Union) error {
	// The alternative the SDK does not know keeps its JSON.
	fmt.Fprintf(w, "// MarshalJSON returns the JSON as received, after checking that it is one\n// JSON value.\nfunc (x %s) MarshalJSON() ([]byte, error) { return marshalRaw(x.Raw, \"\") }\n\n", u.Unknown)
	fmt.Fprintf(w, "// UnmarshalJSON keeps a copy of b.\nfunc (x *%s) UnmarshalJSON(b []byte) error {\n\tx.Raw = append(x.Raw[:0], b...)\n", u.Unknown)
	if u.Disc != "" {
		fmt.Fprintf(w, "\tx.%s = peekString(b, %q)\n", goName(u.Disc), u.Disc)
	}
	w.WriteString("\treturn nil\n}\n\n")
	if u.Decoder != "" {
		fmt.Fprintf(w, "// %s decodes one %s from data in one pass, reading its %q once.\n// A type this SDK does not know decodes as *%s.\nfunc %s(data []byte) (%s, error) {\n\treturn unmarshalUnion[%s](data, &union%s)\n}\n\n",
			u.Decoder, u.Name, u.Disc, u.Unknown, u.Decoder, u.Name, u.Name, u.Name)
	}
	var alts []string
	done := map[string]bool{}
	for _, a := range u.Alts {
		if done[a.GoName] {
			continue
		}
		done[a.GoName] = true
		var parts []string
		parts = append(parts, fmt.Sprintf("typ: (*%s)(nil)", a.GoName))
		if a.JSONKind == '{' && a.Disc != "" {
			values := append([]string{a.Disc}, a.More...)
			for _, b := range u.Alts {
				if b != a && b.GoName == a.GoName && b.Disc != "" {
					values = append(values, b.Disc)
					values = append(values, b.More...)
				}
			}
			parts = append(parts, "values: []string{"+strings.Join(quoteAll(values), ", ")+"}")
			if a.Prefix {
				parts = append(parts, "prefix: true")
			}
		}
		if a.JSONKind != '{' {
			lit, err := e.typeInfo(a.Type)
			if err != nil {
				return err
			}
			if lit != "" {
				parts = append(parts, "t: "+lit)
			}
		}
		if len(a.Excluded) > 0 {
			parts = append(parts, "excluded: []string{"+strings.Join(quoteAll(a.Excluded), ", ")+"}")
		}
		alts = append(alts, "\t\t{"+strings.Join(parts, ", ")+"},\n")
	}
	fmt.Fprintf(w, "var union%s = unionInfo{\n", u.Name)
	if u.Disc != "" {
		fmt.Fprintf(w, "\tdisc: %q,\n", u.Disc)
	}
	fmt.Fprintf(w, "\talts: []altInfo{\n%s\t},\n\tunknown: (*%s)(nil),\n", strings.Join(alts, ""), u.Unknown)
	if len(u.Ties) > 0 {
		w.WriteString("\tties: []tieInfo{\n")
		var values []string
		for v := range u.Ties {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			tie := u.Ties[v]
			fmt.Fprintf(w, "\t\t{value: %q, rules: []tieRule{\n", v)
			for _, r := range tie.Rules {
				var rp []string
				rp = append(rp, fmt.Sprintf("member: %q", r.Member))
				if r.Kind != 0 {
					rp = append(rp, fmt.Sprintf("kind: '%c'", r.Kind))
				}
				if len(r.Values) > 0 {
					rp = append(rp, "values: []string{"+strings.Join(quoteAll(r.Values), ", ")+"}")
				}
				rp = append(rp, fmt.Sprintf("alt: (*%s)(nil)", e.altBySchema(u, r.Alt)))
				fmt.Fprintf(w, "\t\t\t{%s},\n", strings.Join(rp, ", "))
			}
			fmt.Fprintf(w, "\t\t}, fallback: (*%s)(nil)},\n", e.altBySchema(u, tie.Fallback))
		}
		w.WriteString("\t},\n")
	}
	w.WriteString("}\n\n")
	return nil
}

// validation writes validate_gen.go: the spec's patterns, Validate for the
// request bodies and the hooks for rules the spec states in prose.
func (e *emitter) validation(w *bytes.Buffer) error {
	// Patterns are named as codecs meets them; codecs runs first.
	w.WriteString(header + "package vapi\n\n")
	if len(e.patterns) > 0 {
		w.WriteString("import \"regexp\"\n\n")
	}
	if len(e.skipped) > 0 {
		w.WriteString("// These patterns of the spec are not checked: Go's regexp cannot express\n// them exactly, and a check that differs from the API's could reject what\n// the API accepts.\n")
		for _, p := range sortedKeys(e.skipped) {
			fmt.Fprintf(w, "//   - %s: %s\n", p, e.skipped[p])
		}
		w.WriteString("\n")
	}
	if len(e.patterns) > 0 {
		w.WriteString("// The spec's patterns, JavaScript regular expressions translated to Go's\n// syntax.\nvar (\n")
		byName := make([]string, len(e.patterns))
		for src, name := range e.patterns {
			n, _ := strconv.Atoi(strings.TrimPrefix(name, "pattern"))
			byName[n-1] = src
		}
		for i, src := range byName {
			fmt.Fprintf(w, "\tpattern%d = &patternInfo{re: regexp.MustCompile(%s)} // %s\n", i+1, "`"+src+"`", e.patternSource[src])
		}
		w.WriteString(")\n\n")
	}
	for _, n := range sortedKeys(e.m.Exported) {
		st := e.m.Structs[n]
		if st == nil || st.Alias != "" || st.Open {
			continue
		}
		fmt.Fprintf(w, "// Validate checks x against the API's constraints, at every depth, and\n// returns every violation as a *ValidationError, or nil.\nfunc (x *%s) Validate() error { return validateStruct(x) }\n\n", n)
	}
	for _, n := range sortedKeys(e.m.Structs) {
		if st := e.m.Structs[n]; st.Check != "" && st.Alias == "" {
			fmt.Fprintf(w, "func (x *%s) checkRules(v *validator) { x.%s(v) }\n\n", n, st.Check)
		}
	}
	return nil
}
