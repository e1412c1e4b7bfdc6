package vapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
	require.NoError(t, err)
	return b
}

// jsonValue parses b as encoding/json does into an interface{}, with
// timestamps in one canonical form: the API writes "…00.000Z" where Go
// writes "…00Z" for the same instant.
func jsonValue(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return canonicalTimes(v)
}

func canonicalTimes(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = canonicalTimes(x)
		}
	case []any:
		for i, x := range v {
			v[i] = canonicalTimes(x)
		}
	case string:
		if ts, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return ts.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

func TestValidFixturesRoundTripWithoutLosingAField(t *testing.T) {
	for _, name := range []string{"session-basic.json", "session-inline-assistant.json", "session-squad.json"} {
		t.Run(name+" decodes and marshals back to the same JSON", func(t *testing.T) {
			in := readFixture(t, name)
			var s vapi.Session
			require.NoError(t, json.Unmarshal(in, &s))
			out, err := json.Marshal(s)
			require.NoError(t, err)
			assert.Equal(t, jsonValue(t, in), jsonValue(t, out))
		})
	}
}

func decodeSession(t testing.TB, name string) *vapi.Session {
	t.Helper()
	var s vapi.Session
	require.NoError(t, json.Unmarshal(readFixture(t, name), &s))
	return &s
}

func TestUnionsDecodeIntoTheirAlternatives(t *testing.T) {
	basic := decodeSession(t, "session-basic.json")
	inline := decodeSession(t, "session-inline-assistant.json")
	squad := decodeSession(t, "session-squad.json")
	openai := inline.Assistant.Model.(*vapi.OpenAIModel)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"a system chat message", basic.Messages[0], &vapi.SystemMessage{}},
		{"a user chat message", basic.Messages[1], &vapi.UserMessage{}},
		{"an assistant chat message", basic.Messages[2], &vapi.AssistantMessage{}},
		{"a tool chat message", basic.Messages[3], &vapi.ToolMessage{}},
		{"a developer chat message", basic.Messages[4], &vapi.DeveloperMessage{}},
		{"a model cost", basic.Costs[0], &vapi.ModelCost{}},
		{"an analysis cost", basic.Costs[1], &vapi.AnalysisCost{}},
		{"a session cost", basic.Costs[2], &vapi.SessionCost{}},
		{"an ElevenLabs voice", basic.Assistant.Voice, &vapi.ElevenLabsVoice{}},
		{"a Deepgram transcriber", basic.Assistant.Transcriber, &vapi.DeepgramTranscriber{}},
		{"an OpenAI model", inline.Assistant.Model, &vapi.OpenAIModel{}},
		{"a function tool", openai.Tools[0], &vapi.FunctionToolConfig{}},
		{"a transfer tool", openai.Tools[1], &vapi.TransferCallToolConfig{}},
		{"an end-call tool", openai.Tools[2], &vapi.EndCallToolConfig{}},
		{"a Cartesia voice", inline.Assistant.Voice, &vapi.CartesiaVoice{}},
		{"voicemail detection turned off by a string", inline.Assistant.VoicemailDetection, vapi.VoicemailDetectionString("")},
		{"a customer-speech-timeout hook, told apart by on", inline.Assistant.Hooks[0], &vapi.CallHookCustomerSpeechTimeout{}},
		{"a call-ending hook", inline.Assistant.Hooks[1], &vapi.CallHookCallEnding{}},
		{"a smart endpointing plan told apart by provider", inline.Assistant.StartSpeakingPlan.SmartEndpointingPlan, &vapi.LivekitSmartEndpointingPlan{}},
		{"a Cartesia speed given as a number", inline.Assistant.Voice.(*vapi.CartesiaVoice).ExperimentalControls.Speed, vapi.CartesiaSpeedNumber(0)},
		{"a transfer destination that is a number", openai.Tools[1].(*vapi.TransferCallToolConfig).Destinations[0], &vapi.TransferDestinationNumber{}},
		{"a transfer destination that is a SIP URI", openai.Tools[1].(*vapi.TransferCallToolConfig).Destinations[1], &vapi.TransferDestinationSIP{}},
		{"a squad member's transfer destination, told apart by transferMode", squad.Squad.Members[0].AssistantDestinations[0], &vapi.TransferDestinationAssistant{}},
		{"a squad member's handoff destination", squad.Squad.Members[0].AssistantDestinations[1], &vapi.HandoffDestinationAssistant{}},
		{"an Anthropic model", squad.Squad.Members[1].Assistant.Model, &vapi.AnthropicModel{}},
		{"an artifact bot message", squad.Artifact.Messages[1], &vapi.BotMessage{}},
		{"an artifact tool-calls message", squad.Artifact.Messages[3], &vapi.ToolCallMessage{}},
		{"an artifact tool-call-result message", squad.Artifact.Messages[4], &vapi.ToolCallResultMessage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" decodes to its own type", func(t *testing.T) {
			assert.IsType(t, tt.want, tt.got)
		})
	}
}

