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
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
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

// propertyRoots are the bodies of the SDK's own methods and messages: they
// get more documents than the other roots, and the Go type each decodes
// into is spelt out here (and must be the one schematypes_gen_test.go
// finds). prose, when set, makes a valid document also keep the rules the
// spec states only in prose.
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

// requestRoots are request bodies the SDK sends that no operation of the
// spec lists as a body with a schema of its own (POST /chat/responses
// declares none).
var requestRoots = map[string]bool{"OpenAIResponsesRequest": true}

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
//	VAPI_PROPERTY_N=2000      documents per root (default 30 for the SDK's own bodies, 3 for the others)
//	VAPI_PROPERTY_ROOT=regexp only the roots whose schema name matches
//	VAPI_PROPERTY_SEED=17     seed of the first document (default 1); document i uses seed+i
//	VAPI_PROPERTY_MUTANTS=0   mutants checked per document, 0 for all (default 40)
//	VAPI_PROPERTY_JUDGED=400  documents the reference validator judges per request root (default 24,
//	                          2 for roots other than the SDK's own): half valid requests, half mutants
//	                          written back (one per kind and site); it takes some 40 ms of CPU for a document
//	VAPI_PROPERTY_DUMP=dir    write every failing document to dir
//	VAPI_PROPERTY_VERBOSE=1   list every site of a failure class, each with an example
const (
	propertyDocs      = 30
	propertyDocsOther = 3
	propertyMutants   = 40
	propertyJudged    = 24
	propertyJudgedOth = 2
)

const specFile = "../shared/spec/vapi-openapi.json"
const specTools = "../shared/tools"

type validatable interface{ Validate() error }

// tolerated are the mutant kinds a document still decodes with and writes
// back unchanged (API.md "Forward compatibility", v3 "nothing lost, nothing
// invented"): an absent required member stays absent, an unknown member,
// enum value or alternative (or a member without its discriminator) is
// kept as it came, and a value outside the spec's bounds is not the
// decoder's business. A value of the wrong JSON kind, and null where the
// spec has none, are not in the contract.
var tolerated = map[specgen.Kind]bool{
	specgen.Required: true, specgen.Enum: true, specgen.DiscMissing: true, specgen.DiscUnknown: true,
	specgen.Unknown: true, specgen.MinLength: true, specgen.MaxLength: true, specgen.Minimum: true,
	specgen.Maximum: true, specgen.MinItems: true, specgen.MaxItems: true, specgen.Pattern: true,
}

