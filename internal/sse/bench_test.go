package sse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"testing"
)

// benchEvents is the number of events in the benchmark stream.
const benchEvents = 1000

// benchStream is a chat stream as Vapi sends it: one data line per event,
// the last one "[DONE]".
func benchStream() []byte {
	var b bytes.Buffer
	for i := range benchEvents - 1 {
		fmt.Fprintf(&b, "data: {\"id\":\"3f6c1e2a-8b7d-4c1e-9f2a-%012d\",\"sessionId\":\"7a1d9c40-2e6b-4f3a-b8c5-0d9e1f2a3b4c\",\"path\":\"chat.output[0].content\",\"delta\":\"word \"}\n\n", i)
	}
	b.WriteString("data: [DONE]\n\n")
	return b.Bytes()
}

// BenchmarkStream reads a 1,000-event stream with the Decoder and with the
// hand-written loop it replaces: a bufio.Scanner over lines that picks the
// "data:" lines. Compare the two with benchstat -col /reader.
func BenchmarkStream(b *testing.B) {
	stream := benchStream()
	r := bytes.NewReader(stream)
	report := func(b *testing.B, events, size int) {
		if events != benchEvents || size == 0 {
			b.Fatalf("read %d events of %d bytes, want %d events", events, size, benchEvents)
		}
		b.SetBytes(int64(len(stream)))
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchEvents), "ns/event")
	}

	b.Run("reader=decoder", func(b *testing.B) {
		b.ReportAllocs()
		var events, size int
		for range b.N {
			r.Reset(stream)
			d := NewDecoder(r, 0)
			events, size = 0, 0
			for {
				e, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				events++
				size += len(e.Data)
			}
		}
		report(b, events, size)
	})

	// The cost of handing each event its own copy of Data, which the
	// Decoder does not do.
	b.Run("reader=decoder-copying", func(b *testing.B) {
		b.ReportAllocs()
		var events, size int
		for range b.N {
			r.Reset(stream)
			d := NewDecoder(r, 0)
			events, size = 0, 0
			for {
				e, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				events++
				size += len(bytes.Clone(e.Data))
			}
		}
		report(b, events, size)
	})

	b.Run("reader=scanner", func(b *testing.B) {
		b.ReportAllocs()
		var events, size int
		for range b.N {
			r.Reset(stream)
			sc := bufio.NewScanner(r)
			sc.Buffer(make([]byte, 4096), DefaultMaxEventSize+len("data: "))
			events, size = 0, 0
			for sc.Scan() {
				data, ok := bytes.CutPrefix(sc.Bytes(), []byte("data:"))
				if !ok {
					continue
				}
				data = bytes.TrimPrefix(data, []byte(" "))
				events++
				size += len(data)
			}
			if err := sc.Err(); err != nil {
				b.Fatal(err)
			}
		}
		report(b, events, size)
	})
}
