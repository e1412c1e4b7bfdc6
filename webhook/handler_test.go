package webhook_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// recorder keeps what a handler's fn and error handler were given.
type recorder struct {
	mu      sync.Mutex
	msgs    []vapi.ServerMessage
	reasons []error
	fnErr   error
}

func (rec *recorder) fn(ctx context.Context, msg vapi.ServerMessage) error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.msgs = append(rec.msgs, msg)
	return rec.fnErr
}

func (rec *recorder) onError(_ *http.Request, err error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reasons = append(rec.reasons, err)
}

const minimalCreated = `{"message":{"type":"session.created","timestamp":1773500966000,"session":{"id":"3f0e2b1c-0000-4000-8000-000000000001","orgId":"org-1","createdAt":"2026-03-14T15:09:26.000Z","updatedAt":"2026-03-14T15:09:26.000Z","status":"active"}}}`

func TestHandlerStatuses(t *testing.T) {
	secret := []webhook.Option{webhook.WithSecret("whsec-handler")}
	withSecret := func(r *http.Request) { r.Header.Set("X-Vapi-Secret", "whsec-handler") }
	tests := []struct {
		name     string
		method   string
		body     string
		header   func(r *http.Request)
		opts     []webhook.Option
		fnErr    error
		status   int
		wantBody string
		wantFn   bool
		reason   error
	}{
		{name: "a verified session.created gets 200 and {}", method: "POST", body: minimalCreated, header: withSecret, opts: secret, status: 200, wantBody: "{}", wantFn: true},
		{name: "an unknown message type still gets 200", method: "POST", body: `{"message":{"type":"status-update","status":"ended"}}`, header: withSecret, opts: secret, status: 200, wantBody: "{}", wantFn: true},
		{name: "GET gets 405", method: "GET", header: withSecret, opts: secret, status: 405},
		{name: "PUT gets 405", method: "PUT", body: minimalCreated, header: withSecret, opts: secret, status: 405},
		{name: "a wrong secret gets 401", method: "POST", body: minimalCreated, header: func(r *http.Request) { r.Header.Set("X-Vapi-Secret", "guess") }, opts: secret, status: 401, reason: webhook.ErrInvalidSecret},
		{name: "no secret gets 401", method: "POST", body: minimalCreated, opts: secret, status: 401, reason: webhook.ErrMissingHeader},
		{name: "an unverified body that does not parse gets 401, not 400", method: "POST", body: "not json", opts: secret, status: 401, reason: webhook.ErrMissingHeader},
		{name: "a verified body that is not JSON gets 400", method: "POST", body: "not json", header: withSecret, opts: secret, status: 400, reason: webhook.ErrMalformedBody},
		{name: "a verified body without message gets 400", method: "POST", body: `{"type":"session.created"}`, header: withSecret, opts: secret, status: 400, reason: webhook.ErrMalformedBody},
		{name: "a verified message without type gets 400", method: "POST", body: `{"message":{"session":{}}}`, header: withSecret, opts: secret, status: 400, reason: webhook.ErrMalformedBody},
		{name: "an empty verified body gets 400", method: "POST", body: "", header: withSecret, opts: secret, status: 400, reason: webhook.ErrMalformedBody},
		{name: "a body past the limit gets 413", method: "POST", body: minimalCreated, header: withSecret, opts: append([]webhook.Option{webhook.WithMaxBodySize(64)}, secret...), status: 413, reason: webhook.ErrBodyTooLarge},
		{name: "an unverified body past the limit gets 413", method: "POST", body: minimalCreated, opts: append([]webhook.Option{webhook.WithMaxBodySize(64)}, secret...), status: 413, reason: webhook.ErrBodyTooLarge},
		{name: "a body exactly at the limit gets 200", method: "POST", body: minimalCreated, header: withSecret, opts: append([]webhook.Option{webhook.WithMaxBodySize(int64(len(minimalCreated)))}, secret...), status: 200, wantBody: "{}", wantFn: true},
		{name: "an error from fn gets 500 without its text", method: "POST", body: minimalCreated, header: withSecret, opts: secret, fnErr: errors.New("db password=hunter2 rejected"), status: 500, wantFn: true},
		{name: "InsecureSkipVerify accepts a request without credentials", method: "POST", body: minimalCreated, opts: []webhook.Option{webhook.InsecureSkipVerify()}, status: 200, wantBody: "{}", wantFn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{fnErr: tt.fnErr}
			h, err := webhook.NewHandler(rec.fn, append(tt.opts, webhook.WithErrorHandler(rec.onError))...)
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			defer srv.Close()

			req, err := http.NewRequest(tt.method, srv.URL+"/hook", strings.NewReader(tt.body))
			require.NoError(t, err)
			if tt.header != nil {
				tt.header(req)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)

			assert.Equal(t, tt.status, resp.StatusCode)
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, string(body))
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			} else {
				assert.Equal(t, http.StatusText(tt.status)+"\n", string(body), "an error answer says nothing but the status")
			}
			if tt.status == 405 {
				assert.Equal(t, "POST", resp.Header.Get("Allow"))
			}

			if tt.wantFn {
				require.Len(t, rec.msgs, 1, "fn sees the message")
			} else {
				assert.Empty(t, rec.msgs, "fn never sees a request that was refused")
			}
			if tt.status != 200 {
				require.Len(t, rec.reasons, 1, "the error handler hears why")
				if tt.reason != nil {
					assert.ErrorIs(t, rec.reasons[0], tt.reason)
				}
				if tt.fnErr != nil {
					assert.Equal(t, tt.fnErr, rec.reasons[0])
				}
			} else {
				assert.Empty(t, rec.reasons)
			}
		})
	}
}

