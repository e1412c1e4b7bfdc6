package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// routerPlan is the HMAC plan of the router tests; signedPost signs with
// refSigner, the signer written in verify_test.go.
var routerPlan = vapi.HMACAuthenticationPlan{SecretKey: "router-key", Algorithm: "sha256"}

func signedPost(body string) *http.Request {
	return newRefSigner(routerPlan).request(body, seconds(testNow))
}

// newTestRouter is a router that verifies routerPlan and records what its
// error handler hears.
func newTestRouter(t *testing.T) (*webhook.Router, *recorder) {
	t.Helper()
	rec := &recorder{}
	r, err := webhook.NewRouter(webhook.WithHMAC(routerPlan), testClock, webhook.WithErrorHandler(rec.onError))
	require.NoError(t, err)
	return r, rec
}

// serve runs one request through h and returns the status and the body.
func serve(h http.Handler, r *http.Request) (int, string, http.Header) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

func msgBody(message string) string { return `{"message":` + message + `}` }

func TestRouterAnswersEachMessageWithItsFunction(t *testing.T) {
	r, rec := newTestRouter(t)
	type ctxKey struct{}
	var seen sync.Map // message type → the context value its function saw
	r.HandleToolCalls(func(ctx context.Context, m *vapi.ServerMessageToolCalls) (*vapi.ServerMessageResponseToolCalls, error) {
		seen.Store("tool-calls", ctx.Value(ctxKey{}))
		return &vapi.ServerMessageResponseToolCalls{Results: []vapi.ToolCallResult{{Name: m.ToolCallList[0].Function.Name, ToolCallID: m.ToolCallList[0].ID, Result: vapi.String("done")}}}, nil
	})
	r.HandleAssistantRequest(func(ctx context.Context, m *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
		seen.Store("assistant-request", ctx.Value(ctxKey{}))
		return &vapi.ServerMessageResponseAssistantRequest{AssistantID: vapi.String("asst-" + m.Call.ID)}, nil
	})
	r.HandleTransferDestinationRequest(func(ctx context.Context, m *vapi.ServerMessageTransferDestinationRequest) (*vapi.ServerMessageResponseTransferDestinationRequest, error) {
		return &vapi.ServerMessageResponseTransferDestinationRequest{Error: vapi.String("no agent free")}, nil
	})
	r.HandleKnowledgeBaseRequest(func(ctx context.Context, m *vapi.ServerMessageKnowledgeBaseRequest) (*vapi.ServerMessageResponseKnowledgeBaseRequest, error) {
		return &vapi.ServerMessageResponseKnowledgeBaseRequest{Documents: []vapi.KnowledgeBaseResponseDocument{{Content: "Returns within 30 days.", Similarity: 0.92}}}, nil
	})
	r.HandleVoiceRequest(func(ctx context.Context, m *vapi.ServerMessageVoiceRequest) (*vapi.ServerMessageResponseVoiceRequest, error) {
		return &vapi.ServerMessageResponseVoiceRequest{Data: "pcm:" + m.Text}, nil
	})
	r.HandleCallEndpointingRequest(func(ctx context.Context, m *vapi.ServerMessageCallEndpointingRequest) (*vapi.ServerMessageResponseCallEndpointingRequest, error) {
		return &vapi.ServerMessageResponseCallEndpointingRequest{TimeoutSeconds: 1.5}, nil
	})
	r.HandleHandoffDestinationRequest(func(ctx context.Context, m *vapi.ServerMessageHandoffDestinationRequest) (*vapi.ServerMessageResponseHandoffDestinationRequest, error) {
		return &vapi.ServerMessageResponseHandoffDestinationRequest{Destination: map[string]any{"type": "assistant", "assistantName": "billing"}}, nil
	})
	r.HandleCampaignPredial(func(ctx context.Context, m *vapi.ServerMessageCampaignPredial) (*vapi.ServerMessageResponseCampaignPredial, error) {
		return &vapi.ServerMessageResponseCampaignPredial{Eligible: m.CampaignID == "camp-ok"}, nil
	})
	var others []vapi.ServerMessage
	r.Handle(func(ctx context.Context, msg vapi.ServerMessage) error {
		others = append(others, msg)
		return nil
	})

	tests := []struct {
		name    string
		message string
		answer  string
	}{
		{"tool-calls gets the HandleToolCalls answer", `{"type":"tool-calls","toolCallList":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}],"toolWithToolCallList":[]}`,
			`{"results":[{"name":"f","toolCallId":"call_1","result":"done"}]}`},
		{"assistant-request gets the assistant", `{"type":"assistant-request","call":{"id":"c7","orgId":"o","createdAt":"2026-03-14T15:09:26Z","updatedAt":"2026-03-14T15:09:26Z"}}`,
			`{"assistantId":"asst-c7"}`},
		{"transfer-destination-request gets its answer", `{"type":"transfer-destination-request"}`, `{"error":"no agent free"}`},
		{"knowledge-base-request gets the documents", `{"type":"knowledge-base-request","messagesOpenAIFormatted":[]}`, `{"documents":[{"content":"Returns within 30 days.","similarity":0.92}]}`},
		{"voice-request gets the audio", `{"type":"voice-request","text":"hi","sampleRate":24000}`, `{"data":"pcm:hi"}`},
		{"call.endpointing.request gets the timeout", `{"type":"call.endpointing.request","messagesOpenAIFormatted":[]}`, `{"timeoutSeconds":1.5}`},
		{"handoff-destination-request gets the destination", `{"type":"handoff-destination-request","parameters":{}}`, `{"destination":{"type":"assistant","assistantName":"billing"}}`},
		{"campaign.predial gets the eligibility", `{"type":"campaign.predial","campaignId":"camp-ok","contact":{}}`, `{"eligible":true}`},
		{"status-update goes to Handle and gets {}", `{"type":"status-update","status":"ended"}`, `{}`},
		{"a type newer than the SDK goes to Handle and gets {}", `{"type":"call.teleported","where":"mars"}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := signedPost(msgBody(tt.message))
			req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, "request-scoped"))
			status, body, hdr := serve(r, req)
			require.Equal(t, 200, status, body)
			assert.JSONEq(t, tt.answer, body, "the answer is the bare object, not {\"messageResponse\": ...}")
			assert.Equal(t, "application/json", hdr.Get("Content-Type"))
		})
	}
	assert.Empty(t, rec.reasons)
	for _, typ := range []string{"tool-calls", "assistant-request"} {
		v, _ := seen.Load(typ)
		assert.Equal(t, "request-scoped", v, "the %s function gets the request's context", typ)
	}
	require.Len(t, others, 2, "Handle sees only the messages no typed function took")
	assert.IsType(t, &vapi.ServerMessageStatusUpdate{}, others[0])
	unknown, ok := others[1].(*vapi.UnknownServerMessage)
	require.True(t, ok)
	assert.Equal(t, "call.teleported", unknown.Type)
}

func TestRouterStatuses(t *testing.T) {
	assistantRequest := msgBody(`{"type":"assistant-request"}`)
	tests := []struct {
		name     string
		setup    func(r *webhook.Router)
		req      func() *http.Request
		status   int
		body     string // the JSON answer of a 200
		reason   error
		reasonIs func(error) bool
	}{
		{name: "a message that expects an answer with no function gets 200 {}", setup: func(*webhook.Router) {},
			req: func() *http.Request { return signedPost(assistantRequest) }, status: 200, body: `{}`},
		{name: "a message that expects an answer with only Handle gets 200 {} from Handle",
			setup: func(r *webhook.Router) { r.Handle(func(context.Context, vapi.ServerMessage) error { return nil }) },
			req:   func() *http.Request { return signedPost(assistantRequest) }, status: 200, body: `{}`},
		{name: "a nil answer gets 200 {}",
			setup: func(r *webhook.Router) {
				r.HandleAssistantRequest(func(context.Context, *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
					return nil, nil
				})
			},
			req: func() *http.Request { return signedPost(assistantRequest) }, status: 200, body: `{}`},
		{name: "a function's error gets 500 without its text",
			setup: func(r *webhook.Router) {
				r.HandleAssistantRequest(func(context.Context, *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
					return nil, errTestSecret
				})
			},
			req: func() *http.Request { return signedPost(assistantRequest) }, status: 500, reason: errTestSecret},
		{name: "Handle's error gets 500 without its text",
			setup: func(r *webhook.Router) {
				r.Handle(func(context.Context, vapi.ServerMessage) error { return errTestSecret })
			},
			req: func() *http.Request { return signedPost(msgBody(`{"type":"hang"}`)) }, status: 500, reason: errTestSecret},
		{name: "an answer that does not encode gets 500",
			setup: func(r *webhook.Router) {
				r.HandleToolCalls(func(context.Context, *vapi.ServerMessageToolCalls) (*vapi.ServerMessageResponseToolCalls, error) {
					return &vapi.ServerMessageResponseToolCalls{Results: []vapi.ToolCallResult{{Metadata: map[string]any{"f": func() {}}}}}, nil
				})
			},
			req: func() *http.Request {
				return signedPost(msgBody(`{"type":"tool-calls","toolCallList":[],"toolWithToolCallList":[]}`))
			},
			status: 500, reasonIs: func(err error) bool { return strings.Contains(err.Error(), "does not encode") }},
		{name: "an unsigned request gets 401", setup: func(*webhook.Router) {},
			req: func() *http.Request {
				return httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(assistantRequest))
			}, status: 401, reason: webhook.ErrMissingHeader},
		{name: "a tampered body gets 401", setup: func(*webhook.Router) {},
			req: func() *http.Request {
				r := signedPost(assistantRequest)
				r.Body = io.NopCloser(strings.NewReader(msgBody(`{"type":"assistant-request","x":1}`)))
				return r
			}, status: 401, reason: webhook.ErrInvalidSignature},
		{name: "GET gets 405", setup: func(*webhook.Router) {},
			req: func() *http.Request { return httptest.NewRequest(http.MethodGet, testURL, nil) }, status: 405},
		{name: "a verified body that is not a message gets 400", setup: func(*webhook.Router) {},
			req: func() *http.Request { return signedPost(`{"msg":{}}`) }, status: 400, reason: webhook.ErrMalformedBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, rec := newTestRouter(t)
			tt.setup(r)
			status, body, _ := serve(r, tt.req())
			assert.Equal(t, tt.status, status)
			if tt.status == 200 {
				assert.JSONEq(t, tt.body, body)
				assert.Empty(t, rec.reasons)
				return
			}
			assert.Equal(t, http.StatusText(tt.status)+"\n", body, "an error answer says nothing but the status")
			assert.NotContains(t, body, "hunter2")
			require.Len(t, rec.reasons, 1, "the error handler hears why")
			if tt.reason != nil {
				assert.ErrorIs(t, rec.reasons[0], tt.reason)
			}
			if tt.reasonIs != nil {
				assert.True(t, tt.reasonIs(rec.reasons[0]), "reason: %v", rec.reasons[0])
			}
		})
	}
}

var errTestSecret = errors.New("db password=hunter2 rejected")

// toolCallsBody is a tool-calls message with calls of the given function
// names, ids call_1, call_2, ..., each with the arguments {"n": i}.
func toolCallsBody(names ...string) string {
	var calls []string
	for i, n := range names {
		id := "call_" + string(rune('1'+i))
		calls = append(calls, `{"id":"`+id+`","type":"function","function":{"name":"`+n+`","arguments":"{\"n\":`+string(rune('1'+i))+`}"}}`)
	}
	return msgBody(`{"type":"tool-calls","timestamp":1773500966000,"toolCallList":[` + strings.Join(calls, ",") + `],"toolWithToolCallList":[]}`)
}

type lookupResult struct {
	Order  string `json:"order"`
	Status string `json:"status"`
}

func TestRouterHandleToolAnswersCallByCall(t *testing.T) {
	r, rec := newTestRouter(t)
	var order []string
	var mu sync.Mutex
	note := func(s string) {
		mu.Lock()
		order = append(order, s)
		mu.Unlock()
	}
	r.HandleTool("lookup", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		note("lookup " + call.ID)
		args, err := webhook.Arguments[struct{ N int }](call)
		if err != nil {
			return nil, err
		}
		return lookupResult{Order: "A" + string(rune('0'+args.N)), Status: "shipped"}, nil
	})
	r.HandleTool("say", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		note("say " + call.ID)
		return "it is \"sunny\"", nil
	})
	r.HandleTool("fail", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		note("fail " + call.ID)
		return nil, errors.New("the booking system is down")
	})
	r.HandleTool("raw", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		return json.RawMessage(`{"kept":true}`), nil
	})
	r.HandleTool("unencodable", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		return make(chan int), nil
	})

	status, body, _ := serve(r, signedPost(toolCallsBody("lookup", "fail", "nobody", "say", "raw", "unencodable")))
	require.Equal(t, 200, status, "one failing tool never fails the answer")
	var answer struct {
		Results []map[string]string `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &answer), body)
	assert.Equal(t, []map[string]string{
		{"toolCallId": "call_1", "name": "lookup", "result": `{"order":"A1","status":"shipped"}`},
		{"toolCallId": "call_2", "name": "fail", "error": "the booking system is down"},
		{"toolCallId": "call_3", "name": "nobody", "error": `no tool named "nobody" is registered on this server`},
		{"toolCallId": "call_4", "name": "say", "result": `it is "sunny"`},
		{"toolCallId": "call_5", "name": "raw", "result": `{"kept":true}`},
		{"toolCallId": "call_6", "name": "unencodable", "error": "the result of unencodable does not encode as JSON: json: unsupported type: chan int"},
	}, answer.Results, "one result per call, in order: a string as is, anything else as JSON, an error as the call's error")
	assert.Equal(t, []string{"lookup call_1", "fail call_2", "say call_4"}, order, "the functions run one after the other, in order")

	require.Len(t, rec.reasons, 3, "each failed call goes to the error handler")
	var te *webhook.ToolError
	require.ErrorAs(t, rec.reasons[0], &te)
	assert.Equal(t, "fail", te.Name)
	assert.Equal(t, "call_2", te.ToolCallID)
	assert.EqualError(t, te, `webhook: tool "fail" (call "call_2"): the booking system is down`)
	assert.ErrorIs(t, rec.reasons[1], webhook.ErrUnknownTool)
	require.ErrorAs(t, rec.reasons[2], &te)
	assert.Equal(t, "unencodable", te.Name)
}

