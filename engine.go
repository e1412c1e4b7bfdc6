package vapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/govapi/vapi/internal/jsonwire"
)

// This file is the one engine behind every generated type. The generator
// declares the types (types.go) and states, in small static tables
// (codec_gen.go), only what their Go declarations cannot say: the members
// marshalling writes, the unions and their alternatives, the enums, and the
// spec's constraints. On first use of a type the engine builds a plan from
// its Go declaration (through reflection, once) and those tables, and every
// later decode, encode and validation runs that plan over the value's
// memory in one pass. So the cost of a schema is its declaration and a few
// lines of data, not a decoder, an encoder and a validator of its own.

// structInfo is what the generator states about one struct type.
type structInfo struct {
	// consts are members marshalling writes (discriminators, and required
	// properties with one possible value).
	consts []constMember
	// sites give the fields that need more than their Go type says.
	sites []siteInfo
	// discs are fields that hold a discriminator with several allowed
	// values: marshalling writes the first when the field is empty.
	discs []constMember
	// required names the required fields that may be null (Nullable), whose
	// tags cannot say they are required.
	required []string
	// mayBeAbsent names required fields that Vapi sends and accepts
	// without (the transcript members of a message in the OpenAI form).
	mayBeAbsent []string
	// optionalConsts names the consts the schema does not require.
	optionalConsts []string
}

// constMember is a member with a fixed value.
type constMember struct{ name, value string }

// siteInfo gives the field with JSON name name its typeInfo.
type siteInfo struct {
	name string
	t    *typeInfo
}

// typeInfo is what the spec says of one place (a field, an array item, a map
// value) beyond its Go type.
type typeInfo struct {
	union  *unionInfo
	enum   *enumInfo
	closed bool // enum membership is checked
	free   bool // the enum also accepts any string
	// jsonText marks a string of JSON text that Vapi also sends as the
	// JSON value itself: decoding takes both, marshalling writes back
	// the form that came.
	jsonText bool
	limits   string // "minLength 1, maxLength 40", "minimum 0, maximum 2", "minItems 1"
	pattern  **patternInfo
	elem     *typeInfo
}

// enumInfo lists an enum's values in the spec's order.
type enumInfo struct{ values []string }

// patternInfo is one of the spec's patterns, translated to Go.
type patternInfo struct {
	re *regexp.Regexp
}

// unionInfo describes a union: the alternatives and how they are told
// apart.
type unionInfo struct {
	disc    string
	alts    []altInfo
	unknown any // (*Unknown…)(nil)
	ties    []tieInfo
}

// altInfo is one alternative: typ is a typed nil pointer to its Go type.
type altInfo struct {
	typ      any
	values   []string // discriminator values of an object alternative
	prefix   bool     // a value may also be written value[option=…]
	t        *typeInfo
	excluded []string // fields of the Go type the alternative's schema lacks
}

// tieInfo chooses among alternatives that share the discriminator value
// (all object alternatives, when the union has no discriminator).
type tieInfo struct {
	value    string
	rules    []tieRule
	fallback any
}

// tieRule picks alt when member is present (of the JSON kind, when kind is
// set; among values, when values is set).
type tieRule struct {
	member string
	kind   byte
	values []string
	alt    any
}

// described is implemented by every generated struct that has a table.
// It is a method rather than an entry of one table of all types, so that
// the linker keeps the tables (and the types they point to) of only the
// types a program uses.
type described interface {
	info() *structInfo
}

// pkgPath is this package's import path, as reflection spells it.
var pkgPath = reflect.TypeFor[Session]().PkgPath()

// infoOf returns the generator's table of struct type t, or nil.
func infoOf(t reflect.Type) *structInfo {
	if d, ok := reflect.New(t).Interface().(described); ok {
		return d.info()
	}
	return nil
}

// members records, inside a decoded object, what its Go fields cannot say:
// the members its type does not declare, and which declared members were
// absent, null, or sent with a value that Go reads as unset. It is nil for
// a value built in Go and for a decoded object with nothing to record, so
// such values compare equal with ==, reflect.DeepEqual and testify.
type members struct{ rec *memberRecord }

type memberRecord struct {
	unknown []rawMember
	flags   []uint8 // by field index
	// noConst marks, by index, the members marshalling writes that the
	// decoded object did not have: they are not written back.
	noConst uint64
	// nullItems are the items sent as null in arrays whose items cannot
	// hold null (a string, a number, an object held by value): they are
	// written back as null while they stay unset, and Validate reports
	// them, as the API would.
	nullItems []nullItem
}

// nullItem is item index of the array in field field.
type nullItem struct{ field, index int }

// nullsOf returns the indexes of the null items of field i, in order.
func (r *memberRecord) nullsOf(i int) []int {
	if r == nil || len(r.nullItems) == 0 {
		return nil
	}
	var out []int
	for _, n := range r.nullItems {
		if n.field == i {
			out = append(out, n.index)
		}
	}
	return out
}

type rawMember struct {
	key   string
	value json.RawMessage
}

const (
	flagAbsent uint8 = 1 + iota // a required member that was not sent
	flagNull                    // null where the field cannot hold null
	flagZero                    // sent with a value the field holds as unset ("" of an enum)
	flagJSON                    // JSON text that came as the JSON value, not as a string
)

