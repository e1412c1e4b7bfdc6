// Command webhook receives the messages Vapi sends to a server URL, with
// package webhook: it verifies each request, types the message, and prints
// one line per message.
//
// Run as it is, it needs nothing: it starts the webhook handler on a
// loopback port and the in-process vapitest fake of the API, configured to
// sign its webhooks with an HMAC plan, then creates, renames and deletes a
// session through the SDK and prints the three messages the handler
// verified:
//
//	go run ./examples/webhook
//
// With -listen it serves the handler on that address instead, for real
// deliveries from Vapi, and runs until interrupted. Configure it with the
// credential of the server URL in Vapi, by flag or environment variable:
//
//	-secret / VAPI_WEBHOOK_SECRET      the X-Vapi-Secret value
//	-bearer / VAPI_WEBHOOK_TOKEN       the bearer token
//	-hmac-plan / VAPI_WEBHOOK_HMAC     the HMACAuthenticationPlan, as JSON
//	-public-url                        the server URL as configured in Vapi,
//	                                   when a proxy sits in front (for {url})
//
//	VAPI_WEBHOOK_HMAC='{"secretKey":"…","algorithm":"sha256"}' \
//		go run ./examples/webhook -listen :8080
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
	flag.StringVar(&cfg.addr, "listen", "", "serve the webhook handler on this address (for example :8080) instead of running the demo")
	flag.StringVar(&cfg.secret, "secret", os.Getenv("VAPI_WEBHOOK_SECRET"), "expected X-Vapi-Secret (default $VAPI_WEBHOOK_SECRET)")
	flag.StringVar(&cfg.bearer, "bearer", os.Getenv("VAPI_WEBHOOK_TOKEN"), "expected bearer token (default $VAPI_WEBHOOK_TOKEN)")
	flag.StringVar(&cfg.hmacPlan, "hmac-plan", os.Getenv("VAPI_WEBHOOK_HMAC"), "HMACAuthenticationPlan as JSON (default $VAPI_WEBHOOK_HMAC)")
	flag.StringVar(&cfg.publicURL, "public-url", "", "the server URL as configured in Vapi, when a proxy sits in front")
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

// run is the demo: a handler and a vapitest server that signs what it
// sends to it, and a session created, renamed and deleted through the SDK.
func run(ctx context.Context, out io.Writer) error {
	// The plan both sides share. In production it is the credential of the
	// server URL in Vapi, and the secret comes from your secret store.
	plan := vapi.HMACAuthenticationPlan{
		SecretKey:       newSecret(),
		SecretIsBase64:  vapi.Bool(true),
		Algorithm:       "sha256",
		SignaturePrefix: vapi.String("sha256="),
		PayloadFormat:   vapi.String("{timestamp}.{method}.{url}.{body}"),
	}

	var mu sync.Mutex // the handler may run on any goroutine
	handler, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(out, "verified", describe(msg))
		return nil
	}, webhook.WithHMAC(plan))
	if err != nil {
		return err
	}
	receiver := httptest.NewServer(handler)
	defer receiver.Close()

	api := vapitest.NewServer(vapitest.WithWebhookHMAC(receiver.URL+"/vapi/events", plan))
	defer api.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(api.URL), vapi.WithAPIKey("vapitest-key"))
	if err != nil {
		return err
	}

	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("webhook-demo")})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if _, err := client.Sessions.Update(ctx, session.ID, &vapi.UpdateSessionRequest{Name: vapi.String("webhook-demo-renamed")}); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if _, err := client.Sessions.Delete(ctx, session.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}

	// A delivery the handler refused does not fail the API call; the fake
	// records it instead.
	var errs []error
	for _, d := range api.WebhookDeliveries() {
		if d.Err != nil {
			errs = append(errs, fmt.Errorf("delivery of %s: %w", d.Type, d.Err))
		}
	}
	return errors.Join(errs...)
}

// describe is the one line printed for a message.
func describe(msg vapi.ServerMessage) string {
	switch m := msg.(type) {
	case *vapi.ServerMessageSessionCreated:
		return "session.created " + sessionLine(&m.Session)
	case *vapi.ServerMessageSessionUpdated:
		return "session.updated " + sessionLine(&m.Session)
	case *vapi.ServerMessageSessionDeleted:
		return "session.deleted " + sessionLine(&m.Session)
	case *vapi.ServerMessageChatCreated:
		return "chat.created " + m.Chat.ID
	case *vapi.ServerMessageChatDeleted:
		return "chat.deleted " + m.Chat.ID
	case *vapi.UnknownServerMessage:
		return fmt.Sprintf("%s (%d bytes, not typed by this SDK)", m.Type, len(m.Raw))
	default:
		return fmt.Sprintf("%T", msg)
	}
}

func sessionLine(s *vapi.Session) string {
	name := ""
	if s.Name != nil {
		name = *s.Name
	}
	return fmt.Sprintf("%s name=%q status=%s", s.ID, name, s.Status)
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
	bearer    string
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
	if c.bearer != "" {
		opts = append(opts, webhook.WithBearerToken(c.bearer))
	}
	if c.hmacPlan != "" {
		var plan vapi.HMACAuthenticationPlan
		if err := json.Unmarshal([]byte(c.hmacPlan), &plan); err != nil {
			return nil, errors.New("-hmac-plan / VAPI_WEBHOOK_HMAC is not an HMACAuthenticationPlan in JSON")
		}
		opts = append(opts, webhook.WithHMAC(plan))
	}
	if len(opts) == 0 {
		return nil, errors.New("-listen needs a credential to check: -secret, -bearer or -hmac-plan (or their environment variables)")
	}
	if c.publicURL != "" {
		opts = append(opts, webhook.WithURL(c.publicURL))
	}
	return opts, nil
}

// listen serves the handler on cfg.addr until ctx is done.
func listen(ctx context.Context, cfg listenConfig, out, errOut io.Writer) error {
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, cfg, out, errOut)
}

// serve serves the handler on ln until ctx is done, printing each verified
// message to out and why each refused request was refused to errOut.
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
		// The path and the reason hold what the client sent: quoted, so
		// that a hostile request cannot forge or hide log lines.
		fmt.Fprintf(errOut, "refused %s %q from %s: %q\n", r.Method, r.URL.Path, r.RemoteAddr, err.Error())
	}))
	handler, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(out, "verified", describe(msg))
		return nil
	}, opts...)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
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
