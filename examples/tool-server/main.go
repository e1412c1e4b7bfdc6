// Command tool-server is a Vapi server URL that answers: a webhook.Router
// with two function tools (get_order_status returns a struct, book_callback
// can fail) and an assistant-request answer that gives inbound calls an
// assistant with those tools.
//
// Run as it is, it needs nothing, no API key and no public URL: it serves
// the router on a loopback port, starts the in-process vapitest fake of the
// API, creates a session whose assistant has the two tools on the router's
// URL, and sends a chat turn whose reply calls them, as a live assistant
// would (vapitest.WithChatReplies plays the model). It prints the tool
// calls, their results and the reply:
//
//	go run ./examples/tool-server
//
// With -listen it serves the router on that address instead, for real
// deliveries from Vapi, and runs until interrupted. Point the tools' (or
// the assistant's) server URL at it, and give it the credential of that
// server URL, by flag or environment variable:
//
//	-secret / VAPI_WEBHOOK_SECRET      the X-Vapi-Secret value
//	-hmac-plan / VAPI_WEBHOOK_HMAC     the HMACAuthenticationPlan, as JSON
//	-public-url                        the server URL as configured in Vapi:
//	                                   for {url} behind a proxy, and for the
//	                                   tools of the assistant-request answer
//
//	VAPI_WEBHOOK_SECRET=… go run ./examples/tool-server -listen :8080 -public-url https://example.ngrok.app/vapi
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