// TestSpecProperties holds the types to the spec with documents made from
// it (internal/specgen), for every root of the spec: every request body
// and 2xx response body of every operation (each alternative of a oneOf,
// the items of an array), and every server message and answer
// (specgen.Roots), plus the SDK's own bodies (propertyRoots). A root whose
// Go type cannot be found, and a request type without Validate, are
// failures. For each root:
//  1. every valid request decodes and passes Validate;
//  2. every valid document decodes and marshals back to the same JSON
//     (a date-time may be re-spelt as the same instant);
//  3. a decoded valid document equals the same value built in Go
//     (reflect.DeepEqual), wherever a value built in Go marshals to that
//     document: what records members and presence stays out of the way;
//  4. every mutant of a kind in tolerated decodes and marshals back to the
//     mutant itself;
//  5. every mutant of a valid request that breaks one constraint (an
//     undeclared member included) is rejected, by decoding or by Validate,
//     at its path; where the SDK writes a member itself (a discriminator
//     of a one-alternative union, a required one-value enum) a dropped or
//     broken member may instead be written back with its one valid value;
//  6. the SDK's encoding of valid requests, and of mutants it wrote back,
//     is accepted by the reference validator (when python3 with jsonschema
//     and ../shared are present; one process judges all roots).
//
// Failures are grouped into classes (check and kind); each class lists the
// spec sites where it happened and prints an example with its seed, path,
// a minimal excerpt and the command that reproduces it. Roots run on every
// CPU; each document has a generator of its own.
func TestSpecProperties(t *testing.T) {
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository:", err)
	}
	sp, err := spec.Load(specFile)
	if err != nil {
		t.Fatal(err)
	}
	only := regexp.MustCompile(os.Getenv("VAPI_PROPERTY_ROOT"))
	seed := envInt(t, "VAPI_PROPERTY_SEED", 1)
	n, nOther := propertyDocs, propertyDocsOther
	if os.Getenv("VAPI_PROPERTY_N") != "" {
		n = envInt(t, "VAPI_PROPERTY_N", 0)
		nOther = n
	}
	judged, judgedOther := propertyJudged, propertyJudgedOth
	if os.Getenv("VAPI_PROPERTY_JUDGED") != "" {
		judged = envInt(t, "VAPI_PROPERTY_JUDGED", 0)
		judgedOther = judged
	}
	mutants := envInt(t, "VAPI_PROPERTY_MUTANTS", propertyMutants)

	var runs []*propertyRun
	for _, root := range allRoots(t, sp) {
		if !only.MatchString(root.schema) {
			continue
		}
		r := &propertyRun{sp: sp, schema: root.schema, where: root.where, new: root.new, prose: root.prose,
			request: root.request, unvalidated: root.unvalidated, mutants: mutants, judged: judgedOther, docs: nOther, seed: int64(seed),
			classes: map[string]*failureClass{}, judgedSites: map[string]bool{}, dump: os.Getenv("VAPI_PROPERTY_DUMP")}
		if root.own {
			r.judged, r.docs = judged, n
		}
		if root.problem != "" {
			r.fail("root has no usable Go type", root.problem, root.schema, 0, "", root.problem, nil)
		}
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		t.Fatalf("VAPI_PROPERTY_ROOT=%q matches no root", only)
	}

	work := make(chan *propertyRun)
	var wg sync.WaitGroup
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				r.run()
			}
		}()
	}
	for _, r := range runs {
		work <- r
	}
	close(work)
	wg.Wait()

	referenceCheck(t, runs)

	var docs, checked, failing int
	for _, r := range runs {
		docs += r.made
		checked += r.checked + r.tolerance
		if len(r.classes) > 0 {
			failing++
		}
		t.Run(r.schema, func(t *testing.T) { r.report(t) })
	}
	t.Logf("%d roots (%d requests), %d documents, %d mutants checked; %d roots fail", len(runs), countRequests(runs), docs, checked, failing)
}

// propertyRoot is one schema the property test makes documents of.
type propertyRoot struct {
	schema  string
	where   []string
	new     func() any
	prose   func(map[string]any)
	request bool
	own     bool   // a body of the SDK's own methods
	problem string // why the root cannot be checked (fully); a failure
	// unvalidated marks a request body whose type has no Validate.
	unvalidated bool
}

// allRoots is every root of the spec (specgen.Roots) and the SDK's own,
// each with its Go type from schematypes_gen_test.go.
func allRoots(t *testing.T, sp *spec.Spec) []propertyRoot {
	roots, untyped := specgen.Roots(sp)
	for _, u := range untyped {
		t.Logf("%s: the body's schema is %s, no schema of its own; no Go type to hold it to", u.Where, u.Schema)
	}
	own := map[string]int{}
	for i, r := range propertyRoots {
		own[r.schema] = i
	}
	seen := map[string]bool{}
	var out []propertyRoot
	add := func(schema string, where []string, request bool) {
		seen[schema] = true
		pr := propertyRoot{schema: schema, where: where, request: request || requestRoots[schema]}
		st, ok := schemaTypes[schema]
		if ok {
			pr.new = st.new
		}
		if i, isOwn := own[schema]; isOwn {
			pr.own, pr.prose = true, propertyRoots[i].prose
			if ok {
				if a, b := reflect.TypeOf(st.new()), reflect.TypeOf(propertyRoots[i].new()); a != b {
					pr.problem = fmt.Sprintf("propertyRoots says %v, the generated types say %v", b, a)
				}
			}
			pr.new = propertyRoots[i].new
		}
		switch {
		case pr.problem != "":
		case pr.new == nil:
			pr.problem = "no Go type names this schema (Spec schema: " + schema + ")"
		case pr.request:
			if _, ok := pr.new().(validatable); !ok {
				// A failure; its documents are still held to decoding
				// and round trips.
				pr.problem = fmt.Sprintf("%T, a request body, has no Validate method", pr.new())
				pr.request, pr.unvalidated = false, true
			}
		}
		out = append(out, pr)
	}
	for _, r := range roots {
		add(r.Schema, r.Where, r.Request)
	}
	for _, r := range propertyRoots {
		if !seen[r.schema] {
			add(r.schema, []string{"the SDK's own"}, false)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].schema < out[j].schema })
	return out
}

