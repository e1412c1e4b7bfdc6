package vapi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

func TestValidationReportsEachKindOfViolationAtItsPath(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *vapi.CreateSessionRequest)
		field  string
		msg    string
	}{
		{"a name longer than 40 characters", func(r *vapi.CreateSessionRequest) { r.Name = vapi.String(strings.Repeat("n", 41)) },
			"name", "must be at most 40 characters long"},
		{"a status outside the closed enum", func(r *vapi.CreateSessionRequest) { r.Status = "paused" },
			"status", `must be one of "active", "completed"`},
		{"an expiration below the minimum", func(r *vapi.CreateSessionRequest) { r.ExpirationSeconds = vapi.Float64(59) },
			"expirationSeconds", "must be at least 60"},
		{"an expiration above the maximum", func(r *vapi.CreateSessionRequest) { r.ExpirationSeconds = vapi.Float64(2592001) },
			"expirationSeconds", "must be at most 2.592e+06"},
		{"a customer number shorter than 3 characters", func(r *vapi.CreateSessionRequest) { r.Customer.Number = vapi.String("12") },
			"customer.number", "must be at least 3 characters long"},
		{"a voice stability above 1", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice.(*vapi.ElevenLabsVoice).Stability = vapi.Float64(1.5)
		}, "assistant.voice.stability", "must be at most 1"},
		{"a tool function name that breaks its pattern", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Model.(*vapi.OpenAIModel).Tools[0].(*vapi.FunctionToolConfig).Function.Name = "check balance"
		}, "assistant.model.tools[0].function.name", "must match ^[a-zA-Z0-9_-]{1,64}$"},
		{"an empty tool function name, present but breaking its pattern", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Model.(*vapi.OpenAIModel).Tools[0].(*vapi.FunctionToolConfig).Function.Name = ""
		}, "assistant.model.tools[0].function.name", "must match ^[a-zA-Z0-9_-]{1,64}$"},
		{"a model message without its required nullable content", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Model.(*vapi.OpenAIModel).Messages[0].Content = vapi.Nullable[string]{}
		}, "assistant.model.messages[0].content", "is required"},
		{"a voice whose provider the SDK does not know", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice = &vapi.UnknownVoice{Provider: "elevenlabs", Raw: []byte(`{"provider":"elevenlabs","voiceId":"burt"}`)}
		}, "assistant.voice.provider", `must be one of "azure", "cartesia", "custom-voice", "deepgram", "11labs", "hume", "lmnt", "neuphonic", "openai", "playht", "wellsaid", "rime-ai", "smallest-ai", "tavus", "vapi", "sesame", "inworld", "minimax", "xai", "microsoft" (this SDK does not know "elevenlabs"; pass WithoutValidation to send it anyway)`},
		{"a voice without a provider", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice = &vapi.UnknownVoice{Raw: []byte(`{"voiceId":"burt"}`)}
		}, "assistant.voice.provider", `is required: one of "azure", "cartesia", "custom-voice", "deepgram", "11labs", "hume", "lmnt", "neuphonic", "openai", "playht", "wellsaid", "rime-ai", "smallest-ai", "tavus", "vapi", "sesame", "inworld", "minimax", "xai", "microsoft"`},
		{"a typed nil voice", func(r *vapi.CreateSessionRequest) { r.Assistant.Voice = (*vapi.ElevenLabsVoice)(nil) },
			"assistant.voice", "must not be null"},
		{"a typed nil in a list of union values", func(r *vapi.CreateSessionRequest) { r.Messages[1] = (*vapi.AssistantMessage)(nil) },
			"messages[1]", "must not be null"},
		{"a fallback voice that sets a fallback plan of its own", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice.(*vapi.ElevenLabsVoice).FallbackPlan = &vapi.FallbackPlan{Voices: []vapi.FallbackVoice{
				&vapi.FallbackElevenLabsVoice{VoiceID: "burt", FallbackPlan: &vapi.FallbackPlan{Voices: []vapi.FallbackVoice{}}},
			}}
		}, "assistant.voice.fallbackPlan.voices[0].fallbackPlan", "property fallbackPlan should not exist"},
		{"a nil element in a list of union values", func(r *vapi.CreateSessionRequest) { r.Messages[1] = nil },
			"messages[1]", "must not be null"},
		{"a number alternative of a union out of its range", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice = &vapi.CartesiaVoice{VoiceID: "v1", ExperimentalControls: &vapi.CartesiaExperimentalControls{Speed: vapi.CartesiaSpeedNumber(2)}}
		}, "assistant.voice.experimentalControls.speed", "must be at most 1"},
		{"a string alternative of a union outside its enum", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Voice = &vapi.CartesiaVoice{VoiceID: "v1", ExperimentalControls: &vapi.CartesiaExperimentalControls{Speed: vapi.CartesiaSpeedString("warp")}}
		}, "assistant.voice.experimentalControls.speed", `must be one of "slowest", "slow", "normal", "fast", "fastest"`},
		{"a model message with a role outside its enum", func(r *vapi.CreateSessionRequest) {
			r.Assistant.Model.(*vapi.OpenAIModel).Messages[0].Role = "narrator"
		}, "assistant.model.messages[0].role", `must be one of "assistant", "function", "user", "system", "tool"`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is reported at "+tt.field, func(t *testing.T) {
			r := fullRequest()
			tt.mutate(r)
			err := r.Validate()
			var ve *vapi.ValidationError
			require.True(t, errors.As(err, &ve), "Validate() = %v, want a *ValidationError", err)
			require.Len(t, ve.Errors, 1, "%v", ve)
			assert.Equal(t, tt.field, ve.Errors[0].Field)
			assert.Equal(t, tt.msg, ve.Errors[0].Message)
			assert.True(t, ve.Has(tt.field))
		})
	}
}

