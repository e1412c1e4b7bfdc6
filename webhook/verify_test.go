package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/webhook"
)

// The fixed "now" of these tests, and a clock that returns it.
var (
	testNow   = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	testClock = webhook.WithClock(func() time.Time { return testNow })
)

const (
	testURL  = "https://hooks.example.com/vapi/events?tenant=42&x=a%20b"
	testBody = `{"message":{"type":"session.created","timestamp":1773500966000,"session":{"id":"s1","text":"{timestamp} {body}"}}}`
)

// refSigner signs a request the way the plan describes, written apart from
// the package's own code: strings.Replacer for the payload, the encoders of
// the standard library for the signature.
type refSigner struct {
	plan vapi.HMACAuthenticationPlan
	// secret is the secret the signer uses, which a test may set to
	// something other than the plan's to play an impostor.
	secret []byte
}

func newRefSigner(plan vapi.HMACAuthenticationPlan) refSigner {
	secret := []byte(plan.SecretKey)
	if plan.SecretIsBase64 != nil && *plan.SecretIsBase64 {
		var err error
		if secret, err = base64.StdEncoding.DecodeString(plan.SecretKey); err != nil {
			panic(err)
		}
	}
	return refSigner{plan: plan, secret: secret}
}

func str(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}

// payload builds the signed bytes for a request to testURL.
func (s refSigner) payload(method, url, ts, id, body string) string {
	if s.plan.IncludeTimestamp != nil && !*s.plan.IncludeTimestamp {
		return body
	}
	return strings.NewReplacer(
		"{body}", body,
		"{timestamp}", ts,
		"{method}", method,
		"{url}", url,
		"{svix-id}", id,
	).Replace(str(s.plan.PayloadFormat, "{timestamp}.{body}"))
}

// signature returns the value of the signature header.
func (s refSigner) signature(method, url, ts, id, body string) string {
	var h func() hash.Hash
	switch s.plan.Algorithm {
	case "sha256":
		h = sha256.New
	case "sha512":
		h = sha512.New
	case "sha1":
		h = sha1.New
	default:
		panic("algorithm " + s.plan.Algorithm)
	}
	m := hmac.New(h, s.secret)
	m.Write([]byte(s.payload(method, url, ts, id, body)))
	sum := m.Sum(nil)
	enc := hex.EncodeToString(sum)
	if s.plan.SignatureEncoding == "base64" {
		enc = base64.StdEncoding.EncodeToString(sum)
	}
	return str(s.plan.SignaturePrefix, "") + enc
}

// request builds a POST of body to testURL, signed at ts (a header value;
// "" sends no timestamp header) with message id "msg_1".
func (s refSigner) request(body, ts string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(body))
	r.Header.Set(str(s.plan.SignatureHeader, "x-signature"), s.signature(http.MethodPost, testURL, ts, "msg_1", body))
	if ts != "" {
		r.Header.Set(str(s.plan.TimestampHeader, "x-timestamp"), ts)
	}
	if s.plan.MessageIDHeader != nil {
		r.Header.Set(*s.plan.MessageIDHeader, "msg_1")
	}
	return r
}

