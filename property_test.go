package vapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/spec"
	"github.com/govapi/vapi/internal/specgen"
)

//go:generate go run ./internal/specgen/typemap -types types.go -out schematypes_gen_test.go

// schemaType is the Go type of a schema of the spec (schematypes_gen_test.go
// lists them all): its name and a constructor of a value to decode into.
type schemaType struct {
	name string
	new  func() any
}

// propertyRoots are the schemas the property test makes documents of, and
// the Go type each decodes into. Types with a Validate method are requests:
// they are also validated, mutated and checked with the reference
// validator. prose, when set, makes a valid document also keep the rules
// the spec states only in prose. Adding a root is one line.
var propertyRoots = []struct {
	schema string
	new    func() any
	prose  func(doc map[string]any)
}{
	{"CreateSessionDTO", func() any { return new(vapi.CreateSessionRequest) }, nil},
	{"UpdateSessionDTO", func() any { return new(vapi.UpdateSessionRequest) }, nil},
	{"Session", func() any { return new(vapi.Session) }, nil},
	{"SessionPaginatedResponse", func() any { return new(vapi.SessionPage) }, nil},
	{"CreateChatDTO", func() any { return new(vapi.CreateChatRequest) }, chatContext},
	{"OpenAIResponsesRequest", func() any { return new(vapi.OpenAIResponsesRequest) }, chatContext},
	{"Chat", func() any { return new(vapi.Chat) }, nil},
	{"ChatPaginatedResponse", func() any { return new(vapi.ChatPage) }, nil},
	{"CreateChatStreamResponse", func() any { return new(vapi.ChatStreamEvent) }, nil},
	{"ResponseObject", func() any { return new(vapi.ResponseObject) }, nil},
	{"ServerMessageSessionCreated", func() any { return new(vapi.ServerMessageSessionCreated) }, nil},
	{"ServerMessageSessionUpdated", func() any { return new(vapi.ServerMessageSessionUpdated) }, nil},
	{"ServerMessageSessionDeleted", func() any { return new(vapi.ServerMessageSessionDeleted) }, nil},
	{"ServerMessageChatCreated", func() any { return new(vapi.ServerMessageChatCreated) }, nil},
	{"ServerMessageChatDeleted", func() any { return new(vapi.ServerMessageChatDeleted) }, nil},
}

// chatContext keeps the chat rule the spec states in prose (API.md,
// "Validation"): a chat that names a session names no previous chat, and
// no assistant or squad, since the session has its own.
func chatContext(doc map[string]any) {
	if _, ok := doc["sessionId"]; ok {
		for _, k := range []string{"previousChatId", "assistantId", "assistant", "squadId", "squad"} {
			delete(doc, k)
		}
	}
}

// Knobs of the property test, read from the environment so that a larger
// run needs no code change:
//
//	VAPI_PROPERTY_N=2000      documents per root (default 30)
//	VAPI_PROPERTY_SEED=17     seed of the first document (default 1); document i uses seed+i
//	VAPI_PROPERTY_MUTANTS=0   mutants checked per request document, 0 for all (default 40)
//	VAPI_PROPERTY_JUDGED=400  documents the reference validator judges per request root (default 24):
//	                          half valid requests, half mutants written back (one per kind and site);
//	                          it takes some 40 ms of CPU for a document
//	VAPI_PROPERTY_DUMP=dir    write every failing document to dir
//	VAPI_PROPERTY_VERBOSE=1   list every site of a failure class, each with an example
const (
	propertyDocs    = 30
	propertyMutants = 40
	propertyJudged  = 24
)

const specFile = "../shared/spec/vapi-openapi.json"
const specValidator = "../shared/tools/specvalidate.py"

type validatable interface{ Validate() error }

