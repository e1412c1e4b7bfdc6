// Command fakegen generates vapitest's table of the API: one entry per
// operation of Vapi's OpenAPI spec, saying what the in-memory fake does with
// it (create, list, get, update, delete, an action on a resource, a call
// artifact, the file upload), its path and query parameters with their
// constraints, the SDK type its body decodes into, and the shape of its
// answer. Run it through `go generate ./...`; vapitest/resources.go holds
// the go:generate line.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	specFile := flag.String("spec", "../../shared/spec/vapi-openapi.json", "path to Vapi's OpenAPI spec")
	types := flag.String("types", "../types.go", "the SDK's generated types.go, to name the Go type of each body")
	out := flag.String("out", "resources_gen.go", "the file to write")
	flag.Parse()
	if err := run(*specFile, *types, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fakegen:", err)
		os.Exit(1)
	}
}

func run(specFile, typesFile, out string) error {
	api, err := Load(specFile)
	if err != nil {
		return err
	}
	goTypes, err := GoTypes(typesFile)
	if err != nil {
		return err
	}
	eps, err := Build(api, goTypes)
	if err != nil {
		return err
	}
	src, err := Emit(eps)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
