package vapitest

import (
	"bytes"
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
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govapi/vapi"
)

// WithWebhookSecret makes the server deliver the lifecycle messages of the
// sessions it serves (session.created, session.updated, session.deleted) to
// url, as Vapi does to a server URL configured with a secret: a POST of
// {"message": {...}} with the header "X-Vapi-Secret: <secret>". See
// [Server.WebhookDeliveries] for when and how.
func WithWebhookSecret(url, secret string) Option {
	return func(c *config) {
		c.webhooks = c.webhooks.with(webhookTarget{url: url, secret: secret})
	}
}

// WithWebhookHMAC makes the server deliver the lifecycle messages of the
// sessions it serves to url, signed as Vapi signs them with plan, the
// HMACAuthenticationPlan of a server URL's credential: every member of the
// plan is honoured (algorithm, secretKey and secretIsBase64,
// signatureHeader, signaturePrefix, signatureEncoding, includeTimestamp,
// timestampHeader, payloadFormat and messageIdHeader). A handler made with
// webhook.NewHandler(fn, webhook.WithHMAC(plan)) accepts them.
//
// The timestamp header holds the real time of delivery in milliseconds
// since the Unix epoch, whatever [WithClock] says, so that the receiver's
// replay window accepts it; the message's own "timestamp" member follows
// the server's clock. A plan whose payloadFormat uses {svix-id} gets a new
// message id, "msg_<n>", in its messageIdHeader for every delivery. {url}
// is url, with "/" for an empty path, as the request carries it.
func WithWebhookHMAC(url string, plan vapi.HMACAuthenticationPlan) Option {
	p := plan
	return func(c *config) {
		c.webhooks = c.webhooks.with(webhookTarget{url: url, hmac: &p})
	}
}

// webhookTarget is one URL the server delivers to, and how it
// authenticates to it: the X-Vapi-Secret header, or an HMAC plan.
type webhookTarget struct {
	url    string
	secret string
	hmac   *vapi.HMACAuthenticationPlan
}

// webhooks is the delivery state of one server: where to deliver and what
// was delivered. A nil *webhooks delivers nothing.
type webhooks struct {
	targets []webhookTarget
	client  *http.Client

	mu     sync.Mutex
	nextID int
	log    []WebhookDelivery
}

// with returns w (or a new state when w is nil) with one more target.
func (w *webhooks) with(t webhookTarget) *webhooks {
	if w == nil {
		w = &webhooks{client: &http.Client{
			// One connection per delivery: nothing is left open when the
			// test's servers close.
			Transport: &http.Transport{DisableKeepAlives: true},
			// Vapi does not follow redirects to another server URL.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
	}
	w.targets = append(w.targets, t)
	return w
}

// webhookTimeout bounds one delivery.
const webhookTimeout = 10 * time.Second

// WebhookDelivery is the record of one lifecycle message sent to one
// webhook URL.
type WebhookDelivery struct {
	// URL is where the message was sent.
	URL string
	// Type is the message's type, for example "session.created".
	Type string
	// Header holds the headers that were sent, signature included.
	Header http.Header
	// Body is the body that was sent, byte for byte.
	Body []byte
	// StatusCode is the status the receiver answered with; 0 when there was
	// no answer.
	StatusCode int
	// Err is nil when the receiver answered with a 2xx status, and says
	// what went wrong otherwise: another status, a network error, a timeout
	// (10 seconds), or a plan the server could not sign with.
	Err error
}

// WebhookDeliveries returns a copy of the record of every delivery made so
// far, in the order they were made, failed ones included.
//
// With [WithWebhookSecret] or [WithWebhookHMAC], every request that
// creates, updates or deletes a session delivers the matching message
// (session.created, session.updated or session.deleted) to each configured
// URL, one after the other, before the server answers the request:
//
//	{"message":{"type":"session.created","timestamp":<ms>,"session":{...}}}
//
// where session is the Session exactly as the response serves it. So do
// chat turns (chat.created, with the Chat as a "chat" member, delivered
// before a streamed answer starts) and chat deletions (chat.deleted). A
// delivery that fails never fails the request: the server answers as it
// would have, and the failure is recorded here (Err and StatusCode) for
// the test to check. Requests that fail validation, or are failed on
// purpose with [Server.Fail], deliver nothing.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	w := s.cfg.webhooks
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]WebhookDelivery, len(w.log))
	for i, d := range w.log {
		d.Header = d.Header.Clone()
		d.Body = bytes.Clone(d.Body)
		out[i] = d
	}
	return out
}

// webhookMessage is a lifecycle message waiting for delivery.
type webhookMessage struct {
	typ  string
	body []byte
}

