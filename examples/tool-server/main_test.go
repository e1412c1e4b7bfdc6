package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func TestRunCallsBothToolsAndPrintsTheReply(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out), "output:\n%s", &out)
	got := out.String()
	for _, want := range []string{
		"no VAPI_API_KEY needed: the demo runs against the in-process vapitest server\n",
		`assistant-request answered with the assistant "Order desk"` + "\n",
		"you:       " + question + "\n",
		`tool call: get_order_status {"orderId":"A-1001"}` + "\n",
		`tool call: book_callback {"at":"20:00"}` + "\n",
		`result:    {"orderId":"A-1001","status":"shipped","eta":"Friday"}` + "\n",
		"result:    callbacks are between 09:00 and 17:00\n",
		"assistant: Order A-1001 is shipped and arrives Friday. I could not book the callback: callbacks are between 09:00 and 17:00.\n",
	} {
		assert.Contains(t, got, want)
	}
	assert.Regexp(t, `created session [0-9a-f-]{36}\n`, got)
}

func TestRunSaysWhyItUsesVapitestWithAKey(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "not-used-by-the-demo")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.True(t, strings.HasPrefix(out.String(), "the demo runs against the in-process vapitest server: Vapi cannot reach a loopback tool server"), out.String())
	assert.NotContains(t, out.String(), "not-used-by-the-demo", "the key is never printed")
}

// syncBuffer is a bytes.Buffer that the server and the test may use at
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

func TestListenAnswersRealDeliveries(t *testing.T) {
	plan := vapi.HMACAuthenticationPlan{SecretKey: "listen-key", Algorithm: "sha256"}
	planJSON, err := json.Marshal(plan)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String() + "/vapi"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, listenConfig{hmacPlan: string(planJSON), publicURL: "https://tools.example.com/vapi"}, &out, &errOut)
	}()

	signed := vapitest.NewServer(vapitest.WithWebhookHMAC(url, plan))
	defer signed.Close()
	// WithURL(-public-url) signs {url} only in a payloadFormat that has it;
	// the default format is {timestamp}.{body}.
	answer, err := signed.SendServerMessage(ctx, url, &vapi.ServerMessageToolCalls{ToolCallList: []vapi.ToolCall{
		{ID: "c1", Type: "function", Function: vapi.ToolCallFunction{Name: toolOrderStatus, Arguments: `{"orderId":"A-1002"}`}},
		{ID: "c2", Type: "function", Function: vapi.ToolCallFunction{Name: toolOrderStatus, Arguments: `{"orderId":"Z-9"}`}},
		{ID: "c3", Type: "function", Function: vapi.ToolCallFunction{Name: toolCallback, Arguments: `{"at":"10:30"}`}},
	}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"results":[
		{"toolCallId":"c1","name":"get_order_status","result":"{\"orderId\":\"A-1002\",\"status\":\"being packed\"}"},
		{"toolCallId":"c2","name":"get_order_status","error":"there is no order \"Z-9\""},
		{"toolCallId":"c3","name":"book_callback","result":"callback booked for 10:30"}]}`, string(answer))

	answer, err = signed.SendServerMessage(ctx, url, &vapi.ServerMessageAssistantRequest{})
	require.NoError(t, err)
	var chosen vapi.ServerMessageResponseAssistantRequest
	require.NoError(t, json.Unmarshal(answer, &chosen))
	require.NotNil(t, chosen.Assistant)
	assert.Contains(t, string(answer), `"url":"https://tools.example.com/vapi"`, "the assistant's tools point at the public URL")

	unsigned := vapitest.NewServer()
	defer unsigned.Close()
	_, err = unsigned.SendServerMessage(ctx, url, &vapi.ServerMessageAssistantRequest{})
	assert.ErrorContains(t, err, "401")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context was cancelled")
	}
	assert.Contains(t, errOut.String(), `POST "/vapi" from`)
	assert.Contains(t, errOut.String(), `webhook: tool \"get_order_status\" (call \"c2\")`, "a failed tool call is logged")
	assert.Contains(t, errOut.String(), "missing header", "the refused request is logged")
	assert.NotContains(t, errOut.String()+out.String(), "listen-key", "the secret is never printed")
}

func TestListenNeedsACredential(t *testing.T) {
	tests := []struct {
		name string
		cfg  listenConfig
		want string
	}{
		{"no credential at all", listenConfig{}, "-listen needs a credential"},
		{"a plan that is not JSON", listenConfig{hmacPlan: "secretKey=abc"}, "is not an HMACAuthenticationPlan"},
		{"a plan that signs no body", listenConfig{hmacPlan: `{"secretKey":"abc","algorithm":"sha256","payloadFormat":"{timestamp}"}`}, "no {body}"},
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
