package webhook

import (
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
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/govapi/vapi"
)

// Defaults of HMACAuthenticationPlan, as the spec states them.
const (
	defaultSignatureHeader = "x-signature"
	defaultTimestampHeader = "x-timestamp"
	defaultPayloadFormat   = "{timestamp}.{body}"
)

// placeholder is what a part of the payload format stands for.
type placeholder uint8

const (
	literal placeholder = iota
	phBody
	phTimestamp
	phMethod
	phURL
	phMessageID
)

var placeholders = map[string]placeholder{
	"{body}":      phBody,
	"{timestamp}": phTimestamp,
	"{method}":    phMethod,
	"{url}":       phURL,
	"{svix-id}":   phMessageID,
}

// segment is one part of a parsed payload format: literal text, or a
// placeholder.
type segment struct {
	kind placeholder
	text string
}

// hmacVerifier is a checked HMACAuthenticationPlan.
type hmacVerifier struct {
	newHash   func() hash.Hash
	key       []byte
	sigHeader string
	tsHeader  string
	idHeader  string
	prefix    string
	base64    bool
	includeTS bool
	format    []segment // the signed payload; nil means the body alone
	needsID   bool      // the format has {svix-id}
	needsURL  bool      // the format has {url}
}

func newHMACVerifier(p *vapi.HMACAuthenticationPlan) (*hmacVerifier, error) {
	h := &hmacVerifier{
		sigHeader: orDefault(p.SignatureHeader, defaultSignatureHeader),
		tsHeader:  orDefault(p.TimestampHeader, defaultTimestampHeader),
		idHeader:  orDefault(p.MessageIDHeader, ""),
		prefix:    orDefault(p.SignaturePrefix, ""),
		includeTS: p.IncludeTimestamp == nil || *p.IncludeTimestamp,
	}
	switch string(p.Algorithm) {
	case "sha256":
		h.newHash = sha256.New
	case "sha512":
		h.newHash = sha512.New
	case "sha1":
		h.newHash = sha1.New
	case "":
		return nil, errors.New("the plan has no algorithm (sha256, sha512 or sha1)")
	default:
		return nil, fmt.Errorf("unknown algorithm %q (want sha256, sha512 or sha1)", string(p.Algorithm))
	}
	switch string(p.SignatureEncoding) {
	case "", "hex":
	case "base64":
		h.base64 = true
	default:
		return nil, fmt.Errorf("unknown signatureEncoding %q (want hex or base64)", string(p.SignatureEncoding))
	}
	if p.SecretKey == "" {
		return nil, errors.New("the plan's secretKey is empty")
	}
	h.key = []byte(p.SecretKey)
	if p.SecretIsBase64 != nil && *p.SecretIsBase64 {
		key, ok := decodeBase64(p.SecretKey)
		if !ok || len(key) == 0 {
			// Say nothing about the secret itself.
			return nil, errors.New("secretIsBase64 is true but the secretKey is not base64")
		}
		h.key = key
	}
	format := parseFormat(orDefault(p.PayloadFormat, defaultPayloadFormat))
	if !hasPlaceholder(format, phBody) {
		// Checked whatever includeTimestamp says: a plan written this way
		// was not meant to sign the body alone.
		return nil, errors.New("the payloadFormat has no {body}: it would authenticate any body sent with a captured signature")
	}
	if h.includeTS {
		if !hasPlaceholder(format, phTimestamp) {
			return nil, errors.New("includeTimestamp is true (the default) but the payloadFormat has no {timestamp}: the timestamp checked would not be signed, and a captured request could be replayed with a new one")
		}
		h.format = format
		h.needsID = hasPlaceholder(format, phMessageID)
		h.needsURL = hasPlaceholder(format, phURL)
		if h.needsID && h.idHeader == "" {
			return nil, errors.New("the payloadFormat uses {svix-id} but the plan has no messageIdHeader")
		}
	}
	return h, nil
}

// orDefault returns *s, or def when s is nil or empty.
func orDefault(s *string, def string) string {
	if s == nil || *s == "" {
		return def
	}
	return *s
}

// hasPlaceholder reports whether the format has the placeholder kind.
func hasPlaceholder(format []segment, kind placeholder) bool {
	for _, s := range format {
		if s.kind == kind {
			return true
		}
	}
	return false
}