func TestRouterHandleToolReadsToolWithToolCallListWhenItIsAllThereIs(t *testing.T) {
	r, _ := newTestRouter(t)
	r.HandleTool("get_weather", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		args, err := webhook.Arguments[struct {
			City string `json:"city"`
		}](call)
		return "sunny in " + args.City, err
	})
	body := msgBody(`{"type":"tool-calls","toolCallList":[],"toolWithToolCallList":[` +
		`{"type":"function","function":{"name":"get_weather"},"toolCall":{"id":"call_w","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}},` +
		`{"type":"teleporter","toolCall":{"id":"call_t","type":"function","function":{"name":"beam","arguments":""}}}]}`)
	status, answer, _ := serve(r, signedPost(body))
	require.Equal(t, 200, status)
	assert.JSONEq(t, `{"results":[
		{"toolCallId":"call_w","name":"get_weather","result":"sunny in Lyon"},
		{"toolCallId":"call_t","name":"beam","error":"no tool named \"beam\" is registered on this server"}]}`, answer)
}

func TestRouterHandleToolDoesNotRunCallsOfACancelledRequest(t *testing.T) {
	r, rec := newTestRouter(t)
	ctx, cancel := context.WithCancel(context.Background())
	ran := 0
	r.HandleTool("first", func(context.Context, vapi.ToolCall) (any, error) {
		ran++
		cancel() // Vapi gave up waiting
		return "ok", nil
	})
	r.HandleTool("second", func(context.Context, vapi.ToolCall) (any, error) {
		ran++
		return "too late", nil
	})
	status, body, _ := serve(r, signedPost(toolCallsBody("first", "second")).WithContext(ctx))
	require.Equal(t, 200, status)
	assert.Equal(t, 1, ran)
	assert.Contains(t, body, `"error":"the request was cancelled before the tool ran: context canceled"`)
	require.Len(t, rec.reasons, 1)
	assert.ErrorIs(t, rec.reasons[0], context.Canceled)
}

