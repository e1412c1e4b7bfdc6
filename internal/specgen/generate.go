package specgen

import (
	"fmt"
	"math"

	"github.com/govapi/vapi/internal/spec"
)

// Valid returns a random document that satisfies the named component
// schema, as the API and the reference validator read it.
func (g *Generator) Valid(schemaName string) any {
	g.nodes = 0
	g.schema(schemaName) // fails early on an unknown name
	return g.value(&spec.Schema{Ref: "#/components/schemas/" + schemaName}, site{parent: schemaName}, 0)
}

// hardDepth stops a runaway recursion: past MaxDepth only required members
// are made, so reaching this means the spec requires a cycle.
const hardDepth = 64

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *Generator) value(s *spec.Schema, at site, depth int) any {
	if depth > hardDepth {
		panic(fmt.Sprintf("specgen: %s nests deeper than %d levels through required members", at, hardDepth))
	}
	s, name := g.resolve(s)
	g.nodes++
	if nullOK(s) && g.chance(0.2) {
		return nil
	}
	if e := enumOf(s); len(e) > 0 {
		// An enum beside a oneOf (VapiVoice.version) narrows it; JSON
		// Schema applies both.
		return g.pickEnum(s, e)
	}
	if len(s.OneOf) > 0 {
		return g.oneOf(s, at, depth)
	}
	switch kindOf(s) {
	case kString:
		return g.str(s)
	case kNumber:
		return g.number(s)
	case kBool:
		return g.chance(0.5)
	case kArray:
		return g.array(s, at, depth)
	case kObject:
		return g.object(s, name, at, depth, objectRules{})
	}
	return g.free(0)
}

// pickEnum picks one of an enum's values that has the schema's kind.
func (g *Generator) pickEnum(s *spec.Schema, e []any) any {
	var ok []any
	for _, v := range e {
		if kindOf(s) == kAny || kindOfValue(v) == kindOf(s) {
			ok = append(ok, v)
		}
	}
	if len(ok) == 0 {
		panic(fmt.Sprintf("specgen: no value of enum %v is a %s", e, s.Type))
	}
	return ok[g.rng.IntN(len(ok))]
}

// deep reports whether a value at this depth should stay minimal.
func (g *Generator) deep(depth int) bool {
	return depth > g.MaxDepth || g.nodes > g.MaxNodes
}

// optional decides whether to include an optional member: often near the
// root, rarely deep down, never past the budget.
func (g *Generator) optional(depth int) bool {
	if g.deep(depth) {
		return false
	}
	return g.chance(math.Max(0.12, 0.6-0.07*float64(depth)))
}

// objectRules constrain an object beyond its schema: members forced to a
// value (a union's discriminator), members that must be present, and tie
// rules the object must (or must not) satisfy at an ambiguous union site.
type objectRules struct {
	force   map[string]any
	need    string
	satisfy *spec.TieRule
	avoid   []spec.TieRule
}

func (g *Generator) object(s *spec.Schema, name string, at site, depth int, r objectRules) any {
	if name != "" {
		g.made[name]++
	}
	if len(s.Properties) == 0 {
		if s.AdditionalProperties != nil {
			return g.mapOf(s.AdditionalProperties, at.values(), depth)
		}
		return g.freeObject(0)
	}
	parent := name
	if parent == "" {
		parent = at.String()
	}
	for attempt := 0; ; attempt++ {
		out := make(map[string]any, len(s.Properties))
		for _, p := range s.Properties {
			if v, ok := r.force[p.Name]; ok {
				out[p.Name] = v
				continue
			}
			if !isRequired(s, p.Name) && p.Name != r.need &&
				(g.unsatisfiable(p.Schema) || !g.optional(depth)) {
				continue
			}
			// "" is sent too, where the values are an enum or free text
			// (DeepgramTranscriber.model): API.md v3 has zero values that
			// were sent written back.
			out[p.Name] = g.value(p.Schema, site{parent, p.Name}, depth+1)
		}
		if r.holds(out) {
			return out
		}
		if attempt == 20 {
			panic(fmt.Sprintf("specgen: cannot make a %s that settles the tie at %s", name, at))
		}
	}
}

func (r objectRules) holds(obj map[string]any) bool {
	if r.satisfy != nil && !tieHolds(obj, *r.satisfy) {
		return false
	}
	for _, t := range r.avoid {
		if tieHolds(obj, t) {
			return false
		}
	}
	return true
}

