// Command retries shows how the client meets a struggling API: it retries
// transient failures with backoff, honours Retry-After, hands back at once a
// Retry-After longer than it is willing to wait, never retries other client
// errors, and stops when the context ends.
//
// It runs offline against the in-process fake from package vapitest, whose
// Fail method makes the next requests fail on purpose:
//
//	go run ./examples/retries
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	srv := vapitest.NewServer()
	defer srv.Close()

	client, err := vapi.NewClient(
		vapi.WithBaseURL(srv.URL),
		vapi.WithAPIKey("vapitest-dummy-key"),
		vapi.WithMaxRetries(3),                                 // default 2
		vapi.WithRetryWait(50*time.Millisecond, 2*time.Second), // default 500ms, 8s
	)
	if err != nil {
		return err
	}
	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("retries-demo")})
	if err != nil {
		return err
	}

	// 1. Two 503s, then success: the call retries with jittered exponential
	// backoff and returns the session. WithResponseInto tells how many
	// attempts it took; WithLogger shows each one.
	srv.Fail(vapitest.Failure{Count: 2, Status: http.StatusServiceUnavailable})
	var resp vapi.Response
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropVarying}))
	got, err := client.Sessions.Get(ctx, session.ID, vapi.WithResponseInto(&resp), vapi.WithLogger(logger))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "1. two 503s, then got session %q: %d attempts, final status %d\n\n", *got.Name, resp.Attempts, resp.StatusCode)

	// 2. A 429 whose Retry-After (1s) is within the max wait: the call waits
	// as asked, then succeeds.
	srv.Fail(vapitest.Failure{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}})
	start := time.Now()
	if _, err := client.Sessions.Get(ctx, session.ID, vapi.WithResponseInto(&resp)); err != nil {
		return err
	}
	fmt.Fprintf(out, "2. 429 with Retry-After: 1 -> waited %v, then succeeded on attempt %d\n\n",
		time.Since(start).Truncate(time.Second), resp.Attempts)

	// 3. A 429 whose Retry-After (120s) is beyond the max wait (2s): the call
	// does not sleep, it returns the *APIError at once with RetryAfter set,
	// so that the caller can schedule the work for later.
	srv.Fail(vapitest.Failure{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"120"}}})
	start = time.Now()
	_, err = client.Sessions.Get(ctx, session.ID)
	var apiErr *vapi.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("step 3: want an *APIError, got %v", err)
	}
	fmt.Fprintf(out, "3. 429 with Retry-After: 120 -> returned within 1s: %t\n", time.Since(start) < time.Second)
	fmt.Fprintf(out, "   errors.Is(err, vapi.ErrRateLimited): %t\n", errors.Is(err, vapi.ErrRateLimited))
	fmt.Fprintf(out, "   apiErr.StatusCode: %d, apiErr.RetryAfter: %v\n", apiErr.StatusCode, apiErr.RetryAfter)
	fmt.Fprintf(out, "   err: %v\n\n", err)

	// 4. Other 4xx statuses are never retried. WithoutValidation lets an
	// invalid name reach the server, which rejects it with a 400.
	_, err = client.Sessions.Update(ctx, session.ID,
		&vapi.UpdateSessionRequest{Name: vapi.String(strings.Repeat("x", 41))},
		vapi.WithoutValidation(), vapi.WithResponseInto(&resp))
	fmt.Fprintf(out, "4. 400 Bad Request -> %d attempt, errors.Is(err, vapi.ErrBadRequest): %t\n", resp.Attempts, errors.Is(err, vapi.ErrBadRequest))
	fmt.Fprintf(out, "   err: %v\n\n", err)

	// 5. Retries never outlive the context: with the API down and a 300ms
	// deadline, the call gives up when the deadline passes, even in the
	// middle of a backoff wait. WithMaxRetries and WithRetryWait here apply
	// to this one call only.
	srv.Fail(vapitest.Failure{Count: 100, Status: http.StatusBadGateway})
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = client.Sessions.Get(short, session.ID, vapi.WithMaxRetries(10), vapi.WithRetryWait(time.Second, 5*time.Second))
	fmt.Fprintf(out, "5. API down, 300ms deadline -> gave up after ~%v, errors.Is(err, context.DeadlineExceeded): %t\n",
		time.Since(start).Round(100*time.Millisecond), errors.Is(err, context.DeadlineExceeded))
	return nil
}

// dropVarying removes the time and duration of log records, which change
// from run to run.
func dropVarying(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey || a.Key == "duration" {
		return slog.Attr{}
	}
	return a
}
