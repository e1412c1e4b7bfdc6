package vapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/govapi/vapi/internal/jsonwire"
	"github.com/govapi/vapi/internal/sse"
)

// This file holds the two streams of the Chats API: ChatStream (POST /chat
// with "stream": true) and ResponseStream (POST /chat/responses), over one
// reader of Server-Sent Events, eventStream, which owns the response body,
// the idle timer and the end-of-stream rules they share.

// ChatStream is one streamed chat: the reply as it is generated, one delta
// at a time. Read it like a bufio.Scanner:
//
//	stream, err := client.Chats.Stream(ctx, req)
//	if err != nil {
//		return err // the request failed: *APIError, *ValidationError, …
//	}
//	defer stream.Close()
//	for stream.Next() {
//		fmt.Print(stream.Event().Delta)
//	}
//	if err := stream.Err(); err != nil {
//		return err // the stream broke off
//	}
//	fmt.Println("\nchat", stream.ChatID(), "said", stream.Text())
//
// The stream ends cleanly at "data: [DONE]", at once (Next does not wait
// for the server to close the connection), or at the end of a body that
// carried at least one event; a 2xx body that ends with no event and no
// [DONE] is an error matching [ErrUnexpectedResponse]. Comments and events
// with empty data (keep-alives) are skipped, and so are events of a type
// other than the default "message" and "error". It ends with an error
// (from Err) when an event's data is not a JSON object, when an event is
// larger than 1 MiB, when the server sends an event of type "error", when
// the connection breaks before the end, when the context ends, or when no
// event that Next returns comes within [WithStreamIdleTimeout]: what the
// stream skips meanwhile does not restart that wait. Nothing is retried
// once the body has started.
//
// Errors, and the stream printed with any verb, never show the API key or
// the values of [WithHeader] headers; the events are the server's data,
// exactly as sent.
//
// A ChatStream is not safe for concurrent use, except Close, which may be
// called from another goroutine to stop a Next that is waiting.
type ChatStream struct {
	es     *eventStream // behind a pointer: a ChatStream copies without its locks
	event  *ChatStreamEvent
	prev   *ChatStreamEvent // the last event decoded, whose strings the next may share
	text   strings.Builder
	chatID string
}

// Next moves to the next event and reports whether there is one: false at
// the end of the stream, after an error (see Err), and after Close.
func (s *ChatStream) Next() bool {
	s.event = nil
	for {
		data, ok := s.es.next()
		if !ok {
			return false
		}
		if s.es.json != nil {
			s.es.seen()
			s.setEvent(s.es.fallbackChatEvent())
			return true
		}
		if s.es.typ == "error" {
			s.es.fail(s.es.eventError(data))
			return false
		}
		if s.es.typ != "message" {
			// An event type this SDK does not know: skipped. The idle
			// timer keeps running: it bounds the wait for an event the
			// caller sees.
			continue
		}
		box := new(chatEventBox)
		if !box.decodeFast(data, s.prev) {
			box = new(chatEventBox)
			if err := s.es.decodeEvent(data, box.ev.decode); err != nil {
				s.es.fail(err)
				return false
			}
		}
		s.es.seen()
		s.prev = &box.ev
		s.setEvent(&box.ev)
		return true
	}
}

func (s *ChatStream) setEvent(ev *ChatStreamEvent) {
	s.event = ev
	s.text.WriteString(ev.Delta)
	if ev.ID != "" {
		s.chatID = ev.ID
	}
}

// Event returns the event that the last call to Next moved to, or nil when
// Next returned false. Each event is a new value: it stays valid after
// later calls.
func (s *ChatStream) Event() *ChatStreamEvent { return s.event }

// Text returns the deltas received so far, joined: after a clean end, the
// whole reply.
func (s *ChatStream) Text() string { return s.text.String() }

// ChatID returns the chat id that the stream's events carry (the last one
// seen that was not empty), or "" before the first event. Once the stream
// has ended cleanly, it can be sent as previousChatId to continue the
// conversation, and passed to Get.
func (s *ChatStream) ChatID() string { return s.chatID }

