// Command outbound-call walks through an outbound call: it creates a
// function tool and an assistant that uses it, imports a Twilio phone
// number, calls a customer, watches the call's status until it ends, and
// prints its cost and transcript.
//
// With VAPI_API_KEY set it talks to the live API (and needs
// TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER and CUSTOMER_NUMBER
// for the number and the customer). Without it, it starts the in-process
// fake from package vapitest, says so, and moves the fake call through its
// statuses itself, so that it runs anywhere; it then also runs a local
// server URL (a webhook.Router) to which the fake delivers the call's
// status-update and end-of-call-report messages, as Vapi would:
//
//	go run ./examples/outbound-call
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "outbound-call:", err)
		os.Exit(1)
	}
}

// env returns the environment variable name, or def without a key (the
// fake takes any value).
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, out io.Writer) error {
	client, fake, done, err := newClient(out)
	if err != nil {
		return err
	}
	defer done()

	// A function tool the assistant can call during the call.
	created, err := client.Tools.Create(ctx, &vapi.FunctionToolConfig{
		Function: &vapi.OpenAIFunction{
			Name:        "lookup_order",
			Description: vapi.String("Looks up the status of the customer's order."),
		},
		Server: &vapi.Server{URL: vapi.String("https://example.com/vapi/tools")},
	})
	if err != nil {
		return fmt.Errorf("create tool: %w", err)
	}
	// The answer is a vapi.ToolResource: a function tool comes back as a
	// *vapi.FunctionTool.
	tool, ok := created.(*vapi.FunctionTool)
	if !ok {
		return fmt.Errorf("create tool: the API answered with a %T, not a function tool", created)
	}
	fmt.Fprintf(out, "created function tool %s\n", tool.ID)

	assistant, err := client.Assistants.Create(ctx, &vapi.AssistantConfig{
		Name:         vapi.String("Order desk"),
		FirstMessage: vapi.String("Hi, this is the order desk calling about your order."),
		Model: &vapi.OpenAIModel{
			Model: vapi.OpenAIModelModelGPT4o,
			Messages: []vapi.OpenAIMessage{{
				Role:    vapi.OpenAIMessageRoleSystem,
				Content: vapi.NullableOf("You call customers about their orders. Use lookup_order."),
			}},
			ToolIDs: []string{tool.ID},
		},
	})
	if err != nil {
		return fmt.Errorf("create assistant: %w", err)
	}
	fmt.Fprintf(out, "created assistant %s\n", assistant.ID)

	number, err := client.PhoneNumbers.Create(ctx, &vapi.TwilioPhoneNumberCreateConfig{
		Number:           env("TWILIO_NUMBER", "+15555550100"),
		TwilioAccountSID: env("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
		TwilioAuthToken:  vapi.String(env("TWILIO_AUTH_TOKEN", "vapitest-token")),
		Name:             vapi.String("Order desk line"),
	})
	if err != nil {
		return fmt.Errorf("import phone number: %w", err)
	}
	numberID := phoneNumberID(number)
	fmt.Fprintf(out, "imported phone number %s (%T)\n", numberID, number)

	call, err := client.Calls.Create(ctx, &vapi.CallConfig{
		AssistantID:   vapi.String(assistant.ID),
		PhoneNumberID: vapi.String(numberID),
		Customer:      &vapi.CustomerConfig{Number: vapi.String(env("CUSTOMER_NUMBER", "+15555550199"))},
	})
	if err != nil {
		return fmt.Errorf("start call: %w", err)
	}
	fmt.Fprintf(out, "started call %s: %s\n", call.ID, call.Status)

	// Watch the call until it ends. The fake moves only when told, so the
	// example moves it as a live call would move.
	steps := []vapi.CallStatus{vapi.CallStatusRinging, vapi.CallStatusInProgress}
	last := call.Status
	for call.Status != vapi.CallStatusEnded {
		if fake != nil {
			if len(steps) > 0 {
				err = fake.SetCallStatus(call.ID, steps[0])
				steps = steps[1:]
			} else {
				err = fake.EndCall(call.ID, vapi.CallEndedReasonCustomerEndedCall)
			}
			if err != nil {
				return fmt.Errorf("move the fake call: %w", err)
			}
		} else {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(2 * time.Second):
			}
		}
		if call, err = client.Calls.Get(ctx, call.ID); err != nil {
			return fmt.Errorf("get call: %w", err)
		}
		if call.Status != last {
			fmt.Fprintf(out, "call %s: %s\n", call.ID, call.Status)
			last = call.Status
		}
	}

	fmt.Fprintf(out, "ended: %s\n", call.EndedReason)
	if call.Cost != nil {
		fmt.Fprintf(out, "cost: $%.2f\n", *call.Cost)
	}
	if call.Artifact != nil && call.Artifact.Transcript != nil {
		fmt.Fprintf(out, "transcript:\n%s\n", *call.Artifact.Transcript)
	}
	return nil
}