// UnknownMembers returns the members of a decoded object that its type
// does not declare (newer than this SDK, or outside the spec), as raw JSON
// by key; nil when there were none, and for a value that is not a
// generated struct or a pointer to one. v may also be a union value
// (vapi.Voice holding a *vapi.ElevenLabsVoice). Marshalling writes the
// members back as they came; the map returned is a copy.
//
//	if raw, ok := vapi.UnknownMembers(&session)["brandNewField"]; ok { … }
func UnknownMembers(v any) map[string]json.RawMessage {
	rec := recordOf(v)
	if rec == nil || len(rec.unknown) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(rec.unknown))
	for _, u := range rec.unknown {
		out[u.key] = slices.Clone(u.value)
	}
	return out
}

// recordOf returns the member record of the generated struct v is or
// points to, or nil.
func recordOf(v any) *memberRecord {
	t := reflect.TypeOf(v)
	if t == nil {
		return nil
	}
	var p unsafe.Pointer
	if t.Kind() == reflect.Pointer {
		t, p = t.Elem(), dataOf(v)
		if p == nil {
			return nil
		}
	} else {
		// A value: copied out, since the interface may hold it in
		// its data word rather than behind it.
		c := reflect.New(t)
		c.Elem().Set(reflect.ValueOf(v))
		p = c.UnsafePointer()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != pkgPath {
		return nil
	}
	pl := planOf(t)
	if !pl.hasRec {
		return nil
	}
	return (*members)(unsafe.Add(p, pl.recOff)).rec
}

func (r *memberRecord) flag(i int) uint8 {
	if r == nil || i >= len(r.flags) {
		return 0
	}
	return r.flags[i]
}

func (r *memberRecord) hasUnknown(key string) bool {
	if r == nil {
		return false
	}
	for _, u := range r.unknown {
		if u.key == key {
			return true
		}
	}
	return false
}

// codec decodes, encodes and validates the value at p, of one Go type at one
// place.
type codec interface {
	decode(d *jsonwire.Decoder, p unsafe.Pointer)
	encode(e *jsonwire.Encoder, p unsafe.Pointer)
	// empty reports whether the value is unset: omitted when optional.
	empty(p unsafe.Pointer) bool
	validate(v *validator, p unsafe.Pointer)
}

// structPlan is the plan of one struct type.
type structPlan struct {
	typ    reflect.Type
	fields []fieldPlan
	index  map[string]int // JSON name → field index
	consts []constPlan
	discs  map[int]string // field index → default discriminator value
	recOff uintptr
	hasRec bool
	rules  bool // implements ruleChecker
	ready  bool
}

type fieldPlan struct {
	name     string
	key      string // the quoted name and a colon, as written
	off      uintptr
	size     uintptr
	required bool
	nullable bool
	jsonText bool
	lenient  bool // validation lets a decoded value lack it
	kind     fieldKind
	c        codec
	// items is the codec of an array whose items cannot hold null: the
	// struct keeps, in its record, which items came as null.
	items *sliceCodec
}

// fieldKind sorts fields for the required-member check of validation.
type fieldKind uint8

const (
	kindValue   fieldKind = iota // always sent
	kindNilable                  // nil is missing: pointer, union, map, slice, any
	kindEnum                     // "" of a catalogue enum is missing
)

type constPlan struct {
	optional bool
	name     string
	value    string
	quoted   string // "value"
	member   string // "name":"value"
}

// ruleChecker is implemented by types with rules the spec states in prose.
type ruleChecker interface {
	checkRules(v *validator)
}

var (
	planMu    sync.Mutex
	planCache sync.Map // reflect.Type → *structPlan
)

// planOf returns the plan of struct type t, building it on first use.
func planOf(t reflect.Type) *structPlan {
	if p, ok := planCache.Load(t); ok {
		if pl := p.(*structPlan); pl.ready {
			return pl
		}
	}
	return build(func(b *planBuilder) *structPlan { return b.structPlan(t) })
}

// build runs f with a plan builder under the plan lock, then publishes every
// plan it built, so that no caller sees a plan still being built.
func build[T any](f func(b *planBuilder) T) T {
	planMu.Lock()
	defer planMu.Unlock()
	b := planBuilder{plans: map[reflect.Type]*structPlan{}}
	v := f(&b)
	for _, p := range b.plans {
		p.ready = true
		planCache.Store(p.typ, p)
	}
	return v
}

// planBuilder builds the plans of a type and the types it holds; plans
// already built come from the cache.
type planBuilder struct {
	plans map[reflect.Type]*structPlan
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	timestampType = reflect.TypeFor[Timestamp]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	membersType   = reflect.TypeFor[members]()
	anyType       = reflect.TypeFor[any]()
)

func (b *planBuilder) structPlan(t reflect.Type) *structPlan {
	if p, ok := planCache.Load(t); ok && p.(*structPlan).ready {
		return p.(*structPlan)
	}
	if p, ok := b.plans[t]; ok {
		return p
	}
	pl := &structPlan{typ: t, index: map[string]int{}}
	b.plans[t] = pl
	info := infoOf(t)
	if info == nil {
		info = &structInfo{}
	}
	_, pl.rules = reflect.New(t).Interface().(ruleChecker)
	sites := map[string]*typeInfo{}
	for _, s := range info.sites {
		sites[s.name] = s.t
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Type == membersType {
			pl.recOff, pl.hasRec = sf.Offset, true
			continue
		}
		tag, ok := sf.Tag.Lookup("json")
		if !ok || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := fieldPlan{
			name: name, key: strconv.Quote(name) + ":", off: sf.Offset, size: sf.Type.Size(),
			required: !strings.Contains(opts, "omitempty"),
		}
		ti := sites[name]
		f.c = b.codecOf(sf.Type, ti)
		if sc, ok := f.c.(*sliceCodec); ok && !nilElem(sc.typ.Elem()) && sc.typ.Elem() != anyType {
			f.items = sc
		}
		f.lenient = slices.Contains(info.mayBeAbsent, name)
		f.jsonText = ti != nil && ti.jsonText && sf.Type.Kind() == reflect.String
		f.nullable = isNullable(sf.Type)
		if f.nullable && slices.Contains(info.required, name) {
			f.required = true
		}
		switch k := sf.Type.Kind(); {
		case f.nullable:
			f.kind = kindNilable
		case k == reflect.Pointer || k == reflect.Interface || k == reflect.Map || k == reflect.Slice:
			f.kind = kindNilable
		case k == reflect.String && ti != nil && ti.enum != nil && !ti.closed && !ti.free && !slices.Contains(ti.enum.values, ""):
			f.kind = kindEnum
		}
		pl.index[name] = len(pl.fields)
		pl.fields = append(pl.fields, f)
	}
	for _, c := range info.consts {
		pl.consts = append(pl.consts, constPlan{optional: slices.Contains(info.optionalConsts, c.name), name: c.name, value: c.value, quoted: strconv.Quote(c.value), member: strconv.Quote(c.name) + ":" + strconv.Quote(c.value)})
	}
	for _, c := range info.discs {
		if i, ok := pl.index[c.name]; ok {
			if pl.discs == nil {
				pl.discs = map[int]string{}
			}
			pl.discs[i] = c.value
		}
	}
	return pl
}

func isNullable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == membersType.PkgPath() && strings.HasPrefix(t.Name(), "Nullable[")
}

