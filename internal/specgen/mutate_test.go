package specgen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi/internal/spec"
)

// toySpec has one constraint of each kind, a union of two objects, one of
// one object, a union of scalars, a catalogue enum ("model") and a
// free-form object.
const toySpec = `{"components": {"schemas": {
  "Root": {"type": "object", "required": ["name", "kind", "pet"], "properties": {
    "name":   {"type": "string", "minLength": 2, "maxLength": 5},
    "code":   {"type": "string", "pattern": "/^[a-z]+$/"},
    "count":  {"type": "integer", "minimum": 1, "maximum": 3},
    "tags":   {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
    "status": {"type": "string", "enum": ["on", "off"]},
    "model":  {"type": "string", "enum": ["m1", "m2"]},
    "kind":   {"type": "string", "enum": ["root"]},
    "pet":    {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
    "plan":   {"allOf": [{"$ref": "#/components/schemas/Plan"}], "oneOf": [{"$ref": "#/components/schemas/Plan"}]},
    "speed":  {"oneOf": [{"type": "number", "maximum": 2}, {"type": "string", "enum": ["slow", "fast"]}]},
    "extra":  {"type": "object"},
    "note":   {"type": "string", "nullable": true}
  }},
  "Cat":  {"type": "object", "required": ["type"], "properties": {
    "type": {"type": "string", "enum": ["cat"]}, "lives": {"type": "number", "maximum": 9}}},
  "Dog":  {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["dog"]}}},
  "Plan": {"type": "object", "required": ["provider"], "properties": {"provider": {"type": "string", "enum": ["p"]}}}
}}}`

func loadToy(t *testing.T) *spec.Spec {
	t.Helper()
	file := filepath.Join(t.TempDir(), "toy.json")
	require.NoError(t, os.WriteFile(file, []byte(toySpec), 0o644))
	sp, err := spec.Load(file)
	require.NoError(t, err)
	return sp
}

func toyDoc() map[string]any {
	return map[string]any{
		"name": "abc", "code": "xyz", "count": 2.0, "tags": []any{"t"}, "status": "on", "model": "m1",
		"kind": "root", "pet": map[string]any{"type": "cat", "lives": 3.0}, "plan": map[string]any{"provider": "p"},
		"speed": "slow", "extra": map[string]any{"k": 1.0}, "note": nil,
	}
}

