package cassette

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/govapi/vapi"
)

func TestMatch(t *testing.T) {
	rec := cassette.Request{Method: "POST", URL: "https://api.vapi.ai/session?x=1", Body: `{"a":1,"b":[1,2]}`}
	tests := []struct {
		name        string
		method, url string
		body        string
		want        bool
	}{
		{"same", "POST", rec.URL, rec.Body, true},
		{"keys reordered and spaced", "POST", rec.URL, `{ "b": [1, 2], "a": 1.0 }`, true},
		{"other value", "POST", rec.URL, `{"a":2,"b":[1,2]}`, false},
		{"array order matters", "POST", rec.URL, `{"a":1,"b":[2,1]}`, false},
		{"other method", "PATCH", rec.URL, rec.Body, false},
		{"other query", "POST", "https://api.vapi.ai/session?x=2", rec.Body, false},
		{"other host", "POST", "http://127.0.0.1:1/session?x=1", rec.Body, false},
		{"no body", "POST", rec.URL, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, Match(r, rec))
			left, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(left), "Match must leave the body readable")
		})
	}
	empty := cassette.Request{Method: "GET", URL: "https://api.vapi.ai/session"}
	r, _ := http.NewRequest("GET", empty.URL, nil)
	assert.True(t, Match(r, empty), "no body on either side")
	raw := cassette.Request{Method: "POST", URL: empty.URL, Body: "not json"}
	r, _ = http.NewRequest("POST", raw.URL, strings.NewReader("not json"))
	assert.True(t, Match(r, raw), "non-JSON bodies compare byte for byte")
}

func TestSanitizer(t *testing.T) {
	const key = "sk-live-0123456789"
	i := &cassette.Interaction{
		Request: cassette.Request{
			Method: "POST",
			URL:    "http://127.0.0.1:5555/session?echo=" + key,
			Host:   "127.0.0.1:5555",
			Body:   `{"name":"` + key + `"}`,
			Headers: http.Header{
				"Authorization": {"Bearer " + key},
				"X-Api-Key":     {key},
				"User-Agent":    {"vapi-go/0.1.0"},
			},
		},
		Response: cassette.Response{
			Body:     `{"message":"bad key ` + key + `"}`,
			Headers:  http.Header{"X-Echo": {"Bearer " + key}, "Content-Type": {"application/json"}},
			Duration: time.Second,
		},
	}
	require.NoError(t, Sanitizer(key, "http://127.0.0.1:5555", "vapitest")(i))

	assert.Equal(t, "https://api.vapi.ai/session?echo="+Redacted, i.Request.URL)
	assert.Equal(t, "api.vapi.ai", i.Request.Host)
	assert.Equal(t, `{"name":"`+Redacted+`"}`, i.Request.Body)
	assert.Equal(t, http.Header{"User-Agent": {"vapi-go/0.1.0"}, RecordedAgainst: {"vapitest"}}, i.Request.Headers)
	assert.Equal(t, `{"message":"bad key `+Redacted+`"}`, i.Response.Body)
	assert.Equal(t, http.Header{"Content-Type": {"application/json"}}, i.Response.Headers)
	assert.Zero(t, i.Response.Duration)
}

// fakeT is enough of testing.TB to watch open report failures.
type fakeT struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (f *fakeT) Helper()             {}
func (f *fakeT) Logf(string, ...any) {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}
func (f *fakeT) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errs) > 0
}
func (f *fakeT) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run runs body as a test with its own fakeT, cleanups included, and
// returns the failures it reported.
func run(body func(t *fakeT)) []string {
	ft := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(ft)
	}()
	<-done
	for i := len(ft.cleanups) - 1; i >= 0; i-- {
		ft.cleanups[i]()
	}
	return ft.errs
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// scenario creates a session, reads it back and asks for one that is not
// there.
func scenario(t testing.TB, c *Cassette) {
	ctx := context.Background()
	s, err := c.Client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name:        vapi.String("recorded"),
		AssistantID: vapi.String(c.Var(t, "assistantId", "TEST_ASSISTANT_ID", "asst-fallback")),
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := c.Client.Sessions.Get(ctx, s.ID); err != nil {
		t.Fatalf("Get: %v", err)
	}
	_, err = c.Client.Sessions.Get(ctx, "00000000-0000-4000-8000-0000000000ff")
	if !errors.Is(err, vapi.ErrNotFound) {
		t.Fatalf("Get unknown: %v", err)
	}
}

