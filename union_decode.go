package vapi

// The services decode a union answer with unmarshal<Union>, which keeps
// UnmarshalServerMessage's contract: one JSON object, wholly read, in one
// pass on the engine's plans.

func unmarshalPhoneNumberPaginatedResponseResult(data []byte) (PhoneNumberPaginatedResponseResult, error) {
	return unmarshalUnion[PhoneNumberPaginatedResponseResult](data, &unionPhoneNumberPaginatedResponseResult)
}
