package spec

// This file is the override table of the services: which Client field and
// which method call each operation of the spec. The spec's tags and
// operation ids do not give Go names (AssistantController_findAll,
// "Knowledge Bases V2"), so every operation is named here, once; the
// generator (internal/gen/services.go) derives everything else from the
// spec: path parameters, query parameters, bodies, responses, docs.

// Service is one field of vapi.Client: a service type <Field>Service.
type Service struct {
	// Field is the Client field, "Assistants"; the type is FieldService.
	Field string
	// Doc is the doc comment of the field and the type, after the name.
	Doc string
	// Hand marks a service written entirely by hand (Sessions, Chats):
	// the generator emits no type for it.
	Hand bool
}

// ServiceOp names the method that calls one operation.
type ServiceOp struct {
	Field  string // Client field of the service
	Method string // method name
	// ListAll, for a list, names the iterator over every item.
	ListAll string
	// Params names the Go type of the operation's query parameters.
	Params string
	// Hand: written by hand with the generated signature (ctx, path
	// parameters, body or params, opts); the generated test table calls
	// it like the generated ones.
	Hand bool
	// Special: written by hand with a signature of its own (streams,
	// uploads, downloads, Calls.Create/CreateBatch), tested by hand.
	Special bool
	// Unexposed: no method calls it.
	Unexposed bool
}

// Services are the Client's service fields, in the order of the struct.
var Services = []Service{
	{Field: "Sessions", Hand: true, Doc: "creates, reads, lists, updates and deletes sessions."},
	{Field: "Chats", Hand: true, Doc: "sends chat turns, whole or streamed, and reads, lists and deletes chats."},
	{Field: "Assistants", Doc: "creates, reads, lists, updates and deletes assistants: the configuration of a voice or chat agent (model, voice, transcriber, tools)."},
	{Field: "Squads", Doc: "creates, reads, lists, updates and deletes squads: sets of assistants that hand a conversation to one another."},
	{Field: "Calls", Doc: "starts calls (one or a batch), reads, lists, updates and deletes them, and downloads their recordings and logs."},
	{Field: "Campaigns", Doc: "creates, reads, lists, updates and deletes outbound call campaigns (the original /campaign endpoints)."},
	{Field: "CampaignsV2", Doc: "creates, reads, lists, updates and deletes outbound call campaigns through the /v2/campaign endpoints, and lists a campaign's contacts."},
	{Field: "PhoneNumbers", Doc: "imports or buys, reads, lists, updates and deletes phone numbers."},
	{Field: "Tools", Doc: "creates, reads, lists, updates and deletes the tools assistants can call."},
	{Field: "Files", Doc: "uploads, reads, lists, updates and deletes files (knowledge-base sources and attachments)."},
	{Field: "KnowledgeBases", Doc: "creates, reads, lists, updates and deletes knowledge bases (v2), and attaches, detaches and re-indexes their files."},
	{Field: "StructuredOutputs", Doc: "creates, reads, lists, updates and deletes structured outputs (data extracted from calls), and runs them."},
	{Field: "Evals", Doc: "creates, reads, lists, updates and deletes evals (scripted chat tests of an assistant), and runs them."},
	{Field: "Simulations", Doc: "creates, reads, lists, updates and deletes simulations (simulated calls against an assistant), and generates scenarios."},
	{Field: "SimulationPersonalities", Doc: "creates, reads, lists, updates and deletes the personalities simulated callers take on."},
	{Field: "SimulationScenarios", Doc: "creates, reads, lists, updates and deletes the scenarios simulations play."},
	{Field: "SimulationSuites", Doc: "creates, reads, lists, updates and deletes suites of simulations."},
	{Field: "SimulationRuns", Doc: "starts, reads, lists and cancels simulation runs, and reads and cancels their items."},
	{Field: "Insights", Doc: "creates, reads, lists, updates, deletes, runs and previews reporting insights (charts over calls)."},
	{Field: "Boards", Doc: "creates, reads, lists, updates and deletes reporting boards."},
	{Field: "Scorecards", Doc: "creates, reads, lists, updates and deletes observability scorecards."},
	{Field: "ProviderResources", Doc: "creates, reads, lists, updates and deletes resources kept at a provider (for example pronunciation dictionaries)."},
	{Field: "Analytics", Doc: "runs analytics queries over calls and subscriptions."},
}

// crud names the five operations of a plain resource at path: Create,
// List (with ListAll), Get, Update and Delete.
func crud(field, path, params string) map[string]ServiceOp {
	return map[string]ServiceOp{
		"POST " + path:             {Field: field, Method: "Create"},
		"GET " + path:              {Field: field, Method: "List", ListAll: "ListAll", Params: params},
		"GET " + path + "/{id}":    {Field: field, Method: "Get"},
		"PATCH " + path + "/{id}":  {Field: field, Method: "Update"},
		"DELETE " + path + "/{id}": {Field: field, Method: "Delete"},
	}
}

