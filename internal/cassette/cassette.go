// Package cassette plugs go-vcr recorders into SDK clients, so that the SDK's
// tests replay HTTP exchanges recorded under testdata/cassettes instead of
// touching the network.
//
// By default a cassette is only replayed (recorder.ModeReplayOnly): a request
// that the cassette does not hold fails the call, and an exchange the test
// did not replay fails the test. With VAPI_RECORD=1 the test runs against a
// real server and the cassette is rewritten:
//
//   - with VAPI_BASE_URL set, against that server (the live API is
//     https://api.vapi.ai) with the key in VAPI_API_KEY;
//   - without it, against a fresh in-process vapitest server with
//     deterministic ids, timestamps and org id, so that re-recording gives
//     the same bytes.
//
// Before a cassette is saved, a hook removes the Authorization header and
// every occurrence of the API key, writes the server's origin as
// https://api.vapi.ai (so that replays do not depend on the port of a
// record run), drops recorded latencies, and stamps each request with the
// X-Recorded-Against header. The file starts with a comment saying the same.
// Requests match on method, URL and JSON-equal body. The random boundary of
// a multipart body (an upload) is written as Boundary, in the body and in
// the Content-Type header, and replaced by it before matching, so uploads
// record the same bytes each time and replay. A response header that
// points at the server (the Location of a redirect) is rewritten like the
// URL.
//
// Cassette.Sent returns the requests a test's client sent, as they went
// out, so that a test can check what is on the wire when replaying too.
package cassette

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
	"gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// Environment variables of record mode.
const (
	// EnvRecord, set to 1 (or true), records cassettes instead of replaying.
	EnvRecord = "VAPI_RECORD"
	// EnvAPIKey is the API key to record with. Required against a live
	// server; against vapitest it defaults to FakeKey.
	EnvAPIKey = "VAPI_API_KEY"
	// EnvBaseURL is the server to record against. Unset: in-process vapitest.
	EnvBaseURL = "VAPI_BASE_URL"
)

const (
	// Dir is the cassette directory, relative to the module root, where the
	// root package's tests run.
	Dir = "testdata/cassettes"
	// Origin is the scheme and host that every recorded URL is written
	// with, and the base URL of replaying clients.
	Origin = "https://api.vapi.ai"
	// ReplayKey is the API key of replaying clients; it never leaves the
	// process.
	ReplayKey = "replay-key-not-a-secret"
	// FakeKey is the API key that vapitest accepts in a record run without
	// VAPI_API_KEY. The guard tests check that it appears in no cassette.
	FakeKey = "vapitest-record-key-3b9c1f70"
	// RecordedAgainst is the request header that says where an exchange was
	// recorded: "vapitest" or "live <base URL>".
	RecordedAgainst = "X-Recorded-Against"
	// Redacted replaces the API key wherever it appeared.
	Redacted = "[REDACTED]"
	// Boundary is the multipart boundary that recorded multipart bodies
	// are written with, in place of the random one they were sent with.
	Boundary = "vapi-cassette-boundary"
)

// FakeStart is the first reading of the clock of the vapitest server that
// cassettes are recorded against; it moves on one second per request.
var FakeStart = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

// FakeOrgID is the orgId of sessions recorded against vapitest.
const FakeOrgID = "00000000-0000-4000-8000-00000000f001"

// Options configures Open.
type Options struct {
	// Client holds options for the client, applied after the helper's own
	// (API key, base URL, HTTP client), so they can override the key.
	Client []vapi.Option
	// FakeOnly records against vapitest even when VAPI_BASE_URL is set,
	// for exchanges only the fake can produce (injected failures).
	FakeOnly bool
	// Dir overrides the cassette directory; the default is Dir.
	Dir string
}

