package vapitest

import (
	"slices"
	"time"

	"github.com/govapi/vapi"
)

// The server messages of a call's lifecycle: each status a call gets is a
// status-update message, and its end also an end-of-call-report, delivered
// to the server URL the call resolves to before the request or method
// that changed it returns. See [Server.SetCallStatus] for what is sent.

// defaultServerMessages is what an assistant sends when its serverMessages
// is not set. The spec's description of CreateAssistantDTO.serverMessages:
// "Default is conversation-update,end-of-call-report,function-call,hang,
// speech-update,status-update,tool-calls,transfer-destination-request,
// handoff-destination-request,user-interrupted,assistant.started."
var defaultServerMessages = []string{
	"conversation-update", "end-of-call-report", "function-call", "hang",
	"speech-update", "status-update", "tool-calls", "transfer-destination-request",
	"handoff-destination-request", "user-interrupted", "assistant.started",
}

// callContext is what the messages of one call carry besides the call, and
// where they go.
type callContext struct {
	assistant   map[string]any // the assistant the call runs, overrides applied; nil for none
	phoneNumber any            // the call's phone number: inline, or the stored one
	customer    any            // the call's inline customer
	urls        []string       // where its messages go; none: nowhere
	wanted      []string       // the message types the assistant asks for
}

// callMessage is the JSON of a status-update or end-of-call-report
// message, in the order Vapi writes its members. Every value comes from
// the stored call (or the resources it names), as served.
type callMessage struct {
	Type        string `json:"type"`
	Status      string `json:"status,omitempty"`
	EndedReason any    `json:"endedReason,omitempty"`
	Cost        any    `json:"cost,omitempty"`
	Costs       any    `json:"costs,omitempty"`
	Destination any    `json:"destination,omitempty"`
	Timestamp   int64  `json:"timestamp"`
	Artifact    any    `json:"artifact,omitempty"`
	Analysis    any    `json:"analysis,omitempty"`
	StartedAt   any    `json:"startedAt,omitempty"`
	EndedAt     any    `json:"endedAt,omitempty"`
	Compliance  any    `json:"compliance,omitempty"`
	Assistant   any    `json:"assistant,omitempty"`
	Customer    any    `json:"customer,omitempty"`
	PhoneNumber any    `json:"phoneNumber,omitempty"`
	Call        any    `json:"call"`
}

// callStatusChanged is the one place a call's status changes are seen:
// it is called under the lock each time a call gets a status (queued at
// its creation, then each change made by SetCallStatus or EndCall), with
// the call as stored after the change, and returns the messages to deliver
// before the request or the method returns: a status-update, and, when
// the call has ended, an end-of-call-report, each to every URL of the
// call's server and only when the call's assistant asks for it.
func (s *Server) callStatusChanged(rec *record, _, to vapi.CallStatus, now time.Time) []webhookMessage {
	cc := s.callContext(rec.obj)
	if len(cc.urls) == 0 {
		return nil
	}
	call := rec.obj
	base := callMessage{
		Timestamp: now.UnixMilli(), Call: call, Assistant: cc.assistantValue(),
		Customer: cc.customer, PhoneNumber: cc.phoneNumber,
		Destination: call["destination"],
	}
	// ended, not-found and deletion-failed end a call: it has endedAt,
	// endedReason, cost and artifact (see endCall).
	ended := callStatusRank[to] == callStatusRank[vapi.CallStatusEnded]
	var msgs []callMessage
	if slices.Contains(cc.wanted, "status-update") {
		m := base
		m.Type, m.Status = "status-update", string(to)
		if ended {
			// "This is only sent if the status is "ended"."
			m.EndedReason = call["endedReason"]
			m.Artifact = call["artifact"]
		}
		msgs = append(msgs, m)
	}
	if ended && slices.Contains(cc.wanted, "end-of-call-report") {
		m := base
		m.Type = "end-of-call-report"
		m.EndedReason, m.Cost, m.Costs = call["endedReason"], call["cost"], call["costs"]
		m.Artifact, m.Compliance = call["artifact"], call["compliance"]
		m.StartedAt, m.EndedAt = call["startedAt"], call["endedAt"]
		// analysis is required in the report; a call the fake has not
		// analysed has an empty one, which claims nothing.
		m.Analysis = call["analysis"]
		if m.Analysis == nil {
			m.Analysis = map[string]any{}
		}
		msgs = append(msgs, m)
	}
	var out []webhookMessage
	for _, m := range msgs {
		body := mustJSON(map[string]any{"message": m})
		for _, url := range cc.urls {
			out = append(out, webhookMessage{typ: m.Type, body: body, url: url})
		}
	}
	return out
}

// assistantValue is the assistant as a message member: nil (omitted) when
// the call has none.
func (cc *callContext) assistantValue() any {
	if cc.assistant == nil {
		return nil
	}
	return cc.assistant
}

