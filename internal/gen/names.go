package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/govapi/vapi/internal/spec"
)

// initialisms are written in capitals in Go names, as golint asks, in names
// taken from the spec as well as invented ones. Brand names keep their own
// spelling because they split into words that are not initialisms (OpenAI is
// Open + AI, ElevenLabs is Eleven + Labs).
var initialisms = map[string]bool{
	"ACL": true, "AI": true, "API": true, "APIM": true, "ARN": true, "ASCII": true,
	"AWS": true, "BYO": true, "CPU": true, "CSS": true, "DNS": true, "DTMF": true,
	"EOF": true, "EOT": true, "GCP": true, "GHL": true, "GUID": true, "HMAC": true,
	"HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true, "JSON": true,
	"JWT": true, "LHS": true, "LLM": true, "LMNT": true, "MCP": true, "OCP": true,
	"PCAP": true, "PCI": true, "PEM": true, "QPS": true, "RAM": true, "RBAC": true,
	"RCE": true, "RHS": true, "RPC": true, "SBC": true, "SID": true, "SIP": true,
	"SLA": true, "SMS": true, "SMTP": true, "SPKI": true, "SQL": true, "SSH": true,
	"SSML": true, "SSRF": true, "STS": true, "STT": true, "TCP": true, "TLS": true,
	"TTL": true, "TTS": true, "UDP": true, "UI": true, "UID": true, "URI": true,
	"URL": true, "UTF8": true, "UUID": true, "VAD": true, "VM": true, "XAI": true, "XML": true,
	"XMPP": true, "XSRF": true, "XSS": true, "ZDR": true,
}

// words splits a JSON name or value into words at case changes, digits
// boundaries kept, and at any character that cannot be in an identifier.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || unicode.IsDigit(cur[len(cur)-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// goName turns a JSON or schema name into an exported Go name: assistantId
// → AssistantID, tools:append → ToolsAppend, JsonSchema → JSONSchema, XAi →
// XAI.
func goName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		u := strings.ToUpper(w)
		if initialisms[u] {
			b.WriteString(u)
			continue
		}
		if n := len(w); n > 2 && w[n-1] == 's' && initialisms[u[:n-1]] {
			b.WriteString(u[:n-1] + "s") // toolIds → ToolIDs
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	name := b.String()
	if name == "" {
		return "Empty"
	}
	if !unicode.IsLetter([]rune(name)[0]) {
		name = "X" + name
	}
	return name
}

// punctuation names the enum values that have no letters or digits, for
// what they are.
var punctuation = map[string]string{
	"":   "None",
	"#":  "Pound",
	"*":  "Star",
	".":  "Period",
	",":  "Comma",
	":":  "Colon",
	";":  "Semicolon",
	"!":  "ExclamationMark",
	"?":  "QuestionMark",
	")":  "RightParenthesis",
	"(":  "LeftParenthesis",
	"|":  "Pipe",
	"||": "DoublePipe",
	"=":  "Equal",
	"!=": "NotEqual",
	">":  "GreaterThan",
	">=": "GreaterThanOrEqual",
	"<":  "LessThan",
	"<=": "LessThanOrEqual",
	"。":  "IdeographicFullStop",
	"，":  "FullwidthComma",
	"।":  "Danda",
	"॥":  "DoubleDanda",
	"،":  "ArabicComma",
	"۔":  "ArabicFullStop",
}

