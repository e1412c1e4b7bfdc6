package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ev is an Event with its data as a string, so tables read easily and
// results survive the decoder's reuse of Data.
type ev struct {
	ID   string
	Type string
	Data string
}

// msg is an event of the default type with no id and no retry.
func msg(data string) ev { return ev{Type: "message", Data: data} }

// decoded is what a whole stream decodes to.
type decoded struct {
	Events []ev
	LastID string        // LastEventID at the end
	Retry  time.Duration // Retry at the end
}

// decodeStream reads every event of r and the error that ended the stream.
func decodeStream(r io.Reader, max int) (decoded, error) {
	return decode(NewDecoder(r, max))
}

// withBuffer gives d a read buffer of n bytes instead of its own, so that
// short inputs take the paths of lines longer than the buffer.
func withBuffer(d *Decoder, n int) *Decoder {
	d.buf = make([]byte, n)
	return d
}

// decode reads every event of d and the error that ended the stream.
func decode(d *Decoder) (decoded, error) {
	var out decoded
	for {
		e, err := d.Next()
		if err != nil {
			out.LastID, out.Retry = d.LastEventID(), d.Retry()
			return out, err
		}
		out.Events = append(out.Events, ev{ID: e.ID, Type: e.Type, Data: string(e.Data)})
	}
}

// decodeAll reads every event of r and the error that ended the stream.
func decodeAll(r io.Reader, max int) ([]ev, error) {
	out, err := decodeStream(r, max)
	return out.Events, err
}

// chunkReader returns its chunks one per Read, then io.EOF.
type chunkReader struct{ chunks [][]byte }

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.chunks) > 0 && len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	return n, nil
}

func chunks(parts ...string) *chunkReader {
	c := &chunkReader{}
	for _, p := range parts {
		c.chunks = append(c.chunks, []byte(p))
	}
	return c
}

// decoders returns the ways the tables feed an input to a decoder: the
// result must depend neither on how the input is split into reads nor on
// the size of the decoder's buffer.
func decoders(in string, max int) map[string]func() *Decoder {
	rs := map[string]func() io.Reader{
		"in one read":               func() io.Reader { return strings.NewReader(in) },
		"one byte per read":         func() io.Reader { return iotest.OneByteReader(strings.NewReader(in)) },
		"in halves":                 func() io.Reader { return iotest.HalfReader(strings.NewReader(in)) },
		"with EOF on the last read": func() io.Reader { return iotest.DataErrReader(strings.NewReader(in)) },
	}
	for k := 1; k < len(in); k++ {
		rs[fmt.Sprintf("split at byte %d", k)] = func() io.Reader { return chunks(in[:k], in[k:]) }
	}
	ds := make(map[string]func() *Decoder)
	for how, r := range rs {
		ds[how] = func() *Decoder { return NewDecoder(r(), max) }
	}
	for n := 3; n <= 8; n++ {
		ds[fmt.Sprintf("with a %d-byte buffer", n)] = func() *Decoder {
			return withBuffer(NewDecoder(strings.NewReader(in), max), n)
		}
	}
	return ds
}