func TestDecodedValuesCarryTheirFields(t *testing.T) {
	s := decodeSession(t, "session-basic.json")
	assert.Equal(t, "5b6a8f3e-2a51-4c8e-9d3e-6f1f0a7c1b21", s.ID)
	assert.Equal(t, time.Date(2026, 11, 20, 14, 3, 11, 482000000, time.UTC), s.CreatedAt)
	assert.Equal(t, vapi.SessionStatusActive, s.Status)
	assert.Equal(t, 86400.0, *s.ExpirationSeconds)
	voice := s.Assistant.Voice.(*vapi.ElevenLabsVoice)
	assert.Equal(t, vapi.ElevenLabsVoiceVoiceIDBurt, voice.VoiceID)
	assert.Equal(t, 0.75, *voice.SimilarityBoost)
	assert.Equal(t, map[string]any{"team": "billing", "tier": "gold"}, s.Assistant.Metadata)
	assert.Equal(t, "call_9f2c", s.Messages[3].(*vapi.ToolMessage).ToolCallID)
	assert.Equal(t, "+14155550123", *s.Customer.Number)
}

func TestUnknownKindsDecodeAndMarshalBackUnchanged(t *testing.T) {
	in := readFixture(t, "session-forward-compat.json")
	var s vapi.Session
	require.NoError(t, json.Unmarshal(in, &s), "a response from a newer API must still decode")
	raw := jsonValue(t, in).(map[string]any)

	t.Run("an unknown status keeps its value", func(t *testing.T) {
		assert.Equal(t, vapi.SessionStatus("paused"), s.Status)
		assert.False(t, s.Status.IsKnown())
	})
	t.Run("an unknown voice provider becomes UnknownVoice with the raw JSON", func(t *testing.T) {
		v, ok := s.Assistant.Voice.(*vapi.UnknownVoice)
		require.True(t, ok, "voice is %T", s.Assistant.Voice)
		assert.Equal(t, "acme-voices", v.Provider)
		out, err := json.Marshal(s.Assistant.Voice)
		require.NoError(t, err)
		assert.Equal(t, raw["assistant"].(map[string]any)["voice"], jsonValue(t, out))
	})
	t.Run("an unknown message role becomes UnknownChatMessage", func(t *testing.T) {
		m, ok := s.Messages[0].(*vapi.UnknownChatMessage)
		require.True(t, ok, "message is %T", s.Messages[0])
		assert.Equal(t, "narrator", m.Role)
		assert.IsType(t, &vapi.UserMessage{}, s.Messages[1])
	})
	t.Run("an unknown cost type becomes UnknownCost", func(t *testing.T) {
		c, ok := s.Costs[0].(*vapi.UnknownCost)
		require.True(t, ok, "cost is %T", s.Costs[0])
		assert.Equal(t, "telepathy", c.Type)
	})
	t.Run("an unknown catalogue value decodes as itself", func(t *testing.T) {
		assert.Equal(t, vapi.OpenAIModelModel("gpt-9-preview"), s.Assistant.Model.(*vapi.OpenAIModel).Model)
		tr := s.Assistant.Transcriber.(*vapi.DeepgramTranscriber)
		assert.Equal(t, vapi.DeepgramTranscriberModel("nova-4"), tr.Model)
	})
	t.Run("marshalling back keeps every member, known or not, and every unknown alternative", func(t *testing.T) {
		out, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, raw, jsonValue(t, out))
	})
	t.Run("members the SDK does not know are read with UnknownMembers", func(t *testing.T) {
		assert.JSONEq(t, `{"nested":[1,2,3]}`, string(vapi.UnknownMembers(&s)["brandNewField"]))
		assert.JSONEq(t, `{"nested":[1,2,3]}`, string(vapi.UnknownMembers(s)["brandNewField"]), "a value reads as its pointer")
		assert.JSONEq(t, `true`, string(vapi.UnknownMembers(s.Assistant.Transcriber)["futureFlag"]), "a union value reads its alternative")
		assert.Nil(t, vapi.UnknownMembers(s.Assistant))
	})
	t.Run("UnknownMembers returns a copy", func(t *testing.T) {
		m := vapi.UnknownMembers(&s)
		m["brandNewField"][0] = 'X'
		delete(m, "brandNewField")
		assert.JSONEq(t, `{"nested":[1,2,3]}`, string(vapi.UnknownMembers(&s)["brandNewField"]))
	})
	t.Run("UnknownMembers of what is not a generated struct is nil", func(t *testing.T) {
		for _, v := range []any{nil, 3, "x", (*vapi.Session)(nil), &struct{ A int }{}, map[string]any{"a": 1}} {
			assert.Nil(t, vapi.UnknownMembers(v), "%#v", v)
		}
	})
}