func countRequests(runs []*propertyRun) int {
	n := 0
	for _, r := range runs {
		if r.request || r.unvalidated {
			n++
		}
	}
	return n
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

// propertyRun checks the documents of one root and collects failures. It
// runs on one goroutine; report runs on the test's.
type propertyRun struct {
	sp      *spec.Spec
	schema  string
	where   []string
	new     func() any
	prose   func(map[string]any)
	request bool
	// unvalidated marks a request body whose type has no Validate.
	unvalidated bool
	docs        int
	seed        int64
	mutants     int
	judged      int // documents the reference validator judges, at most
	dump        string

	classes   map[string]*failureClass
	elapsed   time.Duration
	made      int // documents made
	checked   int // request mutants checked against Validate
	rejected  int
	restored  int
	tolerance int       // mutants checked for decoding and writing back as they came
	deepEqual int       // decoded documents compared with the value built in Go
	pending   []specDoc // SDK output waiting for the reference validator

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
	fmt.Fprintf(&b, "\n      reproduce: VAPI_PROPERTY_ROOT='^%s$' VAPI_PROPERTY_SEED=%d VAPI_PROPERTY_N=1 go test -run 'TestSpecProperties' .", r.schema, seed)
	if r.dump != "" && doc != nil {
		name := filepath.Join(r.dump, fmt.Sprintf("%s-%d-%s.json", r.schema, seed, strings.ReplaceAll(check, " ", "-")))
		if out, err := json.MarshalIndent(doc, "", "  "); err == nil && os.WriteFile(name, out, 0o644) == nil {
			fmt.Fprintf(&b, "\n      document: %s", name)
		}
	}
	c.examples[site] = b.String()
}

// run makes and checks the root's documents. A panic (specgen unable to
// make a document of the schema) is a failure of the root, not of the
// whole test.
func (r *propertyRun) run() {
	if r.new == nil {
		return
	}
	if _, ok := r.sp.Components.Schemas[r.schema]; !ok {
		r.fail("root is not a schema of the spec", r.schema, r.schema, 0, "", "no such schema", nil)
		return
	}
	start := time.Now()
	defer func() { r.elapsed = time.Since(start) }()
	for i := 0; i < r.docs; i++ {
		seed := r.seed + int64(i)
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.fail("harness panics", normalise(fmt.Sprint(p)), r.schema, seed, "", fmt.Sprint(p), nil)
				}
			}()
			r.document(seed)
		}()
	}
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
		if obj, ok := doc.(map[string]any); ok {
			r.prose(obj)
		}
	}
	r.made++
	in, err := json.Marshal(doc)
	if err != nil {
		r.fail("harness: generated document does not marshal", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return
	}
	v := r.new()
	if err := json.Unmarshal(in, v); err != nil {
		r.fail("valid document fails to decode", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return
	}
	var baseline map[vapi.FieldError]bool
	if r.request {
		baseline = r.validate(g, seed, doc, v.(validatable))
	}
	out, err := json.Marshal(v)
	if err != nil {
		r.fail("valid document fails to marshal", normalise(err.Error()), r.schema, seed, "", err.Error(), doc)
		return
	}
	var back any
	if err := json.Unmarshal(out, &back); err != nil {
		r.fail("the SDK writes invalid JSON", normalise(err.Error()), r.schema, seed, "", fmt.Sprintf("%v: %s", err, short(string(out), 200)), doc)
		return
	}
	diffs := diffJSON(doc, back, nil)
	for _, d := range diffs {
		r.fail("round trip", d.what, g.Site(r.schema, doc, d.path), seed, d.path.String(), d.detail, doc)
	}
	if len(diffs) == 0 {
		r.deepEqual++
		if path, detail, ok := builtInGo(v, doc); !ok {
			r.fail("decoded value differs from the same value built in Go", "reflect.DeepEqual fails", r.schema, seed, path, detail, doc)
		}
	}
	ms := g.Mutants(r.schema, doc)
	if r.mutants > 0 && len(ms) > r.mutants {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		ms = ms[:r.mutants]
	}
	for i := range ms {
		if tolerated[ms[i].Kind] && !(ms[i].Written && ms[i].Kind == specgen.Required) {
			r.tolerate(g, seed, &ms[i])
		}
	}
	if !r.request {
		return
	}
	r.specJudges = !g.UncountedSelectors && len(diffs) == 0
	if r.specJudges && r.validJudged < r.judged/2 {
		r.validJudged++
		r.pending = append(r.pending, specDoc{seed: seed, doc: back, encoded: out})
	}
	for i := range ms {
		// A mutant that retargets an ambiguous union may be a valid
		// document of another alternative: Validate has nothing to say.
		if !ms[i].Retargets {
			r.mutant(seed, &ms[i], baseline)
		}
	}
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

// tolerate checks that a mutant of a tolerated kind decodes and marshals
// back as it came.
func (r *propertyRun) tolerate(g *specgen.Generator, seed int64, m *specgen.Mutant) {
	r.tolerance++
	check := "mutant not written back as it came"
	in, err := json.Marshal(m.Doc)
	if err != nil {
		r.fail("harness: mutant does not marshal", string(m.Kind), m.Site, seed, m.Path.String(), err.Error(), m.Doc)
		return
	}
	v := r.new()
	if err := json.Unmarshal(in, v); err != nil {
		if m.Retargets {
			// Another alternative, whose members may be of other kinds.
			return
		}
		r.fail(check, string(m.Kind)+": decoding fails", m.Site, seed, m.Path.String(), fmt.Sprintf("%s; decoding said: %v", m.Desc, err), m.Doc)
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		r.fail(check, string(m.Kind)+": marshalling fails", m.Site, seed, m.Path.String(), fmt.Sprintf("%s; marshalling said: %v", m.Desc, err), m.Doc)
		return
	}
	var back any
	if err := json.Unmarshal(out, &back); err != nil {
		r.fail("the SDK writes invalid JSON", normalise(err.Error()), m.Site, seed, m.Path.String(), short(string(out), 200), m.Doc)
		return
	}
	for _, d := range diffJSON(m.Doc, back, nil) {
		site := m.Site
		if !samePath(d.path, m.Path) {
			site = g.Site(r.schema, m.Doc, d.path)
		}
		r.fail(check, string(m.Kind)+": "+d.what, site, seed, d.path.String(), fmt.Sprintf("%s; at %s: %s", m.Desc, d.path, d.detail), m.Doc)
	}
}

func samePath(a, b specgen.Path) bool {
	return a.String() == b.String()
}

// mutant checks that Validate (or decoding) rejects a mutant of a valid
// request at its path.
func (r *propertyRun) mutant(seed int64, m *specgen.Mutant, baseline map[vapi.FieldError]bool) {
	r.checked++
	in, err := json.Marshal(m.Doc)
	if err != nil {
		r.fail("harness: mutant does not marshal", string(m.Kind), m.Site, seed, m.Path.String(), err.Error(), m.Doc)
		return
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
	// Accepted by Validate: what reaches the API is what the SDK writes.
	written := "nothing"
	out, err := json.Marshal(v)
	var back any
	if err == nil && json.Unmarshal(out, &back) == nil {
		got, ok := specgen.At(back, m.Path)
		if ok {
			written = short(got, 80)
		}
		if m.Written && ok && got == m.Fixed {
			r.restored++
			key := string(m.Kind) + " " + m.Site
			if r.specJudges && !r.judgedSites[key] && len(r.judgedSites) < r.judged-r.judged/2 {
				r.judgedSites[key] = true
				r.pending = append(r.pending, specDoc{seed: seed, doc: back, mutant: m, encoded: out})
			}
			return
		}
	}
	kind := string(m.Kind)
	if (m.Kind == specgen.Required || m.Kind == specgen.Null) && written != "nothing" && !m.Written {
		kind += ": written back as a value that was not sent"
	}
	r.fail("mutant accepted", kind, m.Site, seed, path, fmt.Sprintf("%s; Validate accepts it and the SDK writes %s there", m.Desc, written), m.Doc)
}

// reportsPath reports whether a violation's field is the path, a value
// inside it, or a value that contains it.
func reportsPath(field, path string) bool {
	return field == path || field == "" || within(path, field) || within(field, path)
}

func within(inner, outer string) bool {
	return strings.HasPrefix(inner, outer) && len(inner) > len(outer) && (inner[len(outer)] == '.' || inner[len(outer)] == '[')
}

// referenceCheck runs the reference validator once over everything the
// SDK wrote for every root, and files what it rejects with the root.
func referenceCheck(t *testing.T, runs []*propertyRun) {
	var batch []specgen.Judged
	var from []*propertyRun
	var docs []*specDoc
	for _, r := range runs {
		for i := range r.pending {
			var doc any
			if err := json.Unmarshal(r.pending[i].encoded, &doc); err != nil {
				continue
			}
			batch = append(batch, specgen.Judged{Schema: r.schema, Doc: doc})
			from = append(from, r)
			docs = append(docs, &r.pending[i])
		}
	}
	if len(batch) == 0 {
		return
	}
	if err := specgen.ReferenceAvailable(specTools); err != nil {
		t.Logf("%v: the reference validator does not judge the SDK's output", err)
		return
	}
	verdicts, err := specgen.Judge(specTools, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, vs := range verdicts {
		r, d := from[i], docs[i]
		g := specgen.New(r.sp, 0)
		for _, line := range vs {
			at, msg, _ := strings.Cut(line, ": ")
			p := specgen.ParsePath(at)
			if d.mutant == nil {
				r.fail("reference validator rejects the SDK's encoding of a valid request", pythonKind(msg),
					g.Site(r.schema, d.doc, p), d.seed, p.String(), msg, d.doc)
				continue
			}
			m := d.mutant
			r.fail("reference validator rejects a mutant the SDK wrote back", string(m.Kind), m.Site, d.seed, m.Path.String(),
				fmt.Sprintf("%s, written back; the reference validator says at %q: %s", m.Desc, p.String(), msg), d.doc)
		}
	}
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
func (r *propertyRun) report(t *testing.T) {
	t.Logf("%s (%s): %v, %d documents, %d compared with values built in Go, %d mutants checked for coming back as they came, %d request mutants checked (%d rejected, %d written back), %d documents judged by the reference validator, %d failure classes",
		r.schema, strings.Join(r.where, "; "), r.elapsed.Round(time.Millisecond), r.made, r.deepEqual, r.tolerance, r.checked, r.rejected, r.restored, len(r.pending), len(r.classes))
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
		if reason, ok := knownGap(c.check, c.kind); ok {
			t.Logf("known gap (%s): %s", reason, b.String())
			continue
		}
		t.Error(b.String())
	}
}

// knownGaps are failure classes the SDK does not meet yet, each with the
// reason; they are logged, and every other class fails the test. Each is
// an open item of the README's "Known gaps".
var knownGaps = []struct{ check, kindPrefix, reason string }{
	{"root has no usable Go type", "*vapi.FileConfig, a request body, has no Validate", "POST /file is multipart: Files.Upload sends it, not a JSON body"},
}

func knownGap(check, kind string) (string, bool) {
	for _, g := range knownGaps {
		if g.check == check && strings.HasPrefix(kind, g.kindPrefix) {
			return g.reason, true
		}
	}
	return "", false
}

// builtInGo holds a decoded value to the same value built in Go: a copy
// that has only what a user can set (exported fields; not those the codec
// hides with json:"-"), rebuilt all the way down. Where that copy marshals
// to the document, the user could have built it, and the decoded value
// must be reflect.DeepEqual to it; otherwise (a "" sent for an optional
// enum, which Go cannot tell from unset) there is nothing to compare. It
// returns the Go path of the first difference and what differs.
func builtInGo(decoded any, doc any) (path, detail string, ok bool) {
	built := rebuild(reflect.ValueOf(decoded))
	out, err := json.Marshal(built.Interface())
	if err != nil {
		return "", "", true
	}
	var back any
	if json.Unmarshal(out, &back) != nil || len(diffJSON(doc, back, nil)) > 0 {
		return "", "", true
	}
	if reflect.DeepEqual(decoded, built.Interface()) {
		return "", "", true
	}
	p, d := firstDifference(reflect.ValueOf(decoded), built, reflect.TypeOf(decoded).String())
	return p, d, false
}

var (
	vapiPkg = reflect.TypeOf(vapi.Session{}).PkgPath()
	// testPkg's structs are rebuilt too, so that the oracle's own test can
	// hand it types with bookkeeping of their own.
	testPkg = reflect.TypeOf(schemaType{}).PkgPath()
)

// rebuild copies a value the way a user builds it: SDK structs field by
// field (exported fields only, json:"-" ones left zero), pointers, maps,
// slices and interfaces anew, and everything else (time.Time,
// vapi.Nullable, scalars) as it is.
func rebuild(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(rebuild(v.Elem()))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		i := reflect.New(v.Type()).Elem()
		i.Set(rebuild(v.Elem()))
		return i
	case reflect.Struct:
		t := v.Type()
		if (t.PkgPath() != vapiPkg && t.PkgPath() != testPkg) || strings.HasPrefix(t.Name(), "Nullable[") || !hasExported(t) {
			// A value built by a constructor (vapi.Nullable, a timestamp
			// with only unexported state): a user's copy is the same.
			return v
		}
		s := reflect.New(t).Elem()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			s.Field(i).Set(rebuild(v.Field(i)))
		}
		return s
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			m.SetMapIndex(it.Key(), rebuild(it.Value()))
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			s.Index(i).Set(rebuild(v.Index(i)))
		}
		return s
	}
	return v
}

// hasExported reports whether a struct has an exported field.
func hasExported(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

// firstDifference finds where two values of one type first differ, as a
// Go path ("*vapi.Session.Messages[0]"), and says what differs there.
func firstDifference(a, b reflect.Value, path string) (string, string) {
	if a.Kind() != b.Kind() {
		return path, fmt.Sprintf("%v vs %v", a.Kind(), b.Kind())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return path, fmt.Sprintf("nil: %v vs %v", a.IsNil(), b.IsNil())
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return path, fmt.Sprintf("%v vs %v", a.Elem().Type(), b.Elem().Type())
		}
		return firstDifference(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equalValues(a.Field(i), b.Field(i)) {
				f := a.Type().Field(i)
				p, d := firstDifference(a.Field(i), b.Field(i), path+"."+f.Name)
				if !f.IsExported() {
					d = "unexported field " + f.Name + ", which a user cannot set: " + d
				} else if f.Tag.Get("json") == "-" {
					d = "field " + f.Name + ` (json:"-"), which decoding set though nothing was unknown: ` + d
				}
				return p, d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return path, fmt.Sprintf("nil: %v vs %v", a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return path, fmt.Sprintf("length %d vs %d", a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return path, fmt.Sprintf("nil: %v vs %v", a.IsNil(), b.IsNil())
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]", path, it.Key()), "missing in the value built in Go"
			}
			if !equalValues(it.Value(), bv) {
				return firstDifference(it.Value(), bv, fmt.Sprintf("%s[%v]", path, it.Key()))
			}
		}
		return path, fmt.Sprintf("%d members vs %d", a.Len(), b.Len())
	}
	return path, "values differ"
}

// equalValues is reflect.DeepEqual for values read through unexported
// fields, which Interface refuses to hand out.
func equalValues(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Pointer && a.Pointer() == b.Pointer() {
			return true
		}
		return equalValues(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return false
		}
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !equalValues(it.Value(), bv) {
				return false
			}
		}
		return true
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return a.Pointer() == b.Pointer()
	}
	return false
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

// TestParameterisedHookForm holds Validate to the hook form the spec
// documents for CallHookCustomerSpeechTimeout.on ("customer.speech.timeout"
// or "customer.speech.timeout[property=value]"): the parameterised form
// decodes as that hook, passes Validate, keeps its "on" through a round
// trip, and still has its options checked.
func TestParameterisedHookForm(t *testing.T) {
	hook := func(on string, timeout float64) string {
		return fmt.Sprintf(`{"assistant":{"hooks":[{"on":%q,"do":[{"type":"say","exact":"Are you still there?"}],"options":{"timeoutSeconds":%v}}]}}`, on, timeout)
	}
	tests := []struct {
		name    string
		body    string
		typed   bool   // decodes as *vapi.CallHookCustomerSpeechTimeout
		invalid string // the field Validate must report, "" for none
	}{
		{"the plain form passes Validate", hook("customer.speech.timeout", 10), true, ""},
		{"the parameterised form passes Validate", hook("customer.speech.timeout[timeoutSeconds=10]", 10), true, ""},
		{"the parameterised form with options out of range is refused at the options", hook("customer.speech.timeout[timeoutSeconds=10]", 0), true, "assistant.hooks[0].options.timeoutSeconds"},
		{"an unknown hook with parameters is refused at on", hook("customer.speech.bogus[timeoutSeconds=10]", 10), false, "assistant.hooks[0].on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r vapi.CreateSessionRequest
			if err := json.Unmarshal([]byte(tt.body), &r); err != nil {
				t.Fatalf("decoding %s: %v", tt.body, err)
			}
			if r.Assistant == nil || len(r.Assistant.Hooks) != 1 {
				t.Fatalf("decoding %s lost the hook: %+v", tt.body, r.Assistant)
			}
			if _, ok := r.Assistant.Hooks[0].(*vapi.CallHookCustomerSpeechTimeout); ok != tt.typed {
				t.Errorf("the hook decodes as %T; want *vapi.CallHookCustomerSpeechTimeout: %v", r.Assistant.Hooks[0], tt.typed)
			}
			err := r.Validate()
			var ve *vapi.ValidationError
			switch {
			case tt.invalid == "" && err != nil:
				t.Errorf("Validate rejects a valid hook: %v", err)
			case tt.invalid != "" && !errors.As(err, &ve):
				t.Errorf("Validate returns %v; want a *vapi.ValidationError at %s", err, tt.invalid)
			case tt.invalid != "":
				found := false
				for _, fe := range ve.Errors {
					found = found || fe.Field == tt.invalid
				}
				if !found {
					t.Errorf("Validate reports %v; want a violation at %s", ve.Errors, tt.invalid)
				}
			}
			out, err := json.Marshal(&r)
			if err != nil {
				t.Fatalf("marshalling: %v", err)
			}
			want, _ := decodeNumbers([]byte(tt.body))
			got, _ := decodeNumbers(out)
			for _, d := range diffJSON(want, got, nil) {
				t.Errorf("round trip at %q: %s: %s", d.path, d.what, d.detail)
			}
		})
	}
}

