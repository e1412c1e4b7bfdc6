package specgen

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Path is a JSON path into a document: object keys (string) and array
// indexes (int).
type Path []any

// String spells the path as the SDK's FieldError does:
// "assistant.model.tools[0].function.name".
func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s))
			b.WriteByte(']')
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

func (p Path) with(step any) Path {
	return append(slices.Clip(p), step)
}

// within reports whether p is q or a path inside it.
func (p Path) within(q Path) bool {
	if len(p) < len(q) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// ParsePath reads a path spelt as Path.String spells it. Keys that contain
// '.' or '[' cannot be told apart from steps; such paths read wrongly.
func ParsePath(s string) Path {
	var p Path
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(p, s)
			}
			i, err := strconv.Atoi(s[1:end])
			if err != nil {
				p = append(p, s[1:end])
			} else {
				p = append(p, i)
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, s[:end])
			s = s[end:]
		}
	}
	return p
}

// At returns the value at path in doc, and whether it is there.
func At(doc any, path Path) (any, bool) {
	for _, step := range path {
		switch d := doc.(type) {
		case map[string]any:
			k, ok := step.(string)
			if !ok {
				return nil, false
			}
			if doc, ok = d[k]; !ok {
				return nil, false
			}
		case []any:
			i, ok := step.(int)
			if !ok || i < 0 || i >= len(d) {
				return nil, false
			}
			doc = d[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// replace returns doc with the value at path set to v, or removed when
// remove is set. Containers along the path are copied; the rest is shared.
func replace(doc any, path Path, v any, remove bool) any {
	if len(path) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		k := path[0].(string)
		c := maps.Clone(d)
		if len(path) == 1 && remove {
			delete(c, k)
		} else {
			c[k] = replace(d[k], path[1:], v, remove)
		}
		return c
	case []any:
		i := path[0].(int)
		c := slices.Clone(d)
		c[i] = replace(d[i], path[1:], v, remove)
		return c
	}
	panic("specgen: path " + path.String() + " runs through a scalar")
}

// Site names where the value at path, in a valid document of the named
// schema, is declared: "ElevenLabsVoice.stability", "CreateSessionDTO.messages[]".
// Unions are resolved the way the API resolves them. Inside free-form
// values it names the nearest declared member, followed by ".*".
func (g *Generator) Site(schemaName string, doc any, path Path) string {
	s, at, v := g.schema(schemaName), site{parent: schemaName}, doc
	for _, step := range path {
		r, name := g.resolve(s)
		if len(r.OneOf) > 0 {
			a, ok := g.altFor(g.unionOf(r), v, at)
			if !ok {
				return at.String()
			}
			r, name = a.schema, a.name
		}
		switch step := step.(type) {
		case string:
			obj, _ := v.(map[string]any)
			v = obj[step]
			if p := property(r, step); p != nil {
				if name == "" {
					name = at.String()
				}
				s, at = p, site{name, step}
			} else if r.AdditionalProperties != nil {
				s, at = r.AdditionalProperties, at.values()
			} else {
				return at.String() + ".*"
			}
		case int:
			arr, _ := v.([]any)
			if step < 0 || step >= len(arr) || r.Items == nil {
				return at.String() + ".*"
			}
			s, at, v = r.Items, at.items(), arr[step]
		}
	}
	return at.String()
}
