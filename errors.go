package vapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. An [*APIError] matches the one for its status with
// errors.Is, for example errors.Is(err, vapi.ErrNotFound).
var (
	ErrBadRequest    = errors.New("vapi: bad request")          // 400
	ErrUnauthorized  = errors.New("vapi: unauthorized")         // 401
	ErrForbidden     = errors.New("vapi: forbidden")            // 403
	ErrNotFound      = errors.New("vapi: not found")            // 404
	ErrConflict      = errors.New("vapi: conflict")             // 409
	ErrUnprocessable = errors.New("vapi: unprocessable entity") // 422
	ErrRateLimited   = errors.New("vapi: rate limited")         // 429
	ErrServer        = errors.New("vapi: server error")         // 5xx

	// ErrUnexpectedResponse is matched by the error of a call whose
	// successful (2xx) response does not decode.
	ErrUnexpectedResponse = errors.New("vapi: unexpected response")

	// ErrMissingAPIKey is matched by the error of NewClient when neither
	// WithAPIKey nor $VAPI_API_KEY gives an API key.
	ErrMissingAPIKey = errors.New("vapi: missing API key")
)

// maxErrorBody caps how much of an error response is read and kept.
const maxErrorBody = 64 << 10

// APIError is the error of a call that the API answered with a status other
// than 2xx, after any retries. Match it with errors.As, or its status with
// errors.Is and a sentinel such as [ErrNotFound].
type APIError struct {
	StatusCode int
	Type       string        // the body's "error", e.g. "Bad Request"
	Messages   []string      // the body's "message", string or array, normalised
	RequestID  string        // X-Request-Id from the response, else CF-Ray
	RetryAfter time.Duration // from Retry-After when present
	Header     http.Header
	Body       []byte // raw body, capped at 64 KiB

	// Method and Path name the call, for the error message.
	Method string
	Path   string
}

// Error returns one line naming the call, the status, the server's messages
// and the request id, for example
//
//	vapi: POST /session: 400 Bad Request: property foo should not exist (request id 8f2c…)
//
// Text that came from the server has its control characters escaped (a
// line break reads \n), so that a hostile body cannot forge log lines.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("vapi: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(escapeControl(e.Method))
		b.WriteByte(' ')
		b.WriteString(escapeControl(e.Path))
		b.WriteString(": ")
	}
	status := strconv.Itoa(e.StatusCode)
	typ := e.Type
	if typ == "" {
		typ = http.StatusText(e.StatusCode)
	}
	b.WriteString(status)
	if typ != "" {
		b.WriteByte(' ')
		b.WriteString(escapeControl(typ))
	}
	sep := ": "
	for _, m := range e.Messages {
		// Skip what merely repeats the status line, like an HTML page
		// titled "502 Bad Gateway".
		if m == "" || m == typ || m == status+" "+typ {
			continue
		}
		b.WriteString(sep)
		b.WriteString(escapeControl(m))
		sep = "; "
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(escapeControl(e.RequestID))
		b.WriteByte(')')
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	if loc := e.Header.Get("Location"); loc != "" && e.StatusCode >= 300 && e.StatusCode <= 399 {
		b.WriteString(" (redirect to ")
		b.WriteString(escapeControl(loc))
		b.WriteString(" not followed)")
	}
	return b.String()
}

// Is reports whether target is the sentinel error for e's status, so that
// errors.Is(err, vapi.ErrNotFound) holds for a 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// newAPIError builds the error for a non-2xx response from its body, which
// the caller has read (at most maxErrorBody bytes) and cleared of secrets.
func newAPIError(method, path string, resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		RequestID:  requestID(resp.Header),
		Header:     resp.Header,
		Body:       body,
		Method:     method,
		Path:       path,
	}
	e.RetryAfter, _ = parseRetryAfter(resp.Header, now)
	if !e.fromNestJS(body) {
		if msg := summarize(body); msg != "" {
			e.Messages = []string{msg}
		}
	}
	if e.Type == "" {
		e.Type = http.StatusText(e.StatusCode)
	}
	return e
}

