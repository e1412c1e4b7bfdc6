package vapi_test

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// The public API of ../shared/API.md (versions 2 and 3), spelled out so that a
// renamed or re-typed identifier fails this file's compilation before it
// fails anyone else's.
var (
	_ func(...vapi.Option) (*vapi.Client, error) = vapi.NewClient

	_ func(string) vapi.Option                       = vapi.WithAPIKey
	_ func(string) vapi.Option                       = vapi.WithBaseURL
	_ func(*http.Client) vapi.Option                 = vapi.WithHTTPClient
	_ func(time.Duration) vapi.Option                = vapi.WithTimeout
	_ func(int) vapi.Option                          = vapi.WithMaxRetries
	_ func(time.Duration, time.Duration) vapi.Option = vapi.WithRetryWait
	_ func(*slog.Logger) vapi.Option                 = vapi.WithLogger
	_ func(string) vapi.Option                       = vapi.WithUserAgent
	_ func(string, string) vapi.Option               = vapi.WithHeader
	_ func() vapi.Option                             = vapi.WithoutValidation
	_ func(*vapi.Response) vapi.Option               = vapi.WithResponseInto
	_ func(int64) vapi.Option                        = vapi.WithMaxResponseBytes
	_ func(time.Duration) vapi.Option                = vapi.WithStreamIdleTimeout

	_ func(*vapi.SessionsService, context.Context, *vapi.CreateSessionRequest, ...vapi.Option) (*vapi.Session, error)         = (*vapi.SessionsService).Create
	_ func(*vapi.SessionsService, context.Context, string, ...vapi.Option) (*vapi.Session, error)                             = (*vapi.SessionsService).Get
	_ func(*vapi.SessionsService, context.Context, *vapi.ListSessionsParams, ...vapi.Option) (*vapi.SessionPage, error)       = (*vapi.SessionsService).List
	_ func(*vapi.SessionsService, context.Context, *vapi.ListSessionsParams, ...vapi.Option) iter.Seq2[*vapi.Session, error]  = (*vapi.SessionsService).ListAll
	_ func(*vapi.SessionsService, context.Context, string, *vapi.UpdateSessionRequest, ...vapi.Option) (*vapi.Session, error) = (*vapi.SessionsService).Update
	_ func(*vapi.SessionsService, context.Context, string, ...vapi.Option) (*vapi.Session, error)                             = (*vapi.SessionsService).Delete

	_ func(*vapi.ChatsService, context.Context, *vapi.CreateChatRequest, ...vapi.Option) (*vapi.Chat, error)                = (*vapi.ChatsService).Create
	_ func(*vapi.ChatsService, context.Context, *vapi.CreateChatRequest, ...vapi.Option) (*vapi.ChatStream, error)          = (*vapi.ChatsService).Stream
	_ func(*vapi.ChatsService, context.Context, string, ...vapi.Option) (*vapi.Chat, error)                                 = (*vapi.ChatsService).Get
	_ func(*vapi.ChatsService, context.Context, *vapi.ListChatsParams, ...vapi.Option) (*vapi.ChatPage, error)              = (*vapi.ChatsService).List
	_ func(*vapi.ChatsService, context.Context, *vapi.ListChatsParams, ...vapi.Option) iter.Seq2[*vapi.Chat, error]         = (*vapi.ChatsService).ListAll
	_ func(*vapi.ChatsService, context.Context, string, ...vapi.Option) (*vapi.Chat, error)                                 = (*vapi.ChatsService).Delete
	_ func(*vapi.ChatsService, context.Context, *vapi.OpenAIResponsesRequest, ...vapi.Option) (*vapi.ResponseObject, error) = (*vapi.ChatsService).CreateResponse
	_ func(*vapi.ChatsService, context.Context, *vapi.OpenAIResponsesRequest, ...vapi.Option) (*vapi.ResponseStream, error) = (*vapi.ChatsService).StreamResponse
	_ func(*vapi.Chat) string                                                                                               = (*vapi.Chat).OutputText

	_ func(*vapi.ChatStream) bool                         = (*vapi.ChatStream).Next
	_ func(*vapi.ChatStream) *vapi.ChatStreamEvent        = (*vapi.ChatStream).Event
	_ func(*vapi.ChatStream) string                       = (*vapi.ChatStream).Text
	_ func(*vapi.ChatStream) string                       = (*vapi.ChatStream).ChatID
	_ func(*vapi.ChatStream) error                        = (*vapi.ChatStream).Err
	_ func(*vapi.ChatStream) error                        = (*vapi.ChatStream).Close
	_ func(*vapi.ResponseStream) bool                     = (*vapi.ResponseStream).Next
	_ func(*vapi.ResponseStream) vapi.ResponseStreamEvent = (*vapi.ResponseStream).Event
	_ func(*vapi.ResponseStream) error                    = (*vapi.ResponseStream).Err
	_ func(*vapi.ResponseStream) error                    = (*vapi.ResponseStream).Close

	_ vapi.ResponseStreamEvent = (*vapi.ResponseTextDeltaEvent)(nil)
	_ vapi.ResponseStreamEvent = (*vapi.ResponseTextDoneEvent)(nil)
	_ vapi.ResponseStreamEvent = (*vapi.ResponseCompletedEvent)(nil)
	_ vapi.ResponseStreamEvent = (*vapi.ResponseErrorEvent)(nil)
	_ vapi.ResponseStreamEvent = (*vapi.UnknownResponseStreamEvent)(nil)
	_ vapi.ChatInput           = vapi.ChatInputText("")
	_ vapi.ChatInput           = vapi.ChatInputMessages(nil)
	_ []vapi.ChatMessage       = vapi.ChatInputMessages(nil)

	_ vapi.ServerMessage = (*vapi.ServerMessageSessionCreated)(nil)
	_ vapi.ServerMessage = (*vapi.ServerMessageSessionUpdated)(nil)
	_ vapi.ServerMessage = (*vapi.ServerMessageSessionDeleted)(nil)
	_ vapi.ServerMessage = (*vapi.ServerMessageChatCreated)(nil)
	_ vapi.ServerMessage = (*vapi.ServerMessageChatDeleted)(nil)
	_ vapi.ServerMessage = (*vapi.UnknownServerMessage)(nil)

	_ func([]byte) (vapi.ServerMessage, error)                                                       = webhook.Parse
	_ func(*http.Request, []byte, ...webhook.Option) error                                           = webhook.Verify
	_ func(func(context.Context, vapi.ServerMessage) error, ...webhook.Option) (http.Handler, error) = webhook.NewHandler
	_ func(string) webhook.Option                                                                    = webhook.WithSecret
	_ func(string) webhook.Option                                                                    = webhook.WithBearerToken
	_ func(vapi.HMACAuthenticationPlan) webhook.Option                                               = webhook.WithHMAC
	_ func(time.Duration) webhook.Option                                                             = webhook.WithTolerance
	_ func(int64) webhook.Option                                                                     = webhook.WithMaxBodySize
	_ func() webhook.Option                                                                          = webhook.InsecureSkipVerify

	_ func(...vapitest.Option) *vapitest.Server                              = vapitest.NewServer
	_ func(func(context.Context, []vapi.ChatMessage) string) vapitest.Option = vapitest.WithChatResponder
	_ func(string, string) vapitest.Option                                   = vapitest.WithWebhookSecret
	_ func(string, vapi.HMACAuthenticationPlan) vapitest.Option              = vapitest.WithWebhookHMAC

	_ func(string) *string                       = vapi.String
	_ func(float64) *float64                     = vapi.Float64
	_ func(int) *int                             = vapi.Int
	_ func(bool) *bool                           = vapi.Bool
	_ func(string) *string                       = vapi.Ptr[string]
	_ func() vapi.Nullable[string]               = vapi.Null[string]
	_ func(string) vapi.Nullable[string]         = vapi.NullableOf[string]
	_ func(vapi.Nullable[string]) bool           = vapi.Nullable[string].IsNull
	_ func(vapi.Nullable[string]) bool           = vapi.Nullable[string].IsSet
	_ func(vapi.Nullable[string]) (string, bool) = vapi.Nullable[string].Get

	_ func(*vapi.CreateSessionRequest) error = (*vapi.CreateSessionRequest).Validate
	_ func(*vapi.UpdateSessionRequest) error = (*vapi.UpdateSessionRequest).Validate
	_ error                                  = (*vapi.ValidationError)(nil)
	_ error                                  = (*vapi.APIError)(nil)
)

