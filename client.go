package vapi

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Client calls Vapi's API. Create one with [NewClient] and share it: it is
// safe for concurrent use, and it reuses connections across calls.
//
// Printing a Client, with any verb, shows only its base URL: never the API
// key or the extra headers.
type Client struct {
	// Sessions creates, reads, lists, updates and deletes sessions.
	Sessions *SessionsService
	// Chats sends chat turns, whole or streamed, and reads, lists and
	// deletes chats.
	Chats *ChatsService

	// defaults is behind a pointer, like everything a Client holds, so
	// that whatever prints a Client's fields (fmt does for %s of a struct
	// that points to one) shows addresses, never the key or the headers.
	defaults *settings
	retry    *retryablehttp.Client // for calls that keep the defaults' transport and retry settings
}

// maxIdleConnsPerHost is how many idle connections per host the default
// transport keeps for reuse: enough for a few dozen goroutines sharing one
// client to reuse their connections instead of opening new ones.
const maxIdleConnsPerHost = 64

// NewClient returns a client configured by opts. The API key comes from
// [WithAPIKey], else $VAPI_API_KEY; without either NewClient returns an error
// matching [ErrMissingAPIKey]. The base URL comes from [WithBaseURL], else
// $VAPI_BASE_URL, else [DefaultBaseURL]. [WithResponseInto] is refused: it
// is an option of one call.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{
		timeout:           DefaultTimeout,
		maxRetries:        DefaultMaxRetries,
		retryWaitMin:      DefaultRetryWaitMin,
		retryWaitMax:      DefaultRetryWaitMax,
		maxResponseBytes:  DefaultMaxResponseBytes,
		streamIdleTimeout: DefaultStreamIdleTimeout,
		userAgent:         userAgent,
	}
	if err := s.apply(opts); err != nil {
		return nil, fmt.Errorf("vapi: NewClient: %w", err)
	}
	if s.responseInto != nil {
		return nil, errors.New("vapi: NewClient: WithResponseInto is an option of one call: one Response shared by concurrent calls would race; pass it to the call instead")
	}
	if s.cred == nil {
		key := os.Getenv("VAPI_API_KEY")
		if key == "" {
			return nil, fmt.Errorf("%w: pass vapi.WithAPIKey or set VAPI_API_KEY", ErrMissingAPIKey)
		}
		if err := WithAPIKey(key)(&s); err != nil {
			return nil, fmt.Errorf("vapi: NewClient: VAPI_API_KEY: %w", err)
		}
	}
	if s.baseURL == "" {
		s.baseURL = DefaultBaseURL
		if env := os.Getenv("VAPI_BASE_URL"); env != "" {
			base, err := parseBaseURL(env)
			if err != nil {
				return nil, fmt.Errorf("vapi: NewClient: VAPI_BASE_URL: %w", err)
			}
			s.baseURL = base
		}
	}
	if s.httpClient == nil {
		s.httpClient = defaultHTTPClient()
	}
	c := &Client{defaults: &s, retry: newRetryClient(&s)}
	c.Sessions = &SessionsService{client: c}
	c.Chats = &ChatsService{client: c}
	return c, nil
}

// defaultHTTPClient returns a client with a pooled transport of its own:
// go-cleanhttp's timeouts, and enough idle connections per host for
// concurrent use.
func defaultHTTPClient() *http.Client {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	t.MaxIdleConns = max(t.MaxIdleConns, maxIdleConnsPerHost)
	return &http.Client{Transport: t}
}

// CloseIdleConnections closes the connections that the client's HTTP client
// keeps open for reuse and that are now idle.
func (c *Client) CloseIdleConnections() {
	c.defaults.httpClient.CloseIdleConnections()
}

// Format prints the client, with any verb, as vapi.Client{BaseURL: "…"}:
// the API key and the extra headers, which may hold secrets, are never
// shown.
func (c Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "vapi.Client{BaseURL: %q}", c.defaults.baseURL)
}

