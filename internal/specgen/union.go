package specgen

import (
	"fmt"
	"slices"

	"github.com/govapi/vapi/internal/spec"
)

// union is what specgen knows of a oneOf: its alternatives and the
// property that tells its object alternatives apart.
type union struct {
	alts    []alt
	disc    string // discriminator property; "" when no object alternatives need one
	objects int    // how many alternatives are objects
}

// alt is one alternative of a oneOf.
type alt struct {
	schema *spec.Schema // resolved
	name   string       // component name; "" when inline
	kind   kind
	disc   string // the alternative's discriminator value (objects)
}

// discCandidates are the properties that, in this spec, tell alternatives
// apart when the union does not say which one does.
var discCandidates = []string{"type", "provider", "role", "on", "format", "algorithm"}

// unionOf analyses a oneOf schema once.
func (g *Generator) unionOf(s *spec.Schema) *union {
	if u, ok := g.unions[s]; ok {
		return u
	}
	u := &union{}
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
		for v, ref := range s.Discriminator.Mapping {
			for _, a := range objs {
				if a.name == spec.RefName(ref) {
					a.disc = v
				}
			}
		}
	} else if len(objs) > 0 {
		for _, cand := range discCandidates {
			all := true
			for _, a := range objs {
				all = all && constValue(a, cand) != ""
			}
			if all {
				u.disc = cand
				break
			}
		}
	}
	if u.disc != "" {
		for _, a := range objs {
			if a.disc == "" {
				a.disc = constValue(a, u.disc)
			}
			if a.disc == "" {
				panic(fmt.Sprintf("specgen: %s has no value for discriminator %q", a.name, u.disc))
			}
		}
	} else if len(objs) > 1 {
		panic(fmt.Sprintf("specgen: no discriminator for the union of %s, %s, …", objs[0].name, objs[1].name))
	}
	g.unions[s] = u
	return u
}

// constValue is the value an object alternative fixes for a property: the
// override table's word where the spec leaves it open, or a one-value enum.
func constValue(a *alt, prop string) string {
	if v, ok := spec.Overrides.DiscValues[a.name+"."+prop]; ok {
		return v
	}
	if p := property(a.schema, prop); p != nil && len(p.Enum) == 1 {
		if s, ok := p.Enum[0].(string); ok {
			return s
		}
	}
	return ""
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
			if u.disc == "" || obj[u.disc] == a.disc {
				match = append(match, a)
			}
		}
		if len(match) <= 1 {
			return firstAlt(match)
		}
		amb, ok := spec.Overrides.Ambiguous[at.String()]
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

func firstAlt(as []alt) (alt, bool) {
	if len(as) == 0 {
		return alt{}, false
	}
	return as[0], true
}

// tieHolds reports whether an object satisfies a tie rule: it has the
// member, of the rule's JSON kind when the rule names one.
func tieHolds(obj map[string]any, r spec.TieRule) bool {
	m, ok := obj[r.Member]
	return ok && (r.Kind == 0 || kindOfValue(m) == kind(r.Kind))
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