func TestDecoderFollowsTheStandard(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []ev
	}{
		{"an empty stream has no events", "", nil},
		{"one event ends with a blank line", "data: hello\n\n", []ev{msg("hello")}},
		{"lines may end in CRLF", "data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", []ev{msg("a\nb"), msg("c")}},
		{"lines may end in CR alone", "data: a\rdata: b\r\rdata: c\r\r", []ev{msg("a\nb"), msg("c")}},
		{"line ends may be mixed", "data: a\rdata: b\r\n\ndata: c\n\r\n", []ev{msg("a\nb"), msg("c")}},
		{"CR LF is one line end, not a blank line", "data: a\r\ndata: b\r\n\r\n", []ev{msg("a\nb")}},
		{"LF CR is two line ends", "data: a\n\rdata: b\n\n", []ev{msg("a"), msg("b")}},
		{"a leading byte order mark is dropped", "\xEF\xBB\xBFdata: a\n\n", []ev{msg("a")}},
		{"only one leading byte order mark is dropped", "\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n", []ev{msg("b")}},
		{"a byte order mark after the start is part of the line", "data: a\n\n\xEF\xBB\xBFdata: b\n\n", []ev{msg("a")}},
		{"a partial byte order mark is kept", "\xEF\xBBdata: a\n\ndata: b\n\n", []ev{msg("b")}},
		{"a stream of only a byte order mark has no events", "\xEF\xBB\xBF", nil},
		{"comments are ignored", ": hello\ndata: a\n: between\ndata: b\n\n", []ev{msg("a\nb")}},
		{"a stream of comments has no events", ": ping\n\n: ping\n\n", nil},
		{"one space after the colon is removed", "data: a\n\n", []ev{msg("a")}},
		{"only one space after the colon is removed", "data:  a\n\n", []ev{msg(" a")}},
		{"the value may follow the colon directly", "data:a\n\n", []ev{msg("a")}},
		{"a tab after the colon is kept", "data:\ta\n\n", []ev{msg("\ta")}},
		{"only the first colon separates the value", "data: a: b:c\n\n", []ev{msg("a: b:c")}},
		{"trailing spaces are kept", "data: a  \n\n", []ev{msg("a  ")}},
		{"a line without a colon is a field with an empty value", "data\n\n", []ev{msg("")}},
		{"an empty data value still dispatches", "data:\n\n", []ev{msg("")}},
		{"data lines are joined with line feeds", "data: a\ndata: b\ndata: c\n\n", []ev{msg("a\nb\nc")}},
		{"two empty data lines make one line feed", "data\ndata\n\n", []ev{msg("\n")}},
		{"only the final line feed is removed", "data: a\ndata:\n\n", []ev{msg("a\n")}},
		{"the event field sets the type", "event: add\ndata: a\n\n", []ev{{Type: "add", Data: "a"}}},
		{"the type does not outlive its event", "event: add\ndata: a\n\ndata: b\n\n", []ev{{Type: "add", Data: "a"}, msg("b")}},
		{"the last event field wins", "event: a\nevent: b\ndata: x\n\n", []ev{{Type: "b", Data: "x"}}},
		{"an empty event field means message", "event: add\nevent\ndata: x\n\n", []ev{msg("x")}},
		{"the type of an event that is not dispatched is reset", "event: add\n\ndata: x\n\n", []ev{msg("x")}},
		{"a repeated type is reported each time", "event: t\ndata: 1\n\nevent: t\ndata: 2\n\nevent: u\ndata: 3\n\n",
			[]ev{{Type: "t", Data: "1"}, {Type: "t", Data: "2"}, {Type: "u", Data: "3"}}},
		{"the id persists across events", "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n",
			[]ev{{ID: "1", Type: "message", Data: "a"}, {ID: "1", Type: "message", Data: "b"}, {ID: "2", Type: "message", Data: "c"}}},
		{"an id without data is kept for the next event", "id: 7\n\ndata: x\n\n", []ev{{ID: "7", Type: "message", Data: "x"}}},
		{"an empty id resets the last event id", "id: 1\ndata: a\n\nid\ndata: b\n\n",
			[]ev{{ID: "1", Type: "message", Data: "a"}, msg("b")}},
		{"an id containing NUL is ignored", "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
			[]ev{{ID: "1", Type: "message", Data: "a"}, {ID: "1", Type: "message", Data: "b"}}},
		{"an id keeps its spaces after the first", "id:  x \ndata: a\n\n", []ev{{ID: " x ", Type: "message", Data: "a"}}},
		{"retry does not make an event", "retry: 3000\n\n", nil},
		{"retry does not change the event", "retry: 3000\ndata: a\n\n", []ev{msg("a")}},
		{"unknown fields are ignored", "foo: bar\ndata: a\nretryx: 1\nid2: 3\n\n", []ev{msg("a")}},
		{"field names are case-sensitive", "Data: a\nEVENT: b\n\ndata: c\n\n", []ev{msg("c")}},
		{"an empty field name is like a comment", ":data: a\n\n", nil},
		{"an event without data is not dispatched", "event: add\nid: 1\nretry: 10\n\n", nil},
		{"several blank lines dispatch once", "data: a\n\n\n\n\ndata: b\n\n", []ev{msg("a"), msg("b")}},
		{"a final event without a blank line is delivered", "data: a\n\ndata: b\n", []ev{msg("a"), msg("b")}},
		{"a final line without its line end is delivered", "data: a\n\ndata: b", []ev{msg("a"), msg("b")}},
		{"a final line ended by CR is delivered", "event: t\ndata: b\r", []ev{{Type: "t", Data: "b"}}},
		{"a final field line without data dispatches nothing", "data: a\n\nid: 9", []ev{msg("a")}},
		{"a final line without a colon completes the event", "data: a\ndata", []ev{msg("a\n")}},
		{"invalid UTF-8 is passed through", "data: \xff\xfe\n\n", []ev{msg("\xff\xfe")}},
		{"a vapi chat stream decodes", "data: {\"id\":\"c1\",\"delta\":\"Hel\"}\n\ndata: {\"id\":\"c1\",\"delta\":\"lo\"}\n\ndata: [DONE]\n\n",
			[]ev{msg(`{"id":"c1","delta":"Hel"}`), msg(`{"id":"c1","delta":"lo"}`), msg("[DONE]")}},
	}
	for _, tt := range tests {
		for how, newDecoder := range decoders(tt.in, 0) {
			t.Run(tt.name+" when read "+how, func(t *testing.T) {
				got, err := decode(newDecoder())
				require.ErrorIs(t, err, io.EOF)
				assert.Equal(t, tt.want, got.Events)
			})
		}
	}
}