// The services of API.md version 3 whose signatures it spells out.
var (
	_ func(*vapi.CallsService, context.Context, *vapi.CallConfig, ...vapi.Option) (*vapi.Call, error)                                                   = (*vapi.CallsService).Create
	_ func(*vapi.CallsService, context.Context, *vapi.CallConfig, ...vapi.Option) (*vapi.CallBatchResponse, error)                                      = (*vapi.CallsService).CreateBatch
	_ func(*vapi.CallsService, context.Context, string, *vapi.DeleteCallRequest, ...vapi.Option) (*vapi.Call, error)                                    = (*vapi.CallsService).Delete
	_ func(*vapi.CallsService, context.Context, string, vapi.CallArtifact, ...vapi.Option) (string, error)                                              = (*vapi.CallsService).ArtifactURL
	_ func(*vapi.CallsService, context.Context, string, vapi.CallArtifact, ...vapi.Option) (io.ReadCloser, error)                                       = (*vapi.CallsService).DownloadArtifact
	_ func(*vapi.FilesService, context.Context, string, io.Reader, *vapi.UploadFileParams, ...vapi.Option) (*vapi.File, error)                          = (*vapi.FilesService).Upload
	_ func(*vapi.PhoneNumbersService, context.Context, vapi.PhoneNumberConfig, ...vapi.Option) (vapi.PhoneNumber, error)                                = (*vapi.PhoneNumbersService).Create
	_ func(*vapi.ToolsService, context.Context, *vapi.ListToolsParams, ...vapi.Option) iter.Seq2[vapi.ToolResource, error]                              = (*vapi.ToolsService).ListAll
	_ func(*vapi.KnowledgeBasesService, context.Context, string, ...vapi.Option) (*vapi.KnowledgeBaseV2WithFiles, error)                                = (*vapi.KnowledgeBasesService).Get
	_ func(*vapi.CampaignsV2Service, context.Context, string, *vapi.GetCampaignParams, ...vapi.Option) (*vapi.CampaignSummary, error)                   = (*vapi.CampaignsV2Service).Get
	_ func(*vapi.StructuredOutputsService, context.Context, *vapi.RunStructuredOutputRequest, ...vapi.Option) (vapi.StructuredOutputRunResponse, error) = (*vapi.StructuredOutputsService).Run
	_ func(*vapi.EvalsService, context.Context, *vapi.EvalRunConfig, ...vapi.Option) (map[string]any, error)                                            = (*vapi.EvalsService).Run
	_ func(*vapi.SimulationsService, context.Context, *vapi.GenerateScenariosRequest, ...vapi.Option) (*vapi.GenerateScenariosResponse, error)          = (*vapi.SimulationsService).GenerateScenarios
	_ func(*vapi.SimulationRunsService, context.Context, string, ...vapi.Option) (*vapi.SimulationRun, error)                                           = (*vapi.SimulationRunsService).Cancel
	_ func(*vapi.InsightsService, context.Context, string, *vapi.RunInsightRequest, ...vapi.Option) (*vapi.InsightRunResponse, error)                   = (*vapi.InsightsService).Run
	_ func(*vapi.ProviderResourcesService, context.Context, string, string, ...vapi.Option) (*vapi.ProviderResource, error)                             = (*vapi.ProviderResourcesService).Create
	_ func(*vapi.AnalyticsService, context.Context, *vapi.AnalyticsQueryRequest, ...vapi.Option) ([]vapi.AnalyticsQueryResult, error)                   = (*vapi.AnalyticsService).Query
	_ func(any) map[string]json.RawMessage                                                                                                              = vapi.UnknownMembers
)