// cycleChild is set in the child process TestValidateReportsCycles runs, so
// that a Validate that recurses without end crashes the child, not the
// test binary.
const cycleChild = "VAPI_ORACLE_CYCLE_CHILD"

// TestValidateReportsCycles puts a cycle through a free-form map
// (map[string]any holding itself) in every request type that has such a
// map within reach of its struct fields, and requires Validate to report
// it at that map (API.md v3: a cycle is reported by Validate, not only by
// marshalling), and marshalling to refuse it, without crashing. The checks
// run in a child process with a small stack.
func TestValidateReportsCycles(t *testing.T) {
	if os.Getenv(cycleChild) != "" {
		debug.SetMaxStack(64 << 20)
		validateCycles(t)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestValidateReportsCycles$", "-test.v")
	cmd.Env = append(os.Environ(), cycleChild+"=1")
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "cycles: ") {
			t.Log(strings.TrimSpace(line))
		}
	}
	if err == nil {
		return
	}
	var started string
	for _, line := range strings.Split(string(out), "\n") {
		if l, ok := strings.CutPrefix(strings.TrimSpace(line), "=== RUN   TestValidateReportsCycles/"); ok {
			started = l
		}
	}
	if strings.Contains(string(out), "fatal error: stack overflow") || strings.Contains(string(out), "goroutine stack exceeds") {
		t.Fatalf("Validate (or marshalling) recursed without end on a cycle, in %s: the child crashed with a stack overflow", started)
	}
	var failed []string
	for _, line := range strings.Split(string(out), "\n") {
		if s := strings.TrimSpace(line); strings.HasPrefix(s, "property_test.go:") || strings.HasPrefix(s, "panic:") {
			failed = append(failed, s)
		}
	}
	if len(failed) > 40 {
		failed = append(failed[:40], fmt.Sprintf("… and %d lines more", len(failed)-40))
	}
	t.Fatalf("the child failed (%v):\n%s", err, strings.Join(failed, "\n"))
}

