package vapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoff(t *testing.T) {
	const lo, hi = 100 * time.Millisecond, 2 * time.Second
	tests := []struct {
		retry    int
		from, to time.Duration
	}{
		{0, 100 * time.Millisecond, 200 * time.Millisecond},
		{1, 200 * time.Millisecond, 400 * time.Millisecond},
		{2, 400 * time.Millisecond, 800 * time.Millisecond},
		{3, 800 * time.Millisecond, 1600 * time.Millisecond},
		{4, 1 * time.Second, 2 * time.Second},
		{5, 1 * time.Second, 2 * time.Second},
		{100, 1 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("retry %d waits between %v and %v", tt.retry, tt.from, tt.to), func(t *testing.T) {
			seen := map[time.Duration]bool{}
			for range 200 {
				d := backoff(lo, hi, tt.retry, nil)
				assert.GreaterOrEqual(t, d, tt.from)
				assert.LessOrEqual(t, d, tt.to)
				seen[d] = true
			}
			if tt.from < tt.to {
				assert.Greater(t, len(seen), 10, "the wait is jittered")
			}
		})
	}
	t.Run("waits nothing when both bounds are zero", func(t *testing.T) {
		assert.Zero(t, backoff(0, 0, 3, nil))
	})
	t.Run("never waits less than the minimum", func(t *testing.T) {
		for retry := range 10 {
			assert.Equal(t, time.Second, backoff(time.Second, time.Second, retry, nil))
			assert.GreaterOrEqual(t, backoff(time.Second, 3*time.Second/2, retry, nil), time.Second)
		}
	})
	t.Run("does not overflow with a huge maximum", func(t *testing.T) {
		d := backoff(time.Second, time.Duration(1<<63-1), 80, nil)
		assert.Positive(t, d)
	})
	t.Run("waits what Retry-After asks for", func(t *testing.T) {
		resp := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"1"}}}
		assert.Equal(t, time.Second, backoff(lo, hi, 0, resp))
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"reads seconds", "30", 30 * time.Second, true},
		{"reads zero seconds", "0", 0, true},
		{"reads an IMF-fixdate", "Fri, 20 Nov 2026 14:01:30 GMT", 90 * time.Second, true},
		{"reads an RFC 850 date", "Friday, 20-Nov-26 14:00:10 GMT", 10 * time.Second, true},
		{"reads a date in the past as zero", "Fri, 20 Nov 2026 13:00:00 GMT", 0, true},
		{"ignores negative seconds", "-5", 0, false},
		{"ignores garbage", "soon", 0, false},
		{"ignores an absent header", "", 0, false},
		{"caps absurd seconds instead of overflowing", "99999999999999999", maxRetryAfter, true},
		{"reads seconds too large for an int64 as beyond any wait", "99999999999999999999", maxRetryAfter, true},
		{"ignores negative seconds too large for an int64", "-99999999999999999999", 0, false},
		{"reads seconds with surrounding spaces", " 7 ", 7 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := parseRetryAfter(h, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCheckRetryWithoutDuplicateCreates(t *testing.T) {
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	resetErr := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	withRA := http.Header{"Retry-After": {"1"}}
	tests := []struct {
		name        string
		resp        *http.Response
		err         error
		strict, def bool // retried under WithoutDuplicateCreates, and by default
	}{
		{"a refused connection", nil, dialErr, true, true},
		{"a proxy that could not be reached", nil, &net.OpError{Op: "proxyconnect", Err: dialErr}, true, true},
		{"a name that did not resolve", nil, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x"}}, true, true},
		{"a reset connection", nil, resetErr, false, true},
		{"an EOF before the response", nil, errors.New("EOF"), false, true},
		{"429", &http.Response{StatusCode: 429, Header: http.Header{}}, nil, true, true},
		{"503 with Retry-After", &http.Response{StatusCode: 503, Header: withRA}, nil, true, true},
		{"503 without Retry-After", &http.Response{StatusCode: 503, Header: http.Header{}}, nil, false, true},
		{"408", &http.Response{StatusCode: 408, Header: http.Header{}}, nil, false, true},
		{"500", &http.Response{StatusCode: 500, Header: http.Header{}}, nil, false, true},
		{"502", &http.Response{StatusCode: 502, Header: http.Header{}}, nil, false, true},
		{"504", &http.Response{StatusCode: 504, Header: http.Header{}}, nil, false, true},
		{"400", &http.Response{StatusCode: 400, Header: http.Header{}}, nil, false, false},
	}
	for _, tt := range tests {
		for _, method := range []string{http.MethodPost, http.MethodPatch} {
			for _, strict := range []bool{false, true} {
				want := tt.def
				if strict && method == http.MethodPost {
					want = tt.strict
				}
				name := fmt.Sprintf("%s after %s is retried: %t (WithoutDuplicateCreates %t)", method, tt.name, want, strict)
				t.Run(name, func(t *testing.T) {
					cl := &call{method: method, settings: settings{retryWaitMax: time.Minute, noDuplicatePOST: strict}}
					ctx := context.WithValue(context.Background(), callKey{}, cl)
					got, err := checkRetry(ctx, tt.resp, tt.err)
					assert.NoError(t, err)
					assert.Equal(t, want, got)
				})
			}
		}
	}
}

func TestEscapeControl(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"leaves plain text alone", "Session not found", "Session not found"},
		{"leaves non-ASCII letters alone", "déjà vu — ok ✓", "déjà vu — ok ✓"},
		{"escapes line breaks and tabs", "a\nb\rc\td", `a\nb\rc\td`},
		{"escapes ESC and other C0 controls and DEL", "\x1b[31mred\x00\x7f", `\x1b[31mred\x00\x7f`},
		{"escapes C1 controls", "a\u0085b\u009bc", `a\u0085b\u009bc`},
		{"escapes the Unicode line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"escapes bidirectional controls", "a\u202eb\u2066c\u200fd", `a\u202eb\u2066c\u200fd`},
		{"escapes bytes that are not UTF-8", "a\xffb", `a\xffb`},
		{"leaves a backslash as it is", `a\nb`, `a\nb`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, escapeControl(tt.in))
		})
	}
}

