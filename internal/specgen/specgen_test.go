package specgen

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi/internal/spec"
)

const (
	specFile    = "../../../shared/spec/vapi-openapi.json"
	closureFile = "../../../shared/spec/sessions-closure.txt"
	toolDir     = "../../../shared/tools"
)

func loadSpec(t *testing.T) *spec.Spec {
	t.Helper()
	if _, err := os.Stat(specFile); err != nil {
		t.Skip("the spec is not beside the repository:", err)
	}
	sp, err := spec.Load(specFile)
	require.NoError(t, err)
	return sp
}

// sampleSchemas are the schemas whose documents the tests judge: the
// Sessions bodies, the ones named in the override table's tie rules, a
// recursive one, the ones with patterns, and the roots the chat and
// webhook work will add.
var sampleSchemas = []string{
	"CreateSessionDTO", "UpdateSessionDTO", "Session", "SessionPaginatedResponse",
	"SquadMemberDTO", "ScorecardMetric", "JsonSchema", "DeepgramTranscriber", "OpenAIFunction",
	"CodeToolEnvironmentVariable", "VariableExtractionAlias", "CreateApiRequestToolDTO", "CreateStructuredOutputDTO",
	"CreateChatDTO", "Chat", "ServerMessageSessionCreated",
}

func TestValidDocumentsAreReproducibleFromTheirSeed(t *testing.T) {
	sp := loadSpec(t)
	for _, name := range []string{"CreateSessionDTO", "Session"} {
		t.Run(name, func(t *testing.T) {
			a, _ := json.Marshal(New(sp, 42).Valid(name))
			b, _ := json.Marshal(New(sp, 42).Valid(name))
			c, _ := json.Marshal(New(sp, 43).Valid(name))
			assert.Equal(t, string(a), string(b), "the same seed makes the same document")
			assert.NotEqual(t, string(a), string(c), "another seed makes another document")
		})
	}
}

func TestValidDocumentsSatisfyTheReferenceValidator(t *testing.T) {
	sp := loadSpec(t)
	var batch []judged
	for _, name := range sampleSchemas {
		for seed := int64(0); seed < 4; seed++ {
			batch = append(batch, judged{schema: name, seed: seed, doc: New(sp, seed).Valid(name)})
		}
	}
	verdicts := referenceValidate(t, batch)
	for i, j := range batch {
		assert.Empty(t, verdicts[i], "%s seed %d: %s", j.schema, j.seed, excerpt(j.doc))
	}
}

func TestSelectorsBeyondMaxLengthAreMadeOnlyWhenAsked(t *testing.T) {
	g := New(nil, 7)
	over := 0
	for i := 0; i < 2000; i++ {
		s := g.text(0, 5, nil)
		require.True(t, lengthOK(s, 0, 5), "%q", s)
	}
	g.UncountedSelectors = true
	for i := 0; i < 2000; i++ {
		s := g.text(0, 5, nil)
		require.LessOrEqual(t, Length(s), 5, "%q", s)
		if !lengthOK(s, 0, 5) {
			over++
		}
	}
	assert.Positive(t, over, "some strings carry selectors beyond maxLength")
}

func TestMutantsChangeOnlyTheirPathAndTheReferenceValidatorRejectsThem(t *testing.T) {
	sp := loadSpec(t)
	var batch []judged
	var judgedMutants []Mutant
	kinds := map[Kind]int{}
	for _, name := range []string{"CreateSessionDTO", "UpdateSessionDTO", "SquadMemberDTO", "ScorecardMetric", "DeepgramTranscriber", "CreateChatDTO"} {
		perKind := map[Kind]int{}
		for seed := int64(0); seed < 5; seed++ {
			g := New(sp, seed)
			doc := g.Valid(name)
			for _, m := range g.Mutants(name, doc) {
				require.Equal(t, []string{m.Path.String()}, changedPaths(doc, m.Doc), "%s seed %d: %s %s", name, seed, m.Kind, m.Desc)
				kinds[m.Kind]++
				// The reference validator is slow: it judges a few
				// mutants of each kind and schema, where it can.
				if perKind[m.Kind] < 3 && !g.beyondReference(name, doc, m) {
					perKind[m.Kind]++
					batch = append(batch, judged{schema: name, seed: seed, doc: m.Doc})
					judgedMutants = append(judgedMutants, m)
				}
			}
		}
	}
	for _, k := range []Kind{Required, MinLength, MaxLength, Minimum, Maximum, Enum, Pattern, Type, Null, DiscMissing, DiscUnknown, Unknown} {
		assert.Positive(t, kinds[k], "no %s mutants", k)
	}
	t.Logf("%d mutants checked for their path; the reference validator judged %d", total(kinds), len(batch))
	verdicts := referenceValidate(t, batch)
	for i, m := range judgedMutants {
		assert.True(t, anyWithin(verdicts[i], m.Path), "%s seed %d: the reference validator accepts %s at %s (%s); it said %v",
			batch[i].schema, batch[i].seed, m.Kind, m.Path, m.Desc, verdicts[i])
	}
}

