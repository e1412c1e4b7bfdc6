package vapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The API key is kept out of everything the SDK makes from what the network
// sent (error strings, APIError fields, log lines, Response.Body copies made
// for errors, and printed values), never out of the user's data: a 2xx body
// decodes exactly as the server sent it.
//
// The key is found however the text spells it: as is, and, in raw JSON,
// with any of its characters written as a \uXXXX escape (in either case of
// hex digits, as a surrogate pair beyond the BMP) or as a short escape (\/,
// \", \\, \b, \f, \n, \r, \t), since decoding either turns back into the
// key.

// redacted replaces the API key wherever text from the network shows it.
const redacted = "[REDACTED]"

// leaks reports whether s shows the API key, in any spelling.
func (cl *call) leaks(s string) bool {
	return spellsKey(s, cl.apiKey())
}

// redact removes the API key, in any spelling, from text that came from the
// network.
func (cl *call) redact(s string) string {
	key := cl.apiKey()
	if !spellsKey(s, key) {
		return s
	}
	return string(redactKey([]byte(s), key, false))
}

// cleanText makes server text fit for an error string or a log line: the
// key removed, control characters escaped.
func (cl *call) cleanText(s string) string {
	return escapeControl(cl.redact(s))
}

// redactBytes removes the API key, in any spelling, from b; b itself is
// returned when it shows none.
func (cl *call) redactBytes(b []byte) []byte {
	return redactKey(b, cl.apiKey(), false)
}

// spelledLen bounds the length of the key spelled with escapes: six bytes
// (\uXXXX) for each byte of the key.
func spelledLen(key string) int { return 6 * len(key) }

// readCapped reads r up to limit bytes for keeping, cleared of the key even
// where the cap cuts through it.
func (cl *call) readCapped(r io.Reader, limit int) ([]byte, error) {
	// Read far enough past the cap that any key that starts before the
	// cap is read whole, however it is spelled.
	window := limit + max(spelledLen(cl.apiKey())-1, 0)
	data, more, err := readBody(r, 0, int64(window), window)
	return cl.capRedacted(data, more, limit), err
}

// capRedacted clears data of the key, then caps it at max bytes. If data
// was cut (more: the body goes on after it), a tail of data that is the
// start of the key (in any spelling) is redacted too: a key cut in two
// escapes a search for the whole key. So is a start of the key that the cap
// itself leaves at the end.
func (cl *call) capRedacted(data []byte, more bool, max int) []byte {
	key := cl.apiKey()
	if key == "" {
		return data[:min(len(data), max)]
	}
	if window := max + spelledLen(key) - 1; more && len(data) > window {
		data = data[:window]
	}
	data = redactKey(data, key, more)
	// Twice: the redaction of a start of the key at the cap can push
	// the text past it again, but then ends in "[REDACTED]" cut short.
	for range 2 {
		if len(data) <= max {
			return data
		}
		data = redactKey(data[:max:max], key, true)
	}
	return data[:max]
}

// redactHeader returns h, or a copy of it without the API key if a value
// contains it, or a name contains it in any case (Go canonicalizes the case
// of header names).
func (cl *call) redactHeader(h http.Header) http.Header {
	key := cl.apiKey()
	if key == "" {
		return h
	}
	lowerKey := strings.ToLower(key)
	nameLeaks := func(name string) bool { return strings.Contains(strings.ToLower(name), lowerKey) }
	leaks := false
	for name, vs := range h {
		leaks = leaks || nameLeaks(name)
		for _, v := range vs {
			leaks = leaks || cl.leaks(v)
		}
	}
	if !leaks {
		return h
	}
	c := make(http.Header, len(h))
	for name, vs := range h {
		if nameLeaks(name) {
			name = redacted
		}
		for _, v := range vs {
			c[name] = append(c[name], cl.redact(v))
		}
	}
	return c
}