func TestRouterRegistrationPanics(t *testing.T) {
	tool := func(context.Context, vapi.ToolCall) (any, error) { return nil, nil }
	toolCalls := func(context.Context, *vapi.ServerMessageToolCalls) (*vapi.ServerMessageResponseToolCalls, error) {
		return nil, nil
	}
	assistant := func(context.Context, *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
		return nil, nil
	}
	handle := func(context.Context, vapi.ServerMessage) error { return nil }
	tests := []struct {
		name  string
		steps []func(r *webhook.Router)
		want  string
	}{
		{"HandleTool after HandleToolCalls", []func(*webhook.Router){
			func(r *webhook.Router) { r.HandleToolCalls(toolCalls) }, func(r *webhook.Router) { r.HandleTool("x", tool) }}, "HandleToolCalls already answers tool-calls"},
		{"HandleToolCalls after HandleTool", []func(*webhook.Router){
			func(r *webhook.Router) { r.HandleTool("x", tool) }, func(r *webhook.Router) { r.HandleToolCalls(toolCalls) }}, "HandleTool already answers tool-calls"},
		{"the same tool twice", []func(*webhook.Router){
			func(r *webhook.Router) { r.HandleTool("x", tool) }, func(r *webhook.Router) { r.HandleTool("x", tool) }}, `already registered for "x"`},
		{"HandleToolCalls twice", []func(*webhook.Router){
			func(r *webhook.Router) { r.HandleToolCalls(toolCalls) }, func(r *webhook.Router) { r.HandleToolCalls(toolCalls) }}, "HandleToolCalls: a function is already registered"},
		{"HandleAssistantRequest twice", []func(*webhook.Router){
			func(r *webhook.Router) { r.HandleAssistantRequest(assistant) }, func(r *webhook.Router) { r.HandleAssistantRequest(assistant) }}, "HandleAssistantRequest: a function is already registered"},
		{"Handle twice", []func(*webhook.Router){
			func(r *webhook.Router) { r.Handle(handle) }, func(r *webhook.Router) { r.Handle(handle) }}, "Handle: a function is already registered"},
		{"a nil tool function", []func(*webhook.Router){func(r *webhook.Router) { r.HandleTool("x", nil) }}, "nil function"},
		{"an empty tool name", []func(*webhook.Router){func(r *webhook.Router) { r.HandleTool("", tool) }}, "empty name"},
		{"a nil typed function", []func(*webhook.Router){func(r *webhook.Router) { r.HandleVoiceRequest(nil) }}, "HandleVoiceRequest: nil function"},
		{"a nil Handle function", []func(*webhook.Router){func(r *webhook.Router) { r.Handle(nil) }}, "Handle: nil function"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" panics", func(t *testing.T) {
			r, _ := newTestRouter(t)
			last := len(tt.steps) - 1
			for _, step := range tt.steps[:last] {
				step(r)
			}
			assert.PanicsWithValue(t, panicText(t, r, tt.steps[last]), func() { tt.steps[last](r) })
			assert.Contains(t, panicText(t, r, tt.steps[last]), tt.want)
		})
	}
	t.Run("a refused registration leaves the router as it was", func(t *testing.T) {
		r, _ := newTestRouter(t)
		r.HandleTool("x", func(context.Context, vapi.ToolCall) (any, error) { return "from x", nil })
		assert.Panics(t, func() { r.HandleToolCalls(toolCalls) })
		status, body, _ := serve(r, signedPost(toolCallsBody("x")))
		require.Equal(t, 200, status)
		assert.Contains(t, body, `"result":"from x"`)
	})
}

