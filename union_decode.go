package vapi

import "github.com/govapi/vapi/internal/jsonwire"

// The services decode a union answer with unmarshal<Union>. These are
// written by hand over today's generated decoders until the generator
// emits them for every union (see /work/notes/services-requests.md); they
// keep UnmarshalServerMessage's contract: one JSON object, wholly read.

func unmarshalPhoneNumberPaginatedResponseResult(data []byte) (PhoneNumberPaginatedResponseResult, error) {
	d := jsonwire.NewDecoder(data)
	if d.Kind() != '{' {
		d.Object()
		return nil, d.Err()
	}
	v := decodePhoneNumberPaginatedResponseResult(&d)
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}
