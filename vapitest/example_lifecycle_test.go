package vapitest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// A call moved through its statuses by the test, and the server URL under
// test receiving each status-update and the end-of-call-report, checked
// for their secret, before each move returns.
func ExampleServer_SetCallStatus_serverURL() {
	router, err := webhook.NewRouter(webhook.WithSecret("s3cret"))
	if err != nil {
		panic(err)
	}
	router.Handle(func(ctx context.Context, msg vapi.ServerMessage) error {
		switch m := msg.(type) {
		case *vapi.ServerMessageStatusUpdate:
			fmt.Println("status-update:", m.Status)
		case *vapi.ServerMessageEndOfCallReport:
			fmt.Printf("end-of-call-report: %s, $%.2f, %d messages\n", m.EndedReason, *m.Cost, len(m.Artifact.Messages))
		}
		return nil
	})
	hooks := httptest.NewServer(router)
	defer hooks.Close()

	api := vapitest.NewServer(vapitest.WithWebhookSecret(hooks.URL, "s3cret"))
	defer api.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(api.URL), vapi.WithAPIKey("test-key"))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	assistant, err := client.Assistants.Create(ctx, &vapi.AssistantConfig{
		Name:   vapi.String("Order desk"),
		Server: &vapi.Server{URL: vapi.String(hooks.URL)},
	})
	if err != nil {
		panic(err)
	}
	call, err := client.Calls.Create(ctx, &vapi.CallConfig{
		AssistantID: vapi.String(assistant.ID),
		Customer:    &vapi.CustomerConfig{Number: vapi.String("+15555550100")},
	})
	if err != nil {
		panic(err)
	}
	_ = api.SetCallStatus(call.ID, vapi.CallStatusRinging)
	_ = api.SetCallStatus(call.ID, vapi.CallStatusInProgress)
	_ = api.EndCall(call.ID, vapi.CallEndedReasonCustomerEndedCall)
	// Output:
	// status-update: queued
	// status-update: ringing
	// status-update: in-progress
	// status-update: ended
	// end-of-call-report: customer-ended-call, $0.10, 3 messages
}