// phoneNumberID reads the id of any kind of phone number: a
// vapi.PhoneNumber is one type per provider, read with a type switch.
func phoneNumberID(n vapi.PhoneNumber) string {
	switch n := n.(type) {
	case *vapi.TwilioPhoneNumber:
		return n.ID
	case *vapi.VonagePhoneNumber:
		return n.ID
	case *vapi.TelnyxPhoneNumber:
		return n.ID
	case *vapi.VapiPhoneNumber:
		return n.ID
	case *vapi.BYOPhoneNumber:
		return n.ID
	}
	// A provider newer than the SDK keeps its JSON.
	var v struct {
		ID string `json:"id"`
	}
	if u, ok := n.(*vapi.UnknownPhoneNumber); ok {
		_ = json.Unmarshal(u.Raw, &v)
	}
	return v.ID
}

// serverURLSecret is what the fake signs its deliveries with and the local
// server URL checks.
const serverURLSecret = "outbound-call-example-secret"

// serverURL is a local server URL: a webhook.Router that checks the secret
// and prints the lifecycle messages of the call.
func serverURL(out io.Writer) (*httptest.Server, error) {
	router, err := webhook.NewRouter(webhook.WithSecret(serverURLSecret))
	if err != nil {
		return nil, err
	}
	router.Handle(func(_ context.Context, msg vapi.ServerMessage) error {
		switch m := msg.(type) {
		case *vapi.ServerMessageStatusUpdate:
			fmt.Fprintf(out, "server URL: status-update %s\n", m.Status)
		case *vapi.ServerMessageEndOfCallReport:
			fmt.Fprintf(out, "server URL: end-of-call-report, %s, %d messages\n", m.EndedReason, len(m.Artifact.Messages))
		}
		return nil
	})
	return httptest.NewServer(router), nil
}

// newClient returns a client for the live API when VAPI_API_KEY is set, and
// otherwise one for a vapitest server, which it returns too, with a local
// server URL the fake delivers the call's messages to. done closes what it
// started.
func newClient(out io.Writer) (client *vapi.Client, fake *vapitest.Server, done func(), err error) {
	if os.Getenv("VAPI_API_KEY") != "" {
		client, err := vapi.NewClient()
		return client, nil, func() {}, err
	}
	hooks, err := serverURL(out)
	if err != nil {
		return nil, nil, nil, err
	}
	// The org's server URL: the fake's stand-in for the one set in the
	// dashboard.
	srv := vapitest.NewServer(vapitest.WithWebhookSecret(hooks.URL, serverURLSecret))
	done = func() {
		srv.Close()
		hooks.Close()
	}
	fmt.Fprintf(out, "no VAPI_API_KEY set: using the in-process vapitest server at %s\n", srv.URL)
	if client, err = vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("vapitest-dummy-key")); err != nil {
		done()
		return nil, nil, nil, err
	}
	return client, srv, done, nil
}
