// Package sse decodes a Server-Sent Events stream (text/event-stream).
//
// The Decoder follows the parsing rules of the WHATWG HTML Living Standard,
// "Server-sent events", section "Event stream interpretation":
//
//   - lines end in CRLF, LF or CR; a CR at the end of one Read followed by an
//     LF at the start of the next is one line end;
//   - one UTF-8 byte order mark at the very start of the stream is dropped;
//   - a line that starts with ':' is a comment and is ignored;
//   - any other line is "field:value", with one space after the first colon
//     removed if present; a line without a colon is a field whose value is
//     empty; field names are case-sensitive;
//   - "data" appends its value and a line feed to the event's data, "event"
//     sets the event's type, "id" sets the last event ID (which persists
//     across events) unless the value contains NUL, "retry" sets the
//     reconnection time if the value is nothing but ASCII digits; any other
//     field is ignored;
//   - a blank line dispatches the event: its data loses the final line feed,
//     and an event whose data buffer is empty (no data line at all) is not
//     dispatched, although its id has already taken effect.
//
// Where this package departs from the standard, and why:
//
//   - A final event that the stream does not terminate with a blank line is
//     delivered when the stream ends cleanly (io.EOF), including a last line
//     without its line end. The standard discards it, because a browser that
//     reconnects would see it again; an SDK that does not reconnect would
//     lose the last event of servers that close the connection right after
//     their last data line, and the SDK's contract requires it. A read error
//     other than io.EOF discards the unfinished event, as the standard does.
//   - The stream is not decoded as UTF-8: bytes are passed through as they
//     come, so invalid UTF-8 is not replaced by U+FFFD. Event data is meant
//     for a JSON decoder, which does its own replacing.
//   - Each event's data, type and id are limited in size (see NewDecoder);
//     the standard sets no limit. Comments and unknown fields are skipped as
//     they are read, whatever their length, without being buffered.
//   - The decoder reports the retry value but does not act on it: it does not
//     reconnect.
//
// Next allocates nothing for an event in the common case: Event.Data points
// into the decoder's read buffer or its data buffer, and so is only valid
// until the next call; a repeated event type or id is returned as the same
// string. A stream is read through one 4 KiB buffer whatever the length of
// its lines.
package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// DefaultMaxEventSize is the size limit NewDecoder applies when it is given
// a limit of zero or less: 1 MiB.
const DefaultMaxEventSize = 1 << 20

// ErrEventTooLarge is reported, wrapped, by Decoder.Next when an event's data,
// its type or an id line is longer than the decoder's limit. The stream
// cannot be resynchronised after it: every later call returns it again.
var ErrEventTooLarge = errors.New("sse: event too large")

// defaultType is the type of an event whose "event" field is missing or
// empty, as the standard defines it.
const defaultType = "message"

// readBufferSize is the size of the buffer the decoder reads into. Lines
// longer than it are processed in pieces, so it never grows.
const readBufferSize = 4096

// maxEmptyReads is how many successive reads that return no bytes and no
// error the decoder tolerates before giving up with io.ErrNoProgress.
const maxEmptyReads = 100

// maxRetryMillis is the largest retry value that fits a time.Duration;
// larger values are ignored like any other invalid retry value.
const maxRetryMillis = math.MaxInt64 / int64(time.Millisecond)

// Event is one dispatched event.
type Event struct {
	// ID is the stream's last event ID when the event was dispatched: the
	// value of the most recent "id" field, in this event or an earlier one,
	// or "" if there was none (the standard's lastEventId).
	ID string
	// Type is the value of the event's "event" field, or "message" when the
	// field is missing or empty (the standard's default), so a caller can
	// compare it with the names the server documents without a special case.
	Type string
	// Data is the event's data: the values of its "data" fields joined by
	// "\n". It is not nil, even when empty. It is only valid until the next
	// call to Next, which reuses its memory: copy it to keep it.
	Data []byte
}

