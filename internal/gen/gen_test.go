package main

import (
	"github.com/govapi/vapi/internal/spec"
	"regexp"

	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoNameFollowsGoInitialisms(t *testing.T) {
	tests := map[string]string{
		"assistantId":       "AssistantID",
		"phoneNumberId":     "PhoneNumberID",
		"orgId":             "OrgID",
		"tools:append":      "ToolsAppend",
		"toolIds":           "ToolIDs",
		"sipUri":            "SIPURI",
		"serverUrl":         "ServerURL",
		"tool_call_id":      "ToolCallID",
		"HTTPStatus":        "HTTPStatus",
		"11labs":            "X11labs",
		"enableSsmlParsing": "EnableSSMLParsing",
	}
	for in, want := range tests {
		t.Run(in+" becomes "+want, func(t *testing.T) {
			if got := goName(in); got != want {
				t.Fatalf("goName(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestConstNamesJoinTypeAndValue(t *testing.T) {
	tests := []struct {
		typ    string
		values []string
		want   []string
	}{
		{"SessionStatus", []string{"active", "completed"}, []string{"SessionStatusActive", "SessionStatusCompleted"}},
		{"SortOrder", []string{"ASC"}, []string{"SortOrderASC"}},
		{"OpenAIModelModel", []string{"gpt-4o-mini"}, []string{"OpenAIModelModelGPT4oMini"}},
		{"HookOn", []string{"call.ending"}, []string{"HookOnCallEnding"}},
		{"KeypadDelimiter", []string{"#", "*", ""}, []string{"KeypadDelimiterPound", "KeypadDelimiterStar", "KeypadDelimiterNone"}},
		{"Operator", []string{">", ">=", "!="}, []string{"OperatorGreaterThan", "OperatorGreaterThanOrEqual", "OperatorNotEqual"}},
		{"Lang", []string{"en-US", "en_US"}, []string{"LangEnUS", "LangEnUnderscoreUS"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" names "+strings.Join(tt.values, " "), func(t *testing.T) {
			got, err := constNames(tt.typ, tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("constNames = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("a punctuation value the table lacks is an error", func(t *testing.T) {
		if _, err := constNames("X", []string{"~"}); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestRuleNameFollowsTheContract(t *testing.T) {
	tests := map[string]string{
		"JsonSchema":                        "JSONSchema",
		"CreateApiRequestToolDTO":           "APIRequestToolConfig",
		"XAiModel":                          "XAIModel",
		"XaiVoice":                          "XAIVoice",
		"CreateXAiCredentialDTO":            "XAICredentialConfig",
		"CreateAssistantDTO":                "AssistantConfig",
		"CreateCustomerDTO":                 "CustomerConfig",
		"CreateFunctionToolDTO":             "FunctionToolConfig",
		"CreateSquadDTO":                    "SquadConfig",
		"CreateOpenAICredentialDTO":         "OpenAICredentialConfig",
		"SquadMemberDTO":                    "SquadMember",
		"ImportTwilioPhoneNumberDTO":        "TwilioPhoneNumberConfig",
		"UpdateAssistantDTO":                "UpdateAssistantRequest",
		"ExportChatDTO":                     "ExportChatRequest",
		"SessionPaginatedResponse":          "SessionPage",
		"CreateGoHighLevelMCPCredentialDTO": "GoHighLevelMCPCredentialConfig",
		"CreateSipRequestToolDTO":           "SIPRequestToolConfig",
		"ElevenLabsVoice":                   "ElevenLabsVoice",
		"PlayHTVoice":                       "PlayHTVoice",
		"AssemblyAITranscriber":             "AssemblyAITranscriber",
		"CreateTestSuiteDto":                "TestSuiteConfig",
		"RevokeInvitationResponseDTO":       "RevokeInvitationResponse",
	}
	for in, want := range tests {
		t.Run(in+" becomes "+want, func(t *testing.T) {
			if got := ruleName(in); got != want {
				t.Fatalf("ruleName(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestTranslatePatternKeepsJavaScriptMeaning(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		reject  []string
	}{
		{`/^\p{L}[\p{L}\d]*(?::[+-]?\d+)?$/u`, []string{"hello", "Grüße:2", "日本:-10"}, []string{"1abc", "a b", "abc:"}},
		{`/^[a-zA-Z0-9_-]{1,64}$/`, []string{"get_weather", "a-b"}, []string{"", "a b", "é"}},
		{`/^[a-z]+$/i`, []string{"ABC"}, []string{"ab1"}},
		{`^a.c$`, []string{"abc", "aéc"}, []string{"a\nc", "a\u2028c"}},
		{`^\s$`, []string{" ", "\u00a0", "\u3000"}, []string{"x"}},
		{`/^\/x$/`, []string{"/x"}, []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" translates", func(t *testing.T) {
			re, err := translatePattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			rx := regexp.MustCompile(re)
			for _, s := range tt.match {
				if !rx.MatchString(s) {
					t.Errorf("%q does not match %s", s, re)
				}
			}
			for _, s := range tt.reject {
				if rx.MatchString(s) {
					t.Errorf("%q matches %s", s, re)
				}
			}
		})
	}
	for _, p := range []string{`^(?=a)`, `(a)\1`, `/\p{L}/`, `[^]`, `(?<!x)y`} {
		t.Run(p+" is left unchecked", func(t *testing.T) {
			if re, err := translatePattern(p); err == nil {
				t.Fatalf("translated to %q, want an error", re)
			}
		})
	}
}

// miniSpec is a small spec with one of each construct the generator meets.
const miniSpec = `{"components":{"schemas":{
  "CreateThingDTO":{"type":"object","properties":{
     "name":{"type":"string","maxLength":5},
     "status":{"type":"string","enum":["on","off"]},
     "voice":{"oneOf":[{"$ref":"#/components/schemas/AVoice"},{"$ref":"#/components/schemas/BVoice"}]},
     "tags":{"type":"array","enum":["x","y"],"items":{"type":"string"}},
     "voiceId":{"oneOf":[{"type":"string","enum":["burt"]},{"type":"string"}]},
     "speed":{"oneOf":[{"type":"string","enum":["fast"]},{"type":"number"}]},
     "when":{"type":"string","format":"date-time"},
     "meta":{"type":"object"}
  }},
  "Thing":{"type":"object","required":["id"],"properties":{
     "id":{"type":"string"},
     "status":{"type":"string","enum":["off","on"]}
  }},
  "AVoice":{"type":"object","required":["provider","voiceId"],"properties":{
     "provider":{"type":"string","enum":["a"]},"voiceId":{"type":"string"}}},
  "BVoice":{"type":"object","required":["provider"],"properties":{
     "provider":{"type":"string","enum":["b"]},"stability":{"type":"number","minimum":0,"maximum":1}}}
}}}`

func buildMini(t *testing.T) *Model {
	t.Helper()
	var s spec.Spec
	if err := json.Unmarshal([]byte(miniSpec), &s); err != nil {
		t.Fatal(err)
	}
	m, err := Build(&s, &spec.Table{Roots: []string{"CreateThingDTO", "Thing"}, RequestRoots: []string{"CreateThingDTO"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBuildMapsEachConstruct(t *testing.T) {
	m := buildMini(t)
	thing := m.Structs["ThingConfig"]
	fields := map[string]*Field{}
	for _, f := range thing.Fields {
		fields[f.JSON] = f
	}
	t.Run("an optional string is a pointer", func(t *testing.T) {
		if f := fields["name"]; !f.Pointer || f.Type.Kind != KString || *f.Type.Check.MaxLen != 5 {
			t.Fatalf("name = %+v", f)
		}
	})
	t.Run("inline enums with the same values share one type", func(t *testing.T) {
		other := m.Structs["Thing"].Fields[1]
		if fields["status"].Type.Name != other.Type.Name {
			t.Fatalf("status types differ: %s and %s", fields["status"].Type.Name, other.Type.Name)
		}
	})
	t.Run("a oneOf of objects is a union with a discriminator", func(t *testing.T) {
		u := m.Unions[fields["voice"].Type.Name]
		if u == nil || u.Disc != "provider" || len(u.Alts) != 2 {
			t.Fatalf("voice union = %+v", u)
		}
	})
	t.Run("the discriminator leaves the alternative and is written as a constant", func(t *testing.T) {
		a := m.Structs["AVoice"]
		for _, f := range a.Fields {
			if f.JSON == "provider" {
				t.Fatal("provider is still a field of AVoice")
			}
		}
		if len(a.Consts) != 1 || a.Consts[0] != (Const{JSON: "provider", Value: "a"}) {
			t.Fatalf("AVoice consts = %+v", a.Consts)
		}
	})
	t.Run("an enum on an array is the enum of its items", func(t *testing.T) {
		if f := fields["tags"]; f.Type.Kind != KArray || f.Type.Elem.Kind != KEnum {
			t.Fatalf("tags = %+v", f.Type)
		}
	})
	t.Run("a oneOf of strings collapses to an open enum", func(t *testing.T) {
		f := fields["voiceId"]
		if f.Type.Kind != KEnum || f.Type.Check.ClosedEnum {
			t.Fatalf("voiceId = %+v", f.Type)
		}
	})
	t.Run("a oneOf of a string and a number is a union of scalars", func(t *testing.T) {
		u := m.Unions[fields["speed"].Type.Name]
		if u == nil || len(u.Alts) != 2 || u.Alts[0].JSONKind != '"' || u.Alts[1].JSONKind != '0' {
			t.Fatalf("speed union = %+v", u)
		}
	})
	t.Run("date-times are times and free-form objects are maps", func(t *testing.T) {
		if fields["when"].Type.Kind != KTime || fields["meta"].Type.Kind != KMapAny {
			t.Fatalf("when = %v, meta = %v", fields["when"].Type.Kind, fields["meta"].Type.Kind)
		}
	})
	t.Run("request structs with constraints get validation", func(t *testing.T) {
		if !m.Requests["ThingConfig"] || m.Requests["Thing"] {
			t.Fatalf("requests = %v", m.Requests)
		}
	})
}

func TestBuildRejectsAUnionWithoutDiscriminator(t *testing.T) {
	// A free string fixes no value, so nothing tells the alternatives apart.
	src := strings.Replace(miniSpec, `"enum":["b"]`, `"minLength":1`, 1)
	var s spec.Spec
	if err := json.Unmarshal([]byte(src), &s); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(&s, &spec.Table{Roots: []string{"CreateThingDTO"}}); err == nil || !strings.Contains(err.Error(), "no discriminator") {
		t.Fatalf("Build error = %v, want a missing discriminator", err)
	}
}

func TestGenerateIsGofmtdAndDeterministic(t *testing.T) {
	m := buildMini(t)
	a, err := Generate(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(buildMini(t))
	if err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
		if !bytes.HasPrefix(a[name], []byte("// Code generated by internal/gen")) {
			t.Errorf("%s lacks the generated-code header", name)
		}
	}
}

// TestCheckedInFilesAreUpToDate regenerates from the real spec, when it is
// beside the repository, and compares with the files in the tree.
func TestCheckedInFilesAreUpToDate(t *testing.T) {
	sp, m := realModel(t)
	files, err := Generate(m)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./...", name)
		}
	}
	t.Run("every schema of the spec has its own Go name, none ending in DTO", func(t *testing.T) {
		names, err := typeNames(sp, &spec.Overrides)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for schema, name := range names {
			if prev, dup := seen[name]; dup {
				t.Errorf("%s and %s are both %s", prev, schema, name)
			}
			seen[name] = schema
			if strings.HasSuffix(name, "DTO") || strings.HasSuffix(name, "Dto") {
				t.Errorf("%s is %s", schema, name)
			}
		}
		if len(names) != len(sp.Components.Schemas) {
			t.Errorf("%d names for %d schemas", len(names), len(sp.Components.Schemas))
		}
	})
	t.Run("no generated name is numbered to dodge a collision", func(t *testing.T) {
		for name := range m.Enums {
			if c := name[len(name)-1]; c >= '0' && c <= '9' {
				t.Errorf("enum %s", name)
			}
		}
		for name := range m.Unions {
			if c := name[len(name)-1]; c >= '0' && c <= '9' {
				t.Errorf("union %s", name)
			}
		}
	})
	if n := len(Closure(sp, &spec.Overrides)); n != 981 {
		t.Errorf("closure has %d schemas, want 981", n)
	}
}

// realModel builds the model of the real spec, when it is beside the
// repository; the test is skipped otherwise.
func realModel(t *testing.T) (*spec.Spec, *Model) {
	t.Helper()
	specFile := filepath.Join("..", "..", "..", "shared", "spec", "vapi-openapi.json")
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository")
	}
	sp, err := spec.Load(specFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(sp, &spec.Overrides)
	if err != nil {
		t.Fatal(err)
	}
	return sp, m
}

func TestOperationUnionsTakeTheSpecsAlternatives(t *testing.T) {
	sp, m := realModel(t)
	disc := func(union, alt string) string {
		for _, a := range m.Unions[union].Alts {
			if a.GoName == alt {
				return a.Disc
			}
		}
		return "(no such alternative)"
	}
	tests := []struct {
		name        string
		union, disc string
		alts        int
		alt, value  string
	}{
		{"the stored tools are ToolResource, told apart by type", "ToolResource", "type", 25, "FunctionTool", "function"},
		{"an alternative the mapping leaves out gets the value its schema fixes", "ToolResource", "type", 25, "GHLTool", "ghl"},
		{"a tool update says its type although the spec does not require it", "UpdateToolRequest", "type", 24, "UpdateCodeToolRequest", "code"},
		{"a phone number update says its provider", "UpdatePhoneNumberRequest", "provider", 5, "UpdateBYOPhoneNumberRequest", "byo-phone-number"},
		{"the stored insights are InsightResource", "InsightResource", "type", 4, "TextInsight", "text"},
		{"an insight's create body is InsightConfig", "InsightConfig", "type", 4, "PieInsightFromCallTableConfig", "pie"},
		{"an insight update says its type", "UpdateInsightRequest", "type", 4, "UpdateLineInsightFromCallTableRequest", "line"},
		{"the phone numbers are PhoneNumber, as the spec titles them", "PhoneNumber", "provider", 5, "VapiPhoneNumber", "vapi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := m.Unions[tt.union]
			if u == nil {
				t.Fatalf("no union %s", tt.union)
			}
			if u.Disc != tt.disc || len(u.Alts) != tt.alts {
				t.Fatalf("%s: disc %q with %d alternatives, want %q with %d", tt.union, u.Disc, len(u.Alts), tt.disc, tt.alts)
			}
			if got := disc(tt.union, tt.alt); got != tt.value {
				t.Fatalf("%s of %s is %q, want %q", tt.disc, tt.alt, got, tt.value)
			}
		})
	}
	t.Run("a run's answer, with no discriminator, is told apart by its message", func(t *testing.T) {
		u := m.Unions["StructuredOutputRunResponse"]
		if u == nil || u.Disc != "" || u.Ties[""] == nil || u.Ties[""].Fallback != "StructuredOutputRunPreviewResponse" {
			t.Fatalf("StructuredOutputRunResponse = %+v", u)
		}
	})
	t.Run("no union is named like a type of the spec", func(t *testing.T) {
		for name, u := range m.Unions {
			for _, n := range []string{name, u.Unknown} {
				if m.Structs[n] != nil || m.Enums[n] != nil {
					t.Errorf("%s is also a struct or enum", n)
				}
			}
		}
	})
	for _, bad := range []struct{ name, op, want string }{
		{"an operation the spec does not have is an error", "GET /nowhere response", "no operation"},
		{"a body that is not a oneOf is an error", "POST /reporting/insight/{id}/run body", "not a oneOf"},
		{"a oneOf that a property already holds must be named by its Site", "POST /tool body", "name it with Site"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			table := spec.Overrides
			table.Unions = append(append([]spec.Union(nil), table.Unions...), spec.Union{Name: "Stray", Doc: "Stray.", Op: bad.op})
			if _, err := Build(sp, &table); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Fatalf("Build error = %v, want %q", err, bad.want)
			}
		})
	}
}
