// Command create-session walks through the life of a Vapi session: it
// creates one with an inline assistant (an OpenAI model with a system
// prompt, an ElevenLabs voice and a Deepgram transcriber) and a customer,
// reads it back, renames it, lists sessions and deletes it.
//
// With VAPI_API_KEY set it talks to the live API (or to VAPI_BASE_URL when
// that is set too). Without it, it starts the in-process fake from package
// vapitest and says so, so that it runs anywhere:
//
//	go run ./examples/create-session
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		printError(os.Stderr, err)
		os.Exit(1)
	}
}

// run creates, reads, renames, lists and deletes a session, printing each
// step to out.
func run(ctx context.Context, out io.Writer) error {
	client, closeServer, err := newClient(out)
	if err != nil {
		return err
	}
	defer closeServer()

	req := &vapi.CreateSessionRequest{
		Name:              vapi.String("go-sdk-example"),
		ExpirationSeconds: vapi.Float64(3600),
		Assistant: &vapi.AssistantConfig{
			Name:         vapi.String("Support"),
			FirstMessage: vapi.String("Hi, this is Support. How can I help?"),
			Model: &vapi.OpenAIModel{
				Model: vapi.OpenAIModelModelGPT4o,
				Messages: []vapi.OpenAIMessage{{
					Role:    vapi.OpenAIMessageRoleSystem,
					Content: vapi.NullableOf("You are a friendly support agent. Keep answers short."),
				}},
				Temperature: vapi.Float64(0.3),
			},
			Voice: &vapi.ElevenLabsVoice{
				VoiceID:   vapi.ElevenLabsVoiceVoiceIDBurt,
				Stability: vapi.Float64(0.5),
			},
			Transcriber: &vapi.DeepgramTranscriber{
				Model:    vapi.DeepgramTranscriberModelNova3,
				Language: vapi.DeepgramTranscriberLanguageEn,
			},
		},
		Customer: &vapi.CustomerConfig{
			Name:   vapi.String("Ada Lovelace"),
			Number: vapi.String("+14155550123"),
		},
	}

	session, err := client.Sessions.Create(ctx, req)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(out, "created session %s\n", session.ID)
	printSession(out, session)

	got, err := client.Sessions.Get(ctx, session.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(out, "read back session %s: name %q, status %s\n", got.ID, deref(got.Name), got.Status)

	renamed, err := client.Sessions.Update(ctx, session.ID, &vapi.UpdateSessionRequest{
		Name: vapi.String("go-sdk-example-renamed"),
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Fprintf(out, "renamed session %s to %q\n", renamed.ID, deref(renamed.Name))

	page, err := client.Sessions.List(ctx, &vapi.ListSessionsParams{Limit: vapi.Int(5)})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintf(out, "listed %d of %.0f sessions:\n", len(page.Results), page.Metadata.TotalItems)
	for _, s := range page.Results {
		fmt.Fprintf(out, "  %s  %-24s %s\n", s.ID, deref(s.Name), s.Status)
	}

	deleted, err := client.Sessions.Delete(ctx, session.ID)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(out, "deleted session %s\n", deleted.ID)
	return nil
}

// newClient returns a client for the live API when VAPI_API_KEY is set, and
// otherwise one for an in-process vapitest server, which the returned func
// shuts down.
func newClient(out io.Writer) (*vapi.Client, func(), error) {
	if os.Getenv("VAPI_API_KEY") != "" {
		// NewClient reads VAPI_API_KEY and VAPI_BASE_URL itself.
		client, err := vapi.NewClient()
		return client, func() {}, err
	}
	srv := vapitest.NewServer()
	fmt.Fprintf(out, "no VAPI_API_KEY set: using the in-process vapitest server at %s\n", srv.URL)
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("vapitest-dummy-key"))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return client, srv.Close, nil
}

// printSession prints the main fields of s, one per line.
func printSession(out io.Writer, s *vapi.Session) {
	fmt.Fprintf(out, "  id:          %s\n", s.ID)
	fmt.Fprintf(out, "  name:        %s\n", deref(s.Name))
	fmt.Fprintf(out, "  status:      %s\n", s.Status)
	fmt.Fprintf(out, "  created at:  %s\n", s.CreatedAt.Format(time.RFC3339))
	if s.ExpirationSeconds != nil {
		fmt.Fprintf(out, "  expires in:  %s\n", time.Duration(*s.ExpirationSeconds)*time.Second)
	}
	if a := s.Assistant; a != nil {
		fmt.Fprintf(out, "  assistant:   %s (%s)\n", deref(a.Name), describeModel(a.Model))
	}
	if c := s.Customer; c != nil {
		fmt.Fprintf(out, "  customer:    %s %s\n", deref(c.Name), deref(c.Number))
	}
}

// describeModel names the provider and model of an assistant's model.
// Model is a sealed interface with one type per provider; a provider this
// SDK does not know yet decodes as *vapi.UnknownModel.
func describeModel(m vapi.Model) string {
	switch m := m.(type) {
	case *vapi.OpenAIModel:
		return "openai " + string(m.Model)
	case *vapi.AnthropicModel:
		return "anthropic " + string(m.Model)
	case *vapi.UnknownModel:
		return m.Provider + " (unknown to this SDK)"
	case nil:
		return "no model"
	default:
		return fmt.Sprintf("%T", m)
	}
}

// printError prints err readably: a ValidationError with one line per
// violation, an APIError with its status, messages and request id.
func printError(w io.Writer, err error) {
	var verr *vapi.ValidationError
	var apiErr *vapi.APIError
	switch {
	case errors.As(err, &verr):
		fmt.Fprintf(w, "invalid request, nothing was sent (%d problems):\n", len(verr.Errors))
		for _, fe := range verr.Errors {
			fmt.Fprintf(w, "  %s: %s\n", fe.Field, fe.Message)
		}
	case errors.As(err, &apiErr):
		fmt.Fprintf(w, "the API refused the call: %v\n", err)
		fmt.Fprintf(w, "  status:      %d %s\n", apiErr.StatusCode, apiErr.Type)
		for _, m := range apiErr.Messages {
			fmt.Fprintf(w, "  message:     %s\n", m)
		}
		if apiErr.RequestID != "" {
			fmt.Fprintf(w, "  request id:  %s\n", apiErr.RequestID)
		}
		if apiErr.RetryAfter > 0 {
			fmt.Fprintf(w, "  retry after: %s\n", apiErr.RetryAfter)
		}
	default:
		fmt.Fprintf(w, "error: %v\n", err)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