// A Decoder reads events from a stream. It is not safe for concurrent use.
type Decoder struct {
	r   io.Reader
	max int

	buf    []byte // read buffer; buf[pos:end] is not yet parsed
	pos    int
	end    int
	cr, lf int   // index in buf of the next CR and LF at or after pos, end if none; stale when below pos
	rerr   error // error from the last Read, handled once buf is drained
	err    error // sticky result of Next once the stream has ended
	bomOK  bool  // the leading byte order mark has been handled
	seenCR bool  // the last line ended with CR: an LF right after it is part of that line end

	// The line being parsed, when it is not parsed whole.
	state   lineState
	kind    fieldKind
	name    [maxFieldName]byte // field name read so far, when it still may be a known one
	nameLen int                // bytes of the name read so far (also counts past len(name))
	val     []byte             // value of an "id" line
	retry   int64              // value of a "retry" line; -1 once it is invalid
	digits  bool               // the "retry" value has at least one digit

	// The event being built. Its data is either first, the value of its
	// only data line so far, left where it is in buf, or data, which holds
	// each data line's value followed by '\n'; first is copied into data
	// (spill) before buf is overwritten or another data line comes.
	first    []byte
	hasFirst bool
	data     []byte
	typ      []byte

	// Stream state that outlives an event.
	lastID  string
	retryAt time.Duration
	typStr  string // string form of the last non-default type, reused while it repeats
}

// lineState says which part of a line the decoder is in.
type lineState uint8

const (
	inName  lineState = iota // before the first colon
	inSpace                  // just after the colon: one space is dropped
	inValue                  // in the value
)

// fieldKind is what the decoder does with a line's value.
type fieldKind uint8

const (
	fieldIgnored fieldKind = iota // comments and unknown fields
	fieldData
	fieldEvent
	fieldID
	fieldRetry
)

// maxFieldName is the length of the longest field name the standard knows.
const maxFieldName = len("retry")

// NewDecoder returns a Decoder that reads r. maxEventSize bounds, in bytes,
// an event's data (as Event.Data holds it), its type and its id; a stream
// that exceeds it ends with an error wrapping ErrEventTooLarge. A value of
// zero or less means DefaultMaxEventSize.
//
// The decoder buffers its reads, so it may read from r beyond the last event
// it returns.
func NewDecoder(r io.Reader, maxEventSize int) *Decoder {
	if maxEventSize <= 0 {
		maxEventSize = DefaultMaxEventSize
	}
	return &Decoder{r: r, max: maxEventSize, buf: make([]byte, readBufferSize)}
}

// Next returns the next event of the stream. At the end of the stream it
// returns io.EOF; if the stream fails it returns the reader's error, or an
// error wrapping ErrEventTooLarge or io.ErrNoProgress. Once Next has
// returned an error it returns the same error on every later call.
//
// The returned Event's Data is only valid until the next call to Next.
func (d *Decoder) Next() (ev Event, err error) {
	if d.err != nil {
		return Event{}, d.err
	}
	if !d.bomOK {
		d.skipBOM()
	}
	for {
		for d.pos < d.end {
			if d.seenCR {
				d.seenCR = false
				if d.buf[d.pos] == '\n' {
					d.pos++
					continue
				}
			}
			// The end of the line: its first CR or LF, or end if the
			// buffer holds no line end. A blank line needs no search.
			// Otherwise the decoder remembers where the next CR and the
			// next LF are, so that each byte of the buffer is searched at
			// most once for each (and a stream without CR is searched for
			// CR once per read). Written out here, not in a function,
			// because it runs for every line.
			e := d.pos
			if c := d.buf[e]; c != '\n' && c != '\r' {
				if d.lf < d.pos {
					d.lf = d.end
					if i := bytes.IndexByte(d.buf[d.pos:d.end], '\n'); i >= 0 {
						d.lf = d.pos + i
					}
				}
				if d.cr < d.pos {
					d.cr = d.end
					if i := bytes.IndexByte(d.buf[d.pos:d.end], '\r'); i >= 0 {
						d.cr = d.pos + i
					}
				}
				e = min(d.lf, d.cr)
			}
			whole := d.state == inName && d.nameLen == 0
			if e == d.end {
				if whole && d.rerr == nil && d.end-d.pos < len(d.buf) {
					break // read the rest of the line after it
				}
				// A line longer than the buffer, or the last one.
				line := d.buf[d.pos:e]
				d.pos = e
				if err := d.feed(line); err != nil {
					return Event{}, d.fail(err)
				}
				break
			}
			line := d.buf[d.pos:e]
			d.pos = e + 1
			d.seenCR = d.buf[e] == '\r'
			if whole {
				// The two kinds of line a stream is mostly made of take a
				// shorter path than the line parser's.
				if len(line) == 0 {
					if d.hasData() {
						ev.ID, ev.Type, ev.Data = d.dispatch()
						return ev, nil
					}
					d.typ = d.typ[:0]
					continue
				}
				if len(line) >= len("data:") && string(line[:len("data:")]) == "data:" {
					v := line[len("data:"):]
					if len(v) > 0 && v[0] == ' ' {
						v = v[1:]
					}
					if !d.hasFirst && len(d.data) == 0 && len(v) <= d.max {
						d.first, d.hasFirst = v, true // addData's common case
						continue
					}
					if err := d.addData(v); err != nil {
						return Event{}, d.fail(err)
					}
					continue
				}
			}
			if err := d.feed(line); err != nil {
				return Event{}, d.fail(err)
			}
			if ok, err := d.endLine(); err != nil {
				return Event{}, d.fail(err)
			} else if ok {
				ev.ID, ev.Type, ev.Data = d.dispatch()
				return ev, nil
			}
		}
		if d.rerr != nil {
			return d.finish()
		}
		d.spill()
		d.fill()
	}
}

