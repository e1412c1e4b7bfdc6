package vapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// benchChatEvents is the length of the benchmark's stream.
const benchChatEvents = 1000

// benchChatStream is a chat stream of n events as the API sends them, each
// a word of the reply, then [DONE].
func benchChatStream(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `data: {"id":"3f6c1e2a-8b7d-4c1e-9f2a-6d5e4c3b2a19","sessionId":"7a1d9c40-2e6b-4f3a-b8c5-0d9e1f2a3b4c","path":"chat.output[0].content","delta":"word%d "}`+"\n\n", i)
	}
	b.WriteString("data: [DONE]\n\n")
	return b.Bytes()
}

// benchStreamServer serves body as a text/event-stream on a loopback port.
func benchStreamServer(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// readWithSDK reads a chat stream with ChatsService.Stream and returns the
// total length of its deltas.
func readWithSDK(ctx context.Context, c *vapi.Client) (events, size int, err error) {
	s, err := c.Chats.Stream(ctx, chatReq)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	for s.Next() {
		events++
		size += len(s.Event().Delta)
	}
	return events, size, s.Err()
}

// readWithScanner reads a chat stream the way a user without the SDK
// would: POST the request, scan the body's data: lines, decode each into a
// map.
func readWithScanner(ctx context.Context, hc *http.Client, url string, reqBody []byte) (events, size int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/chat", bytes.NewReader(reqBody))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+streamKey)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: "))
		if !ok || string(data) == "[DONE]" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return events, size, err
		}
		delta, _ := m["delta"].(string)
		events++
		size += len(delta)
	}
	return events, size, sc.Err()
}

// BenchmarkChatStream reads a 1,000-event chat stream from a loopback
// server with ChatsService.Stream, and with the loop a user would write
// without the SDK (bufio.Scanner over the data: lines, json.Unmarshal into
// a map). Besides ns/op it reports ns/event and allocs/event; the server
// runs in the process, so its allocations count in both.
func BenchmarkChatStream(b *testing.B) {
	body := benchChatStream(benchChatEvents)
	srv := benchStreamServer(b, body)
	ctx := context.Background()
	report := func(b *testing.B, read func() (int, int, error)) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.ResetTimer()
		for range b.N {
			events, size, err := read()
			if err != nil || events != benchChatEvents || size == 0 {
				b.Fatalf("read %d events (%d bytes of deltas): %v", events, size, err)
			}
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		perEvent := float64(b.N * benchChatEvents)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perEvent, "ns/event")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/perEvent, "allocs/event")
	}

	b.Run("reader=sdk", func(b *testing.B) {
		c, err := vapi.NewClient(vapi.WithAPIKey(streamKey), vapi.WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseIdleConnections()
		report(b, func() (int, int, error) { return readWithSDK(ctx, c) })
	})
	b.Run("reader=scanner+map", func(b *testing.B) {
		reqBody, err := json.Marshal(map[string]any{"assistantId": "asst-1", "input": "Hi", "stream": true})
		if err != nil {
			b.Fatal(err)
		}
		hc := &http.Client{Transport: &http.Transport{}}
		defer hc.CloseIdleConnections()
		report(b, func() (int, int, error) { return readWithScanner(ctx, hc, srv.URL, reqBody) })
	})
}

// The two readers of the benchmark read the same thing.
func TestBenchmarkChatStreamReadersAgree(t *testing.T) {
	srv := benchStreamServer(t, benchChatStream(50))
	c, err := vapi.NewClient(vapi.WithAPIKey(streamKey), vapi.WithBaseURL(srv.URL))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	sdkEvents, sdkSize, err := readWithSDK(context.Background(), c)
	require.NoError(t, err)
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	scanEvents, scanSize, err := readWithScanner(context.Background(), hc, srv.URL, []byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, 50, sdkEvents)
	assert.Equal(t, sdkEvents, scanEvents)
	assert.Equal(t, sdkSize, scanSize)
	assert.Equal(t, len(strings.Repeat("wordN ", 10))+len(strings.Repeat("wordNN ", 40)), sdkSize)
}
