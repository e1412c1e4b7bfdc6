// Package vapi is a Go client for Vapi's Sessions API.
//
// A session groups a conversation's chats and calls under one assistant or
// squad, with its messages, customer, phone number, costs and artifacts.
// Create a [Client] with [NewClient] and use [Client.Sessions] to create,
// read, list, update and delete sessions.
//
// Every request and response body is a typed Go value generated from Vapi's
// published OpenAPI description. Requests are validated before they are sent,
// calls are retried on transient failures, and failures are reported as
// [*APIError] or [*ValidationError].
package vapi

//go:generate go run ./internal/gen -spec ../shared/spec/vapi-openapi.json -out .
