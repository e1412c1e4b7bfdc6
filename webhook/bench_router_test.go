package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// toolServer is the router the tool-calls benchmark measures: HMAC
// verification, and the two functions the 5 KB message calls, each
// decoding its arguments and returning a struct.
func toolServer(tb testing.TB) (*webhook.Router, []byte, *http.Request) {
	tb.Helper()
	body, err := os.ReadFile("testdata/tool-calls.json")
	if err != nil {
		tb.Fatal(err)
	}
	plan := vapi.HMACAuthenticationPlan{SecretKey: "bench-secret", Algorithm: "sha256"}
	r, err := webhook.NewRouter(webhook.WithHMAC(plan), testClock)
	if err != nil {
		tb.Fatal(err)
	}
	type place struct {
		City  string `json:"city"`
		State string `json:"state"`
		Days  int    `json:"days"`
	}
	type weather struct {
		City        string  `json:"city"`
		Celsius     float64 `json:"celsius"`
		Description string  `json:"description"`
	}
	r.HandleTool("getWeatherByCity_001", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		p, err := webhook.Arguments[place](call)
		return weather{City: p.City, Celsius: 21.5, Description: "sunny"}, err
	})
	r.HandleTool("getForecast_002", func(ctx context.Context, call vapi.ToolCall) (any, error) {
		p, err := webhook.Arguments[place](call)
		out := make([]weather, p.Days)
		for i := range out {
			out[i] = weather{City: p.City, Celsius: 20 + float64(i), Description: "clear"}
		}
		return out, err
	})
	req := newRefSigner(plan).request(string(body), seconds(testNow))
	// Check once that the answer is what the benchmark claims to measure.
	w := httptest.NewRecorder()
	r.ServeHTTP(w, withBody(req, body))
	if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte(`"toolCallId":"call_72ab"`)) || bytes.Contains(w.Body.Bytes(), []byte(`"error"`)) {
		tb.Fatalf("the router does not answer the benchmark's message: %d %s", w.Code, w.Body)
	}
	return r, body, req
}

// withBody gives req a fresh reader of body.
func withBody(req *http.Request, body []byte) *http.Request {
	req.Body = io.NopCloser(bytes.NewReader(body))
	return req
}

// discardWriter is an http.ResponseWriter that keeps nothing, so that the
// benchmark measures the router rather than a recorder.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }

// BenchmarkRouterToolCalls compares, on the same 5 KB tool-calls body,
// what a tool server pays with a webhook.Router (verify the HMAC
// signature, parse into typed values, run two tools that decode their
// arguments, encode the answer) with decoding the bytes into
// map[string]any with encoding/json. Run them side by side:
//
//	go test ./webhook -run '^$' -bench BenchmarkRouterToolCalls -benchmem
func BenchmarkRouterToolCalls(b *testing.B) {
	r, body, req := toolServer(b)
	b.Run("json.Unmarshal_map", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Router_verify+parse+answer", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		w := &discardWriter{h: http.Header{}}
		for i := 0; i < b.N; i++ {
			r.ServeHTTP(w, withBody(req, body))
			if w.code != 200 {
				b.Fatal(w.code)
			}
		}
	})
}

// TestRouterToolCallsCostAtMostTwiceAMapDecode holds the budget the
// benchmark above measures: verifying, parsing and answering the 5 KB
// tool-calls message costs at most twice decoding it into map[string]any.
// Both are timed in alternating rounds and the fastest round of each
// compared, which keeps a busy machine from failing it.
func TestRouterToolCallsCostAtMostTwiceAMapDecode(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing comparison: not with -short or -race")
	}
	r, body, req := toolServer(t)
	w := &discardWriter{h: http.Header{}}
	ourCost, mapCost := costAgainstMapDecode(2, func() {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
	}, func() {
		r.ServeHTTP(w, withBody(req, body))
		if w.code != 200 {
			t.Fatal(w.code)
		}
	})
	ratio := float64(ourCost) / float64(mapCost)
	t.Logf("Router verify+parse+answer %v, json.Unmarshal into a map %v: ratio %.2f", ourCost, mapCost, ratio)
	if ratio > 2 {
		t.Errorf("answering %d bytes of tool-calls costs %.2f times a map decode (%v vs %v); the budget is 2", len(body), ratio, ourCost, mapCost)
	}
}