func TestDecoderReadsRetry(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Duration
	}{
		{"no retry field means zero", "data: a\n\n", 0},
		{"retry sets the reconnection time in milliseconds", "retry: 3000\ndata: a\n\n", 3 * time.Second},
		{"a later retry replaces an earlier one", "retry: 10\n\nretry: 20\n\n", 20 * time.Millisecond},
		{"retry takes effect without an event", "retry: 7", 7 * time.Millisecond},
		{"a retry of zero is kept", "retry: 5\nretry: 0\n", 0},
		{"a retry with a unit is ignored", "retry: 5\nretry: 3s\n", 5 * time.Millisecond},
		{"a negative retry is ignored", "retry: 5\nretry: -1\n", 5 * time.Millisecond},
		{"a retry with a space before its digits is ignored", "retry: 5\nretry:  6\n", 5 * time.Millisecond},
		{"an empty retry is ignored", "retry: 5\nretry:\n", 5 * time.Millisecond},
		{"a retry without a colon is ignored", "retry: 5\nretry\n", 5 * time.Millisecond},
		{"the largest retry a duration holds is kept", "retry: 9223372036854\n", 9223372036854 * time.Millisecond},
		{"a retry too large for a duration is ignored", "retry: 5\nretry: 9223372036855\n", 5 * time.Millisecond},
		{"a retry far too large is ignored", "retry: 5\nretry: 99999999999999999999999\n", 5 * time.Millisecond},
	}
	for _, tt := range tests {
		for how, newDecoder := range decoders(tt.in, 0) {
			t.Run(tt.name+" when read "+how, func(t *testing.T) {
				got, err := decode(newDecoder())
				require.ErrorIs(t, err, io.EOF)
				assert.Equal(t, tt.want, got.Retry)
			})
		}
	}
}

