package vapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Defaults of the options that have one.
const (
	// DefaultBaseURL is the API's address, used unless WithBaseURL or
	// $VAPI_BASE_URL says otherwise.
	DefaultBaseURL = "https://api.vapi.ai"
	// DefaultTimeout bounds one whole call, retries and backoff included.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxRetries is how many times a failed attempt is retried.
	DefaultMaxRetries = 2
	// DefaultRetryWaitMin and DefaultRetryWaitMax bound the backoff between
	// attempts.
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 8 * time.Second
	// DefaultMaxResponseBytes caps the size of a successful response body,
	// counted after any gzip inflation.
	DefaultMaxResponseBytes = 32 << 20
	// DefaultStreamIdleTimeout is the longest wait between two events of a
	// stream.
	DefaultStreamIdleTimeout = 60 * time.Second
)

// An Option configures a [Client] when passed to [NewClient], and overrides
// that configuration for one call when passed to a service method. An option
// given an invalid value makes NewClient, or the call, return an error.
type Option func(*settings) error

// settings is what the options configure. A Client keeps its defaults; each
// call works on a copy with that call's options applied.
type settings struct {
	// cred is behind a pointer so that printing settings (or anything that
	// holds them) with %v or %+v shows an address, never the key.
	cred              *credentials
	baseURL           string // absolute, without a trailing slash
	httpClient        *http.Client
	timeout           time.Duration
	maxRetries        int
	retryWaitMin      time.Duration
	retryWaitMax      time.Duration
	maxResponseBytes  int64
	streamIdleTimeout time.Duration
	noDuplicatePOST   bool
	logger            *slog.Logger // nil: discard
	userAgent         string       // the whole User-Agent header
	headers           []header
	noValidation      bool
	responseInto      *Response
}

// credentials is the API key and the Authorization header made from it.
type credentials struct {
	key           string
	authorization string // "Bearer " + key
}

// apiKey returns the key, or "" when none is set.
func (s *settings) apiKey() string {
	if s.cred == nil {
		return ""
	}
	return s.cred.key
}

type header struct{ key, value string }

func (s *settings) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return err
		}
	}
	return nil
}

// WithAPIKey sets the API key sent as a bearer token. Without it, NewClient
// reads $VAPI_API_KEY.
func WithAPIKey(key string) Option {
	return func(s *settings) error {
		switch {
		case key == "":
			return errors.New("WithAPIKey: the key is empty")
		case strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			// Never quote the key itself in the error.
			return errors.New("WithAPIKey: the key contains spaces or control characters")
		}
		s.cred = &credentials{key: key, authorization: "Bearer " + key}
		return nil
	}
}

// WithBaseURL sets the API's address, for example a proxy or a local fake
// such as [github.com/govapi/vapi/vapitest]. Without it, NewClient reads
// $VAPI_BASE_URL, else uses [DefaultBaseURL]. The URL must be https, or plain
// http to a loopback host (localhost, 127.0.0.0/8, ::1), so that the API key
// never travels in clear text.
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		base, err := parseBaseURL(u)
		if err != nil {
			return fmt.Errorf("WithBaseURL: %w", err)
		}
		s.baseURL = base
		return nil
	}
}

// parseBaseURL checks a base URL and returns it without a trailing slash.
// Its errors never quote the URL's userinfo, which may hold a secret.
func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", baseURLParseError(raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("base URL %q: the scheme must be https or http", safeURL(u))
	case u.Host == "":
		return "", fmt.Errorf("base URL %q has no host", safeURL(u))
	case u.User != nil:
		return "", fmt.Errorf("base URL %q must not carry credentials", safeURL(u))
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", fmt.Errorf("base URL %q must not have a query or fragment", safeURL(u))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("base URL %q: plain http is allowed to loopback hosts only; the API key would travel in clear text", safeURL(u))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

// safeURL renders u with its userinfo, user name included (url.URL.Redacted
// keeps the user name, which may be a key), replaced by "redacted".
func safeURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = url.User("redacted")
	return c.String()
}

// baseURLParseError reports a base URL that does not parse. url.Parse quotes
// the whole URL, userinfo included, in its error; this error keeps only
// url.Parse's reason, and only when the URL holds no userinfo ("@") that the
// reason could quote a part of.
func baseURLParseError(raw string, err error) error {
	if strings.Contains(raw, "@") {
		return errors.New("the base URL does not parse (not quoted: it has userinfo, which may hold a secret)")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("base URL %q does not parse: %s", raw, escapeControl(err.Error()))
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// WithHTTPClient sets the HTTP client that carries each attempt; retries are
// layered on top of it. Its Transport, Jar and Timeout are used (a Timeout
// then bounds each attempt). Redirects are never followed, whatever its
// CheckRedirect says: the SDK works on a copy of c that returns a 3xx as it
// is (the call then fails with an [*APIError] whose Header holds Location),
// and c itself is never modified. The default is a client with a pooled
// transport of its own, which keeps up to 64 idle connections per host, and
// dial, TLS handshake and idle timeouts.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) error {
		if c == nil {
			return errors.New("WithHTTPClient: the client is nil")
		}
		s.httpClient = c
		return nil
	}
}

// WithTimeout bounds one whole call, retries and backoff included; the
// default is [DefaultTimeout]. Zero removes the bound, leaving only the
// context's.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("WithTimeout(%v): the timeout must not be negative", d)
		}
		s.timeout = d
		return nil
	}
}

