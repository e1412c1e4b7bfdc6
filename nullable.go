package vapi

import (
	"encoding/json"
	"fmt"
)

// Nullable is a field the API allows to be null: it tells apart a member
// that is absent, one that is null, and one that has a value, in requests
// and in responses. The zero value is absent, and marshalling omits it;
// [Null] makes a null ("send null to clear") and [NullableOf] a value.
//
//	msg := vapi.OpenAIMessage{Role: vapi.OpenAIMessageRoleAssistant, Content: vapi.Null[string]()}
//	// {"role":"assistant","content":null}
type Nullable[T any] struct {
	value T
	state nullState
}

type nullState uint8

const (
	absent nullState = iota
	null
	present
)

// Null returns a Nullable that is sent as null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: null} }

// NullableOf returns a Nullable that is sent as v.
func NullableOf[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: present} }

// IsNull reports whether n is null.
func (n Nullable[T]) IsNull() bool { return n.state == null }

// IsSet reports whether n is present, as a value or as null.
func (n Nullable[T]) IsSet() bool { return n.state != absent }

// Get returns n's value, and false when n is absent or null.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == present }

// String formats n as its value, "null" or "absent".
func (n Nullable[T]) String() string {
	switch n.state {
	case null:
		return "null"
	case present:
		return fmt.Sprint(n.value)
	}
	return "absent"
}

// GoString formats n as Go code that builds it.
func (n Nullable[T]) GoString() string {
	switch n.state {
	case null:
		return fmt.Sprintf("vapi.Null[%T]()", n.value)
	case present:
		return fmt.Sprintf("vapi.NullableOf(%#v)", n.value)
	}
	return fmt.Sprintf("vapi.Nullable[%T]{}", n.value)
}

// MarshalJSON writes null or the value. An absent Nullable also marshals as
// null on its own; as a field of an SDK type it is omitted.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != present {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null or a value; either way n is then set.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = NullableOf(v)
	return nil
}