func total(counts map[Kind]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// beyondReference reports whether a path runs through a union the
// reference validator cannot tell apart as the API does: one whose
// alternatives share a discriminator value (the override table's tie
// rules), or where the spec does not declare the discriminator value of an
// alternative (chat messages by role, hooks by on). It reads oneOf as anyOf and allows
// undeclared members, so a broken member of one alternative may pass as
// another alternative. Nor does it refuse an undeclared member, nor miss a discriminator the spec leaves
// optional (CreateByoSipTrunkCredentialDTO.provider), which the API needs
// to pick the alternative.
func (g *Generator) beyondReference(schemaName string, doc any, m Mutant) bool {
	if m.Kind == Unknown {
		// It allows undeclared members; the API does not.
		return true
	}
	s, at, v := g.schema(schemaName), site{parent: schemaName}, doc
	for i, step := range m.Path {
		r, name := g.resolve(s)
		if len(r.OneOf) > 0 {
			u := g.unionOf(r)
			a, ok := g.altFor(u, v, at)
			if !ok {
				return false
			}
			dv := ""
			if obj, ok := v.(map[string]any); ok && u.disc != "" {
				dv, _ = obj[u.disc].(string)
			}
			if _, amb := g.ambiguity(r, at, dv); amb {
				return true
			}
			for _, b := range u.alts {
				if _, undeclared := spec.Overrides.DiscValues[b.name+"."+u.disc]; undeclared {
					return true
				}
			}
			if m.Kind == DiscMissing && i == len(m.Path)-1 && !isRequired(a.schema, u.disc) {
				return true
			}
			r, name = a.schema, a.name
		}
		switch step := step.(type) {
		case string:
			obj, _ := v.(map[string]any)
			v = obj[step]
			p := property(r, step)
			if p == nil {
				return false
			}
			if name == "" {
				name = at.String()
			}
			s, at = p, site{name, step}
		case int:
			arr, _ := v.([]any)
			if step >= len(arr) || r.Items == nil {
				return false
			}
			s, at, v = r.Items, at.items(), arr[step]
		}
	}
	return false
}

// anyWithin reports whether a violation is at the path, inside it, or at a
// value that contains it (a union reports at the member).
func anyWithin(violations []string, p Path) bool {
	want := p.String()
	for _, v := range violations {
		at := v[:strings.Index(v, ": ")]
		if at == want || strings.HasPrefix(at, want+".") || strings.HasPrefix(at, want+"[") ||
			strings.HasPrefix(want, at+".") || strings.HasPrefix(want, at+"[") || at == "" {
			return true
		}
	}
	return false
}

func TestGeneratorReachesTheSessionsClosure(t *testing.T) {
	sp := loadSpec(t)
	b, err := os.ReadFile(closureFile)
	if err != nil {
		t.Skip(err)
	}
	made := map[string]bool{}
	for seed := int64(0); seed < 100; seed++ {
		for _, root := range spec.Overrides.Roots {
			g := New(sp, seed)
			g.Valid(root)
			for name := range g.made {
				made[name] = true
			}
		}
	}
	var objects, missed []string
	for _, name := range strings.Fields(string(b)) {
		if s := sp.Components.Schemas[name]; s != nil && kindOf(s) == kObject {
			objects = append(objects, name)
			if !made[name] {
				missed = append(missed, name)
			}
		}
	}
	t.Logf("%d of %d object schemas of the closure made; missed %v", len(objects)-len(missed), len(objects), missed)
	assert.GreaterOrEqual(t, float64(len(objects)-len(missed))/float64(len(objects)), 0.97)
}

func TestEveryPatternOfTheSpecTranslatesAndGeneratesMatches(t *testing.T) {
	sp := loadSpec(t)
	patterns := map[string]bool{}
	for _, s := range sp.Components.Schemas {
		spec.Walk(s, func(x *spec.Schema) {
			if x.Pattern != "" {
				patterns[x.Pattern] = true
			}
		})
	}
	require.NotEmpty(t, patterns)
	g := New(sp, 3)
	for p := range patterns {
		t.Run(p, func(t *testing.T) {
			expr, err := GoPattern(p)
			require.NoError(t, err)
			re := regexp.MustCompile(expr)
			for i := 0; i < 200; i++ {
				s := g.matching(p, 0, -1)
				require.True(t, re.MatchString(s), "%q", s)
			}
		})
	}
}

func TestGoPatternTranslatesJavaScriptLiterals(t *testing.T) {
	tests := []struct{ in, out, err string }{
		{`/^\p{L}[\p{L}\d]*(?::[+-]?\d+)?$/u`, `^\p{L}[\p{L}\d]*(?::[+-]?\d+)?$`, ""},
		{`/^[a-z]+$/i`, `(?i)^[a-z]+$`, ""},
		{`/^a.b$/ms`, `(?ms)^a.b$`, ""},
		{`/^[a-zA-Z0-9][a-zA-Z0-9._-]*(?:\/[a-zA-Z0-9][a-zA-Z0-9._-]*){0,2}$/`, `^[a-zA-Z0-9][a-zA-Z0-9._-]*(?:\/[a-zA-Z0-9][a-zA-Z0-9._-]*){0,2}$`, ""},
		{`^org-[a-z0-9-]+$`, `^org-[a-z0-9-]+$`, ""},
		{`/[\p{L}--\p{Lu}]/v`, "", `flag 'v' has no RE2 equivalent`},
		{`/(?<=a)b/`, "", "error parsing regexp"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			out, err := GoPattern(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.out, out)
		})
	}
}

