package spec

// Table is the one place where the generator (and the spec-driven test
// generator) is told what the spec does not say, or says in a way Go cannot
// use directly. Everything else is derived from the spec.
type Table struct {
	// Roots are the four Sessions bodies; the closure of these is generated.
	Roots []string
	// RequestRoots are the request bodies: structs reachable from them get
	// validation.
	RequestRoots []string
	// TypeNames renames schemas whose spec names are not what Go users
	// should type.
	TypeNames map[string]string
	// Names names inline enums and unions by one of their sites
	// ("Parent.prop" or "Parent.prop[]" for array items), where the default
	// (parent without Create/DTO + property) reads badly.
	Names map[string]string
	// DiscValues gives discriminator values the spec leaves undeclared
	// ("Schema.property" → value): chat messages by role, hooks by on,
	// smart-endpointing plans by provider.
	DiscValues map[string]string
	// Catalogues are enum properties that are vendor catalogues (models,
	// voices, languages): they get named constants but are not checked, so
	// an older SDK never blocks a value the API already serves. A bare
	// property name applies to every schema; "Schema.property" to one.
	Catalogues map[string]bool
	// Ambiguous settles unions whose alternatives share a discriminator
	// value, by another member of the object (site → rules).
	Ambiguous map[string]Ambiguity
}

// Overrides is the override table of this SDK.
var Overrides = Table{
	Roots:        []string{"CreateSessionDTO", "UpdateSessionDTO", "Session", "SessionPaginatedResponse"},
	RequestRoots: []string{"CreateSessionDTO", "UpdateSessionDTO"},
	TypeNames: map[string]string{
		"CreateSessionDTO":         "CreateSessionRequest",
		"UpdateSessionDTO":         "UpdateSessionRequest",
		"SessionPaginatedResponse": "SessionPage",
	},
	Names: map[string]string{
		"CreateAssistantDTO.voice":                               "Voice",
		"CreateAssistantDTO.transcriber":                         "Transcriber",
		"CreateAssistantDTO.model":                               "Model",
		"CreateAssistantDTO.credentials[]":                       "Credential",
		"CreateAssistantDTO.observabilityPlan":                   "ObservabilityPlan",
		"CreateAssistantDTO.transportConfigurations[]":           "TransportConfiguration",
		"CreateAssistantDTO.voicemailDetection":                  "VoicemailDetection",
		"Session.messages[]":                                     "ChatMessage",
		"Session.costs[]":                                        "Cost",
		"AnthropicModel.tools[]":                                 "Tool",
		"AnthropicModel.knowledgeBase":                           "ModelKnowledgeBase",
		"PaginationMeta.sortOrder":                               "SortOrder",
		"CreateApiRequestToolDTO.messages[]":                     "ToolStatusMessage",
		"FallbackPlan.voices[]":                                  "FallbackVoice",
		"FallbackTranscriberPlan.transcribers[]":                 "FallbackTranscriber",
		"ConversationNode.model":                                 "WorkflowModel",
		"CallHookAssistantSpeechInterrupted.do[]":                "HookAction",
		"CallHookCallEnding.do[]":                                "CallEndingHookAction",
		"SessionCreatedHook.do[]":                                "SessionCreatedHookAction",
		"PhoneNumberHookCallRinging.do[]":                        "PhoneNumberHookAction",
		"ImportTwilioPhoneNumberDTO.hooks[]":                     "PhoneNumberHook",
		"WorkflowUserEditable.hooks[]":                           "WorkflowHook",
		"WorkflowUserEditable.nodes[]":                           "WorkflowNode",
		"TransferDestinationAssistant.message":                   "TransferMessage",
		"ImportTwilioPhoneNumberDTO.fallbackDestination":         "NumberOrSIPDestination",
		"CreateTransferCallToolDTO.destinations[]":               "TransferDestination",
		"CreateHandoffToolDTO.destinations[]":                    "HandoffDestination",
		"SquadMemberDTO.assistantDestinations[]":                 "SquadAssistantDestination",
		"HandoffDestinationAssistant.contextEngineeringPlan":     "ContextEngineeringPlan",
		"TransferPlan.contextEngineeringPlan":                    "TransferContextEngineeringPlan",
		"GroupCondition.conditions[]":                            "ToolRejectionCondition",
		"StartSpeakingPlan.smartEndpointingPlan":                 "SmartEndpointingPlan",
		"StartSpeakingPlan.customEndpointingRules[]":             "CustomEndpointingRule",
		"CompliancePlan.recordingConsentPlan":                    "RecordingConsentPlan",
		"CustomMessage.contents[]":                               "MessageContent",
		"CreateCustomCredentialDTO.authenticationPlan":           "AuthenticationPlan",
		"CreateAnthropicBedrockCredentialDTO.authenticationPlan": "BedrockAuthenticationPlan",
		"CreateCustomCredentialDTO.encryptionPlan":               "EncryptionPlan",
		"PublicKeyEncryptionPlan.publicKey":                      "PublicKeyConfig",
		"FormatPlan.replacements[]":                              "Replacement",
		"ScorecardMetric.conditions[]":                           "ScorecardCondition",
		"SayHookAction.exact":                                    "SayExact",
		"SayHookAction.prompt":                                   "SayPrompt",
		"CartesiaExperimentalControls.speed":                     "CartesiaSpeed",
		"VapiVoice.version":                                      "VapiVoiceVersion",
		"StartSpeakingPlan.smartEndpointingEnabled":              "SmartEndpointingEnabled",
		"CreateSipRequestToolDTO.body":                           "SIPRequestBody",
		"GladiaCustomVocabularyConfigDTO.vocabulary[]":           "GladiaVocabularyEntry",
	},
	DiscValues: map[string]string{
		"SystemMessage.role":                                  "system",
		"UserMessage.role":                                    "user",
		"BotMessage.role":                                     "bot",
		"ToolCallMessage.role":                                "tool_calls",
		"ToolCallResultMessage.role":                          "tool_call_result",
		"CallHookCustomerSpeechTimeout.on":                    "customer.speech.timeout",
		"VapiSmartEndpointingPlan.provider":                   "vapi",
		"LivekitSmartEndpointingPlan.provider":                "livekit",
		"CustomEndpointingModelSmartEndpointingPlan.provider": "custom-endpointing-model",
	},
	Ambiguous: map[string]Ambiguity{
		// Both are type "comparator"; the kind of "value" tells them apart.
		"ScorecardMetric.conditions[]": {
			Rules:    []TieRule{{Member: "value", Kind: 't', Alt: "BooleanComparatorScorecardMetricCondition"}},
			Fallback: "NumberComparatorScorecardMetricCondition",
		},
		// Both are type "assistant"; only a transfer has a mode or a message.
		"SquadMemberDTO.assistantDestinations[]": {
			Rules: []TieRule{
				{Member: "transferMode", Alt: "TransferDestinationAssistant"},
				{Member: "message", Alt: "TransferDestinationAssistant"},
			},
			Fallback: "HandoffDestinationAssistant",
		},
	},
	Catalogues: map[string]bool{
		"model": true, "voiceId": true, "language": true, "languages": true,
	},
}

// Ambiguity says how to choose between alternatives that share a
// discriminator value.
type Ambiguity struct {
	Rules    []TieRule
	Fallback string // schema name
}

// TieRule picks Alt (a schema name) when the object has Member, of the
// given JSON kind ('t' boolean, '"' string, '0' number, '{', '['), or of
// any kind when Kind is 0.
type TieRule struct {
	Member string
	Kind   byte
	Alt    string
}
