package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"

	"github.com/govapi/vapi"
)

// toolCallsType is the message HandleToolCalls and HandleTool answer.
var toolCallsType = reflect.TypeFor[*vapi.ServerMessageToolCalls]()

// HandleToolCalls registers fn to answer tool-calls messages whole: the
// assistant asks the server to run the tools of m.ToolCallList and waits
// for the results. To answer call by call, by function name, use
// [Router.HandleTool] instead (registering both panics).
func (rt *Router) HandleToolCalls(fn func(ctx context.Context, m *vapi.ServerMessageToolCalls) (*vapi.ServerMessageResponseToolCalls, error)) {
	handleAnswer(rt, "HandleToolCalls", fn)
}

// HandleAssistantRequest registers fn to answer assistant-request
// messages: for an inbound call, the server names the assistant (or squad,
// workflow, or a transfer destination) that takes it.
func (rt *Router) HandleAssistantRequest(fn func(ctx context.Context, m *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error)) {
	handleAnswer(rt, "HandleAssistantRequest", fn)
}

// HandleTransferDestinationRequest registers fn to answer
// transfer-destination-request messages: the server says where to
// transfer the call.
func (rt *Router) HandleTransferDestinationRequest(fn func(ctx context.Context, m *vapi.ServerMessageTransferDestinationRequest) (*vapi.ServerMessageResponseTransferDestinationRequest, error)) {
	handleAnswer(rt, "HandleTransferDestinationRequest", fn)
}

// HandleKnowledgeBaseRequest registers fn to answer knowledge-base-request
// messages: the server returns the documents (or the message) of a custom
// knowledge base for the conversation so far.
func (rt *Router) HandleKnowledgeBaseRequest(fn func(ctx context.Context, m *vapi.ServerMessageKnowledgeBaseRequest) (*vapi.ServerMessageResponseKnowledgeBaseRequest, error)) {
	handleAnswer(rt, "HandleKnowledgeBaseRequest", fn)
}

// HandleVoiceRequest registers fn to answer voice-request messages: a
// custom voice's server returns the audio for a text.
func (rt *Router) HandleVoiceRequest(fn func(ctx context.Context, m *vapi.ServerMessageVoiceRequest) (*vapi.ServerMessageResponseVoiceRequest, error)) {
	handleAnswer(rt, "HandleVoiceRequest", fn)
}

// HandleCallEndpointingRequest registers fn to answer
// call.endpointing.request messages: the server says how long to wait
// before the assistant takes its turn.
func (rt *Router) HandleCallEndpointingRequest(fn func(ctx context.Context, m *vapi.ServerMessageCallEndpointingRequest) (*vapi.ServerMessageResponseCallEndpointingRequest, error)) {
	handleAnswer(rt, "HandleCallEndpointingRequest", fn)
}

// HandleHandoffDestinationRequest registers fn to answer
// handoff-destination-request messages: the server says which assistant a
// handoff goes to.
func (rt *Router) HandleHandoffDestinationRequest(fn func(ctx context.Context, m *vapi.ServerMessageHandoffDestinationRequest) (*vapi.ServerMessageResponseHandoffDestinationRequest, error)) {
	handleAnswer(rt, "HandleHandoffDestinationRequest", fn)
}

// HandleCampaignPredial registers fn to answer campaign.predial messages:
// before a campaign dials a contact, the server says whether the contact
// is eligible.
func (rt *Router) HandleCampaignPredial(fn func(ctx context.Context, m *vapi.ServerMessageCampaignPredial) (*vapi.ServerMessageResponseCampaignPredial, error)) {
	handleAnswer(rt, "HandleCampaignPredial", fn)
}

// toolCalls returns the calls of a tool-calls message: toolCallList, or,
// when it is empty, the toolCall of each member of toolWithToolCallList.
func toolCalls(m *vapi.ServerMessageToolCalls) []vapi.ToolCall {
	if len(m.ToolCallList) > 0 {
		return m.ToolCallList
	}
	calls := make([]vapi.ToolCall, 0, len(m.ToolWithToolCallList))
	for _, t := range m.ToolWithToolCallList {
		switch t := t.(type) {
		case *vapi.FunctionToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.GHLToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.MakeToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.BashToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.ComputerToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.TextEditorToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.GoogleCalendarCreateEventToolWithToolCall:
			calls = append(calls, t.ToolCall)
		case *vapi.UnknownClientMessageToolCallsToolWithToolCallList:
			// A tool kind newer than the SDK: its toolCall is still a
			// ToolCall.
			var raw struct {
				ToolCall *vapi.ToolCall `json:"toolCall"`
			}
			if json.Unmarshal(t.Raw, &raw) == nil && raw.ToolCall != nil {
				calls = append(calls, *raw.ToolCall)
			}
		}
	}
	return calls
}

// runTools answers a tool-calls message with the HandleTool functions,
// call by call. It never fails: each call's failure is that call's error.
func (rt *Router) runTools(req *http.Request, msg vapi.ServerMessage, tools map[string]toolFunc) ([]byte, error) {
	ctx := req.Context()
	calls := toolCalls(msg.(*vapi.ServerMessageToolCalls))
	answer := vapi.ServerMessageResponseToolCalls{Results: make([]vapi.ToolCallResult, 0, len(calls))}
	for _, call := range calls {
		res := vapi.ToolCallResult{Name: call.Function.Name, ToolCallID: call.ID}
		text, err := runTool(ctx, tools, call)
		if err != nil {
			rt.v.report(req, &ToolError{Name: call.Function.Name, ToolCallID: call.ID, Err: err})
			res.Error = &text
		} else {
			res.Result = &text
		}
		answer.Results = append(answer.Results, res)
	}
	b, err := json.Marshal(&answer)
	if err != nil {
		return nil, fmt.Errorf("webhook: HandleTool: the answer does not encode: %w", err)
	}
	return b, nil
}

// runTool runs one call and returns its result, or its error's text with
// the error.
func runTool(ctx context.Context, tools map[string]toolFunc, call vapi.ToolCall) (string, error) {
	fn, ok := tools[call.Function.Name]
	if !ok {
		return fmt.Sprintf("no tool named %q is registered on this server", call.Function.Name), ErrUnknownTool
	}
	if err := ctx.Err(); err != nil {
		return "the request was cancelled before the tool ran: " + err.Error(), err
	}
	v, err := fn(ctx, call)
	if err != nil {
		return err.Error(), err
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		err = fmt.Errorf("the result of %s does not encode as JSON: %w", call.Function.Name, err)
		return err.Error(), err
	}
	return string(b), nil
}
