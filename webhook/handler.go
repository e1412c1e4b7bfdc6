package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/govapi/vapi"
)

// NewHandler returns an http.Handler for the server URL Vapi posts to. For
// each request it reads the body (up to the size limit), authenticates the
// request with every method the options configure, parses the message and
// calls fn with it and the request's context. fn never sees a request that
// failed verification or a body that did not parse.
//
// NewHandler returns an error wrapping ErrNoVerification when no
// verification method is configured and InsecureSkipVerify is not given,
// one wrapping ErrInvalidOption when an option cannot work, and one when fn
// is nil.
//
// The handler answers:
//
//   - 405 with "Allow: POST" for any method but POST;
//   - 413 for a body larger than the limit (see WithMaxBodySize);
//   - 401 when verification fails, without saying why;
//   - 400 for a body that does not parse (see Parse);
//   - 500 when fn returns an error, whose text the client never sees;
//   - 200 with the JSON body {} otherwise.
//
// Use WithErrorHandler to log the reasons. fn runs on the request's
// goroutine: Vapi waits for the answer, so do slow work elsewhere.
func NewHandler(fn func(ctx context.Context, msg vapi.ServerMessage) error, opts ...Option) (http.Handler, error) {
	if fn == nil {
		return nil, errors.New("webhook: NewHandler: fn is nil")
	}
	v, err := newVerifier(opts)
	if err != nil {
		return nil, err
	}
	return &handler{v: v, fn: fn}, nil
}

type handler struct {
	v  *verifier
	fn func(ctx context.Context, msg vapi.ServerMessage) error
}

// errMethod is the reason given to the error handler for a 405.
var errMethod = errors.New("webhook: method not allowed")

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, fmt.Errorf("%w: %s", errMethod, r.Method))
		return
	}
	if r.ContentLength > h.v.maxBody {
		h.fail(w, r, http.StatusRequestEntityTooLarge, ErrBodyTooLarge)
		return
	}
	body, err := readBody(w, r, h.v.maxBody)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, ErrBodyTooLarge)
			return
		}
		h.fail(w, r, http.StatusBadRequest, fmt.Errorf("webhook: reading the body: %w", err))
		return
	}
	if err := h.v.verify(r, body); err != nil {
		h.fail(w, r, http.StatusUnauthorized, err)
		return
	}
	msg, err := Parse(body)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if err := h.fn(r.Context(), msg); err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "2")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "{}")
}

// readBody reads the whole body, up to max bytes, in one allocation when
// the request says how long it is (and is not huge).
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 {
		// Trust the announced length only so far: the limit is enforced
		// while reading.
		buf.Grow(int(min(n, 1<<20)) + bytes.MinRead) // ReadFrom wants MinRead free to see EOF
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max))
	return buf.Bytes(), err
}

// fail answers with status and its standard text only, and hands the
// reason to the error handler.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, reason error) {
	if h.v.onError != nil {
		h.v.onError(r, reason)
	}
	text := http.StatusText(status) + "\n"
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Length", strconv.Itoa(len(text)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}