func main() {
	var cfg listenConfig
	flag.StringVar(&cfg.addr, "listen", "", "serve the tool server on this address (for example :8080) instead of running the demo")
	flag.StringVar(&cfg.secret, "secret", os.Getenv("VAPI_WEBHOOK_SECRET"), "expected X-Vapi-Secret (default $VAPI_WEBHOOK_SECRET)")
	flag.StringVar(&cfg.hmacPlan, "hmac-plan", os.Getenv("VAPI_WEBHOOK_HMAC"), "HMACAuthenticationPlan as JSON (default $VAPI_WEBHOOK_HMAC)")
	flag.StringVar(&cfg.publicURL, "public-url", "", "the server URL as configured in Vapi")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if cfg.addr != "" {
		err = listen(ctx, cfg, os.Stdout, os.Stderr)
	} else {
		err = run(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// The two tools, as the model sees them.
const (
	toolOrderStatus = "get_order_status"
	toolCallback    = "book_callback"
)

// orderStatus is what get_order_status returns: the router sends it to
// Vapi as its JSON.
type orderStatus struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
	ETA     string `json:"eta,omitempty"`
}

// orders is the shop's database, as far as this example goes.
var orders = map[string]orderStatus{
	"A-1001": {OrderID: "A-1001", Status: "shipped", ETA: "Friday"},
	"A-1002": {OrderID: "A-1002", Status: "being packed"},
}

// newRouter is the tool server: verification as opts say, the two tools,
// the assistant-request answer, and a log line for every other message.
// serverURL is where Vapi reaches it, for the assistant it hands out.
func newRouter(serverURL string, log io.Writer, opts ...webhook.Option) (*webhook.Router, error) {
	r, err := webhook.NewRouter(opts...)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex // the functions may run on any goroutine
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(log, format, args...)
	}

	r.HandleTool(toolOrderStatus, func(ctx context.Context, call vapi.ToolCall) (any, error) {
		args, err := webhook.Arguments[struct {
			OrderID string `json:"orderId"`
		}](call)
		if err != nil {
			return nil, err
		}
		status, ok := orders[args.OrderID]
		if !ok {
			return nil, fmt.Errorf("there is no order %q", args.OrderID)
		}
		return status, nil // a struct: Vapi gets its JSON as the result
	})
	r.HandleTool(toolCallback, func(ctx context.Context, call vapi.ToolCall) (any, error) {
		args, err := webhook.Arguments[struct {
			At string `json:"at"` // "15:04"
		}](call)
		if err != nil {
			return nil, err
		}
		at, err := time.Parse("15:04", args.At)
		if err != nil {
			return nil, fmt.Errorf("%q is not a time of day like 14:30", args.At)
		}
		if at.Hour() < 9 || at.Hour() >= 17 {
			// The error's text is the call's result: the model reads it
			// and tells the customer.
			return nil, errors.New("callbacks are between 09:00 and 17:00")
		}
		return "callback booked for " + args.At, nil // a string: sent as it is
	})
	r.HandleAssistantRequest(func(ctx context.Context, m *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
		return &vapi.ServerMessageResponseAssistantRequest{Assistant: orderDesk(serverURL)}, nil
	})
	r.Handle(func(ctx context.Context, msg vapi.ServerMessage) error {
		logf("received %T\n", msg)
		return nil
	})
	return r, nil
}

// orderDesk is the assistant with the two tools, whose calls go to
// serverURL.
func orderDesk(serverURL string) *vapi.AssistantConfig {
	server := &vapi.Server{URL: vapi.String(serverURL)}
	return &vapi.AssistantConfig{
		Name: vapi.String("Order desk"),
		Model: &vapi.OpenAIModel{
			Model: vapi.OpenAIModelModel("gpt-4o"),
			Messages: []vapi.OpenAIMessage{{
				Role:    vapi.OpenAIMessageRoleSystem,
				Content: vapi.NullableOf("You answer questions about orders, and book callbacks."),
			}},
			Tools: []vapi.Tool{
				&vapi.FunctionToolConfig{Server: server, Function: &vapi.OpenAIFunction{
					Name:        toolOrderStatus,
					Description: vapi.String("The status of an order, by its id"),
					Parameters: &vapi.OpenAIFunctionParameters{Properties: map[string]vapi.JSONSchema{
						"orderId": {Type: "string"},
					}, Required: []string{"orderId"}},
				}},
				&vapi.FunctionToolConfig{Server: server, Function: &vapi.OpenAIFunction{
					Name:        toolCallback,
					Description: vapi.String("Book a callback at a time of day"),
					Parameters: &vapi.OpenAIFunctionParameters{Properties: map[string]vapi.JSONSchema{
						"at": {Type: "string", Description: vapi.String("HH:MM")},
					}, Required: []string{"at"}},
				}},
			},
		},
	}
}

// question is what the customer asks in the demo.
const question = "Where is my order A-1001? And can you call me back at 20:00?"

// run is the demo: the router on a loopback port, vapitest signing what it
// sends it, and one chat turn that calls both tools.
func run(ctx context.Context, out io.Writer) error {
	// The credential both sides share. In production it is the server
	// URL's credential in Vapi, and the secret comes from a secret store.
	plan := vapi.HMACAuthenticationPlan{
		SecretKey:       newSecret(),
		SecretIsBase64:  vapi.Bool(true),
		Algorithm:       "sha256",
		SignaturePrefix: vapi.String("sha256="),
	}
	// The router's own URL goes into the assistant it hands out, so the
	// port is taken first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	routerURL := "http://" + ln.Addr().String() + "/vapi"
	router, err := newRouter(routerURL, out, webhook.WithHMAC(plan))
	if err != nil {
		ln.Close()
		return err
	}
	tools := httptest.NewUnstartedServer(router)
	tools.Listener.Close()
	tools.Listener = ln
	tools.Start()
	defer tools.Close()

	if os.Getenv("VAPI_API_KEY") != "" {
		fmt.Fprintln(out, "the demo runs against the in-process vapitest server: Vapi cannot reach a loopback tool server (use -listen for real deliveries)")
	} else {
		fmt.Fprintln(out, "no VAPI_API_KEY needed: the demo runs against the in-process vapitest server")
	}
	api := vapitest.NewServer(vapitest.WithWebhookHMAC(routerURL, plan), vapitest.WithChatReplies(model))
	defer api.Close()
	fmt.Fprintf(out, "tool server (webhook.Router) at %s\n", routerURL)

	// An inbound call asks the server URL for its assistant.
	now := vapi.TimestampOf(time.Now())
	answer, err := api.SendServerMessage(ctx, routerURL, &vapi.ServerMessageAssistantRequest{
		Timestamp: &now,
	})
	if err != nil {
		return fmt.Errorf("assistant-request: %w", err)
	}
	var chosen vapi.ServerMessageResponseAssistantRequest
	if err := json.Unmarshal(answer, &chosen); err != nil || chosen.Assistant == nil {
		return fmt.Errorf("assistant-request: the answer has no assistant: %s", answer)
	}
	fmt.Fprintf(out, "assistant-request answered with the assistant %q\n", *chosen.Assistant.Name)

	client, err := vapi.NewClient(vapi.WithBaseURL(api.URL), vapi.WithAPIKey("vapitest-key"))
	if err != nil {
		return err
	}
	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name:      vapi.String("tool-server-demo"),
		Assistant: orderDesk(routerURL),
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	fmt.Fprintf(out, "created session %s\n\n", session.ID)

	fmt.Fprintf(out, "you:       %s\n", question)
	chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{SessionID: &session.ID, Input: vapi.ChatInputText(question)})
	if err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	for _, m := range chat.Output {
		switch m := m.(type) {
		case *vapi.AssistantMessage:
			for _, c := range m.ToolCalls {
				fmt.Fprintf(out, "tool call: %s %s\n", c.Function.Name, c.Function.Arguments)
			}
		case *vapi.ToolMessage:
			fmt.Fprintf(out, "result:    %s\n", m.Content)
		}
	}
	fmt.Fprintf(out, "assistant: %s\n", chat.OutputText())

	var errs []error
	for _, d := range api.WebhookDeliveries() {
		if d.Err != nil {
			errs = append(errs, fmt.Errorf("delivery of %s: %w", d.Type, d.Err))
		}
	}
	return errors.Join(errs...)
}