// Cassette is one test's cassette and the client wired to it.
type Cassette struct {
	// Client sends through the cassette's recorder.
	Client *vapi.Client
	// Fake is the vapitest server being recorded against; nil when
	// replaying or recording against a live server. Tests use it to
	// inject failures.
	Fake *vapitest.Server
	// Recording reports whether the cassette is being recorded.
	Recording bool
	// Path is the cassette file.
	Path string

	target string // what the record run talks to: "vapitest" or "live <url>"
	vars   map[string]string
	getenv func(string) string
	sent   *sentLog
}

// Sent is a request that a cassette's client sent.
type Sent struct {
	// Method is the request's method.
	Method string
	// URL is the request's URL, as sent: the base URL of the record run
	// or Origin when replaying.
	URL *url.URL
	// Header holds the request's headers, credentials included.
	Header http.Header
	// Body is the request's body, read whole.
	Body []byte
}

// Sent returns the requests the cassette's client has sent so far, in the
// order they were sent (a retried request once per attempt).
func (c *Cassette) Sent() []Sent {
	c.sent.mu.Lock()
	defer c.sent.mu.Unlock()
	return slices.Clone(c.sent.reqs)
}

// sentLog is a RoundTripper that notes each request before handing it on.
type sentLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []Sent
}

func (l *sentLog) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	u := *r.URL
	l.mu.Lock()
	l.reqs = append(l.reqs, Sent{Method: r.Method, URL: &u, Header: r.Header.Clone(), Body: body})
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

// NewClient opens the named cassette with default options and returns its
// client.
func NewClient(t testing.TB, name string, opts ...vapi.Option) *vapi.Client {
	t.Helper()
	return Open(t, name, Options{Client: opts}).Client
}

// Open opens testdata/cassettes/<name>.yaml for replay, or for recording
// when VAPI_RECORD is set, and returns a client that goes through it. The
// recorder stops when the test ends: a recording is saved only if the test
// passed, and a replay fails the test if it left exchanges unplayed.
func Open(t testing.TB, name string, o Options) *Cassette {
	t.Helper()
	return open(t, name, o, os.Getenv)
}

func open(t testing.TB, name string, o Options, getenv func(string) string) *Cassette {
	t.Helper()
	dir := o.Dir
	if dir == "" {
		dir = Dir
	}
	c := &Cassette{Path: filepath.Join(dir, name+".yaml"), vars: map[string]string{}, getenv: getenv, sent: &sentLog{}}
	switch strings.ToLower(getenv(EnvRecord)) {
	case "1", "true", "yes":
		c.Recording = true
	}
	if !c.Recording {
		c.openReplay(t, strings.TrimSuffix(c.Path, ".yaml"), o)
		return c
	}
	c.openRecord(t, strings.TrimSuffix(c.Path, ".yaml"), o, getenv)
	return c
}

func (c *Cassette) openReplay(t testing.TB, base string, o Options) {
	t.Helper()
	header, err := readHeader(c.Path)
	if err != nil {
		t.Fatalf("cassette %s: %v (record it with %s=1, see %s/README.md)", c.Path, err, EnvRecord, Dir)
	}
	c.vars = header.vars
	rec, err := recorder.NewWithOptions(&recorder.Options{
		CassetteName:       base,
		Mode:               recorder.ModeReplayOnly,
		SkipRequestLatency: true,
	})
	if err != nil {
		t.Fatalf("cassette %s: %v", c.Path, err)
	}
	var replayed atomic.Int64
	rec.SetMatcher(func(r *http.Request, i cassette.Request) bool {
		if Match(r, i) {
			replayed.Add(1)
			return true
		}
		return false
	})
	c.sent.next = rec
	c.Client = newClient(t, c.sent, Origin, ReplayKey, o.Client)
	t.Cleanup(func() {
		if err := rec.Stop(); err != nil {
			t.Errorf("cassette %s: %v", c.Path, err)
		}
		if n := int64(header.interactions); !t.Failed() && replayed.Load() != n {
			t.Errorf("cassette %s holds %d exchanges but the test replayed %d: re-record it", c.Path, n, replayed.Load())
		}
	})
}

