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
// [Server.WebhookDeliveries] for when and how. The URL also stands for the
// org's server URL, where the messages of a call go when neither its
// assistant nor its phone number has one (see [Server.SetCallStatus]), and
// every delivery to url carries the secret, whatever sends it.
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
//
// As with [WithWebhookSecret], url also stands for the org's server URL of
// the calls' messages, and every delivery to url is signed with plan.
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
// was delivered. With no targets, lifecycle messages go nowhere; messages
// sent with SendServerMessage and tool calls are still recorded.
type webhooks struct {
	targets []webhookTarget // set by the options, read-only once serving

	clientOnce sync.Once
	client     *http.Client

	mu       sync.Mutex
	nextID   int
	log      []WebhookDelivery // the most recent deliveries, oldest first
	logBytes int               // what they count against MaxRecordedBytes
}

// with returns w with one more target.
func (w *webhooks) with(t webhookTarget) *webhooks {
	w.targets = append(w.targets, t)
	return w
}

// httpClient is the client every delivery uses, made on first use.
func (w *webhooks) httpClient() *http.Client {
	w.clientOnce.Do(func() {
		w.client = &http.Client{
			// One connection per delivery: nothing is left open when the
			// test's servers close.
			Transport: &http.Transport{DisableKeepAlives: true},
			// Vapi does not follow redirects to another server URL.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	})
	return w.client
}

// targetsFor returns the targets configured for url.
func (w *webhooks) targetsFor(url string) []webhookTarget {
	var out []webhookTarget
	for _, t := range w.targets {
		if t.url == url {
			out = append(out, t)
		}
	}
	return out
}

// record keeps d, forgetting the oldest deliveries beyond the bound that
// Requests has too (MaxRecordedRequests, MaxRecordedBytes).
func (w *webhooks) record(d WebhookDelivery) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.log = append(w.log, d)
	w.logBytes += deliverySize(d)
	for len(w.log) > 1 && (len(w.log) > MaxRecordedRequests || w.logBytes > MaxRecordedBytes) {
		w.logBytes -= deliverySize(w.log[0])
		w.log[0] = WebhookDelivery{}
		w.log = w.log[1:]
	}
}

// deliverySize is what a recorded delivery counts against
// MaxRecordedBytes.
func deliverySize(d WebhookDelivery) int {
	n := len(d.Body) + len(d.Response) + len(d.URL)
	for k, vs := range d.Header {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

// webhookTimeout bounds one delivery.
const webhookTimeout = 10 * time.Second

// WebhookDelivery is the record of one message sent to one server URL: a
// lifecycle message of a session, chat or call, a message sent with
// [Server.SendServerMessage], or the tool-calls message of a chat turn
// (see [WithChatReplies]).
type WebhookDelivery struct {
	// URL is where the message was sent.
	URL string
	// Type is the message's type, for example "session.created" or
	// "end-of-call-report".
	Type string
	// Header holds the headers that were sent, signature included.
	Header http.Header
	// Body is the body that was sent, byte for byte.
	Body []byte
	// StatusCode is the status the receiver answered with; 0 when there was
	// no answer.
	StatusCode int
	// Response is the body of the receiver's answer, whatever its status,
	// up to 8 MiB.
	Response []byte
	// Err is nil when the receiver answered with a 2xx status, and says
	// what went wrong otherwise: another status, a network error, a timeout
	// (10 seconds), or a plan the server could not sign with.
	Err error
}

// WebhookDeliveries returns a copy of the record of every delivery made so
// far, in the order they were made, failed ones included: the most recent
// ones, within MaxRecordedRequests deliveries and MaxRecordedBytes of
// bodies, answers and headers, as for [Server.Requests].
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
//
// Messages sent with [Server.SendServerMessage], the tool-calls messages
// of chat turns, and the status-update and end-of-call-report messages of
// calls (see [Server.SetCallStatus]) are recorded here too, whether or not
// their URL has an option.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	w := s.cfg.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.log) == 0 {
		return nil
	}
	out := make([]WebhookDelivery, len(w.log))
	for i, d := range w.log {
		d.Header = d.Header.Clone()
		d.Body = bytes.Clone(d.Body)
		d.Response = bytes.Clone(d.Response)
		out[i] = d
	}
	return out
}

// webhookMessage is a lifecycle message waiting for delivery.
type webhookMessage struct {
	typ  string
	body []byte
	// url, when set, is the one URL the message goes to (a call's server
	// URL), authenticated as that URL's options say, as SendServerMessage
	// sends; when empty, the message goes to every configured target.
	url string
}

// lifecycleMessage builds the message of type typ (for example
// "session.created" or "chat.deleted") whose member (for example "session"
// or "chat") is obj, the JSON of the resource as served, at the server's
// time now. It returns nil when the server has no webhook URL, so callers
// can attach its result to a response unconditionally; [Server.deliver]
// sends it.
func (s *Server) lifecycleMessage(typ, member string, obj []byte, now time.Time) []webhookMessage {
	if len(s.cfg.webhooks.targets) == 0 {
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
	ctx = context.WithoutCancel(ctx)
	for _, m := range msgs {
		if m.url != "" {
			w.send(ctx, m.url, w.targetsFor(m.url), m)
			continue
		}
		for _, t := range w.targets {
			w.send(ctx, t.url, []webhookTarget{t}, m)
		}
	}
}

// maxAnswer bounds the answer of a receiver that is read and recorded.
const maxAnswer = 8 << 20

// send delivers one message to url, authenticated as each of targets says
// (unsigned when there is none), within ctx and the delivery timeout,
// records the delivery, and returns it.
func (w *webhooks) send(ctx context.Context, url string, targets []webhookTarget, m webhookMessage) WebhookDelivery {
	d := WebhookDelivery{URL: url, Type: m.typ, Body: m.body}
	defer func() { w.record(d) }()
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(m.body))
	if err != nil {
		d.Err = fmt.Errorf("vapitest: webhook: %w", err)
		return d
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "vapitest")
	for _, t := range targets {
		switch {
		case t.hmac != nil:
			w.mu.Lock()
			w.nextID++
			id := "msg_" + strconv.Itoa(w.nextID)
			w.mu.Unlock()
			if err := signHMAC(req, m.body, *t.hmac, time.Now(), id); err != nil {
				d.Err = fmt.Errorf("vapitest: webhook: signing for %s: %w", url, err)
				return d
			}
		default:
			req.Header.Set("X-Vapi-Secret", t.secret)
		}
	}
	d.Header = req.Header.Clone()
	resp, err := w.httpClient().Do(req)
	if err != nil {
		d.Err = fmt.Errorf("vapitest: webhook: %w", err)
		return d
	}
	defer resp.Body.Close()
	d.StatusCode = resp.StatusCode
	d.Response, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case err != nil:
		d.Err = fmt.Errorf("vapitest: webhook: reading the answer of %s: %w", url, err)
	case len(d.Response) > maxAnswer:
		d.Response = d.Response[:maxAnswer]
		d.Err = fmt.Errorf("vapitest: webhook: the answer of %s is larger than %d bytes", url, maxAnswer)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		d.Err = fmt.Errorf("vapitest: webhook: %s answered %s", url, resp.Status)
	}
	return d
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
		var ok bool
		if key, ok = decodeSecret(plan.SecretKey); !ok {
			return errors.New("secretIsBase64 is true but the secretKey is not base64")
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

// decodeSecret decodes a base64 secret key in every form package webhook
// accepts: the standard or the URL alphabet, with or without padding.
func decodeSecret(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}
