package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, &out)
	}
	for _, want := range []string{
		"attempt=1 status=503",
		"attempt=3 status=200",
		"1. two 503s, then got session \"retries-demo\": 3 attempts, final status 200",
		"then succeeded on attempt 2",
		"returned within 1s: true",
		"errors.Is(err, vapi.ErrRateLimited): true",
		"apiErr.StatusCode: 429, apiErr.RetryAfter: 2m0s",
		"4. 400 Bad Request -> 1 attempt, errors.Is(err, vapi.ErrBadRequest): true",
		"errors.Is(err, context.DeadlineExceeded): true",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