func seconds(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
func millis(t time.Time) string  { return strconv.FormatInt(t.UnixMilli(), 10) }

func TestVerifyHMACPlanVariants(t *testing.T) {
	formats := []struct {
		name   string
		format *string
	}{
		{"the default payload format", nil},
		{"payload format {timestamp}.{body}", vapi.String("{timestamp}.{body}")},
		{"payload format {method} {url} {timestamp} {body}", vapi.String("{method} {url} {timestamp} {body}")},
		{"payload format {svix-id}.{timestamp}.{body}", vapi.String("{svix-id}.{timestamp}.{body}")},
		{"payload format {body}:{timestamp}:{body}", vapi.String("{body}:{timestamp}:{body}")},
	}
	includes := []struct {
		name string
		v    *bool
	}{
		{"timestamp included by default", nil},
		{"timestamp included", vapi.Bool(true)},
		{"timestamp not included", vapi.Bool(false)},
	}
	units := []struct {
		name string
		f    func(time.Time) string
	}{{"in seconds", seconds}, {"in milliseconds", millis}}

	n := 0
	for _, alg := range []string{"sha256", "sha512", "sha1"} {
		for _, enc := range []string{"", "hex", "base64"} {
			for _, prefix := range []*string{nil, vapi.String(alg + "="), vapi.String("v1,")} {
				for _, inc := range includes {
					for _, f := range formats {
						for _, b64 := range []bool{false, true} {
							for _, unit := range units {
								plan := vapi.HMACAuthenticationPlan{
									SecretKey:        "whsec-plain-secret",
									Algorithm:        vapi.HMACAuthenticationPlanAlgorithm(alg),
									SignaturePrefix:  prefix,
									IncludeTimestamp: inc.v,
									PayloadFormat:    f.format,
									MessageIDHeader:  vapi.String("svix-id"),
								}
								plan.SignatureEncoding = vapi.HMACAuthenticationPlanSignatureEncoding(enc)
								if b64 {
									plan.SecretKey = base64.StdEncoding.EncodeToString([]byte("\x00binary\xffsecret"))
									plan.SecretIsBase64 = vapi.Bool(true)
								}
								encName := enc
								if encName == "" {
									encName = "hex by default"
								}
								name := fmt.Sprintf("%s %s prefix %q, %s, %s, base64 secret %v, timestamp %s",
									alg, encName, str(prefix, ""), inc.name, f.name, b64, unit.name)
								n++
								t.Run(name, func(t *testing.T) {
									signer := newRefSigner(plan)
									ts := unit.f(testNow.Add(-30 * time.Second))
									opts := []webhook.Option{webhook.WithHMAC(plan), testClock}

									r := signer.request(testBody, ts)
									assert.NoError(t, webhook.Verify(r, []byte(testBody), opts...), "a request signed as the plan says passes")

									tampered := strings.Replace(testBody, "s1", "s2", 1)
									err := webhook.Verify(signer.request(testBody, ts), []byte(tampered), opts...)
									assert.ErrorIs(t, err, webhook.ErrInvalidSignature, "a tampered body fails")

									impostor := signer
									impostor.secret = []byte("not-the-secret")
									err = webhook.Verify(impostor.request(testBody, ts), []byte(testBody), opts...)
									assert.ErrorIs(t, err, webhook.ErrInvalidSignature, "a wrong secret fails")

									if inc.v == nil || *inc.v {
										err = webhook.Verify(signer.request(testBody, unit.f(testNow.Add(-6*time.Minute))), []byte(testBody), opts...)
										assert.ErrorIs(t, err, webhook.ErrTimestampOutOfTolerance, "a stale timestamp fails")
										err = webhook.Verify(signer.request(testBody, unit.f(testNow.Add(6*time.Minute))), []byte(testBody), opts...)
										assert.ErrorIs(t, err, webhook.ErrTimestampOutOfTolerance, "a future timestamp fails")
									} else {
										r := signer.request(testBody, "")
										assert.NoError(t, webhook.Verify(r, []byte(testBody), opts...), "no timestamp is needed")
									}
								})
							}
						}
					}
				}
			}
		}
	}
	require.Equal(t, 3*3*3*3*5*2*2, n)
}

// defaultPlan is a plan with every optional member left out.
func defaultPlan() vapi.HMACAuthenticationPlan {
	return vapi.HMACAuthenticationPlan{SecretKey: "s3cr3t-key", Algorithm: "sha256"}
}

func TestVerifyHMACTimestamps(t *testing.T) {
	tests := []struct {
		name string
		ts   string
		opts []webhook.Option
		want error
	}{
		{"a timestamp of now passes", seconds(testNow), nil, nil},
		{"a timestamp 4m59s old passes", seconds(testNow.Add(-4*time.Minute - 59*time.Second)), nil, nil},
		{"a timestamp 4m59s ahead passes", seconds(testNow.Add(4*time.Minute + 59*time.Second)), nil, nil},
		{"a timestamp 5m1s old fails", seconds(testNow.Add(-5*time.Minute - time.Second)), nil, webhook.ErrTimestampOutOfTolerance},
		{"a timestamp 5m1s ahead fails", seconds(testNow.Add(5*time.Minute + time.Second)), nil, webhook.ErrTimestampOutOfTolerance},
		{"a millisecond timestamp 5m1s old fails", millis(testNow.Add(-5*time.Minute - time.Second)), nil, webhook.ErrTimestampOutOfTolerance},
		{"a day-old timestamp fails", seconds(testNow.Add(-24 * time.Hour)), nil, webhook.ErrTimestampOutOfTolerance},
		{"a 6m old timestamp passes with a 10m tolerance", seconds(testNow.Add(-6 * time.Minute)), []webhook.Option{webhook.WithTolerance(10 * time.Minute)}, nil},
		{"a 40s old timestamp fails with a 30s tolerance", seconds(testNow.Add(-40 * time.Second)), []webhook.Option{webhook.WithTolerance(30 * time.Second)}, webhook.ErrTimestampOutOfTolerance},
		{"a timestamp that is not a number fails", "yesterday", nil, webhook.ErrInvalidTimestamp},
		{"a negative timestamp fails", "-1773500966", nil, webhook.ErrInvalidTimestamp},
		{"a fractional timestamp fails", "1773500966.5", nil, webhook.ErrInvalidTimestamp},
		{"an RFC 3339 timestamp fails", testNow.Format(time.RFC3339), nil, webhook.ErrInvalidTimestamp},
		{"a timestamp too long to be a time fails", strings.Repeat("9", 30), nil, webhook.ErrInvalidTimestamp},
		{"the epoch fails as stale", "0", nil, webhook.ErrTimestampOutOfTolerance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer := newRefSigner(defaultPlan())
			opts := append([]webhook.Option{webhook.WithHMAC(defaultPlan()), testClock}, tt.opts...)
			err := webhook.Verify(signer.request(testBody, tt.ts), []byte(testBody), opts...)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var ve *webhook.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "hmac", ve.Method)
			assert.Equal(t, "x-timestamp", ve.Header)
		})
	}

	t.Run("the real clock is used without WithClock", func(t *testing.T) {
		signer := newRefSigner(defaultPlan())
		r := signer.request(testBody, millis(time.Now()))
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(defaultPlan())))
		r = signer.request(testBody, seconds(testNow))
		assert.ErrorIs(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(defaultPlan())), webhook.ErrTimestampOutOfTolerance)
	})
	t.Run("the error says how far off a stale timestamp is", func(t *testing.T) {
		signer := newRefSigner(defaultPlan())
		r := signer.request(testBody, seconds(testNow.Add(-7*time.Minute)))
		err := webhook.Verify(r, []byte(testBody), webhook.WithHMAC(defaultPlan()), testClock)
		assert.EqualError(t, err, "webhook: hmac: x-timestamp: timestamp outside the tolerance: 7m0s in the past")
	})
}