func TestMarshalWritesOnlyWhatWasSet(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"an empty create request", vapi.CreateSessionRequest{}, `{}`},
		{"an empty update request", &vapi.UpdateSessionRequest{}, `{}`},
		{"a voice, with its discriminator written for the caller",
			&vapi.ElevenLabsVoice{VoiceID: "burt"}, `{"provider":"11labs","voiceId":"burt"}`},
		{"a zero value that was set", vapi.CreateSessionRequest{Name: vapi.String("")}, `{"name":""}`},
		{"an explicitly empty list", vapi.UpdateSessionRequest{Messages: []vapi.ChatMessage{}}, `{"messages":[]}`},
		{"a chat message, with its role",
			vapi.UpdateSessionRequest{Messages: []vapi.ChatMessage{&vapi.DeveloperMessage{Content: "be brief"}}},
			`{"messages":[{"role":"developer","content":"be brief"}]}`},
		{"a nested inline assistant",
			vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{
				Model: &vapi.OpenAIModel{Model: vapi.OpenAIModelModelGPT4o},
				Voice: &vapi.ElevenLabsVoice{VoiceID: "burt", Stability: vapi.Float64(0.5)},
			}},
			`{"assistant":{"model":{"provider":"openai","model":"gpt-4o"},"voice":{"provider":"11labs","voiceId":"burt","stability":0.5}}}`},
		{"a string alternative of a union",
			vapi.AssistantConfig{VoicemailDetection: vapi.VoicemailDetectionStringOff}, `{"voicemailDetection":"off"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" marshals to exactly its fields", func(t *testing.T) {
			out, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(out))
		})
	}
}

func TestRequestsRoundTripThroughJSON(t *testing.T) {
	req := fullRequest()
	b, err := json.Marshal(req)
	require.NoError(t, err)
	var back vapi.CreateSessionRequest
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, reflect.DeepEqual(req, &back), "round trip changed the request:\n%s", b)
}

func TestDecodeErrorsNameTheField(t *testing.T) {
	var s vapi.Session
	err := json.Unmarshal([]byte(`{"id":"x","customer":{"number":5}}`), &s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"customer.number"`)
}