// ServiceOps maps every operation of the spec ("METHOD /path") to its
// method. The generator fails on an operation missing from it, and on an
// entry the spec does not have.
var ServiceOps = merge(
	crud("Assistants", "/assistant", "ListAssistantsParams"),
	crud("Squads", "/squad", "ListSquadsParams"),
	crud("Campaigns", "/campaign", "ListCampaignsParams"),
	crud("Tools", "/tool", "ListToolsParams"),
	crud("Scorecards", "/observability/scorecard", "ListScorecardsParams"),
	crud("SimulationPersonalities", "/eval/simulation/personality", "ListSimulationPersonalitiesParams"),
	crud("SimulationScenarios", "/eval/simulation/scenario", "ListSimulationScenariosParams"),
	crud("SimulationSuites", "/eval/simulation/suite", "ListSimulationSuitesParams"),
	crud("Simulations", "/eval/simulation", "ListSimulationsParams"),
	crud("Insights", "/reporting/insight", "ListInsightsParams"),
	crud("Boards", "/reporting/board", "ListBoardsParams"),
	crud("Evals", "/eval", "ListEvalsParams"),
	map[string]ServiceOp{
		"POST /session":                      {Field: "Sessions", Method: "Create", Hand: true},
		"GET /session":                       {Field: "Sessions", Method: "List", ListAll: "ListAll", Params: "ListSessionsParams", Hand: true},
		"GET /session/{id}":                  {Field: "Sessions", Method: "Get", Hand: true},
		"PATCH /session/{id}":                {Field: "Sessions", Method: "Update", Hand: true},
		"DELETE /session/{id}":               {Field: "Sessions", Method: "Delete", Hand: true},
		"POST /chat":                         {Field: "Chats", Method: "Create", Special: true},
		"POST /chat/responses":               {Field: "Chats", Method: "CreateResponse", Special: true},
		"GET /chat":                          {Field: "Chats", Method: "List", ListAll: "ListAll", Params: "ListChatsParams", Hand: true},
		"GET /chat/{id}":                     {Field: "Chats", Method: "Get", Hand: true},
		"DELETE /chat/{id}":                  {Field: "Chats", Method: "Delete", Hand: true},
		"POST /call":                         {Field: "Calls", Method: "Create", Special: true},
		"GET /call":                          {Field: "Calls", Method: "List", ListAll: "ListAll", Params: "ListCallsParams"},
		"GET /call/{id}":                     {Field: "Calls", Method: "Get"},
		"PATCH /call/{id}":                   {Field: "Calls", Method: "Update"},
		"DELETE /call/{id}":                  {Field: "Calls", Method: "Delete"},
		"GET /call/{id}/mono-recording":      {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/stereo-recording":    {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/video-recording":     {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/customer-recording":  {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/assistant-recording": {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/pcap":                {Field: "Calls", Method: "DownloadArtifact", Special: true},
		"GET /call/{id}/call-logs":           {Field: "Calls", Method: "DownloadArtifact", Special: true},

		"POST /v2/campaign":              {Field: "CampaignsV2", Method: "Create"},
		"GET /v2/campaign":               {Field: "CampaignsV2", Method: "List", ListAll: "ListAll", Params: "ListCampaignsV2Params"},
		"GET /v2/campaign/{id}":          {Field: "CampaignsV2", Method: "Get", Params: "GetCampaignParams"},
		"PATCH /v2/campaign/{id}":        {Field: "CampaignsV2", Method: "Update"},
		"DELETE /v2/campaign/{id}":       {Field: "CampaignsV2", Method: "Delete"},
		"GET /v2/campaign/{id}/contacts": {Field: "CampaignsV2", Method: "ListContacts", ListAll: "ListAllContacts", Params: "ListCampaignContactsParams"},

		"POST /phone-number":        {Field: "PhoneNumbers", Method: "Create"},
		"GET /phone-number":         {Field: "PhoneNumbers", Unexposed: true},
		"GET /v2/phone-number":      {Field: "PhoneNumbers", Method: "List", ListAll: "ListAll", Params: "ListPhoneNumbersParams"},
		"GET /phone-number/{id}":    {Field: "PhoneNumbers", Method: "Get"},
		"PATCH /phone-number/{id}":  {Field: "PhoneNumbers", Method: "Update"},
		"DELETE /phone-number/{id}": {Field: "PhoneNumbers", Method: "Delete"},

		"POST /file":        {Field: "Files", Method: "Upload", Special: true},
		"GET /file":         {Field: "Files", Method: "List", Params: "ListFilesParams"},
		"GET /file/{id}":    {Field: "Files", Method: "Get"},
		"PATCH /file/{id}":  {Field: "Files", Method: "Update"},
		"DELETE /file/{id}": {Field: "Files", Method: "Delete"},

		"POST /v2/knowledge-base":                          {Field: "KnowledgeBases", Method: "Create"},
		"GET /v2/knowledge-base":                           {Field: "KnowledgeBases", Method: "List", ListAll: "ListAll", Params: "ListKnowledgeBasesParams"},
		"GET /v2/knowledge-base/{id}":                      {Field: "KnowledgeBases", Method: "Get"},
		"PATCH /v2/knowledge-base/{id}":                    {Field: "KnowledgeBases", Method: "Update"},
		"DELETE /v2/knowledge-base/{id}":                   {Field: "KnowledgeBases", Method: "Delete"},
		"GET /v2/knowledge-base/{id}/file":                 {Field: "KnowledgeBases", Method: "ListFiles"},
		"POST /v2/knowledge-base/{id}/file":                {Field: "KnowledgeBases", Method: "AttachFile"},
		"DELETE /v2/knowledge-base/{id}/file/{fileId}":     {Field: "KnowledgeBases", Method: "DetachFile"},
		"POST /v2/knowledge-base/{id}/file/{fileId}/retry": {Field: "KnowledgeBases", Method: "RetryFile"},

		"POST /structured-output":        {Field: "StructuredOutputs", Method: "Create"},
		"GET /structured-output":         {Field: "StructuredOutputs", Method: "List", ListAll: "ListAll", Params: "ListStructuredOutputsParams"},
		"GET /structured-output/{id}":    {Field: "StructuredOutputs", Method: "Get"},
		"PATCH /structured-output/{id}":  {Field: "StructuredOutputs", Method: "Update", Params: "UpdateStructuredOutputParams"},
		"DELETE /structured-output/{id}": {Field: "StructuredOutputs", Method: "Delete"},
		"POST /structured-output/run":    {Field: "StructuredOutputs", Method: "Run"},

		"POST /eval/run":        {Field: "Evals", Method: "Run"},
		"GET /eval/run":         {Field: "Evals", Method: "ListRuns", ListAll: "ListAllRuns", Params: "ListEvalRunsParams"},
		"GET /eval/run/{id}":    {Field: "Evals", Method: "GetRun"},
		"DELETE /eval/run/{id}": {Field: "Evals", Method: "DeleteRun"},

		"GET /eval/simulation/concurrency":        {Field: "Simulations", Method: "Concurrency"},
		"POST /eval/simulation/scenario/generate": {Field: "Simulations", Method: "GenerateScenarios"},

		"POST /eval/simulation/run":                             {Field: "SimulationRuns", Method: "Create"},
		"GET /eval/simulation/run":                              {Field: "SimulationRuns", Method: "List", ListAll: "ListAll", Params: "ListSimulationRunsParams"},
		"GET /eval/simulation/run/{id}":                         {Field: "SimulationRuns", Method: "Get"},
		"PATCH /eval/simulation/run/{id}":                       {Field: "SimulationRuns", Method: "Cancel"},
		"GET /eval/simulation/run/{id}/item":                    {Field: "SimulationRuns", Method: "ListItems", ListAll: "ListAllItems", Params: "ListSimulationRunItemsParams"},
		"GET /eval/simulation/run/{id}/item/{itemId}":           {Field: "SimulationRuns", Method: "GetItem"},
		"PATCH /eval/simulation/run/{id}/item/{itemId}":         {Field: "SimulationRuns", Method: "CancelItem"},
		"POST /eval/simulation/run/{id}/item/{itemId}/generate": {Field: "SimulationRuns", Method: "GenerateSuggestions", Params: "GenerateSuggestionsParams"},

		"POST /reporting/insight/{id}/run": {Field: "Insights", Method: "Run"},
		"POST /reporting/insight/preview":  {Field: "Insights", Method: "Preview"},

		"GET /reporting/board/default/metrics-overview": {Field: "Boards", Method: "MetricsOverview"},

		"POST /provider/{provider}/{resourceName}":        {Field: "ProviderResources", Method: "Create"},
		"GET /provider/{provider}/{resourceName}":         {Field: "ProviderResources", Method: "List", ListAll: "ListAll", Params: "ListProviderResourcesParams"},
		"GET /provider/{provider}/{resourceName}/{id}":    {Field: "ProviderResources", Method: "Get"},
		"PATCH /provider/{provider}/{resourceName}/{id}":  {Field: "ProviderResources", Method: "Update"},
		"DELETE /provider/{provider}/{resourceName}/{id}": {Field: "ProviderResources", Method: "Delete"},

		"POST /analytics": {Field: "Analytics", Method: "Query"},
	},
)

// merge joins the tables of crud and the other operations, refusing an
// operation named twice.
func merge(ms ...map[string]ServiceOp) map[string]ServiceOp {
	out := map[string]ServiceOp{}
	for _, m := range ms {
		for k, v := range m {
			if _, dup := out[k]; dup {
				panic("spec: ServiceOps names " + k + " twice")
			}
			out[k] = v
		}
	}
	return out
}
