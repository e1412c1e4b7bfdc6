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

// verify runs every configured check: those of the headers, then those
// of the body.
func (v *verifier) verify(r *http.Request, body []byte) error {
	if int64(len(body)) > v.maxBody {
		return ErrBodyTooLarge
	}
	h, err := v.checkHeaders(r)
	if err != nil {
		return err
	}
	return v.checkBody(r, body, h)
}

// verifier is a checked configuration.
type verifier struct {
	secretSum      *[sha256.Size]byte
	bearerSum      *[sha256.Size]byte
	bearerHeader   string
	bearerPrefix   bool
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
		v.bearerHeader, v.bearerPrefix = c.bearerHeader, c.bearerPrefix
		if v.bearerHeader == "" {
			v.bearerHeader = authorizationHeader
		}
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

// headerState is what the header checks found, for the body checks.
type headerState struct {
	sigs []string // the values of the HMAC signature header
	ts   string   // the HMAC timestamp as sent
	id   string   // the HMAC message id
}

// checkHeaders runs every check that needs the headers only, so that a
// request that cannot pass is refused before its body is read: the secret,
// the bearer token, the forwarded headers when trusted, and the presence
// and validity of the HMAC headers, timestamp tolerance included.
func (v *verifier) checkHeaders(r *http.Request) (headerState, error) {
	if v.secretSum != nil {
		got := r.Header.Get(secretHeader)
		if got == "" {
			return headerState{}, &VerifyError{Method: "secret", Header: secretHeader, Err: ErrMissingHeader}
		}
		if !equalSum(v.secretSum, got) {
			return headerState{}, &VerifyError{Method: "secret", Header: secretHeader, Err: ErrInvalidSecret}
		}
	}
	if v.bearerSum != nil {
		if err := v.checkBearer(r); err != nil {
			return headerState{}, err
		}
	}
	if v.trustForwarded {
		if err := checkForwarded(r); err != nil {
			return headerState{}, err
		}
	}
	if v.hmac != nil {
		return v.hmac.checkHeaders(v, r)
	}
	return headerState{}, nil
}

// checkBearer checks the bearer token's header.
func (v *verifier) checkBearer(r *http.Request) error {
	got := r.Header.Get(v.bearerHeader)
	if got == "" {
		return &VerifyError{Method: "bearer", Header: v.bearerHeader, Err: ErrMissingHeader}
	}
	token := got
	if v.bearerPrefix {
		scheme, rest, ok := strings.Cut(got, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return &VerifyError{Method: "bearer", Header: v.bearerHeader, Err: ErrInvalidSecret, detail: "not a Bearer credential"}
		}
		token = strings.TrimSpace(rest)
	}
	if !equalSum(v.bearerSum, token) {
		return &VerifyError{Method: "bearer", Header: v.bearerHeader, Err: ErrInvalidSecret}
	}
	return nil
}

// checkBody runs the checks that need the body: the HMAC signature.
func (v *verifier) checkBody(r *http.Request, body []byte, h headerState) error {
	if v.hmac != nil {
		return v.hmac.checkSignature(v, r, body, h)
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
