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
		" 1  00000000-0000-4000-8000-000000000001  session-01\n",
		"25  00000000-0000-4000-8000-000000000019  session-25\n",
		"listed 25 sessions in 3 requests\n",
		"found session-12 (00000000-0000-4000-8000-00000000000c) in 2 requests\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