// valueName spells an enum value in Go form, or reports that it cannot.
func valueName(value string) (string, bool) {
	if p, ok := punctuation[value]; ok {
		return p, true
	}
	var b strings.Builder
	for _, w := range words(value) {
		// The words of a value follow the initialism rule too: "gpt-4o"
		// is GPT4o, "…-llm-failed" LLMFailed, "…-json" JSON.
		if u := strings.ToUpper(w); initialisms[u] || valueInitialisms[u] {
			b.WriteString(u)
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String(), b.Len() > 0
}

// valueInitialisms are initialisms that appear in enum values only (model
// names), so that they rename no type.
var valueInitialisms = map[string]bool{"GPT": true}

// constNames names the constants of an enum: the type name followed by the
// value in Go form (SessionStatus + "active" → SessionStatusActive). Values
// that differ only in punctuation ("en-US", "en_US") would meet on one name;
// the later one then keeps its punctuation as words ("EnUnderscoreUS").
func constNames(typ string, values []string) ([]string, error) {
	out := make([]string, len(values))
	used := map[string]string{}
	for i, v := range values {
		w, ok := valueName(v)
		if !ok {
			return nil, fmt.Errorf("enum %s: no Go name for the value %q (add it to the punctuation table)", typ, v)
		}
		name := typ + w
		if prev, dup := used[name]; dup {
			name = typ + spelledOut(v)
			if prev2, dup2 := used[name]; dup2 {
				return nil, fmt.Errorf("enum %s: values %q and %q both name %s", typ, prev2, v, name)
			}
			_ = prev
		}
		used[name] = v
		out[i] = name
	}
	return out, nil
}

// spelledOut spells a value with its punctuation as words, to tell apart
// values that differ only in punctuation.
func spelledOut(value string) string {
	var b strings.Builder
	for _, r := range value {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if b.Len() == 0 || !unicode.IsLetter(r) {
				b.WriteRune(unicode.ToUpper(r))
			} else {
				b.WriteRune(r)
			}
		default:
			if p, ok := punctuation[string(r)]; ok {
				b.WriteString(p)
			} else {
				b.WriteString(map[rune]string{'-': "Dash", '_': "Underscore", '/': "Slash", ' ': "Space", '+': "Plus", '@': "At"}[r])
			}
		}
	}
	return b.String()
}

// verbs are the first words of request bodies named for what they do
// (UpdateAssistantDTO, ExportChatDTO).
var verbs = map[string]bool{
	"Add": true, "Attach": true, "Clone": true, "Create": true, "Delete": true,
	"Export": true, "Generate": true, "Get": true, "Import": true, "Invite": true,
	"Revoke": true, "Sync": true, "Update": true,
}

// ruleName is the Go name the naming rules give a schema:
//   - Create<X>DTO and Import<X>DTO (bodies that make a resource) are
//     <X>Config;
//   - other <Verb><X>DTO are <Verb><X>Request;
//   - any other <X>DTO is <X>;
//   - <X>PaginatedResponse is <X>Page;
//
// then the result is spelt with Go initialisms.
func ruleName(schema string) string {
	s := schema
	for _, suffix := range []string{"DTO", "Dto"} {
		if !strings.HasSuffix(s, suffix) {
			continue
		}
		s = strings.TrimSuffix(s, suffix)
		first := ""
		if w := words(s); len(w) > 0 {
			first = w[0]
		}
		switch {
		case first == "Create" || first == "Import":
			s = strings.TrimPrefix(s, first) + "Config"
		case verbs[first] && !strings.HasSuffix(s, "Response"):
			s += "Request"
		}
		break
	}
	if base, ok := strings.CutSuffix(s, "PaginatedResponse"); ok {
		s = base + "Page"
	}
	return goName(s)
}

// typeNames computes the Go name of every schema of the spec, so that adding
// a schema to the generated closure later never renames anything. The
// override table's names come first; two schemas that the rules give one
// name are an error the override table must settle.
func typeNames(sp *spec.Spec, t *spec.Table) (map[string]string, error) {
	names := map[string]string{}
	owner := map[string]string{}
	var errs []string
	reserved := map[string]string{}
	for _, u := range t.Unions {
		reserved[u.Name] = "the union " + u.Name
	}
	schemas := make([]string, 0, len(sp.Components.Schemas))
	for n := range sp.Components.Schemas {
		schemas = append(schemas, n)
	}
	sort.Strings(schemas)
	for _, n := range schemas {
		name, ok := t.TypeNames[n]
		if !ok {
			name = ruleName(n)
		}
		if strings.HasSuffix(name, "DTO") {
			errs = append(errs, fmt.Sprintf("%s: Go name %s ends in DTO", n, name))
		}
		if prev, dup := owner[name]; dup {
			errs = append(errs, fmt.Sprintf("%s and %s both name %s", prev, n, name))
		}
		if r, dup := reserved[name]; dup {
			errs = append(errs, fmt.Sprintf("%s names %s, which is %s", n, name, r))
		}
		owner[name] = n
		names[n] = name
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("naming: %s", strings.Join(errs, "; "))
	}
	return names, nil
}

// baseName shortens a schema name for naming the enums and unions found in
// it: CreateSessionDTO → Session, UpdateAssistantDTO → Assistant.
func baseName(schema string) string {
	s := strings.TrimSuffix(strings.TrimSuffix(schema, "DTO"), "Dto")
	for _, verb := range []string{"Create", "Update", "Import"} {
		if strings.HasPrefix(s, verb) && len(s) > len(verb) && unicode.IsUpper(rune(s[len(verb)])) {
			s = strings.TrimPrefix(s, verb)
			break
		}
	}
	return goName(s)
}

// singular drops a plural s from an array property's name, to name its
// element type.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "sses"):
		return strings.TrimSuffix(s, "es")
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}