func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	const key = "sk-record-me-not"
	record := env(map[string]string{EnvRecord: "1", EnvAPIKey: key, "TEST_ASSISTANT_ID": "asst-live"})

	errs := run(func(ft *fakeT) {
		c := open(ft, "flow", Options{Dir: dir}, record)
		require.True(t, c.Recording)
		require.NotNil(t, c.Fake, "no VAPI_BASE_URL: record against vapitest")
		scenario(ft, c)
	})
	require.Empty(t, errs)

	raw, err := os.ReadFile(filepath.Join(dir, "flow.yaml"))
	require.NoError(t, err)
	text := string(raw)
	assert.True(t, strings.HasPrefix(text, "# Recorded against vapitest by a record run (VAPI_RECORD=1)"), text[:80])
	assert.Contains(t, text, "# var assistantId = asst-fallback\n", "vapitest gets the fallback, not the live id")
	assert.NotContains(t, text, key)
	assert.NotContains(t, text, "Bearer")
	assert.NotContains(t, text, "127.0.0.1")
	assert.Contains(t, text, "url: https://api.vapi.ai/session")
	assert.Contains(t, text, "X-Recorded-Against:")

	// Replay: no server, same answers; the helper's own key and base URL.
	errs = run(func(ft *fakeT) {
		c := open(ft, "flow", Options{Dir: dir}, env(nil))
		require.False(t, c.Recording)
		require.Nil(t, c.Fake)
		scenario(ft, c)
	})
	assert.Empty(t, errs)

	// A replay that leaves exchanges unplayed fails.
	errs = run(func(ft *fakeT) {
		c := open(ft, "flow", Options{Dir: dir}, env(nil))
		_, _ = c.Client.Sessions.Get(context.Background(), "00000000-0000-4000-8000-0000000000ff")
	})
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "holds 3 exchanges but the test replayed 1")

	// A request the cassette does not hold is an error, not a network call.
	errs = run(func(ft *fakeT) {
		c := open(ft, "flow", Options{Dir: dir, Client: []vapi.Option{vapi.WithMaxRetries(0)}}, env(nil))
		_, err := c.Client.Sessions.Get(context.Background(), "00000000-0000-4000-8000-0000000000aa")
		if err == nil {
			ft.Errorf("unrecorded request succeeded")
		}
	})
	require.NotEmpty(t, errs)
	assert.NotContains(t, errs[0], "unrecorded request succeeded")
}

func TestRecordFailedTestSavesNothing(t *testing.T) {
	dir := t.TempDir()
	errs := run(func(ft *fakeT) {
		c := open(ft, "broken", Options{Dir: dir}, env(map[string]string{EnvRecord: "1"}))
		_, _ = c.Client.Sessions.Get(context.Background(), "00000000-0000-4000-8000-0000000000ff")
		ft.Errorf("the test failed")
	})
	require.Len(t, errs, 1)
	_, err := os.Stat(filepath.Join(dir, "broken.yaml"))
	assert.True(t, os.IsNotExist(err), "a failed recording must not overwrite a cassette")
}

func TestRecordLiveNeedsKey(t *testing.T) {
	errs := run(func(ft *fakeT) {
		open(ft, "live", Options{Dir: t.TempDir()}, env(map[string]string{EnvRecord: "1", EnvBaseURL: "https://api.vapi.ai"}))
	})
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "needs VAPI_API_KEY")
}

func TestRecordFakeOnlyIgnoresBaseURL(t *testing.T) {
	dir := t.TempDir()
	errs := run(func(ft *fakeT) {
		c := open(ft, "fake", Options{Dir: dir, FakeOnly: true},
			env(map[string]string{EnvRecord: "1", EnvBaseURL: "https://api.vapi.ai", EnvAPIKey: "k"}))
		require.NotNil(t, c.Fake)
		_, _ = c.Client.Sessions.List(context.Background(), nil)
	})
	require.Empty(t, errs)
}

