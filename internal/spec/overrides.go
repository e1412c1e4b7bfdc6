package spec

// Table is the one place where the generator (and the spec-driven test
// generator) is told what the spec does not say, or says in a way Go cannot
// use directly. Everything else is derived from the spec.
type Table struct {
	// Roots are the bodies of the operations the SDK calls (Sessions and
	// Chats) and the webhook messages it types; the closure of these, and
	// of the alternatives of Unions, is generated.
	Roots []string
	// All generates every schema of the spec, not only the roots' closure.
	All bool
	// RequestRoots are the request bodies: structs reachable from them get
	// validation.
	RequestRoots []string
	// TypeNames names schemas whose Go name is not the naming rules' (the
	// request bodies of the SDK's own methods, and the few schemas that the
	// rules would give one name).
	TypeNames map[string]string
	// Unions are unions the SDK declares where the spec has none it can use:
	// the webhook messages it types (the spec's union lists every server
	// message), and the events of a streamed response.
	Unions []Union
	// AltNames renames the scalar alternatives of unions, by their default
	// name (union name + String, Number, Bool or List).
	AltNames map[string]string
	// Docs describe schemas that the spec leaves without a description
	// where the SDK's users meet them first.
	Docs map[string]string
	// Checks names, by schema, a hand-written method that validation calls
	// for rules the spec states only in prose.
	Checks map[string]string
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
	// value, by another member of the object (site → rules; "site#value"
	// for the alternatives sharing that one value). A union with no
	// discriminator at all is told apart by its site's rules alone.
	Ambiguous map[string]Ambiguity
	// DiscPrefixes are discriminators ("Schema.property") whose value may
	// carry options, value[name=…]: the struct keeps the property as a
	// field, and decoding matches the value before the bracket.
	DiscPrefixes map[string]bool
	// AddProps are properties that Vapi sends and accepts but the schema
	// leaves out ("Schema.property" → its JSON schema): chat messages in
	// the OpenAI form carry content where the transcript form carries
	// message.
	AddProps map[string]string
	// NotRequired are properties the schema requires that Vapi sends and
	// accepts without ("Schema.property").
	NotRequired map[string]bool
	// Timestamps are property names that hold a point in time the spec
	// types as a number (milliseconds) and Vapi also sends as an RFC 3339
	// string: they are Timestamps.
	Timestamps map[string]bool
	// JSONText are string properties that hold JSON text, which Vapi also
	// sends as the JSON value itself ("Schema.property"): decoding takes
	// both and marshalling writes back the form that came.
	JSONText map[string]bool
	// Untyped are sites ("Schema.property") whose oneOf no member of the
	// object can tell apart and that are kept as any JSON value.
	Untyped map[string]bool
}

