package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutboundCallRunsAgainstVapitestWithoutAKey(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	for _, want := range []string{"using the in-process vapitest server", "created function tool ", "created assistant ", "imported phone number ", ": queued", ": in-progress", "ended: customer-ended-call", "cost: $", "transcript:",
		"server URL: status-update queued", "server URL: status-update ringing", "server URL: status-update in-progress",
		"server URL: status-update ended", "server URL: end-of-call-report, customer-ended-call"} {
		assert.Contains(t, out.String(), want)
	}
}