func TestMutantsBreakEachConstraintOnceAtItsPath(t *testing.T) {
	g := New(loadToy(t), 1)
	doc := toyDoc()
	type key struct {
		kind Kind
		path string
	}
	got := map[key][]Mutant{}
	for _, m := range g.Mutants("Root", doc) {
		k := key{m.Kind, m.Path.String()}
		got[k] = append(got[k], m)
	}
	tests := []struct {
		name    string
		kind    Kind
		path    string
		value   any // the value at path in the mutant; absent when nil and removed is set
		removed bool
		written bool
	}{
		{"a required string is dropped", Required, "name", nil, true, false},
		{"a string is cut below minLength", MinLength, "name", "a", false, false},
		{"a string is grown past maxLength", MaxLength, "name", "abcccc", false, false},
		{"a string is made to miss its pattern", Pattern, "code", "xyz ", false, false},
		{"an integer goes below its minimum", Minimum, "count", 0.0, false, false},
		{"an integer goes above its maximum", Maximum, "count", 4.0, false, false},
		{"an integer becomes a string", Type, "count", "7", false, false},
		{"an integer becomes a fraction", Type, "count", 2.5, false, false},
		{"an array is emptied below minItems", MinItems, "tags", []any{}, false, false},
		{"an array is grown past maxItems", MaxItems, "tags", []any{"t", "t", "t"}, false, false},
		{"a closed enum gets an unknown value", Enum, "status", "unknown-value", false, false},
		{"a required one-value enum is dropped, and may be written back", Required, "kind", nil, true, true},
		{"a required one-value enum gets another value, and may be written back", Enum, "kind", "unknown-value", false, true},
		{"a union member loses its discriminator", DiscMissing, "pet.type", nil, true, false},
		{"a union member gets an unknown discriminator", DiscUnknown, "pet.type", "unknown-alternative", false, false},
		{"a member of the chosen alternative goes out of range", Maximum, "pet.lives", 10.0, false, false},
		{"a union member becomes an array", Type, "pet", []any{}, false, false},
		{"a one-alternative union loses its discriminator, which may be written back", Required, "plan.provider", nil, true, true},
		{"a one-alternative union gets another discriminator, which may be written back", Enum, "plan.provider", "unknown-alternative", false, true},
		{"a scalar union gets a string outside its enum alternative", Enum, "speed", "unknown-value", false, false},
		{"a scalar union gets a kind no alternative has", Type, "speed", true, false, false},
		{"a free-form object becomes an array", Type, "extra", []any{}, false, false},
		{"a required string becomes null", Null, "name", nil, false, false},
		{"a required union member becomes null", Null, "pet", nil, false, false},
		{"an array item becomes null", Null, "tags[0]", nil, false, false},
		{"a required one-value enum becomes null, and may be written back", Null, "kind", nil, false, true},
		{"a nullable string that is null becomes a number", Type, "note", 0.0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Mutant
			for _, c := range got[key{tt.kind, tt.path}] {
				v, present := At(c.Doc, ParsePath(tt.path))
				if tt.removed && !present || !tt.removed && present && assert.ObjectsAreEqual(tt.value, v) {
					m = c
				}
			}
			require.NotNil(t, m.Doc, "no %s mutant at %s that makes it %v; have %v", tt.kind, tt.path, tt.value, got[key{tt.kind, tt.path}])
			assert.Equal(t, tt.written, m.Written)
			assert.Equal(t, []string{tt.path}, changedPaths(doc, m.Doc), "the mutant changes only its path")
		})
	}
	t.Run("a catalogue enum is never mutated", func(t *testing.T) {
		assert.NotContains(t, got, key{Enum, "model"})
	})
	t.Run("optional members and nullable ones are never nulled", func(t *testing.T) {
		assert.NotContains(t, got, key{Null, "code"})
		assert.NotContains(t, got, key{Null, "note"})
	})
	t.Run("a scalar union with an open alternative of the kind is not enum-mutated", func(t *testing.T) {
		d := toyDoc()
		d["speed"] = 1.5
		for _, m := range g.Mutants("Root", d) {
			if m.Path.String() == "speed" {
				assert.Contains(t, []Kind{Maximum, Type}, m.Kind)
			}
		}
	})
	t.Run("mutants leave the original document as it was", func(t *testing.T) {
		assert.Equal(t, toyDoc(), doc)
	})
}

// changedPaths lists where two documents differ: the deepest paths whose
// values are not equal, or that one of them lacks.
func changedPaths(a, b any) []string {
	var out []string
	var walk func(a, b any, p Path)
	walk = func(a, b any, p Path) {
		ma, okA := a.(map[string]any)
		mb, okB := b.(map[string]any)
		if okA && okB {
			for k, va := range ma {
				vb, ok := mb[k]
				if !ok {
					out = append(out, p.with(k).String())
					continue
				}
				walk(va, vb, p.with(k))
			}
			for k := range mb {
				if _, ok := ma[k]; !ok {
					out = append(out, p.with(k).String())
				}
			}
			return
		}
		la, okA := a.([]any)
		lb, okB := b.([]any)
		if okA && okB && len(la) == len(lb) {
			for i := range la {
				walk(la[i], lb[i], p.with(i))
			}
			return
		}
		if !assert.ObjectsAreEqual(a, b) {
			out = append(out, p.String())
		}
	}
	walk(a, b, nil)
	return out
}

func TestSiteNamesTheSchemaThatDeclaresAValue(t *testing.T) {
	g := New(loadToy(t), 1)
	doc := toyDoc()
	tests := []struct{ path, site string }{
		{"name", "Root.name"},
		{"pet.lives", "Cat.lives"},
		{"tags[0]", "Root.tags[]"},
		{"extra.k", "Root.extra.*"},
		{"", "Root"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" is declared at "+tt.site, func(t *testing.T) {
			assert.Equal(t, tt.site, g.Site("Root", doc, ParsePath(tt.path)))
		})
	}
}

func TestPathsSpellAndParseAsFieldErrorsDo(t *testing.T) {
	tests := []struct {
		path Path
		text string
	}{
		{Path{"assistant", "model", "tools", 0, "function", "name"}, "assistant.model.tools[0].function.name"},
		{Path{"messages", 1, "content"}, "messages[1].content"},
		{Path{"a", 0, 2}, "a[0][2]"},
		{nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.text, tt.path.String())
			assert.Equal(t, tt.path, ParsePath(tt.text))
		})
	}
}