// fullRequest is a create request with every commonly used part set, and
// valid.
func fullRequest() *vapi.CreateSessionRequest {
	return &vapi.CreateSessionRequest{
		Name:              vapi.String("support-call"),
		Status:            vapi.SessionStatusActive,
		ExpirationSeconds: vapi.Float64(3600),
		Assistant: &vapi.AssistantConfig{
			Name:         vapi.String("Riley"),
			FirstMessage: vapi.String("Hi, how can I help?"),
			Model: &vapi.OpenAIModel{
				Model:       vapi.OpenAIModelModelGPT4oMini,
				Temperature: vapi.Float64(0.3),
				Messages: []vapi.OpenAIMessage{
					{Role: vapi.OpenAIMessageRoleSystem, Content: vapi.NullableOf("You are concise.")},
				},
				Tools: []vapi.Tool{
					&vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{
						Name:        "check_balance",
						Description: vapi.String("Looks up the balance."),
					}},
					&vapi.EndCallToolConfig{},
				},
			},
			Voice:       &vapi.ElevenLabsVoice{VoiceID: vapi.ElevenLabsVoiceVoiceIDBurt, Stability: vapi.Float64(0.5), SimilarityBoost: vapi.Float64(0.75)},
			Transcriber: &vapi.DeepgramTranscriber{Model: vapi.DeepgramTranscriberModelNova2, Language: "en"},
			Metadata:    map[string]any{"team": "billing"},
		},
		Customer: &vapi.CustomerConfig{Number: vapi.String("+14155550123"), Name: vapi.String("Dana")},
		Messages: []vapi.ChatMessage{
			&vapi.DeveloperMessage{Content: "Customer is on the gold tier."},
			&vapi.AssistantMessage{Content: vapi.String("Welcome back.")},
		},
	}
}

func TestNullItemsOfArraysComeBackAsNull(t *testing.T) {
	tests := []struct {
		name, in, field string
	}{
		{"a null among strings", `{"model":{"provider":"openai","model":"gpt-4o","toolIds":["t1",null]}}`, "model.toolIds[1]"},
		{"a null among objects held by value", `{"model":{"provider":"openai","model":"gpt-4o","messages":[null,{"role":"system","content":"Be brief."}]}}`, "model.messages[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is written back as null", func(t *testing.T) {
			var a vapi.AssistantConfig
			require.NoError(t, json.Unmarshal([]byte(tt.in), &a))
			out, err := json.Marshal(a)
			require.NoError(t, err)
			assert.JSONEq(t, tt.in, string(out))
		})
		t.Run(tt.name+" is refused by Validate at its index", func(t *testing.T) {
			var a vapi.AssistantConfig
			require.NoError(t, json.Unmarshal([]byte(tt.in), &a))
			var ve *vapi.ValidationError
			require.ErrorAs(t, a.Validate(), &ve)
			var fields []string
			for _, fe := range ve.Errors {
				fields = append(fields, fe.Field)
			}
			assert.Equal(t, []string{tt.field}, fields)
		})
	}
	t.Run("an item set after decoding is written as set", func(t *testing.T) {
		var a vapi.AssistantConfig
		require.NoError(t, json.Unmarshal([]byte(tests[0].in), &a))
		m := a.Model.(*vapi.OpenAIModel)
		m.ToolIDs[1] = "t2"
		out, err := json.Marshal(a)
		require.NoError(t, err)
		assert.JSONEq(t, `{"model":{"provider":"openai","model":"gpt-4o","toolIds":["t1","t2"]}}`, string(out))
		assert.NoError(t, a.Validate())
	})
	t.Run("an array with no null item leaves nothing to record", func(t *testing.T) {
		var m vapi.OpenAIModel
		require.NoError(t, json.Unmarshal([]byte(`{"provider":"openai","model":"gpt-4o","toolIds":["t1","t2"]}`), &m))
		assert.Equal(t, vapi.OpenAIModel{Model: vapi.OpenAIModelModelGPT4o, ToolIDs: []string{"t1", "t2"}}, m)
	})
}