// callContext resolves, under the lock, the assistant a call runs, its
// phone number and customer, and the server URL its messages go to.
//
// The URL follows the precedence the spec states for the server of a
// ServerMessage: "The server where the message is sent is determined by
// the following precedence order: 1. `tool.server.url` (if configured, and
// only for "tool-calls" message) 2. `assistant.serverUrl` (if configure)
// 3. `phoneNumber.serverUrl` (if configured) 4. `org.serverUrl` (if
// configured)" (ServerMessage.message), which AssistantOverrides.server
// repeats for an assistant overridden by a call. So: the server.url of the
// call's assistant with its overrides applied (the call's inline assistant,
// else the stored one its assistantId names, else the first member of its
// squad), else that of its phone number (inline, else the stored one its
// phoneNumberId names), else the org's, which for this fake are the URLs
// given with [WithWebhookSecret] and [WithWebhookHMAC] (each once), as
// for the session and chat messages. A call has no server of its own: the
// API refuses a "server" member in POST /call.
func (s *Server) callContext(call map[string]any) callContext {
	var cc callContext
	cc.assistant = s.callAssistant(call)
	cc.customer = call["customer"]
	if pn, ok := call["phoneNumber"].(map[string]any); ok {
		cc.phoneNumber = pn
	} else if id, ok := call["phoneNumberId"].(string); ok {
		if rec := s.storedRecord("/phone-number", id); rec != nil {
			cc.phoneNumber = rec.obj
		}
	}
	switch {
	case serverURL(cc.assistant) != "":
		cc.urls = []string{serverURL(cc.assistant)}
	case serverURL(cc.phoneNumber) != "":
		cc.urls = []string{serverURL(cc.phoneNumber)}
	default:
		for _, t := range s.cfg.webhooks.targets {
			if !slices.Contains(cc.urls, t.url) {
				cc.urls = append(cc.urls, t.url)
			}
		}
	}
	cc.wanted = defaultServerMessages
	if list, ok := cc.assistant["serverMessages"].([]any); ok {
		cc.wanted = make([]string, 0, len(list))
		for _, v := range list {
			if v, ok := v.(string); ok {
				cc.wanted = append(cc.wanted, v)
			}
		}
	}
	return cc
}

// callAssistant is the assistant the call starts with, as a new map (the
// stored ones are shared and never changed): the inline assistant, or the
// stored assistant of assistantId, with the call's assistantOverrides;
// or the first member of the inline squad, or of the stored squad of
// squadId, with that member's assistantOverrides, the squad's
// membersOverrides and the call's squadOverrides, in that order. It is nil
// when there is none (or it names an assistant the server does not hold).
func (s *Server) callAssistant(call map[string]any) map[string]any {
	if a := s.assistantOf(call["assistant"], call["assistantId"]); a != nil {
		return withOverrides(a, call["assistantOverrides"])
	}
	squad, _ := call["squad"].(map[string]any)
	if id, ok := call["squadId"].(string); ok && squad == nil {
		if rec := s.storedRecord("/squad", id); rec != nil {
			squad = rec.obj
		}
	}
	members, _ := squad["members"].([]any)
	if len(members) == 0 {
		return nil
	}
	first, _ := members[0].(map[string]any)
	a := s.assistantOf(first["assistant"], first["assistantId"])
	if a == nil {
		return nil
	}
	a = withOverrides(a, first["assistantOverrides"])
	a = withOverrides(a, squad["membersOverrides"])
	return withOverrides(a, call["squadOverrides"])
}

// assistantOf is an inline assistant, else the stored one id names, as a
// copy.
func (s *Server) assistantOf(inline, id any) map[string]any {
	if a, ok := inline.(map[string]any); ok {
		return cloneObj(a)
	}
	if id, ok := id.(string); ok {
		if rec := s.storedRecord("/assistant", id); rec != nil {
			return cloneObj(rec.obj)
		}
	}
	return nil
}

// withOverrides sets on a the members of overrides (an AssistantOverrides),
// as Vapi applies them: each member replaces the assistant's. Its
// variableValues and tools:append fill templates and tools, not members of
// the assistant, and are left out.
func withOverrides(a map[string]any, overrides any) map[string]any {
	o, _ := overrides.(map[string]any)
	for k, v := range o {
		if k != "variableValues" && k != "tools:append" {
			a[k] = v
		}
	}
	return a
}

// serverURL is the server.url of an assistant or phone number.
func serverURL(v any) string {
	m, _ := v.(map[string]any)
	server, _ := m["server"].(map[string]any)
	url, _ := server["url"].(string)
	return url
}

// storedRecord is the top-level resource id of store, nil when the server
// holds none. It is called under the lock.
func (s *Server) storedRecord(store, id string) *record {
	if rec := s.stores[store][id]; rec != nil && rec.scope == "" {
		return rec
	}
	return nil
}