func validateCycles(t *testing.T) {
	var roots []string
	for schema := range schemaTypes {
		roots = append(roots, schema)
	}
	sort.Strings(roots)
	tested := 0
	for _, schema := range roots {
		v := schemaTypes[schema].new()
		if _, ok := v.(validatable); !ok {
			continue
		}
		path, ok := freeFormPath(reflect.TypeOf(v).Elem(), 0, map[reflect.Type]bool{})
		if !ok {
			continue
		}
		tested++
		field := jsonPath(path)
		typ := schemaTypes[schema].name
		t.Run(typ, func(t *testing.T) {
			m := map[string]any{"name": "x"}
			m["self"] = m
			setPath(reflect.ValueOf(v).Elem(), path, reflect.ValueOf(m))
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("vapi.%s: Validate panics on a cycle at %s: %v", typ, field, p)
					}
				}()
				err := v.(validatable).Validate()
				var ve *vapi.ValidationError
				if !errors.As(err, &ve) {
					t.Errorf("vapi.%s: Validate returns %v on a cycle at %s; want a *vapi.ValidationError there", typ, err, field)
					return
				}
				for _, fe := range ve.Errors {
					if fe.Field == field || within(fe.Field, field) {
						return
					}
				}
				t.Errorf("vapi.%s: Validate does not report the cycle at %s; it says: %v", typ, field, ve)
			}()
			if _, err := json.Marshal(v); err == nil {
				t.Errorf("vapi.%s: marshalling a cycle at %s succeeds", typ, field)
			}
		})
	}
	t.Logf("cycles: %d request types with a free-form map within reach checked", tested)
	if tested == 0 {
		t.Error("no request type has a free-form map within reach: the check checks nothing")
	}
}