func (c *Cassette) openRecord(t testing.TB, base string, o Options, getenv func(string) string) {
	t.Helper()
	key, baseURL := getenv(EnvAPIKey), getenv(EnvBaseURL)
	if baseURL == "" || o.FakeOnly {
		if key == "" {
			key = FakeKey
		}
		c.Fake = vapitest.NewServer(
			vapitest.WithAPIKey(key),
			vapitest.WithOrgID(FakeOrgID),
			vapitest.WithIDGenerator(vapitest.SequentialIDs()),
			vapitest.WithClock(vapitest.StepClock(FakeStart, time.Second)),
		)
		t.Cleanup(c.Fake.Close)
		baseURL = c.Fake.URL
		c.target = "vapitest"
		t.Logf("cassette %s: recording against an in-process vapitest server at %s", c.Path, baseURL)
	} else {
		if key == "" {
			t.Fatalf("cassette %s: recording against %s needs %s", c.Path, baseURL, EnvAPIKey)
		}
		c.target = "live " + baseURL
		t.Logf("cassette %s: recording against %s", c.Path, baseURL)
	}
	rec, err := recorder.NewWithOptions(&recorder.Options{
		CassetteName:       base,
		Mode:               recorder.ModeRecordOnly,
		SkipRequestLatency: true,
	})
	if err != nil {
		t.Fatalf("cassette %s: %v", c.Path, err)
	}
	rec.SetMatcher(Match)
	rec.AddHook(Sanitizer(key, baseURL, c.target), recorder.BeforeSaveHook)
	c.sent.next = rec
	c.Client = newClient(t, c.sent, baseURL, key, o.Client)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("cassette %s: not saved, the test failed", c.Path)
			return
		}
		if err := rec.Stop(); err != nil {
			t.Errorf("cassette %s: %v", c.Path, err)
			return
		}
		if err := writeHeader(c.Path, c.target, c.vars); err != nil {
			t.Errorf("cassette %s: %v", c.Path, err)
		}
	})
}

func newClient(t testing.TB, rt http.RoundTripper, baseURL, key string, opts []vapi.Option) *vapi.Client {
	t.Helper()
	all := append([]vapi.Option{
		vapi.WithAPIKey(key),
		vapi.WithBaseURL(baseURL),
		vapi.WithHTTPClient(&http.Client{Transport: rt}),
	}, opts...)
	client, err := vapi.NewClient(all...)
	if err != nil {
		t.Fatalf("vapi.NewClient: %v", err)
	}
	return client
}

// Var returns a test input that has to differ between servers, such as the
// id of an assistant that exists in the account a cassette is recorded
// with. When recording, it is $env, or fallback when that is unset (vapitest
// accepts any id), and it is saved in the cassette's header; when
// replaying, it is the value saved there, so the test sends the requests it
// recorded.
func (c *Cassette) Var(t testing.TB, name, env, fallback string) string {
	t.Helper()
	if c.Recording {
		v := c.getenv(env)
		if v == "" || c.Fake != nil {
			v = fallback
		}
		c.vars[name] = v
		return v
	}
	v, ok := c.vars[name]
	if !ok {
		t.Fatalf("cassette %s has no var %q: re-record it", c.Path, name)
	}
	return v
}

// Match reports whether request r is the recorded request i: same method,
// same URL, and bodies that are equal as JSON (or byte for byte when not
// JSON, after r's multipart boundary, if any, is written as Boundary). It
// leaves r's body readable.
func Match(r *http.Request, i cassette.Request) bool {
	if r.Method != i.Method || r.URL.String() != i.URL {
		return false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return false
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if b := multipartBoundary(r.Header.Get("Content-Type")); b != "" {
		return bytes.Equal(bytes.ReplaceAll(body, []byte(b), []byte(Boundary)), []byte(i.Body))
	}
	return jsonEqual(body, []byte(i.Body))
}

// multipartBoundary returns the boundary of a multipart media type, or "".
func multipartBoundary(contentType string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return ""
	}
	return params["boundary"]
}