// codecOf returns the codec of a value of type t at a place described by
// ti (nil when the spec says nothing more).
func (b *planBuilder) codecOf(t reflect.Type, ti *typeInfo) codec {
	if ti == nil {
		ti = &typeInfo{}
	}
	switch {
	case t == timeType:
		return timeCodec{}
	case t == timestampType:
		return timestampCodec{}
	case t == rawType:
		return rawCodec{}
	case t == anyType:
		return anyCodec{}
	case isNullable(t):
		return &nullableCodec{elem: b.codecOf(t.Field(0).Type, ti), stateOff: t.Field(1).Offset}
	}
	switch t.Kind() {
	case reflect.String:
		c := &stringCodec{ti: ti}
		if ti.enum != nil {
			c.known = slices.Clone(ti.enum.values)
			slices.Sort(c.known)
		}
		c.setLimits()
		return c
	case reflect.Float64:
		c := &floatCodec{ti: ti}
		c.setLimits()
		return c
	case reflect.Int64:
		c := &intCodec{ti: ti}
		c.setLimits()
		return c
	case reflect.Bool:
		return boolCodec{}
	case reflect.Pointer:
		c := &ptrCodec{elem: b.codecOf(t.Elem(), ti), typ: t.Elem()}
		switch e := c.elem.(type) {
		case *stringCodec:
			if e.known == nil {
				c.slab = slabString
			}
		case *floatCodec:
			c.slab = slabFloat
		case boolCodec:
			c.slab = slabBool
		}
		return c
	case reflect.Slice:
		c := &sliceCodec{typ: t, elemSize: t.Elem().Size(), elem: b.codecOf(t.Elem(), ti.elem)}
		c.minItems, c.maxItems = intLimit(ti.limits, "minItems"), intLimit(ti.limits, "maxItems")
		return c
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic("vapi: map key of " + t.String())
		}
		if t.Elem() == anyType {
			return mapAnyCodec{}
		}
		return &mapCodec{typ: t, elem: b.codecOf(t.Elem(), ti.elem)}
	case reflect.Struct:
		return &structCodec{plan: b.structPlan(t)}
	case reflect.Interface:
		if ti.union == nil {
			panic("vapi: no union information for " + t.String())
		}
		return b.unionCodec(t, ti.union)
	}
	panic("vapi: no codec for " + t.String())
}

// limit reads one bound of a limits string, "minLength 1, maxLength 40".
func limit(limits, name string) (float64, bool) {
	for _, part := range strings.Split(limits, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), " ")
		if k == name {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				panic("vapi: bad limit " + part)
			}
			return f, true
		}
	}
	return 0, false
}

func intLimit(limits, name string) int {
	if f, ok := limit(limits, name); ok {
		return int(f)
	}
	return -1
}

func floatLimits(limits string) (lo, hi float64, any bool) {
	lo, okLo := limit(limits, "minimum")
	hi, okHi := limit(limits, "maximum")
	if !okLo {
		lo = noMin
	}
	if !okHi {
		hi = noMax
	}
	return lo, hi, okLo || okHi
}

// ---- structs ----

type structCodec struct{ plan *structPlan }