// Overrides is the override table of this SDK.
var Overrides = Table{
	All: true,
	Roots: []string{
		"CreateSessionDTO", "UpdateSessionDTO", "Session", "SessionPaginatedResponse",
		"CreateChatDTO", "Chat", "ChatPaginatedResponse", "CreateChatStreamResponse",
		"OpenAIResponsesRequest", "ResponseObject",
	},
	RequestRoots: []string{"CreateSessionDTO", "UpdateSessionDTO", "CreateChatDTO", "OpenAIResponsesRequest"},
	TypeNames: map[string]string{
		// The request bodies of the SDK's methods: <Verb><Resource>Request.
		"CreateSessionDTO": "CreateSessionRequest",
		"CreateChatDTO":    "CreateChatRequest",
		// One event of a streamed chat.
		"CreateChatStreamResponse": "ChatStreamEvent",
		// The envelope of a webhook body; ServerMessage is the union of
		// what it carries.
		"ServerMessage": "ServerMessageBody",
		// The body of POST /analytics; AnalyticsQuery is one of its queries.
		"AnalyticsQueryDTO": "AnalyticsQueryRequest",
		// ImportTwilioPhoneNumberDTO is TwilioPhoneNumberConfig (the
		// contract's example), so the Create bodies of the same two
		// providers say what they make.
		"CreateTwilioPhoneNumberDTO": "TwilioPhoneNumberCreateConfig",
		"CreateVonagePhoneNumberDTO": "VonagePhoneNumberCreateConfig",
		// The bodies of operations that are neither a create nor an
		// update: <Verb><Resource>Request.
		"StructuredOutputRunDTO": "RunStructuredOutputRequest",
		"InsightRunDTO":          "RunInsightRequest",
	},
	Unions: []Union{
		{
			Name:    "ServerMessage",
			Doc:     "ServerMessage is a message Vapi sends to a server URL: the `message` member of a webhook body (spec schema ServerMessage). A message type newer than this SDK is an UnknownServerMessage that keeps its type and raw JSON.",
			Disc:    "type",
			Site:    "ServerMessage.message",
			Decoder: "UnmarshalServerMessage",
		},
		{
			Name: "ResponseStreamEvent",
			Doc:  "ResponseStreamEvent is one event of a streamed OpenAI-compatible response (POST /chat/responses with stream true).",
			Disc: "type",
			Alts: []string{"ResponseTextDeltaEvent", "ResponseTextDoneEvent", "ResponseCompletedEvent", "ResponseErrorEvent"},
		},
		// The spec titles the /phone-number operations' oneOf of these
		// "PhoneNumber", and no schema has that name.
		{
			Name: "PhoneNumber",
			Doc:  "PhoneNumber is a phone number as Vapi stores it, of one provider: the answer of PhoneNumbers.Create, Get, Update and Delete and an item of PhoneNumbers.List (the spec's oneOf titled PhoneNumber). Read it with a type switch; a provider newer than this SDK is an UnknownPhoneNumber that keeps its provider and raw JSON.",
			Disc: "provider",
			Site: "PhoneNumberPaginatedResponse.results[]",
		},
		// The operations' own unions, which no schema property holds. Tool
		// is the union of the create bodies (a property of the models
		// too), so the stored tools are a ToolResource.
		{
			Name: "ToolResource",
			Doc:  "ToolResource is a tool as Vapi stores it: the answer of Tools.Create, Get, Update and Delete and an item of Tools.List (GET /tool/{id} and the other /tool operations, whose answer the spec declares as a oneOf of the stored tool schemas). Read it with a type switch; a tool type newer than this SDK is an UnknownToolResource that keeps its type and raw JSON.",
			Disc: "type",
			Op:   "GET /tool/{id} response",
		},
		{
			Name: "UpdateToolRequest",
			Doc:  "UpdateToolRequest is the body of Tools.Update (PATCH /tool/{id}): the update of one kind of tool, which says its type.",
			Disc: "type",
			Op:   "PATCH /tool/{id} body",
		},
		{
			Name: "UpdatePhoneNumberRequest",
			Doc:  "UpdatePhoneNumberRequest is the body of PhoneNumbers.Update (PATCH /phone-number/{id}): the update of a phone number of one provider, which says its provider.",
			Disc: "provider",
			Op:   "PATCH /phone-number/{id} body",
		},
		{
			Name: "InsightResource",
			Doc:  "InsightResource is a reporting insight as Vapi stores it: the answer of Insights.Create, Get, Update and Delete (GET /reporting/insight/{id} and the other /reporting/insight operations, whose answer the spec declares as a oneOf of BarInsight, PieInsight, LineInsight and TextInsight). Read it with a type switch; an insight type newer than this SDK is an UnknownInsightResource that keeps its type and raw JSON.",
			Disc: "type",
			Op:   "GET /reporting/insight/{id} response",
		},
		{
			Name: "InsightConfig",
			Doc:  "InsightConfig is the body of Insights.Create and Insights.Preview (POST /reporting/insight and POST /reporting/insight/preview): an insight of one kind (bar, pie, line or text) over the call table.",
			Disc: "type",
			Op:   "POST /reporting/insight body",
		},
		{
			Name: "UpdateInsightRequest",
			Doc:  "UpdateInsightRequest is the body of Insights.Update (PATCH /reporting/insight/{id}): the update of an insight of one kind, which says its type.",
			Disc: "type",
			Op:   "PATCH /reporting/insight/{id} body",
		},
		{
			Name: "StructuredOutputRunResponse",
			Doc:  "StructuredOutputRunResponse is the answer of StructuredOutputs.Run (POST /structured-output/run): a *StructuredOutputRerunResponse (its message and workflow) when the run updates the calls, else a *StructuredOutputRunPreviewResponse, whose members besides skipped are the results keyed by structured output id (read them with UnknownMembers).",
			Op:   "POST /structured-output/run response",
		},
	},
	Docs: map[string]string{
		"Session":                            "Session groups a conversation's chats and calls under one assistant or squad, with its messages, customer, phone number, costs and artifacts.",
		"Chat":                               "Chat is one exchange of a conversation: the input sent, the output the assistant produced, and the session or previous chat it continues.",
		"StructuredOutputRunPreviewResponse": "StructuredOutputRunPreviewResponse is the answer of a preview run (POST /structured-output/run with previewEnabled): its members besides skipped are the results keyed by structured output id (StructuredOutputRunResult objects, which vapi.UnknownMembers returns), and Skipped the outputs whose conditions gated them.",
		"StructuredOutputRerunResponse":      "StructuredOutputRerunResponse is the answer of a run that updates the calls' artifacts (POST /structured-output/run without previewEnabled): a message and the workflow processing the rerun.",
		"PaginationMeta":                     "PaginationMeta describes a page of a list: its number, size, the total and how to ask for the next one.",
		"CreateChatStreamResponse":           "ChatStreamEvent is one event of a streamed chat: Delta is the next piece of the output text at Path, and ID the chat's id.",
	},
	Checks: map[string]string{
		// sessionId excludes previousChatId, and an assistant or squad.
		"CreateChatDTO":          "checkChatContext",
		"OpenAIResponsesRequest": "checkChatContext",
	},
	AltNames: map[string]string{
		"ChatInputString": "ChatInputText",
		"ChatInputList":   "ChatInputMessages",
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
		"CreateChatDTO.input":                                    "ChatInput",
		"Chat.costs[]":                                           "ChatCostItem",
		"TwilioSMSChatTransport.conversationType":                "ChatConversationType",
		"TwilioTransport.conversationType":                       "VoiceConversationType",
		"ServerMessageSessionCreated.phoneNumber":                "PhoneNumberConfig",
		"CartesiaExperimentalControls.speed":                     "CartesiaSpeed",
		"VapiVoice.version":                                      "VapiVoiceVersion",
		"StartSpeakingPlan.smartEndpointingEnabled":              "SmartEndpointingEnabled",
		"CreateSipRequestToolDTO.body":                           "SIPRequestBody",
		"GladiaCustomVocabularyConfigDTO.vocabulary[]":           "GladiaVocabularyEntry",
		"ToolCallResult.message":                                 "ToolCallResultSpokenMessage",
		"UpdateCampaignDTO.status":                               "CampaignStopStatus",
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
	DiscPrefixes: map[string]bool{
		// "customer.speech.timeout[timeoutSeconds=10]" is documented.
		"CallHookCustomerSpeechTimeout.on": true,
	},
	AddProps: map[string]string{
		"UserMessage.content":   `{"type":"string","description":"This is the content of the message, in the OpenAI form of a chat message."}`,
		"UserMessage.name":      `{"type":"string","description":"This is an optional name for the participant, in the OpenAI form."}`,
		"SystemMessage.content": `{"type":"string","description":"This is the content of the message, in the OpenAI form of a chat message."}`,
		"SystemMessage.name":    `{"type":"string","description":"This is an optional name for the participant, in the OpenAI form."}`,
		// Vapi's OpenAI-compatibility docs send the model, as OpenAI's
		// clients do; Vapi takes it and uses the assistant's.
		// Vapi's chat docs override the system prompt this way.
		"OpenAIModel.systemPrompt":     `{"type":"string","description":"This is a system prompt for the model, a shorthand Vapi's chat docs use in assistantOverrides."}`,
		"OpenAIResponsesRequest.model": `{"type":"string","description":"This is the model name an OpenAI client sends; Vapi uses the assistant's model."}`,
	},
	NotRequired: map[string]bool{
		// The OpenAI form of a message has content instead.
		"UserMessage.message": true, "UserMessage.time": true, "UserMessage.endTime": true, "UserMessage.secondsFromStart": true,
		"SystemMessage.message": true, "SystemMessage.time": true, "SystemMessage.secondsFromStart": true,
	},
	Timestamps: map[string]bool{"timestamp": true},
	JSONText: map[string]bool{
		"ToolCallFunction.arguments": true,
		"FunctionCall.arguments":     true,
	},
	Untyped: map[string]bool{
		// Vapi sends the function's JSON schema here, the spec an array.
		"FunctionToolWithToolCall.parameters": true,
		// The answer's shape depends on the message it answers; the
		// typed answers are ServerMessageResponse<X>.
		"ServerMessageResponse.messageResponse": true,
		// A number, a string, a boolean or null.
		"StructuredOutputEvaluationResult.extractedValue": true,
	},
	Ambiguous: map[string]Ambiguity{
		// No discriminator: only a rerun has a message (a preview's
		// members are structured output ids and skipped).
		"POST /structured-output/run response": {
			Rules:    []TieRule{{Member: "message", Kind: '"', Alt: "StructuredOutputRerunResponse"}},
			Fallback: "StructuredOutputRunPreviewResponse",
		},
		// Mocks and evaluations share a role; only an evaluation has a judge.
		"CreateEvalDTO.messages[]#assistant": {
			Rules:    []TieRule{{Member: "judgePlan", Alt: "ChatEvalAssistantMessageEvaluation"}},
			Fallback: "ChatEvalAssistantMessageMock",
		},
		"CreateEvalDTO.messages[]#tool": {
			Rules:    []TieRule{{Member: "judgePlan", Alt: "ChatEvalToolResponseMessageEvaluation"}},
			Fallback: "ChatEvalToolResponseMessageMock",
		},
		// All four are type "vapiql-json": the table, then the column.
		"BarInsight.queries[]": {
			Rules: []TieRule{
				{Member: "table", Values: []string{"events"}, Alt: "JSONQueryOnEventsTable"},
				{Member: "column", Values: []string{"id"}, Alt: "JSONQueryOnCallTableWithStringTypeColumn"},
				{Member: "column", Values: []string{"cost", "duration", "averageModelLatency", "averageVoiceLatency", "averageTranscriberLatency", "averageTurnLatency", "averageEndpointingLatency"}, Alt: "JSONQueryOnCallTableWithNumberTypeColumn"},
			},
			Fallback: "JSONQueryOnCallTableWithStructuredOutputColumn",
		},
		"PieInsight.queries[]": {
			Rules: []TieRule{
				{Member: "column", Values: []string{"id"}, Alt: "JSONQueryOnCallTableWithStringTypeColumn"},
				{Member: "column", Values: []string{"cost", "duration", "averageModelLatency", "averageVoiceLatency", "averageTranscriberLatency", "averageTurnLatency", "averageEndpointingLatency"}, Alt: "JSONQueryOnCallTableWithNumberTypeColumn"},
			},
			Fallback: "JSONQueryOnCallTableWithStructuredOutputColumn",
		},
		// No discriminator: the column, then the kind of the value.
		"JSONQueryOnCallTableWithNumberTypeColumn.filters[]": {
			Rules: []TieRule{
				{Member: "column", Values: []string{"artifact.structuredOutputs[OutputID]"}, Alt: "FilterStructuredOutputColumnOnCallTable"},
				{Member: "column", Values: []string{"startedAt", "endedAt"}, Alt: "FilterDateTypeColumnOnCallTable"},
				{Member: "value", Kind: '0', Alt: "FilterNumberTypeColumnOnCallTable"},
				{Member: "column", Values: []string{"duration", "cost", "averageModelLatency", "averageVoiceLatency", "averageTranscriberLatency", "averageTurnLatency", "averageEndpointingLatency"}, Alt: "FilterNumberArrayTypeColumnOnCallTable"},
				{Member: "value", Kind: '[', Alt: "FilterStringArrayTypeColumnOnCallTable"},
			},
			Fallback: "FilterStringTypeColumnOnCallTable",
		},
		"JSONQueryOnEventsTable.filters[]": {
			Rules: []TieRule{
				{Member: "value", Kind: '0', Alt: "EventsTableNumberCondition"},
				{Member: "value", Kind: 't', Alt: "EventsTableBooleanCondition"},
			},
			Fallback: "EventsTableStringCondition",
		},
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

// Union is a union the SDK declares: its Go name, doc comment,
// discriminator property and alternatives (schema names). Decoder, when set,
// names an exported function that decodes one value of it.
type Union struct {
	Name    string
	Doc     string
	Disc    string
	Alts    []string
	Decoder string
	// Site, when set, is the spec's union this declaration names
	// ("Schema.property"): its alternatives are the spec's, and Alts is
	// empty.
	Site string
	// Op, when set, is the operation whose body or 2xx answer is the
	// spec's oneOf this declaration names ("PATCH /tool/{id} body",
	// "GET /tool/{id} response"): its alternatives, and the discriminator
	// and its mapping where the spec gives them, are the spec's; Alts is
	// empty. An alternative written {allOf: [{$ref}, …]} is the schema
	// referenced. Ambiguous settles ties under the key Op.
	Op string
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
	// Values, when set, also requires Member to be a string among them.
	Values []string
}
