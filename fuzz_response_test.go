package vapi_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govapi/vapi"
)

// rawResponder is a loopback server that answers each request with the raw
// bytes it currently holds, then closes the connection.
type rawResponder struct {
	mu   sync.Mutex
	resp []byte
	url  string
}

func newRawResponder(f *testing.F) *rawResponder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ln.Close() })
	r := &rawResponder{url: "http://" + ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				r.mu.Lock()
				resp := r.resp
				r.mu.Unlock()
				_, _ = conn.Write(resp)
			}()
		}
	}()
	return r
}

func (r *rawResponder) set(resp []byte) {
	r.mu.Lock()
	r.resp = resp
	r.mu.Unlock()
}

// FuzzResponsePath answers the SDK's calls with arbitrary responses (status,
// header lines, body, gzip or not) in which "KEY" stands for the API key the
// client sends and "ESCKEY" for the same key spelt with a JSON escape. The
// SDK must never panic, must return either a session with an id or an
// error, and must show the key nowhere it did not put it itself: not in
// the errors it returns (printed with every verb, every error of the Unwrap
// chain), not in the Response of WithResponseInto of a failed call, not in
// the printed Response of a successful one, not in a log line. A decoded
// session is the user's data and holds what the server sent, key or not.
func FuzzResponsePath(f *testing.F) {
	f.Add(200, "Content-Type: application/json", []byte(testSessionJSON), false)
	f.Add(201, "X-Request-Id: KEY", []byte(`{"id":"KEY","name":"KEY"}`), true)
	f.Add(200, "", []byte(`{"id":"x","name":"ESCKEY"}`), false)
	f.Add(200, "", []byte(`{"results":[{"id":"KEY"}],"metadata":{"nextCursor":"KEY"}}`), false)
	f.Add(400, "Content-Type: application/json", []byte(`{"message":["bad KEY\n"],"error":"KEY\u001b[31m"}`), false)
	f.Add(401, "", []byte(`{"message":"ESCKEY","statusCode":401}`), false)
	f.Add(502, "Content-Type: text/html", []byte("<html><title>KEY &amp; sk&#45;</title></html>"), true)
	f.Add(302, "Location: https://KEY@evil.example/session", []byte(nil), false)
	f.Add(429, "Retry-After: 99999999999999999999", []byte(`{}`), false)
	f.Add(503, "Retry-After: 0\r\nCF-Ray: KEY", []byte(`oops`), false)
	f.Add(200, "Echo KEY", []byte(`{}`), false)
	f.Add(200, "KEY: v", []byte(`null`), false)
	f.Add(500, "", append(bytes.Repeat([]byte("x"), 64<<10-20), []byte("KEY KEY")...), false)
	f.Add(200, "", bytes.Repeat([]byte(`{"id":"`), 1000), true)
	f.Add(99, "Content-Length: 5", []byte("{}"), false)

	srv := newRawResponder(f)
	key := testAPIKey
	escKey := `\u00` + fmt.Sprintf("%02x", key[0]) + key[1:]
	f.Fuzz(func(t *testing.T, status int, header string, body []byte, gzipped bool) {
		header = strings.ReplaceAll(header, "KEY", key)
		body = bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("ESCKEY"), []byte(escKey)), []byte("KEY"), []byte(key))
		var raw bytes.Buffer
		fmt.Fprintf(&raw, "HTTP/1.1 %03d Status\r\n", ((status%1000)+1000)%1000)
		if header != "" {
			raw.WriteString(header)
			raw.WriteString("\r\n")
		}
		if gzipped {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			_, _ = zw.Write(body)
			_ = zw.Close()
			body = z.Bytes()
			raw.WriteString("Content-Encoding: gzip\r\n")
		}
		raw.WriteString("Connection: close\r\n\r\n")
		raw.Write(body)
		srv.set(raw.Bytes())

		// Pieces of the key in the input that are not part of a whole key
		// are the server's own text, not a leak.
		input := raw.String()
		checkPrefix := strings.Count(input, keyPrefix) == strings.Count(input, key)

		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := vapi.NewClient(vapi.WithAPIKey(key), vapi.WithBaseURL(srv.url), vapi.WithLogger(logger),
			vapi.WithMaxRetries(1), vapi.WithRetryWait(0, 0), vapi.WithTimeout(3*time.Second),
			vapi.WithMaxResponseBytes(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		ctx := context.Background()

		var getResp, listResp vapi.Response
		s, getErr := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&getResp))
		if getErr == nil && (s == nil || s.ID == "") {
			t.Fatalf("Get returned %#v and no error", s)
		}
		page, listErr := c.Sessions.List(ctx, nil, vapi.WithResponseInto(&listResp))
		if listErr == nil && page == nil {
			t.Fatal("List returned no page and no error")
		}
		var walked []any
		for item, err := range c.Sessions.ListAll(ctx, nil) {
			walked = append(walked, item, err)
			if len(walked) > 100 {
				break
			}
		}

		check := func(what string, v any) {
			t.Helper()
			for _, r := range renderings(v) {
				if strings.Contains(r, key) || strings.Contains(strings.ToLower(r), strings.ToLower(key)) ||
					(checkPrefix && strings.Contains(r, keyPrefix)) {
					t.Fatalf("%s shows the key: %.400q", what, r)
				}
			}
		}
		// A Response of a success holds the raw body, the user's data;
		// printed (a pointer: fmt only, no raw Body), it shows no key.
		response := func(r *vapi.Response, err error) any {
			if err == nil {
				return r
			}
			return *r
		}
		check("Get's error", getErr)
		check("Get's Response", response(&getResp, getErr))
		check("List's error", listErr)
		check("List's Response", response(&listResp, listErr))
		for i, v := range walked {
			if err, ok := v.(error); ok {
				check(fmt.Sprintf("ListAll's error %d", i), err)
			}
		}
		check("the log", logs.String())
		for _, err := range []error{getErr, listErr} {
			if err != nil && strings.ContainsAny(err.Error(), "\n\r\x1b") {
				t.Fatalf("an error string holds a control character: %q", err.Error())
			}
		}
	})
}
