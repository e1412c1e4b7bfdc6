package webhook

import "errors"

// Errors returned by Verify, wrapped in a *VerifyError (configuration errors
// wrap ErrInvalidOption directly). Test for them with errors.Is.
var (
	// ErrNoVerification: no verification method is configured and
	// InsecureSkipVerify was not given.
	ErrNoVerification = errors.New("webhook: no verification method configured (use WithSecret, WithBearerToken or WithHMAC, or InsecureSkipVerify)")
	// ErrInvalidOption: an option was given a value that cannot work, such
	// as an empty secret or an HMAC plan with an unknown algorithm.
	ErrInvalidOption = errors.New("webhook: invalid option")
	// ErrMissingHeader: a header that a configured method needs is absent
	// or empty.
	ErrMissingHeader = errors.New("missing header")
	// ErrInvalidSecret: the X-Vapi-Secret header or the bearer token does
	// not match.
	ErrInvalidSecret = errors.New("credential does not match")
	// ErrInvalidSignature: no HMAC signature in the signature header matches
	// the request, or it is not encoded as the plan says.
	ErrInvalidSignature = errors.New("signature does not match")
	// ErrInvalidTimestamp: the timestamp header is not a whole number of
	// seconds or milliseconds since the Unix epoch.
	ErrInvalidTimestamp = errors.New("timestamp is not a Unix time in seconds or milliseconds")
	// ErrTimestampOutOfTolerance: the timestamp is further in the past or in
	// the future than the tolerance allows (see WithTolerance): a replayed
	// or delayed request, or a clock that is off.
	ErrTimestampOutOfTolerance = errors.New("timestamp outside the tolerance")
	// ErrInvalidForwardedHeader: with TrustForwardedHeaders, the
	// X-Forwarded-Host header is not a host or host:port, or
	// X-Forwarded-Proto is not http or https.
	ErrInvalidForwardedHeader = errors.New("forwarded header is malformed")
	// ErrBodyTooLarge: the body is larger than the limit (see
	// WithMaxBodySize).
	ErrBodyTooLarge = errors.New("webhook: body too large")
)

// VerifyError says which check of Verify failed. Err is one of the
// sentinel errors above; the message names the method and header, never a
// secret, token or signature.
type VerifyError struct {
	// Method is the verification method that failed: "secret", "bearer"
	// or "hmac"; or "forwarded" for a forwarded header refused under
	// TrustForwardedHeaders.
	Method string
	// Header is the name of the header concerned.
	Header string
	// Err is the reason: ErrMissingHeader, ErrInvalidSecret,
	// ErrInvalidSignature, ErrInvalidTimestamp,
	// ErrTimestampOutOfTolerance or ErrInvalidForwardedHeader.
	Err error
	// detail adds what is safe to say, such as how far off a timestamp is.
	detail string
}

// Error returns "webhook: <method>: <header>: <reason>[: <detail>]".
func (e *VerifyError) Error() string {
	s := "webhook: " + e.Method + ": " + e.Header + ": " + e.Err.Error()
	if e.detail != "" {
		s += ": " + e.detail
	}
	return s
}

// Unwrap returns Err.
func (e *VerifyError) Unwrap() error { return e.Err }
