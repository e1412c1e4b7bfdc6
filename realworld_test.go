package vapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/spec"
	"github.com/govapi/vapi/internal/specgen"
)

// realworldDir holds bodies written outside this project: Vapi's
// documentation, recorded calls and third-party fixtures (SOURCES.md says
// where each comes from, manifest.json what it is).
const realworldDir = "../shared/realworld"

// realworldCase is one entry of manifest.json.
type realworldCase struct {
	file        string
	Kind        string   `json:"kind"`
	Origin      string   `json:"origin"`
	Edits       []string `json:"edits"`
	Schema      *string  `json:"schema"`
	RespondsTo  *string  `json:"responds_to"`
	MessageType *string  `json:"message_type"`
}

// realworldKinds are the Go types of the kinds of body that decode into a
// type of their own (server messages and their answers are looked up by
// message type), and whether the body is a request the API accepted.
var realworldKinds = map[string]struct {
	new     func() any
	request bool
}{
	"session":                {func() any { return new(vapi.Session) }, false},
	"chat":                   {func() any { return new(vapi.Chat) }, false},
	"chat_response":          {func() any { return new(vapi.ResponseObject) }, false},
	"chat_stream_event":      {func() any { return new(vapi.ChatStreamEvent) }, false},
	"chat_response_request":  {func() any { return new(vapi.OpenAIResponsesRequest) }, true},
	"create_session_request": {func() any { return new(vapi.CreateSessionRequest) }, true},
	"create_chat_request":    {func() any { return new(vapi.CreateChatRequest) }, true},
}

// realworldTally counts what the real bodies do, for the summary line.
type realworldTally struct {
	cases, decoded, decodeFailed, roundTripped, roundTripFailed int
	validated, validateFailed, untyped                          int
	byCause                                                     map[string]int
}

// TestRealWorldBodies holds the types to what Vapi really sends (API.md v3,
// "What Vapi really sends" and "nothing lost, nothing invented"): every
// body of ../shared/realworld decodes into its Go type, marshals back to
// the same JSON (same members, same values; a date-time may be re-spelt as
// the same instant, numbers are compared as numbers), and a request among
// them passes Validate, since the API accepted it. A server message of one
// of the spec's types decodes as that type, never as UnknownServerMessage.
// Where the documentation elided an object (`{ /* Call Object */ }` became
// `{}`), what Validate says inside that `{}` is the elision's doing and
// is not held against the SDK; the round trip still is.
func TestRealWorldBodies(t *testing.T) {
	cases := loadRealworld(t)
	sp := loadSpecForRealworld(t)
	messages := serverMessageTypes(t, sp)
	tally := &realworldTally{byCause: map[string]int{}}
	for _, c := range cases {
		tally.cases++
		t.Run(c.title(), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(realworldDir, "cases", c.file))
			if err != nil {
				t.Fatal(err)
			}
			switch c.Kind {
			case "server_message":
				checkServerMessage(t, c, body, messages, tally)
			case "server_message_response":
				checkServerMessageResponse(t, c, body, tally)
			default:
				k, ok := realworldKinds[c.Kind]
				if !ok {
					t.Fatalf("%s: manifest kind %q has no Go type in this test", c.file, c.Kind)
				}
				checkBody(t, c, body, k.new(), k.request, tally)
			}
		})
	}
	t.Logf("real-world bodies: %d cases; decode %d ok, %d failed; round trip %d ok, %d failed; Validate of requests %d ok, %d failed; %d without a Go type",
		tally.cases, tally.decoded, tally.decodeFailed, tally.roundTripped, tally.roundTripFailed, tally.validated, tally.validateFailed, tally.untyped)
	causes := make([]string, 0, len(tally.byCause))
	for k := range tally.byCause {
		causes = append(causes, k)
	}
	sort.Slice(causes, func(i, j int) bool {
		if tally.byCause[causes[i]] != tally.byCause[causes[j]] {
			return tally.byCause[causes[i]] > tally.byCause[causes[j]]
		}
		return causes[i] < causes[j]
	})
	for i, k := range causes {
		if i == 40 {
			t.Logf("  … and %d causes more", len(causes)-i)
			break
		}
		t.Logf("  %4d× %s", tally.byCause[k], k)
	}
}

