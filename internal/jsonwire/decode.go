// Package jsonwire is the small JSON reader and writer behind the SDK's
// generated codecs. It reads a document in one pass without reflection and
// without re-scanning nested values, which is what makes decoding a Session
// faster than decoding the same bytes into map[string]any.
//
// A Decoder keeps the first error it meets (sticky error): after an error
// every method returns a zero value, so generated code can call methods in
// sequence and check Err once.
package jsonwire

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting, like encoding/json's limit, so hostile input
// cannot exhaust the stack.
const maxDepth = 10000

// SyntaxError reports malformed JSON and where it was found.
type SyntaxError struct {
	Offset int
	Path   string // JSON path of the enclosing member, e.g. "assistant.tools[2]"
	msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("json: %s at offset %d%s", e.msg, e.Offset, at(e.Path))
}

// TypeError reports a well-formed value of the wrong kind for its field.
type TypeError struct {
	Offset int
	Path   string // JSON path of the value, e.g. "customer.number"
	Want   string
	Got    string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("json: cannot decode %s into %s%s (offset %d)", e.Got, e.Want, at(e.Path), e.Offset)
}

func at(path string) string {
	if path == "" {
		return ""
	}
	return " at " + strconv.Quote(path)
}

// frame is where the decoder is in one level of nesting: the raw key of the
// current member, or the index of the current element.
type frame struct {
	start, end int
	index      int
	elem       bool
}

// Decoder reads one JSON document from a byte slice.
type Decoder struct {
	buf    []byte
	pos    int
	depth  int
	err    error
	key    []byte
	tmpKey []byte
	tmp    []byte
	frames []frame
	fixed  [16]frame

	// peeking counts the look-aheads in progress; spans records where the
	// objects and arrays a look-ahead skipped end, so that no later
	// look-ahead or skip reads them again. That keeps decoding linear when
	// unions nest with their discriminator last.
	peeking int
	spans   []span

	// Slabs the Opt… methods take their pointers from, so that a
	// document's optional scalars cost one allocation per slabSize of them
	// rather than one each. A slab is never grown in place: a full one is
	// left to the values that point into it.
	strs   []string
	floats []float64
	bools  []bool
}

// slabSize is how many values one slab allocation holds.
const slabSize = 16

// span is where an object or array that a look-ahead skipped starts and
// ends (end is 0 until it is known).
type span struct{ start, end int }

// minSpan is the smallest container worth remembering: rescanning a
// smaller one costs less than the bookkeeping.
const minSpan = 64

// MaxDepth bounds nesting, like encoding/json's limit, so hostile input
// cannot exhaust the stack. The Encoder refuses deeper values too.
const MaxDepth = maxDepth

// NewDecoder returns a Decoder reading b. The Decoder does not copy b; the
// strings it returns are copies.
func NewDecoder(b []byte) Decoder { return Decoder{buf: b} }

// path spells where the decoder is, for error messages.
func (d *Decoder) path() string {
	var b []byte
	for i := 0; i < d.depth && i < len(d.frames); i++ {
		f := d.frames[i]
		if f.elem {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(f.index), 10)
			b = append(b, ']')
			continue
		}
		if f.end <= f.start {
			break
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, d.buf[f.start:f.end]...)
	}
	return string(b)
}

// enter records one more level of nesting.
func (d *Decoder) enter() bool {
	d.depth++
	if d.depth > maxDepth {
		d.syntax("exceeded max depth")
		return false
	}
	if d.frames == nil {
		d.frames = d.fixed[:0]
	}
	if len(d.frames) < d.depth {
		d.frames = append(d.frames, frame{})
	}
	d.frames[d.depth-1] = frame{}
	d.pos++
	return true
}

// Err returns the first error met, or nil.
func (d *Decoder) Err() error { return d.err }

// Fail records err unless an error was recorded before.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Decoder) syntax(msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: d.pos, Path: d.path(), msg: msg}
	}
}

