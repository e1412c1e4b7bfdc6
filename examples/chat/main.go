// Command chat holds a three-turn text conversation in a Vapi session: it
// creates a session with an inline assistant, sends a first turn and prints
// the reply, streams the reply to the second turn to stdout as it is
// generated, sends a third turn, then prints how many messages the session
// holds.
//
// With VAPI_API_KEY set it talks to the live API (or to VAPI_BASE_URL when
// that is set too), and deletes the session at the end. Without it, it
// starts the in-process fake from package vapitest and says so, so that it
// runs anywhere:
//
//	go run ./examples/chat
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

// turns are what the customer says, one per turn; the second is streamed.
var turns = []string{
	"Hi! I ordered a blue kettle last week, order A-1001.",
	"When will it arrive?",
	"Thanks, that's all.",
}

// run holds the conversation, printing it to out.
func run(ctx context.Context, out io.Writer) error {
	client, live, closeServer, err := newClient(out)
	if err != nil {
		return err
	}
	defer closeServer()

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name: vapi.String("go-sdk-chat-example"),
		Assistant: &vapi.AssistantConfig{
			Name: vapi.String("Support"),
			Model: &vapi.OpenAIModel{
				Model: vapi.OpenAIModelModelGPT4o,
				Messages: []vapi.OpenAIMessage{{
					Role:    vapi.OpenAIMessageRoleSystem,
					Content: vapi.NullableOf("You are a friendly support agent for an online shop. Answer in one or two sentences."),
				}},
			},
		},
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	fmt.Fprintf(out, "created session %s\n\n", session.ID)
	if live {
		defer func() {
			if _, err := client.Sessions.Delete(context.WithoutCancel(ctx), session.ID); err != nil {
				fmt.Fprintf(out, "could not delete session %s: %v\n", session.ID, err)
			}
		}()
	}

	// Turn 1: the whole reply at once. The session carries the assistant
	// and the conversation so far, so a turn names only the session.
	fmt.Fprintf(out, "you:       %s\n", turns[0])
	chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{
		SessionID: vapi.String(session.ID),
		Input:     vapi.ChatInputText(turns[0]),
	})
	if err != nil {
		return fmt.Errorf("turn 1: %w", err)
	}
	fmt.Fprintf(out, "assistant: %s\n\n", chat.OutputText())

	// Turn 2: streamed, printed piece by piece as it arrives.
	fmt.Fprintf(out, "you:       %s\n", turns[1])
	stream, err := client.Chats.Stream(ctx, &vapi.CreateChatRequest{
		SessionID: vapi.String(session.ID),
		Input:     vapi.ChatInputText(turns[1]),
	})
	if err != nil {
		return fmt.Errorf("turn 2: %w", err)
	}
	defer stream.Close()
	fmt.Fprint(out, "assistant: ")
	for stream.Next() {
		fmt.Fprint(out, stream.Event().Delta)
	}
	fmt.Fprintln(out)
	if err := stream.Err(); err != nil {
		return fmt.Errorf("turn 2: the stream broke off after %q: %w", stream.Text(), err)
	}
	fmt.Fprintf(out, "           (streamed as chat %s)\n\n", stream.ChatID())

	// Turn 3: the whole reply again.
	fmt.Fprintf(out, "you:       %s\n", turns[2])
	chat, err = client.Chats.Create(ctx, &vapi.CreateChatRequest{
		SessionID: vapi.String(session.ID),
		Input:     vapi.ChatInputText(turns[2]),
	})
	if err != nil {
		return fmt.Errorf("turn 3: %w", err)
	}
	fmt.Fprintf(out, "assistant: %s\n\n", chat.OutputText())

	got, err := client.Sessions.Get(ctx, session.ID)
	if err != nil {
		return fmt.Errorf("get session: %w", err)
	}
	fmt.Fprintf(out, "session %s holds %d messages\n", got.ID, len(got.Messages))
	return nil
}

// newClient returns a client for the live API when VAPI_API_KEY is set, and
// otherwise one for an in-process vapitest server, which the returned func
// shuts down. The fake pauses between the pieces of a streamed reply, so
// that the stream can be seen arriving.
func newClient(out io.Writer) (client *vapi.Client, live bool, closeServer func(), err error) {
	if os.Getenv("VAPI_API_KEY") != "" {
		// NewClient reads VAPI_API_KEY and VAPI_BASE_URL itself.
		client, err := vapi.NewClient()
		return client, true, func() {}, err
	}
	srv := vapitest.NewServer(vapitest.WithChatStreamInterval(150 * time.Millisecond))
	fmt.Fprintf(out, "no VAPI_API_KEY set: using the in-process vapitest server at %s\n", srv.URL)
	client, err = vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("vapitest-dummy-key"))
	if err != nil {
		srv.Close()
		return nil, false, nil, err
	}
	return client, false, srv.Close, nil
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
		for _, m := range apiErr.Messages {
			fmt.Fprintf(w, "  message:     %s\n", m)
		}
		if apiErr.RequestID != "" {
			fmt.Fprintf(w, "  request id:  %s\n", apiErr.RequestID)
		}
	default:
		fmt.Fprintf(w, "error: %v\n", err)
	}
}