func TestVerifyHMACHeaders(t *testing.T) {
	ts := seconds(testNow)
	custom := vapi.HMACAuthenticationPlan{
		SecretKey:       "s3cr3t-key",
		Algorithm:       "sha512",
		SignatureHeader: vapi.String("X-Hub-Signature-512"),
		TimestampHeader: vapi.String("X-Request-Timestamp"),
		SignaturePrefix: vapi.String("sha512="),
		PayloadFormat:   vapi.String("{svix-id}.{timestamp}.{body}"),
		MessageIDHeader: vapi.String("Webhook-Id"),
	}
	tests := []struct {
		name       string
		plan       vapi.HMACAuthenticationPlan
		edit       func(r *http.Request)
		want       error
		wantHeader string
	}{
		{"a request without the signature header fails", defaultPlan(),
			func(r *http.Request) { r.Header.Del("X-Signature") }, webhook.ErrMissingHeader, "x-signature"},
		{"a request with an empty signature header fails", defaultPlan(),
			func(r *http.Request) { r.Header.Set("X-Signature", " ") }, webhook.ErrMissingHeader, "x-signature"},
		{"a request without the timestamp header fails", defaultPlan(),
			func(r *http.Request) { r.Header.Del("X-Timestamp") }, webhook.ErrMissingHeader, "x-timestamp"},
		{"a request without the custom signature header fails", custom,
			func(r *http.Request) { r.Header.Del("X-Hub-Signature-512") }, webhook.ErrMissingHeader, "X-Hub-Signature-512"},
		{"a request without the custom timestamp header fails", custom,
			func(r *http.Request) { r.Header.Del("X-Request-Timestamp") }, webhook.ErrMissingHeader, "X-Request-Timestamp"},
		{"a request without the message id header fails", custom,
			func(r *http.Request) { r.Header.Del("Webhook-Id") }, webhook.ErrMissingHeader, "Webhook-Id"},
		{"a request with another message id fails", custom,
			func(r *http.Request) { r.Header.Set("Webhook-Id", "msg_2") }, webhook.ErrInvalidSignature, "X-Hub-Signature-512"},
		{"a request with another timestamp fails", defaultPlan(),
			func(r *http.Request) { r.Header.Set("X-Timestamp", seconds(testNow.Add(time.Second))) }, webhook.ErrInvalidSignature, "x-signature"},
		{"a signature without its prefix fails", custom,
			func(r *http.Request) {
				r.Header.Set("X-Hub-Signature-512", strings.TrimPrefix(r.Header.Get("X-Hub-Signature-512"), "sha512="))
			}, webhook.ErrInvalidSignature, "X-Hub-Signature-512"},
		{"a signature with another prefix fails", custom,
			func(r *http.Request) {
				r.Header.Set("X-Hub-Signature-512", "sha256="+strings.TrimPrefix(r.Header.Get("X-Hub-Signature-512"), "sha512="))
			}, webhook.ErrInvalidSignature, "X-Hub-Signature-512"},
		{"a signature that is not hex fails", defaultPlan(),
			func(r *http.Request) { r.Header.Set("X-Signature", "zz"+r.Header.Get("X-Signature")[2:]) }, webhook.ErrInvalidSignature, "x-signature"},
		{"a truncated signature fails", defaultPlan(),
			func(r *http.Request) { r.Header.Set("X-Signature", r.Header.Get("X-Signature")[:40]) }, webhook.ErrInvalidSignature, "x-signature"},
		{"a signature in upper-case hex passes", defaultPlan(),
			func(r *http.Request) { r.Header.Set("X-Signature", strings.ToUpper(r.Header.Get("X-Signature"))) }, nil, ""},
		{"the custom plan passes untouched", custom, func(*http.Request) {}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRefSigner(tt.plan).request(testBody, ts)
			tt.edit(r)
			err := webhook.Verify(r, []byte(testBody), webhook.WithHMAC(tt.plan), testClock)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var ve *webhook.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.wantHeader, ve.Header)
		})
	}
}

