package specgen

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govapi/vapi/internal/spec"
)

// Kind is the kind of constraint a mutant breaks.
type Kind string

// The constraints a mutant can break.
const (
	Required    Kind = "required"              // a required member removed
	MinLength   Kind = "minLength"             // a string one character too short
	MaxLength   Kind = "maxLength"             // a string one character too long
	Minimum     Kind = "minimum"               // a number below its range
	Maximum     Kind = "maximum"               // a number above its range
	MinItems    Kind = "minItems"              // an array one item too short
	MaxItems    Kind = "maxItems"              // an array one item too long
	Enum        Kind = "enum"                  // a value outside a closed enum
	Pattern     Kind = "pattern"               // a string that does not match its pattern
	Type        Kind = "type"                  // a value of a JSON kind the schema does not accept
	Null        Kind = "null"                  // null for a required member or an array item that is not nullable
	DiscMissing Kind = "discriminator-missing" // a union member without its discriminator
	DiscUnknown Kind = "discriminator-unknown" // a union member with a discriminator no alternative has
	Unknown     Kind = "unknown-member"        // an object with a member its schema does not declare
)

// UnknownMember is the name (and, as a string, the value) of the member an
// Unknown mutant adds, unless the object declares it.
const UnknownMember = "unknownMember"

// Mutant is a document that breaks exactly one constraint, at one path.
type Mutant struct {
	Kind Kind
	// Path is where the document was changed.
	Path Path
	// Site is where the broken constraint is declared: "Schema.property"
	// ("[]" marks array items, "{}" map values), or the union's site for
	// discriminator mutants.
	Site string
	// Desc says what was done, for failure messages.
	Desc string
	// Doc is the whole mutated document. It shares unchanged parts with
	// the original: treat both as read-only.
	Doc any
	// Written marks a member the SDK writes itself when marshalling (the
	// discriminator of a union with one object alternative, or a required
	// enum of one value); Fixed is that member's one valid value. A client
	// that writes Fixed back, rather than rejecting the mutant, also keeps
	// the API from seeing the broken constraint.
	Written bool
	Fixed   any
	// Retargets marks a mutant of a member that the override table's tie
	// rules read to pick the alternative of an ambiguous union (a
	// column, a judgePlan): the mutant may be a document of another
	// alternative, valid or not, rather than one broken constraint.
	Retargets bool
}

// Mutants returns every single-constraint mutant of doc, a valid document
// of the named schema. Enums that are vendor catalogues are left alone.
func (g *Generator) Mutants(schemaName string, doc any) []Mutant {
	m := &mutator{g: g, root: doc}
	m.node(g.schema(schemaName), doc, nil, site{parent: schemaName}, false)
	return m.out
}

type mutator struct {
	g    *Generator
	root any
	out  []Mutant
}

// written describes a member the SDK writes by marshalling; nil when it
// does not.
type written struct{ value any }

func (m *mutator) add(k Kind, path Path, at site, v any, remove bool, w *written, desc string, args ...any) {
	mu := Mutant{Kind: k, Path: path, Site: at.String(), Desc: fmt.Sprintf(desc, args...),
		Doc: replace(m.root, path, v, remove)}
	if w != nil {
		mu.Written, mu.Fixed = true, w.value
	}
	m.out = append(m.out, mu)
}

// node mutates a value and everything in it. required says whether the
// value is a required member of its object.
func (m *mutator) node(s *spec.Schema, v any, path Path, at site, required bool) {
	s, name := m.g.resolve(s)
	if len(s.OneOf) > 0 {
		m.union(s, v, path, at)
		return
	}
	var w *written
	if e := enumOf(s); required && len(e) == 1 {
		w = &written{e[0]}
	}
	m.wrongType(m.g.accepts(s), s.Type == "integer", v, path, at, w)
	m.constraints(s, name, v, path, at, w)
}

// replacements are the values a wrong-type mutant puts in, nearest first
// for each kind of value it replaces.
var replacements = map[kind][]any{
	kString: {7.0, true, map[string]any{}, []any{}},
	kNumber: {"7", true, []any{}, map[string]any{}},
	kBool:   {"true", 1.0, []any{}, map[string]any{}},
	kObject: {[]any{}, "{}", 1.0, false},
	kArray:  {map[string]any{}, "[]", 1.0, false},
	kNull:   {"null", 0.0, false, map[string]any{}, []any{}},
}

// wrongType replaces a value with one of a JSON kind the schema does not
// accept, and an integer with a fraction.
func (m *mutator) wrongType(accepts map[kind]bool, integer bool, v any, path Path, at site, w *written) {
	if len(path) == 0 || accepts[kAny] {
		return
	}
	for _, r := range replacements[kindOfValue(v)] {
		if !accepts[kindOfValue(r)] {
			m.add(Type, path, at, r, false, w, "%s → %s", excerpt(v), excerpt(r))
			break
		}
	}
	if f, ok := v.(float64); ok && integer {
		m.add(Type, path, at, f+0.5, false, w, "integer %v → %v", f, f+0.5)
	}
}