// spellsKey reports whether s shows key, as is or spelled with JSON
// escapes.
func spellsKey(s, key string) bool {
	if key == "" {
		return false
	}
	if strings.Contains(s, key) {
		return true
	}
	if !strings.Contains(s, `\`) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == key[0] {
			if _, n, _ := matchKey(s, i, key); n == len(key) {
				return true
			}
		}
	}
	return false
}

// redactKey replaces every spelling of key in b with [REDACTED]. When cut is
// set (b is the start of a longer text), a tail of b that spells the start
// of key is replaced too. It returns b itself when there is nothing to
// replace, and a new slice otherwise.
func redactKey(b []byte, key string, cut bool) []byte {
	if key == "" {
		return b
	}
	if !cut && bytes.IndexByte(b, '\\') < 0 {
		if !bytes.Contains(b, []byte(key)) {
			return b
		}
		return bytes.ReplaceAll(b, []byte(key), []byte(redacted))
	}
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		if b[i] != '\\' && b[i] != key[0] {
			i++
			continue
		}
		end, n, atEnd := matchKey(b, i, key)
		if n == len(key) || cut && atEnd && end > i {
			out = append(append(out, b[last:i]...), redacted...)
			last, i = end, end
			continue
		}
		i++
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// matchKey matches the text from s[i] against key, a character at a time,
// each as is or as a JSON escape. It returns where the match stops, how many
// bytes of key it matched (len(key) for the whole key), and whether it
// stopped because s ended, in the middle of the key or of an escape.
func matchKey[T string | []byte](s T, i int, key string) (end, n int, atEnd bool) {
	j := i
	for n < len(key) {
		r, size := utf8.DecodeRuneInString(key[n:])
		lit := key[n : n+size]
		if j == len(s) {
			return j, n, true
		}
		if rest := string(s[j:min(j+size, len(s))]); rest == lit {
			j, n = j+size, n+size
			continue
		} else if len(rest) < size && lit[:len(rest)] == rest {
			return len(s), n, true
		}
		if s[j] != '\\' {
			return j, n, false
		}
		k, ok, short := matchEscape(s, j, r)
		if short {
			return len(s), n, true
		}
		if !ok {
			return j, n, false
		}
		j, n = k, n+size
	}
	return j, n, false
}

// matchEscape matches the JSON escape at s[j] (a backslash) against r and
// returns the index after it; short reports that s ended inside an escape
// that could still spell r.
func matchEscape[T string | []byte](s T, j int, r rune) (next int, ok, short bool) {
	if j+1 == len(s) {
		return j, false, true
	}
	if c := s[j+1]; c != 'u' {
		return j + 2, shortEscape(c) == r, false
	}
	if r >= 0x10000 {
		hi, lo := utf16Surrogates(r)
		k, ok, short := matchHex(s, j, hi)
		if !ok || short {
			return k, ok, short
		}
		if k == len(s) || k+1 == len(s) && s[k] == '\\' {
			return len(s), false, true
		}
		if s[k] != '\\' || s[k+1] != 'u' {
			return k, false, false
		}
		return matchHex(s, k, lo)
	}
	return matchHex(s, j, r)
}

// matchHex matches \uXXXX at s[j] against the code unit u.
func matchHex[T string | []byte](s T, j int, u rune) (next int, ok, short bool) {
	var v rune
	for k := j + 2; k < j+6; k++ {
		if k == len(s) {
			return len(s), v == u>>(4*(j+6-k)), true
		}
		d := hexDigit(s[k])
		if d < 0 {
			return k, false, false
		}
		v = v<<4 | rune(d)
	}
	return j + 6, v == u, false
}

// shortEscape returns the character a two-character JSON escape stands
// for, or -1.
func shortEscape(c byte) rune {
	switch c {
	case '"', '\\', '/':
		return rune(c)
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return -1
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// utf16Surrogates returns the UTF-16 surrogate pair of r (beyond the BMP).
func utf16Surrogates(r rune) (hi, lo rune) {
	r -= 0x10000
	return 0xd800 + r>>10&0x3ff, 0xdc00 + r&0x3ff
}

// shownBody is what printing a Response shows of a Body that holds the
// key.
type shownBody struct{ body []byte }

// setShown records shown, Body cleared of the key, for printing, if it
// differs from Body.
func (r *Response) setShown(shown []byte) {
	r.shown = nil
	if len(shown) != len(r.Body) || len(shown) > 0 && &shown[0] != &r.Body[0] {
		r.shown = &shownBody{shown}
	}
}

// responseFields are the fields of a Response, as printed.
type responseFields struct {
	StatusCode int
	Header     http.Header
	RequestID  string
	Attempts   int
	Body       []byte
}

// Format prints the response as fmt would print its fields, with verb and
// flags as given, except that a Body that shows the API key is printed
// cleared of it.
func (r Response) Format(f fmt.State, verb rune) {
	v := responseFields{r.StatusCode, r.Header, r.RequestID, r.Attempts, r.Body}
	if r.shown != nil {
		v.Body = r.shown.body
	}
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "vapi.Response{StatusCode:%#v, Header:%#v, RequestID:%#v, Attempts:%#v, Body:%#v}",
			v.StatusCode, v.Header, v.RequestID, v.Attempts, v.Body)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}