// LastEventID returns the stream's last event ID: the value of the most
// recent "id" field read so far, even one that came after the last event
// Next returned. A client that reconnects sends it as Last-Event-ID.
func (d *Decoder) LastEventID() string { return d.lastID }

// Retry returns the stream's reconnection time: the value of the most recent
// valid "retry" field read so far (a number of milliseconds), or zero if
// there was none. The standard makes it a property of the stream, not of an
// event, so Event has no such field.
func (d *Decoder) Retry() time.Duration { return d.retryAt }

// finish handles the end of the input once the read buffer is drained. At a
// clean end it completes an unterminated last line and delivers the event it
// belongs to, if any (see the package comment); a read error discards it.
func (d *Decoder) finish() (Event, error) {
	if d.rerr != io.EOF {
		return Event{}, d.fail(d.rerr)
	}
	d.err = io.EOF
	if d.state != inName || d.nameLen > 0 {
		if _, err := d.endLine(); err != nil {
			return Event{}, d.fail(err)
		}
	}
	if !d.hasData() {
		return Event{}, io.EOF
	}
	var ev Event
	ev.ID, ev.Type, ev.Data = d.dispatch()
	return ev, nil
}

// fail makes err the result of every later call to Next and returns it.
func (d *Decoder) fail(err error) error {
	d.err = err
	d.data, d.first, d.hasFirst = d.data[:0], nil, false
	return err
}

// fill moves the unparsed bytes to the front of the buffer and reads once
// after them, retrying reads that return nothing. It records a read error
// in d.rerr.
func (d *Decoder) fill() {
	d.end = copy(d.buf, d.buf[d.pos:d.end])
	d.pos = 0
	d.cr, d.lf = -1, -1
	for range maxEmptyReads {
		n, err := d.r.Read(d.buf[d.end:])
		if n < 0 || n > len(d.buf)-d.end {
			d.rerr = fmt.Errorf("sse: reader returned an invalid count %d", n)
			return
		}
		d.end += n
		if err != nil {
			d.rerr = err
			return
		}
		if n > 0 {
			return
		}
	}
	d.rerr = io.ErrNoProgress
}

// skipBOM reads until it can tell whether the stream starts with a UTF-8
// byte order mark, and drops it if it does.
func (d *Decoder) skipBOM() {
	d.bomOK = true
	const bom = "\xEF\xBB\xBF"
	for d.end < len(bom) && d.rerr == nil && bytes.HasPrefix([]byte(bom), d.buf[:d.end]) {
		d.fill()
	}
	if bytes.HasPrefix(d.buf[:d.end], []byte(bom)) {
		d.pos = len(bom)
	}
}

// hasData reports whether the event being built has a data line.
func (d *Decoder) hasData() bool { return d.hasFirst || len(d.data) > 0 }

// addData takes the whole value of a data line that is in buf.
func (d *Decoder) addData(v []byte) error {
	if !d.hasData() {
		if len(v) > d.max {
			return d.tooLarge("data")
		}
		d.first, d.hasFirst = v, true
		return nil
	}
	d.spill()
	if len(d.data)+len(v) > d.max {
		return d.tooLarge("data")
	}
	d.data = append(append(d.data, v...), '\n')
	return nil
}

// spill copies a first data line that is still in buf into data.
func (d *Decoder) spill() {
	if d.hasFirst {
		d.data = append(append(d.data, d.first...), '\n')
		d.first, d.hasFirst = nil, false
	}
}