func TestReplayMissingCassette(t *testing.T) {
	errs := run(func(ft *fakeT) {
		open(ft, "nothing-here", Options{Dir: t.TempDir()}, env(nil))
	})
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "record it with VAPI_RECORD=1")
}

func TestMatchMultipart(t *testing.T) {
	const part = "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistant\r\n--"
	rec := cassette.Request{Method: "POST", URL: "https://api.vapi.ai/file", Body: "--" + Boundary + part + Boundary + "--\r\n"}
	tests := []struct {
		name        string
		contentType string
		body        string
		want        bool
	}{
		{"another boundary", "multipart/form-data; boundary=r4nd0m", "--r4nd0m" + part + "r4nd0m--\r\n", true},
		{"a quoted boundary", `multipart/form-data; boundary="r4nd0m"`, "--r4nd0m" + part + "r4nd0m--\r\n", true},
		{"other content", "multipart/form-data; boundary=r4nd0m", "--r4nd0m" + strings.Replace(part, "assistant", "other", 1) + "r4nd0m--\r\n", false},
		{"not multipart", "text/plain", "--r4nd0m" + part + "r4nd0m--\r\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest("POST", rec.URL, strings.NewReader(tt.body))
			require.NoError(t, err)
			r.Header.Set("Content-Type", tt.contentType)
			assert.Equal(t, tt.want, Match(r, rec))
			left, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(left), "Match must leave the body readable")
		})
	}
}

func TestSanitizerBoundaryAndLocation(t *testing.T) {
	i := &cassette.Interaction{
		Request: cassette.Request{
			Method:  "POST",
			URL:     "http://127.0.0.1:5555/file",
			Body:    "--r4nd0m\r\n\r\nx\r\n--r4nd0m--\r\n",
			Headers: http.Header{"Content-Type": {"multipart/form-data; boundary=r4nd0m"}},
		},
		Response: cassette.Response{Headers: http.Header{
			"Location": {"http://127.0.0.1:5555/vapitest/artifact/1/pcap"},
			"Link":     {"http://127.0.0.1:55555/elsewhere", "https://example.com/x"},
		}},
	}
	require.NoError(t, Sanitizer("k", "http://127.0.0.1:5555", "vapitest")(i))
	assert.Equal(t, "--"+Boundary+"\r\n\r\nx\r\n--"+Boundary+"--\r\n", i.Request.Body)
	assert.Equal(t, "multipart/form-data; boundary="+Boundary, i.Request.Headers.Get("Content-Type"))
	assert.Equal(t, http.Header{
		"Location": {"https://api.vapi.ai/vapitest/artifact/1/pcap"},
		"Link":     {"http://127.0.0.1:55555/elsewhere", "https://example.com/x"},
	}, i.Response.Headers, "only values at the server's origin are rewritten")
}

// An upload records the same bytes each time, and replays; Sent shows what
// went out either way.
func TestRecordUploadTwiceThenReplay(t *testing.T) {
	dir := t.TempDir()
	upload := func(ft *fakeT, c *Cassette) {
		_, err := c.Client.Files.Upload(context.Background(), "a.txt", strings.NewReader("hello"), &vapi.UploadFileParams{Purpose: vapi.FilePurposeAssistant})
		if err != nil {
			ft.Fatalf("Upload: %v", err)
		}
		sent := c.Sent()
		if len(sent) != 1 || sent[0].URL.Path != "/file" || !strings.Contains(string(sent[0].Body), "hello") {
			ft.Errorf("sent %+v", sent)
		}
	}
	var saved []string
	for range 2 {
		errs := run(func(ft *fakeT) {
			upload(ft, open(ft, "upload", Options{Dir: dir}, env(map[string]string{EnvRecord: "1"})))
		})
		require.Empty(t, errs)
		raw, err := os.ReadFile(filepath.Join(dir, "upload.yaml"))
		require.NoError(t, err)
		saved = append(saved, string(raw))
	}
	assert.Equal(t, saved[0], saved[1], "re-recording gives the same bytes")
	assert.Contains(t, saved[0], "boundary="+Boundary)

	errs := run(func(ft *fakeT) { upload(ft, open(ft, "upload", Options{Dir: dir}, env(nil))) })
	assert.Empty(t, errs)
}
