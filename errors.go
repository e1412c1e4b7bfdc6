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
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("vapi: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
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
		b.WriteString(typ)
	}
	sep := ": "
	for _, m := range e.Messages {
		// Skip what merely repeats the status line, like an HTML page
		// titled "502 Bad Gateway".
		if m == "" || m == typ || m == status+" "+typ {
			continue
		}
		b.WriteString(sep)
		b.WriteString(m)
		sep = "; "
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
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

// unexpectedResponseError is the error for a 2xx response whose body does not
// decode. It matches ErrUnexpectedResponse and wraps the decoding error.
type unexpectedResponseError struct {
	method, path string
	status       int
	contentType  string
	start        []byte // the first bytes of the body, cleared of secrets
	truncated    bool   // whether the body goes on after start
	err          error
}

// maxSnippet is how much of an undecodable body the error quotes.
const maxSnippet = 64

func (e *unexpectedResponseError) Error() string {
	snippet := strconv.Quote(string(e.start))
	if e.truncated {
		snippet += "…"
	}
	return fmt.Sprintf("vapi: %s %s: unexpected response: %d %s, Content-Type %q, body %s: %v",
		e.method, e.path, e.status, http.StatusText(e.status), e.contentType, snippet, e.err)
}

func (e *unexpectedResponseError) Unwrap() []error {
	return []error{ErrUnexpectedResponse, e.err}
}
