package sse

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDecode decodes a whole stream the way the standard's prose reads,
// line by line over a string, with the package's documented departures (a
// final unterminated event is delivered; sizes are limited). It is slow and
// obvious on purpose: the fuzz target checks the Decoder against it.
func referenceDecode(in []byte, max int) (decoded, error) {
	if max <= 0 {
		max = DefaultMaxEventSize
	}
	s := strings.TrimPrefix(string(in), "\xEF\xBB\xBF")
	var lines []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if strings.HasPrefix(s[i:], "\r\n") {
			s = s[i+2:]
		} else {
			s = s[i+1:]
		}
	}

	var (
		out           decoded
		data, typ, id string
	)
	dispatch := func() {
		if data != "" {
			t := typ
			if t == "" {
				t = "message"
			}
			out.Events = append(out.Events, ev{ID: id, Type: t, Data: strings.TrimSuffix(data, "\n")})
		}
		data, typ = "", ""
	}
	for _, line := range lines {
		if line == "" {
			dispatch()
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch field {
		case "data":
			data += value + "\n"
			if len(data)-1 > max {
				return out, ErrEventTooLarge
			}
		case "event":
			if len(value) > max {
				return out, ErrEventTooLarge
			}
			typ = value
		case "id":
			if len(value) > max {
				return out, ErrEventTooLarge
			}
			if !strings.Contains(value, "\x00") {
				id = value
				out.LastID = id
			}
		case "retry":
			if strings.Trim(value, "0123456789") == "" {
				if n, err := strconv.ParseInt(value, 10, 64); err == nil && n <= maxRetryMillis {
					out.Retry = time.Duration(n) * time.Millisecond
				}
			}
		}
	}
	dispatch()
	return out, io.EOF
}

// splitReader returns its data in reads whose sizes cycle through sizes. A
// size of zero is a read that returns nothing (and no error), but never two
// in a row, and with no sizes reads are of one byte.
type splitReader struct {
	data  []byte
	sizes []byte
	i     int
	empty bool // the last read returned nothing
}

func (s *splitReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(s.sizes) > 0 {
		n = int(s.sizes[s.i%len(s.sizes)])
		s.i++
	}
	if s.empty {
		n = max(n, 1)
	}
	s.empty = n == 0
	n = min(n, len(p), len(s.data))
	copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

func FuzzDecoder(f *testing.F) {
	seeds := []string{
		"data: hello\n\n",
		"data: a\r\ndata: b\r\n\r\n",
		"data: a\rdata: b\r\r",
		"\xEF\xBB\xBFdata: a\n\n",
		"\xEF\xBB",
		": comment\nevent: add\nid: 1\nretry: 100\ndata: x\n\n",
		"id: 1\x002\ndata\ndata\n\n",
		"retry: 99999999999999999999\ndata: a",
		"data: 123456789\n\ndata: b\n\n",
		"event: 123456789\nid: 123456789\n\n",
		"data: {\"id\":\"c1\",\"delta\":\"Hel\"}\n\ndata: [DONE]\n\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(8), []byte{3, 1, 7})
		f.Add([]byte(s), uint8(0), []byte{})
	}
	f.Fuzz(func(t *testing.T, in []byte, maxSize uint8, sizes []byte) {
		max := int(maxSize)
		limit := max
		if limit == 0 {
			limit = DefaultMaxEventSize
		}

		whole, wholeErr := decodeStream(bytes.NewReader(in), max)
		for _, e := range whole.Events {
			require.LessOrEqual(t, len(e.Data), limit, "data size")
			if e.Type != "message" { // the default type is not read from the stream
				require.LessOrEqual(t, len(e.Type), limit, "type size")
			}
			require.LessOrEqual(t, len(e.ID), limit, "id size")
		}

		want, wantErr := referenceDecode(in, max)
		assert.Equal(t, want, whole, "compared with the reference")
		require.ErrorIs(t, wholeErr, wantErr)

		bytewise, err := decodeStream(iotest.OneByteReader(bytes.NewReader(in)), max)
		assert.Equal(t, whole, bytewise, "read one byte at a time")
		require.ErrorIs(t, err, wantErr)

		split, err := decodeStream(&splitReader{data: in, sizes: sizes}, max)
		assert.Equal(t, whole, split, "read in reads of sizes %v", sizes)
		require.ErrorIs(t, err, wantErr)

		bufSize := 3
		if len(sizes) > 0 {
			bufSize += int(sizes[0]) % 14
		}
		small, err := decode(withBuffer(NewDecoder(bytes.NewReader(in), max), bufSize))
		assert.Equal(t, whole, small, "read with a %d-byte buffer", bufSize)
		require.ErrorIs(t, err, wantErr)
	})
}
