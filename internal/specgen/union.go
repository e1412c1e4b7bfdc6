package specgen

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// union is what specgen knows of a oneOf: its alternatives and the
// property that tells its object alternatives apart.
type union struct {
	schema  *spec.Schema // the oneOf
	alts    []alt
	disc    string // discriminator property; "" when no object alternatives need one
	objects int    // how many alternatives are objects
}

// alt is one alternative of a oneOf.
type alt struct {
	schema *spec.Schema // resolved
	name   string       // component name; "" when inline
	kind   kind
	disc   string   // the alternative's first discriminator value (objects)
	discs  []string // all its discriminator values
}

// discCandidates are the properties that, in this spec, tell alternatives
// apart when the union does not say which one does.
var discCandidates = []string{"type", "provider", "role", "on", "format", "algorithm"}

// unionOf analyses a oneOf schema once.
func (g *Generator) unionOf(s *spec.Schema) *union {
	if u, ok := g.unions[s]; ok {
		return u
	}
	u := &union{schema: s}
	var objs []*alt
	for _, a := range s.OneOf {
		r, name := g.resolve(a)
		u.alts = append(u.alts, alt{schema: r, name: name, kind: kindOf(r)})
	}
	for i := range u.alts {
		if u.alts[i].kind == kObject {
			objs = append(objs, &u.alts[i])
		}
	}
	u.objects = len(objs)
	if s.Discriminator != nil {
		u.disc = s.Discriminator.PropertyName
		values := make([]string, 0, len(s.Discriminator.Mapping))
		for v := range s.Discriminator.Mapping {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			for _, a := range objs {
				if a.name == spec.RefName(s.Discriminator.Mapping[v]) {
					a.discs = append(a.discs, v)
				}
			}
		}
	} else if len(objs) > 0 {
		for _, cand := range discCandidates {
			all := true
			for _, a := range objs {
				all = all && len(constValues(a, cand)) > 0
			}
			if all {
				u.disc = cand
				break
			}
		}
	}
	if u.disc != "" {
		for _, a := range objs {
			if len(a.discs) == 0 {
				a.discs = constValues(a, u.disc)
			}
			if len(a.discs) == 0 {
				panic(fmt.Sprintf("specgen: %s has no value for discriminator %q", a.name, u.disc))
			}
			a.disc = a.discs[0]
		}
	}
	// Object alternatives without a discriminator are told apart by the
	// override table's tie rules for the union's site (ambiguity).
	g.unions[s] = u
	return u
}