// Err returns the error that ended the stream, or nil after a clean end or
// while the stream is still going. A stream stopped by Close has no error
// unless it had one before.
func (s *ChatStream) Err() error { return s.es.err }

// Close ends the request and releases its connection. It is safe to call
// more than once, and from another goroutine while Next waits; once the
// stream has ended by itself, the connection is already released and Close
// does nothing.
func (s *ChatStream) Close() error { return s.es.close() }

// Format prints the stream, with any verb, as
// vapi.ChatStream{POST /chat, ChatID: "…", Events: n, Err: …}: never the
// API key or the extra headers of the request.
func (s ChatStream) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.GoString()) }

// GoString returns what Format prints.
func (s ChatStream) GoString() string {
	return fmt.Sprintf("vapi.ChatStream{%s, ChatID: %q, Events: %d, Err: %s}", s.es.call(), s.chatID, s.es.count(), s.es.errText())
}

// ResponseStream is one streamed reply of the OpenAI-compatible endpoint,
// POST /chat/responses: events in the format of OpenAI's Responses API.
// It is read like a [ChatStream]:
//
//	for stream.Next() {
//		switch ev := stream.Event().(type) {
//		case *vapi.ResponseTextDeltaEvent:
//			fmt.Print(ev.Delta)
//		case *vapi.ResponseCompletedEvent:
//			fmt.Println("\nresponse", ev.Response.ID, "completed")
//		}
//	}
//
// A [ResponseErrorEvent] ends the stream with an error from Err, whose text
// holds the event's code and message, capped at 512 bytes and cleared of
// the API key and of control characters; Event then returns that event, so
// its code and message can be read as the server sent them. So does an event
// named "error" on its event: line, whatever its data. Event types this SDK
// does not know come as [UnknownResponseStreamEvent]. The stream ends like
// a ChatStream otherwise.
//
// A ResponseStream is not safe for concurrent use, except Close.
type ResponseStream struct {
	es    *eventStream
	event ResponseStreamEvent
	text  strings.Builder
}

// Next moves to the next event and reports whether there is one: false at
// the end of the stream, after an error (see Err), and after Close.
func (s *ResponseStream) Next() bool {
	s.event = nil
	data, ok := s.es.next()
	if !ok {
		return false
	}
	if s.es.json != nil {
		s.es.seen()
		s.event = s.es.fallbackResponseEvent()
		return true
	}
	s.es.seen() // whatever it holds, the caller sees this event
	var ev ResponseStreamEvent
	err := s.es.decodeEvent(data, func(d *jsonwire.Decoder) { ev = decodeResponseStreamEvent(d) })
	if err != nil {
		s.es.fail(err)
		return false
	}
	s.event = ev
	switch ev := ev.(type) {
	case *ResponseTextDeltaEvent:
		s.text.WriteString(ev.Delta)
	case *UnknownResponseStreamEvent:
		if s.es.typ == "error" {
			// An error event in a form other than ResponseErrorEvent.
			s.es.fail(s.es.eventError(data))
			return false
		}
	case *ResponseErrorEvent:
		s.es.fail(s.es.errorf("the stream reported an error: %s: %s", s.es.serverText(ev.Code), s.es.serverText(ev.Message)))
		return false
	}
	return true
}

// Event returns the event that the last call to Next moved to; after Next
// returned false because of a [ResponseErrorEvent], that event; otherwise
// nil. Each event is a new value: it stays valid after later calls.
func (s *ResponseStream) Event() ResponseStreamEvent { return s.event }

// Text returns the text deltas (response.output_text.delta) received so
// far, joined.
func (s *ResponseStream) Text() string { return s.text.String() }

// Err returns the error that ended the stream, or nil after a clean end or
// while the stream is still going.
func (s *ResponseStream) Err() error { return s.es.err }

// Close ends the request and releases its connection. It is safe to call
// more than once, and from another goroutine while Next waits.
func (s *ResponseStream) Close() error { return s.es.close() }