func (d *Decoder) typeErr(want string) {
	if d.err != nil {
		return
	}
	got := "end of input"
	if d.pos < len(d.buf) {
		switch c := d.buf[d.pos]; {
		case c == '"':
			got = "string"
		case c == '{':
			got = "object"
		case c == '[':
			got = "array"
		case c == 't' || c == 'f':
			got = "boolean"
		case c == 'n':
			got = "null"
		case c == '-' || (c >= '0' && c <= '9'):
			got = "number"
		default:
			d.syntax(fmt.Sprintf("invalid character %q looking for beginning of value", c))
			return
		}
	}
	d.err = &TypeError{Offset: d.pos, Path: d.path(), Want: want, Got: got}
}

func (d *Decoder) ws() {
	for d.pos < len(d.buf) {
		switch d.buf[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// Kind returns the first byte of the next value ('{', '[', '"', 't', 'f',
// 'n', or a digit or '-' for a number), or 0 at the end of input or after an
// error.
func (d *Decoder) Kind() byte {
	if d.err != nil {
		return 0
	}
	d.ws()
	if d.pos >= len(d.buf) {
		return 0
	}
	c := d.buf[d.pos]
	if c == '-' || (c >= '0' && c <= '9') {
		return '0'
	}
	return c
}

// End checks that nothing but white space follows the value read.
func (d *Decoder) End() error {
	if d.err != nil {
		return d.err
	}
	d.ws()
	if d.pos < len(d.buf) {
		d.syntax(fmt.Sprintf("invalid character %q after top-level value", d.buf[d.pos]))
	}
	return d.err
}

// Null consumes a null literal if one comes next and reports whether it did.
func (d *Decoder) Null() bool {
	if d.err != nil {
		return false
	}
	d.ws()
	if d.pos < len(d.buf) && d.buf[d.pos] == 'n' {
		d.literal("null")
		return d.err == nil
	}
	return false
}

func (d *Decoder) literal(lit string) {
	if len(d.buf)-d.pos >= len(lit) && string(d.buf[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return
	}
	// Find the first byte that differs, to report it like encoding/json.
	for i := 0; i < len(lit); i++ {
		if d.pos+i >= len(d.buf) {
			d.pos += i
			d.syntax("unexpected end of JSON input")
			return
		}
		if d.buf[d.pos+i] != lit[i] {
			d.pos += i
			d.syntax(fmt.Sprintf("invalid character %q in literal %s", d.buf[d.pos], lit))
			return
		}
	}
}

// Object consumes the '{' that opens an object. It records a type error
// and returns false when the next value is not an object.
func (d *Decoder) Object() bool {
	if d.Kind() != '{' {
		d.typeErr("object")
		return false
	}
	return d.enter()
}

// Field advances to the n-th member of the current object (n counts from
// zero), reads its key and the colon after it, and reports whether there is
// such a member. When it returns false the closing '}' has been consumed.
func (d *Decoder) Field(n int) bool {
	if !d.next(n, '}', "after object key:value pair") {
		return false
	}
	d.ws()
	if d.pos >= len(d.buf) {
		d.syntax("unexpected end of JSON input")
		return false
	}
	if c := d.buf[d.pos]; c != '"' {
		d.syntax(fmt.Sprintf("invalid character %q looking for beginning of object key string", c))
		return false
	}
	keyStart := d.pos + 1
	if end := plainEnd(d.buf, keyStart); end >= 0 {
		// Fast path: a key without escapes is a slice of the input.
		d.key = d.buf[keyStart:end]
		d.pos = end + 1
	} else {
		d.key = d.str(d.tmpKey[:0])
		d.tmpKey = d.key
	}
	d.frames[d.depth-1] = frame{start: keyStart, end: d.pos - 1}
	if d.err != nil {
		return false
	}
	d.ws()
	if d.pos >= len(d.buf) {
		d.syntax("unexpected end of JSON input")
		return false
	}
	if d.buf[d.pos] != ':' {
		d.syntax(fmt.Sprintf("invalid character %q after object key", d.buf[d.pos]))
		return false
	}
	d.pos++
	return true
}

// plainEnd returns the index of the quote that ends the string whose
// contents start at start, when the contents are valid UTF-8 with no escape
// and no control character, so that they can be used as they are; else -1.
func plainEnd(buf []byte, start int) int {
	ascii := true
	i := start
	// Eight bytes at a time while none of them is a quote, a backslash, a
	// control character or outside ASCII.
	for ; i+8 <= len(buf); i += 8 {
		w := binary.LittleEndian.Uint64(buf[i:])
		if hasSpecial(w) {
			break
		}
	}
	for ; i < len(buf); i++ {
		c := buf[i]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(buf[start:i]) {
				return -1
			}
			return i
		case c == '\\' || c < 0x20:
			return -1
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return -1
}

// hasSpecial reports whether any byte of w is '"', '\\', below 0x20 or at
// least 0x80, with the usual word-at-a-time bit tricks.
func hasSpecial(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	zeroQuote := (quote - ones) &^ quote & highs
	zeroBackslash := (backslash - ones) &^ backslash & highs
	control := (w - ones*0x20) &^ w & highs
	return (zeroQuote | zeroBackslash | control | w&highs) != 0
}

// Key returns the key read by the last call to Field. It is valid until the
// next call to Field.
func (d *Decoder) Key() []byte { return d.key }

// Array consumes the '[' that opens an array. It records a type error and
// returns false when the next value is not an array.
func (d *Decoder) Array() bool {
	if d.Kind() != '[' {
		d.typeErr("array")
		return false
	}
	return d.enter()
}

// Elem advances to the n-th element of the current array and reports whether
// there is one. When it returns false the closing ']' has been consumed.
func (d *Decoder) Elem(n int) bool {
	if !d.next(n, ']', "after array element") {
		return false
	}
	d.frames[d.depth-1] = frame{index: n, elem: true}
	return true
}

// next reads what separates the n-th item of an object or array from the
// one before: nothing for the first, else a comma. It returns false, having
// consumed it, when the closing bracket comes instead, or on an error.
func (d *Decoder) next(n int, closing byte, afterItem string) bool {
	if d.err != nil {
		return false
	}
	d.ws()
	if d.pos >= len(d.buf) {
		d.syntax("unexpected end of JSON input")
		return false
	}
	switch c := d.buf[d.pos]; {
	case c == closing:
		d.pos++
		d.depth--
		return false
	case n == 0:
		return true
	case c == ',':
		d.pos++
		return true
	default:
		d.badSeparator(c, afterItem)
		return false
	}
}

// badSeparator reports a missing comma. It is its own function so that next
// stays small enough to inline on the hot path.
func (d *Decoder) badSeparator(c byte, afterItem string) {
	d.syntax(fmt.Sprintf("invalid character %q %s", c, afterItem))
}

// String reads a string.
func (d *Decoder) String() string {
	if d.Kind() != '"' {
		d.typeErr("string")
		return ""
	}
	start := d.pos + 1
	if end := plainEnd(d.buf, start); end >= 0 {
		d.pos = end + 1
		return string(d.buf[start:end])
	}
	d.tmp = d.str(d.tmp[:0])
	return string(d.tmp)
}

// str reads the string at d.pos, appending its unescaped bytes to dst.
// Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func (d *Decoder) str(dst []byte) []byte {
	d.pos++ // opening quote
	for {
		if d.pos >= len(d.buf) {
			d.syntax("unexpected end of JSON input")
			return dst
		}
		c := d.buf[d.pos]
		switch {
		case c == '"':
			d.pos++
			return dst
		case c == '\\':
			if d.pos+1 >= len(d.buf) {
				d.pos = len(d.buf)
				d.syntax("unexpected end of JSON input")
				return dst
			}
			e := d.buf[d.pos+1]
			d.pos += 2
			switch e {
			case '"', '\\', '/':
				dst = append(dst, e)
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return dst
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if d.pos+1 < len(d.buf) && d.buf[d.pos] == '\\' && d.buf[d.pos+1] == 'u' {
						save := d.pos
						d.pos += 2
						var ok2 bool
						r2, ok2 = d.hex4()
						if !ok2 {
							return dst
						}
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							dst = utf8.AppendRune(dst, dec)
							continue
						}
						d.pos = save
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
			default:
				d.pos--
				d.syntax(fmt.Sprintf("invalid character %q in string escape code", e))
				return dst
			}
		case c < 0x20:
			d.syntax(fmt.Sprintf("invalid character %q in string literal", c))
			return dst
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.buf[d.pos:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, d.buf[d.pos:d.pos+size]...)
			}
			d.pos += size
		}
	}
}

func (d *Decoder) hex4() (rune, bool) {
	var r rune
	for i := 0; i < 4; i++ {
		if d.pos >= len(d.buf) {
			d.syntax("unexpected end of JSON input")
			return 0, false
		}
		c := d.buf[d.pos]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			d.syntax(fmt.Sprintf("invalid character %q in \\u hexadecimal character escape", c))
			return 0, false
		}
		r = r<<4 | rune(c)
		d.pos++
	}
	return r, true
}

// number scans a number and returns its bytes.
func (d *Decoder) number() []byte {
	start := d.pos
	i := d.pos
	n := len(d.buf)
	if i < n && d.buf[i] == '-' {
		i++
	}
	switch {
	case i < n && d.buf[i] == '0':
		i++
	case i < n && d.buf[i] >= '1' && d.buf[i] <= '9':
		for i < n && d.buf[i] >= '0' && d.buf[i] <= '9' {
			i++
		}
	default:
		d.pos = i
		d.numErr()
		return nil
	}
	if i < n && d.buf[i] == '.' {
		i++
		if i >= n || d.buf[i] < '0' || d.buf[i] > '9' {
			d.pos = i
			d.numErr()
			return nil
		}
		for i < n && d.buf[i] >= '0' && d.buf[i] <= '9' {
			i++
		}
	}
	if i < n && (d.buf[i] == 'e' || d.buf[i] == 'E') {
		i++
		if i < n && (d.buf[i] == '+' || d.buf[i] == '-') {
			i++
		}
		if i >= n || d.buf[i] < '0' || d.buf[i] > '9' {
			d.pos = i
			d.numErr()
			return nil
		}
		for i < n && d.buf[i] >= '0' && d.buf[i] <= '9' {
			i++
		}
	}
	d.pos = i
	return d.buf[start:i]
}

func (d *Decoder) numErr() {
	if d.pos >= len(d.buf) {
		d.syntax("unexpected end of JSON input")
		return
	}
	d.syntax(fmt.Sprintf("invalid character %q in numeric literal", d.buf[d.pos]))
}

// Float64 reads a number.
func (d *Decoder) Float64() float64 {
	if d.Kind() != '0' {
		d.typeErr("number")
		return 0
	}
	start := d.pos
	b := d.number()
	if d.err != nil {
		return 0
	}
	if f, ok := exactFloat(b); ok {
		return f
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		d.err = &TypeError{Offset: start, Path: d.path(), Want: "float64", Got: "number " + string(b)}
		return 0
	}
	return f
}

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactFloat converts the common numbers, a sign, at most 15 digits and a
// fraction without exponent (1240, -3, 0.0142), without strconv: their
// digits and the power of ten are exact float64s, so one division rounds
// correctly, as strconv would. Anything else reports false.
func exactFloat(b []byte) (float64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var mant uint64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
		case c == '.' && frac < 0:
			frac = i
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(mant)
	if frac >= 0 {
		f /= pow10[len(b)-frac-1]
	}
	if neg {
		f = -f
	}
	return f, true
}

// Int64 reads a number that must be a whole number in int64's range.
func (d *Decoder) Int64() int64 {
	if d.Kind() != '0' {
		d.typeErr("integer")
		return 0
	}
	start := d.pos
	b := d.number()
	if d.err != nil {
		return 0
	}
	i, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		d.err = &TypeError{Offset: start, Path: d.path(), Want: "int64", Got: "number " + string(b)}
		return 0
	}
	return i
}

// Bool reads true or false.
func (d *Decoder) Bool() bool {
	switch d.Kind() {
	case 't':
		d.literal("true")
		return d.err == nil
	case 'f':
		d.literal("false")
		return false
	}
	d.typeErr("boolean")
	return false
}

// Time reads an RFC 3339 timestamp string, as time.Time's UnmarshalJSON does.
func (d *Decoder) Time() time.Time {
	if d.Kind() != '"' {
		d.typeErr("time")
		return time.Time{}
	}
	start := d.pos
	d.Skip()
	if d.err != nil {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalJSON(d.buf[start:d.pos]); err != nil {
		d.Fail(fmt.Errorf("json: bad timestamp%s (offset %d): %w", at(d.path()), start, err))
	}
	return t
}

// Raw returns a copy of the next value's bytes, exactly as they appear.
func (d *Decoder) Raw() []byte {
	d.ws()
	start := d.pos
	d.Skip()
	if d.err != nil {
		return nil
	}
	return append([]byte(nil), d.buf[start:d.pos]...)
}

// Skip reads past the next value, checking its syntax.
func (d *Decoder) Skip() {
	switch d.Kind() {
	case '{', '[':
		d.skipContainer()
	case '"':
		d.skipString()
	case '0':
		d.number()
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	case 0:
		if d.err == nil {
			d.syntax("unexpected end of JSON input")
		}
	default:
		d.syntax(fmt.Sprintf("invalid character %q looking for beginning of value", d.buf[d.pos]))
	}
}

// skipContainer reads past an object or array, jumping over it when an
// earlier look-ahead found its end, and remembering its end while a
// look-ahead is in progress.
func (d *Decoder) skipContainer() {
	start := d.pos
	if end, ok := d.knownEnd(start); ok {
		d.pos = end
		return
	}
	slot := -1
	if d.peeking > 0 {
		slot = len(d.spans)
		d.spans = append(d.spans, span{start: start})
	}
	if d.buf[start] == '{' {
		d.Object()
		for n := 0; d.Field(n); n++ {
			d.Skip()
		}
	} else {
		d.Array()
		for n := 0; d.Elem(n); n++ {
			d.Skip()
		}
	}
	if slot >= 0 {
		if d.err != nil || d.pos-start < minSpan {
			d.spans = d.spans[:slot] // nothing inside it was kept either
		} else {
			d.spans[slot].end = d.pos
		}
	}
}

// knownEnd returns where the container at start ends, if a look-ahead
// skipped it before. Spans are recorded in document order.
func (d *Decoder) knownEnd(start int) (int, bool) {
	sp := d.spans
	if len(sp) == 0 || start < sp[0].start || start > sp[len(sp)-1].start {
		return 0, false
	}
	lo, hi := 0, len(sp)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if sp[mid].start < start {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(sp) && sp[lo].start == start && sp[lo].end > 0 {
		return sp[lo].end, true
	}
	return 0, false
}

func (d *Decoder) skipString() {
	for i := d.pos + 1; i < len(d.buf); i++ {
		c := d.buf[i]
		if c == '"' {
			d.pos = i + 1
			return
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	d.tmp = d.str(d.tmp[:0])
}

// Peek looks ahead into the object that comes next for the member named
// key and returns its value when it is a string. It consumes nothing. found is
// false when the member is absent or not a string; syntax errors are left
// for the real read to report.
func (d *Decoder) Peek(key string) (value string, found bool) {
	m, ok := d.seek(key)
	if ok && d.Kind() == '"' {
		value = d.String()
		found = d.err == nil
	}
	d.restore(m)
	return value, found
}

// PeekView is Peek without a copy: the value is a view of the input, valid
// as long as it is, when the string has no escapes; a string with escapes
// is copied.
func (d *Decoder) PeekView(key string) (value []byte, found bool) {
	m, ok := d.seek(key)
	if ok && d.Kind() == '"' {
		start := d.pos + 1
		if end := plainEnd(d.buf, start); end >= 0 {
			value = d.buf[start:end:end]
		} else {
			value = []byte(d.String())
		}
		found = d.err == nil
	}
	d.restore(m)
	return value, found
}

// PeekKind looks ahead into the object that comes next for the member named
// key and returns the kind of its value as Kind does (with false reported
// as 't', like true), or 0 when there is no such member. It consumes
// nothing.
func (d *Decoder) PeekKind(key string) (kind byte) {
	m, ok := d.seek(key)
	if ok {
		if kind = d.Kind(); kind == 'f' {
			kind = 't'
		}
	}
	d.restore(m)
	return kind
}

// seek starts a look-ahead: it finds the first member named key in the
// object that comes next and leaves the decoder at its value, reporting
// where to restore to and whether it found the member. Every seek must be
// followed by restore, errors included.
func (d *Decoder) seek(key string) (m mark, found bool) {
	m = mark{d.pos, d.depth, d.err}
	d.peeking++
	if d.err != nil || !d.Object() {
		return m, false
	}
	for n := 0; d.Field(n); n++ {
		if string(d.key) == key {
			return m, true
		}
		d.Skip()
	}
	return m, false
}

// mark is where a look-ahead started.
type mark struct {
	pos, depth int
	err        error
}

// restore ends a look-ahead: the decoder is back where seek found it, with
// the error it had then.
func (d *Decoder) restore(m mark) {
	d.pos, d.depth, d.err = m.pos, m.depth, m.err
	d.peeking--
}

// Any reads any value the way encoding/json decodes into an interface{}:
// objects as map[string]any, arrays as []any, numbers as float64.
func (d *Decoder) Any() any {
	switch d.Kind() {
	case '{':
		m := map[string]any{}
		d.Object()
		for n := 0; d.Field(n); n++ {
			k := string(d.key)
			m[k] = d.Any()
		}
		if d.err != nil {
			return nil
		}
		return m
	case '[':
		a := []any{}
		d.Array()
		for n := 0; d.Elem(n); n++ {
			a = append(a, d.Any())
		}
		if d.err != nil {
			return nil
		}
		return a
	case '"':
		return d.String()
	case '0':
		return d.Float64()
	case 't', 'f':
		return d.Bool()
	case 'n':
		d.literal("null")
		return nil
	}
	d.Skip() // reports the syntax error
	return nil
}

// Map reads an object of arbitrary JSON values.
func (d *Decoder) Map() map[string]any {
	if d.Null() {
		return nil
	}
	if d.Kind() != '{' {
		d.typeErr("object")
		return nil
	}
	m, _ := d.Any().(map[string]any)
	return m
}

// Open consumes the '{' that opens an object and reports true, or consumes
// a null and reports false. Anything else is a type error. Generated
// decoders start with it, so that null leaves a value at its zero.
func (d *Decoder) Open() bool {
	if d.Null() {
		return false
	}
	return d.Object()
}

// StringIn reads a string and, when it is one of sorted (an enum's known
// values, in order), returns that value without allocating; null reads as
// "".
func (d *Decoder) StringIn(sorted []string) string {
	if d.Null() {
		return ""
	}
	if d.Kind() != '"' {
		d.typeErr("string")
		return ""
	}
	start := d.pos + 1
	if end := plainEnd(d.buf, start); end >= 0 {
		b := d.buf[start:end]
		lo, hi := 0, len(sorted)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if sorted[mid] < string(b) {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo < len(sorted) && sorted[lo] == string(b) {
			d.pos = end + 1
			return sorted[lo]
		}
	}
	return d.String()
}

// StringOrEmpty reads a string; null reads as "".
func (d *Decoder) StringOrEmpty() string {
	if d.Null() {
		return ""
	}
	return d.String()
}

// Float64OrZero reads a number; null reads as 0.
func (d *Decoder) Float64OrZero() float64 {
	if d.Null() {
		return 0
	}
	return d.Float64()
}

// Int64OrZero reads a whole number; null reads as 0.
func (d *Decoder) Int64OrZero() int64 {
	if d.Null() {
		return 0
	}
	return d.Int64()
}

// BoolOrFalse reads a boolean; null reads as false.
func (d *Decoder) BoolOrFalse() bool {
	if d.Null() {
		return false
	}
	return d.Bool()
}

// TimeOrZero reads a timestamp; null reads as the zero time.
func (d *Decoder) TimeOrZero() time.Time {
	if d.Null() {
		return time.Time{}
	}
	return d.Time()
}

// OptString reads a string into a new pointer; null reads as nil.
func (d *Decoder) OptString() *string {
	if d.Null() {
		return nil
	}
	if len(d.strs) == cap(d.strs) {
		d.strs = make([]string, 0, slabSize)
	}
	d.strs = append(d.strs, d.String())
	return &d.strs[len(d.strs)-1]
}

// OptFloat64 reads a number into a new pointer; null reads as nil.
func (d *Decoder) OptFloat64() *float64 {
	if d.Null() {
		return nil
	}
	if len(d.floats) == cap(d.floats) {
		d.floats = make([]float64, 0, slabSize)
	}
	d.floats = append(d.floats, d.Float64())
	return &d.floats[len(d.floats)-1]
}

// OptInt64 reads a whole number into a new pointer; null reads as nil.
func (d *Decoder) OptInt64() *int64 {
	if d.Null() {
		return nil
	}
	i := d.Int64()
	return &i
}

// OptBool reads a boolean into a new pointer; null reads as nil.
func (d *Decoder) OptBool() *bool {
	if d.Null() {
		return nil
	}
	if len(d.bools) == cap(d.bools) {
		d.bools = make([]bool, 0, slabSize)
	}
	d.bools = append(d.bools, d.Bool())
	return &d.bools[len(d.bools)-1]
}

// OptTime reads a timestamp into a new pointer; null reads as nil.
func (d *Decoder) OptTime() *time.Time {
	if d.Null() {
		return nil
	}
	t := d.Time()
	return &t
}

// Strings reads an array of strings (a null element reads as ""); null
// reads as nil.
func (d *Decoder) Strings() []string {
	if d.Null() || !d.Array() {
		return nil
	}
	out := []string{}
	for n := 0; d.Elem(n); n++ {
		out = append(out, d.StringOrEmpty())
	}
	return out
}

// Float64s reads an array of numbers (a null element reads as 0); null
// reads as nil.
func (d *Decoder) Float64s() []float64 {
	if d.Null() || !d.Array() {
		return nil
	}
	out := []float64{}
	for n := 0; d.Elem(n); n++ {
		if !d.Null() {
			out = append(out, d.Float64())
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// Valid checks that b is exactly one JSON value, and, when key is not
// empty, that it is an object whose member key is a string. It is how
// raw JSON kept for values the SDK does not know is checked before it is
// written into a request.
func Valid(b []byte, key string) error {
	d := NewDecoder(b)
	if key != "" {
		if d.Kind() != '{' {
			return fmt.Errorf("json: want an object, got %s", kindName(d.Kind()))
		}
		if _, ok := d.Peek(key); !ok {
			return fmt.Errorf("json: the object has no string member %q", key)
		}
	}
	d.Skip()
	return d.End()
}

func kindName(k byte) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "invalid JSON"
}

// NextIs reports whether the next value is exactly the JSON text lit (a
// quoted string without escapes, say), and consumes it when it is.
func (d *Decoder) NextIs(lit string) bool {
	if d.err != nil {
		return false
	}
	d.ws()
	if len(d.buf)-d.pos >= len(lit) && string(d.buf[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

// RawView returns the next value's bytes, exactly as they appear, without
// copying them: they alias the input.
func (d *Decoder) RawView() []byte {
	d.ws()
	start := d.pos
	d.Skip()
	if d.err != nil {
		return nil
	}
	return d.buf[start:d.pos]
}