func (c *structCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { c.plan.decode(d, p) }
func (c *structCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { c.plan.encode(e, p) }
func (c *structCodec) empty(p unsafe.Pointer) bool                  { return false }
func (c *structCodec) validate(v *validator, p unsafe.Pointer)      { c.plan.validate(v, p) }

// seenSet is a small bit set of field indexes.
type seenSet struct {
	fixed [4]uint64
	more  []uint64
}

func (s *seenSet) set(i int) {
	if i < 256 {
		s.fixed[i/64] |= 1 << (i % 64)
		return
	}
	j := i/64 - 4
	for len(s.more) <= j {
		s.more = append(s.more, 0)
	}
	s.more[j] |= 1 << (i % 64)
}

func (s *seenSet) has(i int) bool {
	if i < 256 {
		return s.fixed[i/64]&(1<<(i%64)) != 0
	}
	j := i/64 - 4
	return j < len(s.more) && s.more[j]&(1<<(i%64)) != 0
}

func (pl *structPlan) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	if !d.Open() {
		return
	}
	var rec *memberRecord
	var seen seenSet
	var constSeen uint64
	setFlag := func(i int, f uint8) {
		if rec == nil {
			rec = &memberRecord{}
		}
		if rec.flags == nil {
			rec.flags = make([]uint8, len(pl.fields))
		}
		rec.flags[i] = f
	}
	next := 0 // the field after the last one read: objects tend to come in one order
	for n := 0; d.Field(n); n++ {
		key := d.Key()
		i, ok := next, next < len(pl.fields) && pl.fields[next].name == string(key)
		if !ok {
			i, ok = pl.index[string(key)]
		}
		if ok {
			next = i + 1
		}
		if !ok {
			if c := pl.constMatches(d, key); c >= 0 {
				constSeen |= 1 << c
				continue
			}
			if pl.constIndex(key) >= 0 {
				constSeen |= 1 << pl.constIndex(key)
			}
			k := string(key)
			raw := d.Raw()
			if d.Err() != nil {
				return
			}
			if !pl.hasRec {
				continue
			}
			if rec == nil {
				rec = &memberRecord{}
			}
			rec.unknown = append(rec.unknown, rawMember{key: k, value: raw})
			continue
		}
		f := &pl.fields[i]
		seen.set(i)
		fp := unsafe.Add(p, f.off)
		if !f.nullable && d.Kind() == 'n' {
			d.Null()
			if pl.hasRec {
				setFlag(i, flagNull)
			}
			continue
		}
		if k := d.Kind(); f.jsonText && (k == '{' || k == '[') {
			*(*string)(fp) = string(d.RawView())
			if pl.hasRec {
				setFlag(i, flagJSON)
			}
			continue
		}
		if f.items != nil && pl.hasRec {
			for _, j := range f.items.decodeItems(d, fp, true) {
				if rec == nil {
					rec = &memberRecord{}
				}
				rec.nullItems = append(rec.nullItems, nullItem{i, j})
			}
			continue
		}
		f.c.decode(d, fp)
		if pl.hasRec && !f.required && f.kind != kindNilable && f.c.empty(fp) {
			setFlag(i, flagZero)
		}
	}
	if d.Err() != nil || !pl.hasRec {
		return
	}
	for i := range pl.fields {
		if pl.fields[i].required && !seen.has(i) {
			setFlag(i, flagAbsent)
		}
	}
	if all := uint64(1)<<len(pl.consts) - 1; len(pl.consts) > 0 && constSeen&all != all {
		if rec == nil {
			rec = &memberRecord{}
		}
		rec.noConst = all &^ constSeen
	}
	if rec != nil {
		*(*members)(unsafe.Add(p, pl.recOff)) = members{rec}
	}
}

// constMatches returns the index of the member marshalling writes that key
// names when the next value is exactly its value, which it then reads; -1
// otherwise. Anything else is kept as an unknown member, so a value the
// SDK would overwrite is written back as it came.
func (pl *structPlan) constMatches(d *jsonwire.Decoder, key []byte) int {
	if i := pl.constIndex(key); i >= 0 && d.NextIs(pl.consts[i].quoted) {
		return i
	}
	return -1
}

func (pl *structPlan) constIndex(key []byte) int {
	for i, c := range pl.consts {
		if c.name == string(key) {
			return i
		}
	}
	return -1
}

func (pl *structPlan) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	if !e.Object() {
		return
	}
	var rec *memberRecord
	if pl.hasRec {
		rec = (*members)(unsafe.Add(p, pl.recOff)).rec
	}
	for i, c := range pl.consts {
		if rec != nil && (rec.noConst&(1<<i) != 0 || rec.hasUnknown(c.name)) {
			continue
		}
		e.Member(c.member)
	}
	for i := range pl.fields {
		f := &pl.fields[i]
		fp := unsafe.Add(p, f.off)
		if rec.flag(i) == flagJSON {
			if s := *(*string)(fp); jsonwire.Valid([]byte(s), "") == nil {
				e.Key(f.key)
				e.Raw([]byte(s))
				continue
			}
		}
		if flag := rec.flag(i); flag != 0 && isZeroMem(fp, f.size) {
			switch flag {
			case flagAbsent:
				continue
			case flagNull:
				e.Key(f.key)
				e.Null()
				continue
			case flagZero:
				e.Key(f.key)
				f.c.encode(e, fp)
				continue
			}
		}
		if def, ok := pl.discs[i]; ok && f.c.empty(fp) {
			e.Key(f.key)
			e.String(def)
			continue
		}
		if !f.required && f.c.empty(fp) {
			continue
		}
		e.Key(f.key)
		if f.items != nil && rec != nil && len(rec.nullItems) > 0 {
			f.items.encodeItems(e, fp, rec.nullsOf(i))
			continue
		}
		f.c.encode(e, fp)
	}
	if rec != nil {
		for _, u := range rec.unknown {
			e.KeyString(u.key)
			e.Raw(u.value)
		}
	}
	e.EndObject()
}

