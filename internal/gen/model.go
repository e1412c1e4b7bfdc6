package main

import (
	"github.com/govapi/vapi/internal/spec"

	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kind is the shape of a Go type the generator emits.
type Kind int

// The kinds of types.
const (
	KString Kind = iota
	KFloat
	KInt
	KBool
	KTime
	KTimestamp // a number of milliseconds or an RFC 3339 string
	KAny       // any JSON value
	KMapAny    // free-form object: map[string]any
	KEnum
	KStruct
	KUnion
	KArray
	KMap // additionalProperties: map[string]Elem
)

// Type is a use of a type at one place (a field, an array element, a map
// value), with the constraints the spec puts on that place.
type Type struct {
	Kind  Kind
	Name  string // Go name of an enum, struct or union
	Elem  *Type  // array element or map value
	Check Check
}

// Check holds the constraints to validate at one place.
type Check struct {
	MinLen, MaxLen     *int
	Min, Max           *float64
	MinItems, MaxItems *int
	Pattern            string // as the spec writes it: a JavaScript regexp, maybe /…/flags
	ClosedEnum         bool   // enum membership is checked
	JSONText           bool   // a string of JSON text that may come as the JSON value itself
	FreeText           bool   // the enum also accepts any string (a free-text alternative)
}

func (c Check) any() bool {
	return c.MinLen != nil || c.MaxLen != nil || c.Min != nil || c.Max != nil ||
		c.MinItems != nil || c.MaxItems != nil || c.Pattern != "" || c.ClosedEnum
}

// Field is one property of a struct.
type Field struct {
	JSON     string
	Go       string
	Doc      string
	Type     *Type
	Required bool
	Pointer  bool // optional scalar or struct: *T
	Nullable bool // Nullable[T]: absent, null or a value
	// MayBeAbsent marks a required field that Vapi sends and accepts
	// without: validation of a decoded value lets it be absent.
	MayBeAbsent bool
}

// Const is a discriminator property written by marshalling.
type Const struct {
	JSON, Value string
}

// Struct is an object schema.
type Struct struct {
	Name   string
	Schema string // spec name
	Doc    string
	Fields []*Field
	Consts []Const
	// Discs are fields that hold a discriminator of several allowed values,
	// with the value marshalling writes when the field is empty.
	Discs  []Const
	Unions []string // unions it is an alternative of
	// Open marks an object schema that declares no properties: a named
	// map[string]any that keeps whatever it is given.
	Open bool
	// Alias names the struct this one is an alias of (Fallback<X> of
	// <X>), which has the Excluded fields besides.
	Alias    string
	Excluded []string
	// RefDoc is the description of a property that holds the struct, for
	// its doc comment when the schema has none; AltOf names the unions it
	// is an alternative of, with its discriminator value.
	RefDoc string
	AltOf  []string
	Ops    []string // the operations it is the body of
	// Check names a hand-written method that validates rules the spec
	// states in prose.
	Check string
}

// Alt is one alternative of a union.
type Alt struct {
	JSONKind byte   // '{', '"', '0', 't' (boolean), '['
	Type     *Type  // the alternative's Go type (struct, or a scalar alt type)
	Disc     string // discriminator value for objects
	// More are further discriminator values of the same alternative,
	// whose struct then keeps the discriminator as a field.
	More []string
	// Prefix marks an alternative whose value may also be written with
	// options, value[name=…].
	Prefix bool
	GoName string // Go name of the alternative type
	Schema string // spec schema of an object alternative
	// Excluded are fields of the alternative's Go type that the
	// alternative's schema lacks (it is an alias): they must be unset.
	Excluded []string
}

// Union is a oneOf: a sealed interface.
type Union struct {
	Name    string
	Doc     string
	Disc    string // discriminator property for object alternatives
	Alts    []*Alt
	Unknown string
	Sites   []string
	// Ties settles alternatives sharing a discriminator value (from the
	// override table), by value.
	Ties map[string]*spec.Ambiguity
	// Declared marks a union of the override table; Decoder names its
	// exported decoding function.
	Declared bool
	Decoder  string
}

// Enum is a named string type with constants.
type Enum struct {
	Name   string
	Doc    string
	Values []string
	Union  string // set when the enum is the string alternative of a union
	Sites  []string
	// SiteDoc is the description of the property at its first site.
	SiteDoc string
}

// ScalarAlt is a named non-string scalar or array type that is one
// alternative of a union.
type ScalarAlt struct {
	Name  string
	Union string
	Base  *Type
}

// Model is everything the generator emits.
type Model struct {
	Structs    map[string]*Struct
	Unions     map[string]*Union
	Enums      map[string]*Enum
	ScalarAlts map[string]*ScalarAlt
	// Validated lists the structs reachable from request bodies whose
	// subtree has something to check.
	Validated map[string]bool
	Requests  map[string]bool
	// Exported are the request bodies, which get an exported Validate.
	Exported map[string]bool
	// Schemas holds each schema's required properties, by schema name.
	Schemas map[string]map[string]bool
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// goType spells the Go type of t; pointer adds a star where the field is an
// optional scalar or struct.
func (m *Model) goType(t *Type) string {
	switch t.Kind {
	case KString:
		return "string"
	case KFloat:
		return "float64"
	case KInt:
		return "int64"
	case KBool:
		return "bool"
	case KTime:
		return "time.Time"
	case KTimestamp:
		return "Timestamp"
	case KAny:
		return "any"
	case KMapAny:
		return "map[string]any"
	case KEnum, KStruct, KUnion:
		return t.Name
	case KArray:
		return "[]" + m.goType(t.Elem)
	case KMap:
		return "map[string]" + m.goType(t.Elem)
	}
	panic(fmt.Sprintf("unknown kind %d", t.Kind))
}

// docComment formats the first paragraph of a description as a comment.
func docComment(indent, lead, desc string) string {
	text := strings.TrimSpace(lead)
	if p := firstParagraph(desc); p != "" {
		if text != "" {
			text += " "
		}
		text += p
	}
	if text == "" {
		return ""
	}
	var b strings.Builder
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > 76 {
			b.WriteString(indent + "// " + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		b.WriteString(indent + "// " + line + "\n")
	}
	return b.String()
}

func firstParagraph(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}
