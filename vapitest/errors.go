package vapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/jsonwire"
)

// errorBody is the NestJS error shape. Message is a string or []string.
type errorBody struct {
	Message    any    `json:"message"`
	Error      string `json:"error,omitempty"`
	StatusCode int    `json:"statusCode"`
}

// errorResponse is a NestJS-shaped error whose "error" is the status text.
func errorResponse(status int, message any) response {
	return response{status: status, body: mustJSON(errorBody{
		Message:    message,
		Error:      http.StatusText(status),
		StatusCode: status,
	})}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("vapitest: " + err.Error())
	}
	return b
}

// validatable is a request type of the SDK with a Validate method
// (vapi.CreateSessionRequest, …).
type validatable interface {
	Validate() error
}

// decodeRequest decodes a request body into req (a pointer to one of the
// SDK's types) the way the live API's ValidationPipe does, and returns the
// request re-encoded as a JSON object, or
// a 400 listing every problem found. req is checked with its Validate
// method when it has one; every request type of the SDK's own methods
// does.
func decodeRequest(body []byte, req any) (map[string]any, *response) {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		resp := errorResponse(http.StatusBadRequest, "Unexpected token in JSON body: "+strings.TrimPrefix(err.Error(), "json: "))
		return nil, &resp
	}
	if _, ok := raw.(map[string]any); !ok {
		resp := errorResponse(http.StatusBadRequest, []string{"request body must be a JSON object"})
		return nil, &resp
	}
	if err := json.Unmarshal(body, req); err != nil {
		resp := errorResponse(http.StatusBadRequest, []string{decodeMessage(err)})
		return nil, &resp
	}

	// The SDK's types keep the members they do not declare, and Validate
	// reports each as the API's whitelist does ("property X should not
	// exist"), at every depth: one pass finds every problem.
	var msgs []string
	var verr *vapi.ValidationError
	var err error
	if v, ok := req.(validatable); ok {
		err = v.Validate()
	}
	if errors.As(err, &verr) {
		// Unknown members first, by path, as the API's whitelist reports
		// them before the other constraints.
		var unknown, other []string
		for _, fe := range verr.Errors {
			if m := fieldMessage(fe); strings.Contains(m, "property ") && strings.HasSuffix(m, " should not exist") {
				unknown = append(unknown, m)
			} else {
				other = append(other, m)
			}
		}
		sort.Strings(unknown)
		msgs = append(append(msgs, unknown...), other...)
	} else if err != nil {
		msgs = append(msgs, err.Error())
	}
	if len(msgs) > 0 {
		resp := errorResponse(http.StatusBadRequest, msgs)
		return nil, &resp
	}
	var known map[string]any
	enc, err := json.Marshal(req)
	if err == nil {
		err = json.Unmarshal(enc, &known)
	}
	if err != nil {
		resp := errorResponse(http.StatusInternalServerError, "vapitest: re-encoding the request: "+err.Error())
		return nil, &resp
	}
	return known, nil
}

// fieldMessage words a validation failure as "<field> <message>", with the
// NestJS way of writing array indexes: "messages.1.content must be ...".
func fieldMessage(fe vapi.FieldError) string {
	field := nestPath(fe.Field)
	switch {
	case field == "":
		return fe.Message
	case strings.HasPrefix(fe.Message, "property ") && strings.HasSuffix(fe.Message, " should not exist"):
		// A member the API does not know, at the object that holds it.
		name := strings.TrimSuffix(strings.TrimPrefix(fe.Message, "property "), " should not exist")
		if parent, last, ok := cutLast(field); last == name {
			if !ok {
				return fe.Message
			}
			field = parent
		}
		return field + "." + fe.Message
	}
	return field + " " + fe.Message
}

// cutLast splits a NestJS path at its last dot.
func cutLast(p string) (parent, last string, ok bool) {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i], p[i+1:], true
	}
	return "", p, false
}

// nestPath writes a JSON path the NestJS way: "messages[1].content" becomes
// "messages.1.content".
func nestPath(p string) string {
	return strings.NewReplacer("[", ".", "]", "").Replace(p)
}

// decodeMessage words an encoding/json error about a request body the way
// class-validator words a type mismatch: "name must be a string".
func decodeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" && te.Type != nil {
		return te.Field + " must be " + jsonType(te.Type)
	}
	// The generated codecs report mismatches with jsonwire.
	var we *jsonwire.TypeError
	if errors.As(err, &we) && we.Path != "" {
		return nestPath(we.Path) + " must be " + jsonKind(we.Want)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKind words a JSON kind or Go number type the way class-validator
// does.
func jsonKind(want string) string {
	switch want {
	case "string":
		return "a string"
	case "number", "float64", "float32", "int64", "int", "integer":
		return "a number"
	case "boolean", "bool":
		return "a boolean value"
	case "object":
		return "an object"
	case "array":
		return "an array"
	}
	return "of type " + want
}

// jsonType names the JSON type that a Go type decodes from.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean value"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Interface:
		return "an object"
	}
	return "of type " + t.String()
}