func TestVerifyHMACSeveralSignatures(t *testing.T) {
	plan := vapi.HMACAuthenticationPlan{
		SecretKey:         base64.StdEncoding.EncodeToString([]byte("svix style secret bytes")),
		SecretIsBase64:    vapi.Bool(true),
		Algorithm:         "sha256",
		SignatureHeader:   vapi.String("svix-signature"),
		TimestampHeader:   vapi.String("svix-timestamp"),
		MessageIDHeader:   vapi.String("svix-id"),
		SignaturePrefix:   vapi.String("v1,"),
		SignatureEncoding: "base64",
		PayloadFormat:     vapi.String("{svix-id}.{timestamp}.{body}"),
	}
	ts := seconds(testNow)
	good := newRefSigner(plan).signature(http.MethodPost, testURL, ts, "msg_1", testBody)
	other := newRefSigner(plan)
	other.secret = []byte("the old key")
	old := other.signature(http.MethodPost, testURL, ts, "msg_1", testBody)

	tests := []struct {
		name   string
		header []string
		want   error
	}{
		{"one valid signature passes", []string{good}, nil},
		{"a valid signature after an old one passes", []string{old + " " + good}, nil},
		{"a valid signature before an old one passes", []string{good + " " + old}, nil},
		{"signatures separated by several spaces pass", []string{old + "   " + good}, nil},
		{"a valid signature in a second header line passes", []string{old, good}, nil},
		{"old signatures only fail", []string{old + " " + old}, webhook.ErrInvalidSignature},
		{"a valid signature without its version prefix fails", []string{old + " " + strings.TrimPrefix(good, "v1,")}, webhook.ErrInvalidSignature},
		{"a valid signature under another version fails", []string{"v2," + strings.TrimPrefix(good, "v1,")}, webhook.ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(testBody))
			r.Header["Svix-Signature"] = tt.header
			r.Header.Set("svix-timestamp", ts)
			r.Header.Set("svix-id", "msg_1")
			err := webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}

	t.Run("a prefix with a space in it still passes", func(t *testing.T) {
		p := defaultPlan()
		p.SignaturePrefix = vapi.String("HMAC-SHA256 ")
		r := newRefSigner(p).request(testBody, ts)
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(p), testClock))
	})
	t.Run("an unpadded base64 signature passes", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(testBody))
		r.Header.Set("svix-signature", strings.TrimRight(good, "="))
		r.Header.Set("svix-timestamp", ts)
		r.Header.Set("svix-id", "msg_1")
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock))
	})
}

func TestVerifyHMACURL(t *testing.T) {
	plan := defaultPlan()
	plan.PayloadFormat = vapi.String("{method}\n{url}\n{timestamp}\n{body}")
	ts := seconds(testNow)
	signer := newRefSigner(plan)
	const public = "https://hooks.example.com/vapi/events?tenant=42&x=a%20b"
	sig := signer.signature(http.MethodPost, public, ts, "", testBody)

	tests := []struct {
		name string
		url  string // the URL the request arrives at
		edit func(r *http.Request)
		opts []webhook.Option
		want error
	}{
		{"a request over TLS to the signed URL passes", public, nil, nil, nil},
		{"the same request over plain HTTP fails", "http://hooks.example.com/vapi/events?tenant=42&x=a%20b", nil, nil, webhook.ErrInvalidSignature},
		{"a request to another path fails", "https://hooks.example.com/vapi/other?tenant=42&x=a%20b", nil, nil, webhook.ErrInvalidSignature},
		{"a request with another query fails", "https://hooks.example.com/vapi/events?tenant=43&x=a%20b", nil, nil, webhook.ErrInvalidSignature},
		{"a request to another host fails", "https://evil.example.com/vapi/events?tenant=42&x=a%20b", nil, nil, webhook.ErrInvalidSignature},
		{"the query is signed as sent, not re-encoded", "https://hooks.example.com/vapi/events?tenant=42&x=a+b", nil, nil, webhook.ErrInvalidSignature},
		{"forwarded headers are ignored by default", "http://10.0.0.7:8080/vapi/events?tenant=42&x=a%20b",
			func(r *http.Request) {
				r.Header.Set("X-Forwarded-Proto", "https")
				r.Header.Set("X-Forwarded-Host", "hooks.example.com")
			}, nil, webhook.ErrInvalidSignature},
		{"forwarded headers are used when trusted", "http://10.0.0.7:8080/vapi/events?tenant=42&x=a%20b",
			func(r *http.Request) {
				r.Header.Set("X-Forwarded-Proto", "https, http")
				r.Header.Set("X-Forwarded-Host", "hooks.example.com")
			}, []webhook.Option{webhook.TrustForwardedHeaders()}, nil},
		{"a trusted X-Forwarded-Proto alone sets the scheme", "http://hooks.example.com/vapi/events?tenant=42&x=a%20b",
			func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "HTTPS") }, []webhook.Option{webhook.TrustForwardedHeaders()}, nil},
		{"WithURL gives the signed URL behind a proxy", "http://10.0.0.7:8080/internal", nil, []webhook.Option{webhook.WithURL(public)}, nil},
		{"WithURL with another URL fails", public, nil, []webhook.Option{webhook.WithURL("https://hooks.example.com/")}, webhook.ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tt.url, strings.NewReader(testBody))
			r.Header.Set("X-Signature", sig)
			r.Header.Set("X-Timestamp", ts)
			if tt.edit != nil {
				tt.edit(r)
			}
			opts := append([]webhook.Option{webhook.WithHMAC(plan), testClock}, tt.opts...)
			err := webhook.Verify(r, []byte(testBody), opts...)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}

	t.Run("a URL signed without its root path passes", func(t *testing.T) {
		for _, signed := range []string{"https://hooks.example.com", "https://hooks.example.com/"} {
			r := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/", strings.NewReader(testBody))
			r.Header.Set("X-Signature", signer.signature(http.MethodPost, signed, ts, "", testBody))
			r.Header.Set("X-Timestamp", ts)
			assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock), "signed over %s", signed)
		}
	})
	t.Run("a URL signed without another trailing slash fails", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/vapi/", strings.NewReader(testBody))
		r.Header.Set("X-Signature", signer.signature(http.MethodPost, "https://hooks.example.com/vapi", ts, "", testBody))
		r.Header.Set("X-Timestamp", ts)
		assert.ErrorIs(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock), webhook.ErrInvalidSignature)
	})
	t.Run("a client-side request built with http.NewRequest is signed over its URL", func(t *testing.T) {
		r, err := http.NewRequest(http.MethodPost, public, strings.NewReader(testBody))
		require.NoError(t, err)
		r.Header.Set("X-Signature", sig)
		r.Header.Set("X-Timestamp", ts)
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock, webhook.TrustForwardedHeaders(), webhook.WithURL(public)))
	})
}

