// Package webhook receives what Vapi POSTs to a server URL: it
// authenticates each request, types the message it carries, and answers
// the messages that expect an answer.
//
// Every message type of the spec's ServerMessage union has a type of its
// own (*vapi.ServerMessageToolCalls, *vapi.ServerMessageAssistantRequest,
// *vapi.ServerMessageEndOfCallReport, *vapi.ServerMessageStatusUpdate, the
// session and chat lifecycle messages, ...); a type newer than the SDK
// arrives as a *vapi.UnknownServerMessage holding its type and raw JSON.
//
// [NewRouter] is a server URL in one http.Handler: it verifies, parses, and
// hands each message to the function registered for it, and writes the
// answer Vapi waits for (tool results, the assistant of an inbound call,
// a transfer destination, ...):
//
//	r, err := webhook.NewRouter(webhook.WithHMAC(plan))
//	if err != nil {
//		log.Fatal(err)
//	}
//	r.HandleTool("lookup_order", func(ctx context.Context, call vapi.ToolCall) (any, error) {
//		args, err := webhook.Arguments[struct{ ID string }](call)
//		if err != nil {
//			return nil, err
//		}
//		return orders.Find(ctx, args.ID) // a string as is, anything else as JSON
//	})
//	r.HandleAssistantRequest(func(ctx context.Context, m *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
//		return &vapi.ServerMessageResponseAssistantRequest{AssistantID: vapi.String(assistantID)}, nil
//	})
//	r.Handle(func(ctx context.Context, msg vapi.ServerMessage) error {
//		log.Printf("%T", msg) // status updates, reports, transcripts, ...
//		return nil
//	})
//	http.Handle("/vapi", r)
//
// [NewHandler] is the same for a server that only listens: one function
// sees every message, and every message is answered {}:
//
//	h, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
//		switch m := msg.(type) {
//		case *vapi.ServerMessageSessionCreated:
//			log.Printf("session %s created", m.Session.ID)
//		}
//		return nil
//	}, webhook.WithHMAC(plan))
//
// It is secure by default: without a verification method (the
// X-Vapi-Secret header with [WithSecret], a bearer token with
// [WithBearerToken] or [WithBearer], an HMAC signature with [WithHMAC])
// NewRouter, NewHandler and [Verify] refuse to work, unless [InsecureSkipVerify] says so in as many
// words. Every method configured must pass; secrets are compared in
// constant time, signatures over the exact bytes received, and HMAC
// timestamps must be within a replay window ([WithTolerance], five minutes
// by default).
//
// For a router or framework of your own, [Verify] and [Parse] are the two
// halves, to be called in that order over the same raw body.
//
// Package vapitest sends signed messages to a server URL, so the whole
// path can be tested without Vapi: lifecycle messages (see
// vapitest.WithWebhookHMAC), the status-update and end-of-call-report
// messages of a call (see Server.SetCallStatus), any message with
// Server.SendServerMessage, and the tool calls of a chat turn with
// vapitest.WithChatReplies.
package webhook
