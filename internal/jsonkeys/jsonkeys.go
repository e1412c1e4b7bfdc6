// Package jsonkeys finds the JSON properties that a Go value does not carry.
//
// It answers one question two ways, for the cassette guard tests: [Dropped]
// lists the properties of a recorded request that the SDK's request types
// do not know, and [Lost] whether a recorded response survives a decode
// and re-encode through the SDK's types without losing a field those
// types declare. Only tests use it (vapitest finds unknown properties
// with the types' own Validate); it has no dependency on the SDK.
package jsonkeys

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Path is the location of a JSON value: object keys and array indexes (as
// decimal strings) from the root.
type Path []string

// String renders the path the way the SDK's FieldError does:
// "assistant.voice.provider", "messages[1].content".
func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		if isIndex(s) {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s != "" && s[0] != '-' && s[0] != '+'
}

// Dropped decodes raw, re-encodes v (the value raw was decoded into) with
// encoding/json, and returns the path of every object key present in raw but
// absent from the re-encoded value, recursing into objects and arrays: the
// properties that v's type does not know. The result is sorted.
//
// A key whose raw value is empty (null, "", 0, false, {} or []) may be absent
// only because its Go field is tagged omitempty; it is reported only when v
// demonstrably has no such field (found by walking v with reflection).
func Dropped(raw []byte, v any) ([]Path, error) {
	return diff(raw, v, func(empty bool, f fieldState) bool {
		return !empty || f == lacks
	})
}

// Lost is Dropped restricted to properties that v's type declares: those
// that a decode and re-encode lost although v has a field for them. Keys
// that v's type does not know at all (a newer API's fields) are not lost.
func Lost(raw []byte, v any) ([]Path, error) {
	return diff(raw, v, func(empty bool, f fieldState) bool {
		return !empty && f == has
	})
}

// fieldState says whether a Go value has a place for a JSON key.
type fieldState int

const (
	cannotTell fieldState = iota // v could not be inspected there
	has                          // a struct field of that name, or a map
	lacks                        // a struct without such a field
)

func diff(raw []byte, v any, report func(empty bool, f fieldState) bool) ([]Path, error) {
	var a any
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, err
	}
	back, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var b any
	if err := json.Unmarshal(back, &b); err != nil {
		return nil, err
	}
	w := walker{report: report}
	w.walk(a, b, reflect.ValueOf(v))
	return w.out, nil
}

// walker compares two decoded documents. It keeps the path to the current
// value as one stack that each level pushes to and pops from, and copies it
// only to report a key: a walk costs time linear in the documents, however
// deep they nest (copying the path at every level made a body nested 8,000
// deep cost seconds).
type walker struct {
	path   Path
	report func(empty bool, f fieldState) bool
	out    []Path
}

// add reports the path to member k of the current value.
func (w *walker) add(k string) {
	p := make(Path, len(w.path)+1)
	copy(p, w.path)
	p[len(w.path)] = k
	w.out = append(w.out, p)
}

func (w *walker) walk(a, b any, rv reflect.Value) {
	rv = indirect(rv)
	switch a := a.(type) {
	case map[string]any:
		bm, _ := b.(map[string]any)
		keys := make([]string, 0, len(a))
		for k := range a {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			child, state := member(rv, k)
			bv, ok := bm[k]
			if !ok {
				if w.report(isEmpty(a[k]), state) {
					w.add(k)
				}
				continue
			}
			w.path = append(w.path, k)
			w.walk(a[k], bv, child)
			w.path = w.path[:len(w.path)-1]
		}
	case []any:
		bs, _ := b.([]any)
		for i, av := range a {
			idx := strconv.Itoa(i)
			if i >= len(bs) {
				w.add(idx)
				continue
			}
			var child reflect.Value
			if rv.IsValid() && (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && i < rv.Len() {
				child = rv.Index(i)
			}
			w.path = append(w.path, idx)
			w.walk(av, bs[i], child)
			w.path = w.path[:len(w.path)-1]
		}
	}
}

// indirect follows pointers and interfaces to the value underneath.
func indirect(rv reflect.Value) reflect.Value {
	for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) {
		if rv.IsNil() {
			return reflect.Value{}
		}
		rv = rv.Elem()
	}
	return rv
}

// member returns the value that JSON key k of rv decodes into, and whether
// rv has a place for k.
func member(rv reflect.Value, k string) (reflect.Value, fieldState) {
	if !rv.IsValid() {
		return reflect.Value{}, cannotTell
	}
	switch rv.Kind() {
	case reflect.Struct:
		if f, ok := field(rv, k); ok {
			return f, has
		}
		return reflect.Value{}, lacks
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return reflect.Value{}, cannotTell
		}
		return rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())), has
	default:
		return reflect.Value{}, cannotTell
	}
}

// field finds the struct field that encoding/json maps to key k, looking
// into embedded structs.
func field(rv reflect.Value, k string) (reflect.Value, bool) {
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if ev := indirect(rv.Field(i)); ev.IsValid() && ev.Kind() == reflect.Struct {
				if v, ok := field(ev, k); ok {
					return v, true
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == k {
			return rv.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case float64:
		return v == 0
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}
