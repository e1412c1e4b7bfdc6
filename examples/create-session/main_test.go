package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func TestRunAgainstVapitest(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "") // never the live API from a test
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, &out)
	}
	got := out.String()
	if !strings.HasPrefix(got, "no VAPI_API_KEY set: using the in-process vapitest server") {
		t.Errorf("output does not start by saying it uses vapitest:\n%s", got)
	}
	m := regexp.MustCompile(`(?m)^created session (\S+)$`).FindStringSubmatch(got)
	if m == nil || m[1] == "" {
		t.Fatalf("output has no created session id:\n%s", got)
	}
	id := m[1]
	for _, want := range []string{
		"read back session " + id,
		"renamed session " + id + ` to "go-sdk-example-renamed"`,
		"deleted session " + id,
		"assistant:   Support (openai gpt-4o)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestPrintValidationError(t *testing.T) {
	err := (&vapi.CreateSessionRequest{
		Name:     vapi.String(strings.Repeat("x", 41)),
		Status:   "paused",
		Customer: &vapi.CustomerConfig{Number: vapi.String("1")},
	}).Validate()
	if err == nil {
		t.Fatal("Validate accepted an invalid request")
	}
	var out bytes.Buffer
	printError(&out, err)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "invalid request, nothing was sent (3 problems)") {
		t.Fatalf("want a heading and one line per violation, got:\n%s", &out)
	}
	for _, field := range []string{"name: ", "status: ", "customer.number: "} {
		if !strings.Contains(out.String(), "\n  "+field) {
			t.Errorf("no line for %s in:\n%s", field, &out)
		}
	}
}

func TestPrintAPIError(t *testing.T) {
	srv := vapitest.NewServer()
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("test-key"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Sessions.Get(context.Background(), "00000000-0000-4000-8000-00000000dead")
	if err == nil {
		t.Fatal("Get of an unknown id succeeded")
	}
	var out bytes.Buffer
	printError(&out, err)
	for _, want := range []string{"the API refused the call: ", "\n  status:      404 Not Found\n", "\n  message:     "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