// TestSpecProperties holds the types to the spec with documents made from
// it (internal/specgen):
//  1. every valid request decodes and passes Validate;
//  2. every valid document decodes and marshals back to the same JSON
//     (a date-time may be re-spelt as the same instant);
//  3. every mutant of a valid request that breaks one constraint is
//     rejected, by decoding or by Validate, at its path; where the SDK
//     writes a member itself (a required value it always sends, a
//     discriminator of a one-alternative union, a one-value enum) a
//     dropped or nulled member may instead be written back, present and
//     valid, so that the API never sees it broken;
//  4. the SDK's encoding of valid requests, and of mutants it wrote back,
//     is accepted by the reference validator (when python3 with jsonschema
//     and ../shared are present).
//
// Failures are grouped into classes (check and kind); each class lists the
// spec sites where it happened and prints an example with its seed, path,
// a minimal excerpt and the command that reproduces it. Roots run in
// parallel; each document has a generator of its own.
func TestSpecProperties(t *testing.T) {
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository:", err)
	}
	sp, err := spec.Load(specFile)
	if err != nil {
		t.Fatal(err)
	}
	n, seed := envInt(t, "VAPI_PROPERTY_N", propertyDocs), envInt(t, "VAPI_PROPERTY_SEED", 1)
	mutants, judged := envInt(t, "VAPI_PROPERTY_MUTANTS", propertyMutants), envInt(t, "VAPI_PROPERTY_JUDGED", propertyJudged)
	for _, root := range propertyRoots {
		t.Run(root.schema, func(t *testing.T) {
			t.Parallel()
			r := &propertyRun{t: t, sp: sp, schema: root.schema, new: root.new, prose: root.prose, mutants: mutants, judged: judged,
				classes: map[string]*failureClass{}, judgedSites: map[string]bool{}, dump: os.Getenv("VAPI_PROPERTY_DUMP")}
			for i := 0; i < n; i++ {
				r.document(int64(seed + i))
			}
			r.specCheck()
			r.report(n)
		})
	}
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return v
}

// propertyRun checks the documents of one root and collects failures.
type propertyRun struct {
	t       *testing.T
	sp      *spec.Spec
	schema  string
	new     func() any
	prose   func(map[string]any)
	mutants int
	judged  int // documents the reference validator judges, at most
	dump    string

	classes  map[string]*failureClass
	checked  int // mutants checked
	rejected int
	restored int
	pending  []specDoc // SDK output waiting for the reference validator

	specJudges  bool            // the reference validator judges the current document's output
	validJudged int             // valid requests it judges
	judgedSites map[string]bool // kinds and sites of the mutants written back it judges
}

// failureClass is one kind of failure of one check, with the spec sites
// where it happened and an example for each.
type failureClass struct {
	check, kind string
	count       int
	sites       map[string]int
	examples    map[string]string // by site
	first       string            // site of the first example
}

// specDoc is JSON the SDK wrote, for the reference validator to judge.
type specDoc struct {
	seed    int64
	doc     any
	schema  string
	mutant  *specgen.Mutant // nil for a valid request
	encoded []byte
}