func TestVerifySecretAndBearer(t *testing.T) {
	tests := []struct {
		name       string
		header     http.Header
		opts       []webhook.Option
		want       error
		wantMethod string
	}{
		{"the right X-Vapi-Secret passes", http.Header{"X-Vapi-Secret": {"tok-123"}}, []webhook.Option{webhook.WithSecret("tok-123")}, nil, ""},
		{"a wrong X-Vapi-Secret fails", http.Header{"X-Vapi-Secret": {"tok-124"}}, []webhook.Option{webhook.WithSecret("tok-123")}, webhook.ErrInvalidSecret, "secret"},
		{"a longer X-Vapi-Secret fails", http.Header{"X-Vapi-Secret": {"tok-1234"}}, []webhook.Option{webhook.WithSecret("tok-123")}, webhook.ErrInvalidSecret, "secret"},
		{"a missing X-Vapi-Secret fails", http.Header{}, []webhook.Option{webhook.WithSecret("tok-123")}, webhook.ErrMissingHeader, "secret"},
		{"the last WithSecret counts", http.Header{"X-Vapi-Secret": {"new"}}, []webhook.Option{webhook.WithSecret("old"), webhook.WithSecret("new")}, nil, ""},
		{"the right bearer token passes", http.Header{"Authorization": {"Bearer tok-123"}}, []webhook.Option{webhook.WithBearerToken("tok-123")}, nil, ""},
		{"the bearer scheme is matched whatever its case", http.Header{"Authorization": {"bearer tok-123"}}, []webhook.Option{webhook.WithBearerToken("tok-123")}, nil, ""},
		{"a wrong bearer token fails", http.Header{"Authorization": {"Bearer tok-124"}}, []webhook.Option{webhook.WithBearerToken("tok-123")}, webhook.ErrInvalidSecret, "bearer"},
		{"a Basic credential fails", http.Header{"Authorization": {"Basic dG9rLTEyMw=="}}, []webhook.Option{webhook.WithBearerToken("tok-123")}, webhook.ErrInvalidSecret, "bearer"},
		{"a bare token fails", http.Header{"Authorization": {"tok-123"}}, []webhook.Option{webhook.WithBearerToken("tok-123")}, webhook.ErrInvalidSecret, "bearer"},
		{"a missing Authorization fails", http.Header{}, []webhook.Option{webhook.WithBearerToken("tok-123")}, webhook.ErrMissingHeader, "bearer"},
		{"the secret in Authorization does not pass for X-Vapi-Secret", http.Header{"Authorization": {"Bearer tok-123"}}, []webhook.Option{webhook.WithSecret("tok-123")}, webhook.ErrMissingHeader, "secret"},
		{"a secret and a token both right pass", http.Header{"X-Vapi-Secret": {"s"}, "Authorization": {"Bearer b"}},
			[]webhook.Option{webhook.WithSecret("s"), webhook.WithBearerToken("b")}, nil, ""},
		{"a right secret with a wrong token fails", http.Header{"X-Vapi-Secret": {"s"}, "Authorization": {"Bearer x"}},
			[]webhook.Option{webhook.WithSecret("s"), webhook.WithBearerToken("b")}, webhook.ErrInvalidSecret, "bearer"},
		{"a wrong secret with a right token fails", http.Header{"X-Vapi-Secret": {"x"}, "Authorization": {"Bearer b"}},
			[]webhook.Option{webhook.WithSecret("s"), webhook.WithBearerToken("b")}, webhook.ErrInvalidSecret, "secret"},
		{"InsecureSkipVerify does not switch off a configured secret", http.Header{"X-Vapi-Secret": {"x"}},
			[]webhook.Option{webhook.InsecureSkipVerify(), webhook.WithSecret("s")}, webhook.ErrInvalidSecret, "secret"},
		{"InsecureSkipVerify alone accepts anything", http.Header{}, []webhook.Option{webhook.InsecureSkipVerify()}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(testBody))
			r.Header = tt.header
			err := webhook.Verify(r, []byte(testBody), tt.opts...)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var ve *webhook.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.wantMethod, ve.Method)
			for _, secret := range []string{"tok-12", "dG9r"} {
				assert.NotContains(t, err.Error(), secret, "the error never shows a credential")
			}
		})
	}
}

