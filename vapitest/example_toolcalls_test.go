package vapitest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// A chat turn whose reply calls a tool of your server URL: the model is a
// function of the test, the tool server is the code under test.
func ExampleWithChatReplies() {
	plan := vapi.HMACAuthenticationPlan{SecretKey: "test-secret", Algorithm: "sha256"}
	router, err := webhook.NewRouter(webhook.WithHMAC(plan))
	if err != nil {
		panic(err)
	}
	router.HandleTool("get_order", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		args, err := webhook.Arguments[struct {
			ID string `json:"id"`
		}](call)
		return map[string]string{"id": args.ID, "status": "shipped"}, err
	})
	tools := httptest.NewServer(router)
	defer tools.Close()

	// The model: call get_order, then answer with what it returned.
	model := func(ctx context.Context, msgs []vapi.ChatMessage) vapitest.Reply {
		if tm, ok := msgs[len(msgs)-1].(*vapi.ToolMessage); ok {
			return vapitest.Reply{Text: "Your order: " + tm.Content}
		}
		return vapitest.Reply{ToolCalls: []vapi.ToolCall{{ID: "call_1", Type: "function",
			Function: vapi.ToolCallFunction{Name: "get_order", Arguments: `{"id":"A-1"}`}}}}
	}
	api := vapitest.NewServer(vapitest.WithWebhookHMAC(tools.URL, plan), vapitest.WithChatReplies(model))
	defer api.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(api.URL), vapi.WithAPIKey("test-key"))
	if err != nil {
		panic(err)
	}

	chat, err := client.Chats.Create(context.Background(), &vapi.CreateChatRequest{
		Assistant: &vapi.AssistantConfig{
			Server: &vapi.Server{URL: vapi.String(tools.URL)}, // where tool calls go
			Model: &vapi.OpenAIModel{Model: "gpt-4o", Tools: []vapi.Tool{
				&vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "get_order"}},
			}},
		},
		Input: vapi.ChatInputText("Where is my order A-1?"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(chat.OutputText())
	for _, d := range api.WebhookDeliveries() {
		fmt.Println(d.Type, d.StatusCode)
	}
	// Output:
	// Your order: {"id":"A-1","status":"shipped"}
	// tool-calls 200
	// chat.created 200
}

// Send any message to a server URL, signed as Vapi would, and read the
// answer.
func ExampleServer_SendServerMessage() {
	router, err := webhook.NewRouter(webhook.WithSecret("s3cret"))
	if err != nil {
		panic(err)
	}
	router.HandleAssistantRequest(func(ctx context.Context, m *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
		return &vapi.ServerMessageResponseAssistantRequest{AssistantID: vapi.String("asst-night-shift")}, nil
	})
	receiver := httptest.NewServer(router)
	defer receiver.Close()

	api := vapitest.NewServer(vapitest.WithWebhookSecret(receiver.URL, "s3cret"))
	defer api.Close()
	answer, err := api.SendServerMessage(context.Background(), receiver.URL, &vapi.ServerMessageAssistantRequest{})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(answer))
	// Output: {"assistantId":"asst-night-shift"}
}
