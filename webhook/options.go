package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/govapi/vapi"
)

// Defaults of the options.
const (
	// DefaultTolerance is how far the timestamp of an HMAC-signed request
	// may be from the receiver's clock, in either direction, unless
	// WithTolerance says otherwise. It matches stripe-go's default.
	DefaultTolerance = 5 * time.Minute
	// DefaultMaxBodySize is the largest body the handler reads and Verify
	// accepts, unless WithMaxBodySize says otherwise.
	DefaultMaxBodySize int64 = 8 << 20
)

// Option configures [Verify], [NewHandler] and [NewRouter]. Options that configure a
// verification method (WithSecret, WithBearerToken, WithHMAC) add that
// method; giving the same one twice keeps the last. Every method configured
// must pass.
type Option func(*config)

// config is what the options say, before it is checked.
type config struct {
	secret, bearer string
	hasSecret      bool
	hasBearer      bool
	bearerHeader   string // "" means Authorization
	bearerPrefix   bool   // the value is "Bearer <token>", not the token alone
	hmac           *vapi.HMACAuthenticationPlan
	tolerance      time.Duration
	maxBody        int64
	insecure       bool
	url            string
	trustForwarded bool
	onError        func(*http.Request, error)
	optionErrs     []error
	now            func() time.Time
}

// WithSecret checks the X-Vapi-Secret header, which Vapi sends when the
// server URL is configured with a secret (the "X-Vapi-Secret" credential):
// it must equal secret. An empty secret is a configuration error, so that
// an unset environment variable cannot turn the check into a formality.
func WithSecret(secret string) Option {
	return func(c *config) {
		c.secret, c.hasSecret = secret, true
		if secret == "" {
			c.optionErrs = append(c.optionErrs, errors.New("WithSecret: the secret is empty"))
		}
	}
}

// WithBearerToken checks the Authorization header, which Vapi sends when
// the server URL is configured with a bearer token credential: it must be
// "Bearer " followed by token (the scheme is matched case-insensitively). An
// empty token is a configuration error. It is WithBearer(token,
// "Authorization", true).
func WithBearerToken(token string) Option {
	return WithBearer(token, authorizationHeader, true)
}

// WithBearer checks the header a bearer token credential of Vapi sends, as
// its BearerAuthenticationPlan says: headerName is the plan's headerName
// ("" means "Authorization", the plan's default) and prefix its
// bearerPrefixEnabled (true by default in Vapi). With prefix, the header
// must be "Bearer " followed by token (the scheme matched
// case-insensitively); without it, the header must be token exactly.
//
// An empty token, or a headerName that is not a valid header field name,
// is a configuration error. WithBearer and WithBearerToken configure the
// same method: the last one given counts.
func WithBearer(token, headerName string, prefix bool) Option {
	return func(c *config) {
		c.bearer, c.hasBearer = token, true
		c.bearerHeader, c.bearerPrefix = headerName, prefix
		if token == "" {
			c.optionErrs = append(c.optionErrs, errors.New("WithBearer: the token is empty"))
		}
		if headerName != "" && !validHeaderName(headerName) {
			c.optionErrs = append(c.optionErrs, fmt.Errorf("WithBearer: %q is not a valid header name", headerName))
		}
	}
}

// validHeaderName reports whether s is an HTTP field name (RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// WithHMAC checks the HMAC signature Vapi computes with plan, the
// HMACAuthenticationPlan of the credential configured for the server URL.
// Pass the same plan, with the same secret key.
//
// Every member of the plan is honoured:
//
//   - Algorithm: "sha256", "sha512" or "sha1".
//   - SecretKey, used as it is, or base64-decoded when SecretIsBase64 is
//     true (standard or URL alphabet, with or without padding).
//   - SignatureHeader (default "x-signature") carries the signature, after
//     SignaturePrefix (for example "sha256=") when one is set, encoded as
//     SignatureEncoding says: "hex" (the default, either case) or "base64".
//   - IncludeTimestamp (default true): the TimestampHeader (default
//     "x-timestamp") must hold the time of signing, in seconds or in
//     milliseconds since the Unix epoch (told apart by size), within the
//     tolerance of the receiver's clock (see WithTolerance), and the signed
//     payload is PayloadFormat (default "{timestamp}.{body}"). With
//     IncludeTimestamp false, the signed payload is the body alone and no
//     timestamp is needed; PayloadFormat is then not used.
//   - PayloadFormat placeholders: {body} (the raw body, byte for byte),
//     {timestamp} (the timestamp header's value as sent), {method} (the
//     request's method), {url} (the full URL the request was sent to; see
//     below) and {svix-id} (the value of the MessageIDHeader header, which
//     must then be set in the plan). Each placeholder is replaced wherever
//     it appears in the format, in one pass, so text in the body that looks
//     like a placeholder is never replaced. Any other text is kept as it is.
//
// {url} is scheme, host, path and query of the request: the scheme is https
// when the request came over TLS and http otherwise, the host is the Host
// header, and the path and query are the request target exactly as
// received. A signature over the URL without its path ("https://host") is
// accepted for a request to the root path ("https://host/"), since a server
// URL configured without a path arrives with one. Behind a proxy that terminates TLS or rewrites the host, use
// [WithURL] to give the URL configured in Vapi, or [TrustForwardedHeaders].
//
// The signature header may carry several signatures separated by spaces,
// the way Svix sends them while a key is being rotated ("v1,abc= v1,def=",
// with SignaturePrefix "v1,"): the request passes when any of them is
// valid. Signatures are decoded and compared in constant time
// (crypto/hmac.Equal) with the MAC of the payload built from the exact raw
// body.
//
// A plan with an unknown algorithm or encoding, an empty secret key, a
// secret that is not base64 although SecretIsBase64 says so, or {svix-id}
// without MessageIDHeader is a configuration error, reported by Verify,
// NewHandler and NewRouter. So are two plans that would not protect
// anything: a PayloadFormat without {body}, which would authenticate any
// body sent with a captured signature, and a plan that checks a timestamp
// it does not sign (IncludeTimestamp true, or left out, with a
// PayloadFormat that has no {timestamp}), which would let a captured
// request be replayed with a fresh timestamp.
//
// The header checks (a signature present, a timestamp present, well formed
// and within the tolerance, the message id present) run before the body is
// read; the signature is checked over the body once it is.
func WithHMAC(plan vapi.HMACAuthenticationPlan) Option {
	return func(c *config) {
		p := plan
		c.hmac = &p
	}
}

