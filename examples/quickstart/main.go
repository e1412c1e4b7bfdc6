// Command quickstart is the README's quickstart, kept here so that it is
// built and run by go test: it creates a session with an inline assistant
// and streams one chat turn in it.
//
// With VAPI_API_KEY set it talks to the live API. Without it, it starts
// vapitest, the SDK's in-process fake of the API, and says so:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func main() {
	ctx := context.Background()

	// No key: run against vapitest, in this process, instead of the live API.
	var opts []vapi.Option
	if os.Getenv("VAPI_API_KEY") == "" {
		srv := vapitest.NewServer()
		defer srv.Close()
		fmt.Println("no VAPI_API_KEY: using the in-process vapitest server")
		opts = append(opts, vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("vapitest"))
	}
	client, err := vapi.NewClient(opts...) // else the key from $VAPI_API_KEY
	if err != nil {
		log.Fatal(err)
	}

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name: vapi.String("support"),
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
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("session", session.ID, session.Status)

	// One turn of a chat in the session, its reply streamed as it comes.
	stream, err := client.Chats.Stream(ctx, &vapi.CreateChatRequest{
		SessionID: vapi.String(session.ID),
		Input:     vapi.ChatInputText("Where is my order?"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for stream.Next() {
		fmt.Print(stream.Event().Delta)
	}
	if err := stream.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
}
