package jsonwire

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Encoder appends JSON to a byte slice. Like Decoder it keeps the first
// error (a NaN, an infinity, a time out of range) and goes on.
//
// Generated code writes objects as Object, then Key and a value for each
// member, then End; the Encoder places the commas.
type Encoder struct {
	buf   []byte
	comma bool
	err   error
	depth int
}

// ErrTooDeep is the error of encoding a value nested deeper than MaxDepth,
// which is how a value that contains itself (a cycle) ends.
var ErrTooDeep = fmt.Errorf("json: value nested more than %d levels deep (does it contain itself?)", MaxDepth)

// Bytes returns the encoded document and the first error met.
func (e *Encoder) Bytes() ([]byte, error) { return e.buf, e.err }

// Fail records err unless an error was recorded before.
func (e *Encoder) Fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *Encoder) sep() {
	if e.comma {
		e.buf = append(e.buf, ',')
	}
}

// Object opens an object and reports true; past MaxDepth levels of
// nesting, or after an error, it writes nothing, records ErrTooDeep and
// reports false, and the caller must not write the object.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) Object() bool {
	if !e.deeper() {
		return false
	}
	e.sep()
	e.buf = append(e.buf, '{')
	e.comma = false
	return true
}

// deeper counts one more level of nesting, unless that is too many or an
// error was met: then everything left unwinds at once.
func (e *Encoder) deeper() bool {
	if e.err != nil {
		return false
	}
	if e.depth >= MaxDepth {
		e.Fail(ErrTooDeep)
		return false
	}
	e.depth++
	return true
}

// EndObject closes an object.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) EndObject() {
	e.depth--
	e.buf = append(e.buf, '}')
	e.comma = true
}

// Array opens an array and reports true, or reports false as Object does.
func (e *Encoder) Array() bool {
	if !e.deeper() {
		return false
	}
	e.sep()
	e.buf = append(e.buf, '[')
	e.comma = false
	return true
}

// EndArray closes an array.
func (e *Encoder) EndArray() {
	e.depth--
	e.buf = append(e.buf, ']')
	e.comma = true
}

// Member writes a whole member whose key and value are known when the code
// is generated, as `"type":"x"`.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) Member(quoted string) {
	e.sep()
	e.buf = append(e.buf, quoted...)
	e.comma = true
}

// StringField writes a member with a string value.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) StringField(key, s string) {
	e.Key(key)
	e.String(s)
}

// NonEmpty writes a member with a string value unless the value is "".
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) NonEmpty(key, s string) {
	if s != "" {
		e.Key(key)
		e.String(s)
	}
}

// OptString writes a member for a string pointer that is not nil.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) OptString(key string, p *string) {
	if p != nil {
		e.Key(key)
		e.String(*p)
	}
}

// OptFloat64 writes a member for a number pointer that is not nil.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) OptFloat64(key string, p *float64) {
	if p != nil {
		e.Key(key)
		e.Float64(*p)
	}
}

// OptInt64 writes a member for an integer pointer that is not nil.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) OptInt64(key string, p *int64) {
	if p != nil {
		e.Key(key)
		e.Int64(*p)
	}
}

// OptBool writes a member for a boolean pointer that is not nil.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) OptBool(key string, p *bool) {
	if p != nil {
		e.Key(key)
		e.Bool(*p)
	}
}

// OptTime writes a member for a time pointer that is not nil.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) OptTime(key string, p *time.Time) {
	if p != nil {
		e.Key(key)
		e.Time(*p)
	}
}

// Strings writes an array of strings; nil is written as null.
func (e *Encoder) Strings(l []string) {
	if l == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for _, s := range l {
		e.String(s)
	}
	e.EndArray()
}

// Float64s writes an array of numbers; nil is written as null.
func (e *Encoder) Float64s(l []float64) {
	if l == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for _, f := range l {
		e.Float64(f)
	}
	e.EndArray()
}