func TestVerifyEveryMethodMustPass(t *testing.T) {
	plan := defaultPlan()
	ts := seconds(testNow)
	opts := []webhook.Option{webhook.WithSecret("s"), webhook.WithBearerToken("b"), webhook.WithHMAC(plan), testClock}
	tests := []struct {
		name string
		edit func(r *http.Request)
		want error
	}{
		{"all three right pass", func(*http.Request) {}, nil},
		{"a wrong secret fails", func(r *http.Request) { r.Header.Set("X-Vapi-Secret", "x") }, webhook.ErrInvalidSecret},
		{"a wrong token fails", func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }, webhook.ErrInvalidSecret},
		{"a wrong signature fails", func(r *http.Request) { r.Header.Set("X-Signature", strings.Repeat("0", 64)) }, webhook.ErrInvalidSignature},
		{"a missing signature fails", func(r *http.Request) { r.Header.Del("X-Signature") }, webhook.ErrMissingHeader},
		{"a missing secret fails", func(r *http.Request) { r.Header.Del("X-Vapi-Secret") }, webhook.ErrMissingHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRefSigner(plan).request(testBody, ts)
			r.Header.Set("X-Vapi-Secret", "s")
			r.Header.Set("Authorization", "Bearer b")
			tt.edit(r)
			err := webhook.Verify(r, []byte(testBody), opts...)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestVerifyConfiguration(t *testing.T) {
	badB64 := defaultPlan()
	badB64.SecretKey = "not*base64!secret"
	badB64.SecretIsBase64 = vapi.Bool(true)
	noKey := defaultPlan()
	noKey.SecretKey = ""
	noAlg := defaultPlan()
	noAlg.Algorithm = ""
	md5 := defaultPlan()
	md5.Algorithm = "md5"
	upper := defaultPlan()
	upper.Algorithm = "SHA256"
	enc := defaultPlan()
	enc.SignatureEncoding = "base32"
	svix := defaultPlan()
	svix.PayloadFormat = vapi.String("{svix-id}.{timestamp}.{body}")

	tests := []struct {
		name string
		opts []webhook.Option
		want error
	}{
		{"no method at all is refused", nil, webhook.ErrNoVerification},
		{"only a tolerance is refused", []webhook.Option{webhook.WithTolerance(time.Minute)}, webhook.ErrNoVerification},
		{"a nil option is ignored", []webhook.Option{nil}, webhook.ErrNoVerification},
		{"an empty secret is refused", []webhook.Option{webhook.WithSecret("")}, webhook.ErrInvalidOption},
		{"an empty bearer token is refused", []webhook.Option{webhook.WithBearerToken("")}, webhook.ErrInvalidOption},
		{"an empty HMAC key is refused", []webhook.Option{webhook.WithHMAC(noKey)}, webhook.ErrInvalidOption},
		{"a plan without algorithm is refused", []webhook.Option{webhook.WithHMAC(noAlg)}, webhook.ErrInvalidOption},
		{"an unknown algorithm is refused", []webhook.Option{webhook.WithHMAC(md5)}, webhook.ErrInvalidOption},
		{"an algorithm in upper case is refused", []webhook.Option{webhook.WithHMAC(upper)}, webhook.ErrInvalidOption},
		{"an unknown encoding is refused", []webhook.Option{webhook.WithHMAC(enc)}, webhook.ErrInvalidOption},
		{"a secret that is not base64 is refused", []webhook.Option{webhook.WithHMAC(badB64)}, webhook.ErrInvalidOption},
		{"{svix-id} without messageIdHeader is refused", []webhook.Option{webhook.WithHMAC(svix)}, webhook.ErrInvalidOption},
		{"a zero tolerance is refused", []webhook.Option{webhook.WithSecret("s"), webhook.WithTolerance(0)}, webhook.ErrInvalidOption},
		{"a negative tolerance is refused", []webhook.Option{webhook.WithSecret("s"), webhook.WithTolerance(-time.Second)}, webhook.ErrInvalidOption},
		{"a zero body limit is refused", []webhook.Option{webhook.WithSecret("s"), webhook.WithMaxBodySize(0)}, webhook.ErrInvalidOption},
		{"an empty URL is refused", []webhook.Option{webhook.WithSecret("s"), webhook.WithURL("")}, webhook.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(testBody))
			err := webhook.Verify(r, []byte(testBody), tt.opts...)
			assert.ErrorIs(t, err, tt.want)
			assert.NotContains(t, err.Error(), "not*base64", "the error never shows the secret")
			assert.NotContains(t, err.Error(), "s3cr3t", "the error never shows the secret")
		})
	}

	t.Run("includeTimestamp false does not need messageIdHeader for an unused format", func(t *testing.T) {
		p := svix
		p.IncludeTimestamp = vapi.Bool(false)
		r := newRefSigner(p).request(testBody, "")
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(p)))
	})
}

