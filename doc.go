// Package vapi is a Go client for the whole API of Vapi, the voice-AI
// platform: every operation of its OpenAPI description is a method on a
// service of the [Client], with typed, validated request and response
// bodies.
//
// # Where to start
//
// Create a [Client] with [NewClient] (the API key comes from [WithAPIKey]
// or $VAPI_API_KEY) and call its services: [Client.Sessions] and
// [Client.Chats], and one service per resource of the API (assistants,
// calls, phone numbers, tools, squads, …), each with the operations the
// API has for it:
//
//	client, err := vapi.NewClient()
//	if err != nil {
//		return err
//	}
//	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{AssistantID: vapi.String(assistantID)})
//
// Chats come whole ([ChatsService.Create]) or streamed as they are written
// ([ChatsService.Stream], read with [ChatStream.Next]).
//
// Two more packages complete the SDK:
//
//   - [github.com/govapi/vapi/vapitest] is an in-process fake of the API
//     for your tests (and for trying the SDK with no key): pass its URL to
//     [WithBaseURL].
//   - [github.com/govapi/vapi/webhook] serves your server URL: it
//     authenticates what Vapi posts, types every server message, and its
//     Router answers the messages that expect an answer.
//
// # What every call does
//
// Requests are validated before they are sent, exactly as the API
// validates them ([*ValidationError]); transient failures are retried with
// backoff ([WithMaxRetries], [WithoutDuplicateCreates]); failures are
// reported as [*APIError], matched with errors.Is against sentinels such as
// [ErrNotFound]. A decoded value is exactly what the server sent, and no
// error, log line or printed value shows the API key.
//
// The README (https://github.com/govapi/vapi#readme) walks through all of
// it in order; go run ./examples/create-session runs a first program with
// nothing set up.
package vapi

//go:generate go run ./internal/gen -spec ../shared/spec/vapi-openapi.json -out .
