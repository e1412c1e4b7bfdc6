package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// FuzzRouter sends a router bodies that are signed or not, and checks
// that it never panics, that a body whose signature was not made with the
// plan's key never reaches a function (whatever the signature header
// says), and that a signed body gets only the statuses a router gives.
//
//	go test ./webhook -run '^$' -fuzz FuzzRouter -fuzztime 1m
func FuzzRouter(f *testing.F) {
	toolCalls, err := os.ReadFile("testdata/tool-calls.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []struct {
		body, sig string
		signed    bool
	}{
		{string(toolCalls), "", true},
		{string(toolCalls), strings.Repeat("0", 64), false},
		{toolCallsBody("lookup", "fail", "nobody"), "", true},
		{msgBody(`{"type":"assistant-request"}`), "", true},
		{msgBody(`{"type":"tool-calls","toolCallList":[{"id":"c","function":{"name":"lookup","arguments":"{\"n\":\"x\"}"}}]}`), "", true},
		{msgBody(`{"type":"tool-calls","toolWithToolCallList":[{"type":"function","toolCall":{"id":"c","function":{"name":"lookup"}}}]}`), "", true},
		{msgBody(`{"type":"campaign.predial","campaignId":"c","contact":{}}`), "", true},
		{msgBody(`{"type":"status-update","status":"ended"}`), "zz", false},
		{msgBody(`{"type":"x"}`), "", true},
		{`{"message":null}`, "", true},
		{``, "", false},
	} {
		f.Add([]byte(seed.body), seed.sig, seed.signed)
	}
	signer := newRefSigner(routerPlan)
	f.Fuzz(func(t *testing.T, body []byte, sig string, signed bool) {
		var calls atomic.Int32
		r, err := webhook.NewRouter(webhook.WithHMAC(routerPlan), testClock)
		if err != nil {
			t.Fatal(err)
		}
		count := func() { calls.Add(1) }
		r.HandleTool("lookup", func(ctx context.Context, call vapi.ToolCall) (any, error) {
			count()
			args, err := webhook.Arguments[map[string]any](call)
			return args, err
		})
		r.HandleTool("fail", func(context.Context, vapi.ToolCall) (any, error) {
			count()
			return nil, context.DeadlineExceeded
		})
		r.HandleAssistantRequest(func(context.Context, *vapi.ServerMessageAssistantRequest) (*vapi.ServerMessageResponseAssistantRequest, error) {
			count()
			return &vapi.ServerMessageResponseAssistantRequest{AssistantID: vapi.String("a")}, nil
		})
		r.HandleCampaignPredial(func(context.Context, *vapi.ServerMessageCampaignPredial) (*vapi.ServerMessageResponseCampaignPredial, error) {
			count()
			return nil, context.Canceled
		})
		r.Handle(func(context.Context, vapi.ServerMessage) error {
			count()
			return nil
		})

		ts := seconds(testNow)
		req := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(string(body)))
		req.Header.Set("X-Timestamp", ts)
		valid := signer.signature(http.MethodPost, testURL, ts, "", string(body))
		if signed {
			req.Header.Set("X-Signature", valid)
		} else {
			if strings.EqualFold(strings.TrimSpace(sig), valid) {
				return // the fuzzer found the key: not a forgery
			}
			req.Header.Set("X-Signature", sig)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)

		if !signed {
			if calls.Load() != 0 {
				t.Fatalf("an unverified body reached a function (status %d):\n%q", w.Code, body)
			}
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("an unverified body got %d, not 401", w.Code)
			}
			return
		}
		switch w.Code {
		case http.StatusOK:
			if w.Body.Len() == 0 || (w.Body.Bytes()[0] != '{') {
				t.Fatalf("a 200 answer that is not a JSON object: %q", w.Body)
			}
		case http.StatusBadRequest:
			if calls.Load() != 0 {
				t.Fatalf("a body that does not parse reached a function:\n%q", body)
			}
		case http.StatusInternalServerError:
			if strings.Contains(w.Body.String(), "context") {
				t.Fatalf("a 500 says why: %q", w.Body)
			}
		default:
			t.Fatalf("a signed body got %d", w.Code)
		}
	})
}