// fromNestJS fills Type and Messages from a NestJS-style body,
// {"message": "…" or ["…", …], "error": "…", "statusCode": 400}, and reports
// whether the body was a JSON object.
func (e *APIError) fromNestJS(body []byte) bool {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	var v struct {
		Message json.RawMessage `json:"message"`
		Error   json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	e.Type = jsonText(v.Error)
	var list []json.RawMessage
	if json.Unmarshal(v.Message, &list) == nil {
		for _, m := range list {
			if s := jsonText(m); s != "" {
				e.Messages = append(e.Messages, s)
			}
		}
	} else if s := jsonText(v.Message); s != "" {
		e.Messages = []string{s}
	}
	return true
}

// jsonText returns a JSON string's value, or any other JSON value's text.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// maxSummary caps the message taken from a body that is not JSON.
const maxSummary = 200

// summarize returns a short readable message from a body that is not JSON:
// an HTML page's title, else the first line of its text.
func summarize(body []byte) string {
	s := string(body)
	if t, ok := htmlTitle(s); ok {
		s = t
	} else {
		if strings.HasPrefix(strings.TrimSpace(s), "<") {
			s = stripTags(s)
		}
		s = firstLine(s)
	}
	s = strings.Join(strings.Fields(html.UnescapeString(s)), " ")
	if utf8.RuneCountInString(s) > maxSummary {
		s = string([]rune(s)[:maxSummary]) + "…"
	}
	return s
}

// htmlTitle returns the text of the first <title> element, if it has any.
func htmlTitle(s string) (string, bool) {
	lower := strings.ToLower(s)
	i := strings.Index(lower, "<title")
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(lower[i:], '>')
	if j < 0 {
		return "", false
	}
	start := i + j + 1
	end := strings.Index(lower[start:], "</title")
	if end < 0 {
		return "", false
	}
	t := strings.TrimSpace(s[start : start+end])
	return t, t != ""
}

// stripTags replaces HTML tags with line breaks, leaving their text.
func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte('\n')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// firstLine returns the first line of s that is not blank.
func firstLine(s string) string {
	for s != "" {
		line, rest, _ := strings.Cut(s, "\n")
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
		s = rest
	}
	return ""
}

// requestID returns the response's request id: X-Request-Id, else CF-Ray.
func requestID(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return h.Get("Cf-Ray")
}

// unexpectedResponseError is the error for a 2xx response whose body is not
// what the call expects: it does not decode, it is not a JSON object, it
// lacks the resource's id, or it is larger than the call's limit. It matches
// ErrUnexpectedResponse and wraps the reason.
type unexpectedResponseError struct {
	method, path string
	status       int
	contentType  string // as received; escaped when printed
	start        []byte // the first bytes of the body, cleared of secrets
	truncated    bool   // whether the body goes on after start
	err          error  // the reason, cleared of secrets
}

// maxSnippet is how much of an undecodable body the error quotes.
const maxSnippet = 64

func (e *unexpectedResponseError) Error() string {
	snippet := strconv.Quote(string(e.start))
	if e.truncated {
		snippet += "…"
	}
	return fmt.Sprintf("vapi: %s %s: unexpected response: %d %s, Content-Type %q, body %s: %s",
		e.method, e.path, e.status, http.StatusText(e.status), e.contentType, snippet, escapeControl(e.err.Error()))
}

func (e *unexpectedResponseError) Unwrap() []error {
	return []error{ErrUnexpectedResponse, e.err}
}

// Reasons for an unexpectedResponseError besides a decoding error.
var (
	errNotObject = errors.New("the body is not a JSON object")
	errNoID      = errors.New(`the body has no "id"`)
)

// tooLargeError is the reason of an unexpectedResponseError for a body over
// the call's WithMaxResponseBytes.
type tooLargeError struct{ limit int64 }

func (e tooLargeError) Error() string {
	return "the body is larger than " + strconv.FormatInt(e.limit, 10) + " bytes (see WithMaxResponseBytes)"
}

// escapeControl escapes what could forge or garble a line of a log: C0 and
// C1 control characters and DEL (as \n, \r, \t or \xNN / \u00NN), the Unicode
// line and paragraph separators and bidirectional controls (as \uNNNN), and
// bytes that are not UTF-8 (as \xNN). A backslash is left as it is. Text
// without any of these is returned unchanged, without allocating.
func escapeControl(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !needsEscape(r, size):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional controls, which reorder what a terminal shows
	}
	return false
}

// cleanError is an error whose text has been cleared of the API key and of
// control characters. It unwraps to the error it was made from only when no
// error in that error's chain shows the key in any form; otherwise it hides
// the original from errors.As and from printing, and matches with errors.Is
// what the original matched (comparisons, which hand nothing out).
type cleanError struct {
	text string
	next error        // the original error, when it is safe to unwrap to
	held *hiddenError // the original error, when it is not
}

// hiddenError keeps an error behind a pointer, so that printing a
// cleanError with %v, %+v or %#v shows an address rather than its contents.
type hiddenError struct{ err error }

func (e *cleanError) Error() string { return e.text }

func (e *cleanError) Unwrap() error { return e.next }

func (e *cleanError) Is(target error) bool {
	return e.held != nil && errors.Is(e.held.err, target)
}

// GoString keeps %#v to the cleaned text.
func (e *cleanError) GoString() string { return "vapi.error(" + strconv.Quote(e.text) + ")" }

// newCleanError wraps err (not nil) in a cleanError. leaks reports whether a
// text shows the secret; redact removes it from a text.
func newCleanError(err error, leaks func(string) bool, redact func(string) string) *cleanError {
	c := &cleanError{text: escapeControl(redact(err.Error()))}
	if chainLeaks(err, leaks) {
		c.held = &hiddenError{err}
	} else {
		c.next = err
	}
	return c
}

// chainLeaks reports whether any error in err's chain (following Unwrap() error and
// Unwrap() []error) shows the secret in its %v, %+v or %#v form.
func chainLeaks(err error, leaks func(string) bool) bool {
	if err == nil {
		return false
	}
	if leaks(err.Error()) || leaks(fmt.Sprintf("%+v", err)) || leaks(fmt.Sprintf("%#v", err)) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return chainLeaks(u.Unwrap(), leaks)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if chainLeaks(e, leaks) {
				return true
			}
		}
	}
	return false
}
