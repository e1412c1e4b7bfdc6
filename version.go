package vapi

// Version is the version of this SDK. It is sent in the User-Agent header of
// every request as "vapi-go/" + Version.
const Version = "0.1.0"

// userAgent is the SDK's own User-Agent; WithUserAgent appends to it.
const userAgent = "vapi-go/" + Version