func TestHandlerPassesTheTypedMessageAndTheRequestContext(t *testing.T) {
	type ctxKey struct{}
	var got vapi.ServerMessage
	var value any
	h, err := webhook.NewHandler(func(ctx context.Context, msg vapi.ServerMessage) error {
		got, value = msg, ctx.Value(ctxKey{})
		return nil
	}, webhook.WithSecret("s"))
	require.NoError(t, err)

	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(minimalCreated))
	r.Header.Set("X-Vapi-Secret", "s")
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-scoped"))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)

	require.Equal(t, 200, w.Code)
	created, ok := got.(*vapi.ServerMessageSessionCreated)
	require.True(t, ok, "got %T", got)
	assert.Equal(t, "3f0e2b1c-0000-4000-8000-000000000001", created.Session.ID)
	assert.Equal(t, "request-scoped", value)
}

func TestHandlerHMACEndToEnd(t *testing.T) {
	plan := vapi.HMACAuthenticationPlan{
		SecretKey:         "handler-hmac-key",
		Algorithm:         "sha256",
		SignaturePrefix:   vapi.String("sha256="),
		SignatureEncoding: "base64",
		PayloadFormat:     vapi.String("{timestamp}:{method}:{url}:{body}"),
	}
	signer := newRefSigner(plan)
	rec := &recorder{}
	h, err := webhook.NewHandler(rec.fn, webhook.WithHMAC(plan), testClock)
	require.NoError(t, err)

	sign := func(body string) *http.Request {
		ts := seconds(testNow)
		r := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/vapi", strings.NewReader(body))
		r.Header.Set("X-Signature", signer.signature(http.MethodPost, "https://hooks.example.com/vapi", ts, "", body))
		r.Header.Set("X-Timestamp", ts)
		return r
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, sign(minimalCreated))
	assert.Equal(t, 200, w.Code)

	r := sign(minimalCreated)
	r.Body = io.NopCloser(strings.NewReader(strings.Replace(minimalCreated, `"active"`, `"completed"`, 1)))
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, 401, w.Code, "a body changed after signing is refused")
	assert.Len(t, rec.msgs, 1)
}

func TestHandlerLargeBodyWithoutContentLength(t *testing.T) {
	rec := &recorder{}
	h, err := webhook.NewHandler(rec.fn, webhook.WithSecret("s"), webhook.WithMaxBodySize(1024))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	// http.NewRequest cannot tell the length of a MultiReader, so the body
	// goes chunked, without Content-Length: the limit is enforced while
	// reading, not from the header alone.
	body := io.MultiReader(strings.NewReader(`{"message":{"type":"x","pad":"`), strings.NewReader(strings.Repeat("a", 4096)), strings.NewReader(`"}}`))
	req, err := http.NewRequest(http.MethodPost, srv.URL, body)
	require.NoError(t, err)
	req.Header.Set("X-Vapi-Secret", "s")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 413, resp.StatusCode)
	assert.Empty(t, rec.msgs)
}

