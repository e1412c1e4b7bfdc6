package specgen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/govapi/vapi/internal/spec"
)

// Root is a schema whose documents travel whole: the body of an operation
// (each alternative of a oneOf body, the items of an array body), or a
// message Vapi sends to a server URL and the answer to it.
type Root struct {
	Schema string
	// Request is set for a request body: what a client sends, which the
	// SDK validates.
	Request bool
	// Where lists where the schema is a root ("POST /assistant request",
	// "GET /call 200", "ServerMessage.message"), for failure messages.
	Where []string
}

// Untyped is a body the spec gives no schema of its own (`{"type":
// "object"}`): there is no Go type to hold it to.
type Untyped struct {
	Where  string
	Schema string // the body's schema, as JSON-ish text
}

// Roots returns every request body and every 2xx response body schema of
// every operation of the spec (a oneOf body gives each alternative; an
// array body its items), and every message of the spec's ServerMessage and
// answer of its ServerMessageResponse, with their two envelopes. The
// result is sorted by schema name. Bodies without a schema of their own
// are returned apart.
func Roots(sp *spec.Spec) ([]Root, []Untyped) {
	byName := map[string]*Root{}
	var untyped []Untyped
	add := func(name string, request bool, where string) {
		r := byName[name]
		if r == nil {
			r = &Root{Schema: name}
			byName[name] = r
		}
		r.Request = r.Request || request
		r.Where = append(r.Where, where)
	}
	var names func(s *spec.Schema, request bool, where string)
	names = func(s *spec.Schema, request bool, where string) {
		s = spec.Deref(s)
		switch {
		case s.Ref != "":
			add(spec.RefName(s.Ref), request, where)
		case len(s.OneOf) > 0:
			for _, a := range s.OneOf {
				names(a, request, where)
			}
		case len(s.AllOf) > 0 && s.AllOf[0].Ref != "":
			// A schema with members added beside it
			// (StructuredOutputRunPreviewResponse plus a map).
			add(spec.RefName(s.AllOf[0].Ref), request, where)
		case s.Type == "array" && s.Items != nil:
			names(s.Items, request, where)
		default:
			untyped = append(untyped, Untyped{Where: where, Schema: describe(s)})
		}
	}
	paths := make([]string, 0, len(sp.Paths))
	for p := range sp.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		methods := make([]string, 0, len(sp.Paths[p]))
		for m := range sp.Paths[p] {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			op := sp.Paths[p][m]
			if op == nil {
				continue
			}
			at := strings.ToUpper(m) + " " + p
			if op.RequestBody != nil {
				for _, ct := range sortedContent(op.RequestBody.Content) {
					if s := op.RequestBody.Content[ct].Schema; s != nil {
						names(s, true, at+" request ("+ct+")")
					}
				}
			}
			codes := make([]string, 0, len(op.Responses))
			for c := range op.Responses {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			for _, c := range codes {
				if !strings.HasPrefix(c, "2") {
					continue
				}
				for _, ct := range sortedContent(op.Responses[c].Content) {
					if s := op.Responses[c].Content[ct].Schema; s != nil {
						names(s, false, at+" "+c)
					}
				}
			}
		}
	}
	for _, env := range []struct{ schema, member string }{{"ServerMessage", "message"}, {"ServerMessageResponse", "messageResponse"}} {
		s := sp.Components.Schemas[env.schema]
		if s == nil {
			continue
		}
		add(env.schema, false, "webhook body")
		if m := property(s, env.member); m != nil {
			names(m, false, env.schema+"."+env.member)
		}
	}
	out := make([]Root, 0, len(byName))
	for _, r := range byName {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Schema < out[j].Schema })
	return out, untyped
}

func sortedContent[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func describe(s *spec.Schema) string {
	switch {
	case s.Type != "":
		return fmt.Sprintf("{type: %s}", s.Type)
	case s.Title != "":
		return fmt.Sprintf("{title: %s}", s.Title)
	}
	return "{}"
}