func TestVerifyBodySize(t *testing.T) {
	body := strings.Repeat("x", 100)
	r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(body))
	r.Header.Set("X-Vapi-Secret", "s")
	assert.NoError(t, webhook.Verify(r, []byte(body), webhook.WithSecret("s"), webhook.WithMaxBodySize(100)), "a body at the limit passes")
	err := webhook.Verify(r, []byte(body), webhook.WithSecret("s"), webhook.WithMaxBodySize(99))
	assert.True(t, errors.Is(err, webhook.ErrBodyTooLarge), "a body past the limit fails: %v", err)
}

func TestVerifyRefusesPlansThatProtectNothing(t *testing.T) {
	plan := func(format *string, include *bool) vapi.HMACAuthenticationPlan {
		p := defaultPlan()
		p.PayloadFormat, p.IncludeTimestamp = format, include
		return p
	}
	tests := []struct {
		name string
		plan vapi.HMACAuthenticationPlan
		want string // "" when the plan is accepted
	}{
		{"a format without {body} is refused", plan(vapi.String("{timestamp}.{method}"), nil), "no {body}"},
		{"a format without {body} is refused with includeTimestamp false too", plan(vapi.String("{timestamp}"), vapi.Bool(false)), "no {body}"},
		{"a format of literal text only is refused", plan(vapi.String("body"), vapi.Bool(true)), "no {body}"},
		{"a format without {timestamp} is refused when the timestamp is included by default", plan(vapi.String("{method}.{body}"), nil), "no {timestamp}"},
		{"a format without {timestamp} is refused when the timestamp is included", plan(vapi.String("{body}"), vapi.Bool(true)), "no {timestamp}"},
		{"a format without {timestamp} is accepted when no timestamp is checked", plan(vapi.String("{body}"), vapi.Bool(false)), ""},
		{"the default format is accepted", plan(nil, nil), ""},
		{"an empty format means the default and is accepted", plan(vapi.String(""), nil), ""},
		{"a format with both is accepted", plan(vapi.String("{url}|{timestamp}|{body}"), nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRefSigner(tt.plan).request(testBody, seconds(testNow))
			err := webhook.Verify(r, []byte(testBody), webhook.WithHMAC(tt.plan), testClock)
			_, herr := webhook.NewHandler(func(context.Context, vapi.ServerMessage) error { return nil }, webhook.WithHMAC(tt.plan))
			_, rerr := webhook.NewRouter(webhook.WithHMAC(tt.plan))
			if tt.want == "" {
				assert.NoError(t, err)
				assert.NoError(t, herr)
				assert.NoError(t, rerr)
				return
			}
			for _, err := range []error{err, herr, rerr} {
				assert.ErrorIs(t, err, webhook.ErrInvalidOption)
				assert.ErrorContains(t, err, tt.want)
				assert.NotContains(t, err.Error(), "s3cr3t", "the error never shows the secret")
			}
		})
	}
}

