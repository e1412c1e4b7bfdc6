package vapi

// String returns a pointer to v, for optional string fields.
func String(v string) *string { return &v }

// Float64 returns a pointer to v, for optional number fields.
func Float64(v float64) *float64 { return &v }

// Int returns a pointer to v, for optional integer fields such as the Page
// and Limit of list parameters.
func Int(v int) *int { return &v }

// Bool returns a pointer to v, for optional boolean fields.
func Bool(v bool) *bool { return &v }

// Ptr returns a pointer to v, for optional fields of any type.
func Ptr[T any](v T) *T { return &v }