// panicText returns what step panics with.
func panicText(t *testing.T, r *webhook.Router, step func(*webhook.Router)) (text string) {
	t.Helper()
	defer func() { text, _ = recover().(string) }()
	step(r)
	return ""
}

func TestRouterIsSafeToRegisterWhileServing(t *testing.T) {
	r, _ := newTestRouter(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		name := "tool" + string(rune('a'+i))
		go func() {
			defer wg.Done()
			r.HandleTool(name, func(context.Context, vapi.ToolCall) (any, error) { return name, nil })
		}()
		go func() {
			defer wg.Done()
			status, _, _ := serve(r, signedPost(toolCallsBody(name)))
			assert.Equal(t, 200, status)
		}()
	}
	wg.Wait()
	status, body, _ := serve(r, signedPost(toolCallsBody("toolh")))
	require.Equal(t, 200, status)
	assert.Contains(t, body, `"result":"toolh"`)
}

func TestNewRouterRefusesToRunUnprotected(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []webhook.Option
		want error
	}{
		{"no option at all", nil, webhook.ErrNoVerification},
		{"an empty secret", []webhook.Option{webhook.WithSecret("")}, webhook.ErrInvalidOption},
		{"a plan that signs no body", []webhook.Option{webhook.WithHMAC(vapi.HMACAuthenticationPlan{SecretKey: "k", Algorithm: "sha256", PayloadFormat: vapi.String("{timestamp}")})}, webhook.ErrInvalidOption},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := webhook.NewRouter(tt.opts...)
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, r)
		})
	}
}

