package vapi

import (
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// Validation runs the same plans as decoding: each place checks what the
// spec states of it, and structs and unions descend.

func (pl *structPlan) validate(v *validator, p unsafe.Pointer) {
	if !v.descend() {
		return
	}
	var rec *memberRecord
	if pl.hasRec {
		rec = (*members)(unsafe.Add(p, pl.recOff)).rec
	}
	for i := range pl.fields {
		f := &pl.fields[i]
		fp := unsafe.Add(p, f.off)
		if flag := rec.flag(i); f.required && flag != 0 && flag != flagZero && isZeroMem(fp, f.size) {
			// Decoded without it, or with null: the API would refuse it.
			if flag == flagAbsent {
				if !f.lenient {
					v.failAt(f.name, msgRequired)
				}
			} else {
				v.failAt(f.name, msgNull)
			}
			continue
		}
		if f.required {
			missing := false
			switch f.kind {
			case kindNilable:
				missing = f.c.empty(fp)
			case kindEnum:
				missing = *(*string)(fp) == ""
			}
			if missing {
				v.failAt(f.name, msgRequired)
				continue
			}
		} else if f.c.empty(fp) {
			continue
		}
		v.enter(f.name)
		if f.items != nil && rec != nil && len(rec.nullItems) > 0 {
			f.items.validateItems(v, fp, rec.nullsOf(i))
		} else {
			f.c.validate(v, fp)
		}
		v.leave()
	}
	if rec != nil {
		for i, c := range pl.consts {
			if rec.noConst&(1<<i) != 0 && !c.optional {
				v.failAt(c.name, msgRequired)
			}
		}
		for _, u := range rec.unknown {
			v.unknownMember(u.key)
		}
	}
	if pl.rules {
		reflect.NewAt(pl.typ, p).Interface().(ruleChecker).checkRules(v)
	}
}

func (c *stringCodec) validate(v *validator, p unsafe.Pointer) {
	s := *(*string)(p)
	if c.ti.closed && c.ti.enum != nil && !c.ti.enum.has(s) {
		v.fail("must be one of " + quoteValues(c.ti.enum.values))
	}
	if c.minLen >= 0 || c.maxLen >= 0 {
		v.length("", s, c.minLen, c.maxLen)
	}
	if c.ti.pattern != nil {
		pat := *c.ti.pattern
		if !pat.re.MatchString(s) {
			v.fail("must match " + pat.re.String())
		}
	}
}

func (c *floatCodec) validate(v *validator, p unsafe.Pointer) {
	if c.check {
		v.number("", *(*float64)(p), c.lo, c.hi)
	}
}

func (c *intCodec) validate(v *validator, p unsafe.Pointer) {
	if c.check {
		v.number("", float64(*(*int64)(p)), c.lo, c.hi)
	}
}

// nilElem reports whether an element of Go type t can be nil, which is
// sent as null where the spec wants a value.
func nilElem(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		return true
	case reflect.Interface:
		return t != anyType
	}
	return false
}

func (c *sliceCodec) validate(v *validator, p unsafe.Pointer) { c.validateItems(v, p, nil) }

// validateItems validates the slice at p, reporting as null the items at
// the indexes nulls gives (in order) that are still unset.
func (c *sliceCodec) validateItems(v *validator, p unsafe.Pointer, nulls []int) {
	h := (*sliceHeader)(p)
	if c.minItems >= 0 || c.maxItems >= 0 {
		v.count("", h.len, c.minItems, c.maxItems)
	}
	mustBeSet := nilElem(c.typ.Elem())
	for i := 0; i < h.len; i++ {
		ep := unsafe.Add(h.data, uintptr(i)*c.elemSize)
		v.enterIndex(i)
		null := false
		if len(nulls) > 0 && nulls[0] == i {
			nulls = nulls[1:]
			null = isZeroMem(ep, c.elemSize)
		}
		if null || mustBeSet && c.elem.empty(ep) {
			v.fail(msgNull)
		} else {
			c.elem.validate(v, ep)
		}
		v.leave()
		if v.halt {
			return
		}
	}
}

