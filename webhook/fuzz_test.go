package webhook_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// FuzzParse checks that Parse never panics, and that a message it accepts
// marshals back to JSON equivalent to the body's message: for an unknown
// type, the same JSON; for a typed message, the same members with the same
// values, except members the SDK's types do not know (the one documented
// loss) and a date-time spelt differently for the same instant.
//
//	go test ./webhook -run '^$' -fuzz FuzzParse -fuzztime 1m
func FuzzParse(f *testing.F) {
	fixture, err := os.ReadFile("testdata/session-created.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(fixture),
		minimalCreated,
		`{"message":{"type":"session.updated","session":` + sessionJSON + `}}`,
		`{"message":{"type":"session.deleted","session":` + sessionJSON + `}}`,
		`{"message":{"type":"chat.created","chat":` + chatJSON + `}}`,
		`{"message":{"type":"chat.deleted","chat":` + chatJSON + `}}`,
		`{"message":{"type":"status-update","status":"ended","call":{"id":"c"}}}`,
		`{"message":{"type":""}}`,
		`{"message":{"type":"x","a":[1,2,{"b":null}]}, "other": "\u00e9"}`,
		`{"message":{"session":{}}}`,
		`{"message":null}`,
		`[]`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := webhook.Parse(body)
		if err != nil {
			if msg != nil {
				t.Fatalf("Parse returned a message and an error: %T, %v", msg, err)
			}
			return
		}
		if msg == nil {
			t.Fatal("Parse returned neither a message nor an error")
		}
		// What the message was, read with encoding/json. Parse accepted it,
		// so encoding/json must agree it is a JSON object.
		var body1 struct{ Message json.RawMessage }
		if err := json.Unmarshal(body, &body1); err != nil {
			t.Fatalf("Parse accepted a body encoding/json rejects: %v", err)
		}
		out, err := json.Marshal(msg)
		if err != nil {
			t.Fatalf("an accepted %T does not marshal: %v", msg, err)
		}
		if hasDuplicateNames(body1.Message) {
			// RFC 8259: names should be unique. encoding/json keeps the
			// last of a repeated name; the SDK reads a discriminator from
			// the first. Which one "the input" means is not defined.
			return
		}
		in, got := decodeAny(t, body1.Message), decodeAny(t, out)
		if _, unknown := msg.(*vapi.UnknownServerMessage); unknown {
			if !reflect.DeepEqual(in, got) {
				t.Fatalf("an unknown message did not marshal back to its JSON:\n in: %s\nout: %s", body1.Message, out)
			}
			return
		}
		if path, ok := subset(got, in); !ok {
			t.Fatalf("%T marshals a member at %s that differs from the input:\n in: %s\nout: %s", msg, path, body1.Message, out)
		}
		// And what it marshals parses again to the same thing.
		again, err := webhook.Parse(append(append([]byte(`{"message":`), out...), '}'))
		if err != nil {
			t.Fatalf("the marshalled %T does not parse: %v\n%s", msg, err, out)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("marshal, parse, marshal is not stable (%v):\n%s\n%s", err, out, out2)
		}
	})
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

// subset reports whether every member of out is in in with an equal value
// (objects recursively, arrays element by element, date-times as instants),
// and if not, where the first difference is. A member of out that in lacks
// is allowed when it is a zero value: a required member is a Go value and
// always marshalled, as API.md says.
func subset(out, in any) (string, bool) {
	switch o := out.(type) {
	case map[string]any:
		i, ok := in.(map[string]any)
		if !ok {
			return "", false
		}
		for k, v := range o {
			iv, present := i[k]
			if !present {
				if isZero(v) {
					continue // a required member the input lacks
				}
				return k, false
			}
			if p, ok := subset(v, iv); !ok {
				return k + "." + p, false
			}
		}
		return "", true
	case []any:
		i, ok := in.([]any)
		if !ok || len(i) != len(o) {
			return "", false
		}
		for n := range o {
			if p, ok := subset(o[n], i[n]); !ok {
				return "[" + strconv.Itoa(n) + "]." + p, false
			}
		}
		return "", true
	case string:
		if s, ok := in.(string); ok && s != o {
			a, errA := time.Parse(time.RFC3339Nano, o)
			b, errB := time.Parse(time.RFC3339Nano, s)
			return "", errA == nil && errB == nil && a.Equal(b)
		}
		return "", reflect.DeepEqual(out, in)
	default:
		return "", reflect.DeepEqual(out, in)
	}
}

// isZero reports whether v is the JSON of a Go zero value: "", 0, false,
// the zero time, null (a nil map or slice), or an object of zero values.
func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true // a nil map or slice
	case string:
		return x == "" || x == "0001-01-01T00:00:00Z"
	case float64:
		return x == 0
	case bool:
		return !x
	case map[string]any:
		for _, m := range x {
			if !isZero(m) {
				return false
			}
		}
		return true
	}
	return false
}

// hasDuplicateNames reports whether an object anywhere in the JSON document
// b has the same member name twice.
func hasDuplicateNames(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	type level struct {
		names  map[string]bool
		object bool
		key    bool // the next string token of this object is a name
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				if top >= 0 && stack[top].object {
					stack[top].key = true
				}
				stack = append(stack, level{names: map[string]bool{}, object: true, key: true})
			case '[':
				if top >= 0 && stack[top].object {
					stack[top].key = true
				}
				stack = append(stack, level{})
			default:
				stack = stack[:top]
			}
			continue
		}
		if top < 0 || !stack[top].object {
			continue
		}
		if stack[top].key {
			name := tok.(string)
			if stack[top].names[name] {
				return true
			}
			stack[top].names[name] = true
			stack[top].key = false
			continue
		}
		stack[top].key = true
	}
}
