package sse_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/govapi/vapi/internal/sse"
)

func ExampleDecoder() {
	stream := strings.NewReader(": keep-alive\n" +
		"data: {\"delta\":\"Hel\"}\n\n" +
		"event: note\r\nid: 7\r\ndata: two\r\ndata: lines\r\n\r\n" +
		"data: [DONE]") // no blank line before the end: still delivered

	d := sse.NewDecoder(stream, 0) // 0: the default limit of 1 MiB per event
	for {
		ev, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s id=%q %q\n", ev.Type, ev.ID, ev.Data)
	}
	// Output:
	// message id="" "{\"delta\":\"Hel\"}"
	// note id="7" "two\nlines"
	// message id="7" "[DONE]"
}