// Format prints the stream, with any verb, as
// vapi.ResponseStream{POST /chat/responses, Events: n, Err: …}: never the
// API key or the extra headers of the request.
func (s ResponseStream) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.GoString()) }

// GoString returns what Format prints.
func (s ResponseStream) GoString() string {
	return fmt.Sprintf("vapi.ResponseStream{%s, Events: %d, Err: %s}", s.es.call(), s.es.count(), s.es.errText())
}

// eventStream reads the events of a streamed response. It owns the body:
// it closes it at the end of the stream, on error, and on close.
type eventStream struct {
	cl   *call
	ctx  context.Context
	resp *http.Response
	body io.ReadCloser
	dec  *sse.Decoder

	// json is the body of a stream request that the server answered with
	// application/json instead of events: the stream yields it as one
	// event, decoded by the stream's type, then ends.
	json any

	typ    string // the type of the event next returned
	err    error
	end    bool // no more events: the stream ended, failed or was closed
	events int  // how many events the caller has seen

	idle     time.Duration
	timer    *time.Timer // closes the body when the wait for an event exceeds idle
	armed    bool        // whether timer runs: a wait for an event is under way
	timedOut atomic.Bool
	stopCtx  func() bool // unregisters the close on the context's end

	// drained is closed once the read of what follows [DONE], which
	// runs in the background, is over.
	drained atomic.Pointer[chan struct{}]

	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
}

// call names the call of the stream, for printing.
func (es *eventStream) call() string {
	if es == nil || es.cl == nil {
		return "no call"
	}
	return es.cl.method + " " + es.cl.path
}

// count returns how many events the caller has seen, for printing.
func (es *eventStream) count() int {
	if es == nil {
		return 0
	}
	return es.events
}

// errText returns the stream's error, quoted, or <nil>, for printing. The
// error is already cleared of the key.
func (es *eventStream) errText() string {
	if es == nil || es.err == nil {
		return "<nil>"
	}
	return strconv.Quote(es.err.Error())
}

// Parts of a stream.
const (
	// doneData is the data of the event that ends a stream.
	doneData = "[DONE]"
	// chatOutputPath is the path of a ChatStreamEvent made from a whole
	// Chat: its first output message.
	chatOutputPath = "chat.output[0].content"
	// maxDoneDrain is how much of the body the stream reads after [DONE],
	// in the background, so that the connection can be reused.
	maxDoneDrain = 4 << 10
	// maxDoneWait bounds that read; after it the connection is closed.
	maxDoneWait = time.Second
	// doneGrace is how long Next waits at [DONE] for that read to end, so
	// that a server that ends its body right after [DONE] (the usual
	// case) hands its connection back before Next returns, and the
	// caller's next call reuses it. A server that keeps the connection
	// open costs the caller no more than this.
	doneGrace = 2 * time.Millisecond
)

// start starts reading resp, the 2xx answer to cl, as a stream of events
// bounded by ctx. The body is Server-Sent Events unless the content type
// says JSON; out is then the value to decode that JSON into (a *Chat or a
// *ResponseObject), whose decoding is left to the first Next so that the
// call returns once the headers are in. Another content type is an
// unexpected response, and closes the body.
func (es *eventStream) start(ctx context.Context, cl *call, resp *http.Response, out any) error {
	es.cl, es.ctx, es.resp, es.body, es.idle = cl, ctx, resp, resp.Body, cl.streamIdleTimeout
	switch mediaType(resp.Header.Get("Content-Type")) {
	case "text/event-stream", "":
		es.dec = sse.NewDecoder(resp.Body, sse.DefaultMaxEventSize)
	case "application/json":
		es.json = out
	default:
		_ = resp.Body.Close()
		return &unexpectedResponseError{
			method:      cl.method,
			path:        cl.path,
			status:      resp.StatusCode,
			contentType: cl.cleanText(resp.Header.Get("Content-Type")),
			err:         errors.New("a stream was asked for, and the body is neither text/event-stream nor JSON"),
		}
	}
	body := resp.Body
	es.stopCtx = context.AfterFunc(ctx, func() { _ = body.Close() })
	if es.idle > 0 {
		es.timer = time.AfterFunc(time.Hour, func() {
			es.timedOut.Store(true)
			_ = body.Close()
		})
		es.timer.Stop()
	}
	return nil
}