func (c *mapCodec) validate(v *validator, p unsafe.Pointer) {
	if c.empty(p) {
		return
	}
	mv, keys := c.keys(p)
	mustBeSet := nilElem(c.typ.Elem())
	tmp := reflect.New(c.typ.Elem())
	for _, k := range keys {
		tmp.Elem().Set(mv.MapIndex(reflect.ValueOf(k).Convert(c.typ.Key())))
		v.enter(k)
		if mustBeSet && c.elem.empty(tmp.UnsafePointer()) {
			v.fail(msgNull)
		} else {
			c.elem.validate(v, tmp.UnsafePointer())
		}
		v.leave()
	}
}

func (c *unionCodec) validate(v *validator, p unsafe.Pointer) {
	a, data := c.alt(p)
	switch {
	case a == nil:
		return // nil: the holder reports it
	case a == c.unknown:
		if c.info.disc == "" {
			v.fail("must be " + c.kinds())
			return
		}
		disc := reflect.NewAt(a.typ, data).Elem().Field(0).String()
		v.unknown(c.info.disc, disc, c.known)
		return
	case a.ptr && data == nil:
		v.fail(msgNull)
		return
	}
	for _, name := range a.excluded {
		pl := a.c.(*structCodec).plan
		f := &pl.fields[pl.index[name]]
		if !f.c.empty(unsafe.Add(data, f.off)) {
			v.excluded(f.name)
		}
	}
	if a.direct {
		m := data
		a.c.validate(v, unsafe.Pointer(&m))
		return
	}
	a.c.validate(v, data)
}

// kinds says in words what JSON the alternatives of a union are.
func (c *unionCodec) kinds() string {
	var ks []string
	for _, ai := range c.info.alts {
		t := reflect.TypeOf(ai.typ).Elem()
		k := "an object"
		if t.Kind() != reflect.Struct && t.Kind() != reflect.Map {
			k = map[byte]string{'"': "a string", '0': "a number", 't': "a boolean", '[': "an array"}[jsonKindOf(t)]
		}
		if len(ks) == 0 || ks[len(ks)-1] != k {
			ks = append(ks, k)
		}
	}
	if len(ks) == 1 {
		return ks[0]
	}
	return strings.Join(ks[:len(ks)-1], ", ") + " or " + ks[len(ks)-1]
}

// freeForm checks a free-form JSON value (any, map[string]any): it must not
// contain itself, which could never be sent.
func (v *validator) freeForm(x any) {
	path := v.freePath[:0]
	v.walkFree(x, &path)
	v.freePath = path[:0]
}

func (v *validator) walkFree(x any, path *[]unsafe.Pointer) {
	var id unsafe.Pointer
	switch x := x.(type) {
	case map[string]any:
		id = reflect.ValueOf(x).UnsafePointer()
	case []any:
		if len(x) == 0 {
			return
		}
		id = unsafe.Pointer(&x[0])
	default:
		return
	}
	for _, p := range *path {
		if p == id {
			v.fail("contains itself, which cannot be sent as JSON")
			v.halt = true
			return
		}
	}
	if len(*path) >= maxValidateDepth {
		v.fail("is nested more than " + strconv.Itoa(maxValidateDepth) + " levels deep")
		v.halt = true
		return
	}
	*path = append(*path, id)
	switch x := x.(type) {
	case map[string]any:
		for _, e := range x {
			if v.halt {
				break
			}
			v.walkFree(e, path)
		}
	case []any:
		for _, e := range x {
			if v.halt {
				break
			}
			v.walkFree(e, path)
		}
	}
	*path = (*path)[:len(*path)-1]
}

// has reports whether s is one of the enum's values. It is not inlined:
// every enum type's IsKnown calls it, and a call compiles smaller than the
// loop.
//
//go:noinline
func (e *enumInfo) has(s string) bool {
	for _, x := range e.values {
		if x == s {
			return true
		}
	}
	return false
}