// oneOf picks one satisfiable alternative and makes a value of it; an
// object alternative carries its discriminator, and at an ambiguous site
// satisfies the tie rule that selects it.
func (g *Generator) oneOf(s *spec.Schema, at site, depth int) any {
	u := g.unionOf(s)
	var ok []alt
	for _, a := range u.alts {
		if !g.unsatisfiable(a.schema) {
			ok = append(ok, a)
		}
	}
	if len(ok) == 0 {
		panic(fmt.Sprintf("specgen: no satisfiable alternative at %s", at))
	}
	a := ok[g.rng.IntN(len(ok))]
	if a.kind != kObject {
		return g.value(a.schema, at, depth)
	}
	var r objectRules
	dv := ""
	if u.disc != "" {
		dv = a.discs[g.rng.IntN(len(a.discs))]
		r.force = map[string]any{u.disc: dv}
		if parameterised(a, u.disc) && g.chance(0.3) {
			// The documented hook form "customer.speech.timeout[timeoutSeconds=10]",
			// with the options it parameterises present, so that they are
			// still checked.
			r.force[u.disc] = fmt.Sprintf("%s[timeoutSeconds=%d]", dv, 2+g.rng.IntN(60))
			if property(a.schema, "options") != nil {
				r.need = "options"
			}
		}
	}
	if amb, isAmb := g.ambiguity(s, at, dv); isAmb {
		var mine []int
		for i, t := range amb.Rules {
			if t.Alt == a.name {
				mine = append(mine, i)
			}
		}
		switch {
		case len(mine) > 0:
			// Satisfy one of its rules, and none of the rules before it
			// that pick another alternative (the first rule that holds
			// decides).
			i := mine[g.rng.IntN(len(mine))]
			t := amb.Rules[i]
			r.satisfy, r.need = &t, t.Member
			if len(t.Values) > 0 {
				if r.force == nil {
					r.force = map[string]any{}
				}
				r.force[t.Member] = t.Values[g.rng.IntN(len(t.Values))]
			}
			for _, before := range amb.Rules[:i] {
				if before.Alt != a.name {
					r.avoid = append(r.avoid, before)
				}
			}
		case a.name == amb.Fallback:
			r.avoid = amb.Rules
		}
	} else if u.disc == "" && u.objects > 1 && !spec.Overrides.Untyped[at.String()] {
		panic(fmt.Sprintf("specgen: no discriminator and no tie rules for the union at %s", at))
	}
	return g.object(a.schema, a.name, at, depth, r)
}

func (g *Generator) array(s *spec.Schema, at site, depth int) any {
	lo, hi := 0, -1
	if s.MinItems != nil {
		lo = *s.MinItems
	}
	if s.MaxItems != nil {
		hi = *s.MaxItems
	}
	n := lo
	if !g.deep(depth) && (s.Items == nil || !g.unsatisfiable(s.Items)) {
		top := lo + 3
		if hi >= 0 && hi < top {
			top = hi
		}
		n = lo + g.rng.IntN(top-lo+1)
	}
	out := make([]any, n)
	for i := range out {
		switch {
		case len(itemEnum(s)) > 0:
			out[i] = g.pickEnum(&spec.Schema{Type: itemType(s)}, itemEnum(s))
		case s.Items == nil:
			out[i] = g.free(1)
		default:
			out[i] = g.value(s.Items, at.items(), depth+1)
		}
	}
	return out
}

// itemType is the type of an array's items, "" when it states none.
func itemType(s *spec.Schema) string {
	if s.Items != nil {
		r := spec.Deref(s.Items)
		return r.Type
	}
	return ""
}

// mapOf makes an object whose members all follow one schema
// (additionalProperties).
func (g *Generator) mapOf(s *spec.Schema, at site, depth int) any {
	n := 0
	if !g.deep(depth) {
		n = g.rng.IntN(4)
	}
	out := make(map[string]any, n)
	for i := 0; i < n; i++ {
		out[g.key(i)] = g.value(s, at, depth+1)
	}
	return out
}

// freeKeys are member names of free-form objects: ordinary ones, and some
// that test a codec's escaping.
var freeKeys = []string{"id", "name", "count", "tags", "nested", "user_id", "é", "with space", "a-b", "\"quoted\"", "emoji😀", ""}

func (g *Generator) key(i int) string {
	k := freeKeys[g.rng.IntN(len(freeKeys))]
	return fmt.Sprintf("%s%d", k, i)
}

// freeObject makes an object with a few arbitrary members, for schemas that
// declare no properties.
func (g *Generator) freeObject(level int) map[string]any {
	n := g.rng.IntN(4)
	out := make(map[string]any, n)
	for i := 0; i < n; i++ {
		out[g.key(i)] = g.free(level + 1)
	}
	return out
}

// free makes an arbitrary JSON value, nested at most two levels.
func (g *Generator) free(level int) any {
	k := g.rng.IntN(7)
	if level >= 2 && k >= 5 {
		k = g.rng.IntN(5)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return g.chance(0.5)
	case 2:
		return g.number(&spec.Schema{Type: "number"})
	case 3, 4:
		return g.text(0, 12, nil)
	case 5:
		out := make([]any, g.rng.IntN(4))
		for i := range out {
			out[i] = g.free(level + 1)
		}
		return out
	}
	return g.freeObject(level)
}