// isZeroMem reports whether the size bytes at p are all zero: the zero
// value of any Go type.
func isZeroMem(p unsafe.Pointer, size uintptr) bool {
	b := unsafe.Slice((*byte)(p), size)
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// ---- scalars ----

type stringCodec struct {
	ti             *typeInfo
	known          []string // sorted enum values
	minLen, maxLen int
}

func (c *stringCodec) setLimits() {
	c.minLen, c.maxLen = intLimit(c.ti.limits, "minLength"), intLimit(c.ti.limits, "maxLength")
}

func (c *stringCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	if c.known != nil {
		*(*string)(p) = d.StringIn(c.known)
		return
	}
	*(*string)(p) = d.StringOrEmpty()
}
func (c *stringCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.String(*(*string)(p)) }
func (c *stringCodec) empty(p unsafe.Pointer) bool                  { return *(*string)(p) == "" }

type floatCodec struct {
	ti     *typeInfo
	lo, hi float64
	check  bool
}

func (c *floatCodec) setLimits() { c.lo, c.hi, c.check = floatLimits(c.ti.limits) }
func (c *floatCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	*(*float64)(p) = d.Float64OrZero()
}
func (c *floatCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Float64(*(*float64)(p)) }
func (c *floatCodec) empty(p unsafe.Pointer) bool                  { return *(*float64)(p) == 0 }

type intCodec struct {
	ti     *typeInfo
	lo, hi float64
	check  bool
}

func (c *intCodec) setLimits()                                   { c.lo, c.hi, c.check = floatLimits(c.ti.limits) }
func (c *intCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { *(*int64)(p) = d.Int64OrZero() }
func (c *intCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Int64(*(*int64)(p)) }
func (c *intCodec) empty(p unsafe.Pointer) bool                  { return *(*int64)(p) == 0 }

type boolCodec struct{}

func (boolCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { *(*bool)(p) = d.BoolOrFalse() }
func (boolCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Bool(*(*bool)(p)) }
func (boolCodec) empty(p unsafe.Pointer) bool                  { return !*(*bool)(p) }
func (boolCodec) validate(v *validator, p unsafe.Pointer)      {}

type timeCodec struct{}

func (timeCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { *(*time.Time)(p) = d.TimeOrZero() }
func (timeCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Time(*(*time.Time)(p)) }
func (timeCodec) empty(p unsafe.Pointer) bool                  { return (*time.Time)(p).IsZero() }
func (timeCodec) validate(v *validator, p unsafe.Pointer)      {}

type timestampCodec struct{}

func (timestampCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	ts := (*Timestamp)(p)
	switch d.Kind() {
	case '"':
		ts.Time, ts.RFC3339 = d.Time(), true
	case 'n':
		d.Null()
	default:
		ms := d.Float64()
		ts.Time, ts.RFC3339 = timeFromMillis(ms), false
		if ts.Millis() != ms {
			ts.millis = ms // finer than the time holds
		}
	}
}

func (timestampCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	ts := (*Timestamp)(p)
	if ts.RFC3339 {
		e.Time(ts.Time)
		return
	}
	e.Float64(ts.Millis())
}
func (timestampCodec) empty(p unsafe.Pointer) bool             { return (*Timestamp)(p).IsZero() }
func (timestampCodec) validate(v *validator, p unsafe.Pointer) {}

type rawCodec struct{}

func (rawCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	*(*json.RawMessage)(p) = d.Raw()
}

func (rawCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	raw := *(*json.RawMessage)(p)
	if raw == nil {
		e.Null()
		return
	}
	if err := jsonwire.Valid(raw, ""); err != nil {
		e.Fail(err)
		e.Null()
		return
	}
	e.Raw(raw)
}
func (rawCodec) empty(p unsafe.Pointer) bool             { return *(*json.RawMessage)(p) == nil }
func (rawCodec) validate(v *validator, p unsafe.Pointer) {}

type anyCodec struct{}

func (anyCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { *(*any)(p) = d.Any() }
func (anyCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Any(*(*any)(p)) }
func (anyCodec) empty(p unsafe.Pointer) bool                  { return *(*any)(p) == nil }
func (anyCodec) validate(v *validator, p unsafe.Pointer)      { v.freeForm(*(*any)(p)) }

type mapAnyCodec struct{}

func (mapAnyCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	*(*map[string]any)(p) = d.Map()
}
func (mapAnyCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { e.Map(*(*map[string]any)(p)) }
func (mapAnyCodec) empty(p unsafe.Pointer) bool                  { return *(*map[string]any)(p) == nil }
func (mapAnyCodec) validate(v *validator, p unsafe.Pointer) {
	if m := *(*map[string]any)(p); m != nil {
		v.freeForm(m)
	}
}

// ---- pointers, slices, maps, nullables ----

type ptrCodec struct {
	elem codec
	typ  reflect.Type
	slab uint8 // the decoder's slab the pointer comes from, 0 for none
}

// Slabs of the decoder: optional scalars of one document share a few
// allocations (jsonwire's Opt… readers) instead of one each.
const (
	slabString uint8 = 1 + iota
	slabFloat
	slabBool
)

func (c *ptrCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	switch c.slab {
	case slabString:
		*(**string)(p) = d.OptString()
		return
	case slabFloat:
		*(**float64)(p) = d.OptFloat64()
		return
	case slabBool:
		*(**bool)(p) = d.OptBool()
		return
	}
	if d.Null() {
		*(*unsafe.Pointer)(p) = nil
		return
	}
	np := reflect.New(c.typ).UnsafePointer()
	c.elem.decode(d, np)
	*(*unsafe.Pointer)(p) = np
}

func (c *ptrCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	np := *(*unsafe.Pointer)(p)
	if np == nil {
		e.Null()
		return
	}
	c.elem.encode(e, np)
}
func (c *ptrCodec) empty(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
func (c *ptrCodec) validate(v *validator, p unsafe.Pointer) {
	if np := *(*unsafe.Pointer)(p); np != nil {
		c.elem.validate(v, np)
	}
}

type sliceCodec struct {
	typ                reflect.Type
	elemSize           uintptr
	elem               codec
	minItems, maxItems int
}

func (c *sliceCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) { c.decodeItems(d, p, false) }

// decodeItems decodes an array into the slice at p, in place, and returns,
// when noteNulls is set, the indexes of the items that were null.
func (c *sliceCodec) decodeItems(d *jsonwire.Decoder, p unsafe.Pointer, noteNulls bool) []int {
	h := (*sliceHeader)(p)
	*h = sliceHeader{}
	if d.Null() || !d.Array() {
		return nil
	}
	var nulls []int
	for n := 0; d.Elem(n); n++ {
		if n == h.cap {
			// Grown through reflect, at p itself: one allocation,
			// the new array.
			reflect.NewAt(c.typ, p).Elem().Grow(max(4, n))
		}
		if noteNulls && d.Kind() == 'n' {
			nulls = append(nulls, n)
		}
		c.elem.decode(d, unsafe.Add(h.data, uintptr(n)*c.elemSize))
		h.len = n + 1
	}
	if h.data == nil {
		// [] is an empty slice, not a nil one: marshalling writes it back.
		h.data = unsafe.Pointer(&zeroItems)
	}
	return nulls
}

func (c *sliceCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) { c.encodeItems(e, p, nil) }

// encodeItems encodes the slice at p, writing null for the items at the
// indexes nulls gives (in order) while they are unset.
func (c *sliceCodec) encodeItems(e *jsonwire.Encoder, p unsafe.Pointer, nulls []int) {
	h := (*sliceHeader)(p)
	if h.data == nil {
		e.Null()
		return
	}
	if !e.Array() {
		return
	}
	for i := 0; i < h.len; i++ {
		ep := unsafe.Add(h.data, uintptr(i)*c.elemSize)
		if len(nulls) > 0 && nulls[0] == i {
			nulls = nulls[1:]
			if isZeroMem(ep, c.elemSize) {
				e.Null()
				continue
			}
		}
		c.elem.encode(e, ep)
	}
	e.EndArray()
}

func (c *sliceCodec) empty(p unsafe.Pointer) bool { return (*sliceHeader)(p).data == nil }

// zeroItems is where empty decoded slices point: like the runtime's own
// zero-size allocations, it holds nothing.
var zeroItems [0]uint64

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

type mapCodec struct {
	typ  reflect.Type
	elem codec
}

func (c *mapCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	mv := reflect.NewAt(c.typ, p).Elem()
	if !d.Open() {
		mv.SetZero()
		return
	}
	m := reflect.MakeMap(c.typ)
	for n := 0; d.Field(n); n++ {
		k := string(d.Key())
		ev := reflect.New(c.typ.Elem())
		c.elem.decode(d, ev.UnsafePointer())
		m.SetMapIndex(reflect.ValueOf(k).Convert(c.typ.Key()), ev.Elem())
	}
	mv.Set(m)
}

func (c *mapCodec) keys(p unsafe.Pointer) (reflect.Value, []string) {
	mv := reflect.NewAt(c.typ, p).Elem()
	keys := make([]string, 0, mv.Len())
	for _, k := range mv.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return mv, keys
}

func (c *mapCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	if c.empty(p) {
		e.Null()
		return
	}
	if !e.Object() {
		return
	}
	mv, keys := c.keys(p)
	tmp := reflect.New(c.typ.Elem())
	for _, k := range keys {
		tmp.Elem().Set(mv.MapIndex(reflect.ValueOf(k).Convert(c.typ.Key())))
		e.KeyString(k)
		c.elem.encode(e, tmp.UnsafePointer())
	}
	e.EndObject()
}

func (c *mapCodec) empty(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }

type nullableCodec struct {
	elem     codec
	stateOff uintptr
}

func (c *nullableCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	state := (*nullState)(unsafe.Add(p, c.stateOff))
	if d.Null() {
		*state = null
		return
	}
	c.elem.decode(d, p)
	*state = present
}

func (c *nullableCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	if *(*nullState)(unsafe.Add(p, c.stateOff)) != present {
		e.Null()
		return
	}
	c.elem.encode(e, p)
}

func (c *nullableCodec) empty(p unsafe.Pointer) bool {
	return *(*nullState)(unsafe.Add(p, c.stateOff)) == absent
}

func (c *nullableCodec) validate(v *validator, p unsafe.Pointer) {
	if *(*nullState)(unsafe.Add(p, c.stateOff)) == present {
		c.elem.validate(v, p)
	}
}

// ---- unions ----

type unionCodec struct {
	iface   reflect.Type
	info    *unionInfo
	objects map[string]*altPlan // by discriminator value
	prefix  []*altPlan          // alternatives that also take value[…]
	scalars [6]*altPlan         // by JSON kind: '"', '0', 't', '['
	byTab   map[unsafe.Pointer]*altPlan
	unknown *altPlan
	ties    map[string]*tiePlan
	known   string // the discriminator values, for messages
}

type altPlan struct {
	typ      reflect.Type // the alternative's Go type (not a pointer)
	ptr      bool         // a struct, held as a pointer
	direct   bool         // a map, held in the interface as it is
	c        codec        // of typ
	tab      unsafe.Pointer
	excluded []string // fields that must be unset
	values   []string
}

type tiePlan struct {
	rules    []tieRulePlan
	fallback *altPlan
}

type tieRulePlan struct {
	member string
	kind   byte
	values []string
	alt    *altPlan
}

const (
	slotString = iota
	slotNumber
	slotBool
	slotArray
)

func kindSlot(k byte) int {
	switch k {
	case '"':
		return slotString
	case '0':
		return slotNumber
	case 't', 'f':
		return slotBool
	case '[':
		return slotArray
	}
	return -1
}

// itab returns the interface table word of an iface value holding a value
// of type t, which identifies t among the union's alternatives.
func itab(iface, t reflect.Type) unsafe.Pointer {
	v := reflect.New(iface).Elem()
	v.Set(reflect.Zero(t))
	return *(*unsafe.Pointer)(v.Addr().UnsafePointer())
}

func (b *planBuilder) unionCodec(iface reflect.Type, info *unionInfo) *unionCodec {
	c := &unionCodec{iface: iface, info: info, objects: map[string]*altPlan{}, byTab: map[unsafe.Pointer]*altPlan{}}
	byType := map[reflect.Type]*altPlan{}
	alt := func(typed any, ti *typeInfo) *altPlan {
		pt := reflect.TypeOf(typed)
		if a, ok := byType[pt]; ok {
			return a
		}
		t := pt.Elem()
		a := &altPlan{typ: t, ptr: t.Kind() == reflect.Struct, direct: t.Kind() == reflect.Map}
		if a.ptr {
			a.c = &structCodec{plan: b.structPlan(t)}
			a.tab = itab(iface, pt)
		} else {
			a.c = b.codecOf(t, ti)
			a.tab = itab(iface, t)
		}
		byType[pt] = a
		c.byTab[a.tab] = a
		return a
	}
	var known []string
	for _, ai := range info.alts {
		a := alt(ai.typ, ai.t)
		if !a.ptr && !a.direct {
			c.scalars[kindSlot(jsonKindOf(a.typ))] = a
			continue
		}
		a.excluded = ai.excluded
		for _, v := range ai.values {
			if _, dup := c.objects[v]; !dup {
				c.objects[v] = a
			}
			known = append(known, v)
		}
		a.values = ai.values
		if ai.prefix {
			c.prefix = append(c.prefix, a)
		}
		if info.disc == "" && len(info.ties) == 0 {
			c.objects[""] = a
		}
	}
	c.known = quoteValues(known)
	for _, t := range info.ties {
		tp := &tiePlan{fallback: alt(t.fallback, nil)}
		for _, r := range t.rules {
			tp.rules = append(tp.rules, tieRulePlan{member: r.member, kind: r.kind, values: r.values, alt: alt(r.alt, nil)})
		}
		if c.ties == nil {
			c.ties = map[string]*tiePlan{}
		}
		c.ties[t.value] = tp
	}
	ut := reflect.TypeOf(info.unknown).Elem()
	c.unknown = &altPlan{typ: ut, ptr: true, tab: itab(iface, reflect.PointerTo(ut))}
	c.byTab[c.unknown.tab] = c.unknown
	return c
}

func quoteValues(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// jsonKindOf is the JSON kind a scalar alternative of Go type t is written
// as.
func jsonKindOf(t reflect.Type) byte {
	switch t.Kind() {
	case reflect.String:
		return '"'
	case reflect.Float64, reflect.Int64:
		return '0'
	case reflect.Bool:
		return 't'
	case reflect.Slice:
		return '['
	}
	panic("vapi: scalar alternative " + t.String())
}

// iface is the layout of a non-empty interface value.
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// choose picks the alternative for the object that comes next, and returns
// the discriminator's value as it came (a view of the input).
func (c *unionCodec) choose(d *jsonwire.Decoder) (*altPlan, []byte) {
	var disc []byte
	if c.info.disc != "" {
		disc, _ = d.PeekView(c.info.disc)
	}
	if tie := c.ties[string(disc)]; tie != nil && (len(disc) > 0 || c.info.disc == "") {
		for _, r := range tie.rules {
			if r.matches(d) {
				return r.alt, disc
			}
		}
		return tie.fallback, disc
	}
	if a := c.objects[string(disc)]; a != nil && (len(disc) > 0 || c.info.disc == "") {
		return a, disc
	}
	if i := bytes.IndexByte(disc, '['); i > 0 {
		for _, a := range c.prefix {
			if slices.Contains(a.values, string(disc[:i])) {
				return a, disc
			}
		}
	}
	return nil, disc
}

func (r *tieRulePlan) matches(d *jsonwire.Decoder) bool {
	if len(r.values) > 0 {
		v, ok := d.PeekView(r.member)
		if !ok {
			return false
		}
		for _, x := range r.values {
			if x == string(v) {
				return true
			}
		}
		return false
	}
	k := d.PeekKind(r.member)
	if r.kind == 0 {
		return k != 0
	}
	if r.kind == 't' {
		return k == 't' || k == 'f'
	}
	return k == r.kind
}

func (c *unionCodec) set(p unsafe.Pointer, a *altPlan, data unsafe.Pointer) {
	*(*iface)(p) = iface{tab: a.tab, data: data}
}

func (c *unionCodec) decode(d *jsonwire.Decoder, p unsafe.Pointer) {
	k := d.Kind()
	switch k {
	case 'n':
		d.Null()
		*(*iface)(p) = iface{}
		return
	case '{':
		a, disc := c.choose(d)
		if a == nil {
			c.decodeUnknown(d, p, string(disc))
			return
		}
		np := reflect.New(a.typ).UnsafePointer()
		a.c.decode(d, np)
		if a.direct {
			np = *(*unsafe.Pointer)(np)
		}
		c.set(p, a, np)
		return
	case 0:
		d.Skip()
		return
	}
	if s := kindSlot(k); s >= 0 && c.scalars[s] != nil {
		a := c.scalars[s]
		np := reflect.New(a.typ).UnsafePointer()
		a.c.decode(d, np)
		c.set(p, a, np)
		return
	}
	c.decodeUnknown(d, p, "")
}

// decodeUnknown keeps the next value as the union's Unknown… alternative:
// its discriminator value (field 0, when the union has one) and raw JSON.
func (c *unionCodec) decodeUnknown(d *jsonwire.Decoder, p unsafe.Pointer, disc string) {
	uv := reflect.New(c.unknown.typ)
	raw := d.Raw()
	if d.Err() != nil {
		return
	}
	if c.info.disc != "" {
		uv.Elem().Field(0).SetString(disc)
	}
	uv.Elem().FieldByName("Raw").SetBytes(raw)
	c.set(p, c.unknown, uv.UnsafePointer())
}

func (c *unionCodec) alt(p unsafe.Pointer) (*altPlan, unsafe.Pointer) {
	v := (*iface)(p)
	if v.tab == nil {
		return nil, nil
	}
	a := c.byTab[v.tab]
	return a, v.data
}

func (c *unionCodec) encode(e *jsonwire.Encoder, p unsafe.Pointer) {
	a, data := c.alt(p)
	if a == nil || data == nil {
		e.Null()
		return
	}
	if a == c.unknown {
		u := reflect.NewAt(a.typ, data).Elem()
		encodeRaw(e, u.FieldByName("Raw").Bytes(), "")
		return
	}
	if a.direct {
		m := data
		a.c.encode(e, unsafe.Pointer(&m))
		return
	}
	a.c.encode(e, data)
}

func (c *unionCodec) empty(p unsafe.Pointer) bool { return (*iface)(p).tab == nil }

// ---- entry points ----

// dataOf returns the pointer an interface value holds.
func dataOf(v any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1]
}

// marshalStruct encodes the struct v points to.
func marshalStruct(v any) ([]byte, error) {
	var e jsonwire.Encoder
	planOf(reflect.TypeOf(v).Elem()).encode(&e, dataOf(v))
	return e.Bytes()
}

// unmarshalStruct decodes a whole document into the struct v points to,
// which it first resets.
func unmarshalStruct(b []byte, v any) error {
	pl := planOf(reflect.TypeOf(v).Elem())
	p := dataOf(v)
	clear(unsafe.Slice((*byte)(p), pl.typ.Size()))
	d := jsonwire.NewDecoder(b)
	pl.decode(&d, p)
	return d.End()
}

// validateStruct validates the struct v points to.
func validateStruct(v any) error {
	val := validators.Get().(*validator)
	planOf(reflect.TypeOf(v).Elem()).validate(val, dataOf(v))
	err := val.err()
	*val = validator{freePath: val.freePath[:0]}
	validators.Put(val)
	return err
}

// validators reuse the validators' path buffers, so that validating a
// valid request does not allocate.
var validators = sync.Pool{New: func() any { return new(validator) }}

// unionCodecs caches the codec of each declared union, for the exported
// decoders of unions.
var unionCodecs sync.Map // *unionInfo → *unionCodec

func unionCodecOf[U any](info *unionInfo) *unionCodec {
	return unionCodecFor(reflect.TypeFor[U](), info)
}

// unionCodecFor is unionCodecOf for the union type t.
func unionCodecFor(t reflect.Type, info *unionInfo) *unionCodec {
	if c, ok := unionCodecs.Load(info); ok {
		return c.(*unionCodec)
	}
	c := build(func(b *planBuilder) *unionCodec { return b.unionCodec(t, info) })
	unionCodecs.Store(info, c)
	return c
}

// decodeUnion is unmarshalUnion for the union that out points to (a *U),
// without an instantiation per union: the services' decoders call it. On
// an error *out is nil.
func decodeUnion(data []byte, info *unionInfo, out any) error {
	p := reflect.ValueOf(out)
	c := unionCodecFor(p.Type().Elem(), info)
	d := jsonwire.NewDecoder(data)
	if d.Kind() != '{' {
		d.Object()
		return d.Err()
	}
	c.decode(&d, p.UnsafePointer())
	if err := d.End(); err != nil {
		p.Elem().SetZero()
		return err
	}
	return nil
}

// unmarshalUnion decodes one value of union U, described by info, from
// data in one pass.
func unmarshalUnion[U any](data []byte, info *unionInfo) (U, error) {
	var u U
	c := unionCodecOf[U](info)
	d := jsonwire.NewDecoder(data)
	if d.Kind() != '{' {
		d.Object()
		return u, d.Err()
	}
	c.decode(&d, unsafe.Pointer(&u))
	if err := d.End(); err != nil {
		var zero U
		return zero, err
	}
	return u, nil
}

// scalarCodecs caches the codecs of the named scalar types (union
// alternatives, open objects), which have no struct plan.
var scalarCodecs sync.Map // reflect.Type → codec

func scalarCodecOf(t reflect.Type) codec {
	if c, ok := scalarCodecs.Load(t); ok {
		return c.(codec)
	}
	c := build(func(b *planBuilder) codec { return b.codecOf(t, nil) })
	scalarCodecs.Store(t, c)
	return c
}

// marshalScalar encodes the named scalar, array or open-object value v
// points to.
func marshalScalar(v any) ([]byte, error) {
	var e jsonwire.Encoder
	scalarCodecOf(reflect.TypeOf(v).Elem()).encode(&e, dataOf(v))
	return e.Bytes()
}

// unmarshalScalar decodes a whole document into the value v points to.
func unmarshalScalar(b []byte, v any) error {
	d := jsonwire.NewDecoder(b)
	scalarCodecOf(reflect.TypeOf(v).Elem()).decode(&d, dataOf(v))
	return d.End()
}

// peekString returns the string member key of the JSON object b, or "".
func peekString(b []byte, key string) string {
	d := jsonwire.NewDecoder(b)
	v, _ := d.Peek(key)
	return v
}