func (r *propertyRun) fail(check, kind, site string, seed int64, path, detail string, doc any) {
	key := check + "\x00" + kind
	c := r.classes[key]
	if c == nil {
		c = &failureClass{check: check, kind: kind, sites: map[string]int{}, examples: map[string]string{}, first: site}
		r.classes[key] = c
	}
	c.count++
	c.sites[site]++
	if _, ok := c.examples[site]; ok {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, %s, at %q: %s", seed, r.schema, path, detail)
	if doc != nil {
		fmt.Fprintf(&b, "\n      near: %s", near(doc, specgen.ParsePath(path)))
	}
	fmt.Fprintf(&b, "\n      reproduce: VAPI_PROPERTY_SEED=%d VAPI_PROPERTY_N=1 go test -run 'TestSpecProperties/%s$' .", seed, r.schema)
	if r.dump != "" {
		name := filepath.Join(r.dump, fmt.Sprintf("%s-%d-%s.json", r.schema, seed, strings.ReplaceAll(check, " ", "-")))
		if out, err := json.MarshalIndent(doc, "", "  "); err == nil && os.WriteFile(name, out, 0o644) == nil {
			fmt.Fprintf(&b, "\n      document: %s", name)
		}
	}
	c.examples[site] = b.String()
}

// document makes the valid document of one seed and runs every check on
// it. One document in four lets strings exceed maxLength with variation
// selectors, which the API does not count and the reference validator
// does; those skip the reference validator. So do documents whose round
// trip already failed: the diff says more precisely what went wrong.
func (r *propertyRun) document(seed int64) {
	// The root's name goes into the generator's seed, so that roots that
	// share their subschemas (CreateChatDTO, OpenAIResponsesRequest) do not
	// get the same documents.
	h := fnv.New64a()
	h.Write([]byte(r.schema))
	g := specgen.New(r.sp, seed^int64(h.Sum64()>>1))
	g.UncountedSelectors = seed%4 == 3
	doc := g.Valid(r.schema)
	if r.prose != nil {
		r.prose(doc.(map[string]any))
	}
	in, err := json.Marshal(doc)
	if err != nil {
		r.t.Fatalf("seed %d: generated document does not marshal: %v", seed, err)
	}
	v := r.new()
	if err := json.Unmarshal(in, v); err != nil {
		r.fail("valid document fails to decode", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return
	}
	val, isRequest := v.(validatable)
	var baseline map[vapi.FieldError]bool
	if isRequest {
		baseline = r.validate(g, seed, doc, val)
	}
	out, err := json.Marshal(v)
	if err != nil {
		r.fail("valid document fails to marshal", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return
	}
	var back any
	if err := json.Unmarshal(out, &back); err != nil {
		r.t.Fatalf("seed %d: the SDK wrote invalid JSON %q: %v", seed, out, err)
	}
	diffs := diffJSON(doc, back, nil)
	for _, d := range diffs {
		r.fail("round trip", d.what, g.Site(r.schema, doc, d.path), seed, d.path.String(), d.detail, doc)
	}
	if !isRequest {
		return
	}
	r.specJudges = !g.UncountedSelectors && len(diffs) == 0
	if r.specJudges && r.validJudged < r.judged/2 {
		r.validJudged++
		r.pending = append(r.pending, specDoc{seed: seed, doc: back, schema: r.schema, encoded: out})
	}
	r.mutate(g, seed, doc, baseline)
}

// validate checks that Validate accepts a valid request, and returns what
// it wrongly reports, so that mutants of the document are judged by what
// they add.
func (r *propertyRun) validate(g *specgen.Generator, seed int64, doc any, v validatable) map[vapi.FieldError]bool {
	err := v.Validate()
	if err == nil {
		return nil
	}
	var ve *vapi.ValidationError
	if !errors.As(err, &ve) {
		r.fail("Validate rejects a valid request", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return nil
	}
	baseline := map[vapi.FieldError]bool{}
	for _, fe := range ve.Errors {
		baseline[fe] = true
		p := specgen.ParsePath(fe.Field)
		got, _ := specgen.At(doc, p)
		r.fail("Validate rejects a valid request", normalise(fe.Message), g.Site(r.schema, doc, p), seed, fe.Field,
			fmt.Sprintf("%s (value %s)", fe.Message, short(got, 80)), doc)
	}
	return baseline
}

// mutate checks a sample of the mutants of a valid request.
func (r *propertyRun) mutate(g *specgen.Generator, seed int64, doc any, baseline map[vapi.FieldError]bool) {
	ms := g.Mutants(r.schema, doc)
	if r.mutants > 0 && len(ms) > r.mutants {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		ms = ms[:r.mutants]
	}
	for i := range ms {
		r.mutant(seed, &ms[i], baseline)
	}
}

func (r *propertyRun) mutant(seed int64, m *specgen.Mutant, baseline map[vapi.FieldError]bool) {
	r.checked++
	in, err := json.Marshal(m.Doc)
	if err != nil {
		r.t.Fatalf("seed %d: mutant %s at %s does not marshal: %v", seed, m.Kind, m.Path, err)
	}
	v := r.new()
	if json.Unmarshal(in, v) != nil {
		r.rejected++
		return
	}
	path := m.Path.String()
	if err := v.(validatable).Validate(); err != nil {
		var ve *vapi.ValidationError
		if !errors.As(err, &ve) {
			r.rejected++
			return
		}
		// Judge by what the mutant changed: a violation at its path, or
		// one the valid document did not have.
		var added []vapi.FieldError
		atPath := false
		for _, fe := range ve.Errors {
			if reportsPath(fe.Field, path) {
				atPath = true
			} else if !baseline[fe] {
				added = append(added, fe)
			}
		}
		switch {
		case atPath:
			r.rejected++
			return
		case len(added) > 0:
			r.rejected++
			r.fail("mutant rejected at another path", string(m.Kind), m.Site, seed, path,
				fmt.Sprintf("%s; Validate said: %s", m.Desc, short((&vapi.ValidationError{Errors: added}).Error(), 200)), m.Doc)
			return
		}
	}
	if m.Kind == specgen.Required || m.Kind == specgen.Null || m.Written {
		out, err := json.Marshal(v)
		var back any
		if err == nil && json.Unmarshal(out, &back) == nil {
			got, ok := specgen.At(back, m.Path)
			if ok && got != nil && (!m.Written || got == m.Fixed) {
				r.restored++
				key := string(m.Kind) + " " + m.Site
				if r.specJudges && !r.judgedSites[key] && len(r.judgedSites) < r.judged-r.judged/2 {
					r.judgedSites[key] = true
					r.pending = append(r.pending, specDoc{seed: seed, doc: back, schema: r.schema, mutant: m, encoded: out})
				}
				return
			}
		}
	}
	r.fail("mutant accepted", string(m.Kind), m.Site, seed, path, m.Desc, m.Doc)
}

// reportsPath reports whether a violation's field is the path, a value
// inside it, or a value that contains it.
func reportsPath(field, path string) bool {
	return field == path || field == "" || within(path, field) || within(field, path)
}

func within(inner, outer string) bool {
	return strings.HasPrefix(inner, outer) && len(inner) > len(outer) && (inner[len(outer)] == '.' || inner[len(outer)] == '[')
}

// specCheck runs the reference validator once over everything the SDK
// wrote for this root.
func (r *propertyRun) specCheck() {
	if len(r.pending) == 0 {
		return
	}
	if !haveSpecValidator() {
		r.t.Log("python3 with jsonschema, or ../shared/tools/specvalidate.py, is missing: the reference validator does not judge the SDK's output")
		return
	}
	dir := r.t.TempDir()
	args := []string{specValidator, r.schema}
	byFile := map[string]*specDoc{}
	for i := range r.pending {
		name := filepath.Join(dir, fmt.Sprintf("%d.json", i))
		if err := os.WriteFile(name, r.pending[i].encoded, 0o644); err != nil {
			r.t.Fatal(err)
		}
		args = append(args, name)
		byFile[name] = &r.pending[i]
	}
	out, err := exec.Command("python3", args...).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		r.t.Fatalf("specvalidate.py: %v", err)
	}
	g := specgen.New(r.sp, 0)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		file, rest, ok := strings.Cut(line, ": ")
		d := byFile[file]
		if !ok || d == nil {
			continue
		}
		at, msg, _ := strings.Cut(rest, ": ")
		p := pythonPath(at)
		if d.mutant == nil {
			r.fail("reference validator rejects the SDK's encoding of a valid request", pythonKind(msg),
				g.Site(d.schema, d.doc, p), d.seed, p.String(), msg, d.doc)
			continue
		}
		m := d.mutant
		r.fail("reference validator rejects a mutant the SDK wrote back", string(m.Kind), m.Site, d.seed, m.Path.String(),
			fmt.Sprintf("%s, written back; the reference validator says at %q: %s", m.Desc, p.String(), msg), d.doc)
	}
}

var (
	specValidatorOnce sync.Once
	specValidatorOK   bool
)

// haveSpecValidator reports whether python3 with jsonschema can run the
// reference validator.
func haveSpecValidator() bool {
	specValidatorOnce.Do(func() {
		if _, err := os.Stat(specValidator); err != nil {
			return
		}
		specValidatorOK = exec.Command("python3", "-c", "import jsonschema, referencing").Run() == nil
	})
	return specValidatorOK
}

// pythonPath reads the reference validator's path ("assistant.tools.0.name").
func pythonPath(s string) specgen.Path {
	var p specgen.Path
	if s == "(root)" {
		return p
	}
	for _, step := range strings.Split(s, ".") {
		if i, err := strconv.Atoi(step); err == nil {
			p = append(p, i)
		} else {
			p = append(p, step)
		}
	}
	return p
}

// pythonMessage splits the reference validator's message into the value
// and what is wrong with it.
var pythonMessage = regexp.MustCompile(`(?s)^(.*?) (is not valid under any of the given schemas|is too long|is too short|is not one of .*|is not of type .*|is a required property|is less than .*|is greater than .*|does not match .*|has non-unique elements|is (?:too|not) .*)$`)

// pythonKind names the class of a reference validator's message.
func pythonKind(msg string) string {
	m := pythonMessage.FindStringSubmatch(msg)
	switch {
	case m == nil:
		return normalise(msg)
	case m[2] == "is a required property":
		return m[1] + " is a required property"
	}
	return normalise(m[2])
}

// report prints the failure classes, most frequent first, each with its
// sites and one example (one per site with VAPI_PROPERTY_VERBOSE=1).
func (r *propertyRun) report(docs int) {
	r.t.Logf("%s: %d documents, %d mutants checked (%d rejected, %d written back), %d documents judged by the reference validator, %d failure classes",
		r.schema, docs, r.checked, r.rejected, r.restored, len(r.pending), len(r.classes))
	cs := make([]*failureClass, 0, len(r.classes))
	for _, c := range r.classes {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].count != cs[j].count {
			return cs[i].count > cs[j].count
		}
		return cs[i].check+cs[i].kind < cs[j].check+cs[j].kind
	})
	verbose := os.Getenv("VAPI_PROPERTY_VERBOSE") != ""
	for _, c := range cs {
		sites := make([]string, 0, len(c.sites))
		for s := range c.sites {
			sites = append(sites, s)
		}
		sort.Slice(sites, func(i, j int) bool {
			if c.sites[sites[i]] != c.sites[sites[j]] {
				return c.sites[sites[i]] > c.sites[sites[j]]
			}
			return sites[i] < sites[j]
		})
		var b strings.Builder
		fmt.Fprintf(&b, "[%s] %s: %d times at %d sites:", c.check, c.kind, c.count, len(sites))
		for i, s := range sites {
			if i == 12 && !verbose {
				fmt.Fprintf(&b, " … (VAPI_PROPERTY_VERBOSE=1 lists all)")
				break
			}
			fmt.Fprintf(&b, " %s (%d)", s, c.sites[s])
		}
		if verbose {
			for _, s := range sites {
				fmt.Fprintf(&b, "\n    %s:\n      %s", s, c.examples[s])
			}
		} else {
			fmt.Fprintf(&b, "\n    e.g. %s", c.examples[c.first])
		}
		r.t.Error(b.String())
	}
}