// feed parses a piece of the current line, which holds no line end.
func (d *Decoder) feed(b []byte) error {
	for len(b) > 0 {
		switch d.state {
		case inName:
			i := bytes.IndexByte(b, ':')
			name := b
			if i >= 0 {
				name = b[:i]
			}
			if d.nameLen+len(name) <= maxFieldName {
				copy(d.name[d.nameLen:], name)
			}
			d.nameLen += len(name)
			if i < 0 {
				return nil
			}
			d.startValue()
			d.state = inSpace
			b = b[i+1:]
		case inSpace:
			if b[0] == ' ' {
				b = b[1:]
			}
			d.state = inValue
		case inValue:
			return d.addValue(b)
		}
	}
	return nil
}

// startValue classifies the field whose name has been read and prepares for
// its value.
func (d *Decoder) startValue() {
	d.kind = fieldIgnored
	if d.nameLen > maxFieldName {
		return
	}
	switch string(d.name[:d.nameLen]) {
	case "data":
		d.kind = fieldData
		d.spill()
	case "event":
		d.kind = fieldEvent
		d.typ = d.typ[:0]
	case "id":
		d.kind = fieldID
		d.val = d.val[:0]
	case "retry":
		d.kind = fieldRetry
		d.retry, d.digits = 0, false
	}
}

// addValue takes a piece of the current field's value.
func (d *Decoder) addValue(b []byte) error {
	switch d.kind {
	case fieldData:
		if len(d.data)+len(b) > d.max {
			return d.tooLarge("data")
		}
		d.data = append(d.data, b...)
	case fieldEvent:
		if len(d.typ)+len(b) > d.max {
			return d.tooLarge("event type")
		}
		d.typ = append(d.typ, b...)
	case fieldID:
		if len(d.val)+len(b) > d.max {
			return d.tooLarge("id")
		}
		d.val = append(d.val, b...)
	case fieldRetry:
		for _, c := range b {
			if d.retry < 0 {
				break
			}
			if c < '0' || c > '9' {
				d.retry = -1
				break
			}
			d.digits = true
			d.retry = d.retry*10 + int64(c-'0')
			if d.retry > maxRetryMillis {
				d.retry = -1
			}
		}
	}
	return nil
}

// tooLarge returns the error for a part of an event beyond the limit.
func (d *Decoder) tooLarge(what string) error {
	return fmt.Errorf("%w: %s longer than %d bytes", ErrEventTooLarge, what, d.max)
}

// endLine completes the current line, which feed has parsed. It reports
// whether the line was blank and the event being built has data to
// dispatch.
func (d *Decoder) endLine() (dispatch bool, err error) {
	state := d.state
	d.state = inName
	if state == inName {
		if d.nameLen == 0 {
			if d.hasData() {
				return true, nil
			}
			d.typ = d.typ[:0]
			return false, nil
		}
		// A line without a colon: the whole line is the field name and
		// the value is empty.
		d.startValue()
	}
	d.nameLen = 0
	switch d.kind {
	case fieldData:
		if len(d.data) > d.max {
			// Only possible for an empty data line that turns the
			// previous line feed into data.
			return false, d.tooLarge("data")
		}
		d.data = append(d.data, '\n')
	case fieldID:
		if bytes.IndexByte(d.val, 0) < 0 && string(d.val) != d.lastID {
			d.lastID = string(d.val)
		}
	case fieldRetry:
		if d.retry >= 0 && d.digits {
			d.retryAt = time.Duration(d.retry) * time.Millisecond
		}
	}
	return false, nil
}

// dispatch returns the id, type and data of the event built so far, which
// has data, and starts the next one. (It returns the fields rather than an
// Event so that they travel in registers: copying the struct through the
// stack cost Next a third of its time.)
func (d *Decoder) dispatch() (id, typ string, data []byte) {
	if d.hasFirst {
		data = d.first
		d.first, d.hasFirst = nil, false
	} else {
		data = d.data[:len(d.data)-1]
		d.data = d.data[:0]
	}
	typ = defaultType
	if len(d.typ) > 0 {
		if string(d.typ) != d.typStr {
			d.typStr = string(d.typ)
		}
		typ = d.typStr
		d.typ = d.typ[:0]
	}
	return d.lastID, typ, data
}
