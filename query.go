package vapi

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// queryValues encodes the query parameters of the params struct p points
// to, as its fields' query tags name them: a pointer that is nil, an enum
// that is "" and an empty array send nothing (a string tagged required is
// always sent); an array repeats its key; times are RFC 3339. A nil p
// sends nothing. It serves every generated List…Params, so that their
// encoding is data (the tags), not code per type.
func queryValues(p any) url.Values {
	q := url.Values{}
	rv := reflect.ValueOf(p)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return q
	}
	rv = rv.Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		tag, ok := rt.Field(i).Tag.Lookup("query")
		if !ok {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.Pointer:
			if !f.IsNil() {
				q.Set(name, queryValue(f.Elem()))
			}
		case reflect.Slice:
			for j := 0; j < f.Len(); j++ {
				q.Add(name, queryValue(f.Index(j)))
			}
		default:
			if !f.IsZero() || opt == "required" {
				q.Set(name, queryValue(f))
			}
		}
	}
	return q
}

// queryValue spells one scalar query value.
func queryValue(v reflect.Value) string {
	if t, ok := v.Interface().(time.Time); ok {
		return t.Format(time.RFC3339Nano)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return fmt.Sprint(v.Interface())
}