// lifecycleMessage builds the message of type typ (for example
// "session.created" or "chat.deleted") whose member (for example "session"
// or "chat") is obj, the JSON of the resource as served, at the server's
// time now. It returns nil when the server has no webhook URL, so callers
// can attach its result to a response unconditionally; [Server.deliver]
// sends it.
func (s *Server) lifecycleMessage(typ, member string, obj []byte, now time.Time) []webhookMessage {
	if s.cfg.webhooks == nil {
		return nil
	}
	var b bytes.Buffer
	b.Grow(len(obj) + len(typ) + len(member) + 64)
	b.WriteString(`{"message":{"type":`)
	b.WriteString(strconv.Quote(typ))
	b.WriteString(`,"timestamp":`)
	b.WriteString(strconv.FormatInt(now.UnixMilli(), 10))
	b.WriteString(`,`)
	b.WriteString(strconv.Quote(member))
	b.WriteString(`:`)
	b.Write(obj)
	b.WriteString(`}}`)
	return []webhookMessage{{typ: typ, body: b.Bytes()}}
}

// deliver sends msgs to every webhook URL, in order, and records the
// outcome. It must be called without s.mu held, so that a receiver may call
// the server back. ctx is the context of the request that caused the
// messages; its cancellation does not stop the delivery, which has its own
// timeout.
func (s *Server) deliver(ctx context.Context, msgs []webhookMessage) {
	w := s.cfg.webhooks
	if w == nil || len(msgs) == 0 {
		return
	}
	for _, m := range msgs {
		for _, t := range w.targets {
			w.send(ctx, t, m)
		}
	}
}

// send delivers one message to one target and records it.
func (w *webhooks) send(ctx context.Context, t webhookTarget, m webhookMessage) {
	d := WebhookDelivery{URL: t.url, Type: m.typ, Body: m.body}
	defer func() {
		w.mu.Lock()
		w.log = append(w.log, d)
		w.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(m.body))
	if err != nil {
		d.Err = fmt.Errorf("vapitest: webhook: %w", err)
		return
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "vapitest")
	switch {
	case t.hmac != nil:
		w.mu.Lock()
		w.nextID++
		id := "msg_" + strconv.Itoa(w.nextID)
		w.mu.Unlock()
		if err := signHMAC(req, m.body, *t.hmac, time.Now(), id); err != nil {
			d.Err = fmt.Errorf("vapitest: webhook: signing for %s: %w", t.url, err)
			return
		}
	default:
		req.Header.Set("X-Vapi-Secret", t.secret)
	}
	d.Header = req.Header.Clone()
	resp, err := w.client.Do(req)
	if err != nil {
		d.Err = fmt.Errorf("vapitest: webhook: %w", err)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	d.StatusCode = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		d.Err = fmt.Errorf("vapitest: webhook: %s answered %s", t.url, resp.Status)
	}
}

// signHMAC sets the signature, timestamp and message id headers of req as
// Vapi does for plan, at time now.
func signHMAC(req *http.Request, body []byte, plan vapi.HMACAuthenticationPlan, now time.Time, id string) error {
	var newHash func() hash.Hash
	switch string(plan.Algorithm) {
	case "sha256":
		newHash = sha256.New
	case "sha512":
		newHash = sha512.New
	case "sha1":
		newHash = sha1.New
	default:
		return fmt.Errorf("unknown algorithm %q", string(plan.Algorithm))
	}
	key := []byte(plan.SecretKey)
	if plan.SecretIsBase64 != nil && *plan.SecretIsBase64 {
		var err error
		if key, err = base64.StdEncoding.DecodeString(plan.SecretKey); err != nil {
			if key, err = base64.RawStdEncoding.DecodeString(plan.SecretKey); err != nil {
				return errors.New("secretIsBase64 is true but the secretKey is not base64")
			}
		}
	}
	get := func(p *string, def string) string {
		if p == nil || *p == "" {
			return def
		}
		return *p
	}

	payload := string(body)
	if plan.IncludeTimestamp == nil || *plan.IncludeTimestamp {
		ts := strconv.FormatInt(now.UnixMilli(), 10)
		req.Header.Set(get(plan.TimestampHeader, "x-timestamp"), ts)
		payload = strings.NewReplacer(
			"{body}", string(body),
			"{timestamp}", ts,
			"{method}", req.Method,
			"{url}", signedURL(req.URL),
			"{svix-id}", id,
		).Replace(get(plan.PayloadFormat, "{timestamp}.{body}"))
	}
	if h := get(plan.MessageIDHeader, ""); h != "" {
		req.Header.Set(h, id)
	}

	mac := hmac.New(newHash, key)
	mac.Write([]byte(payload))
	sum := mac.Sum(nil)
	var sig string
	switch string(plan.SignatureEncoding) {
	case "", "hex":
		sig = hex.EncodeToString(sum)
	case "base64":
		sig = base64.StdEncoding.EncodeToString(sum)
	default:
		return fmt.Errorf("unknown signatureEncoding %q", string(plan.SignatureEncoding))
	}
	req.Header.Set(get(plan.SignatureHeader, "x-signature"), get(plan.SignaturePrefix, "")+sig)
	return nil
}

// signedURL is the URL as the request will carry it: scheme, host, and the
// path ("/" when empty) and query as sent.
func signedURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + u.RequestURI()
}
