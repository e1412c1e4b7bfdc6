package vapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Client calls Vapi's API. Create one with [NewClient] and share it: it is
// safe for concurrent use, and it reuses connections across calls.
type Client struct {
	// Sessions creates, reads, lists, updates and deletes sessions.
	Sessions *SessionsService

	defaults settings
	retry    *retryablehttp.Client // for calls that keep the defaults' transport and retry settings
}

// NewClient returns a client configured by opts. The API key comes from
// [WithAPIKey], else $VAPI_API_KEY; without either NewClient returns an error
// matching [ErrMissingAPIKey]. The base URL comes from [WithBaseURL], else
// $VAPI_BASE_URL, else [DefaultBaseURL].
func NewClient(opts ...Option) (*Client, error) {
	s := settings{
		timeout:      DefaultTimeout,
		maxRetries:   DefaultMaxRetries,
		retryWaitMin: DefaultRetryWaitMin,
		retryWaitMax: DefaultRetryWaitMax,
		userAgent:    userAgent,
	}
	if err := s.apply(opts); err != nil {
		return nil, fmt.Errorf("vapi: NewClient: %w", err)
	}
	if s.apiKey == "" {
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
		s.httpClient = cleanhttp.DefaultPooledClient()
	}
	c := &Client{defaults: s, retry: newRetryClient(&s)}
	c.Sessions = &SessionsService{client: c}
	return c, nil
}

// CloseIdleConnections closes the connections that the client's HTTP client
// keeps open for reuse and that are now idle.
func (c *Client) CloseIdleConnections() {
	c.defaults.httpClient.CloseIdleConnections()
}

// Response describes the final HTTP response of a call; see
// [WithResponseInto].
type Response struct {
	StatusCode int
	Header     http.Header
	RequestID  string // X-Request-Id, else CF-Ray
	Attempts   int    // 1 when there was no retry
	Body       []byte // the raw body; for an error response, capped at 64 KiB
}

// call is one call in flight: its settings, what it asks for and how many
// attempts it has made. The context of its requests carries it to the
// attempt hooks.
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
	cl := &call{settings: c.defaults, retry: c.retry, method: method, path: path}
	if len(opts) == 0 {
		return cl, nil
	}
	if err := cl.settings.apply(opts); err != nil {
		return nil, fmt.Errorf("vapi: %s %s: %w", method, path, err)
	}
	d := &c.defaults
	if cl.httpClient != d.httpClient || cl.maxRetries != d.maxRetries ||
		cl.retryWaitMin != d.retryWaitMin || cl.retryWaitMax != d.retryWaitMax {
		cl.retry = newRetryClient(&cl.settings)
	}
	return cl, nil
}

// do sends the call with body in (nil for none) and decodes a 2xx response
// into out.
func (cl *call) do(ctx context.Context, query string, in, out any) error {
	if ctx == nil {
		return fmt.Errorf("vapi: %s %s: nil Context", cl.method, cl.path)
	}
	var body any // untyped nil, not a nil []byte, when there is no body
	if in != nil {
		b, err := marshal(in)
		if err != nil {
			return fmt.Errorf("vapi: %s %s: encode request: %w", cl.method, cl.path, err)
		}
		body = b
	}
	if cl.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cl.timeout)
		defer cancel()
	}
	ctx = context.WithValue(ctx, callKey{}, cl)
	u := cl.baseURL + cl.path
	if query != "" {
		u += "?" + query
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return fmt.Errorf("vapi: %s %s: %w", cl.method, cl.path, err)
	}
	h := req.Header
	h.Set("Authorization", cl.authorization)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", cl.userAgent)
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	for _, kv := range cl.headers {
		h.Set(kv.key, kv.value)
	}

	resp, err := cl.retry.Do(req)
	if err != nil {
		if cl.responseInto != nil {
			*cl.responseInto = Response{Attempts: cl.attempts}
		}
		return cl.transportError(ctx, err)
	}
	return cl.handle(ctx, resp, out)
}

