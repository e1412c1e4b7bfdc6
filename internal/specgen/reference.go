package specgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Judged is a document for the reference validator, with the schema it
// must satisfy.
type Judged struct {
	Schema string
	Doc    any
}

// refDriver judges many documents against many schemas in one Python
// process, with the reference validator's own reading of the spec
// (specvalidate.py's oas_to_jsonschema and Validator), which its command
// line would reload for every schema. Input: one JSON line per document,
// [schema, document]; output: one JSON line per document, the list of
// "path: message" violations, the path spelt as Path.String spells it.
const refDriver = `
import json, sys
sys.path.insert(0, sys.argv[1])
import specvalidate as sv
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
doc = sv.oas_to_jsonschema(json.load(open(sv.SPEC)))
reg = Registry().with_resource('spec.json', Resource.from_contents(doc, default_specification=DRAFT4))
vs = {}
for line in sys.stdin:
    name, inst = json.loads(line)
    if name not in vs:
        vs[name] = sv.Validator({'$ref': 'spec.json#/components/schemas/' + name}, registry=reg)
    out = []
    for e in vs[name].iter_errors(inst):
        p = ''
        for s in e.absolute_path:
            p += '[%d]' % s if isinstance(s, int) else ('.' if p else '') + s
        out.append(p + ': ' + e.message[:200])
    print(json.dumps(out))
`

// ErrNoReference is returned by ReferenceAvailable when the reference
// validator cannot run here: no specvalidate.py, or no python3 with
// jsonschema and referencing.
var ErrNoReference = errors.New("no reference validator")

// ReferenceAvailable reports whether the reference validator in toolDir
// (specvalidate.py) can run: a nil error, or one wrapping ErrNoReference
// that says what is missing.
func ReferenceAvailable(toolDir string) error {
	if _, err := os.Stat(filepath.Join(toolDir, "specvalidate.py")); err != nil {
		return fmt.Errorf("%w: %v", ErrNoReference, err)
	}
	if exec.Command("python3", "-c", "import jsonschema, referencing").Run() != nil {
		return fmt.Errorf("%w: python3 with jsonschema and referencing is not available", ErrNoReference)
	}
	return nil
}

// Judge returns, for each document, the violations the reference
// validator finds ("path: message"), judging all of them in one process.
func Judge(toolDir string, docs []Judged) ([][]string, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	if err := ReferenceAvailable(toolDir); err != nil {
		return nil, err
	}
	var in bytes.Buffer
	for _, d := range docs {
		b, err := json.Marshal([]any{d.Schema, d.Doc})
		if err != nil {
			return nil, err
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command("python3", "-c", refDriver, toolDir)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("reference validator: %v: %s", err, stderr.Bytes())
	}
	var verdicts [][]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var v []string
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("reference validator: %v", err)
		}
		verdicts = append(verdicts, v)
	}
	if len(verdicts) != len(docs) {
		return nil, fmt.Errorf("reference validator judged %d of %d documents", len(verdicts), len(docs))
	}
	return verdicts, nil
}
