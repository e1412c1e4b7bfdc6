package vapi

import (
	"strconv"
	"strings"
)

// FieldError is one violation found by client-side validation.
type FieldError struct {
	// Field is the JSON path of the offending value, for example
	// "customer.number", "messages[1].content" or "assistant.voice.stability".
	Field string
	// Message says what is wrong, for example "must be at most 40 characters".
	Message string
}

// String returns "field: message".
func (e FieldError) String() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// ValidationError reports every violation that client-side validation found
// in a request. Create and Update return it, and send nothing, when the
// request breaks a constraint of Vapi's API specification.
type ValidationError struct {
	Errors []FieldError
}

// Error lists every violation on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("vapi: invalid request: ")
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.String())
	}
	return b.String()
}

// Has reports whether a violation was found at the given JSON path.
func (e *ValidationError) Has(field string) bool {
	for _, fe := range e.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// path is one step of the JSON path to the value being validated. Paths live
// on the stack and are only turned into strings when a violation is found, so
// validating a valid request does not allocate.
type path struct {
	parent *path
	name   string // object key; empty for an array element
	index  int    // array index when name is empty
}

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var segs []*path
	for q := p; q != nil; q = q.parent {
		segs = append(segs, q)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.name == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// validator collects violations.
type validator struct {
	errs []FieldError
}

func (v *validator) fail(p *path, msg string) {
	v.errs = append(v.errs, FieldError{Field: p.String(), Message: msg})
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: v.errs}
}

// jsLength counts a string's length the way the API does (JavaScript's
// String.length: UTF-16 code units), without allocating.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
