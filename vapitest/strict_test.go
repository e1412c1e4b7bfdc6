package vapitest_test

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi/vapitest"
)

// TestRejectsWhatTheAPIRejects sends bodies the live API answers with a 400
// and checks that the fake does too, NestJS-shaped, with a message that
// names the offending value the NestJS way ("messages.0.role …").
func TestRejectsWhatTheAPIRejects(t *testing.T) {
	tests := []struct {
		name   string
		method string
		body   string
		want   string // the start of one of the messages
	}{
		{"a body of null", "POST", `null`, "request body must be a JSON object"},
		{"a body that is a string", "POST", `"session"`, "request body must be a JSON object"},
		{"a body that is a number", "POST", `5`, "request body must be a JSON object"},
		{"a body that is an array", "PATCH", `[{"name":"x"}]`, "request body must be a JSON object"},
		{"a string where a number belongs", "POST", `{"expirationSeconds":"600"}`, "expirationSeconds must be a number"},
		{"a string where an array belongs", "POST", `{"messages":"hi"}`, "messages must be an array"},
		{"an array where an object belongs", "POST", `{"customer":[]}`, "customer must be an object"},
		{"an unknown property deep inside", "POST", `{"assistant":{"voice":{"provider":"11labs","voiceId":"burt","mood":"x"}}}`, "assistant.voice.property mood should not exist"},
		{"a message with an unknown role", "POST", `{"messages":[{"role":"wizard","message":"hi"}]}`, "messages.0"},
		{"a message without a role", "POST", `{"messages":[{"message":"hi"}]}`, "messages.0"},
		{"a message that is a number", "POST", `{"messages":[5]}`, "messages.0"},
		{"a message that is null", "POST", `{"messages":[null]}`, "messages.0"},
		{"an update with a message of unknown role", "PATCH", `{"messages":[{"role":"user","message":"a"},{"role":"robot","message":"b"}]}`, "messages.1"},
		{"a model with an unknown provider and junk fields", "POST", `{"assistant":{"model":{"provider":"nope","model":"x","junk":1}}}`, "assistant.model"},
		{"a voice without a provider", "POST", `{"assistant":{"voice":{"voiceId":"burt"}}}`, "assistant.voice"},
		{"a model that is a string", "POST", `{"assistant":{"model":"gpt-4o"}}`, "assistant.model"},
	}
	for _, tt := range tests {
		t.Run("answers 400 to "+tt.name, func(t *testing.T) {
			srv := newServer(t)
			path := "/session"
			if tt.method == "PATCH" {
				path += "/" + create(t, srv, `{}`)["id"].(string)
			}
			res := do(t, srv, tt.method, path, tt.body)
			require.Equal(t, http.StatusBadRequest, res.status, "body %s answered %s", tt.body, res.raw)
			assert.Equal(t, "Bad Request", res.body["error"])
			assert.EqualValues(t, 400, res.body["statusCode"])
			got := messages(t, res)
			found := false
			for _, m := range got {
				found = found || strings.HasPrefix(m, tt.want)
			}
			assert.True(t, found, "no message starts with %q: %q", tt.want, got)
		})
	}
}

// deepBody is a create request whose assistantOverrides.variableValues
// nests depth objects.
func deepBody(depth int) string {
	return `{"assistantOverrides":{"variableValues":` + strings.Repeat(`{"a":`, depth) + `1` + strings.Repeat(`}`, depth) + `}}`
}

// bigBody is a create request of about size bytes, spread over many
// variables, which takes a while to decode and check.
func bigBody(size int) string {
	var b strings.Builder
	b.WriteString(`{"assistantOverrides":{"variableValues":{`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"var%d":"%s"`, i, strings.Repeat("v", 100))
	}
	b.WriteString(`}}}`)
	return b.String()
}

func TestSlowBodiesDoNotHoldUpOtherRequests(t *testing.T) {
	t.Run("a body nested 8,000 deep costs work in proportion to its size", func(t *testing.T) {
		// Copying the path at every level of the key walk allocated half
		// a gigabyte for this body, and held the lock for seconds.
		srv := newServer(t)
		body := deepBody(8000)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		res := do(t, srv, "POST", "/session", body)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		assert.Equal(t, http.StatusCreated, res.status, res.raw)
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("%d bytes nested 8,000 deep: %v, %d MiB allocated", len(body), elapsed, allocated>>20)
		assert.Less(t, allocated, uint64(100<<20))
	})
	t.Run("other requests are answered while a large body is decoded", func(t *testing.T) {
		srv := newServer(t)
		id := create(t, srv, `{}`)["id"].(string)
		body := bigBody(2 << 20)
		done := make(chan time.Duration)
		go func() {
			start := time.Now()
			req, _ := http.NewRequest("POST", srv.URL+"/session", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- time.Since(start)
		}()
		var slowest time.Duration
		var post time.Duration
		gets := 0
	loop:
		for {
			select {
			case post = <-done:
				break loop
			default:
			}
			start := time.Now()
			res := do(t, srv, "GET", "/session/"+id, "")
			require.Equal(t, http.StatusOK, res.status)
			slowest = max(slowest, time.Since(start))
			gets++
		}
		t.Logf("a 2 MiB create took %v; the slowest of %d GETs meanwhile took %v", post, gets, slowest)
		assert.Less(t, slowest, post/4, "a GET waited for the create")
	})
}

func TestRequestsAreBounded(t *testing.T) {
	t.Run("keeps the last MaxRecordedRequests requests", func(t *testing.T) {
		srv := newServer(t)
		for i := range vapitest.MaxRecordedRequests + 5 {
			do(t, srv, "GET", fmt.Sprintf("/session?limit=%d", i%100), "", "X-Seq", fmt.Sprint(i))
		}
		reqs := srv.Requests()
		require.Len(t, reqs, vapitest.MaxRecordedRequests)
		assert.Equal(t, "5", reqs[0].Header.Get("X-Seq"), "the oldest are forgotten")
		assert.Equal(t, fmt.Sprint(vapitest.MaxRecordedRequests+4), reqs[len(reqs)-1].Header.Get("X-Seq"))
	})
	t.Run("keeps at most MaxRecordedBytes of bodies, and the newest request always", func(t *testing.T) {
		srv := newServer(t)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		// Unterminated, so that the server rejects it after one scan.
		body := `{"name":"` + strings.Repeat("n", 10<<20-9)
		for i := range 5 {
			res := do(t, srv, "POST", "/session", body, "X-Seq", fmt.Sprint(i))
			require.Equal(t, http.StatusBadRequest, res.status)
		}
		runtime.GC() // twice: the second empties the victim caches of sync.Pools
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		reqs := srv.Requests()
		total := 0
		for _, r := range reqs {
			total += len(r.Body)
		}
		assert.LessOrEqual(t, total, vapitest.MaxRecordedBytes)
		require.NotEmpty(t, reqs)
		assert.Equal(t, "4", reqs[len(reqs)-1].Header.Get("X-Seq"))
		t.Logf("5 × 10 MiB requests: %d kept; the server's heap grew by %d MiB", len(reqs), retained>>20)
		assert.Less(t, retained, int64(vapitest.MaxRecordedBytes+8<<20))
	})
	t.Run("is safe to read while requests are served", func(t *testing.T) {
		srv := newServer(t)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 300 {
					do(t, srv, "GET", "/session", "", "X-Seq", fmt.Sprint(g, i))
					if i%25 == 0 {
						_ = srv.Requests()
					}
				}
			}()
		}
		wg.Wait()
		assert.Len(t, srv.Requests(), vapitest.MaxRecordedRequests)
	})
}
