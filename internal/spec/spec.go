package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Spec is the part of an OpenAPI 3 document the generator reads.
type Spec struct {
	Components struct {
		Schemas map[string]*Schema `json:"schemas"`
	} `json:"components"`
	// Paths maps a path and a method ("get", "post", …) to the operation.
	Paths map[string]map[string]*Operation `json:"paths"`
}

// Operation is one operation of the API, as far as the generator reads it.
type Operation struct {
	Summary     string `json:"summary"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *Schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *Schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

// Schema is a JSON Schema object as OpenAPI 3.0 writes it.
type Schema struct {
	Ref                  string          `json:"$ref"`
	Type                 string          `json:"type"`
	Format               string          `json:"format"`
	Description          string          `json:"description"`
	Title                string          `json:"title"`
	Enum                 []any           `json:"enum"`
	Properties           Properties      `json:"properties"`
	Required             []string        `json:"required"`
	Items                *Schema         `json:"items"`
	AllOf                []*Schema       `json:"allOf"`
	OneOf                []*Schema       `json:"oneOf"`
	AnyOf                []*Schema       `json:"anyOf"`
	AdditionalProperties *Schema         `json:"-"`
	RawAdditional        json.RawMessage `json:"additionalProperties"`
	Minimum              *float64        `json:"minimum"`
	Maximum              *float64        `json:"maximum"`
	MinLength            *int            `json:"minLength"`
	MaxLength            *int            `json:"maxLength"`
	MinItems             *int            `json:"minItems"`
	MaxItems             *int            `json:"maxItems"`
	Pattern              string          `json:"pattern"`
	Nullable             bool            `json:"nullable"`
	Deprecated           bool            `json:"deprecated"`
	Discriminator        *struct {
		PropertyName string            `json:"propertyName"`
		Mapping      map[string]string `json:"mapping"`
	} `json:"discriminator"`
}

// Property is one named property, in the order the spec lists it.
type Property struct {
	Name   string
	Schema *Schema
}

// Properties keeps the spec's property order, so output follows it.
type Properties []Property

// UnmarshalJSON reads an object of schemas keeping member order.
func (p *Properties) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var s Schema
		if err := dec.Decode(&s); err != nil {
			return err
		}
		*p = append(*p, Property{Name: tok.(string), Schema: &s})
	}
	_, err := dec.Token()
	return err
}

// Load reads and parses the spec file.
func Load(file string) (*Spec, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, sch := range s.Components.Schemas {
		Walk(sch, func(x *Schema) {
			if len(x.RawAdditional) > 0 && x.RawAdditional[0] == '{' {
				x.AdditionalProperties = new(Schema)
				if err == nil {
					err = json.Unmarshal(x.RawAdditional, x.AdditionalProperties)
				}
			}
		})
	}
	return &s, err
}

// Walk calls fn on s and every schema nested in it.
func Walk(s *Schema, fn func(*Schema)) {
	if s == nil {
		return
	}
	fn(s)
	for _, p := range s.Properties {
		Walk(p.Schema, fn)
	}
	Walk(s.Items, fn)
	Walk(s.AdditionalProperties, fn)
	for _, l := range [][]*Schema{s.AllOf, s.OneOf, s.AnyOf} {
		for _, x := range l {
			Walk(x, fn)
		}
	}
}

// RefName returns the schema name a $ref points to.
func RefName(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

// Deref follows a lone allOf wrapper ({allOf: [{$ref}]}), the spec's way of
// attaching a description to a reference.
func Deref(s *Schema) *Schema {
	if s.Ref == "" && len(s.AllOf) == 1 && s.AllOf[0].Ref != "" && len(s.OneOf) == 0 {
		return s.AllOf[0]
	}
	return s
}