// diff is one difference between a document and its round trip.
type diff struct {
	path   specgen.Path
	what   string
	detail string
}

// diffJSON compares decoded JSON values semantically and returns every
// difference with its path: a member missing from got ("member dropped"),
// one got has and want has not ("member added"), a value of another JSON
// kind, an array of another length, and a changed value. Numbers are
// compared as numbers, exactly (float64 and json.Number alike: 1, 1.0 and
// 1e0 are one number), and two strings that are the same RFC 3339 instant
// are equal (a date-time may be re-spelt).
func diffJSON(want, got any, path specgen.Path) []diff {
	at := func(what, detail string) []diff { return []diff{{slices.Clone(path), what, detail}} }
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return at("object became "+jsonKind(got), "got "+short(got, 120))
		}
		var out []diff
		for _, k := range sortedKeys(w) {
			p := append(slices.Clip(path), k)
			gv, ok := g[k]
			if !ok {
				out = append(out, diff{p, "member dropped", "lost " + short(w[k], 120)})
				continue
			}
			out = append(out, diffJSON(w[k], gv, p)...)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				out = append(out, diff{append(slices.Clip(path), k), "member added", "added " + short(g[k], 120)})
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return at("array became "+jsonKind(got), "got "+short(got, 120))
		}
		if len(g) != len(w) {
			return at("array length changed", fmt.Sprintf("%d items became %d: %s", len(w), len(g), short(got, 120)))
		}
		var out []diff
		for i := range w {
			out = append(out, diffJSON(w[i], g[i], append(slices.Clip(path), i))...)
		}
		return out
	case string:
		if g, ok := got.(string); ok && (g == w || sameInstant(w, g)) {
			return nil
		}
	case float64, json.Number:
		if a, b, ok := numbers(want, got); ok && a.Cmp(b) == 0 {
			return nil
		}
	default:
		if want == got {
			return nil
		}
	}
	if jsonKind(want) != jsonKind(got) {
		return at(jsonKind(want)+" became "+jsonKind(got), fmt.Sprintf("%s became %s", short(want, 80), short(got, 80)))
	}
	return at(jsonKind(want)+" changed", fmt.Sprintf("%s became %s", short(want, 80), short(got, 80)))
}