// WithTolerance sets how far the timestamp of an HMAC-signed request may be
// from the receiver's clock, in the past or in the future. The default is
// [DefaultTolerance]. d must be positive.
func WithTolerance(d time.Duration) Option {
	return func(c *config) {
		c.tolerance = d
		if d <= 0 {
			c.optionErrs = append(c.optionErrs, fmt.Errorf("WithTolerance: %v is not a positive duration", d))
		}
	}
}

// WithMaxBodySize sets the largest body, in bytes, that the handler reads
// (it answers 413 past it) and that Verify accepts. The default is
// [DefaultMaxBodySize]. n must be positive.
func WithMaxBodySize(n int64) Option {
	return func(c *config) {
		c.maxBody = n
		if n <= 0 {
			c.optionErrs = append(c.optionErrs, fmt.Errorf("WithMaxBodySize: %d is not a positive size", n))
		}
	}
}

// InsecureSkipVerify accepts requests without authenticating them. Without
// it, Verify and NewHandler refuse to work with no verification method
// configured. Use it only where nothing but a trusted sender can reach the
// endpoint. It does not switch off a method that is configured as well:
// every configured method is still checked.
func InsecureSkipVerify() Option {
	return func(c *config) { c.insecure = true }
}

// WithURL sets the URL used for the {url} placeholder of an HMAC
// payloadFormat: the server URL configured in Vapi, which is the URL Vapi
// signs. Use it when the handler runs behind a proxy, so that the URL the
// request arrives at is not the one Vapi sent it to. Without it, the URL is
// built from the request (see [WithHMAC]).
func WithURL(serverURL string) Option {
	return func(c *config) {
		c.url = serverURL
		if serverURL == "" {
			c.optionErrs = append(c.optionErrs, errors.New("WithURL: the URL is empty"))
		}
	}
}

// TrustForwardedHeaders builds the {url} of an HMAC payloadFormat with the
// scheme and host a proxy reports in X-Forwarded-Proto and X-Forwarded-Host
// (the first value of each, when present) instead of the request's own. Use
// it only behind a proxy that sets those headers itself, overwriting what
// the client sent; anywhere else a client chooses them.
//
// With it, a request whose X-Forwarded-Host is not a host or host:port (a
// DNS name, an IPv4 address or a bracketed IPv6 address, and a port from 1
// to 65535), or whose X-Forwarded-Proto is not http or https, is refused
// before its body is read, with a *VerifyError wrapping
// ErrInvalidForwardedHeader: such a value could make the {url} of one
// request read as another's.
func TrustForwardedHeaders() Option {
	return func(c *config) { c.trustForwarded = true }
}

// WithErrorHandler sets a function that a Handler or a Router calls with
// the reason for every answer other than 200 (a *VerifyError for a 401,
// ErrBodyTooLarge for a 413, the decoding error for a 400, the function's
// error for a 500, ...), for logging; a Router also calls it with a
// *ToolError for each tool call that failed, although the answer is a 200
// (the error goes to Vapi as that call's result). The client is never told
// the reason of a refusal. The errors this package makes never contain a
// secret, token or signature. f runs on the request's goroutine, so it may
// be called concurrently.
func WithErrorHandler(f func(r *http.Request, err error)) Option {
	return func(c *config) { c.onError = f }
}
