package webhook

import (
	"errors"
	"fmt"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/jsonwire"
)

// ErrMalformedBody is wrapped by the error Parse returns for a body that is
// not a JSON object with a "message" member holding an object with a string
// "type".
var ErrMalformedBody = errors.New("webhook: malformed body")

// Parse decodes the body of a request Vapi sent to a server URL,
// {"message": {...}}, into the message it carries: one type per message
// type of the spec's ServerMessage union (29 of them: a
// *vapi.ServerMessageToolCalls for "tool-calls", a
// *vapi.ServerMessageAssistantRequest for "assistant-request", a
// *vapi.ServerMessageEndOfCallReport for "end-of-call-report", a
// *vapi.ServerMessageStatusUpdate, the session and chat lifecycle
// messages, ...), or a *vapi.UnknownServerMessage (its type and raw JSON)
// for a type newer than the SDK. Read it with a type switch.
//
// Parse does not authenticate anything: call [Verify] first, or use
// [NewHandler] or [NewRouter], which do both in the right order.
//
// A body that is not a JSON object, that has no "message" member or more
// than one, or whose message has no string "type", is an error wrapping
// ErrMalformedBody; so is a session or chat lifecycle message without its
// "session" or "chat" object, and a message whose members do not decode
// into their types. The body is read once to find the message, which is
// then decoded once.
func Parse(body []byte) (vapi.ServerMessage, error) {
	raw, err := messageOf(body)
	if err != nil {
		return nil, err
	}
	msg, err := vapi.UnmarshalServerMessage(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: message: %w", ErrMalformedBody, err)
	}
	var required, typ string // the member a typed message cannot do without
	switch m := msg.(type) {
	case *vapi.UnknownServerMessage:
		// The decoder keeps what it does not know; a message without a
		// type is not something Vapi sends.
		if m.Type == "" && kindOf(raw, "type") != '"' {
			return nil, fmt.Errorf("%w: the message has no string \"type\"", ErrMalformedBody)
		}
	case *vapi.ServerMessageSessionCreated:
		required, typ = "session", "session.created"
	case *vapi.ServerMessageSessionUpdated:
		required, typ = "session", "session.updated"
	case *vapi.ServerMessageSessionDeleted:
		required, typ = "session", "session.deleted"
	case *vapi.ServerMessageChatCreated:
		required, typ = "chat", "chat.created"
	case *vapi.ServerMessageChatDeleted:
		required, typ = "chat", "chat.deleted"
	}
	if required != "" && kindOf(raw, required) != '{' {
		return nil, fmt.Errorf("%w: the %s message has no %q object", ErrMalformedBody, typ, required)
	}
	return msg, nil
}

// messageOf returns the bytes of the body's "message" member, checking the
// syntax of the whole body on the way.
func messageOf(body []byte) ([]byte, error) {
	d := jsonwire.NewDecoder(body)
	if d.Kind() != '{' {
		if d.Err() == nil && d.Kind() == 0 {
			return nil, fmt.Errorf("%w: empty body", ErrMalformedBody)
		}
		return nil, fmt.Errorf("%w: the body is not a JSON object", ErrMalformedBody)
	}
	d.Object()
	var raw []byte
	found := false
	for n := 0; d.Field(n); n++ {
		if string(d.Key()) != "message" {
			d.Skip()
			continue
		}
		if found {
			return nil, fmt.Errorf("%w: the body has more than one \"message\"", ErrMalformedBody)
		}
		found = true
		if d.Kind() != '{' {
			if d.Err() == nil {
				return nil, fmt.Errorf("%w: \"message\" is not an object", ErrMalformedBody)
			}
			break
		}
		raw = d.Raw()
	}
	if err := d.End(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedBody, err)
	}
	if !found {
		return nil, fmt.Errorf("%w: the body has no \"message\"", ErrMalformedBody)
	}
	return raw, nil
}

// kindOf returns the kind of the message's member named key, as
// jsonwire.Decoder.Kind spells it ('{', '"', ...), or 0 when there is none.
func kindOf(msg []byte, key string) byte {
	d := jsonwire.NewDecoder(msg)
	return d.PeekKind(key)
}