// constValues are the values an object alternative allows for a
// property: the override table's word where the spec leaves it open, or
// the strings of its enum (ServerMessageTranscript's "type" has two).
func constValues(a *alt, prop string) []string {
	if v, ok := spec.Overrides.DiscValues[a.name+"."+prop]; ok {
		return []string{v}
	}
	p := property(a.schema, prop)
	if p == nil {
		return nil
	}
	var out []string
	for _, v := range spec.Deref(p).Enum {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// altFor finds the alternative a value belongs to, as the API tells them
// apart: objects by discriminator (and the override table's tie rules
// where alternatives share one), scalars by JSON kind and enum.
func (g *Generator) altFor(u *union, v any, at site) (alt, bool) {
	k := kindOfValue(v)
	if k == kObject {
		obj := v.(map[string]any)
		var match []alt
		for _, a := range u.alts {
			if a.kind != kObject {
				continue
			}
			if u.disc == "" || slices.Contains(a.discs, fmt.Sprint(obj[u.disc])) && isString(obj[u.disc]) || parameterisedValue(a, u.disc, obj[u.disc]) {
				match = append(match, a)
			}
		}
		if len(match) <= 1 {
			return firstAlt(match)
		}
		dv := ""
		if u.disc != "" {
			dv, _ = obj[u.disc].(string)
		}
		amb, ok := g.ambiguity(u.schema, at, dv)
		if !ok {
			return alt{}, false
		}
		want := amb.Fallback
		for _, r := range amb.Rules {
			if tieHolds(obj, r) {
				want = r.Alt
				break
			}
		}
		for _, a := range match {
			if a.name == want {
				return a, true
			}
		}
		return alt{}, false
	}
	var plain []alt
	for _, a := range u.alts {
		if a.kind != k {
			continue
		}
		if e := enumOf(a.schema); len(e) > 0 {
			if slices.Contains(e, v) {
				return a, true
			}
			continue
		}
		plain = append(plain, a)
	}
	return firstAlt(plain)
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// parameterised reports whether an alternative's discriminator also takes
// the form "value[property=value]", as the spec's description of it says
// (CallHookCustomerSpeechTimeout.on: "customer.speech.timeout" or
// "customer.speech.timeout[property=value]").
func parameterised(a alt, disc string) bool {
	p := property(a.schema, disc)
	return p != nil && len(p.Enum) == 0 && strings.Contains(p.Description, a.disc+"[property=value]")
}

// parameterisedValue reports whether v is the parameterised form of the
// alternative's discriminator value.
func parameterisedValue(a alt, disc string, v any) bool {
	s, ok := v.(string)
	if !ok || !parameterised(a, disc) {
		return false
	}
	rest, ok := strings.CutPrefix(s, a.disc+"[")
	return ok && strings.HasSuffix(rest, "]") && strings.Contains(rest, "=")
}

func firstAlt(as []alt) (alt, bool) {
	if len(as) == 0 {
		return alt{}, false
	}
	return as[0], true
}

// tieHolds reports whether an object satisfies a tie rule: it has the
// member, of the rule's JSON kind when the rule names one, and among the
// rule's values when it lists some.
func tieHolds(obj map[string]any, r spec.TieRule) bool {
	m, ok := obj[r.Member]
	if !ok || (r.Kind != 0 && kindOfValue(m) != kind(r.Kind)) {
		return false
	}
	if len(r.Values) > 0 {
		s, isString := m.(string)
		return isString && slices.Contains(r.Values, s)
	}
	return true
}

// ambiguity returns the tie rules of a union: those the override table
// gives its site ("Parent.prop[]"), for the alternatives that share the
// discriminator value dv ("Parent.prop[]#dv") or for the whole union; or,
// where this site has none, those of another site whose union has the same
// alternatives (the SDK gives such unions one type, wherever they appear).
func (g *Generator) ambiguity(s *spec.Schema, at site, dv string) (spec.Ambiguity, bool) {
	key := at.String()
	if dv != "" {
		if a, ok := spec.Overrides.Ambiguous[key+"#"+dv]; ok {
			return a, true
		}
	}
	if a, ok := spec.Overrides.Ambiguous[key]; ok {
		return a, true
	}
	if g.ambBySig == nil {
		g.ambBySig = map[string]spec.Ambiguity{}
		for k, a := range spec.Overrides.Ambiguous {
			at, v, _ := strings.Cut(k, "#")
			if u := g.siteUnion(at); u != nil {
				g.ambBySig[g.signature(u)+"#"+v] = a
			}
		}
	}
	sig := g.signature(s)
	if dv != "" {
		if a, ok := g.ambBySig[sig+"#"+dv]; ok {
			return a, true
		}
	}
	a, ok := g.ambBySig[sig+"#"]
	return a, ok
}

// signature names a oneOf by its alternatives.
func (g *Generator) signature(s *spec.Schema) string {
	s, _ = g.resolve(s)
	names := make([]string, 0, len(s.OneOf))
	for _, a := range s.OneOf {
		_, n := g.resolve(a)
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// siteUnion finds the oneOf at a site of the override table
// ("JSONQueryOnCallTableWithNumberTypeColumn.filters[]"), nil when there is
// none.
func (g *Generator) siteUnion(at string) *spec.Schema {
	parent, prop, ok := strings.Cut(at, ".")
	s, found := g.sp.Components.Schemas[parent]
	if !ok || !found {
		return nil
	}
	name := strings.TrimRight(prop, "[]{}")
	p := property(s, name)
	if p == nil {
		return nil
	}
	p, _ = g.resolve(p)
	for rest := prop[len(name):]; rest != ""; {
		switch {
		case strings.HasPrefix(rest, "[]") && p.Items != nil:
			p, _ = g.resolve(p.Items)
			rest = rest[2:]
		case strings.HasPrefix(rest, "{}") && p.AdditionalProperties != nil:
			p, _ = g.resolve(p.AdditionalProperties)
			rest = rest[2:]
		default:
			return nil
		}
	}
	if len(p.OneOf) == 0 {
		return nil
	}
	return p
}

// accepts is the set of JSON kinds a resolved schema (a union or not)
// accepts, null aside.
func (g *Generator) accepts(s *spec.Schema) map[kind]bool {
	out := map[kind]bool{}
	if len(s.OneOf) > 0 {
		for _, a := range g.unionOf(s).alts {
			out[a.kind] = true
		}
		return out
	}
	out[kindOf(s)] = true
	return out
}