// Response describes the final HTTP response of a call; see
// [WithResponseInto]. Its Header is cleared of the API key. Its Body is the
// raw body of a success, exactly as the server sent it, like the value the
// call decoded from it; when the call failed, it is a copy cleared of the
// key. Printing a Response, with any verb, never shows the key.
type Response struct {
	StatusCode int
	Header     http.Header
	RequestID  string // X-Request-Id, else CF-Ray
	Attempts   int    // 1 when there was no retry
	Body       []byte // the raw body; for an error response or a success too large to read, its first 64 KiB; nil for a stream

	// shown is Body cleared of the key, for printing, when Body shows it.
	shown *shownBody
}

// call is one call in flight: its settings, what it asks for and how many
// attempts it has made. The context of its requests carries it to the
// attempt hooks and the retry policy.
type call struct {
	settings
	retry    *retryablehttp.Client
	method   string
	path     string // escaped, relative to the base URL
	attempts int
}

type callKey struct{}

// newCall applies a call's options over the client's defaults.
func (c *Client) newCall(method, path string, opts []Option) (*call, error) {
	cl := &call{settings: *c.defaults, retry: c.retry, method: method, path: path}
	if len(opts) == 0 {
		return cl, nil
	}
	if err := cl.settings.apply(opts); err != nil {
		return nil, fmt.Errorf("vapi: %s %s: %w", method, path, err)
	}
	d := c.defaults
	if cl.httpClient != d.httpClient || cl.maxRetries != d.maxRetries ||
		cl.retryWaitMin != d.retryWaitMin || cl.retryWaitMax != d.retryWaitMax {
		cl.retry = newRetryClient(&cl.settings)
	}
	return cl, nil
}

// errorf returns an error naming the call, for failures found before
// anything is sent.
func (cl *call) errorf(format string, args ...any) error {
	return fmt.Errorf("vapi: %s %s: "+format, append([]any{cl.method, cl.path}, args...)...)
}

// encode marshals a request body; nil stays nil (no body).
func (cl *call) encode(in any) ([]byte, error) {
	if in == nil {
		return nil, nil
	}
	b, err := marshal(in)
	if err != nil {
		return nil, cl.errorf("encode request: %w", err)
	}
	return b, nil
}

// do sends the call with body in (nil for none) and decodes a 2xx response
// into out, which must be a pointer to a type whose JSON is an object. If
// out has a resourceID method, an empty id is an unexpected response.
// WithTimeout bounds the whole call, reading the body included.
func (cl *call) do(ctx context.Context, query string, in, out any) error {
	if ctx == nil {
		return cl.errorf("nil Context")
	}
	body, err := cl.encode(in)
	if err != nil {
		return err
	}
	if cl.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cl.timeout)
		defer cancel()
	}
	resp, err := cl.send(ctx, query, body, "application/json")
	if err != nil {
		return err
	}
	return cl.decode(ctx, resp, out)
}