func TestDecoderLimitsEventSize(t *testing.T) {
	const max = 8
	tests := []struct {
		name   string
		in     string
		want   []ev
		tooBig bool
	}{
		{"data of exactly the limit passes", "data: 12345678\n\n", []ev{msg("12345678")}, false},
		{"data one byte over the limit fails", "data: 123456789\n\n", nil, true},
		{"the line feeds between data lines count", "data: 1234\ndata: 567\n\n", []ev{msg("1234\n567")}, false},
		{"line feeds that push data over the limit fail", "data: 1234\ndata: 5678\n\n", nil, true},
		{"an empty data line that pushes data over the limit fails", "data: 12345678\ndata\n\n", nil, true},
		{"the limit applies to each event, not to the stream", "data: 12345678\n\ndata: 12345678\n\n", []ev{msg("12345678"), msg("12345678")}, false},
		{"events before the large one are delivered", "data: a\n\ndata: 123456789\n\ndata: b\n\n", []ev{msg("a")}, true},
		{"an unterminated final event over the limit fails", "data: a\n\ndata: 123456789", []ev{msg("a")}, true},
		{"an event type over the limit fails", "event: 123456789\ndata: a\n\n", nil, true},
		{"an id over the limit fails", "id: 123456789\ndata: a\n\n", nil, true},
		{"a comment over the limit is skipped", ": 123456789012345678901234567890\ndata: a\n\n", []ev{msg("a")}, false},
		{"an unknown field over the limit is skipped", "note: 123456789012345678901234567890\ndata: a\n\n", []ev{msg("a")}, false},
		{"a long field name without a colon is skipped", "datadatadatadatadatadatadata\ndata: a\n\n", []ev{msg("a")}, false},
		{"a long retry value is ignored", "retry: 123456789012345678901234567890\ndata: a\n\n", []ev{msg("a")}, false},
	}
	for _, tt := range tests {
		for how, newDecoder := range decoders(tt.in, max) {
			t.Run(tt.name+" when read "+how, func(t *testing.T) {
				got, err := decode(newDecoder())
				if tt.tooBig {
					require.ErrorIs(t, err, ErrEventTooLarge)
					assert.Contains(t, err.Error(), "longer than 8 bytes")
				} else {
					require.ErrorIs(t, err, io.EOF)
				}
				assert.Equal(t, tt.want, got.Events)
			})
		}
	}
}

func TestDecoderDefaultLimitIsOneMiB(t *testing.T) {
	for _, max := range []int{0, -1} {
		t.Run(fmt.Sprintf("a limit of %d allows 1 MiB and refuses one byte more", max), func(t *testing.T) {
			ok := "data: " + strings.Repeat("x", DefaultMaxEventSize) + "\n\n"
			got, err := decodeAll(strings.NewReader(ok), max)
			require.ErrorIs(t, err, io.EOF)
			require.Len(t, got, 1)
			assert.Len(t, got[0].Data, 1<<20)

			_, err = decodeAll(strings.NewReader("data: x"+ok[len("data: "):]), max)
			require.ErrorIs(t, err, ErrEventTooLarge)
		})
	}
}

// endless is a reader that repeats a pattern forever and counts its bytes.
type endless struct {
	prefix  string
	pattern byte
	n       int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if e.n < len(e.prefix) {
			p[n] = e.prefix[e.n]
		} else {
			p[n] = e.pattern
		}
		n++
		e.n++
	}
	return n, nil
}

func TestDecoderDoesNotBufferLongLines(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
	}{
		{"an endless data line", "data: "},
		{"an endless event line", "event: "},
		{"an endless id line", "id: "},
	}
	for _, tt := range tests {
		t.Run(tt.name+" fails soon after the limit", func(t *testing.T) {
			r := &endless{prefix: tt.prefix, pattern: 'x'}
			d := NewDecoder(r, 1000)
			_, err := d.Next()
			require.ErrorIs(t, err, ErrEventTooLarge)
			assert.Less(t, r.n, 1000+2*readBufferSize, "bytes read before failing")
		})
	}

	skipped := []struct {
		name   string
		prefix string
	}{
		{"a long comment", ": "},
		{"a long unknown field", "note: "},
		{"a long field name", "data"},
		{"a long retry value", "retry: "},
	}
	for _, tt := range skipped {
		t.Run(tt.name+" is skipped without being buffered", func(t *testing.T) {
			long := io.LimitReader(&endless{prefix: tt.prefix, pattern: '1'}, 8<<20)
			in := io.MultiReader(long, strings.NewReader("\ndata: after\n\n"))
			d := NewDecoder(in, 1000)
			e, err := d.Next()
			require.NoError(t, err)
			assert.Equal(t, "after", string(e.Data))
			assert.LessOrEqual(t, cap(d.data)+cap(d.typ)+cap(d.val), 3*64, "bytes buffered")
			assert.Len(t, d.buf, readBufferSize)
		})
	}
}