// Key writes a member name. quoted is the name already in quotes and
// followed by a colon, as generated code spells it: `"name":`.
//
// Not inlined: generated code calls it for every member, and inlining it
// there multiplies the work of compiling the package for little gain.
//
//go:noinline
func (e *Encoder) Key(quoted string) {
	e.sep()
	e.buf = append(e.buf, quoted...)
	e.comma = false
}

// KeyString writes a member name that is only known at run time.
func (e *Encoder) KeyString(k string) {
	e.sep()
	e.buf = appendString(e.buf, k)
	e.buf = append(e.buf, ':')
	e.comma = false
}

// String writes a string, escaped exactly as encoding/json escapes it.
func (e *Encoder) String(s string) {
	e.sep()
	e.buf = appendString(e.buf, s)
	e.comma = true
}

// Float64 writes a number, formatted exactly as encoding/json formats it.
func (e *Encoder) Float64(f float64) {
	e.sep()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.Fail(fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64)))
		e.buf = append(e.buf, '0')
		e.comma = true
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(e.buf)
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(e.buf) - start
		if n >= 4 && e.buf[len(e.buf)-4] == 'e' && e.buf[len(e.buf)-3] == '-' && e.buf[len(e.buf)-2] == '0' {
			e.buf[len(e.buf)-2] = e.buf[len(e.buf)-1]
			e.buf = e.buf[:len(e.buf)-1]
		}
	}
	e.comma = true
}

// Int64 writes a whole number.
func (e *Encoder) Int64(i int64) {
	e.sep()
	e.buf = strconv.AppendInt(e.buf, i, 10)
	e.comma = true
}

// SortedKeys returns a map's keys in order, for writing maps the way
// encoding/json does.
func SortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Bool writes true or false.
func (e *Encoder) Bool(b bool) {
	e.sep()
	e.buf = strconv.AppendBool(e.buf, b)
	e.comma = true
}

// Null writes null.
func (e *Encoder) Null() {
	e.sep()
	e.buf = append(e.buf, "null"...)
	e.comma = true
}

// Time writes a timestamp as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds when present).
func (e *Encoder) Time(t time.Time) {
	e.sep()
	if y := t.Year(); y < 0 || y >= 10000 {
		e.Fail(fmt.Errorf("json: time %v: year outside of range [0,9999]", t))
	}
	e.buf = append(e.buf, '"')
	e.buf = t.AppendFormat(e.buf, time.RFC3339Nano)
	e.buf = append(e.buf, '"')
	e.comma = true
}

// Raw writes a value that is already JSON, as it is.
func (e *Encoder) Raw(b []byte) {
	e.sep()
	if len(b) == 0 {
		b = []byte("null")
	}
	e.buf = append(e.buf, b...)
	e.comma = true
}

// Any writes an arbitrary value the way encoding/json does: maps with
// sorted keys, and anything unusual through encoding/json itself.
func (e *Encoder) Any(v any) {
	switch v := v.(type) {
	case nil:
		e.Null()
	case string:
		e.String(v)
	case float64:
		e.Float64(v)
	case bool:
		e.Bool(v)
	case map[string]any:
		e.Map(v)
	case []any:
		if v == nil {
			e.Null()
			return
		}
		if !e.Array() {
			return
		}
		for _, x := range v {
			e.Any(x)
		}
		e.EndArray()
	default:
		b, err := json.Marshal(v)
		if err != nil {
			e.Fail(err)
			e.Null()
			return
		}
		e.Raw(b)
	}
}

// Map writes an object of arbitrary values with its keys sorted, as
// encoding/json does. A nil map is written as null.
func (e *Encoder) Map(m map[string]any) {
	if m == nil {
		e.Null()
		return
	}
	if !e.Object() {
		return
	}
	for _, k := range SortedKeys(m) {
		e.KeyString(k)
		e.Any(m[k])
	}
	e.EndObject()
}

const hex = "0123456789abcdef"

// appendString quotes s like encoding/json with HTML escaping on: <, > and
// & become \u003c, \u003e and \u0026; U+2028 and U+2029 are escaped; invalid
// UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
