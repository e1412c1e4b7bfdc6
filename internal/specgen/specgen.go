// Package specgen makes random JSON documents from the schemas of Vapi's
// OpenAPI spec, and mutants of them that each break one constraint. It is
// the oracle of the SDK's property test: documents it calls valid must
// decode, validate and round-trip; its mutants must be rejected.
//
// Documents are decoded-JSON Go values (map[string]any, []any, string,
// float64, bool, nil), seeded and reproducible. They never carry members
// their schema does not declare, except in free-form objects.
package specgen

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// Generator makes documents from one spec. It is not safe for concurrent
// use; make one per goroutine.
type Generator struct {
	// MaxDepth bounds nesting: deeper than this, only required members are
	// made and arrays keep their minimum size.
	MaxDepth int
	// MaxNodes is a soft budget of values per document: once spent,
	// optional members are left out.
	MaxNodes int
	// UncountedSelectors lets strings carry extra variation selectors
	// (U+FE0E, U+FE0F) beyond their maxLength. class-validator, and so the
	// API, does not count them; draft-4 JSON Schema does. Documents made
	// with it are valid for the API but not for specvalidate.py.
	UncountedSelectors bool

	sp    *spec.Spec
	rng   *rand.Rand
	nodes int

	unsat   map[*spec.Schema]bool
	unions  map[*spec.Schema]*union
	regexps map[string]*regexp.Regexp
	made    map[string]int // objects made, by component schema

	ambBySig map[string]spec.Ambiguity // tie rules by union signature and discriminator value
}

// New returns a generator over sp whose choices follow seed.
func New(sp *spec.Spec, seed int64) *Generator {
	return &Generator{
		MaxDepth: 9,
		MaxNodes: 350,
		sp:       sp,
		rng:      rand.New(rand.NewPCG(uint64(seed), 0x5eed)),
		unsat:    map[*spec.Schema]bool{},
		unions:   map[*spec.Schema]*union{},
		regexps:  map[string]*regexp.Regexp{},
		made:     map[string]int{},
	}
}

// site names where a value sits: the component schema that declares the
// property, and the property ("voice", "tools[]" for array items,
// "headers{}" for map values). It is the key of the override table.
type site struct{ parent, prop string }

func (s site) String() string {
	if s.prop == "" {
		return s.parent
	}
	return s.parent + "." + s.prop
}

func (s site) items() site  { return site{s.parent, s.prop + "[]"} }
func (s site) values() site { return site{s.parent, s.prop + "{}"} }

// catalogue reports whether the enum at this site is a vendor catalogue,
// which the SDK leaves open.
func (s site) catalogue() bool {
	prop := strings.TrimRight(s.prop, "[]{}")
	return spec.Overrides.Catalogues[prop] || spec.Overrides.Catalogues[s.parent+"."+prop]
}

// schema returns the named component schema; an unknown name is a bug in
// the caller.
func (g *Generator) schema(name string) *spec.Schema {
	s, ok := g.sp.Components.Schemas[name]
	if !ok {
		panic(fmt.Sprintf("specgen: no schema %q in the spec", name))
	}
	return s
}

// resolve follows references and description wrappers ({allOf: [{$ref}]})
// to the schema that constrains a value, and returns its component name
// ("" for an inline schema).
func (g *Generator) resolve(s *spec.Schema) (*spec.Schema, string) {
	name := ""
	for {
		s = spec.Deref(s)
		if s.Ref == "" {
			return s, name
		}
		name = spec.RefName(s.Ref)
		s = g.schema(name)
	}
}

// kind is a JSON kind.
type kind byte

const (
	kNull   kind = 'n'
	kString kind = '"'
	kNumber kind = '0'
	kBool   kind = 't'
	kObject kind = '{'
	kArray  kind = '['
	kAny    kind = '*' // a schema that states no type: anything goes
)

// kindOf is the JSON kind a resolved, non-union schema accepts.
func kindOf(s *spec.Schema) kind {
	switch s.Type {
	case "string":
		return kString
	case "number", "integer":
		return kNumber
	case "boolean":
		return kBool
	case "array":
		return kArray
	case "object":
		return kObject
	}
	if len(s.Properties) > 0 || s.AdditionalProperties != nil {
		return kObject
	}
	return kAny
}

// kindOfValue is the JSON kind of a decoded value.
func kindOfValue(v any) kind {
	switch v.(type) {
	case nil:
		return kNull
	case string:
		return kString
	case float64:
		return kNumber
	case bool:
		return kBool
	case []any:
		return kArray
	case map[string]any:
		return kObject
	}
	panic(fmt.Sprintf("specgen: %T is not a decoded JSON value", v))
}

// nullOK reports whether null is a valid value of s: nullable, and not
// excluded by an enum that lacks it (OpenAPI 3.0.3 reads nullable that way,
// and so does the reference validator).
func nullOK(s *spec.Schema) bool {
	if !s.Nullable {
		return false
	}
	if len(s.Enum) == 0 || s.Type == "array" {
		return true
	}
	for _, v := range s.Enum {
		if v == nil {
			return true
		}
	}
	return false
}

// enumOf returns the enum that constrains a value of s: its own, or for an
// array the enum of its items (the spec puts item enums on the array).
func enumOf(s *spec.Schema) []any {
	if s.Type == "array" {
		return nil
	}
	return s.Enum
}

// itemEnum is the enum of an array's items, wherever the spec put it.
func itemEnum(s *spec.Schema) []any {
	if s.Type == "array" && len(s.Enum) > 0 {
		return s.Enum
	}
	return nil
}

// unsatisfiable reports whether no value can satisfy s, as the reference
// validator reads it: an enum none of whose values has the schema's type
// (BackoffPlan.type is an object whose enum is strings), a required
// member that is itself unsatisfiable, or a union without a satisfiable
// alternative. Such schemas are never generated.
func (g *Generator) unsatisfiable(s *spec.Schema) bool {
	s, _ = g.resolve(s)
	if v, ok := g.unsat[s]; ok {
		return v
	}
	g.unsat[s] = false // a cycle assumes the best
	bad := false
	switch {
	case len(s.OneOf) > 0:
		bad = true
		for _, a := range s.OneOf {
			if !g.unsatisfiable(a) {
				bad = false
			}
		}
	case len(enumOf(s)) > 0 && kindOf(s) != kAny:
		bad = true
		for _, v := range enumOf(s) {
			if kindOfValue(v) == kindOf(s) {
				bad = false
			}
		}
	case kindOf(s) == kObject:
		for _, p := range s.Properties {
			if isRequired(s, p.Name) && g.unsatisfiable(p.Schema) {
				bad = true
			}
		}
	case kindOf(s) == kArray && s.Items != nil && s.MinItems != nil && *s.MinItems > 0:
		bad = g.unsatisfiable(s.Items)
	}
	g.unsat[s] = bad
	return bad
}

func isRequired(s *spec.Schema, prop string) bool {
	for _, r := range s.Required {
		if r == prop {
			return true
		}
	}
	return false
}

func property(s *spec.Schema, name string) *spec.Schema {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	return nil
}