// stream sends the call like do, with the same retries and the same
// *APIError for a final status other than 2xx, but returns the final 2xx
// *http.Response with its body unread, for a reader of Server-Sent Events
// (ChatsService.Stream) to consume as it arrives:
//
//	cl, err := s.client.newCall(http.MethodPost, "/chat", opts)
//	...
//	resp, err := cl.stream(ctx, "", req, "text/event-stream")
//	if err != nil {
//		return nil, err // *APIError, *ValidationError, transport or context error
//	}
//	defer resp.Body.Close() // or keep it in the stream, closed by its Close
//
// in is marshalled like do's (nil for no body); accept is the Accept header.
// WithTimeout bounds only the wait for the response headers, retries and
// backoff included; once stream returns, the body is bounded by ctx alone
// (and closing it ends the request). cl.streamIdleTimeout
// (WithStreamIdleTimeout, 0 for none) is for the reader to apply between
// two events; WithMaxResponseBytes does not apply, the reader bounds each
// event instead. The response's Header is already cleared of the API key,
// and WithResponseInto gets the status, header and attempts, with a nil
// Body. The body itself is the server's raw text: pass anything of it that
// goes into an error through cl.cleanText (or newCleanError), which removes
// the key and escapes control characters. The caller must close the body.
func (cl *call) stream(ctx context.Context, query string, in any, accept string) (*http.Response, error) {
	if ctx == nil {
		return nil, cl.errorf("nil Context")
	}
	body, err := cl.encode(in)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	// Whichever comes first, the headers or the timeout, wins: the timer
	// cancels the request only if the headers have not come.
	const (
		waiting int32 = iota
		arrived
		expired
	)
	var state atomic.Int32
	if cl.timeout > 0 {
		timer := time.AfterFunc(cl.timeout, func() {
			if state.CompareAndSwap(waiting, expired) {
				cancel()
			}
		})
		defer timer.Stop()
	}
	resp, err := cl.send(ctx, query, body, accept)
	if !state.CompareAndSwap(waiting, arrived) {
		// The headers came too late, or not at all.
		if resp != nil {
			_ = resp.Body.Close()
		}
		cancel()
		return nil, cl.transportError(context.DeadlineExceeded)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases a stream's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// send sends the call, with body (nil for none), and returns the final
// response, with its header cleared of the key and its body unread, when
// its status is 2xx. Any other final status is read, closed and returned
// as an *APIError; a call that got no response returns a transport or
// context error. Both fill WithResponseInto's Response.
func (cl *call) send(ctx context.Context, query string, body []byte, accept string) (*http.Response, error) {
	ctx = context.WithValue(ctx, callKey{}, cl)
	u := cl.baseURL + cl.path
	if query != "" {
		u += "?" + query
	}
	var rb any // untyped nil, not a nil []byte, when there is no body
	if body != nil {
		rb = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u, rb)
	if err != nil {
		return nil, cl.errorf("%w", newCleanError(err, cl.leaks, cl.redact))
	}
	h := req.Header
	if cl.cred != nil {
		h.Set("Authorization", cl.cred.authorization)
	}
	h.Set("Accept", accept)
	h.Set("User-Agent", cl.userAgent)
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	for _, kv := range cl.headers {
		h.Set(kv.key, kv.value)
	}

	resp, err := cl.retry.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if cl.responseInto != nil {
			*cl.responseInto = Response{Attempts: cl.attempts}
		}
		return nil, cl.transportError(err)
	}
	resp.Header = cl.redactHeader(resp.Header)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, cl.apiError(ctx, resp)
	}
	if r := cl.responseInto; r != nil {
		*r = Response{
			StatusCode: resp.StatusCode,
			Header:     resp.Header,
			RequestID:  requestID(resp.Header),
			Attempts:   cl.attempts,
		}
	}
	return resp, nil
}

// apiError reads, closes and reports a final response whose status is not
// 2xx. Its body is read up to maxErrorBody and cleared of the key before it
// is capped, so that the cap cannot cut the key into a prefix that escapes
// redaction.
func (cl *call) apiError(ctx context.Context, resp *http.Response) error {
	data, readErr := cl.readCapped(inflated(resp), maxErrorBody)
	drain(resp.Body)
	if r := cl.responseInto; r != nil {
		*r = Response{
			StatusCode: resp.StatusCode,
			Header:     resp.Header,
			RequestID:  requestID(resp.Header),
			Attempts:   cl.attempts,
			Body:       data,
		}
	}
	if readErr != nil && len(data) == 0 && ctx.Err() != nil {
		// The context ended before any of the body came: report that,
		// not a status the caller may act on.
		return cl.transportError(ctx.Err())
	}
	e := newAPIError(cl.method, cl.path, resp, data, time.Now())
	for i, m := range e.Messages {
		e.Messages[i] = cl.redact(m)
	}
	e.Type = cl.redact(e.Type)
	e.RequestID = cl.redact(e.RequestID)
	return e
}

