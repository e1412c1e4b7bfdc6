package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govapi/vapi/internal/spec"
)

const specFile = "../../../shared/spec/vapi-openapi.json"

func loadSpec(t *testing.T) *API {
	t.Helper()
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository: ", err)
	}
	api, err := Load(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func build(t *testing.T) []Endpoint {
	t.Helper()
	goTypes, err := GoTypes("../../types.go")
	if err != nil {
		t.Fatal(err)
	}
	eps, err := Build(loadSpec(t), goTypes)
	if err != nil {
		t.Fatal(err)
	}
	return eps
}

func TestBuildClassifiesEachKindOfOperation(t *testing.T) {
	eps := build(t)
	byOp := map[string]Endpoint{}
	for _, ep := range eps {
		byOp[ep.Method+" "+ep.Path] = ep
	}
	tests := []struct {
		op, action, store, parent, resp string
		status                          int
	}{
		{"POST /assistant", "create", "/assistant", "", "single", 201},
		{"GET /assistant", "list", "/assistant", "", "array", 200},
		{"GET /assistant/{id}", "get", "/assistant", "", "single", 200},
		{"PATCH /assistant/{id}", "update", "/assistant", "", "single", 200},
		{"DELETE /assistant/{id}", "delete", "/assistant", "", "single", 200},
		{"GET /v2/phone-number", "list", "/phone-number", "", "page", 200},
		{"GET /v2/campaign/{id}", "get", "/campaign", "", "single", 200},
		{"GET /v2/campaign/{id}/contacts", "list", "/v2/campaign/{id}/contacts", "/campaign", "page", 200},
		{"POST /v2/knowledge-base/{id}/file", "create", "/v2/knowledge-base/{id}/file", "/v2/knowledge-base", "single", 201},
		{"POST /v2/knowledge-base/{id}/file/{fileId}/retry", "action", "/v2/knowledge-base/{id}/file", "/v2/knowledge-base", "single", 201},
		{"GET /call/{id}/pcap", "artifact", "/call", "", "none", 200},
		{"POST /file", "upload", "/file", "", "single", 201},
		{"PATCH /eval/simulation/run/{id}", "cancel", "/eval/simulation/run", "", "single", 200},
		{"PATCH /provider/{provider}/{resourceName}/{id}", "update", "/provider/{provider}/{resourceName}", "", "single", 200},
		{"GET /eval/simulation/run", "list", "/eval/simulation/run", "", "page", 200},
		{"GET /eval/simulation/concurrency", "action", "", "", "single", 200},
		{"POST /structured-output/run", "action", "", "", "single", 200},
		{"POST /reporting/insight/{id}/run", "action", "/reporting/insight", "", "single", 200},
		{"POST /eval/run", "create", "/eval/run", "", "single", 201},
		{"POST /analytics", "action", "", "", "array", 200},
		{"POST /eval/simulation/run/{id}/item/{itemId}/generate", "action", "/eval/simulation/run/{id}/item", "/eval/simulation/run", "none", 201},
	}
	for _, tt := range tests {
		t.Run(tt.op+" is a "+tt.action, func(t *testing.T) {
			ep, ok := byOp[tt.op]
			if !ok {
				t.Fatalf("no endpoint for %s", tt.op)
			}
			got := []any{ep.Action, ep.Store, ep.Parent, ep.Resp, ep.Status}
			want := []any{tt.action, tt.store, tt.parent, tt.resp, tt.status}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	if len(eps) != 137 {
		t.Errorf("%d endpoints, want 137", len(eps))
	}
}

func TestBuildNamesBodiesAndUnions(t *testing.T) {
	eps := build(t)
	find := func(op string) Endpoint {
		for _, ep := range eps {
			if ep.Method+" "+ep.Path == op {
				return ep
			}
		}
		t.Fatalf("no %s", op)
		return Endpoint{}
	}
	t.Run("a plain body names its schema and Go type", func(t *testing.T) {
		b := find("POST /assistant").Body
		if b.Schema != "CreateAssistantDTO" || b.GoType != "AssistantConfig" || b.Example != "{}" {
			t.Errorf("body = %+v", b)
		}
	})
	t.Run("a union body has one alternative per discriminator value", func(t *testing.T) {
		b := find("POST /phone-number").Body
		if b.Disc != "provider" || len(b.Alts) != 5 || b.Alts[1].Value != "twilio" || b.Alts[1].Schema != "CreateTwilioPhoneNumberDTO" {
			t.Errorf("body = %+v", b)
		}
	})
	t.Run("a union answer has one minimal instance per alternative", func(t *testing.T) {
		ep := find("POST /phone-number")
		if ep.FillDisc != "provider" || len(ep.Fill) != 5 {
			t.Fatalf("fill = %v (%s)", ep.Fill, ep.FillDisc)
		}
		var twilio map[string]any
		if err := json.Unmarshal([]byte(ep.Fill["twilio"]), &twilio); err != nil || twilio["provider"] != "twilio" {
			t.Errorf("twilio fill = %s", ep.Fill["twilio"])
		}
	})
	t.Run("query parameters say what they filter", func(t *testing.T) {
		q := map[string]QueryParam{}
		for _, p := range find("GET /call").Query {
			q[p.Name] = p
		}
		if q["assistantId"].Use != "equal" || q["createdAtGt"].Use != "date" || q["limit"].Use != "limit" || *q["limit"].Max != 1000 {
			t.Errorf("GET /call query = %+v", q)
		}
		for _, p := range find("GET /v2/campaign/{id}/contacts").Query {
			if p.Name == "status" && (p.Kind != "strings" || p.Use != "any" || len(p.Enum) != 6) {
				t.Errorf("contacts status = %+v", p)
			}
		}
	})
}

func TestMinimalIsTheSmallestValidInstance(t *testing.T) {
	one, two := 1, 2
	lo := 3.0
	api := &API{Schemas: map[string]*spec.Schema{
		"Leaf": {Type: "object", Required: []string{"kind"}, Properties: spec.Properties{
			{Name: "kind", Schema: &spec.Schema{Type: "string", Enum: []any{"leaf", "other"}}},
			{Name: "optional", Schema: &spec.Schema{Type: "string"}},
		}},
	}}
	tests := []struct {
		name   string
		schema *spec.Schema
		want   string
	}{
		{"a string", &spec.Schema{Type: "string"}, `""`},
		{"a string with a minimum length", &spec.Schema{Type: "string", MinLength: &two}, `"aa"`},
		{"a date", &spec.Schema{Type: "string", Format: "date-time"}, `"` + epoch + `"`},
		{"a uuid", &spec.Schema{Type: "string", Format: "uuid"}, `"` + zeroUUID + `"`},
		{"a number with a minimum", &spec.Schema{Type: "number", Minimum: &lo}, `3`},
		{"an enum", &spec.Schema{Type: "string", Enum: []any{"b", "a"}}, `"b"`},
		{"an array with minItems", &spec.Schema{Type: "array", MinItems: &one, Items: &spec.Schema{Ref: "#/components/schemas/Leaf"}}, `[{"kind":"leaf"}]`},
		{"an object keeps only its required members", &spec.Schema{Ref: "#/components/schemas/Leaf"}, `{"kind":"leaf"}`},
		{"a union is its first alternative", &spec.Schema{OneOf: []*spec.Schema{{Type: "boolean"}, {Type: "string"}}}, `false`},
		{"allOf merges its parts", &spec.Schema{AllOf: []*spec.Schema{{Ref: "#/components/schemas/Leaf"}, {Type: "object", Required: []string{"n"}, Properties: spec.Properties{{Name: "n", Schema: &spec.Schema{Type: "integer"}}}}}}, `{"kind":"leaf","n":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := json.Marshal(minimal(api, tt.schema, 0))
			if string(got) != tt.want {
				t.Errorf("minimal = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGoTypesReadsTheSpecSchemaLines(t *testing.T) {
	src := `package vapi

// AssistantConfig is the body.
//
// Spec schema: CreateAssistantDTO.
type AssistantConfig struct{}

// Voice is a union.
//
// Spec schema: Voice.
type Voice interface{}

// Plain has no spec line.
type Plain struct{}
`
	file := filepath.Join(t.TempDir(), "types.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := GoTypes(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"CreateAssistantDTO": "AssistantConfig"}; !reflect.DeepEqual(got, want) {
		t.Errorf("GoTypes = %v, want %v", got, want)
	}
}

func TestTheCheckedInTableIsUpToDateAndDeterministic(t *testing.T) {
	eps := build(t)
	a, err := Emit(eps)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Emit(build(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the generator differ")
	}
	if !bytes.HasPrefix(a, []byte("// Code generated by internal/fakegen")) {
		t.Error("the table does not say it is generated")
	}
	checked, err := os.ReadFile("../../vapitest/resources_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, checked) {
		t.Error("vapitest/resources_gen.go is stale: run go generate ./...")
	}
}
