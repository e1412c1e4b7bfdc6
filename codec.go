package vapi

import (
	"reflect"
	"unsafe"

	"github.com/govapi/vapi/internal/jsonwire"
)

// Hand-written code that reads with a jsonwire.Decoder (the streams) decodes
// the generated types through these, on the engine's plans.

// decode reads one chat stream event from d.
func (x *ChatStreamEvent) decode(d *jsonwire.Decoder) {
	planOf(reflect.TypeFor[ChatStreamEvent]()).decode(d, unsafe.Pointer(x))
}

// decodeResponseStreamEvent reads one event of a streamed response from d.
func decodeResponseStreamEvent(d *jsonwire.Decoder) ResponseStreamEvent {
	var ev ResponseStreamEvent
	unionCodecOf[ResponseStreamEvent](&unionResponseStreamEvent).decode(d, unsafe.Pointer(&ev))
	return ev
}

// encodeRaw writes the JSON kept for a union alternative the SDK does not
// know, after checking that it is exactly one JSON value (an object with
// disc, when disc is not ""); otherwise it records the error and writes
// null, so bytes are never spliced into a body unchecked.
func encodeRaw(e *jsonwire.Encoder, raw []byte, disc string) {
	if err := jsonwire.Valid(raw, disc); err != nil {
		e.Fail(err)
		e.Null()
		return
	}
	e.Raw(raw)
}

// marshalRaw is MarshalJSON of the Unknown… types.
func marshalRaw(raw []byte, disc string) ([]byte, error) {
	if err := jsonwire.Valid(raw, disc); err != nil {
		return nil, err
	}
	return raw, nil
}