// constraints mutates what a resolved, non-union schema constrains in a
// value, and recurses into it.
func (m *mutator) constraints(s *spec.Schema, name string, v any, path Path, at site, w *written) {
	if v == nil {
		return
	}
	if e := enumOf(s); len(e) > 0 {
		m.enum(e, v, path, at, w)
		return
	}
	switch x := v.(type) {
	case string:
		m.str(s, x, path, at)
	case float64:
		m.number(s, x, path, at)
	case []any:
		m.array(s, x, path, at)
	case map[string]any:
		m.object(s, name, x, path, at, "")
	}
}

// enum puts a value outside a closed enum (one of the same JSON kind).
func (m *mutator) enum(e []any, v any, path Path, at site, w *written) {
	if at.catalogue() {
		return
	}
	var u any
	switch v.(type) {
	case string:
		u = "unknown-value"
		for slices.Contains(e, u) {
			u = u.(string) + "-x"
		}
	case float64:
		u = 987654.5
	default:
		return
	}
	m.add(Enum, path, at, u, false, w, "%s → %s, not one of %s", excerpt(v), excerpt(u), excerpt(e))
}

func (m *mutator) str(s *spec.Schema, v string, path Path, at site) {
	lo, hi := bounds(s)
	if lo > 0 {
		short := cut(v, lo-1)
		m.add(MinLength, path, at, short, false, nil, "%d → %d characters, minLength %d", Length(v), lo-1, lo)
	}
	if hi >= 0 && hi < 1<<20 {
		m.add(MaxLength, path, at, grow(v, hi+1), false, nil, "%d → %d characters, maxLength %d", Length(v), hi+1, hi)
	}
	if s.Pattern != "" {
		if bad, ok := m.mismatch(s.Pattern, v, lo, hi); ok {
			m.add(Pattern, path, at, bad, false, nil, "%s → %s, pattern %s", excerpt(v), excerpt(bad), s.Pattern)
		}
	}
}

// cut returns the first n counted code points of v, without selectors.
func cut(v string, n int) string {
	var b strings.Builder
	for _, r := range v {
		if n == 0 {
			break
		}
		if r != '\uFE0E' && r != '\uFE0F' {
			b.WriteRune(r)
			n--
		}
	}
	return b.String()
}

// grow returns v without selectors, extended to n code points by
// repeating its last character ("x" for an empty string).
func grow(v string, n int) string {
	v = cut(v, Length(v))
	last := "x"
	if r, size := utf8.DecodeLastRuneInString(v); size > 0 {
		last = string(r)
	}
	return v + strings.Repeat(last, n-Length(v))
}

// mismatch finds a string that breaks the pattern but keeps the length.
func (m *mutator) mismatch(pattern, v string, lo, hi int) (string, bool) {
	re := m.g.regexpOf(pattern)
	for _, c := range []string{v + " ", " " + v, v + "!", "!" + v, "", " ", "!", "1", "_", "a b", "é", "-", "0x"} {
		if !re.MatchString(c) && lengthOK(c, lo, hi) {
			return c, true
		}
	}
	return "", false
}

func (m *mutator) number(s *spec.Schema, f float64, path Path, at site) {
	if s.Minimum != nil {
		m.add(Minimum, path, at, *s.Minimum-1, false, nil, "%v → %v, minimum %v", f, *s.Minimum-1, *s.Minimum)
	}
	if s.Maximum != nil {
		m.add(Maximum, path, at, *s.Maximum+1, false, nil, "%v → %v, maximum %v", f, *s.Maximum+1, *s.Maximum)
	}
}

func (m *mutator) array(s *spec.Schema, x []any, path Path, at site) {
	if s.MinItems != nil && *s.MinItems > 0 {
		n := *s.MinItems
		m.add(MinItems, path, at, x[:n-1:n-1], false, nil, "%d → %d items, minItems %d", len(x), n-1, n)
	}
	if s.MaxItems != nil && *s.MaxItems < 10000 {
		n := *s.MaxItems
		long := slices.Clone(x)
		for len(long) <= n {
			switch {
			case len(x) > 0:
				long = append(long, x[len(x)-1])
			case s.Items != nil:
				long = append(long, m.g.value(s.Items, at.items(), 0))
			default:
				long = append(long, "x")
			}
		}
		m.add(MaxItems, path, at, long, false, nil, "%d → %d items, maxItems %d", len(x), n+1, n)
	}
	if e := itemEnum(s); len(e) > 0 {
		for i, v := range x {
			m.enum(e, v, path.with(i), at.items(), nil)
		}
		return
	}
	if s.Items == nil {
		return
	}
	for i, v := range x {
		m.null(s.Items, v, path.with(i), at.items(), nil)
		m.node(s.Items, v, path.with(i), at.items(), false)
	}
}

