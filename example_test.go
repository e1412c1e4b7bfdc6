package vapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// newExampleServer starts a vapitest server with deterministic ids and
// timestamps, so that the examples print the same output on every run. In
// real code the client would talk to https://api.vapi.ai.
func newExampleServer() *vapitest.Server {
	return vapitest.NewServer(
		vapitest.WithAPIKey("my-api-key"),
		vapitest.WithOrgID("00000000-0000-4000-8000-00000000f001"),
		vapitest.WithIDGenerator(vapitest.SequentialIDs()),
		vapitest.WithClock(vapitest.StepClock(time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), time.Second)),
	)
}

// A client takes its defaults from options, else from $VAPI_API_KEY and
// $VAPI_BASE_URL. Every call accepts the same options again as overrides
// for that call only.
func ExampleNewClient() {
	srv := newExampleServer()
	defer srv.Close()

	client, err := vapi.NewClient(
		vapi.WithAPIKey("my-api-key"), // default: $VAPI_API_KEY
		vapi.WithBaseURL(srv.URL),     // default: $VAPI_BASE_URL, else https://api.vapi.ai
		vapi.WithTimeout(30*time.Second),
		vapi.WithMaxRetries(3),
	)
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name:        vapi.String("support"),
		AssistantID: vapi.String("00000000-0000-4000-8000-0000000a0001"),
	})
	if err != nil {
		log.Fatal(err)
	}

	// Per-call options: this one call gets a tighter timeout and no retries,
	// and reports its HTTP response.
	var resp vapi.Response
	got, err := client.Sessions.Get(ctx, session.ID,
		vapi.WithTimeout(5*time.Second), vapi.WithMaxRetries(0), vapi.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.ID, *got.Name, got.Status)
	fmt.Println("status", resp.StatusCode, "after", resp.Attempts, "attempt")
	// Output:
	// 00000000-0000-4000-8000-000000000001 support active
	// status 200 after 1 attempt
}

// A session with an inline assistant: the model, voice and transcriber are
// unions, one Go type per provider; marshalling writes the "provider"
// discriminator.
func ExampleSessionsService_Create() {
	srv := newExampleServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithAPIKey("my-api-key"), vapi.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	session, err := client.Sessions.Create(context.Background(), &vapi.CreateSessionRequest{
		Name:              vapi.String("support"),
		ExpirationSeconds: vapi.Float64(3600),
		Assistant: &vapi.AssistantConfig{
			FirstMessage: vapi.String("Hi! How can I help?"),
			Model: &vapi.OpenAIModel{
				Model: vapi.OpenAIModelModelGPT4o,
				Messages: []vapi.OpenAIMessage{{
					Role:    vapi.OpenAIMessageRoleSystem,
					Content: vapi.NullableOf("You are a helpful support agent."),
				}},
			},
			Voice:       &vapi.ElevenLabsVoice{VoiceID: vapi.ElevenLabsVoiceVoiceIDBurt},
			Transcriber: &vapi.DeepgramTranscriber{Model: vapi.DeepgramTranscriberModelNova3},
		},
		Customer: &vapi.CustomerConfig{Number: vapi.String("+14155550123")},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("id:        ", session.ID)
	fmt.Println("status:    ", session.Status)
	fmt.Println("created at:", session.CreatedAt.Format(time.RFC3339))
	fmt.Println("expires in:", time.Duration(*session.ExpirationSeconds)*time.Second)
	if m, ok := session.Assistant.Model.(*vapi.OpenAIModel); ok {
		fmt.Println("model:     ", m.Model)
	}
	if v, ok := session.Assistant.Voice.(*vapi.ElevenLabsVoice); ok {
		fmt.Println("voice:     ", v.VoiceID)
	}
	// Output:
	// id:         00000000-0000-4000-8000-000000000001
	// status:     active
	// created at: 2026-01-15T09:30:00Z
	// expires in: 1h0m0s
	// model:      gpt-4o
	// voice:      burt
}

// Validate checks a request against the constraints of Vapi's API
// specification, at every depth, and reports every violation with its JSON
// path. Create and Update run it first and send nothing when it fails.
func ExampleCreateSessionRequest_Validate() {
	req := &vapi.CreateSessionRequest{
		Name:     vapi.String(strings.Repeat("x", 41)),
		Status:   "paused",
		Customer: &vapi.CustomerConfig{Number: vapi.String("1")},
	}
	err := req.Validate()

	var verr *vapi.ValidationError
	if errors.As(err, &verr) {
		for _, fe := range verr.Errors {
			fmt.Printf("%s: %s\n", fe.Field, fe.Message)
		}
	}
	// Output:
	// name: must be at most 40 characters long
	// status: must be one of "active", "completed"
	// customer.number: must be at least 3 characters long
}

// A status the API answers with becomes an *APIError, which matches a
// sentinel such as vapi.ErrNotFound with errors.Is.
func ExampleAPIError() {
	srv := newExampleServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithAPIKey("my-api-key"), vapi.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Sessions.Get(context.Background(), "00000000-0000-4000-8000-00000000dead")
	if errors.Is(err, vapi.ErrNotFound) {
		fmt.Println("no such session")
	}
	var apiErr *vapi.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode, apiErr.Type)
		fmt.Println("request id set:", apiErr.RequestID != "")
	}
	// Output:
	// no such session
	// status: 404 Not Found
	// request id set: true
}

// ListAll walks every page, fetching the next one only when the loop gets
// there; the first error ends the walk and is yielded.
func ExampleSessionsService_ListAll() {
	srv := newExampleServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithAPIKey("my-api-key"), vapi.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"alpha", "bravo", "charlie", "delta", "echo"} {
		if _, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String(name)}); err != nil {
			log.Fatal(err)
		}
	}

	// Two sessions a page, oldest first: three requests in all.
	params := &vapi.ListSessionsParams{Limit: vapi.Int(2), SortOrder: vapi.SortOrderASC}
	for session, err := range client.Sessions.ListAll(ctx, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*session.Name)
	}
	// Output:
	// alpha
	// bravo
	// charlie
	// delta
	// echo
}

// Responses from a newer API still decode: a provider this SDK does not know
// becomes the union's Unknown… type, which keeps the raw JSON and marshals
// it back unchanged, and an enum value it does not know is kept as is, with
// IsKnown reporting false.
func Example_forwardCompatibility() {
	body := `{"id":"s1","orgId":"o1","createdAt":"2026-01-15T09:30:00Z","updatedAt":"2026-01-15T09:30:00Z",` +
		`"status":"archived","assistant":{"voice":{"provider":"acme-tts","voiceId":"nova","warmth":0.7}}}`

	var session vapi.Session
	if err := json.Unmarshal([]byte(body), &session); err != nil {
		log.Fatal(err)
	}
	fmt.Println("status:", session.Status, "known:", session.Status.IsKnown())
	if v, ok := session.Assistant.Voice.(*vapi.UnknownVoice); ok {
		fmt.Println("voice provider:", v.Provider)
		fmt.Println("raw:", string(v.Raw))
	}
	// Output:
	// status: archived known: false
	// voice provider: acme-tts
	// raw: {"provider":"acme-tts","voiceId":"nova","warmth":0.7}
}
