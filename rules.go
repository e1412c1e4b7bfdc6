package vapi

// Rules the spec states only in prose, which validation checks besides the
// schema's constraints. The generated Validate methods call them.

// checkChatContext checks what a chat request says about its context: "sessionId
// and previousChatId are mutually exclusive", and a session is tied to its
// assistant or squad, so sessionId excludes assistantId, assistant, squadId
// and squad.
func (x *CreateChatRequest) checkChatContext(v *validator) {
	checkChatContext(v, x.SessionID, x.PreviousChatID, x.AssistantID, x.SquadID, x.Assistant != nil, x.Squad != nil)
}

// checkChatContext checks the same rules for the OpenAI-compatible request.
func (x *OpenAIResponsesRequest) checkChatContext(v *validator) {
	checkChatContext(v, x.SessionID, x.PreviousChatID, x.AssistantID, x.SquadID, x.Assistant != nil, x.Squad != nil)
}

func checkChatContext(v *validator, sessionID, previousChatID, assistantID, squadID *string, assistant, squad bool) {
	if sessionID == nil {
		return
	}
	if previousChatID != nil {
		v.failAt("previousChatId", "must not be set with sessionId: a chat continues a session or a previous chat, not both")
	}
	for _, f := range []struct {
		key string
		set bool
	}{
		{"assistantId", assistantID != nil},
		{"assistant", assistant},
		{"squadId", squadID != nil},
		{"squad", squad},
	} {
		if f.set {
			v.failAt(f.key, "must not be set with sessionId: the session already has its assistant or squad")
		}
	}
}
