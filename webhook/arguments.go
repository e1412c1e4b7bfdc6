package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/govapi/vapi"
)

// Arguments decodes the arguments of a tool call into a T, with
// encoding/json (so T's json tags say which member goes where):
//
//	type weatherArgs struct {
//		City string `json:"city"`
//	}
//	args, err := webhook.Arguments[weatherArgs](call)
//
// Vapi sends the arguments as the OpenAI API does, a string holding a JSON
// object ("{\"city\":\"Paris\"}"), and in some messages as the JSON object
// itself; both decode the same. No arguments at all (an empty string, or
// null) decode to T's zero value. Arguments that are not JSON, or do not fit
// T, are an error naming the call; returned from a HandleTool function, it
// becomes that call's error, which tells the model what was wrong.
func Arguments[T any](call vapi.ToolCall) (T, error) {
	var v T
	raw := bytes.TrimSpace(argumentsJSON(call))
	if len(raw) > 0 && raw[0] == '"' {
		// A string holding JSON, itself encoded as JSON once more.
		var inner string
		if err := json.Unmarshal(raw, &inner); err != nil {
			return v, argumentsError(call, err)
		}
		raw = bytes.TrimSpace([]byte(inner))
	}
	if len(raw) == 0 || string(raw) == "null" {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, argumentsError(call, err)
	}
	return v, nil
}

// argumentsJSON returns the JSON text of the call's arguments.
func argumentsJSON(call vapi.ToolCall) []byte {
	return []byte(call.Function.Arguments)
}

func argumentsError(call vapi.ToolCall, err error) error {
	return fmt.Errorf("webhook: the arguments of %s (call %s) do not decode: %w", strconv.Quote(call.Function.Name), strconv.Quote(call.ID), err)
}