// step is one field of a path through Go types: a struct field (by index),
// or the first element of a slice.
type step struct {
	field int // -1 for a slice element
	name  string
}

// freeFormPath finds the shortest path of struct fields (through pointers
// and slices, not interfaces) from t to a map[string]any field.
func freeFormPath(t reflect.Type, depth int, seen map[reflect.Type]bool) ([]step, bool) {
	type node struct {
		t    reflect.Type
		path []step
	}
	queue := []node{{t, nil}}
	seen[t] = true
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for i := 0; i < n.t.NumField(); i++ {
			f := n.t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			p := append(slices.Clip(n.path), step{i, name})
			ft := f.Type
			if ft == reflect.TypeOf(map[string]any(nil)) {
				return p, true
			}
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				if ft.Kind() == reflect.Slice {
					p = append(p, step{-1, ""})
				}
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == vapiPkg && !seen[ft] {
				seen[ft] = true
				queue = append(queue, node{ft, p})
			}
		}
	}
	return nil, false
}

// jsonPath spells a path as FieldError does ("assistant.metadata",
// "members[0].assistant.metadata").
func jsonPath(p []step) string {
	var b strings.Builder
	for _, s := range p {
		if s.field < 0 {
			b.WriteString("[0]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// setPath allocates what the path runs through and sets its end to v.
func setPath(at reflect.Value, p []step, v reflect.Value) {
	for _, s := range p {
		for at.Kind() == reflect.Pointer {
			if at.IsNil() {
				at.Set(reflect.New(at.Type().Elem()))
			}
			at = at.Elem()
		}
		if s.field < 0 {
			at.Set(reflect.MakeSlice(at.Type(), 1, 1))
			at = at.Index(0)
			continue
		}
		at = at.Field(s.field)
	}
	at.Set(v)
}

// Types with bookkeeping of the kinds a codec could add, for
// TestBuiltInGoCatchesBookkeeping.
type (
	presenceProbe struct {
		Name    string `json:"name"`
		present uint8
	}
	extraProbe struct {
		Name  string         `json:"name"`
		Extra map[string]any `json:"-"`
	}
	optionalProbe struct {
		Model string `json:"model,omitempty"`
		sent  bool
	}
)

// TestBuiltInGoCatchesBookkeeping shows that the DeepEqual oracle of
// TestSpecProperties can fail: it catches decoding state a user cannot set
// (an unexported field, a json:"-" field), and passes what a user builds,
// or what a user could not have built.
func TestBuiltInGoCatchesBookkeeping(t *testing.T) {
	tests := []struct {
		name    string
		decoded any
		doc     string
		ok      bool
		at      string
	}{
		{"a value without bookkeeping equals the one built in Go", &presenceProbe{Name: "x"}, `{"name":"x"}`, true, ""},
		{"an unexported presence field set by decoding is caught", &presenceProbe{Name: "x", present: 1}, `{"name":"x"}`, false, "*vapi_test.presenceProbe.present"},
		{"a json:\"-\" field decoding filled is caught", &extraProbe{Name: "x", Extra: map[string]any{}}, `{"name":"x"}`, false, "*vapi_test.extraProbe.Extra"},
		{"a document Go cannot build (\"\" in an omitempty field) is not compared", &optionalProbe{sent: true}, `{"model":""}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			at, detail, ok := builtInGo(tt.decoded, doc)
			if ok != tt.ok || at != tt.at {
				t.Errorf("builtInGo = %q, %q, %v; want %q, %v", at, detail, ok, tt.at, tt.ok)
			}
		})
	}
}