// mediaType returns the media type of a Content-Type header, lower-cased;
// "application/json" for any JSON type (application/problem+json).
func mediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		return "application/json"
	}
	return mt
}

// next returns the data of the next event, or false when the stream is
// over. The data is only valid until the next call. The idle timer runs
// from the first call after an event the caller saw (see seen) until the
// next one: events the stream skips do not restart it.
func (es *eventStream) next() ([]byte, bool) {
	if es.end {
		return nil, false
	}
	if es.closed.Load() {
		es.finish()
		return nil, false
	}
	es.arm()
	if es.json != nil {
		err := es.cl.decode(es.ctx, es.resp, es.json)
		es.disarm()
		if err != nil {
			if why := es.interrupted(); why != nil || es.closed.Load() {
				err = why
			}
			es.fail(err)
			return nil, false
		}
		es.finish() // decode read and closed the body; the event is the last
		return nil, true
	}
	for {
		ev, err := es.dec.Next()
		switch {
		case err == io.EOF:
			es.disarm()
			if es.events == 0 {
				// A 2xx that carried nothing is not an empty reply:
				// the server (or a proxy) cut the stream short.
				es.fail(es.unexpected(errors.New("the stream ended without any event and without [DONE]")))
				return nil, false
			}
			es.finish()
			return nil, false
		case errors.Is(err, sse.ErrEventTooLarge):
			es.disarm()
			es.fail(es.unexpected(fmt.Errorf("an event is larger than %d bytes", sse.DefaultMaxEventSize)))
			return nil, false
		case err != nil:
			es.disarm()
			es.fail(es.readError(err))
			return nil, false
		}
		data := bytes.TrimSpace(ev.Data)
		switch {
		case string(data) == doneData:
			es.disarm()
			es.endAtDone()
			return nil, false
		case len(data) == 0:
			// An event with empty data ("data:" alone) carries nothing;
			// some servers send one to keep the connection open. The
			// idle timer keeps running: it bounds the wait for an event
			// that does carry something.
			continue
		}
		es.typ = ev.Type
		return data, true
	}
}

// seen records that the caller sees the event next returned: the wait for
// it is over.
func (es *eventStream) seen() {
	es.disarm()
	es.events++
}

// unexpected returns the error for a 2xx stream that is not what it should
// be, for the reason err.
func (es *eventStream) unexpected(err error) error {
	return &unexpectedResponseError{
		method:      es.cl.method,
		path:        es.cl.path,
		status:      es.resp.StatusCode,
		contentType: es.cl.cleanText(es.resp.Header.Get("Content-Type")),
		err:         err,
	}
}

// arm starts the idle timer for a wait, unless it runs already.
func (es *eventStream) arm() {
	if es.timer != nil && es.idle > 0 && !es.armed {
		es.timer.Reset(es.idle)
		es.armed = true
	}
}

// disarm stops the idle timer once the wait is over.
func (es *eventStream) disarm() {
	if es.timer != nil && es.armed {
		es.timer.Stop()
		es.armed = false
	}
}

// endAtDone ends the stream at [DONE]. What is left of the body (at most
// maxDoneDrain bytes, usually nothing but the end of a chunked body) is
// read in the background, within maxDoneWait, so that the transport can
// reuse the connection; Next waits for that read no longer than
// doneGrace, so a server that keeps the connection open does not hold the
// caller. Close stops the read at once.
func (es *eventStream) endAtDone() {
	es.end = true
	wait := maxDoneWait
	if es.idle > 0 {
		wait = min(wait, es.idle)
	}
	done := make(chan struct{})
	es.drained.Store(&done)
	body := es.body
	go func() {
		defer close(done)
		t := time.AfterFunc(wait, es.release)
		_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDoneDrain))
		t.Stop()
		es.release()
	}()
	grace := time.NewTimer(doneGrace)
	select {
	case <-done:
	case <-grace.C:
	}
	grace.Stop()
}

