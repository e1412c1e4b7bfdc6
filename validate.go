package vapi

import (
	"math"
	"regexp"
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
	return string(p.appendTo(nil))
}

// appendTo writes the path root first. It recurses rather than collecting
// the steps, so that a path never escapes to the heap.
func (p *path) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	b = p.parent.appendTo(b)
	if p.name == "" {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, p.name...)
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

const (
	msgRequired = "is required"
	msgNull     = "must not be null"
)

// Bounds that number checks use where the spec sets none.
var (
	noMin = math.Inf(-1)
	noMax = math.Inf(1)
)

// length checks a string's length; a negative bound is absent.
func (v *validator) length(p *path, s string, min, max int) {
	n := jsLength(s)
	switch {
	case min >= 0 && n < min:
		v.fail(p, "must be at least "+strconv.Itoa(min)+" characters long")
	case max >= 0 && n > max:
		v.fail(p, "must be at most "+strconv.Itoa(max)+" characters long")
	}
}

// number checks a number's range.
func (v *validator) number(p *path, f, min, max float64) {
	switch {
	case f < min:
		v.fail(p, "must be at least "+strconv.FormatFloat(min, 'g', -1, 64))
	case f > max:
		v.fail(p, "must be at most "+strconv.FormatFloat(max, 'g', -1, 64))
	}
}

// count checks an array's size; a negative bound is absent.
func (v *validator) count(p *path, n, min, max int) {
	switch {
	case min >= 0 && n < min:
		v.fail(p, "must have at least "+strconv.Itoa(min)+" items")
	case max >= 0 && n > max:
		v.fail(p, "must have at most "+strconv.Itoa(max)+" items")
	}
}

// match checks a string against a pattern.
func (v *validator) match(p *path, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		v.fail(p, "must match "+re.String())
	}
}
