// Package webhook receives what Vapi POSTs to a server URL: it
// authenticates each request and types the message it carries.
//
// The session and chat lifecycle messages (session.created,
// session.updated, session.deleted, chat.created, chat.deleted) decode to
// their own types; every other message type arrives as a
// *vapi.UnknownServerMessage holding its type and raw JSON.
//
// [NewHandler] is the whole job in one http.Handler:
//
//	h, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
//		switch m := msg.(type) {
//		case *vapi.ServerMessageSessionCreated:
//			log.Printf("session %s created", m.Session.ID)
//		}
//		return nil
//	}, webhook.WithHMAC(plan))
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/vapi/events", h)
//
// It is secure by default: without a verification method (the
// X-Vapi-Secret header with [WithSecret], a bearer token with
// [WithBearerToken], an HMAC signature with [WithHMAC]) NewHandler and
// [Verify] refuse to work, unless [InsecureSkipVerify] says so in as many
// words. Every method configured must pass; secrets are compared in
// constant time, signatures over the exact bytes received, and HMAC
// timestamps must be within a replay window ([WithTolerance], five minutes
// by default).
//
// For a router or framework of your own, [Verify] and [Parse] are the two
// halves, to be called in that order over the same raw body.
//
// Package vapitest delivers signed lifecycle messages to a handler, so the
// whole path can be tested without Vapi: see vapitest.WithWebhookHMAC.
package webhook