func TestNewHandlerRefusesToRunUnprotected(t *testing.T) {
	fn := (&recorder{}).fn
	tests := []struct {
		name string
		fn   func(context.Context, vapi.ServerMessage) error
		opts []webhook.Option
		want error
	}{
		{"no option at all", fn, nil, webhook.ErrNoVerification},
		{"only non-verifying options", fn, []webhook.Option{webhook.WithTolerance(1), webhook.WithMaxBodySize(10)}, webhook.ErrNoVerification},
		{"an empty secret, as from an unset environment variable", fn, []webhook.Option{webhook.WithSecret(os.Getenv("VAPI_WEBHOOK_TEST_UNSET_VARIABLE"))}, webhook.ErrInvalidOption},
		{"an HMAC plan without a key", fn, []webhook.Option{webhook.WithHMAC(vapi.HMACAuthenticationPlan{Algorithm: "sha256"})}, webhook.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := webhook.NewHandler(tt.fn, tt.opts...)
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, h)
		})
	}
	t.Run("a nil fn", func(t *testing.T) {
		h, err := webhook.NewHandler(nil, webhook.WithSecret("s"))
		assert.Error(t, err)
		assert.Nil(t, h)
	})
}

// countingReader is a body that counts the bytes read from it.
type countingReader struct {
	n, size int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.size {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.size-c.n)
	for i := range p[:k] {
		p[i] = ' '
	}
	c.n += k
	return int(k), nil
}

func TestHandlerChecksTheHeadersBeforeReadingTheBody(t *testing.T) {
	const size = 8 << 20 // DefaultMaxBodySize: announced, and allowed
	plan := defaultPlan()
	tests := []struct {
		name   string
		opts   []webhook.Option
		header http.Header
		reason error
	}{
		{"a wrong secret", []webhook.Option{webhook.WithSecret("s")}, http.Header{"X-Vapi-Secret": {"guess"}}, webhook.ErrInvalidSecret},
		{"a missing secret", []webhook.Option{webhook.WithSecret("s")}, http.Header{}, webhook.ErrMissingHeader},
		{"a wrong bearer token", []webhook.Option{webhook.WithBearerToken("b")}, http.Header{"Authorization": {"Bearer x"}}, webhook.ErrInvalidSecret},
		{"a missing signature", []webhook.Option{webhook.WithHMAC(plan), testClock}, http.Header{"X-Timestamp": {seconds(testNow)}}, webhook.ErrMissingHeader},
		{"a missing timestamp", []webhook.Option{webhook.WithHMAC(plan), testClock}, http.Header{"X-Signature": {strings.Repeat("ab", 32)}}, webhook.ErrMissingHeader},
		{"a stale timestamp", []webhook.Option{webhook.WithHMAC(plan), testClock}, http.Header{"X-Signature": {strings.Repeat("ab", 32)}, "X-Timestamp": {seconds(testNow.Add(-time.Hour))}}, webhook.ErrTimestampOutOfTolerance},
		{"a malformed forwarded host", []webhook.Option{webhook.WithSecret("s"), webhook.TrustForwardedHeaders()}, http.Header{"X-Vapi-Secret": {"s"}, "X-Forwarded-Host": {"a/b"}}, webhook.ErrInvalidForwardedHeader},
	}
	for _, tt := range tests {
		t.Run("the body is not read after "+tt.name, func(t *testing.T) {
			rec := &recorder{}
			h, err := webhook.NewHandler(rec.fn, append(tt.opts, webhook.WithErrorHandler(rec.onError))...)
			require.NoError(t, err)
			body := &countingReader{size: size}
			r := httptest.NewRequest(http.MethodPost, "/hook", body)
			r.ContentLength = size
			r.Header = tt.header
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, 401, w.Code)
			assert.Zero(t, body.n, "not one byte of the body is read")
			require.Len(t, rec.reasons, 1)
			assert.ErrorIs(t, rec.reasons[0], tt.reason)
		})
	}
	t.Run("the body is read when the headers pass", func(t *testing.T) {
		h, err := webhook.NewHandler((&recorder{}).fn, webhook.WithSecret("s"))
		require.NoError(t, err)
		body := &countingReader{size: size}
		r := httptest.NewRequest(http.MethodPost, "/hook", body)
		r.ContentLength = size
		r.Header.Set("X-Vapi-Secret", "s")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, 400, w.Code, "spaces are not a message")
		assert.Equal(t, int64(size), body.n)
	})
}