// decode reads, closes and decodes a 2xx response into out.
func (cl *call) decode(ctx context.Context, resp *http.Response, out any) error {
	defer resp.Body.Close()
	limit := cl.maxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	r := inflated(resp)
	// An error keeps the first 64 KiB, and reads far enough past them
	// that a key the cap cuts through is still found, however spelled.
	keep := maxErrorBody + max(spelledLen(cl.apiKey())-1, 0)
	var data []byte
	var tooLarge bool
	var readErr error
	if resp.ContentLength > limit && !resp.Uncompressed && resp.Header.Get("Content-Encoding") == "" {
		// Known to be too large: read only what the error keeps.
		data, _, readErr = readBody(r, 0, int64(keep), keep)
		tooLarge = true
	} else {
		data, tooLarge, readErr = readBody(r, resp.ContentLength, limit, keep)
	}

	var reason error
	switch {
	case readErr != nil && !tooLarge:
	case tooLarge:
		data = cl.capRedacted(data, true, maxErrorBody)
		reason = tooLargeError{limit}
	default:
		// The body decodes as the server sent it: the key is kept out
		// of what the SDK makes of it (errors, logs), never out of the
		// user's data.
		if !isJSONObject(data) {
			reason = errNotObject
		} else if err := unmarshal(data, out); err != nil {
			reason = newCleanError(err, cl.leaks, cl.redact)
		} else if r, ok := out.(identified); ok && r.resourceID() == "" {
			reason = errNoID
		}
	}
	if r := cl.responseInto; r != nil {
		switch {
		case readErr != nil && !tooLarge:
			r.Body = cl.capRedacted(data, true, maxErrorBody)
		case reason != nil:
			r.Body = cl.redactBytes(data) // a copy made for an error
		default:
			r.Body = data // the raw body of a success: the user's data
			r.setShown(cl.redactBytes(data))
		}
	}
	if readErr != nil && !tooLarge {
		if ctxErr := ctx.Err(); ctxErr != nil {
			readErr = ctxErr
		}
		return cl.errorf("read response: %w", newCleanError(readErr, cl.leaks, cl.redact))
	}
	if reason == nil {
		return nil
	}
	return &unexpectedResponseError{
		method:      cl.method,
		path:        cl.path,
		status:      resp.StatusCode,
		contentType: cl.redact(resp.Header.Get("Content-Type")),
		start:       cl.capRedacted(data, len(data) > maxSnippet, maxSnippet),
		truncated:   len(data) > maxSnippet || tooLarge,
		err:         reason,
	}
}

// identified is implemented by the single resources a call returns
// (*Session, …): a 2xx body without an id is an unexpected response.
type identified interface {
	resourceID() string
}

// isJSONObject reports whether data, after leading whitespace, starts an
// object. Every body this SDK decodes is one; null, a string or an array
// would otherwise decode to a zero value without error.
func isJSONObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// inflated returns the body of resp, inflating it if it is still gzip
// encoded (when the transport did not inflate it itself, as Go's does when
// it asked for gzip): the size limits then count inflated bytes.
func inflated(resp *http.Response) io.Reader {
	if resp.Uncompressed || !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		return resp.Body
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return errReader{fmt.Errorf("gzip: %w", err)}
	}
	return zr
}

// errReader is a reader that fails at once.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// marshal encodes a request body. The generated types encode themselves in
// one pass; json.Marshal would then re-scan and compact their output.
func marshal(v any) ([]byte, error) {
	if m, ok := v.(json.Marshaler); ok {
		return m.MarshalJSON()
	}
	return json.Marshal(v)
}

// unmarshal decodes a response body. The generated types decode and check
// the whole document in one pass; json.Unmarshal would scan it once more
// first.
func unmarshal(data []byte, v any) error {
	if u, ok := v.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(data)
	}
	return json.Unmarshal(data, v)
}