func jsonEqual(a, b []byte) bool {
	if len(bytes.TrimSpace(a)) == 0 || len(bytes.TrimSpace(b)) == 0 {
		return len(bytes.TrimSpace(a)) == len(bytes.TrimSpace(b))
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x) // encoding/json sorts map keys
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// Sanitizer returns the hook that makes a recorded exchange fit to commit:
// it removes the Authorization header and any header carrying the key,
// replaces the key everywhere else with Redacted, rewrites baseURL's origin
// as Origin (in the request's URL and in response headers that start with
// it, such as a redirect's Location), writes a multipart body's boundary as
// Boundary, drops the recorded latency, and sets the RecordedAgainst
// request header to target.
func Sanitizer(key, baseURL, target string) func(*cassette.Interaction) error {
	from, err := url.Parse(baseURL)
	origin := ""
	if err == nil {
		origin = from.Scheme + "://" + from.Host
	}
	to, _ := url.Parse(Origin)
	scrub := func(s string) string {
		if key != "" {
			s = strings.ReplaceAll(s, key, Redacted)
		}
		return s
	}
	scrubHeader := func(h http.Header) http.Header {
		out := http.Header{}
		for k, vs := range h {
			if strings.EqualFold(k, "Authorization") {
				continue
			}
			for _, v := range vs {
				if key != "" && strings.Contains(v, key) {
					continue
				}
				out.Add(k, v)
			}
		}
		return out
	}
	return func(i *cassette.Interaction) error {
		req, resp := &i.Request, &i.Response
		req.Headers = scrubHeader(req.Headers)
		req.Headers.Set(RecordedAgainst, target)
		resp.Headers = scrubHeader(resp.Headers)
		if origin != "" && strings.HasPrefix(req.URL, origin) {
			req.URL = Origin + strings.TrimPrefix(req.URL, origin)
		}
		for _, vs := range resp.Headers {
			for j, v := range vs {
				if origin != "" && (v == origin || strings.HasPrefix(v, origin+"/")) {
					vs[j] = Origin + strings.TrimPrefix(v, origin)
				}
			}
		}
		if b := multipartBoundary(req.Headers.Get("Content-Type")); b != "" {
			req.Headers.Set("Content-Type", strings.ReplaceAll(req.Headers.Get("Content-Type"), b, Boundary))
			req.Body = strings.ReplaceAll(req.Body, b, Boundary)
		}
		if origin != "" && req.Host == from.Host {
			req.Host = to.Host
		}
		req.URL = scrub(req.URL)
		req.Body = scrub(req.Body)
		resp.Body = scrub(resp.Body)
		for k, vs := range req.Form {
			for j := range vs {
				req.Form[k][j] = scrub(vs[j])
			}
		}
		resp.Duration = 0
		return nil
	}
}

// header is what a cassette file's leading comment says.
type header struct {
	target       string
	vars         map[string]string
	interactions int
}

const (
	headerLead = "# Recorded against "
	varLead    = "# var "
)

// writeHeader prepends the comment that says where the cassette was
// recorded, and its vars, to the file go-vcr saved.
func writeHeader(path, target string, vars map[string]string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%s by a record run (%s=1); do not edit by hand, see README.md.\n", headerLead, target, EnvRecord)
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		fmt.Fprintf(&b, "%s%s = %s\n", varLead, k, vars[k])
	}
	b.Write(body)
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// readHeader reads a cassette's leading comment and counts its exchanges.
func readHeader(path string) (header, error) {
	h := header{vars: map[string]string{}}
	c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
	if err != nil {
		return h, err
	}
	h.interactions = len(c.Interactions)
	body, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		if rest, ok := strings.CutPrefix(line, headerLead); ok {
			h.target, _, _ = strings.Cut(rest, " by a record run")
		}
		if rest, ok := strings.CutPrefix(line, varLead); ok {
			k, v, _ := strings.Cut(rest, " = ")
			h.vars[k] = v
		}
	}
	if h.target == "" {
		return h, fmt.Errorf("no %q comment at the top", headerLead)
	}
	return h, nil
}
