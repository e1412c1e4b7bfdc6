package vapi_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestNullableTellsAbsentNullAndValueApart(t *testing.T) {
	tests := []struct {
		name            string
		n               vapi.Nullable[string]
		isSet, isNull   bool
		value           string
		ok              bool
		json, formatted string
	}{
		{"the zero value is absent", vapi.Nullable[string]{}, false, false, "", false, "null", "absent"},
		{"Null is set and null", vapi.Null[string](), true, true, "", false, "null", "null"},
		{"NullableOf is set to its value", vapi.NullableOf("hi"), true, false, "hi", true, `"hi"`, "hi"},
		{"NullableOf an empty string is a value", vapi.NullableOf(""), true, false, "", true, `""`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.isSet, tt.n.IsSet())
			assert.Equal(t, tt.isNull, tt.n.IsNull())
			v, ok := tt.n.Get()
			assert.Equal(t, tt.value, v)
			assert.Equal(t, tt.ok, ok)
			b, err := json.Marshal(tt.n)
			require.NoError(t, err)
			assert.JSONEq(t, tt.json, string(b))
			assert.Equal(t, tt.formatted, tt.n.String())
		})
	}
	t.Run("encoding/json reads null and values into it", func(t *testing.T) {
		var v struct{ A, B vapi.Nullable[int] }
		require.NoError(t, json.Unmarshal([]byte(`{"A":null,"B":3}`), &v))
		assert.True(t, v.A.IsNull())
		got, ok := v.B.Get()
		assert.True(t, ok)
		assert.Equal(t, 3, got)
	})
}

// roundTrip decodes doc into a fresh T and marshals it back.
func roundTrip[T any, P interface {
	*T
	json.Unmarshaler
	json.Marshaler
}](t *testing.T, doc string) string {
	t.Helper()
	p := P(new(T))
	require.NoError(t, p.UnmarshalJSON([]byte(doc)))
	out, err := p.MarshalJSON()
	require.NoError(t, err)
	return string(out)
}

func TestTypesKeepEveryMemberTheSpecAllows(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		back func(t *testing.T, doc string) string
	}{
		{"an assistant message with null content", `{"role":"assistant","content":null}`, roundTrip[vapi.OpenAIMessage]},
		{"a squad member whose assistantId is null", `{"assistantId":null}`, roundTrip[vapi.SquadMember]},
		{"a structured output whose conditions are null, to clear them", `{"name":"n","type":"ai","schema":{"type":"string"},"conditions":null}`, roundTrip[vapi.StructuredOutputConfig]},
		{"an empty keypad delimiter, a documented value", `{"delimiters":""}`, roundTrip[vapi.KeypadInputPlan]},
		{"security filters, which declare no properties", `{"filters":[{"type":"sql-injection","x":[1,{"y":null}]}]}`, roundTrip[vapi.SecurityFilterPlan]},
		{"function parameters, whose one-valued type is written back", `{"type":"object","properties":{}}`, roundTrip[vapi.OpenAIFunctionParameters]},
		{"a voice the SDK does not know", `{"voice":{"provider":"elevenlabs-v9","voiceId":"x","extra":[1]}}`, roundTrip[vapi.AssistantConfig]},
	}
	for _, tt := range tests {
		t.Run(tt.name+" round-trips", func(t *testing.T) {
			assert.JSONEq(t, tt.doc, tt.back(t, tt.doc))
		})
	}
}

func TestSingleValuedRequiredEnumsAreWrittenByMarshalling(t *testing.T) {
	b, err := json.Marshal(vapi.OpenAIFunctionParameters{Properties: map[string]vapi.JSONSchema{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"object","properties":{}}`, string(b))
}

func TestUnknownAlternativesAreNeverSplicedUnchecked(t *testing.T) {
	tests := []struct {
		name string
		raw  string
	}{
		{"raw that is not JSON", `not json`},
		{"raw that closes the object and adds a member", `{"provider":"x"},"assistantId":"evil"`},
		{"raw that is two values", `{"provider":"x"} {"provider":"y"}`},
		{"empty raw", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name+" does not marshal", func(t *testing.T) {
			req := &vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Voice: &vapi.UnknownVoice{Provider: "x", Raw: []byte(tt.raw)}}}
			_, err := req.MarshalJSON()
			assert.Error(t, err)
			_, err = json.Marshal(req)
			assert.Error(t, err)
			assert.Error(t, req.Validate())
		})
	}
	// v3: marshalling refuses only a Raw that is not exactly one JSON value,
	// so that what decoding produced marshals back as it came; Validate
	// refuses, in a request, a member without its discriminator.
	for _, tt := range []struct{ name, raw string }{
		{"raw without its discriminator", `{"voiceId":"x"}`},
		{"raw whose discriminator is not a string", `{"provider":7}`},
		{"raw that is an array", `[{"provider":"x"}]`},
	} {
		t.Run(tt.name+" marshals as it came but does not validate", func(t *testing.T) {
			req := &vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Voice: &vapi.UnknownVoice{Raw: []byte(tt.raw)}}}
			b, err := json.Marshal(req)
			require.NoError(t, err)
			assert.JSONEq(t, `{"assistant":{"voice":`+tt.raw+`}}`, string(b))
			assert.Error(t, req.Validate())
		})
	}
	t.Run("raw that is one object with its discriminator marshals as it is", func(t *testing.T) {
		req := &vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Voice: &vapi.UnknownVoice{Provider: "x", Raw: []byte(`{"provider":"x","speed":2}`)}}}
		b, err := req.MarshalJSON()
		require.NoError(t, err)
		assert.JSONEq(t, `{"assistant":{"voice":{"provider":"x","speed":2}}}`, string(b))
	})
}

func TestEncodingStopsAtACycle(t *testing.T) {
	meta := map[string]any{}
	meta["self"] = meta
	req := &vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Metadata: meta}}
	_, err := req.MarshalJSON()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does it contain itself?")
	list := []any{nil}
	list[0] = list
	_, err = (&vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Metadata: map[string]any{"l": list}}}).MarshalJSON()
	assert.Error(t, err)
}