// parseFormat splits a payload format into literal text and placeholders.
func parseFormat(f string) []segment {
	var segs []segment
	lit := 0 // start of the pending literal text
	for i := 0; i < len(f); i++ {
		if f[i] != '{' {
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			break
		}
		kind, ok := placeholders[f[i:i+end+1]]
		if !ok {
			continue
		}
		if lit < i {
			segs = append(segs, segment{kind: literal, text: f[lit:i]})
		}
		segs = append(segs, segment{kind: kind})
		i += end
		lit = i + 1
	}
	if lit < len(f) {
		segs = append(segs, segment{kind: literal, text: f[lit:]})
	}
	return segs
}

// checkHeaders checks what the HMAC method needs from the headers: a
// signature, and, as the plan says, a timestamp within the tolerance and a
// message id. The error names the header concerned and never its value.
func (h *hmacVerifier) checkHeaders(v *verifier, r *http.Request) (headerState, error) {
	fail := func(header string, err error, detail string) (headerState, error) {
		return headerState{}, &VerifyError{Method: "hmac", Header: header, Err: err, detail: detail}
	}
	var st headerState
	st.sigs = r.Header.Values(h.sigHeader)
	if len(st.sigs) == 0 || strings.TrimSpace(strings.Join(st.sigs, "")) == "" {
		return fail(h.sigHeader, ErrMissingHeader, "")
	}
	if h.includeTS {
		st.ts = r.Header.Get(h.tsHeader)
		if st.ts == "" {
			return fail(h.tsHeader, ErrMissingHeader, "")
		}
		at, ok := parseTimestamp(st.ts)
		if !ok {
			return fail(h.tsHeader, ErrInvalidTimestamp, "")
		}
		// The timestamp is not authenticated yet, but a request outside
		// the window fails whatever its signature: it is refused here,
		// before its body is read.
		skew := v.now().Sub(at)
		switch {
		case skew > v.tolerance:
			return fail(h.tsHeader, ErrTimestampOutOfTolerance, skew.Round(time.Second).String()+" in the past")
		case skew < -v.tolerance:
			return fail(h.tsHeader, ErrTimestampOutOfTolerance, (-skew).Round(time.Second).String()+" in the future")
		}
	}
	if h.needsID {
		if st.id = r.Header.Get(h.idHeader); st.id == "" {
			return fail(h.idHeader, ErrMissingHeader, "")
		}
	}
	return st, nil
}

// checkSignature checks the signature found by checkHeaders against the
// payload built from body.
func (h *hmacVerifier) checkSignature(v *verifier, r *http.Request, body []byte, st headerState) error {
	u := ""
	if h.needsURL {
		u = v.requestURL(r)
	}
	ok := h.anyMatches(st.sigs, h.sum(r, body, st.ts, st.id, u))
	if !ok && h.needsURL && v.url == "" {
		// A server URL configured without a path ("https://host") arrives
		// with the path "/"; the sender may have signed it either way.
		if bare, cut := strings.CutSuffix(u, "/"); cut && strings.Count(bare, "/") == 2 {
			ok = h.anyMatches(st.sigs, h.sum(r, body, st.ts, st.id, bare))
		}
	}
	if !ok {
		return &VerifyError{Method: "hmac", Header: h.sigHeader, Err: ErrInvalidSignature}
	}
	return nil
}

// sum returns the MAC of the signed payload.
func (h *hmacVerifier) sum(r *http.Request, body []byte, ts, id, url string) []byte {
	mac := hmac.New(h.newHash, h.key)
	if h.format == nil {
		mac.Write(body)
		return mac.Sum(nil)
	}
	for _, s := range h.format {
		switch s.kind {
		case literal:
			mac.Write([]byte(s.text))
		case phBody:
			mac.Write(body)
		case phTimestamp:
			mac.Write([]byte(ts))
		case phMethod:
			mac.Write([]byte(r.Method))
		case phURL:
			mac.Write([]byte(url))
		case phMessageID:
			mac.Write([]byte(id))
		}
	}
	return mac.Sum(nil)
}

