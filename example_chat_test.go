package vapi_test

import (
	"context"
	"fmt"
	"log"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// A turn of a chat in a session, its reply streamed as it is generated.
// The example runs against vapitest, whose assistant answers
// deterministically.
func ExampleChatsService_Stream() {
	srv := vapitest.NewServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("test-key"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Assistant: &vapi.AssistantConfig{Name: vapi.String("Riley")},
	})
	if err != nil {
		log.Fatal(err)
	}
	stream, err := client.Chats.Stream(ctx, &vapi.CreateChatRequest{
		SessionID: vapi.String(session.ID),
		Input:     vapi.ChatInputText("Hello"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for stream.Next() {
		fmt.Printf("%q\n", stream.Event().Delta)
	}
	if err := stream.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(stream.Text())
	// Output:
	// "Reply 1 from "
	// "vapitest: you said "
	// "\"Hello\"."
	// Reply 1 from vapitest: you said "Hello".
}

// A conversation carried by a session: each turn names the session, which
// holds the messages so far.
func ExampleChatsService_Create() {
	srv := vapitest.NewServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("test-key"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{AssistantID: vapi.String("asst-1")})
	if err != nil {
		log.Fatal(err)
	}
	for _, text := range []string{"Hi", "Where is my order?"} {
		chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{
			SessionID: vapi.String(session.ID),
			Input:     vapi.ChatInputText(text),
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(chat.OutputText())
	}
	session, err = client.Sessions.Get(ctx, session.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(session.Messages), "messages in the session")
	// Output:
	// Reply 1 from vapitest: you said "Hi".
	// Reply 2 from vapitest: you said "Where is my order?".
	// 4 messages in the session
}
