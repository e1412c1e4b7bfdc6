package vapi

import (
	"slices"

	"github.com/govapi/vapi/internal/jsonwire"
)

// The generated codecs call these helpers for what every type does the same
// way, so that each type's code says only what is particular to it.

// encoder is implemented by every generated type: it writes the value with
// jsonwire, so that nested values are encoded in one pass.
type encoder interface {
	encode(e *jsonwire.Encoder)
}

// decoder is implemented by the generated structs.
type decoder interface {
	decode(d *jsonwire.Decoder)
}

// marshalValue encodes a generated value.
func marshalValue(v encoder) ([]byte, error) {
	var e jsonwire.Encoder
	v.encode(&e)
	return e.Bytes()
}

// unmarshalValue decodes a whole document into a generated struct.
func unmarshalValue(b []byte, v decoder) error {
	d := jsonwire.NewDecoder(b)
	v.decode(&d)
	return d.End()
}

// encodeAny writes a union value, or null for nil.
func encodeAny(e *jsonwire.Encoder, v encoder) {
	if v == nil {
		e.Null()
		return
	}
	v.encode(e)
}

// decodeStruct decodes an object into a T; null decodes as the zero T.
func decodeStruct[T any, P interface {
	*T
	decoder
}](d *jsonwire.Decoder) T {
	var v T
	P(&v).decode(d)
	return v
}

// decodeStructs decodes an array of objects; null decodes as nil.
func decodeStructs[T any, P interface {
	*T
	decoder
}](d *jsonwire.Decoder) []T {
	if d.Null() || !d.Array() {
		return nil
	}
	s := []T{}
	for n := 0; d.Elem(n); n++ {
		var zero T
		s = append(s, zero)
		P(&s[len(s)-1]).decode(d)
	}
	return s
}

// encodeStructs writes an array of structs; nil is written as null.
func encodeStructs[T any, P interface {
	*T
	encoder
}](e *jsonwire.Encoder, s []T) {
	if s == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for i := range s {
		P(&s[i]).encode(e)
	}
	e.EndArray()
}

// decodeList decodes an array whose elements f reads; null decodes as nil.
func decodeList[T any](d *jsonwire.Decoder, f func(*jsonwire.Decoder) T) []T {
	if d.Null() || !d.Array() {
		return nil
	}
	s := []T{}
	for n := 0; d.Elem(n); n++ {
		s = append(s, f(d))
	}
	return s
}

// encodeList writes an array of union values (nil ones as null); nil is
// written as null.
func encodeList[T encoder](e *jsonwire.Encoder, s []T) {
	if s == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for _, v := range s {
		encodeAny(e, v)
	}
	e.EndArray()
}

// encodeSlice writes an array whose elements f writes; nil is written as
// null.
func encodeSlice[T any](e *jsonwire.Encoder, s []T, f func(*jsonwire.Encoder, T)) {
	if s == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for _, v := range s {
		f(e, v)
	}
	e.EndArray()
}

// decodeMapOf decodes an object whose values f reads; null decodes as nil.
func decodeMapOf[T any](d *jsonwire.Decoder, f func(*jsonwire.Decoder) T) map[string]T {
	if !d.Open() {
		return nil
	}
	m := map[string]T{}
	for n := 0; d.Field(n); n++ {
		k := string(d.Key())
		m[k] = f(d)
	}
	return m
}

// encodeMapOf writes an object whose values f writes, keys sorted as
// encoding/json sorts them; nil is written as null.
func encodeMapOf[T any](e *jsonwire.Encoder, m map[string]T, f func(*jsonwire.Encoder, T)) {
	if m == nil {
		e.Null()
		return
	}
	if !e.Object() {
		return
	}
	for _, k := range jsonwire.SortedKeys(m) {
		e.KeyString(k)
		f(e, m[k])
	}
	e.EndObject()
}

// decodeOptEnum reads an enum value into a new pointer, known values
// without allocating a string; null reads as nil.
func decodeOptEnum[T ~string](d *jsonwire.Decoder, known []string) *T {
	if d.Null() {
		return nil
	}
	v := T(d.StringIn(known))
	return &v
}

// encodeEnum writes an enum value.
func encodeEnum[T ~string](e *jsonwire.Encoder, v T) { e.String(string(v)) }

// decodeEnums reads an array of enum values; null reads as nil.
func decodeEnums[T ~string](d *jsonwire.Decoder, known []string) []T {
	if d.Null() || !d.Array() {
		return nil
	}
	s := []T{}
	for n := 0; d.Elem(n); n++ {
		s = append(s, T(d.StringIn(known)))
	}
	return s
}

// encodeEnums writes an array of enum values; nil is written as null.
func encodeEnums[T ~string](e *jsonwire.Encoder, s []T) {
	encodeSlice(e, s, encodeEnum[T])
}

// decodeNullable reads null, or a value with f; either way the result is
// set.
func decodeNullable[T any](d *jsonwire.Decoder, f func(*jsonwire.Decoder) T) Nullable[T] {
	if d.Null() {
		return Null[T]()
	}
	return NullableOf(f(d))
}

// encodeNullable writes null, or the value with f.
func encodeNullable[T any](e *jsonwire.Encoder, n Nullable[T], f func(*jsonwire.Encoder, T)) {
	if v, ok := n.Get(); ok {
		f(e, v)
		return
	}
	e.Null()
}

// encodeRaw writes the JSON kept for a union alternative the SDK does not
// know, after checking that it is exactly one JSON value and, for a union
// with a discriminator, an object carrying it; otherwise it records the
// error and writes null, so bytes are never spliced into a body unchecked.
func encodeRaw(e *jsonwire.Encoder, raw []byte, disc string) {
	if err := jsonwire.Valid(raw, disc); err != nil {
		e.Fail(err)
		e.Null()
		return
	}
	e.Raw(raw)
}

// marshalRaw is MarshalJSON of the Unknown… types.
func marshalRaw(raw []byte, disc string) ([]byte, error) {
	if err := jsonwire.Valid(raw, disc); err != nil {
		return nil, err
	}
	return raw, nil
}

// isKnown reports whether v is in the sorted list of an enum's values.
func isKnown(sorted []string, v string) bool {
	if len(sorted) <= 8 {
		for _, s := range sorted {
			if s == v {
				return true
			}
		}
		return false
	}
	_, found := slices.BinarySearch(sorted, v)
	return found
}
