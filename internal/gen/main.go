// Command gen generates the SDK's models, codecs and validation from Vapi's
// OpenAPI spec. Run it through `go generate ./...` from the repository root.
package main

import (
	"github.com/govapi/vapi/internal/spec"

	"flag"
	"fmt"
	"os"
)

func main() {
	specFile := flag.String("spec", "../shared/spec/vapi-openapi.json", "path to Vapi's OpenAPI spec")
	out := flag.String("out", ".", "directory to write the generated files to")
	report := flag.Bool("report", false, "print the enums and unions found, and write nothing")
	flag.Parse()
	if err := run(*specFile, *out, *report); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(specFile, out string, report bool) error {
	sp, err := spec.Load(specFile)
	if err != nil {
		return err
	}
	m, err := Build(sp, &spec.Overrides)
	if err != nil {
		return err
	}
	if report {
		printReport(m)
		return nil
	}
	if err := writeServices(specFile, sp, m, out); err != nil {
		return err
	}
	return writeFiles(m, out)
}

func printReport(m *Model) {
	for _, n := range sortedKeys(m.Unions) {
		u := m.Unions[n]
		fmt.Printf("union %s disc=%s alts=%d sites=%v\n", n, u.Disc, len(u.Alts), u.Sites)
	}
	for _, n := range sortedKeys(m.Enums) {
		e := m.Enums[n]
		fmt.Printf("enum %s n=%d sites=%v\n", n, len(e.Values), e.Sites)
	}
	fmt.Printf("%d structs, %d unions, %d enums, %d validated\n", len(m.Structs), len(m.Unions), len(m.Enums), len(m.Validated))
}
