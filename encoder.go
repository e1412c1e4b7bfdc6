package vapi

import "github.com/govapi/vapi/internal/jsonwire"

// encoder is implemented by every generated type: it writes the value with
// jsonwire, so that nested values are encoded in one pass.
type encoder interface {
	encode(e *jsonwire.Encoder)
}