func TestVerifyBearerPlans(t *testing.T) {
	tests := []struct {
		name   string
		opt    webhook.Option
		header http.Header
		want   error
		at     string // the header a failure names
	}{
		{"a custom header with the prefix passes", webhook.WithBearer("tok", "X-Api-Key", true), http.Header{"X-Api-Key": {"Bearer tok"}}, nil, ""},
		{"a custom header without the prefix passes with the bare token", webhook.WithBearer("tok", "X-Api-Key", false), http.Header{"X-Api-Key": {"tok"}}, nil, ""},
		{"a custom header without the prefix refuses Bearer tok", webhook.WithBearer("tok", "X-Api-Key", false), http.Header{"X-Api-Key": {"Bearer tok"}}, webhook.ErrInvalidSecret, "X-Api-Key"},
		{"a custom header with the prefix refuses the bare token", webhook.WithBearer("tok", "X-Api-Key", true), http.Header{"X-Api-Key": {"tok"}}, webhook.ErrInvalidSecret, "X-Api-Key"},
		{"the token in Authorization does not pass for a custom header", webhook.WithBearer("tok", "X-Api-Key", true), http.Header{"Authorization": {"Bearer tok"}}, webhook.ErrMissingHeader, "X-Api-Key"},
		{"an empty header name means Authorization", webhook.WithBearer("tok", "", true), http.Header{"Authorization": {"Bearer tok"}}, nil, ""},
		{"Authorization without the prefix takes the bare token", webhook.WithBearer("tok", "Authorization", false), http.Header{"Authorization": {"tok"}}, nil, ""},
		{"a wrong token in a custom header fails", webhook.WithBearer("tok", "X-Api-Key", false), http.Header{"X-Api-Key": {"tok2"}}, webhook.ErrInvalidSecret, "X-Api-Key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(testBody))
			r.Header = tt.header
			err := webhook.Verify(r, []byte(testBody), tt.opt)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var ve *webhook.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "bearer", ve.Method)
			assert.Equal(t, tt.at, ve.Header)
			assert.NotContains(t, err.Error(), "tok", "the error never shows the token")
		})
	}
	t.Run("the last of WithBearerToken and WithBearer counts", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, testURL, nil)
		r.Header.Set("X-Api-Key", "new")
		assert.NoError(t, webhook.Verify(r, nil, webhook.WithBearerToken("old"), webhook.WithBearer("new", "X-Api-Key", false)))
	})
	for _, bad := range []struct {
		name string
		opt  webhook.Option
	}{
		{"an empty token is refused", webhook.WithBearer("", "X-Api-Key", false)},
		{"a header name with a space is refused", webhook.WithBearer("tok", "X Api Key", true)},
		{"a header name with a colon is refused", webhook.WithBearer("tok", "X-Api-Key:", true)},
	} {
		t.Run(bad.name, func(t *testing.T) {
			assert.ErrorIs(t, webhook.Verify(httptest.NewRequest(http.MethodPost, testURL, nil), nil, bad.opt), webhook.ErrInvalidOption)
		})
	}
}

func TestVerifyTrustedForwardedHeadersMustBeWellFormed(t *testing.T) {
	plan := defaultPlan()
	plan.PayloadFormat = vapi.String("{url}|{timestamp}|{body}")
	ts := seconds(testNow)
	tests := []struct {
		name  string
		proto string
		host  string
		ok    bool
	}{
		{"a DNS name passes", "https", "hooks.example.com", true},
		{"a DNS name with a port passes", "https", "hooks.example.com:8443", true},
		{"an IPv4 address with a port passes", "http", "192.0.2.7:8080", true},
		{"a bracketed IPv6 address passes", "https", "[2001:db8::1]", true},
		{"a bracketed IPv6 address with a port passes", "https", "[2001:db8::1]:443", true},
		{"a name with a trailing dot passes", "https", "hooks.example.com.", true},
		{"a host with a path is refused", "https", "hooks.example.com/vapi", false},
		{"a host with a query is refused", "https", "hooks.example.com?x=1", false},
		{"a host with userinfo is refused", "https", "user@hooks.example.com", false},
		{"a host with a space is refused", "https", "hooks example.com", false},
		{"a port of 0 is refused", "https", "hooks.example.com:0", false},
		{"a port past 65535 is refused", "https", "hooks.example.com:65536", false},
		{"an empty port is refused", "https", "hooks.example.com:", false},
		{"a bare IPv6 address is refused", "https", "2001:db8::1", false},
		{"an unclosed bracket is refused", "https", "[2001:db8::1", false},
		{"an empty label is refused", "https", "hooks..example.com", false},
		{"a scheme other than http or https is refused", "javascript", "hooks.example.com", false},
		{"a scheme with a host in it is refused", "https://evil.example.com/#", "hooks.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signedURL := tt.proto + "://" + tt.host + "/vapi"
			r := httptest.NewRequest(http.MethodPost, "http://10.0.0.7:8080/vapi", strings.NewReader(testBody))
			r.Header.Set("X-Signature", newRefSigner(plan).signature(http.MethodPost, signedURL, ts, "", testBody))
			r.Header.Set("X-Timestamp", ts)
			r.Header.Set("X-Forwarded-Proto", tt.proto)
			r.Header.Set("X-Forwarded-Host", tt.host)
			err := webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), webhook.TrustForwardedHeaders(), testClock)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, webhook.ErrInvalidForwardedHeader)
			var ve *webhook.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "forwarded", ve.Method)
		})
	}
	t.Run("a malformed host is ignored when the headers are not trusted", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "http://10.0.0.7:8080/vapi", strings.NewReader(testBody))
		r.Header.Set("X-Signature", newRefSigner(plan).signature(http.MethodPost, "http://10.0.0.7:8080/vapi", ts, "", testBody))
		r.Header.Set("X-Timestamp", ts)
		r.Header.Set("X-Forwarded-Host", "evil/path")
		assert.NoError(t, webhook.Verify(r, []byte(testBody), webhook.WithHMAC(plan), testClock))
	})
}
