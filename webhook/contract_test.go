package webhook_test

import (
	"context"
	"net/http"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// The server URL part of ../shared/API.md (version 3), spelled out so that
// a renamed or re-typed identifier fails this file's compilation before it
// fails anyone else's.
var (
	_ func(...webhook.Option) (*webhook.Router, error) = webhook.NewRouter
	_ http.Handler                                     = (*webhook.Router)(nil)
	_ func(string, string, bool) webhook.Option        = webhook.WithBearer

	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageToolCalls) (*vapi.ServerMessageResponseToolCalls, error))                                   = (*webhook.Router).HandleToolCalls
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error))                     = (*webhook.Router).HandleAssistantRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageTransferDestinationRequest) (*vapi.ServerMessageResponseTransferDestinationRequest, error)) = (*webhook.Router).HandleTransferDestinationRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageKnowledgeBaseRequest) (*vapi.ServerMessageResponseKnowledgeBaseRequest, error))             = (*webhook.Router).HandleKnowledgeBaseRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageVoiceRequest) (*vapi.ServerMessageResponseVoiceRequest, error))                             = (*webhook.Router).HandleVoiceRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageCallEndpointingRequest) (*vapi.ServerMessageResponseCallEndpointingRequest, error))         = (*webhook.Router).HandleCallEndpointingRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageHandoffDestinationRequest) (*vapi.ServerMessageResponseHandoffDestinationRequest, error))   = (*webhook.Router).HandleHandoffDestinationRequest
	_ func(*webhook.Router, func(context.Context, *vapi.ServerMessageCampaignPredial) (*vapi.ServerMessageResponseCampaignPredial, error))                       = (*webhook.Router).HandleCampaignPredial
	_ func(*webhook.Router, string, func(context.Context, vapi.ToolCall) (any, error))                                                                           = (*webhook.Router).HandleTool
	_ func(*webhook.Router, func(context.Context, vapi.ServerMessage) error)                                                                                     = (*webhook.Router).Handle
	_ func(vapi.ToolCall) (struct{ City string }, error)                                                                                                         = webhook.Arguments[struct{ City string }]

	_ func(*vapitest.Server, context.Context, string, vapi.ServerMessage) ([]byte, error) = (*vapitest.Server).SendServerMessage
	_ func(func(context.Context, []vapi.ChatMessage) vapitest.Reply) vapitest.Option      = vapitest.WithChatReplies
	_                                                                                     = vapitest.Reply{Text: "", ToolCalls: []vapi.ToolCall(nil)}
)