// anyMatches reports whether one of the signatures in the header values
// equals want. A value is one signature, or several separated by spaces;
// each must start with the plan's prefix.
func (h *hmacVerifier) anyMatches(values []string, want []byte) bool {
	match := false
	try := func(s string) {
		rest, ok := strings.CutPrefix(s, h.prefix)
		if !ok {
			return
		}
		var got []byte
		if h.base64 {
			got, ok = decodeBase64(rest)
		} else {
			var err error
			got, err = hex.DecodeString(rest)
			ok = err == nil
		}
		// Keep looking after a match, so that the time taken does not
		// depend on which signature matched.
		if ok && hmac.Equal(got, want) {
			match = true
		}
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		fields := strings.Fields(v)
		if len(fields) <= 1 {
			try(v)
			continue
		}
		// Several signatures, or a prefix with a space in it: try both
		// readings.
		try(v)
		for _, f := range fields {
			try(f)
		}
	}
	return match
}

// decodeBase64 decodes s in the standard or the URL alphabet, with or
// without padding, as lenient senders write it.
func decodeBase64(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// Timestamps at or above this value are milliseconds: as seconds, it would
// be in the year 5138; as milliseconds, it is March 1973.
const millisThreshold = 100_000_000_000

// parseTimestamp reads a Unix time in seconds or milliseconds, digits only.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) == 0 || len(s) > 18 {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	if n >= millisThreshold {
		return time.UnixMilli(n), true
	}
	return time.Unix(n, 0), true
}

// requestURL is the {url} of a payload format: see WithHMAC and WithURL.
func (v *verifier) requestURL(r *http.Request) string {
	if v.url != "" {
		return v.url
	}
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	if rest, ok := cutScheme(target); ok {
		// Absolute form (sent to a proxy, or made by httptest.NewRequest):
		// keep the path and query; the scheme and host come from below.
		target = "/"
		if i := strings.IndexAny(rest, "/?"); i >= 0 {
			target = rest[i:]
			if target[0] == '?' {
				target = "/" + target
			}
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if v.trustForwarded {
		// checkForwarded has vetted both values.
		if p := firstValue(r.Header.Get(forwardedProto)); p != "" {
			scheme = strings.ToLower(p)
		}
		if h := firstValue(r.Header.Get(forwardedHost)); h != "" {
			host = h
		}
	}
	return scheme + "://" + host + target
}

// The headers TrustForwardedHeaders reads.
const (
	forwardedProto = "X-Forwarded-Proto"
	forwardedHost  = "X-Forwarded-Host"
)

// checkForwarded refuses forwarded headers that TrustForwardedHeaders
// would put into a {url}, but that are not a scheme and a host.
func checkForwarded(r *http.Request) error {
	if p := firstValue(r.Header.Get(forwardedProto)); p != "" && !strings.EqualFold(p, "http") && !strings.EqualFold(p, "https") {
		return &VerifyError{Method: "forwarded", Header: forwardedProto, Err: ErrInvalidForwardedHeader, detail: "not http or https"}
	}
	if h := firstValue(r.Header.Get(forwardedHost)); h != "" && !validHostPort(h) {
		return &VerifyError{Method: "forwarded", Header: forwardedHost, Err: ErrInvalidForwardedHeader, detail: "not a host or host:port"}
	}
	return nil
}

// validHostPort reports whether s is a host (a DNS name, an IPv4 address or
// a bracketed IPv6 address) with an optional port from 1 to 65535.
func validHostPort(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		addr, err := netip.ParseAddr(s[1:end])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return false
		}
		rest := s[end+1:]
		if rest != "" {
			var ok bool
			if port, ok = strings.CutPrefix(rest, ":"); !ok {
				return false
			}
			return validPort(port)
		}
		return true
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
		if !validPort(port) {
			return false
		}
	}
	return validDNSName(host)
}

// validPort reports whether s is a decimal port from 1 to 65535.
func validPort(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n >= 1 && n <= 65535
}

// validDNSName reports whether s is a host name or an IPv4 address: labels
// of letters, digits, '-' and '_' separated by dots (one trailing dot
// allowed), at most 253 bytes.
func validDNSName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// cutScheme removes "http://" or "https://" from the start of target.
func cutScheme(target string) (string, bool) {
	if rest, ok := strings.CutPrefix(target, "https://"); ok {
		return rest, true
	}
	return strings.CutPrefix(target, "http://")
}

// firstValue returns the first of a comma-separated list of header values.
func firstValue(s string) string {
	first, _, _ := strings.Cut(s, ",")
	return strings.TrimSpace(first)
}