func TestTheContractsFieldsHaveTheirTypes(t *testing.T) {
	// Fields the contract names, with the types it gives them.
	var (
		_ *int                = vapi.ListSessionsParams{}.Page
		_ *int                = vapi.ListSessionsParams{}.Limit
		_ *int                = vapi.ListChatsParams{}.Page
		_ *int                = vapi.ListChatsParams{}.Limit
		_ *string             = vapi.ListChatsParams{}.SessionID
		_ *string             = vapi.ListChatsParams{}.PreviousChatID
		_ []vapi.Session      = vapi.SessionPage{}.Results
		_ vapi.PaginationMeta = vapi.SessionPage{}.Metadata
		_ []vapi.Chat         = vapi.ChatPage{}.Results
		_ vapi.ChatInput      = vapi.CreateChatRequest{}.Input
		_ vapi.SessionStatus  = vapi.CreateSessionRequest{}.Status
		_ vapi.SessionStatus  = vapi.UpdateSessionRequest{}.Status
		_ vapi.SessionStatus  = vapi.Session{}.Status
		_ string              = vapi.ChatStreamEvent{}.ID
		_ string              = vapi.ChatStreamEvent{}.Path
		_ string              = vapi.ChatStreamEvent{}.Delta
		_ string              = vapi.UnknownServerMessage{}.Type
		_ json.RawMessage     = vapi.UnknownServerMessage{}.Raw
		_ []vapi.FieldError   = vapi.ValidationError{}.Errors
		_ string              = vapi.FieldError{}.Field
		_ int                 = vapi.Response{}.Attempts
		_ string              = vapi.Response{}.RequestID
		_ []byte              = vapi.Response{}.Body
		_ time.Duration       = vapi.APIError{}.RetryAfter
		_ []string            = vapi.APIError{}.Messages
	)
	for _, c := range []struct {
		name string
		err  error
	}{
		{"ErrBadRequest", vapi.ErrBadRequest}, {"ErrUnauthorized", vapi.ErrUnauthorized},
		{"ErrForbidden", vapi.ErrForbidden}, {"ErrNotFound", vapi.ErrNotFound},
		{"ErrConflict", vapi.ErrConflict}, {"ErrUnprocessable", vapi.ErrUnprocessable},
		{"ErrRateLimited", vapi.ErrRateLimited}, {"ErrServer", vapi.ErrServer},
		{"ErrUnexpectedResponse", vapi.ErrUnexpectedResponse}, {"ErrMissingAPIKey", vapi.ErrMissingAPIKey},
	} {
		if c.err == nil {
			t.Errorf("vapi.%s is nil", c.name)
		}
	}
	if vapi.SessionStatusActive != "active" || vapi.SessionStatusCompleted != "completed" {
		t.Error("the session status constants changed value")
	}
}
