package vapi_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// keyPrefix is the start of testAPIKey: finding it anywhere means the key,
// whole or cut at some cap, leaked.
var keyPrefix = testAPIKey[:12]

// hostileEnv is what a row of TestHostileServers gets: clients that log
// every attempt into one buffer, which the table then checks for the key.
type hostileEnv struct {
	t    *testing.T
	mu   sync.Mutex
	logs bytes.Buffer
}

func (e *hostileEnv) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.logs.Write(p)
}

// client returns a client for base with the test key, short retry waits and
// a debug logger writing into the env.
func (e *hostileEnv) client(base string, opts ...vapi.Option) *vapi.Client {
	e.t.Helper()
	logger := slog.New(slog.NewTextHandler(e, &slog.HandlerOptions{Level: slog.LevelDebug}))
	all := append([]vapi.Option{
		vapi.WithAPIKey(testAPIKey),
		vapi.WithBaseURL(base),
		vapi.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		vapi.WithLogger(logger),
	}, opts...)
	c, err := vapi.NewClient(all...)
	require.NoError(e.t, err)
	e.t.Cleanup(c.CloseIdleConnections)
	return c
}

// counter is a loopback server that answers every request with a session
// and counts the requests that reach it: the place a redirect must not lead.
func counter(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		reply(w, 200, testSessionJSON)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// redirector answers every request with status and a Location of target.
func redirector(t *testing.T, status int, target string) *testServer {
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target)
		w.WriteHeader(status)
	})
}

