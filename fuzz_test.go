package vapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/govapi/vapi"
)

// FuzzDecodeSession decodes arbitrary bytes into a Session. It must never
// panic, must reject what encoding/json rejects as malformed, and what it
// accepts must marshal back to a sub-document of the input: every member it
// writes is in the input with an equal value (or is a zero value the input
// left out). That holds the one-pass decoder to encoding/json's reading of
// the same bytes.
func FuzzDecodeSession(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"messages":[{"role":"tool","content":"x","tool_call_id":"1"},null,7]}`))
	f.Add([]byte(`{"costs":[{"type":"model","model":{"provider":"openai"}}],"status":"\u00e9"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var s vapi.Session
		err := json.Unmarshal(in, &s)
		if !json.Valid(in) {
			if err == nil {
				t.Fatalf("malformed input %q decoded without error", in)
			}
			return
		}
		if err != nil || hasDuplicateKeys(in) {
			// Well-formed but of the wrong shape; or with a member name
			// twice, where the SDK reads a union's discriminator from the
			// first occurrence and encoding/json keeps the last.
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			// Only a timestamp outside years 0–9999 cannot be written back.
			return
		}
		var src, got any
		if err := json.Unmarshal(in, &src); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("Session marshalled to invalid JSON %q: %v", out, err)
		}
		if p := subDocument(got, src, "$"); p != "" {
			t.Fatalf("input %s\nre-encoded %s\ndiffers at %s", in, out, p)
		}
	})
}

// hasDuplicateKeys reports whether some object in b names a member twice.
func hasDuplicateKeys(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		obj  bool
		keys map[string]bool
		key  bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if top != nil && top.obj {
				top.key = true
			}
			stack = append(stack, &frame{obj: tok == json.Delim('{'), keys: map[string]bool{}, key: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			continue
		}
		if top == nil || !top.obj {
			continue
		}
		if top.key {
			k := tok.(string)
			if top.keys[k] {
				return true
			}
			top.keys[k] = true
			top.key = false
		} else {
			top.key = true
		}
	}
}

// subDocument returns "" when every member of got is in src with an equal
// value, else the path of the first difference.
func subDocument(got, src any, path string) string {
	switch g := got.(type) {
	case map[string]any:
		s, ok := src.(map[string]any)
		if !ok {
			if isZero(g) {
				return ""
			}
			return path
		}
		for k, gv := range g {
			sv, present := s[k]
			if !present || sv == nil {
				if isZero(gv) {
					continue
				}
				return path + "." + k
			}
			if p := subDocument(gv, sv, path+"."+k); p != "" {
				return p
			}
		}
		return ""
	case []any:
		s, ok := src.([]any)
		if !ok || len(s) != len(g) {
			return path
		}
		for i := range g {
			if g[i] == nil && s[i] == nil {
				continue
			}
			if p := subDocument(g[i], s[i], path+"[]"); p != "" {
				return p
			}
		}
		return ""
	case string:
		if s, ok := src.(string); ok && sameTime(g, s) {
			return ""
		}
	}
	if reflect.DeepEqual(got, src) || (isZero(got) && src == nil) {
		return ""
	}
	return path
}

func sameTime(a, b string) bool {
	if a == b {
		return true
	}
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	return errA == nil && errB == nil && ta.Equal(tb)
}

func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == "" || v == "0001-01-01T00:00:00Z"
	case float64:
		return v == 0
	case bool:
		return !v
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, x := range v {
			if !isZero(x) {
				return false
			}
		}
		return true
	}
	return false
}
