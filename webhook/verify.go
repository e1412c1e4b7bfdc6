package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Verify authenticates a request Vapi sent to a server URL, whose body the
// caller has already read in full: body must be those exact bytes, not a
// re-encoding. It checks every method the options configure (WithSecret,
// WithBearerToken, WithHMAC) and returns nil only when all pass. With none
// configured it returns ErrNoVerification, unless InsecureSkipVerify is
// given.
//
// A failed check is a *VerifyError that wraps ErrMissingHeader,
// ErrInvalidSecret, ErrInvalidSignature, ErrInvalidTimestamp or
// ErrTimestampOutOfTolerance; a body over the size limit is
// ErrBodyTooLarge; options that cannot work wrap ErrInvalidOption.
//
// Verify it before parsing:
//
//	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhook.DefaultMaxBodySize))
//	...
//	if err := webhook.Verify(r, body, webhook.WithSecret(secret)); err != nil {
//		http.Error(w, "unauthorized", http.StatusUnauthorized)
//		return
//	}
//	msg, err := webhook.Parse(body)
//
// [NewHandler] does all of this.
func Verify(r *http.Request, body []byte, opts ...Option) error {
	v, err := newVerifier(opts)
	if err != nil {
		return err
	}
	return v.verify(r, body)
}

// verifier is a checked configuration.
type verifier struct {
	secretSum      *[sha256.Size]byte
	bearerSum      *[sha256.Size]byte
	hmac           *hmacVerifier
	tolerance      time.Duration
	maxBody        int64
	insecure       bool
	url            string
	trustForwarded bool
	onError        func(*http.Request, error)
	now            func() time.Time
}

func newVerifier(opts []Option) (*verifier, error) {
	c := config{tolerance: DefaultTolerance, maxBody: DefaultMaxBodySize, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if len(c.optionErrs) > 0 {
		return nil, optionError(errors.Join(c.optionErrs...))
	}
	v := &verifier{
		tolerance:      c.tolerance,
		maxBody:        c.maxBody,
		insecure:       c.insecure,
		url:            c.url,
		trustForwarded: c.trustForwarded,
		onError:        c.onError,
		now:            c.now,
	}
	if c.hasSecret {
		sum := sha256.Sum256([]byte(c.secret))
		v.secretSum = &sum
	}
	if c.hasBearer {
		sum := sha256.Sum256([]byte(c.bearer))
		v.bearerSum = &sum
	}
	if c.hmac != nil {
		h, err := newHMACVerifier(c.hmac)
		if err != nil {
			return nil, optionError(fmt.Errorf("WithHMAC: %w", err))
		}
		v.hmac = h
	}
	if v.secretSum == nil && v.bearerSum == nil && v.hmac == nil && !v.insecure {
		return nil, ErrNoVerification
	}
	return v, nil
}

// optionError wraps the problems with the options under ErrInvalidOption.
func optionError(err error) error {
	return fmt.Errorf("%w: %w", ErrInvalidOption, err)
}

// Header names of the secret and bearer methods.
const (
	secretHeader        = "X-Vapi-Secret"
	authorizationHeader = "Authorization"
)

// verify runs every configured check, the cheap header comparisons first.
func (v *verifier) verify(r *http.Request, body []byte) error {
	if int64(len(body)) > v.maxBody {
		return ErrBodyTooLarge
	}
	if v.secretSum != nil {
		got := r.Header.Get(secretHeader)
		if got == "" {
			return &VerifyError{Method: "secret", Header: secretHeader, Err: ErrMissingHeader}
		}
		if !equalSum(v.secretSum, got) {
			return &VerifyError{Method: "secret", Header: secretHeader, Err: ErrInvalidSecret}
		}
	}
	if v.bearerSum != nil {
		got := r.Header.Get(authorizationHeader)
		if got == "" {
			return &VerifyError{Method: "bearer", Header: authorizationHeader, Err: ErrMissingHeader}
		}
		scheme, token, ok := strings.Cut(got, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return &VerifyError{Method: "bearer", Header: authorizationHeader, Err: ErrInvalidSecret, detail: "not a Bearer credential"}
		}
		if !equalSum(v.bearerSum, strings.TrimSpace(token)) {
			return &VerifyError{Method: "bearer", Header: authorizationHeader, Err: ErrInvalidSecret}
		}
	}
	if v.hmac != nil {
		if err := v.hmac.verify(v, r, body); err != nil {
			return err
		}
	}
	return nil
}

// equalSum compares got with the secret whose SHA-256 is want, in constant
// time. Comparing digests rather than the strings themselves keeps the
// secret's length from showing in the timing too.
func equalSum(want *[sha256.Size]byte, got string) bool {
	sum := sha256.Sum256([]byte(got))
	return hmac.Equal(want[:], sum[:])
}
