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
// each request it checks the headers of every verification method the
// options configure, reads the body (up to the size limit), checks the
// signature over it when an HMAC plan is configured, parses the message and
// calls fn with it and the request's context. fn never sees a request that
// failed verification or a body that did not parse, and a request whose
// headers already fail is refused without its body being read. NewHandler
// answers every message with {}; to answer the messages that expect an
// answer (tool-calls, assistant-request, ...), use [NewRouter].
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
//   - 401 when verification fails, without saying why (a request that
//     announces a body larger than the limit gets its 413 first);
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
	msg, ok := h.v.receive(w, r)
	if !ok {
		return
	}
	if err := h.fn(r.Context(), msg); err != nil {
		h.v.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, emptyObject)
}

// emptyObject is the answer that says nothing.
var emptyObject = []byte("{}")

// receive does what NewHandler and NewRouter do before a message reaches a
// function: the method, the announced size, the header checks, reading the
// body, the body checks and parsing, in that order, so that nothing is
// read that a header already condemns. On failure it has answered and
// returns false.
func (v *verifier) receive(w http.ResponseWriter, r *http.Request) (vapi.ServerMessage, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		v.fail(w, r, http.StatusMethodNotAllowed, fmt.Errorf("%w: %s", errMethod, r.Method))
		return nil, false
	}
	if r.ContentLength > v.maxBody {
		v.fail(w, r, http.StatusRequestEntityTooLarge, ErrBodyTooLarge)
		return nil, false
	}
	st, err := v.checkHeaders(r)
	if err != nil {
		v.fail(w, r, http.StatusUnauthorized, err)
		return nil, false
	}
	body, err := readBody(w, r, v.maxBody)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			v.fail(w, r, http.StatusRequestEntityTooLarge, ErrBodyTooLarge)
			return nil, false
		}
		v.fail(w, r, http.StatusBadRequest, fmt.Errorf("webhook: reading the body: %w", err))
		return nil, false
	}
	if err := v.checkBody(r, body, st); err != nil {
		v.fail(w, r, http.StatusUnauthorized, err)
		return nil, false
	}
	msg, err := Parse(body)
	if err != nil {
		v.fail(w, r, http.StatusBadRequest, err)
		return nil, false
	}
	return msg, true
}

// writeJSON answers 200 with body, a JSON value.
func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
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
func (v *verifier) fail(w http.ResponseWriter, r *http.Request, status int, reason error) {
	v.report(r, reason)
	text := http.StatusText(status) + "\n"
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Length", strconv.Itoa(len(text)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

// report hands err to the error handler, if there is one.
func (v *verifier) report(r *http.Request, err error) {
	if v.onError != nil {
		v.onError(r, err)
	}
}