func TestValidationReportsEveryViolationNotTheFirst(t *testing.T) {
	r := fullRequest()
	r.Name = vapi.String(strings.Repeat("x", 50))
	r.Status = "paused"
	r.Customer.Number = vapi.String("1")
	r.Assistant.Voice.(*vapi.ElevenLabsVoice).SimilarityBoost = vapi.Float64(-1)
	err := r.Validate()
	var ve *vapi.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, fe := range ve.Errors {
		fields = append(fields, fe.Field)
	}
	assert.ElementsMatch(t, []string{"name", "status", "customer.number", "assistant.voice.similarityBoost"}, fields)
	assert.Contains(t, err.Error(), "customer.number: must be at least 3 characters long")
}

func TestValidRequestsPass(t *testing.T) {
	tests := []struct {
		name string
		req  *vapi.CreateSessionRequest
	}{
		{"an empty request", &vapi.CreateSessionRequest{}},
		{"a fully populated request", fullRequest()},
		{"a request by assistant id with overrides", &vapi.CreateSessionRequest{
			AssistantID:        vapi.String("a1b2"),
			AssistantOverrides: &vapi.AssistantOverrides{VariableValues: map[string]any{"name": "Dana"}},
		}},
		{"a model the SDK does not know yet (vendor catalogues stay open)", &vapi.CreateSessionRequest{
			Assistant: &vapi.AssistantConfig{Model: &vapi.OpenAIModel{Model: "gpt-9-preview"}},
		}},
		{"a voice id outside the presets", &vapi.CreateSessionRequest{
			Assistant: &vapi.AssistantConfig{Voice: &vapi.ElevenLabsVoice{VoiceID: "my-cloned-voice"}},
		}},
		{"a name of exactly 40 characters, counted as the API counts", &vapi.CreateSessionRequest{
			Name: vapi.String(strings.Repeat("é", 40)),
		}},
		{"an empty string in a required field (present, not missing)", &vapi.CreateSessionRequest{
			Messages: []vapi.ChatMessage{&vapi.DeveloperMessage{Content: ""}},
		}},
		{"Deepgram keywords in any script, with and without an intensifier", &vapi.CreateSessionRequest{
			Assistant: &vapi.AssistantConfig{Transcriber: &vapi.DeepgramTranscriber{Keywords: []string{"Vapi", "Grüße:2", "東京:-1"}}},
		}},
		{"an assistant message with tool calls and null content", &vapi.CreateSessionRequest{
			Assistant: &vapi.AssistantConfig{Model: &vapi.OpenAIModel{Model: "gpt-4o", Messages: []vapi.OpenAIMessage{
				{Role: vapi.OpenAIMessageRoleAssistant, Content: vapi.Null[string]()},
			}}},
		}},
		{"a fallback voice, which is the primary voice type without a plan of its own", &vapi.CreateSessionRequest{
			Assistant: &vapi.AssistantConfig{Voice: &vapi.ElevenLabsVoice{VoiceID: "burt", FallbackPlan: &vapi.FallbackPlan{
				Voices: []vapi.FallbackVoice{&vapi.FallbackElevenLabsVoice{VoiceID: "rachel"}, &vapi.OpenAIVoice{VoiceID: "alloy"}},
			}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" validates", func(t *testing.T) {
			assert.NoError(t, tt.req.Validate())
		})
	}
}

func TestLengthCountsLikeClassValidator(t *testing.T) {
	// class-validator's isLength counts code points and leaves out the
	// variation selectors U+FE0E and U+FE0F; JavaScript's length would
	// count an emoji twice.
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"40 emoji are 40 characters", strings.Repeat("😀", 40), true},
		{"41 emoji are 41 characters", strings.Repeat("😀", 41), false},
		{"40 hearts with a variation selector are 40 characters", strings.Repeat("❤\uFE0F", 40), true},
		{"a 39-letter name and an emoji are 40 characters", strings.Repeat("a", 39) + "😀", true},
		{"41 accented letters are 41 characters", strings.Repeat("é", 41), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&vapi.CreateSessionRequest{Name: vapi.String(tt.value)}).Validate()
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestValidationStopsAtACycle(t *testing.T) {
	schema := &vapi.JSONSchema{Type: vapi.JSONSchemaTypeObject}
	schema.Items = schema // a schema that contains itself
	r := &vapi.CreateSessionRequest{Assistant: &vapi.AssistantConfig{Model: &vapi.OpenAIModel{Model: "gpt-4o", Tools: []vapi.Tool{
		&vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "f", Parameters: &vapi.OpenAIFunctionParameters{
			Properties: map[string]vapi.JSONSchema{"loop": *schema},
		}}},
	}}}}
	var ve *vapi.ValidationError
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Contains(t, ve.Errors[len(ve.Errors)-1].Message, "does the value contain itself?")
	_, err := r.MarshalJSON()
	assert.ErrorContains(t, err, "does it contain itself?")
}

func TestUpdateRequestValidates(t *testing.T) {
	r := &vapi.UpdateSessionRequest{Status: "archived", ExpirationSeconds: vapi.Float64(10)}
	var ve *vapi.ValidationError
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Len(t, ve.Errors, 2)
	assert.NoError(t, (&vapi.UpdateSessionRequest{Name: vapi.String("renamed")}).Validate())
}

func TestValidatingAValidRequestDoesNotAllocate(t *testing.T) {
	r := fullRequest()
	allocs := testing.AllocsPerRun(100, func() {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "Validate allocated on a valid request")
}

func TestChatRequestsFollowTheRulesTheSpecStatesInProse(t *testing.T) {
	tests := []struct {
		name   string
		req    vapi.CreateChatRequest
		fields []string
	}{
		{"a turn in a session", vapi.CreateChatRequest{SessionID: vapi.String("s1"), Input: vapi.ChatInputText("hi")}, nil},
		{"a turn after a previous chat", vapi.CreateChatRequest{PreviousChatID: vapi.String("c1"), Input: vapi.ChatInputText("hi")}, nil},
		{"a session and a previous chat", vapi.CreateChatRequest{SessionID: vapi.String("s1"), PreviousChatID: vapi.String("c1"), Input: vapi.ChatInputText("hi")},
			[]string{"previousChatId"}},
		{"a session and its assistant again", vapi.CreateChatRequest{SessionID: vapi.String("s1"), AssistantID: vapi.String("a1"),
			Assistant: &vapi.AssistantConfig{}, Input: vapi.ChatInputText("hi")}, []string{"assistantId", "assistant"}},
		{"a session and a squad", vapi.CreateChatRequest{SessionID: vapi.String("s1"), SquadID: vapi.String("q1"), Squad: &vapi.SquadConfig{Members: []vapi.SquadMember{}},
			Input: vapi.ChatInputText("hi")}, []string{"squadId", "squad"}},
		{"no input", vapi.CreateChatRequest{AssistantID: vapi.String("a1")}, []string{"input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate()
			if tt.fields == nil {
				assert.NoError(t, err)
				return
			}
			var ve *vapi.ValidationError
			require.ErrorAs(t, err, &ve)
			var got []string
			for _, fe := range ve.Errors {
				got = append(got, fe.Field)
			}
			assert.ElementsMatch(t, tt.fields, got)
		})
	}
	t.Run("the OpenAI-compatible request follows them too", func(t *testing.T) {
		r := vapi.OpenAIResponsesRequest{SessionID: vapi.String("s1"), PreviousChatID: vapi.String("c1"), Input: vapi.ChatInputText("hi")}
		var ve *vapi.ValidationError
		require.ErrorAs(t, r.Validate(), &ve)
		assert.True(t, ve.Has("previousChatId"))
	})
}
