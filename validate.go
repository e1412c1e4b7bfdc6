package vapi

import (
	"math"
	"strconv"
	"strings"
	"unsafe"
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
	halt  bool     // set when the value nests too deep: everything unwinds
	fixed [24]step // the first steps of the path, without allocating
	more  []step   // steps past len(fixed), for very deep values
	// freePath holds the free-form values being walked, to find one that
	// contains itself.
	freePath []unsafe.Pointer
}

// maxValidateDepth bounds how deep validation follows a value, so that a
// value that contains itself is an error rather than a stack overflow. It
// is the depth the decoder accepts, so anything decoded can be validated.
const maxValidateDepth = 10000

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

// descend reports whether validation may look inside a struct at the
// current depth. Past maxValidateDepth it records one violation and stops
// all further validation.
func (v *validator) descend() bool {
	if v.halt {
		return false
	}
	if v.depth > maxValidateDepth {
		v.fail("is nested more than " + strconv.Itoa(maxValidateDepth) + " levels deep (does the value contain itself?)")
		v.halt = true
		return false
	}
	return true
}

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

// failAt records a violation at member key of the current value, or at the
// current value when key is "".
func (v *validator) failAt(key, msg string) {
	if key == "" {
		v.fail(msg)
		return
	}
	v.enter(key)
	v.fail(msg)
	v.leave()
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: v.errs}
}

// textLength counts a string's length the way the API does: class-validator's
// isLength counts code points, and not the variation selectors U+FE0E and
// U+FE0F, so "🙂" is 1 and "❤️" is 1. It does not allocate.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		if r != '\uFE0E' && r != '\uFE0F' {
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
	//lint:ignore U1000 generated code uses it when the spec sets a maximum without a minimum.
	noMin = math.Inf(-1)
	noMax = math.Inf(1)
)

// length checks the length of member key's string; a negative bound is
// absent.
func (v *validator) length(key, s string, min, max int) {
	n := textLength(s)
	switch {
	case min >= 0 && n < min:
		v.failAt(key, "must be at least "+strconv.Itoa(min)+" characters long")
	case max >= 0 && n > max:
		v.failAt(key, "must be at most "+strconv.Itoa(max)+" characters long")
	}
}

// number checks the range of member key's number.
func (v *validator) number(key string, f, min, max float64) {
	switch {
	case f < min:
		v.failAt(key, "must be at least "+strconv.FormatFloat(min, 'g', -1, 64))
	case f > max:
		v.failAt(key, "must be at most "+strconv.FormatFloat(max, 'g', -1, 64))
	}
}

// count checks the size of member key's array; a negative bound is absent.
//
//lint:ignore U1000 generated code uses it when the spec sets minItems or maxItems.
func (v *validator) count(key string, n, min, max int) {
	switch {
	case min >= 0 && n < min:
		v.failAt(key, "must have at least "+strconv.Itoa(min)+" items")
	case max >= 0 && n > max:
		v.failAt(key, "must have at most "+strconv.Itoa(max)+" items")
	}
}

// unknown records an alternative of a union that the SDK does not know:
// its discriminator disc is missing or has a value outside known.
func (v *validator) unknown(disc, value, known string) {
	if value == "" {
		v.failAt(disc, "is required: one of "+known)
		return
	}
	v.failAt(disc, "must be one of "+known+" (this SDK does not know "+strconv.Quote(value)+"; pass WithoutValidation to send it anyway)")
}

// excluded records a field that the expected schema does not have, with
// the API's own words.
func (v *validator) excluded(key string) {
	v.failAt(key, "property "+key+" should not exist")
}

// unknownMember records a member of a decoded request that its type does
// not declare, with the API's words, at the object that holds it (as the
// API reports it: Field is the object's path, "" for the body itself).
func (v *validator) unknownMember(key string) {
	v.fail("property " + key + " should not exist")
}