// transportError reports a call that got no response to decode: the
// connection failed on every attempt, or the context ended.
func (cl *call) transportError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err // the method and path are named below; the URL adds nothing
	}
	attempts := ""
	if cl.attempts > 1 {
		attempts = " (" + strconv.Itoa(cl.attempts) + " attempts)"
	}
	return fmt.Errorf("vapi: %s %s: %w%s", cl.method, cl.path, newCleanError(err, cl.leaks, cl.redact), attempts)
}

// readBody reads r to the end, or to the first byte past maxLen. A body of
// at most maxLen bytes comes back whole; a longer one is reported with
// more, and only its first keep bytes come back (in a buffer of their own).
//
// A body whose Content-Length is known (and at most 1 MiB: a server's claim
// is not trusted further) is read into one buffer of that size. Otherwise
// the body is read in chunks of growing size, joined once at the end:
// reading costs about twice the body's size, and a body over maxLen, never
// joined, about maxLen, where growing one buffer would cost five times as
// much.
func readBody(r io.Reader, contentLength, maxLen int64, keep int) (data []byte, more bool, err error) {
	limit := maxLen + 1 // one byte more tells a body of maxLen from a longer one
	size := int64(512)
	if contentLength > 0 && contentLength <= 1<<20 {
		size = contentLength + 1 // room to see EOF without growing
	}
	var chunks [][]byte
	var n int64 // bytes in chunks
	buf := make([]byte, 0, min(size, limit))
	for n+int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			chunks = append(chunks, buf)
			n += int64(len(buf))
			buf = make([]byte, 0, min(max(2*int64(cap(buf)), 4096), 1<<20, limit-n))
		}
		var m int
		m, err = r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	total := n + int64(len(buf))
	more = total > maxLen
	if !more && len(chunks) == 0 {
		return buf, false, err
	}
	want := total
	if more {
		want = min(total, int64(keep))
	}
	data = make([]byte, 0, want)
	for _, c := range append(chunks, buf) {
		if int64(len(data)) == want {
			break
		}
		data = append(data, c[:min(int64(len(c)), want-int64(len(data)))]...)
	}
	return data, more, err
}

// maxDrain is how much of an unread body is read so that its connection can
// be reused; a longer body closes the connection instead.
const maxDrain = 256 << 10

func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// newRetryClient builds the retrying client for a transport and retry
// configuration. It works on a copy of the HTTP client that never follows
// redirects. Its own logger is off (it would log URLs); the attempt hooks
// log instead.
func newRetryClient(s *settings) *retryablehttp.Client {
	hc := *s.httpClient
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	// The wrapper also hides the transport's CloseIdleConnections from
	// retryablehttp, which calls it after every failed call and would
	// otherwise throw away the pool that concurrent calls share.
	hc.Transport = attemptTransport{next}
	// A redirect would carry the key and the extra headers to wherever
	// Location points (Go compares host names only: https to http on the
	// same host passes), and would turn a POST into a GET: return a 3xx as
	// it is.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &retryablehttp.Client{
		HTTPClient:     &hc,
		Logger:         nil,
		RetryWaitMin:   s.retryWaitMin,
		RetryWaitMax:   s.retryWaitMax,
		RetryMax:       s.maxRetries,
		RequestLogHook: countAttempt,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   lastResponse,
	}
}

// countAttempt records the attempt number in the call.
func countAttempt(_ retryablehttp.Logger, req *http.Request, retry int) {
	if cl, ok := req.Context().Value(callKey{}).(*call); ok {
		cl.attempts = retry + 1
	}
}

// attemptTransport logs each attempt of a call.
type attemptTransport struct{ next http.RoundTripper }

