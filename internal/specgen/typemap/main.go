// Command typemap writes the table that tells the SDK's spec-driven tests
// which Go type each schema of the spec is. It reads the generated types
// (every type's doc comment names its schema: "Spec schema: X.") and writes
// a _test.go file of package vapi_test with one constructor per schema, so
// that a test can decode a document of any schema into its Go type without
// a hand-kept list. Run it through `go generate ./...` from the repository
// root; it runs after the generator that writes types.go.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("types", "types.go", "the generated Go types to read")
	out := flag.String("out", "schematypes_gen_test.go", "the test file to write")
	flag.Parse()
	src, err := os.ReadFile(*in)
	if err != nil {
		fail(err)
	}
	code, err := Generate(*in, src)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "typemap:", err)
	os.Exit(1)
}