// null puts null in place of a value that must not be null: a required
// member or an array item. (The API, like class-validator's @IsOptional,
// takes null in an optional member for absent.)
func (m *mutator) null(s *spec.Schema, v any, path Path, at site, w *written) {
	r, _ := m.g.resolve(s)
	if v == nil || nullOK(r) || m.g.accepts(r)[kAny] {
		return
	}
	m.add(Null, path, at, nil, false, w, "%s → null", excerpt(v))
}

// object removes each required member and mutates each member present;
// skip is a discriminator the caller mutates itself.
func (m *mutator) object(s *spec.Schema, name string, obj map[string]any, path Path, at site, skip string) {
	if len(s.Properties) == 0 {
		if s.AdditionalProperties != nil {
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				m.node(s.AdditionalProperties, obj[k], path.with(k), at.values(), false)
			}
		}
		return
	}
	parent := name
	if parent == "" {
		parent = at.String()
	}
	if closed(s) {
		k := UnknownMember
		for property(s, k) != nil {
			k += "X"
		}
		m.add(Unknown, path.with(k), site{parent, ""}, UnknownMember, false, nil, "add undeclared member %q", k)
	}
	for _, p := range s.Properties {
		v, present := obj[p.Name]
		if !present || p.Name == skip {
			continue
		}
		// What Vapi accepts without (the override table) is no mutant.
		req := isRequired(s, p.Name) && !spec.Overrides.NotRequired[parent+"."+p.Name]
		ps := site{parent, p.Name}
		if req {
			var w *written
			if r, _ := m.g.resolve(p.Schema); len(enumOf(r)) == 1 {
				w = &written{enumOf(r)[0]}
			}
			m.add(Required, path.with(p.Name), ps, nil, true, w, "drop required %q", p.Name)
			m.null(p.Schema, v, path.with(p.Name), ps, w)
		}
		m.node(p.Schema, v, path.with(p.Name), ps, req)
	}
}

// closed reports whether an object schema allows only the members it
// declares: it declares some, and its additionalProperties is absent or
// false.
func closed(s *spec.Schema) bool {
	if len(s.Properties) == 0 || s.AdditionalProperties != nil {
		return false
	}
	raw := strings.TrimSpace(string(s.RawAdditional))
	return raw == "" || raw == "false"
}

// union mutates a union member: a kind no alternative accepts, its
// discriminator, and then whatever its own alternative constrains.
func (m *mutator) union(s *spec.Schema, v any, path Path, at site) {
	u := m.g.unionOf(s)
	m.wrongType(m.g.accepts(s), false, v, path, at, nil)
	if v == nil {
		return
	}
	a, ok := m.g.altFor(u, v, at)
	if !ok {
		return
	}
	k := kindOfValue(v)
	if k == kObject {
		obj := v.(map[string]any)
		if u.disc != "" {
			dpath := path.with(u.disc)
			switch {
			case u.objects > 1:
				m.add(DiscMissing, dpath, at, nil, true, nil, "drop discriminator %q (%s)", u.disc, a.name)
				m.add(DiscUnknown, dpath, at, "unknown-alternative", false, nil, "%s %q → \"unknown-alternative\" (%s)", u.disc, a.disc, a.name)
			case len(a.discs) > 1:
				// One alternative with several values: none is the one
				// the SDK would write.
				m.add(DiscUnknown, dpath, at, "unknown-alternative", false, nil, "%s %v → \"unknown-alternative\" (%s)", u.disc, obj[u.disc], a.name)
			default:
				w := &written{a.disc}
				if isRequired(a.schema, u.disc) {
					m.add(Required, dpath, at, nil, true, w, "drop discriminator %q (%s)", u.disc, a.name)
				}
				m.add(Enum, dpath, at, "unknown-alternative", false, w, "%s %q → \"unknown-alternative\" (%s)", u.disc, a.disc, a.name)
			}
		}
		first := len(m.out)
		m.object(a.schema, a.name, obj, path, at, u.disc)
		dv, _ := obj[u.disc].(string)
		if amb, ok := m.g.ambiguity(s, at, dv); ok {
			for i := first; i < len(m.out); i++ {
				for _, r := range amb.Rules {
					if m.out[i].Path.within(path.with(r.Member)) {
						m.out[i].Retargets = true
					}
				}
			}
		}
		return
	}
	var same []alt
	for _, b := range u.alts {
		if b.kind == k {
			same = append(same, b)
		}
	}
	if len(same) == 1 {
		m.constraints(a.schema, a.name, v, path, at, nil)
		return
	}
	// Several alternatives of this kind: only a value outside all of
	// them, when all are enums, is sure to break the union.
	var all []any
	for _, b := range same {
		e := enumOf(b.schema)
		if len(e) == 0 {
			return
		}
		all = append(all, e...)
	}
	m.enum(all, v, path, at, nil)
}

// excerpt shortens a value for a message.
func excerpt(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "…"
	}
	return string(b)
}
