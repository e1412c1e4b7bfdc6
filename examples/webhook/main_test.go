package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func TestRunPrintsTheThreeVerifiedMessages(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3, "one line per message:\n%s", &out)
	id := regexp.MustCompile(`^verified session\.created (\S+) `).FindStringSubmatch(lines[0])
	require.NotNil(t, id, "the first line is the created session:\n%s", &out)
	assert.Equal(t, []string{
		"verified session.created " + id[1] + ` name="webhook-demo" status=active`,
		"verified session.updated " + id[1] + ` name="webhook-demo-renamed" status=active`,
		"verified session.deleted " + id[1] + ` name="webhook-demo-renamed" status=active`,
	}, lines)
}

// syncBuffer is a bytes.Buffer that the handler and the test may use at
// once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestListenServesRealDeliveries(t *testing.T) {
	hmacPlan := vapi.HMACAuthenticationPlan{SecretKey: "listen-test-key", Algorithm: "sha512", SignatureEncoding: "base64"}
	tests := []struct {
		name    string
		cfg     listenConfig
		sender  func(url string) vapitest.Option
		refused bool
	}{
		{
			name:   "a secret from -secret verifies X-Vapi-Secret",
			cfg:    listenConfig{secret: "listen-secret"},
			sender: func(url string) vapitest.Option { return vapitest.WithWebhookSecret(url, "listen-secret") },
		},
		{
			name:   "a plan from -hmac-plan verifies the signature",
			cfg:    listenConfig{hmacPlan: `{"type":"hmac","secretKey":"listen-test-key","algorithm":"sha512","signatureEncoding":"base64"}`},
			sender: func(url string) vapitest.Option { return vapitest.WithWebhookHMAC(url, hmacPlan) },
		},
		{
			name:    "a wrong secret is refused and the reason logged",
			cfg:     listenConfig{secret: "listen-secret"},
			sender:  func(url string) vapitest.Option { return vapitest.WithWebhookSecret(url, "not-the-secret") },
			refused: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			url := "http://" + ln.Addr().String() + "/vapi"
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out, errOut syncBuffer
			done := make(chan error, 1)
			go func() { done <- serve(ctx, ln, tt.cfg, &out, &errOut) }()

			api := vapitest.NewServer(tt.sender(url))
			defer api.Close()
			client, err := vapi.NewClient(vapi.WithBaseURL(api.URL), vapi.WithAPIKey("k"))
			require.NoError(t, err)
			s, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("listen")})
			require.NoError(t, err, "a refused delivery never fails the API call")

			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(10 * time.Second):
				t.Fatal("serve did not stop when its context was cancelled")
			}

			deliveries := api.WebhookDeliveries()
			require.Len(t, deliveries, 1)
			if tt.refused {
				assert.Equal(t, 401, deliveries[0].StatusCode)
				assert.NotContains(t, out.String(), "verified")
				assert.Contains(t, errOut.String(), `refused POST "/vapi"`)
				assert.Contains(t, errOut.String(), "credential does not match")
				assert.NotContains(t, errOut.String(), "listen-secret", "the log never shows the secret")
				return
			}
			assert.NoError(t, deliveries[0].Err)
			assert.Contains(t, out.String(), "verified session.created "+s.ID+` name="listen" status=active`)
			assert.Empty(t, errOut.String())
		})
	}
}

func TestListenQuotesWhatTheClientSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, listenConfig{secret: "listen-secret"}, &out, &errOut) }()

	// %0A in the path decodes to a newline, which would start a forged
	// log line if the path were printed as it is.
	req, err := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/vapi%0Averified%20session.created%20forged", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)

	assert.Equal(t, 1, strings.Count(errOut.String(), "\n"), "one refusal, one line:\n%s", errOut.String())
	assert.Contains(t, errOut.String(), `refused POST "/vapi\nverified session.created forged"`)
	assert.NotContains(t, out.String(), "verified")
}

func TestListenNeedsACredential(t *testing.T) {
	tests := []struct {
		name string
		cfg  listenConfig
		want string
	}{
		{"no credential at all", listenConfig{}, "-listen needs a credential"},
		{"a plan that is not JSON", listenConfig{hmacPlan: "secretKey=abc"}, "is not an HMACAuthenticationPlan"},
		{"a plan without algorithm", listenConfig{hmacPlan: `{"secretKey":"abc"}`}, "no algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			err = serve(context.Background(), ln, tt.cfg, &bytes.Buffer{}, &bytes.Buffer{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "abc", "the error never shows the secret")
		})
	}
}