// model plays the assistant's model in the demo: to a question it answers
// with calls to both tools; once their results are in, with a sentence
// made from them.
func model(ctx context.Context, messages []vapi.ChatMessage) vapitest.Reply {
	results := map[string]string{} // by tool call id
	for _, m := range messages {
		if t, ok := m.(*vapi.ToolMessage); ok {
			results[t.ToolCallID] = t.Content
		}
	}
	if len(results) == 0 {
		return vapitest.Reply{ToolCalls: []vapi.ToolCall{
			{ID: "call_1", Type: "function", Function: vapi.ToolCallFunction{Name: toolOrderStatus, Arguments: `{"orderId":"A-1001"}`}},
			{ID: "call_2", Type: "function", Function: vapi.ToolCallFunction{Name: toolCallback, Arguments: `{"at":"20:00"}`}},
		}}
	}
	var status orderStatus
	if err := json.Unmarshal([]byte(results["call_1"]), &status); err != nil {
		return vapitest.Reply{Text: "Sorry, I could not look up your order: " + results["call_1"]}
	}
	return vapitest.Reply{Text: fmt.Sprintf("Order %s is %s and arrives %s. I could not book the callback: %s.",
		status.OrderID, status.Status, status.ETA, results["call_2"])}
}

// newSecret returns a random base64 key, as a credential would hold.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// listenConfig is what -listen mode is told.
type listenConfig struct {
	addr      string
	secret    string
	hmacPlan  string
	publicURL string
}

// options turns the configuration into webhook options. It never prints a
// secret: errors name the flag only.
func (c listenConfig) options() ([]webhook.Option, error) {
	var opts []webhook.Option
	if c.secret != "" {
		opts = append(opts, webhook.WithSecret(c.secret))
	}
	if c.hmacPlan != "" {
		var plan vapi.HMACAuthenticationPlan
		if err := json.Unmarshal([]byte(c.hmacPlan), &plan); err != nil {
			return nil, errors.New("-hmac-plan / VAPI_WEBHOOK_HMAC is not an HMACAuthenticationPlan in JSON")
		}
		opts = append(opts, webhook.WithHMAC(plan))
	}
	if len(opts) == 0 {
		return nil, errors.New("-listen needs a credential to check: -secret or -hmac-plan (or their environment variables)")
	}
	if c.publicURL != "" {
		opts = append(opts, webhook.WithURL(c.publicURL))
	}
	return opts, nil
}

// listen serves the router on cfg.addr until ctx is done.
func listen(ctx context.Context, cfg listenConfig, out, errOut io.Writer) error {
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, cfg, out, errOut)
}

// serve serves the router on ln until ctx is done, printing the messages
// it did not answer to out and why each refused request or failed tool
// call failed to errOut.
func serve(ctx context.Context, ln net.Listener, cfg listenConfig, out, errOut io.Writer) error {
	opts, err := cfg.options()
	if err != nil {
		ln.Close()
		return err
	}
	var mu sync.Mutex
	opts = append(opts, webhook.WithErrorHandler(func(r *http.Request, err error) {
		mu.Lock()
		defer mu.Unlock()
		// The path and the reason may hold what the client sent: quoted,
		// so that a hostile request cannot forge log lines.
		fmt.Fprintf(errOut, "%s %q from %s: %q\n", r.Method, r.URL.Path, r.RemoteAddr, err.Error())
	}))
	public := cfg.publicURL
	if public == "" {
		public = "http://" + ln.Addr().String() + "/"
	}
	router, err := newRouter(public, out, opts...)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "listening on http://%s\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