func TestCapRedacted(t *testing.T) {
	const key = "sk-0123456789abcdef"
	cl := &call{settings: settings{cred: &credentials{key: key}}}
	tests := []struct {
		name string
		data string
		more bool
		max  int
		want string
	}{
		{"keeps a short body without the key as it is", "hello", false, 10, "hello"},
		{"redacts a whole key", "a" + key + "b", false, 100, "a[REDACTED]b"},
		{"redacts before capping, so the cap cannot cut the key", "ab" + key, false, 5, "ab[RE"},
		{"redacts a start of the key where the body was cut", "abcd" + key[:7], true, 100, "abcd[REDACTED]"},
		{"redacts a one-byte start of the key where the body was cut", "abcds", true, 100, "abcd[REDACTED]"},
		{"leaves a start of the key in a body that was not cut", "abcd" + key[:7], false, 100, "abcd" + key[:7]},
		{"pulls no piece of a key into the kept part when earlier keys shrink", key + key + "xx" + key[:5], true, 30, "[REDACTED][REDACTED]xx[REDACTE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(cl.capRedacted([]byte(tt.data), tt.more, tt.max)))
		})
	}
}

// chunkReader returns its data a few bytes per Read, then err.
type chunkReader struct {
	data []byte
	err  error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p[:min(len(p), 7)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadBody(t *testing.T) {
	body := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + i%26)
		}
		return b
	}
	broken := errors.New("connection reset")
	tests := []struct {
		name          string
		size          int   // bytes the reader has
		contentLength int64 // -1: unknown
		maxLen        int64
		keep          int
		err           error // what the reader fails with after its data
		wantLen       int
		wantMore      bool
	}{
		{"reads a body of known length whole", 3000, 3000, 1 << 20, 100, io.EOF, 3000, false},
		{"reads a body of unknown length whole, across chunks", 100000, -1, 1 << 20, 100, io.EOF, 100000, false},
		{"reads a body of exactly maxLen whole", 5000, -1, 5000, 100, io.EOF, 5000, false},
		{"keeps only the first bytes of a body one byte over maxLen", 5001, -1, 5000, 100, io.EOF, 100, true},
		{"keeps only the first bytes of a body far over maxLen", 200000, -1, 5000, 100, io.EOF, 100, true},
		{"does not trust a Content-Length that is too small", 5000, 10, 1 << 20, 100, io.EOF, 5000, false},
		{"reads an empty body", 0, 0, 1 << 20, 100, io.EOF, 0, false},
		{"returns what it read before an error, and the error", 9000, -1, 1 << 20, 100, broken, 9000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := body(tt.size)
			data, more, err := readBody(&chunkReader{data: want, err: tt.err}, tt.contentLength, tt.maxLen, tt.keep)
			if tt.err == io.EOF {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.err)
			}
			assert.Equal(t, tt.wantMore, more)
			assert.Len(t, data, tt.wantLen)
			assert.Equal(t, want[:tt.wantLen], data)
		})
	}
}