// interrupted returns why a read of the body was cut short on this side:
// the context's end or the idle timeout; nil otherwise (also for a Close).
func (es *eventStream) interrupted() error {
	switch {
	case es.ctx.Err() != nil:
		return es.errorf("stream: %w", es.ctx.Err())
	case es.timedOut.Load():
		return es.errorf("stream: no event for %v (WithStreamIdleTimeout): %w", es.idle, os.ErrDeadlineExceeded)
	}
	return nil
}

// readError words a failed read of the event stream: cut short on this
// side (see interrupted), stopped by Close (nil), or a connection that broke
// before the end of the body.
func (es *eventStream) readError(err error) error {
	if why := es.interrupted(); why != nil {
		return why
	}
	if es.closed.Load() {
		return nil
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return es.errorf("stream broke off before its end: %w", newCleanError(err, es.cl.leaks, es.cl.redact))
}

// errorf returns an error naming the call.
func (es *eventStream) errorf(format string, args ...any) error {
	return es.cl.errorf(format, args...)
}

// decodeEvent decodes the data of an event, which must be one JSON object,
// with decode.
func (es *eventStream) decodeEvent(data []byte, decode func(*jsonwire.Decoder)) error {
	var err error
	if !isJSONObject(data) {
		err = errors.New("an event's data is not a JSON object")
	} else {
		d := jsonwire.NewDecoder(data)
		decode(&d)
		err = d.End()
	}
	if err == nil {
		return nil
	}
	truncated := len(data) > maxSnippet
	return &unexpectedResponseError{
		method:      es.cl.method,
		path:        es.cl.path,
		status:      es.resp.StatusCode,
		contentType: es.cl.cleanText(es.resp.Header.Get("Content-Type")),
		start:       bytes.Clone(es.cl.capRedacted(data, truncated, maxSnippet)),
		truncated:   truncated,
		err:         newCleanError(err, es.cl.leaks, es.cl.redact),
	}
}

// maxEventMessage caps the text of an error event that goes into Err.
const maxEventMessage = 512

// eventError is the error of an event of type "error": its data, cleaned
// and capped, is the message.
func (es *eventStream) eventError(data []byte) error {
	return es.errorf("the stream reported an error: %s", es.serverText(string(data)))
}

// serverText makes text from the stream fit for an error: the key removed
// (in any spelling, also a start of it where the cap cuts), capped at
// maxEventMessage bytes on a character boundary with "…" when cut, control
// characters escaped.
func (es *eventStream) serverText(s string) string {
	cut := len(s) > maxEventMessage
	if cut {
		// Keep a window past the cap, so that a key that starts before
		// it is found whole.
		s = s[:min(len(s), maxEventMessage+spelledLen(es.cl.apiKey()))]
	}
	b := es.cl.capRedacted([]byte(s), cut, maxEventMessage)
	if cut {
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1] // a character the cap cut in two
		}
		return escapeControl(string(b)) + "…"
	}
	return escapeControl(string(b))
}

// fallbackChatEvent is the one event of a chat stream answered with a whole
// Chat.
func (es *eventStream) fallbackChatEvent() *ChatStreamEvent {
	chat := es.json.(*Chat)
	return &ChatStreamEvent{ID: chat.ID, SessionID: chat.SessionID, Path: chatOutputPath, Delta: chat.OutputText()}
}

// fallbackResponseEvent is the one event of a response stream answered
// with a whole ResponseObject.
func (es *eventStream) fallbackResponseEvent() ResponseStreamEvent {
	return &ResponseCompletedEvent{Response: *es.json.(*ResponseObject)}
}

// fail ends the stream with err (nil when it was closed on purpose).
func (es *eventStream) fail(err error) {
	if es.err == nil {
		es.err = err
	}
	es.finish()
}

// finish ends the stream and releases what it holds.
func (es *eventStream) finish() {
	es.end = true
	es.release()
}