func TestDecoderReportsReadErrors(t *testing.T) {
	boom := errors.New("connection reset")
	tests := []struct {
		name string
		r    io.Reader
		want []ev
		err  error
	}{
		{
			"a read error ends the stream after the complete events",
			io.MultiReader(strings.NewReader("data: a\n\ndata: b\n"), iotest.ErrReader(boom)),
			[]ev{msg("a")}, boom,
		},
		{
			"the events in a read that also fails are delivered first",
			&failingRead{data: "data: a\n\ndata: b\n\n", err: boom},
			[]ev{msg("a"), msg("b")}, boom,
		},
		{
			"an unfinished event in a read that fails is not delivered",
			&failingRead{data: "data: a\n\ndata: b\n", err: boom},
			[]ev{msg("a")}, boom,
		},
		{
			"an unexpected EOF does not deliver the unfinished event",
			io.MultiReader(strings.NewReader("data: a\n\ndata: {\"x"), iotest.ErrReader(io.ErrUnexpectedEOF)),
			[]ev{msg("a")}, io.ErrUnexpectedEOF,
		},
		{
			"a reader that returns nothing forever fails",
			zeroReader{},
			nil, io.ErrNoProgress,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(tt.r, 0)
			require.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// failingRead returns all its data and its error in one Read.
type failingRead struct {
	data string
	err  error
}

func (f *failingRead) Read(p []byte) (int, error) {
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, f.err
}

// zeroReader returns no bytes and no error.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestDecoderErrorsAreSticky(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"the end of the stream is reported again", "data: a\n\n", io.EOF},
		{"the end of an unterminated stream is reported again", "data: a", io.EOF},
		{"a too large event is reported again", "data: a\n\ndata: 123456789\n\ndata: b\n\n", ErrEventTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(strings.NewReader(tt.in), 8)
			e, err := d.Next()
			require.NoError(t, err)
			assert.Equal(t, "a", string(e.Data))
			for range 3 {
				_, err = d.Next()
				require.ErrorIs(t, err, tt.err)
			}
		})
	}
}

func TestDecoderKeepsStreamStateAfterTheLastEvent(t *testing.T) {
	d := NewDecoder(strings.NewReader("id: 1\nretry: 10\ndata: a\n\nid: 2\nretry: 20\n\n"), 0)
	e, err := d.Next()
	require.NoError(t, err)
	assert.Equal(t, ev{ID: "1", Type: "message", Data: "a"}, ev{ID: e.ID, Type: e.Type, Data: string(e.Data)})
	assert.Equal(t, 10*time.Millisecond, d.Retry())
	_, err = d.Next()
	require.ErrorIs(t, err, io.EOF)
	assert.Equal(t, "2", d.LastEventID())
	assert.Equal(t, 20*time.Millisecond, d.Retry())
}

func TestDecoderReusesData(t *testing.T) {
	tests := []struct {
		name string
		r    io.Reader
	}{
		{"a one-line event's data is overwritten by the next read", chunks("data: aaaa\n\n", "data: bbbb\n\n")},
		{"a multi-line event's data is overwritten by the next event", strings.NewReader("data: a\ndata: a\n\ndata: b\ndata: b\n\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(tt.r, 0)
			first, err := d.Next()
			require.NoError(t, err)
			kept := string(first.Data)
			second, err := d.Next()
			require.NoError(t, err)
			assert.NotEqual(t, kept, string(second.Data))
			assert.Equal(t, string(second.Data), string(first.Data), "Data shares memory with the next event")
		})
	}
	t.Run("empty data is not nil", func(t *testing.T) {
		d := NewDecoder(strings.NewReader("data\n\n"), 0)
		e, err := d.Next()
		require.NoError(t, err)
		assert.NotNil(t, e.Data)
		assert.Empty(t, e.Data)
	})
}

func TestDecoderDoesNotAllocatePerEvent(t *testing.T) {
	stream := []byte(strings.Repeat("event: delta\ndata: {\"delta\":\"hello\"}\n\n", 1000))
	r := bytes.NewReader(stream)
	allocs := testing.AllocsPerRun(20, func() {
		r.Reset(stream)
		d := NewDecoder(r, 0)
		n := 0
		for {
			if _, err := d.Next(); err != nil {
				break
			}
			n++
		}
		if n != 1000 {
			t.Fatalf("decoded %d events, want 1000", n)
		}
	})
	// The decoder, its read buffer, its data buffer growing, and the
	// string of the event type: a few allocations per stream, not per event.
	assert.LessOrEqual(t, allocs, 10.0)
}
