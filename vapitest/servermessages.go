package vapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govapi/vapi"
)

// SendServerMessage sends msg to a server URL as Vapi does: a POST of
// {"message": <msg>} to url, authenticated as the [WithWebhookSecret] and
// [WithWebhookHMAC] options given for that exact URL say (all of them,
// when there are several), and unsigned when there is none. It returns the
// body of the answer when the status is 2xx; any other status, a network
// error, an answer larger than 8 MiB, or a message that does not encode,
// is an error. The delivery is recorded in [Server.WebhookDeliveries], with
// type msg's "type".
//
// msg is sent as it marshals: set the members the receiver reads (for a
// tool-calls message, toolCallList). ctx bounds the delivery, which also
// has the 10 seconds limit of every delivery.
//
//	answer, err := srv.SendServerMessage(ctx, receiver.URL, &vapi.ServerMessageToolCalls{
//		ToolCallList: []vapi.ToolCall{{ID: "call_1", Type: "function", Function: ...}},
//	})
func (s *Server) SendServerMessage(ctx context.Context, url string, msg vapi.ServerMessage) ([]byte, error) {
	if msg == nil {
		return nil, errors.New("vapitest: SendServerMessage: the message is nil")
	}
	raw, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("vapitest: SendServerMessage: the message does not encode: %w", err)
	}
	return s.sendMessage(ctx, url, raw)
}

// sendMessage posts the message raw (its JSON) to url and returns the
// answer of a 2xx.
func (s *Server) sendMessage(ctx context.Context, url string, raw []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("vapitest: sending to %s: %w", url, err)
	}
	var typed struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &typed) // a message without a type is sent as it is
	body := make([]byte, 0, len(raw)+len(`{"message":}`))
	body = append(append(append(body, `{"message":`...), raw...), '}')

	w := s.cfg.webhooks
	d := w.send(ctx, url, w.targetsFor(url), webhookMessage{typ: typed.Type, body: body})
	if d.Err != nil {
		return nil, d.Err
	}
	return bytes.Clone(d.Response), nil
}