func TestLengthCountsAsClassValidatorDoes(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"😀", 1},       // one code point, two UTF-16 units
		{"❤️", 1},      // U+2764 U+FE0F: the selector is not counted
		{"e\u0301", 2}, // a combining mark is a code point of its own
		{"\uFE0E", 0},  // a lone text selector
		{"🇫🇷", 2},      // a flag is two regional indicators
		{"中文\n", 3},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.s), func(t *testing.T) {
			assert.Equal(t, tt.want, Length(tt.s))
		})
	}
}

// judged is a document for the reference validator.
type judged struct {
	schema string
	seed   int64
	doc    any
}

// referenceValidate returns each document's violations; it skips the test
// when python3 with jsonschema is not available.
func referenceValidate(t *testing.T, docs []judged) [][]string {
	t.Helper()
	if err := ReferenceAvailable(toolDir); err != nil {
		t.Skip(err)
	}
	batch := make([]Judged, len(docs))
	for i, d := range docs {
		batch[i] = Judged{Schema: d.schema, Doc: d.doc}
	}
	verdicts, err := Judge(toolDir, batch)
	require.NoError(t, err)
	return verdicts
}

func TestRootsAreEveryBodyOfThePathsAndEveryServerMessage(t *testing.T) {
	sp := loadSpec(t)
	roots, untyped := Roots(sp)
	by := map[string]Root{}
	for _, r := range roots {
		by[r.Schema] = r
	}
	for name, request := range map[string]bool{
		"CreateSessionDTO": true, "UpdateAssistantDTO": true, "CreateFunctionToolDTO": true, // a oneOf request body
		"Session": false, "Assistant": false, "FunctionTool": false, // an array body's items
		"StructuredOutputRunPreviewResponse":    false, // allOf with members beside it
		"ServerMessageEndOfCallReport":          false,
		"ServerMessageResponseToolCalls":        false,
		"ServerMessage":                         false,
		"ServerMessageResponseAssistantRequest": false,
	} {
		r, ok := by[name]
		if assert.True(t, ok, "%s is not a root", name) {
			assert.Equal(t, request, r.Request, "%s: request", name)
			assert.NotEmpty(t, r.Where, name)
		}
	}
	assert.NotContains(t, by, "ElevenLabsVoice", "a schema only nested in bodies is no root")
	for _, u := range untyped {
		assert.Equal(t, "{type: object}", u.Schema, u.Where)
	}
	t.Logf("%d roots, %d bodies without a schema of their own", len(roots), len(untyped))
	assert.Greater(t, len(roots), 200)
}

func TestUnknownMemberMutantsAddOneUndeclaredMember(t *testing.T) {
	sp := loadSpec(t)
	g := New(sp, 5)
	doc := g.Valid("CreateSessionDTO")
	n := 0
	for _, m := range g.Mutants("CreateSessionDTO", doc) {
		if m.Kind != Unknown {
			continue
		}
		n++
		v, ok := At(m.Doc, m.Path)
		require.True(t, ok, m.Path.String())
		assert.Equal(t, UnknownMember, v)
		_, before := At(doc, m.Path)
		assert.False(t, before, "%s was already there", m.Path)
	}
	assert.Positive(t, n, "the root object has no unknown-member mutant")
}

func TestParameterisedHooksAreMadeAndToldApart(t *testing.T) {
	sp := loadSpec(t)
	found := 0
	for seed := int64(0); seed < 60 && found == 0; seed++ {
		g := New(sp, seed)
		doc := g.Valid("CreateAssistantDTO").(map[string]any)
		hooks, _ := doc["hooks"].([]any)
		for i, h := range hooks {
			on, _ := h.(map[string]any)["on"].(string)
			if !strings.HasPrefix(on, "customer.speech.timeout[") {
				continue
			}
			found++
			assert.Contains(t, h, "options", "a parameterised hook carries the options it parameterises")
			assert.Equal(t, "CallHookCustomerSpeechTimeout.options", g.Site("CreateAssistantDTO", doc, Path{"hooks", i, "options"}))
		}
	}
	assert.Positive(t, found, "no parameterised hook in 60 assistants")
}

func TestMultiValuedDiscriminatorsAreUsed(t *testing.T) {
	sp := loadSpec(t)
	seen := map[string]bool{}
	for seed := int64(0); seed < 80; seed++ {
		g := New(sp, seed)
		doc := g.Valid("ServerMessage").(map[string]any)
		if m, ok := doc["message"].(map[string]any); ok {
			if ty, ok := m["type"].(string); ok && strings.HasPrefix(ty, "transcript") {
				seen[ty] = true
			}
		}
	}
	assert.Equal(t, map[string]bool{"transcript": true, `transcript[transcriptType="final"]`: true}, seen,
		"both values of ServerMessageTranscript.type are made")
}
