package main

import (
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// Placeholders of minimal instances: the fake replaces a top-level member
// holding zeroUUID or epoch with an id or the current time.
const (
	zeroUUID = "00000000-0000-0000-0000-000000000000"
	epoch    = "1970-01-01T00:00:00.000Z"
)

// maxDepth bounds the recursion of minimal through required references.
const maxDepth = 12

// minimal is the smallest JSON value that s accepts: an object with its
// required properties only, each minimal; the first enum value; the
// minimum of a number, else 0; an empty string, or one of minLength
// characters; an array of minItems minimal elements; the first
// alternative of a union. Dates are epoch and UUIDs zeroUUID.
func minimal(api *API, s *spec.Schema, depth int) any {
	if s == nil || depth > maxDepth {
		return nil
	}
	s = spec.Deref(s)
	if s.Ref != "" {
		return minimal(api, api.Schemas[spec.RefName(s.Ref)], depth+1)
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	if len(s.OneOf) > 0 {
		return minimal(api, s.OneOf[0], depth+1)
	}
	if len(s.AnyOf) > 0 {
		return minimal(api, s.AnyOf[0], depth+1)
	}
	if len(s.AllOf) > 0 {
		obj := map[string]any{}
		for _, part := range s.AllOf {
			if m, ok := minimal(api, part, depth+1).(map[string]any); ok {
				for k, v := range m {
					obj[k] = v
				}
			}
		}
		for k, v := range objectOf(api, s, depth) {
			obj[k] = v
		}
		return obj
	}
	switch s.Type {
	case "string":
		switch s.Format {
		case "date-time":
			return epoch
		case "uuid":
			return zeroUUID
		case "uri", "url":
			return "https://example.com/"
		case "email":
			return "vapitest@example.com"
		}
		if s.MinLength != nil && *s.MinLength > 0 {
			return strings.Repeat("a", *s.MinLength)
		}
		return ""
	case "number", "integer":
		if s.Minimum != nil {
			return *s.Minimum
		}
		if s.Maximum != nil && *s.Maximum < 0 {
			return *s.Maximum
		}
		return 0
	case "boolean":
		return false
	case "array":
		n := 0
		if s.MinItems != nil {
			n = *s.MinItems
		}
		out := make([]any, 0, n)
		for range n {
			out = append(out, minimal(api, s.Items, depth+1))
		}
		return out
	}
	return objectOf(api, s, depth)
}

func objectOf(api *API, s *spec.Schema, depth int) map[string]any {
	obj := map[string]any{}
	for _, name := range s.Required {
		for _, p := range s.Properties {
			if p.Name == name {
				obj[name] = minimal(api, p.Schema, depth+1)
			}
		}
	}
	return obj
}
