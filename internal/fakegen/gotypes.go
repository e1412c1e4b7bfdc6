package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// GoTypes maps spec schema names to the SDK's struct types, read from the
// "Spec schema: <Name>." line that the SDK's generator writes in each type's
// doc comment. A schema the SDK has no struct for is absent, and the fake
// then takes its bodies as any JSON object.
func GoTypes(typesFile string) (map[string]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), typesFile, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE || gd.Doc == nil {
			continue
		}
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			if _, isStruct := ts.Type.(*ast.StructType); !isStruct {
				continue
			}
			for _, line := range strings.Split(gd.Doc.Text(), "\n") {
				if rest, ok := strings.CutPrefix(line, "Spec schema: "); ok {
					for _, name := range strings.Split(strings.TrimSuffix(rest, "."), ", ") {
						out[name] = ts.Name.Name
					}
				}
			}
		}
	}
	return out, nil
}
