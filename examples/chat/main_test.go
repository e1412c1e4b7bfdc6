package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// timedWriter records what was written and when.
type timedWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes []timedWrite
}

type timedWrite struct {
	at   time.Time
	text string
}

func (w *timedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, timedWrite{time.Now(), string(p)})
	return w.buf.Write(p)
}

func TestRunAgainstVapitest(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "") // never the live API from a test
	var out timedWriter
	require.NoError(t, run(context.Background(), &out), "output:\n%s", out.buf.String())
	got := out.buf.String()
	assert.True(t, strings.HasPrefix(got, "no VAPI_API_KEY set: using the in-process vapitest server"), got)

	m := regexp.MustCompile(`(?m)^created session (\S+)$`).FindStringSubmatch(got)
	require.NotNil(t, m, got)
	id := m[1]
	for _, want := range []string{
		"you:       " + turns[0] + "\nassistant: Reply 1 from vapitest: you said \"" + turns[0] + "\".\n",
		"you:       " + turns[1] + "\nassistant: Reply 2 from vapitest: you said \"" + turns[1] + "\".\n",
		"you:       " + turns[2] + "\nassistant: Reply 3 from vapitest: you said \"" + turns[2] + "\".\n",
		"session " + id + " holds 6 messages\n",
	} {
		assert.Contains(t, got, want)
	}
	assert.Regexp(t, `\(streamed as chat [0-9a-f-]{36}\)`, got)

	// The second reply reached the output in pieces, over time: the
	// writes between the "assistant: " after the second question and the
	// line feed that ends the reply.
	var pieces []timedWrite
	asked, in := false, false
	for _, w := range out.writes {
		switch {
		case strings.Contains(w.text, turns[1]):
			asked = true
		case asked && !in && w.text == "assistant: ":
			in = true
		case in && w.text == "\n":
			asked, in = false, false
		case in:
			pieces = append(pieces, w)
		}
	}
	require.Greater(t, len(pieces), 2, "the streamed reply came in pieces")
	assert.Greater(t, pieces[len(pieces)-1].at.Sub(pieces[0].at), 100*time.Millisecond, "the pieces came over time")
}

func TestPrintError(t *testing.T) {
	err := (&vapi.CreateChatRequest{SessionID: vapi.String("s"), PreviousChatID: vapi.String("c")}).Validate()
	require.Error(t, err)
	var out bytes.Buffer
	printError(&out, err)
	assert.Contains(t, out.String(), "invalid request, nothing was sent (2 problems):\n")
	assert.Contains(t, out.String(), "\n  previousChatId: ")
	assert.Contains(t, out.String(), "\n  input: ")
}