func (t attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	cl, _ := req.Context().Value(callKey{}).(*call)
	if cl == nil || cl.logger == nil || !cl.logger.Enabled(req.Context(), slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", req.Method),
		slog.String("path", req.URL.EscapedPath()),
		slog.Int("attempt", cl.attempts),
		slog.Duration("duration", time.Since(start)),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", cl.cleanText(id)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", cl.cleanText(err.Error())))
	}
	cl.logger.LogAttrs(req.Context(), slog.LevelDebug, "vapi: attempt", attrs...)
	return resp, err
}

// checkRetry retries connection errors and the statuses 408, 429, 500, 502,
// 503 and 504, unless the context has ended or Retry-After asks for a wait
// longer than the call's maximum wait (the caller then gets the response at
// once). Under WithoutDuplicateCreates, a POST is retried only when the
// server provably did not act on it: no connection was made, 429, or 503
// with Retry-After.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	maxWait := time.Duration(1<<63 - 1)
	strict := false
	if cl, ok := ctx.Value(callKey{}).(*call); ok {
		maxWait = cl.retryWaitMax
		strict = cl.noDuplicatePOST && cl.method == http.MethodPost
	}
	if err != nil {
		if strict {
			return neverConnected(err), nil
		}
		return retryableError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		d, ok := parseRetryAfter(resp.Header, time.Now())
		if ok && d > maxWait {
			return false, nil
		}
		if strict {
			return resp.StatusCode == http.StatusTooManyRequests ||
				(resp.StatusCode == http.StatusServiceUnavailable && ok), nil
		}
		return true, nil
	}
	return false, nil
}

// neverConnected reports whether a transport error happened before any
// connection was made (the dial failed, or the name did not resolve), so
// that the server cannot have seen the request.
func neverConnected(err error) bool {
	for err != nil {
		var opErr *net.OpError
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			return true
		case errors.As(err, &opErr):
			if opErr.Op == "dial" {
				return true
			}
			err = opErr.Err // a "proxyconnect" may wrap a "dial"
		default:
			return false
		}
	}
	return false
}

// retryableError reports whether a transport error may go away on retry:
// everything but TLS certificate problems and errors of the request itself
// (bad scheme, bad header).
func retryableError(err error) bool {
	var (
		verr   *tls.CertificateVerificationError
		uaErr  x509.UnknownAuthorityError
		hErr   x509.HostnameError
		invErr x509.CertificateInvalidError
	)
	if errors.As(err, &verr) || errors.As(err, &uaErr) || errors.As(err, &hErr) || errors.As(err, &invErr) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "invalid header", "certificate is not trusted"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// backoff waits what Retry-After asks for, else a random duration for the
// n-th retry (counting from 0) between half of lo·2ⁿ⁺¹ and lo·2ⁿ⁺¹, that
// upper bound capped at hi and the lower bound never below lo.
func backoff(lo, hi time.Duration, retry int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header, time.Now()); ok {
			return min(d, hi)
		}
	}
	upper := lo
	for i := 0; i <= retry && upper < hi; i++ {
		upper = min(upper, hi/2) * 2 // doubles without overflowing
	}
	upper = min(upper, hi)
	lower := max(upper/2, lo)
	if upper <= lower {
		return lower
	}
	return lower + rand.N(upper-lower+1)
}

// maxRetryAfter is what a Retry-After too large to represent stands for:
// longer than any maximum wait.
const maxRetryAfter = time.Duration(1<<62/time.Second) * time.Second

// parseRetryAfter reads a Retry-After header, in seconds or as an HTTP date.
// A number of seconds too large for an int64 is maxRetryAfter, not an
// unreadable header: it asks for a wait beyond any maximum.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) && v[0] != '-' {
		return maxRetryAfter, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// lastResponse hands back the last response when retries run out, so that
// the call reports it as an *APIError rather than as retryablehttp's
// "giving up" error.
func lastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			drain(resp.Body)
		}
		return nil, err
	}
	return resp, nil
}