// rawServer serves each connection with respond, which writes raw bytes
// after the request has been read, and then closes the connection.
func rawServer(t *testing.T, respond func(w io.Writer, r *http.Request)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				respond(conn, req)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// bigBody streams size bytes of a JSON object that never ends, in 64 KiB
// writes, and counts what it managed to write.
func bigBody(size int, written *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		n, _ := io.WriteString(w, `{"id":"sess-1","name":"`)
		written.Add(int64(n))
		for written.Load() < int64(size) {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
}

// gzipBomb is a gzip stream that inflates to a JSON object of about size
// bytes.
func gzipBomb(t testing.TB, size int) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, _ = io.WriteString(zw, `{"id":"sess-1","name":"`)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range size >> 20 {
		_, _ = zw.Write(chunk)
	}
	_, _ = io.WriteString(zw, `"}`)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// allocatedBy returns how many bytes the process allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileServers has one row per finding of an attack-minded review of
// the first release, each reproduced against a loopback server. Every row
// returns what the SDK handed back (values and errors), and the table
// checks that none of it, nor any log line, shows the API key.
func TestHostileServers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, env *hostileEnv) []any
	}{
		{"redirects to plain http on the same host are returned, not followed, so the key is not sent in clear", func(t *testing.T, env *hostileEnv) []any {
			plain, hits := counter(t)
			var status atomic.Int32
			tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Same host name (127.0.0.1), plain http.
				http.Redirect(w, r, plain.URL+r.URL.Path, int(status.Load()))
			}))
			t.Cleanup(tlsSrv.Close)
			c := env.client(tlsSrv.URL, vapi.WithHTTPClient(tlsSrv.Client()))
			var out []any
			for _, code := range []int{301, 302, 307, 308} {
				status.Store(int32(code))
				s, err := c.Sessions.Get(ctx, "sess-1")
				var apiErr *vapi.APIError
				require.ErrorAs(t, err, &apiErr, "status %d", code)
				assert.Equal(t, code, apiErr.StatusCode)
				assert.Equal(t, plain.URL+"/session/sess-1", apiErr.Header.Get("Location"))
				assert.Contains(t, err.Error(), "not followed")
				assert.Nil(t, s)
				out = append(out, s, err, apiErr)
			}
			assert.Zero(t, hits.Load(), "the plain http server saw no request")
			return out
		}},
		{"redirects to another port or host are not followed, so neither the key nor WithHeader headers go there", func(t *testing.T, env *hostileEnv) []any {
			other, hits := counter(t)
			otherHost := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
			var out []any
			for _, target := range []string{other.URL, otherHost} {
				srv := redirector(t, http.StatusTemporaryRedirect, target+"/session/sess-1")
				c := env.client(srv.URL, vapi.WithHeader("X-Team-Secret", "s3cret"))
				_, err := c.Sessions.Get(ctx, "sess-1")
				require.Error(t, err)
				assert.Equal(t, 1, srv.Count(), "a 3xx is not retried")
				out = append(out, err)
			}
			assert.Zero(t, hits.Load())
			return out
		}},
		{"a 301 or 302 to the list does not turn Create into a GET that returns a zero session", func(t *testing.T, env *hostileEnv) []any {
			var out []any
			for _, status := range []int{301, 302, 303} {
				srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodGet {
						reply(w, 200, `{"results":[],"metadata":{"itemsPerPage":100,"totalItems":0,"currentPage":1}}`)
						return
					}
					w.Header().Set("Location", "/session")
					w.WriteHeader(status)
				})
				c := env.client(srv.URL)
				s, err := c.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("x")})
				assert.Nil(t, s)
				var apiErr *vapi.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				require.Equal(t, 1, srv.Count())
				assert.Equal(t, "POST", srv.Requests()[0].Method)
				out = append(out, err)
			}
			return out
		}},
		{"redirects are not followed with the user's own http.Client either, which is left unchanged", func(t *testing.T, env *hostileEnv) []any {
			other, hits := counter(t)
			srv := redirector(t, http.StatusFound, other.URL+"/session/sess-1")
			follow := func(*http.Request, []*http.Request) error { return nil }
			transport := &http.Transport{}
			t.Cleanup(transport.CloseIdleConnections)
			users := []*http.Client{{}, {Transport: transport, CheckRedirect: follow}}
			var out []any
			for _, hc := range users {
				before := fmt.Sprintf("%p %p", hc.CheckRedirect, hc.Transport)
				c := env.client(srv.URL, vapi.WithHTTPClient(hc))
				_, err := c.Sessions.Get(ctx, "sess-1")
				require.ErrorAs(t, err, new(*vapi.APIError))
				// And per call, too.
				_, err2 := env.client(srv.URL).Sessions.Get(ctx, "sess-1", vapi.WithHTTPClient(hc))
				require.ErrorAs(t, err2, new(*vapi.APIError))
				assert.Equal(t, before, fmt.Sprintf("%p %p", hc.CheckRedirect, hc.Transport), "the user's client is not modified")
				out = append(out, err, err2)
			}
			assert.Zero(t, hits.Load())
			return out
		}},
		{"a 100 MiB body is not read past the 32 MiB cap", func(t *testing.T, env *hostileEnv) []any {
			var written, ignored atomic.Int64
			srv := newTestServer(t, bigBody(100<<20, &written))
			c := env.client(srv.URL)
			var resp vapi.Response
			measured := env.client(newTestServer(t, bigBody(100<<20, &ignored)).URL)
			allocated := allocatedBy(func() {
				_, _ = measured.Sessions.Get(ctx, "sess-1")
			})
			t.Logf("a 100 MiB body: %d MiB allocated", allocated>>20)
			assert.Less(t, allocated, uint64(48<<20), "reading stops at the 32 MiB cap, in one pass")
			s, err := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
			assert.Nil(t, s)
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), "larger than 33554432 bytes")
			assert.Less(t, written.Load(), int64(64<<20), "the client stopped reading")
			assert.LessOrEqual(t, len(resp.Body), 64<<10, "Response.Body keeps the first 64 KiB")
			return []any{err, resp}
		}},
		{"a body whose Content-Length is over the cap fails without being read", func(t *testing.T, env *hostileEnv) []any {
			var written atomic.Int64
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(100<<20))
				bigBody(100<<20, &written)(w, r)
			})
			_, err := env.client(srv.URL).Sessions.Get(ctx, "sess-1")
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			assert.Less(t, written.Load(), int64(64<<20))
			return []any{err}
		}},
		{"a 99 KiB gzip body that inflates to 100 MiB is stopped at the cap, counted after inflation", func(t *testing.T, env *hostileEnv) []any {
			bomb := gzipBomb(t, 100<<20)
			require.Less(t, len(bomb), 200<<10)
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				assert.Contains(t, r.Header.Get("Accept-Encoding"), "gzip", "Go's transport asks for gzip and inflates it")
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(bomb)
			})
			c := env.client(srv.URL)
			allocated := allocatedBy(func() {
				_, _ = c.Sessions.Get(ctx, "sess-1")
			})
			t.Logf("a gzip bomb: %d MiB allocated", allocated>>20)
			assert.Less(t, allocated, uint64(48<<20))
			_, err := c.Sessions.Get(ctx, "sess-1")
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), "larger than")
			// A transport that leaves the body compressed gets the same cap.
			rawTransport := &http.Transport{DisableCompression: true}
			t.Cleanup(rawTransport.CloseIdleConnections)
			raw := &http.Client{Transport: rawTransport}
			_, err2 := env.client(srv.URL, vapi.WithHTTPClient(raw), vapi.WithHeader("Accept-Encoding", "gzip")).Sessions.Get(ctx, "sess-1")
			require.ErrorIs(t, err2, vapi.ErrUnexpectedResponse)
			assert.Contains(t, err2.Error(), "larger than")
			return []any{err, err2}
		}},
		{"printing the client with any verb never shows the key", func(t *testing.T, env *hostileEnv) []any {
			c := env.client("https://api.vapi.ai", vapi.WithHeader("X-Other-Secret", testAPIKey))
			assert.Equal(t, `vapi.Client{BaseURL: "https://api.vapi.ai"}`, fmt.Sprintf("%+v", c))
			return []any{c, *c, c.Sessions}
		}},
		{"a malformed header that echoes the key leaves it in no error of the chain", func(t *testing.T, env *hostileEnv) []any {
			base := rawServer(t, func(w io.Writer, r *http.Request) {
				fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nEcho %s\r\n\r\n{}", r.Header.Get("Authorization"))
			})
			_, err := env.client(base, vapi.WithMaxRetries(1)).Sessions.Get(ctx, "sess-1")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "malformed")
			assert.Contains(t, err.Error(), "[REDACTED]")
			return []any{err}
		}},
		{"the 64 KiB cap on error bodies does not cut the key into a prefix that escapes redaction", func(t *testing.T, env *hostileEnv) []any {
			var offset atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				// Keys before the cap shrink the body on redaction, and
				// pull what follows the read window into the kept part.
				body := strings.Repeat(testAPIKey, 100) + strings.Repeat("x", 64<<10-int(offset.Load())-100*len(testAPIKey))
				reply(w, 400, body+testAPIKey+strings.Repeat(testAPIKey+"y", 4000))
			})
			c := env.client(srv.URL)
			var out []any
			for _, cut := range []int{1, 2, 8, 12, 24, len(testAPIKey) - 1, len(testAPIKey)} {
				offset.Store(int32(cut))
				var resp vapi.Response
				_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
				var apiErr *vapi.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.LessOrEqual(t, len(apiErr.Body), 64<<10)
				// Nothing else in the body starts like the key: any piece of
				// it is a leak.
				assert.NotContains(t, string(apiErr.Body), testAPIKey[:4], "cut %d", cut)
				assert.NotContains(t, string(resp.Body), testAPIKey[:4], "cut %d", cut)
				out = append(out, err, apiErr.Body, resp.Body)
			}
			return out
		}},
		{"a base URL with userinfo is never quoted in an error", func(t *testing.T, env *hostileEnv) []any {
			var out []any
			for _, u := range []string{
				"https://" + testAPIKey + "@[::1",          // does not parse
				"https://user:" + testAPIKey + "@[::1",     // does not parse
				"https://" + testAPIKey + "@api.vapi.ai",   // parses, refused
				"ftp://" + testAPIKey + "@api.vapi.ai",     // wrong scheme
				"http://" + testAPIKey + "@api.vapi.ai:80", // plain http
			} {
				_, err := vapi.NewClient(vapi.WithAPIKey("sk-other"), vapi.WithBaseURL(u))
				require.Error(t, err)
				t.Setenv("VAPI_BASE_URL", u)
				_, envErr := vapi.NewClient(vapi.WithAPIKey("sk-other"))
				require.Error(t, envErr)
				out = append(out, err, envErr)
			}
			return out
		}},
		{"control characters from the server are escaped in Error(), so no log line can be forged", func(t *testing.T, env *hostileEnv) []any {
			forged := "bad\nvapi: GET /session/x: 200 OK\r\x1b[2K\u2028\u202e"
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := json.Marshal(map[string]any{"message": []string{forged}, "error": "Bad\nRequest"})
				reply(w, 400, string(b))
			})
			_, err := env.client(srv.URL).Sessions.Get(ctx, "sess-1")
			require.Error(t, err)
			base := rawServer(t, func(w io.Writer, r *http.Request) {
				_, _ = io.WriteString(w, "HTTP/1.1 200 OK\r\nEvil\x1b[31m line\r\n\r\n{}")
			})
			_, err2 := env.client(base, vapi.WithMaxRetries(0)).Sessions.Get(ctx, "sess-1")
			require.Error(t, err2)
			srv3 := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				_, _ = io.WriteString(w, `{"id":"x"`+"\n\x1b[31m")
			})
			_, err3 := env.client(srv3.URL).Sessions.Get(ctx, "sess-1")
			require.ErrorIs(t, err3, vapi.ErrUnexpectedResponse)
			for _, e := range []error{err, err2, err3} {
				assert.NotContains(t, e.Error(), "\n")
				assert.NotContains(t, e.Error(), "\r")
				assert.NotContains(t, e.Error(), "\x1b")
				assert.NotContains(t, e.Error(), "\u2028")
				assert.NotContains(t, e.Error(), "\u202e")
			}
			assert.Contains(t, err.Error(), `bad\nvapi: GET /session/x: 200 OK\r\x1b[2K\u2028\u202e`)
			assert.Contains(t, err.Error(), `Bad\nRequest`)
			var apiErr *vapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, []string{forged}, apiErr.Messages, "the fields keep the server's text as it was")
			return []any{err, err2, err3}
		}},
		{`ids "", "." and ".." are refused before any request`, func(t *testing.T, env *hostileEnv) []any {
			srv := newTestServer(t, sessionHandler(200))
			c := env.client(srv.URL)
			var out []any
			for _, id := range []string{"", ".", ".."} {
				for name, call := range map[string]func() (*vapi.Session, error){
					"Get":    func() (*vapi.Session, error) { return c.Sessions.Get(ctx, id) },
					"Update": func() (*vapi.Session, error) { return c.Sessions.Update(ctx, id, nil) },
					"Delete": func() (*vapi.Session, error) { return c.Sessions.Delete(ctx, id) },
				} {
					s, err := call()
					assert.Nil(t, s)
					assert.Error(t, err, "%s(%q)", name, id)
					out = append(out, err)
				}
			}
			assert.Zero(t, srv.Count())
			return out
		}},
		{"a 2xx body that is null, not an object, or a session without id is an unexpected response", func(t *testing.T, env *hostileEnv) []any {
			var body atomic.Value
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, body.Load().(string)) })
			c := env.client(srv.URL)
			var out []any
			for _, b := range []string{`null`, ` null `, `"sess-1"`, `[]`, `42`, `true`, `{}`, `{"id":""}`, `{"name":"x"}`} {
				body.Store(b)
				for name, call := range map[string]func() (any, error){
					"Create": func() (any, error) { return c.Sessions.Create(ctx, nil) },
					"Get":    func() (any, error) { return c.Sessions.Get(ctx, "sess-1") },
					"Update": func() (any, error) { return c.Sessions.Update(ctx, "sess-1", nil) },
					"Delete": func() (any, error) { return c.Sessions.Delete(ctx, "sess-1") },
				} {
					v, err := call()
					assert.Nil(t, v, "%s with body %s", name, b)
					assert.ErrorIs(t, err, vapi.ErrUnexpectedResponse, "%s with body %s", name, b)
					out = append(out, err)
				}
				if b == `{}` || b == `{"id":""}` || b == `{"name":"x"}` {
					continue // a page need not carry an id
				}
				page, err := c.Sessions.List(ctx, nil)
				assert.Nil(t, page)
				assert.ErrorIs(t, err, vapi.ErrUnexpectedResponse, "List with body %s", b)
				out = append(out, err)
			}
			return out
		}},
		{"a Retry-After too large to represent returns the APIError at once", func(t *testing.T, env *hostileEnv) []any {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "99999999999999999999")
				reply(w, 429, `{"message":"later"}`)
			})
			start := time.Now()
			_, err := env.client(srv.URL, vapi.WithRetryWait(time.Second, 2*time.Second)).Sessions.Get(ctx, "sess-1")
			assert.Less(t, time.Since(start), 500*time.Millisecond)
			var apiErr *vapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Greater(t, apiErr.RetryAfter, 100*365*24*time.Hour)
			assert.Equal(t, 1, srv.Count(), "not retried")
			return []any{err}
		}},
		{"NewClient refuses WithResponseInto, which concurrent calls would share", func(t *testing.T, env *hostileEnv) []any {
			var resp vapi.Response
			_, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithResponseInto(&resp))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "WithResponseInto")
			return []any{err}
		}},
		{"ListAll stops with an error when the server cycles cursors A, B, A", func(t *testing.T, env *hostileEnv) []any {
			var n atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				i := n.Add(1)
				next := []string{"A", "B"}[i%2]
				reply(w, 200, fmt.Sprintf(`{"results":[{"id":"s%d","orgId":"o","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}],"metadata":{"itemsPerPage":1,"totalItems":9,"currentPage":1,"nextCursor":%q}}`, i, next))
			})
			got, err := collect(t, env.client(srv.URL), nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "nextCursor it had already sent")
			assert.Equal(t, []string{"s1", "s2", "s3"}, got)
			assert.Equal(t, 3, srv.Count())
			return []any{err}
		}},
		{"ListAll stops with an error when the server always says there is a next page and repeats the page", func(t *testing.T, env *hostileEnv) []any {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"results":[`+testSessionJSON+`],"metadata":{"itemsPerPage":1,"totalItems":9,"currentPage":1,"hasNextPage":true}}`)
			})
			got, err := collect(t, env.client(srv.URL), nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "page it had already sent")
			assert.Equal(t, []string{"sess-1"}, got, "the repeated page is not yielded again")
			assert.Equal(t, 2, srv.Count())
			return []any{err}
		}},
		{"ListAll stops with an error when the server says there is a next page but sends no results", func(t *testing.T, env *hostileEnv) []any {
			for _, meta := range []string{`"hasNextPage":true`, `"nextCursor":"more"`, `"totalPages":5`} {
				srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
					reply(w, 200, `{"results":[],"metadata":{"itemsPerPage":1,"totalItems":9,"currentPage":1,`+meta+`}}`)
				})
				_, err := collect(t, env.client(srv.URL), nil)
				require.Error(t, err, meta)
				assert.Contains(t, err.Error(), "without results")
				assert.Equal(t, 1, srv.Count())
			}
			return nil
		}},
		{"32 goroutines sharing one client open at most 64 connections for 1,280 calls", func(t *testing.T, env *hostileEnv) []any {
			var opened atomic.Int32
			srv := httptest.NewUnstartedServer(sessionHandler(200))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					opened.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)
			c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(srv.URL))
			require.NoError(t, err)
			t.Cleanup(c.CloseIdleConnections)
			var wg sync.WaitGroup
			var failed atomic.Int32
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 40 {
						if _, err := c.Sessions.Get(ctx, "sess-1"); err != nil {
							failed.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			assert.Zero(t, failed.Load())
			t.Logf("%d connections opened for 1,280 calls", opened.Load())
			assert.LessOrEqual(t, opened.Load(), int32(64))
			return nil
		}},
		{"a Create retried after a 502 makes two sessions by default, and one under WithoutDuplicateCreates", func(t *testing.T, env *hostileEnv) []any {
			srv := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 502, `{"message":"bad gateway"}`)
			}))
			c := env.client(srv.URL)
			_, err := c.Sessions.Create(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, 2, srv.Count(), "the default retries: a second POST")

			srv2 := newTestServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 502, `{"message":"bad gateway"}`)
			}))
			_, err2 := env.client(srv2.URL).Sessions.Create(ctx, nil, vapi.WithoutDuplicateCreates())
			require.ErrorIs(t, err2, vapi.ErrServer)
			assert.Equal(t, 1, srv2.Count(), "the option does not retry what the server may have acted on")
			return []any{err2}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &hostileEnv{t: t}
			got := tt.run(t, env)
			for i, v := range got {
				assertNoKey(t, fmt.Sprintf("value %d", i), v)
			}
			env.mu.Lock()
			defer env.mu.Unlock()
			assert.NotContains(t, env.logs.String(), keyPrefix, "a log line shows the key")
		})
	}
}

// assertNoKey checks that v shows no part of the API key: printed with %v,
// %+v, %#v and %s, as JSON, and, for an error, every error of its Unwrap
// chain printed the same ways.
func assertNoKey(t *testing.T, what string, v any) {
	t.Helper()
	for _, s := range renderings(v) {
		if strings.Contains(s, keyPrefix) || strings.Contains(strings.ToLower(s), strings.ToLower(keyPrefix)) {
			t.Errorf("%s shows the key: %.300q", what, s)
			return
		}
	}
}

// renderings returns the ways v can be printed or serialized.
func renderings(v any) []string {
	var out []string
	add := func(x any) {
		out = append(out, fmt.Sprintf("%v", x), fmt.Sprintf("%+v", x), fmt.Sprintf("%#v", x), fmt.Sprintf("%s", x))
	}
	add(v)
	switch v := v.(type) {
	case []byte:
		out = append(out, string(v))
	case error:
		for _, e := range errorChain(v) {
			add(e)
			out = append(out, e.Error())
			var apiErr *vapi.APIError
			if errors.As(e, &apiErr) {
				out = append(out, string(apiErr.Body))
			}
		}
	case vapi.Response:
		out = append(out, string(v.Body))
	default:
		if b, err := json.Marshal(v); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// errorChain returns err and every error under it, following Unwrap() error
// and Unwrap() []error.
func errorChain(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// hygieneKey has a slash, so that \/ is one of its JSON spellings.
const hygieneKey = "sk-hyg/7c1e9a2b5d"

// keySpellings are ways a JSON text can spell hygieneKey: each decodes to
// the key.
var keySpellings = []string{
	hygieneKey,
	`\u0073k-hyg/7c1e9a2b5d`,
	`sk-hyg\/7c1e9a2b5d`,
	`\u0073\u006B-hyg\/7c1e9a\u0032b5d`,
	allEscaped(hygieneKey),
}

// allEscaped spells every character of s as \uXXXX, with upper-case hex.
func allEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04X`, r)
	}
	return b.String()
}

var jsonEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\/|\\"`)

// unescapeAll undoes JSON escapes, and escapes of escapes (a quoted
// snippet of a body), as a reader of the text could.
func unescapeAll(s string) string {
	for range 3 {
		s = strings.ReplaceAll(s, `\\`, `\`)
		s = jsonEscape.ReplaceAllStringFunc(s, func(e string) string {
			if e == `\/` || e == `\"` {
				return e[1:]
			}
			n, _ := strconv.ParseUint(e[2:], 16, 16)
			return string(rune(n))
		})
	}
	return s
}

// assertNoSpelledKey checks that no rendering of v, with its escapes
// undone, shows needle.
func assertNoSpelledKey(t *testing.T, what string, v any, needle string) {
	t.Helper()
	for _, s := range renderings(v) {
		if strings.Contains(unescapeAll(s), needle) {
			t.Errorf("%s shows the key: %.400q", what, s)
			return
		}
	}
}

// TestKeyHygiene: the key is kept out of what the SDK makes of server text
// (errors, APIError fields, logs, printed values), in every JSON spelling,
// and never out of the user's data: a 2xx body decodes exactly as sent.
func TestKeyHygiene(t *testing.T) {
	ctx := context.Background()
	type env struct {
		logs *bytes.Buffer
		c    func(url string, opts ...vapi.Option) *vapi.Client
	}
	newEnv := func(t *testing.T, key string) env {
		var logs bytes.Buffer
		var mu sync.Mutex
		logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return logs.Write(p)
		}), &slog.HandlerOptions{Level: slog.LevelDebug}))
		return env{&logs, func(url string, opts ...vapi.Option) *vapi.Client {
			c, err := vapi.NewClient(append([]vapi.Option{vapi.WithAPIKey(key), vapi.WithBaseURL(url),
				vapi.WithLogger(logger), vapi.WithRetryWait(time.Millisecond, 2*time.Millisecond), vapi.WithMaxRetries(0)}, opts...)...)
			require.NoError(t, err)
			t.Cleanup(c.CloseIdleConnections)
			return c
		}}
	}
	chatJSON := func(text string) string {
		b, _ := json.Marshal(text)
		return `{"id":"chat-1","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:03:11.482Z","output":[{"role":"assistant","content":` + string(b) + `}]}`
	}

	t.Run("a chat reply that contains a one-letter key decodes as sent, whole or streamed", func(t *testing.T) {
		e := newEnv(t, "k")
		srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			var req map[string]any
			_ = json.NewDecoder(r.Body).Decode(&req)
			if req["stream"] == true {
				rawStream(chatEvent("chat-1", "Than")+chatEvent("chat-1", "ks")+"data: [DONE]\n\n")(w, r)
				return
			}
			reply(w, 201, chatJSON("Thanks"))
		})
		c := e.c(srv.URL)
		chat, err := c.Chats.Create(ctx, chatReq)
		require.NoError(t, err)
		assert.Equal(t, "Thanks", chat.OutputText())
		s, err := c.Chats.Stream(ctx, chatReq)
		require.NoError(t, err)
		defer s.Close()
		readChat(s)
		require.NoError(t, s.Err())
		assert.Equal(t, "Thanks", s.Text())
	})

	for _, spelling := range []string{`my sk-demo name`, `my \u0073k-demo name`, `my \u0073\u006b\u002d\u0064\u0065\u006d\u006f name`} {
		t.Run("a session named "+spelling+" with the key sk-demo decodes as sent, and Response.Body is the raw body", func(t *testing.T) {
			e := newEnv(t, "sk-demo")
			body := `{"id":"sess-1","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:05:42.119Z","name":"` + spelling + `"}`
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, body) })
			var resp vapi.Response
			s, err := e.c(srv.URL).Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
			require.NoError(t, err)
			assert.Equal(t, "my sk-demo name", *s.Name, "the user's data is not redacted")
			assert.Equal(t, body, string(resp.Body), "Response.Body of a success is the raw body")
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				for _, v := range []any{resp, &resp, struct{ R vapi.Response }{resp}} {
					out := fmt.Sprintf(verb, v)
					assert.NotContains(t, unescapeAll(out), "sk-demo", "%s of a Response", verb)
					if verb == "%+v" {
						assert.Contains(t, out, "StatusCode:200")
					}
				}
			}
			assert.NotContains(t, e.logs.String(), "sk-demo")
		})
	}

	t.Run("a Response whose raw body holds no key prints its body as fmt would", func(t *testing.T) {
		e := newEnv(t, "sk-demo")
		srv := newTestServer(t, sessionHandler(200))
		var resp vapi.Response
		_, err := e.c(srv.URL).Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
		require.NoError(t, err)
		assert.Contains(t, fmt.Sprintf("%s", resp), testSessionJSON)
		assert.Contains(t, fmt.Sprintf("%#v", resp), "vapi.Response{StatusCode:200, ")
	})

	type row struct {
		name string
		run  func(t *testing.T, e env, spelling string) []any
	}
	rows := []row{
		{"an APIError and its Body show the key in no spelling", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 400, `{"message":["bad `+spelling+`"],"error":"`+spelling+`","statusCode":400}`)
			})
			var resp vapi.Response
			_, err := e.c(srv.URL).Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
			require.ErrorIs(t, err, vapi.ErrBadRequest)
			return []any{err, resp}
		}},
		{"an HTML error page shows the key in no spelling", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				_, _ = io.WriteString(w, "<html><title>"+spelling+"</title></html>")
			})
			_, err := e.c(srv.URL).Sessions.Get(ctx, "sess-1")
			require.ErrorIs(t, err, vapi.ErrServer)
			return []any{err}
		}},
		{"a 2xx that does not decode quotes the key in no spelling, nor does its Response", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{"id":"`+spelling+`",`) })
			var resp vapi.Response
			_, err := e.c(srv.URL).Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
			require.ErrorIs(t, err, vapi.ErrUnexpectedResponse)
			return []any{err, resp}
		}},
		{"an error event of a chat stream shows the key in no spelling", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, rawStream(chatEvent("chat-1", "a")+`event: error`+"\n"+`data: {"message":"`+spelling+`"}`+"\n\n"))
			s, err := e.c(srv.URL).Chats.Stream(ctx, chatReq)
			require.NoError(t, err)
			defer s.Close()
			readChat(s)
			require.Error(t, s.Err())
			return []any{s.Err(), s}
		}},
		{"a ResponseErrorEvent shows the key in no spelling in Err", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, rawStream(`data: {"type":"error","code":"`+spelling+`","message":"denied for `+spelling+`","param":null,"sequence_number":1}`+"\n\n"))
			s, err := e.c(srv.URL).Chats.StreamResponse(ctx, &vapi.OpenAIResponsesRequest{Input: vapi.ChatInputText("Hi")})
			require.NoError(t, err)
			defer s.Close()
			assert.False(t, s.Next())
			require.Error(t, s.Err())
			ev, ok := s.Event().(*vapi.ResponseErrorEvent)
			require.True(t, ok)
			assert.Equal(t, "denied for "+hygieneKey, ev.Message, "the event itself is the server's data")
			return []any{s.Err(), s}
		}},
		{"a stream event that does not decode quotes the key in no spelling", func(t *testing.T, e env, spelling string) []any {
			srv := newTestServer(t, rawStream(`data: {"id":"chat-1","delta":"`+spelling+`",}`+"\n\n"))
			s, err := e.c(srv.URL).Chats.Stream(ctx, chatReq)
			require.NoError(t, err)
			defer s.Close()
			readChat(s)
			require.ErrorIs(t, s.Err(), vapi.ErrUnexpectedResponse)
			return []any{s.Err()}
		}},
		{"the 64 KiB cap on error bodies cuts no spelling of the key into a prefix", func(t *testing.T, e env, spelling string) []any {
			var offset atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 400, strings.Repeat("x", 64<<10-int(offset.Load()))+spelling+strings.Repeat("y", 100))
			})
			c := e.c(srv.URL)
			var out []any
			// Every cut through the first escapes, then every third.
			for cut := 1; cut <= len(spelling); cut += 1 + min(cut/12, 2) {
				offset.Store(int32(cut))
				var resp vapi.Response
				_, err := c.Sessions.Get(ctx, "sess-1", vapi.WithResponseInto(&resp))
				var apiErr *vapi.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.LessOrEqual(t, len(apiErr.Body), 64<<10)
				assert.NotContains(t, unescapeAll(string(apiErr.Body)), hygieneKey[:3], "cut %d", cut)
				out = append(out, err, resp)
			}
			return out
		}},
	}
	for _, r := range rows {
		for _, spelling := range keySpellings {
			t.Run(r.name+": "+spelling, func(t *testing.T) {
				e := newEnv(t, hygieneKey)
				for i, v := range r.run(t, e, spelling) {
					assertNoSpelledKey(t, fmt.Sprintf("value %d", i), v, hygieneKey)
				}
				assert.NotContains(t, unescapeAll(e.logs.String()), hygieneKey, "a log line shows the key")
			})
		}
	}
}

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
