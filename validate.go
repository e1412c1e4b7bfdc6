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

// step is one step of the JSON path to the value being validated: an
// object key, or an array index when key is empty.
type step struct {
	key   string
	index int
}

// validator collects violations. It keeps the current JSON path as a stack
// of steps inside itself, and spells it only when a violation is found, so
// validating a valid request does not allocate.
type validator struct {
	errs  []FieldError
	depth int
	fixed [24]step // the first steps of the path, without allocating
	more  []step   // steps past len(fixed), for very deep values
}

func (v *validator) enter(key string) { v.push(step{key: key}) }

func (v *validator) enterIndex(i int) { v.push(step{index: i}) }

func (v *validator) push(s step) {
	if v.depth < len(v.fixed) {
		v.fixed[v.depth] = s
	} else {
		v.more = append(v.more[:v.depth-len(v.fixed)], s)
	}
	v.depth++
}

func (v *validator) leave() { v.depth-- }

func (v *validator) step(i int) step {
	if i < len(v.fixed) {
		return v.fixed[i]
	}
	return v.more[i-len(v.fixed)]
}

// field spells the current path: "assistant.model.tools[0].function.name".
func (v *validator) field() string {
	var b []byte
	for i := 0; i < v.depth; i++ {
		s := v.step(i)
		if s.key == "" {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return string(b)
}

func (v *validator) fail(msg string) {
	v.errs = append(v.errs, FieldError{Field: v.field(), Message: msg})
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
	//lint:ignore U1000 generated code uses it once the spec has a maximum without a minimum.
	noMin = math.Inf(-1)
	noMax = math.Inf(1)
)

// length checks a string's length; a negative bound is absent.
func (v *validator) length(s string, min, max int) {
	n := jsLength(s)
	switch {
	case min >= 0 && n < min:
		v.fail("must be at least " + strconv.Itoa(min) + " characters long")
	case max >= 0 && n > max:
		v.fail("must be at most " + strconv.Itoa(max) + " characters long")
	}
}

// number checks a number's range.
func (v *validator) number(f, min, max float64) {
	switch {
	case f < min:
		v.fail("must be at least " + strconv.FormatFloat(min, 'g', -1, 64))
	case f > max:
		v.fail("must be at most " + strconv.FormatFloat(max, 'g', -1, 64))
	}
}

// count checks an array's size; a negative bound is absent.
//
//lint:ignore U1000 generated code uses it once the spec sets minItems or maxItems.
func (v *validator) count(n, min, max int) {
	switch {
	case min >= 0 && n < min:
		v.fail("must have at least " + strconv.Itoa(min) + " items")
	case max >= 0 && n > max:
		v.fail("must have at most " + strconv.Itoa(max) + " items")
	}
}

// match checks a string against a pattern.
func (v *validator) match(s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		v.fail("must match " + re.String())
	}
}

// failAt records a violation of the top-level field key.
func (v *validator) failAt(key, msg string) {
	v.enter(key)
	v.fail(msg)
	v.leave()
}