// handle reads, closes and decodes the final response.
func (cl *call) handle(ctx context.Context, resp *http.Response, out any) error {
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	var data []byte
	var readErr, decodeErr error
	if ok {
		data, readErr = readBody(resp.Body, resp.ContentLength)
		if readErr == nil {
			decodeErr = unmarshal(data, out)
		}
	} else {
		data, readErr = readBody(io.LimitReader(resp.Body, maxErrorBody), min(resp.ContentLength, maxErrorBody))
		drain(resp.Body)
	}
	if !ok || decodeErr != nil || cl.responseInto != nil {
		// The body and header reach the caller: clear them of the key,
		// which a misbehaving server may echo back.
		data = cl.redactBytes(data)
		resp.Header = cl.redactHeader(resp.Header)
	}
	if r := cl.responseInto; r != nil {
		*r = Response{
			StatusCode: resp.StatusCode,
			Header:     resp.Header,
			RequestID:  requestID(resp.Header),
			Attempts:   cl.attempts,
			Body:       data,
		}
	}
	switch {
	case readErr != nil:
		if ctxErr := ctx.Err(); ctxErr != nil {
			readErr = ctxErr
		}
		return fmt.Errorf("vapi: %s %s: read response: %w", cl.method, cl.path, readErr)
	case !ok:
		e := newAPIError(cl.method, cl.path, resp, data, time.Now())
		for i, m := range e.Messages {
			e.Messages[i] = cl.redact(m)
		}
		e.Type = cl.redact(e.Type)
		return e
	case decodeErr != nil:
		start, truncated := data, false
		if len(start) > maxSnippet {
			start, truncated = start[:maxSnippet], true
		}
		return &unexpectedResponseError{
			method:      cl.method,
			path:        cl.path,
			status:      resp.StatusCode,
			contentType: resp.Header.Get("Content-Type"),
			start:       start,
			truncated:   truncated,
			err:         redactedError{decodeErr, cl.redact(decodeErr.Error())},
		}
	}
	return nil
}

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
func (cl *call) transportError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else if ue, ok := err.(*url.Error); ok {
		err = ue.Err // the method and path are named below; the URL adds nothing
	}
	attempts := ""
	if cl.attempts > 1 {
		attempts = " (" + strconv.Itoa(cl.attempts) + " attempts)"
	}
	return fmt.Errorf("vapi: %s %s: %w%s", cl.method, cl.path, redactedError{err, cl.redact(err.Error())}, attempts)
}

// redactedError keeps an error for errors.Is and errors.As but prints a text
// cleared of secrets.
type redactedError struct {
	err  error
	text string
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }

// redact removes the API key from text that came from the network.
func (cl *call) redact(s string) string {
	if cl.apiKey == "" || !strings.Contains(s, cl.apiKey) {
		return s
	}
	return strings.ReplaceAll(s, cl.apiKey, "[REDACTED]")
}

func (cl *call) redactBytes(b []byte) []byte {
	if cl.apiKey == "" || !bytes.Contains(b, []byte(cl.apiKey)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(cl.apiKey), []byte("[REDACTED]"))
}

// redactHeader returns h, or a copy of it without the API key if a value
// contains it.
func (cl *call) redactHeader(h http.Header) http.Header {
	if cl.apiKey == "" {
		return h
	}
	leaks := false
	for _, vs := range h {
		for _, v := range vs {
			leaks = leaks || strings.Contains(v, cl.apiKey)
		}
	}
	if !leaks {
		return h
	}
	c := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			c[k] = append(c[k], cl.redact(v))
		}
	}
	return c
}

// readBody reads r to the end into a buffer sized from the Content-Length,
// so that a body of known length (up to 1 MiB: a server's claim is not
// trusted further) costs one allocation.
func readBody(r io.Reader, contentLength int64) ([]byte, error) {
	size := 512
	if contentLength > 0 && contentLength <= 1<<20 {
		size = int(contentLength) + 1 // room to see EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// maxDrain is how much of an unread body is read so that its connection can
// be reused; a longer body closes the connection instead.
const maxDrain = 256 << 10

func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// newRetryClient builds the retrying client for a transport and retry
// configuration. Its own logger is off (it would log URLs); the attempt
// hooks log instead.
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
	p := retryPolicy{maxWait: s.retryWaitMax}
	return &retryablehttp.Client{
		HTTPClient:     &hc,
		Logger:         nil,
		RetryWaitMin:   s.retryWaitMin,
		RetryWaitMax:   s.retryWaitMax,
		RetryMax:       s.maxRetries,
		RequestLogHook: countAttempt,
		CheckRetry:     p.checkRetry,
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
			attrs = append(attrs, slog.String("request_id", cl.redact(id)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", cl.redact(err.Error())))
	}
	cl.logger.LogAttrs(req.Context(), slog.LevelDebug, "vapi: attempt", attrs...)
	return resp, err
}

// retryPolicy decides which attempts are retried.
type retryPolicy struct {
	maxWait time.Duration
}

// checkRetry retries connection errors and the statuses 408, 429, 500, 502,
// 503 and 504, unless the context has ended or Retry-After asks for a wait
// longer than maxWait (the caller then gets the response at once).
func (p retryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		return retryableError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if d, ok := parseRetryAfter(resp.Header, time.Now()); ok && d > p.maxWait {
			return false, nil
		}
		return true, nil
	}
	return false, nil
}

// retryableError reports whether a transport error may go away on retry:
// everything but TLS certificate problems and errors of the request itself
// (bad scheme, bad header, too many redirects).
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
	for _, s := range []string{"unsupported protocol scheme", "invalid header", "stopped after", "certificate is not trusted"} {
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

// parseRetryAfter reads a Retry-After header, in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(1<<62/time.Second) {
			secs = int64(1 << 62 / time.Second)
		}
		return time.Duration(secs) * time.Second, true
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