// WithMaxRetries sets how many times a failed attempt is retried; the default
// is [DefaultMaxRetries] and 0 disables retries. Connection errors and the
// statuses 408, 429, 500, 502, 503 and 504 are retried; other statuses never.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries(%d): the number of retries must not be negative", n)
		}
		s.maxRetries = n
		return nil
	}
}

// WithRetryWait bounds the wait between attempts. The n-th retry waits a
// random duration between min·2ⁿ⁻¹ and min·2ⁿ, capped at max (then between
// max/2 and max, never below min); a
// Retry-After header from the server replaces that wait, and when it asks
// for longer than max the call returns the [*APIError] at once with its
// RetryAfter set. The defaults are [DefaultRetryWaitMin] and
// [DefaultRetryWaitMax].
func WithRetryWait(min, max time.Duration) Option {
	return func(s *settings) error {
		if min < 0 || max < min {
			return fmt.Errorf("WithRetryWait(%v, %v): want 0 ≤ min ≤ max", min, max)
		}
		s.retryWaitMin, s.retryWaitMax = min, max
		return nil
	}
}

// WithLogger sets the logger that gets one debug record per attempt, with
// the method, path, status, attempt number, duration and request id. The
// API key is never logged. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("WithLogger: the logger is nil")
		}
		s.logger = l
		return nil
	}
}

// WithUserAgent appends s to the SDK's own User-Agent, "vapi-go/<version>".
// A later WithUserAgent replaces an earlier one.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("WithUserAgent(%q): the user agent must not contain line breaks", ua)
		}
		s.userAgent = userAgent
		if ua = strings.TrimSpace(ua); ua != "" {
			s.userAgent += " " + ua
		}
		return nil
	}
}

// WithHeader sets an extra request header, replacing any value an earlier
// WithHeader gave the same key. Authorization and User-Agent are set with
// WithAPIKey and WithUserAgent instead.
func WithHeader(key, value string) Option {
	return func(s *settings) error {
		if key == "" || strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == ':' }) {
			return fmt.Errorf("WithHeader(%q): invalid header name", key)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return fmt.Errorf("WithHeader(%q): the value must not contain line breaks", key)
		}
		key = http.CanonicalHeaderKey(key)
		switch key {
		case "Authorization":
			return errors.New("WithHeader: set the Authorization header with WithAPIKey")
		case "User-Agent":
			return errors.New("WithHeader: set the User-Agent header with WithUserAgent")
		}
		// Copy on write: the slice may be shared with the Client's defaults
		// and with concurrent calls.
		s.headers = append(s.headers[:len(s.headers):len(s.headers)], header{key, value})
		return nil
	}
}

// WithoutValidation skips client-side validation: the request is sent as it
// is and the server judges it.
func WithoutValidation() Option {
	return func(s *settings) error {
		s.noValidation = true
		return nil
	}
}

// WithResponseInto makes the call store its final HTTP response in r, also
// when the call fails: StatusCode, Header, RequestID, Attempts and Body (the
// raw body; for an error response, and for a success too large to read, its
// first 64 KiB). The header is cleared of the API key; so is the body of a
// failed call, while the body of a success is exactly what the server sent,
// like the value decoded from it (printing the Response never shows the
// key). It is an
// option of one call only: [NewClient] refuses it, since one Response shared
// by concurrent calls would race.
func WithResponseInto(r *Response) Option {
	return func(s *settings) error {
		if r == nil {
			return errors.New("WithResponseInto: the response is nil")
		}
		s.responseInto = r
		return nil
	}
}

// WithMaxResponseBytes caps the size of a successful (2xx) response body;
// the default is [DefaultMaxResponseBytes], 32 MiB. The size is counted
// after any gzip inflation, so a small compressed body cannot expand past
// it. A larger body is not read further, and the call fails with an error
// for which errors.Is(err, [ErrUnexpectedResponse]) holds. Error bodies are
// always capped at 64 KiB, and streams are bounded per event instead.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes(%d): the limit must be positive", n)
		}
		s.maxResponseBytes = n
		return nil
	}
}

// WithStreamIdleTimeout bounds, for streamed calls only, the wait between
// two events that Next returns: a stream that sends nothing else for
// longer (comments, keep-alives and events of types a ChatStream skips do
// not count) ends with an error. The
// default is [DefaultStreamIdleTimeout]; zero removes the bound, leaving
// only the context's.
func WithStreamIdleTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("WithStreamIdleTimeout(%v): the timeout must not be negative", d)
		}
		s.streamIdleTimeout = d
		return nil
	}
}

// WithoutDuplicateCreates makes retries of POST calls (Sessions.Create,
// and every other call that creates something) safe from duplicates: a
// POST is retried only when the server provably did not act on it, that
// is when no connection could be made, or the answer was 429 Too Many
// Requests, or 503 Service Unavailable with a Retry-After header. Any other
// failure (a connection reset after the request was sent, 408, 500, 502,
// 504, or 503 without Retry-After) is returned at once, and the caller
// decides, for example by listing what exists before creating again.
//
// Streamed turns (ChatsService.Stream and StreamResponse) are POSTs too:
// the option covers them, so a stream request that may have reached the
// server is not sent again. (Nothing is retried once a stream's body has
// started, with or without it.)
//
// The API takes no idempotency key, so by default a POST is retried like
// any call, and the retry of a request the server did act on creates a
// second resource, or sends a chat turn twice; the README's "Retries"
// section lists those cases. Other methods are retried as usual under this
// option.
func WithoutDuplicateCreates() Option {
	return func(s *settings) error {
		s.noDuplicatePOST = true
		return nil
	}
}
