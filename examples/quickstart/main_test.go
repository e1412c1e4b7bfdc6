package main

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's quickstart is this program, byte for byte, so that the code
// a new user copies is code that go test builds and runs.
func TestREADMEQuickstartIsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "\n## Quickstart\n")
	if !ok {
		t.Fatal(`README.md has no "## Quickstart" section`)
	}
	_, block, ok := strings.Cut(after, "```go\n")
	if !ok {
		t.Fatal("the Quickstart section has no go code block")
	}
	block, _, _ = strings.Cut(block, "```\n")
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	// main.go starts with a doc comment of its own; the README starts
	// at the package clause.
	_, program, _ := strings.Cut(string(src), "\npackage main\n")
	if want := "package main\n" + program; block != want {
		t.Errorf("README.md's quickstart differs from examples/quickstart/main.go; paste main.go from its package clause on:\n%s", want)
	}
}

// Run as written with no key, the quickstart says it uses vapitest and
// prints the session and the streamed reply.
func TestQuickstartRunsWithoutAKey(t *testing.T) {
	t.Setenv("VAPI_API_KEY", "")
	t.Setenv("VAPI_BASE_URL", "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, r)
		close(done)
	}()
	func() {
		defer func() { os.Stdout = stdout }()
		main()
	}()
	_ = w.Close()
	<-done
	got := out.String()
	if !strings.HasPrefix(got, "no VAPI_API_KEY: using the in-process vapitest server\n") {
		t.Errorf("the output does not start by saying it uses vapitest:\n%s", got)
	}
	if !regexp.MustCompile(`(?m)^session \S+ active$`).MatchString(got) {
		t.Errorf("the output has no active session:\n%s", got)
	}
	if !strings.Contains(got, `you said "Where is my order?"`) {
		t.Errorf("the output has no streamed reply:\n%s", got)
	}
}