func loadRealworld(t *testing.T) []realworldCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realworldDir, "manifest.json"))
	if err != nil {
		t.Skip("the real-world bodies are not beside the repository:", err)
	}
	var m map[string]realworldCase
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(realworldDir, "cases", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(m) {
		t.Errorf("cases/ holds %d bodies and manifest.json describes %d", len(files), len(m))
	}
	out := make([]realworldCase, 0, len(m))
	for name, c := range m {
		c.file = name
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

func loadSpecForRealworld(t *testing.T) *spec.Spec {
	t.Helper()
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository:", err)
	}
	sp, err := spec.Load(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// title names a case as a sentence: what the body is and where it is.
func (c realworldCase) title() string {
	what := strings.ReplaceAll(c.Kind, "_", " ")
	switch {
	case c.MessageType != nil:
		what = fmt.Sprintf("the %s server message", *c.MessageType)
	case c.RespondsTo != nil:
		what = fmt.Sprintf("the answer to a %s message", *c.RespondsTo)
	}
	return fmt.Sprintf("%s in %s (%s)", what, c.file, c.Origin)
}

// elided reports whether the documentation elided objects of this body,
// leaving `{}` or `[]` where it had a placeholder.
func (c realworldCase) elided() bool {
	for _, e := range c.Edits {
		if strings.Contains(e, "placeholder") {
			return true
		}
	}
	return false
}

// serverMessageTypes maps each message type of the spec's ServerMessage
// union ("end-of-call-report") to its schema (ServerMessageEndOfCallReport),
// from the enum of each alternative's "type" (transcripts have two values).
func serverMessageTypes(t *testing.T, sp *spec.Spec) map[string]string {
	t.Helper()
	root := sp.Components.Schemas["ServerMessage"]
	if root == nil {
		t.Fatal("the spec has no ServerMessage schema")
	}
	var union *spec.Schema
	for _, p := range root.Properties {
		if p.Name == "message" {
			union = spec.Deref(p.Schema)
		}
	}
	if union == nil || len(union.OneOf) == 0 {
		t.Fatal("ServerMessage.message is not a oneOf")
	}
	out := map[string]string{}
	typed := map[string]bool{}
	for _, a := range union.OneOf {
		name := spec.RefName(spec.Deref(a).Ref)
		s := sp.Components.Schemas[name]
		for _, p := range s.Properties {
			if p.Name != "type" {
				continue
			}
			for _, v := range spec.Deref(p.Schema).Enum {
				out[fmt.Sprint(v)] = name
				typed[name] = true
			}
		}
	}
	if len(typed) != len(union.OneOf) {
		t.Fatalf("%d alternatives of ServerMessage.message, %d with a type enum", len(union.OneOf), len(typed))
	}
	return out
}

// checkBody decodes a body into v, marshals it back and compares, and
// validates a request.
func checkBody(t *testing.T, c realworldCase, body []byte, v any, request bool, tally *realworldTally) {
	typ := reflect.TypeOf(v).Elem().Name()
	if !t.Run("decodes into vapi."+typ, func(t *testing.T) {
		if err := json.Unmarshal(body, v); err != nil {
			tally.decodeFailed++
			tally.byCause["decode: "+normalise(err.Error())]++
			t.Fatalf("%s does not decode into vapi.%s: %v", c.file, typ, err)
		}
		tally.decoded++
	}) {
		return
	}
	t.Run("marshals back to the same JSON", func(t *testing.T) {
		out, err := json.Marshal(v)
		if err != nil {
			tally.roundTripFailed++
			tally.byCause["marshal: "+normalise(err.Error())]++
			t.Fatalf("%s decoded into vapi.%s does not marshal: %v", c.file, typ, err)
		}
		compareRoundTrip(t, c, typ, body, out, tally)
	})
	if !request {
		return
	}
	t.Run("passes Validate, as the API accepted it", func(t *testing.T) {
		val, ok := v.(validatable)
		if !ok {
			tally.validateFailed++
			tally.byCause["request type has no Validate method"]++
			t.Fatalf("vapi.%s, the type of a request, has no Validate method", typ)
		}
		checkValidate(t, c, body, val, tally)
	})
}

// checkServerMessage decodes the message member of a webhook body: one of
// the spec's message types must be its own Go type; one the spec does not
// have (the retired "function-call") is an UnknownServerMessage. Both
// marshal back to the message as it came.
func checkServerMessage(t *testing.T, c realworldCase, body []byte, messages map[string]string, tally *realworldTally) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s is not a JSON object: %v", c.file, err)
	}
	raw, ok := env["message"]
	if !ok {
		t.Fatalf("%s has no message member", c.file)
	}
	mt := ""
	if c.MessageType != nil {
		mt = *c.MessageType
	}
	schema, known := messages[mt]
	want := "*vapi.UnknownServerMessage"
	if known {
		st, ok := schemaTypes[schema]
		if !ok {
			t.Fatalf("the spec's %s (type %q) has no Go type", schema, mt)
		}
		want = "*vapi." + st.name
	}
	var msg vapi.ServerMessage
	if !t.Run("decodes as "+want, func(t *testing.T) {
		var err error
		msg, err = vapi.UnmarshalServerMessage(raw)
		if err != nil {
			tally.decodeFailed++
			tally.byCause["decode: "+normalise(err.Error())]++
			t.Fatalf("%s: the %s message does not decode: %v", c.file, mt, err)
		}
		got := fmt.Sprintf("%T", msg)
		if got != want {
			tally.decodeFailed++
			tally.byCause[fmt.Sprintf("decode: a %s message became %s", mt, got)]++
			detail := ""
			if u, ok := msg.(*vapi.UnknownServerMessage); ok {
				detail = fmt.Sprintf(" (Type %q)", u.Type)
			}
			t.Fatalf("%s: the %s message decodes as %s%s, want %s", c.file, mt, got, detail, want)
		}
		tally.decoded++
	}) {
		return
	}
	t.Run("marshals back to the same message", func(t *testing.T) {
		out, err := json.Marshal(msg)
		if err != nil {
			tally.roundTripFailed++
			tally.byCause["marshal: "+normalise(err.Error())]++
			t.Fatalf("%s: the decoded %s message does not marshal: %v", c.file, mt, err)
		}
		compareRoundTrip(t, c, strings.TrimPrefix(want, "*vapi."), raw, out, tally)
	})
	if len(env) > 1 {
		t.Run("keeps the envelope's other members through vapi.ServerMessageBody", func(t *testing.T) {
			var b vapi.ServerMessageBody
			if err := json.Unmarshal(body, &b); err != nil {
				t.Fatalf("%s does not decode into vapi.ServerMessageBody: %v", c.file, err)
			}
			out, err := json.Marshal(&b)
			if err != nil {
				t.Fatalf("%s: vapi.ServerMessageBody does not marshal: %v", c.file, err)
			}
			compareRoundTrip(t, c, "ServerMessageBody", body, out, nil)
		})
	}
}

// checkServerMessageResponse decodes the answer a server gives a message
// into the answer type of that message (manifest "schema", else
// ServerMessageResponse + the message's schema name).
func checkServerMessageResponse(t *testing.T, c realworldCase, body []byte, tally *realworldTally) {
	schema := ""
	switch {
	case c.Schema != nil:
		schema = *c.Schema
	case c.RespondsTo != nil:
		schema = "ServerMessageResponse" + goWords(*c.RespondsTo)
	}
	st, ok := schemaTypes[schema]
	if !ok {
		if sp := loadSpecForRealworld(t); sp.Components.Schemas[schema] != nil {
			t.Fatalf("%s: the spec's %s has no Go type", c.file, schema)
		}
		// The spec types no answer to this message (function-call was
		// retired before the spec was written): there is no Go type to
		// hold the body to.
		tally.untyped++
		t.Skipf("%s answers a %s message, whose answer the spec does not type (no schema %s)", c.file, deref(c.RespondsTo), schema)
	}
	checkBody(t, c, body, st.new(), false, tally)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// goWords spells a message type as the spec's schema names do:
// "transfer-destination-request" → "TransferDestinationRequest",
// "call.endpointing.request" → "CallEndpointingRequest".
func goWords(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' || r == '.' || r == '_' {
			up = true
			continue
		}
		if up {
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compareRoundTrip reports the differences between a body and the SDK's
// encoding of it, each with its path and the contract bullet it breaks.
func compareRoundTrip(t *testing.T, c realworldCase, typ string, in, out []byte, tally *realworldTally) {
	t.Helper()
	want, err := decodeNumbers(in)
	if err != nil {
		t.Fatalf("%s is not JSON: %v", c.file, err)
	}
	got, err := decodeNumbers(out)
	if err != nil {
		t.Fatalf("the SDK wrote invalid JSON for %s: %v\n%s", c.file, err, out)
	}
	diffs := diffJSON(want, got, nil)
	if len(diffs) == 0 {
		if tally != nil {
			tally.roundTripped++
		}
		return
	}
	if tally != nil {
		tally.roundTripFailed++
		seen := map[string]bool{}
		for _, d := range diffs {
			k := fmt.Sprintf("round trip: %s at %s.%s", d.what, typ, genericPath(d.path))
			if !seen[k] {
				seen[k] = true
				tally.byCause[k]++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s decoded into vapi.%s marshals back with %d differences:", c.file, typ, len(diffs))
	for i, d := range diffs {
		if i == 25 {
			fmt.Fprintf(&b, "\n  … and %d more", len(diffs)-i)
			break
		}
		fmt.Fprintf(&b, "\n  at %q: %s: %s [%s]", d.path.String(), d.what, d.detail, bullet(d.what))
	}
	t.Error(b.String())
}

// genericPath spells a path with its array indexes left out
// ("messages[].content"), so that one cause counts once per body.
func genericPath(p specgen.Path) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case int:
			b.WriteString("[]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

// bullet names the contract bullet (API.md, "Types") a difference breaks.
func bullet(what string) string {
	switch {
	case what == "member dropped":
		return "v3 nothing lost"
	case what == "member added":
		return "v3 nothing invented"
	default:
		return "v3 nothing altered / fidelity"
	}
}

// decodeNumbers decodes JSON keeping numbers as written (json.Number), so
// that the comparison is exact for integers beyond float64's precision.
func decodeNumbers(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// checkValidate holds a real request to Validate. A violation inside an
// object the documentation elided (`{}` in the body, or a member of it) is
// the elision's doing, not Vapi's, and is only logged.
func checkValidate(t *testing.T, c realworldCase, body []byte, v validatable, tally *realworldTally) {
	err := v.Validate()
	if err == nil {
		tally.validated++
		return
	}
	var ve *vapi.ValidationError
	if !errors.As(err, &ve) {
		tally.validateFailed++
		tally.byCause["Validate: not a *ValidationError"]++
		t.Fatalf("%s: Validate returned %T, not *vapi.ValidationError: %v", c.file, err, err)
	}
	doc, _ := decodeNumbers(body)
	var real []vapi.FieldError
	for _, fe := range ve.Errors {
		if c.elided() && insideElision(doc, specgen.ParsePath(fe.Field)) {
			t.Logf("%s: %s: %s (inside an object the documentation elided)", c.file, fe.Field, fe.Message)
			continue
		}
		real = append(real, fe)
	}
	if len(real) == 0 {
		tally.validated++
		return
	}
	tally.validateFailed++
	for _, fe := range real {
		tally.byCause["Validate: "+normalise(fe.Message)]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, a request the API accepted, fails Validate [Validation: never rejects a spec-valid request]:", c.file)
	for _, fe := range real {
		got, ok := specgen.At(doc, specgen.ParsePath(fe.Field))
		val := "absent"
		if ok {
			val = short(got, 100)
		}
		fmt.Fprintf(&b, "\n  at %q: %s (value %s)", fe.Field, fe.Message, val)
	}
	t.Error(b.String())
}

// insideElision reports whether a path runs through (or ends at) an empty
// object or array of the body: where the documentation's placeholder was.
func insideElision(doc any, p specgen.Path) bool {
	for i := 0; i <= len(p); i++ {
		v, ok := specgen.At(doc, p[:i])
		if !ok {
			return false
		}
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 {
				return true
			}
		case []any:
			if len(x) == 0 {
				return true
			}
		}
	}
	return false
}