func TestArguments(t *testing.T) {
	type args struct {
		City  string `json:"city"`
		Units string `json:"units"`
	}
	call := func(arguments string) vapi.ToolCall {
		return vapi.ToolCall{ID: "call_9", Type: "function", Function: vapi.ToolCallFunction{Name: "get_weather", Arguments: arguments}}
	}
	tests := []struct {
		name      string
		arguments string
		want      args
		err       string
	}{
		{"a JSON object in a string decodes", `{"city":"Paris","units":"metric"}`, args{City: "Paris", Units: "metric"}, ""},
		{"surrounding space is fine", " \n{\"city\":\"Oslo\"} ", args{City: "Oslo"}, ""},
		{"a string that holds the JSON encoded once more decodes", `"{\"city\":\"Rome\"}"`, args{City: "Rome"}, ""},
		{"no arguments decode to the zero value", ``, args{}, ""},
		{"null decodes to the zero value", `null`, args{}, ""},
		{"members T does not have are ignored", `{"city":"Kyiv","extra":1}`, args{City: "Kyiv"}, ""},
		{"arguments that are not JSON are an error naming the call", `city=Paris`, args{}, `webhook: the arguments of "get_weather" (call "call_9") do not decode`},
		{"a member of the wrong type is an error", `{"city":7}`, args{}, `cannot unmarshal number`},
		{"a JSON string that is not JSON inside is an error", `"not json"`, args{}, `do not decode`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := webhook.Arguments[args](call(tt.arguments))
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("a map takes whatever the object holds", func(t *testing.T) {
		got, err := webhook.Arguments[map[string]any](call(`{"a":[1,2],"b":{"c":true}}`))
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"a": []any{1.0, 2.0}, "b": map[string]any{"c": true}}, got)
	})
}