// numbers reads two decoded JSON numbers as exact rationals.
func numbers(a, b any) (*big.Rat, *big.Rat, bool) {
	x, ok1 := number(a)
	y, ok2 := number(b)
	return x, y, ok1 && ok2
}

func number(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case float64:
		s = strconv.FormatFloat(n, 'g', -1, 64)
	case json.Number:
		s = string(n)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func sameInstant(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// short is a value's JSON, cut to n bytes.
func short(v any, n int) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(b.String())
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// near is a minimal excerpt of a document around a path: the enclosing
// object with just the member at the path and its discriminators.
func near(doc any, p specgen.Path) string {
	if len(p) == 0 {
		return short(doc, 300)
	}
	parent, ok := specgen.At(doc, p[:len(p)-1])
	if !ok {
		return short(doc, 300)
	}
	obj, isObj := parent.(map[string]any)
	key, isKey := p[len(p)-1].(string)
	if !isObj || !isKey {
		v, _ := specgen.At(doc, p)
		return p[:len(p)-1].String() + ": … " + short(v, 240)
	}
	ex := map[string]any{}
	for _, d := range []string{"type", "provider", "role", "on"} {
		if v, ok := obj[d]; ok {
			ex[d] = v
		}
	}
	if v, ok := obj[key]; ok {
		ex[key] = v
	} else {
		ex[key+" (absent)"] = nil
	}
	return p[:len(p)-1].String() + ": " + short(ex, 300)
}

var (
	quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	digits = regexp.MustCompile(`\d+`)
)

// normalise turns a message into a class name: quoted values and numbers
// do not make new classes.
func normalise(s string) string {
	s = digits.ReplaceAllString(quoted.ReplaceAllString(s, "…"), "N")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}
