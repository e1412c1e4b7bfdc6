package main

import (
	"strings"
	"unicode"
)

// initialisms are written in capitals in Go names, as golint asks.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "LHS": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SIP": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true,
	"TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true,
	"UUID": true, "URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true,
	"XMPP": true, "XSRF": true, "XSS": true, "SID": true, "LLM": true,
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

// goName turns a JSON name into an exported Go name: assistantId →
// AssistantID, tools:append → ToolsAppend, phoneNumberId → PhoneNumberID.
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

// constName names an enum constant: the type name followed by the value in
// Go form (SessionStatus + "active" → SessionStatusActive).
func constName(typ, value string) string {
	var b strings.Builder
	for _, w := range words(value) {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	if b.Len() == 0 {
		return typ + "Empty"
	}
	return typ + b.String()
}

// baseName shortens a schema name for naming the enums and unions found in
// it: CreateSessionDTO → Session.
func baseName(schema string) string {
	s := strings.TrimSuffix(schema, "DTO")
	if strings.HasPrefix(s, "Create") && len(s) > len("Create") {
		s = strings.TrimPrefix(s, "Create")
	}
	return s
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