// close ends the stream on the caller's request. After [DONE], it stops
// the read of what follows and waits for it to end, which closing the body
// makes quick.
func (es *eventStream) close() error {
	es.closed.Store(true)
	es.release()
	if done := es.drained.Load(); done != nil {
		<-*done
	}
	return es.closeErr
}

// release closes the body and stops the timers, once.
func (es *eventStream) release() {
	es.closeOnce.Do(func() {
		if es.timer != nil {
			es.timer.Stop()
		}
		if es.stopCtx != nil {
			es.stopCtx()
		}
		if es.body != nil {
			es.closeErr = es.body.Close()
		}
	})
}

// chatEventBox holds a ChatStreamEvent and the string its SessionID points
// to, so that an event costs one allocation, not two.
type chatEventBox struct {
	ev  ChatStreamEvent
	sid string
}

// decodeFast decodes the data of a chat stream event in the form the API
// sends it, a flat object of the four string members (or null), and
// reports whether it could. Strings that repeat those of prev, the event
// before (the id, the session id and the path of every event of a stream),
// are shared rather than copied, so that an event costs two allocations:
// the box and the delta (four when the delta has escapes). Anything else
// (another member, a repeated member, a value of another type, a syntax
// error) is left to the generated decoder, which decodes it or words the
// error.
func (b *chatEventBox) decodeFast(data []byte, prev *ChatStreamEvent) bool {
	if prev == nil {
		prev = &ChatStreamEvent{}
	}
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	// The fast path takes only what the full decoder reads into the fields
	// alone: every required member present, and no null (which the full
	// decoder records so that it is written back).
	const required = 1 | 4 | 8
	var seen uint8
	for {
		key, j, ok := scanString(data, i)
		if !ok || key.decoded {
			return false
		}
		i = skipSpace(data, j)
		if i == len(data) || data[i] != ':' {
			return false
		}
		i = skipSpace(data, i+1)
		var bit uint8
		switch string(key.raw) {
		case "id":
			bit = 1
		case "sessionId":
			bit = 2
		case "path":
			bit = 4
		case "delta":
			bit = 8
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		var val jsonString
		if val, i, ok = scanString(data, i); !ok {
			return false
		}
		switch bit {
		case 1:
			b.ev.ID = val.reuse(prev.ID)
		case 2:
			if prev.SessionID != nil {
				b.sid = val.reuse(*prev.SessionID)
			} else {
				b.sid = val.reuse("")
			}
			b.ev.SessionID = &b.sid
		case 4:
			b.ev.Path = val.reuse(prev.Path)
		case 8:
			b.ev.Delta = val.reuse("")
		}
		i = skipSpace(data, i)
		if i == len(data) {
			return false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return seen&required == required && skipSpace(data, i+1) == len(data)
		default:
			return false
		}
	}
}

// jsonString is a JSON string read by scanString: its raw contents, or,
// when it has escapes or invalid UTF-8, its decoded value.
type jsonString struct {
	raw     []byte
	value   string
	decoded bool
}

// reuse returns the string's value: old if that is what it spells.
func (s jsonString) reuse(old string) string {
	switch {
	case s.decoded:
		return s.value
	case string(s.raw) == old:
		return old
	}
	return string(s.raw)
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string that starts at data[i] and returns it
// and the index after its closing quote. A string without escapes and of
// valid UTF-8, the common case, is returned raw; any other is decoded by
// jsonwire, as the generated decoder would.
func scanString(data []byte, i int) (s jsonString, next int, ok bool) {
	if i == len(data) || data[i] != '"' {
		return s, i, false
	}
	ascii, escaped := true, false
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			s.raw = data[i+1 : j]
			if escaped || !ascii && !utf8.Valid(s.raw) {
				d := jsonwire.NewDecoder(data[i : j+1])
				s.value, s.decoded = d.String(), true
				if d.End() != nil {
					return s, i, false
				}
			}
			return s, j + 1, true
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case c < 0x20:
			return s, i, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return s, i, false
}
