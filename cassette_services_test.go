package vapi_test

// Cassettes of one operation of each service on Client besides Sessions and
// Chats (svc_<service>.yaml), run by TestCassettes with the others, and the
// guard tests for their files. They are always recorded against vapitest
// (FakeOnly): several operations create billable resources (calls, phone
// numbers, campaigns) or need the fake to move on (a call that has ended).
// See testdata/cassettes/README.md.
//
// Tools, Insights, PhoneNumbers and StructuredOutputs are called through
// closures returning (any, error), and their results are checked as JSON,
// so that these tests do not depend on the Go type those methods return.

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/cassette"
	"github.com/govapi/vapi/internal/jsonkeys"
	"github.com/govapi/vapi/vapitest"
)

// Ids that the service cassettes point at; vapitest accepts any.
const (
	svcStructuredOutputID = "00000000-0000-4000-8000-0000000c0001"
	svcScenarioID         = "00000000-0000-4000-8000-0000000c0002"
	svcPersonalityID      = "00000000-0000-4000-8000-0000000c0003"
	svcSimulationID       = "00000000-0000-4000-8000-0000000c0004"
	svcInsightID          = "00000000-0000-4000-8000-0000000c0005"
)

// svcCall is what a service cassette test does and what it expects of the
// first request it sends and of the decoded result.
type svcCall struct {
	// name is the cassette's name, svc_<service>.
	name string
	// method and path are the operation's, as sent; query is the URL's
	// raw query ("" for none).
	method, path, query string
	// body holds every member the request body has, each compared as JSON;
	// nil for no JSON body.
	body map[string]any
	// want holds members the decoded result has, besides those of body,
	// which a create echoes; ignored when the result is not an object.
	want map[string]any
	// noEcho says the result does not echo body (a run, a query).
	noEcho bool
	// run performs the operation, makes the test's own assertions, and
	// returns the decoded result.
	run func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error)
	// wire checks a request body that is not JSON (the upload's).
	wire func(t *testing.T, sent cassette.Sent)
	// request and response return the Go values that the operation's
	// request and response bodies decode into, for the guard tests.
	request, response func() any
}

var svcCalls = []svcCall{
	{
		name: "svc_assistants", method: http.MethodPost, path: "/assistant",
		body: mustJSONMap(cassetteAssistant("Riley")),
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			a, err := c.Client.Assistants.Create(ctx, cassetteAssistant("Riley"))
			if err != nil {
				return nil, err
			}
			assert.Equal(t, "Riley", cassetteValue(a.Name))
			model, ok := a.Model.(*vapi.OpenAIModel)
			require.True(t, ok, "model is %T", a.Model)
			assert.Equal(t, vapi.OpenAIModelModelGPT4o, model.Model)
			require.Len(t, model.Tools, 1)
			assert.IsType(t, &vapi.FunctionToolConfig{}, model.Tools[0])
			assert.IsType(t, &vapi.ElevenLabsVoice{}, a.Voice)
			assert.IsType(t, &vapi.DeepgramTranscriber{}, a.Transcriber)
			return a, nil
		},
		request:  func() any { return new(vapi.AssistantConfig) },
		response: func() any { return new(vapi.Assistant) },
	},
	{
		name: "svc_squads", method: http.MethodPost, path: "/squad",
		body: map[string]any{"name": "Front desk", "members": []any{
			map[string]any{"assistantId": cassetteAssistantID},
			map[string]any{"assistant": mustJSONMap(cassetteAssistant("Overflow"))},
		}},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			s, err := c.Client.Squads.Create(ctx, &vapi.SquadConfig{
				Name: vapi.String("Front desk"),
				Members: []vapi.SquadMember{
					{AssistantID: vapi.NullableOf(cassetteAssistantID)},
					{Assistant: cassetteAssistant("Overflow")},
				},
			})
			if err != nil {
				return nil, err
			}
			require.Len(t, s.Members, 2)
			id, ok := s.Members[0].AssistantID.Get()
			assert.True(t, ok)
			assert.Equal(t, cassetteAssistantID, id)
			require.NotNil(t, s.Members[1].Assistant)
			assert.Equal(t, "Overflow", cassetteValue(s.Members[1].Assistant.Name))
			return s, nil
		},
		request:  func() any { return new(vapi.SquadConfig) },
		response: func() any { return new(vapi.Squad) },
	},
	{
		// The call is ended on the fake (a step that is no exchange), then
		// its artifacts are asked for: the API's 302, and the download
		// from where it points, which carries no credentials.
		name: "svc_calls", method: http.MethodPost, path: "/call",
		body: map[string]any{
			"name":          "vapi-go order follow-up",
			"assistantId":   cassetteAssistantID,
			"phoneNumberId": cassettePhoneNumberID,
			"customer":      map[string]any{"number": "+14155550123", "name": "Ada Lovelace"},
		},
		want: map[string]any{"status": "queued", "type": "outboundPhoneCall"},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			call, err := c.Client.Calls.Create(ctx, &vapi.CallConfig{
				Name:          vapi.String("vapi-go order follow-up"),
				AssistantID:   vapi.String(cassetteAssistantID),
				PhoneNumberID: vapi.String(cassettePhoneNumberID),
				Customer:      &vapi.CustomerConfig{Number: vapi.String("+14155550123"), Name: vapi.String("Ada Lovelace")},
			})
			if err != nil {
				return nil, err
			}
			assert.Equal(t, vapi.CallStatusQueued, call.Status)
			if c.Fake != nil {
				require.NoError(t, c.Fake.EndCall(call.ID, vapi.CallEndedReasonCustomerEndedCall))
			}
			where, err := c.Client.Calls.ArtifactURL(ctx, call.ID, vapi.CallArtifactMonoRecording)
			require.NoError(t, err)
			origin := cassette.Origin // the recorded Location, rewritten like the URLs
			if c.Fake != nil {
				origin = c.Fake.URL
			}
			assert.Equal(t, origin+"/vapitest/artifact/"+call.ID+"/mono-recording", where)

			rc, err := c.Client.Calls.DownloadArtifact(ctx, call.ID, vapi.CallArtifactCallLogs)
			require.NoError(t, err)
			logs, err := io.ReadAll(rc)
			require.NoError(t, rc.Close())
			require.NoError(t, err)
			assert.Equal(t, string(vapitest.ArtifactBytes(call.ID, "call-logs")), string(logs))

			sent := c.Sent()
			require.Len(t, sent, 4, "create, the URL's 302, the download's 302, the download")
			assert.Equal(t, "/call/"+call.ID+"/mono-recording", sent[1].URL.Path)
			assert.NotEmpty(t, sent[1].Header.Get("Authorization"), "the API is asked with the key")
			assert.Equal(t, "/call/"+call.ID+"/call-logs", sent[2].URL.Path)
			assert.Equal(t, "/vapitest/artifact/"+call.ID+"/call-logs", sent[3].URL.Path)
			assert.Empty(t, sent[3].Header.Get("Authorization"), "the artifact's location gets no key")
			return call, nil
		},
		request:  func() any { return new(vapi.CallConfig) },
		response: func() any { return new(vapi.Call) },
	},
	{
		name: "svc_campaigns", method: http.MethodPost, path: "/campaign",
		body: map[string]any{
			"name":          "vapi-go spring renewals",
			"assistantId":   cassetteAssistantID,
			"phoneNumberId": cassettePhoneNumberID,
			"customers": []any{
				map[string]any{"number": "+14155550123", "name": "Ada Lovelace"},
				map[string]any{"number": "+14155550124", "name": "Grace Hopper"},
			},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.Campaigns.Create(ctx, svcCampaign("vapi-go spring renewals"))
		},
		request:  func() any { return new(vapi.CampaignConfig) },
		response: func() any { return new(vapi.Campaign) },
	},
	{
		name: "svc_campaigns_v2", method: http.MethodPost, path: "/v2/campaign",
		body: map[string]any{
			"name":           "vapi-go spring renewals v2",
			"assistantId":    cassetteAssistantID,
			"phoneNumberId":  cassettePhoneNumberID,
			"maxConcurrency": 2,
			"customers": []any{
				map[string]any{"number": "+14155550123", "name": "Ada Lovelace"},
				map[string]any{"number": "+14155550124", "name": "Grace Hopper"},
			},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			req := svcCampaign("vapi-go spring renewals v2")
			req.MaxConcurrency = vapi.Float64(2)
			return c.Client.CampaignsV2.Create(ctx, req)
		},
		request:  func() any { return new(vapi.CampaignConfig) },
		response: func() any { return new(vapi.Campaign) },
	},
	{
		name: "svc_phone_numbers", method: http.MethodPost, path: "/phone-number",
		body: map[string]any{
			"provider":              "vapi",
			"name":                  "vapi-go front desk",
			"numberDesiredAreaCode": "415",
			"assistantId":           cassetteAssistantID,
			"server":                map[string]any{"url": "https://example.com/vapi/server"},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.PhoneNumbers.Create(ctx, &vapi.VapiPhoneNumberConfig{
				Name:                  vapi.String("vapi-go front desk"),
				NumberDesiredAreaCode: vapi.String("415"),
				AssistantID:           vapi.String(cassetteAssistantID),
				Server:                &vapi.Server{URL: vapi.String("https://example.com/vapi/server")},
			})
		},
		request:  func() any { return new(vapi.VapiPhoneNumberConfig) },
		response: func() any { return new(vapi.VapiPhoneNumber) },
	},
	{
		name: "svc_tools", method: http.MethodPost, path: "/tool",
		body: map[string]any{"type": "function", "function": mustJSONMap(svcFunction()), "server": map[string]any{"url": "https://example.com/vapi/tools"}},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.Tools.Create(ctx, &vapi.FunctionToolConfig{
				Function: svcFunction(),
				Server:   &vapi.Server{URL: vapi.String("https://example.com/vapi/tools")},
			})
		},
		request:  func() any { return new(vapi.FunctionToolConfig) },
		response: func() any { return new(vapi.FunctionTool) },
	},
	{
		name: "svc_files", method: http.MethodPost, path: "/file",
		want: map[string]any{"name": "faq.txt", "purpose": "knowledge-base-v2", "bytes": len(svcFileContent)},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.Files.Upload(ctx, "faq.txt", strings.NewReader(svcFileContent), &vapi.UploadFileParams{
				Purpose:  vapi.FilePurposeKnowledgeBaseV2,
				Metadata: `{"source":"help-center"}`,
			})
		},
		wire: func(t *testing.T, sent cassette.Sent) {
			mt, params, err := mime.ParseMediaType(sent.Header.Get("Content-Type"))
			require.NoError(t, err)
			assert.Equal(t, "multipart/form-data", mt)
			form, err := multipart.NewReader(strings.NewReader(string(sent.Body)), params["boundary"]).ReadForm(1 << 20)
			require.NoError(t, err)
			assert.Equal(t, map[string][]string{"purpose": {"knowledge-base-v2"}, "metadata": {`{"source":"help-center"}`}}, form.Value)
			require.Len(t, form.File["file"], 1)
			fh := form.File["file"][0]
			assert.Equal(t, "faq.txt", fh.Filename)
			f, err := fh.Open()
			require.NoError(t, err)
			defer f.Close()
			content, err := io.ReadAll(f)
			require.NoError(t, err)
			assert.Equal(t, svcFileContent, string(content))
		},
		response: func() any { return new(vapi.File) },
	},
	{
		name: "svc_knowledge_bases", method: http.MethodPost, path: "/v2/knowledge-base",
		body: map[string]any{"name": "vapi-go help center", "description": "Answers to the questions customers ask most."},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.KnowledgeBases.Create(ctx, &vapi.KnowledgeBaseV2Config{
				Name:        "vapi-go help center",
				Description: vapi.NullableOf("Answers to the questions customers ask most."),
			})
		},
		request:  func() any { return new(vapi.KnowledgeBaseV2Config) },
		response: func() any { return new(vapi.KnowledgeBaseV2) },
	},
	{
		name: "svc_structured_outputs", method: http.MethodPost, path: "/structured-output",
		body: map[string]any{
			"name":        "order_outcome",
			"type":        "ai",
			"description": "Whether the caller's order question was resolved.",
			"schema": map[string]any{
				"type": "object",
				"properties": map[string]any{
					"resolved": map[string]any{"type": "boolean"},
					"orderId":  map[string]any{"type": "string", "description": "The order id, e.g. A-1001."},
				},
				"required": []any{"resolved"},
			},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.StructuredOutputs.Create(ctx, &vapi.StructuredOutputConfig{
				Name:        "order_outcome",
				Type:        vapi.StructuredOutputTypeAI,
				Description: vapi.String("Whether the caller's order question was resolved."),
				Schema: vapi.JSONSchema{
					Type: vapi.JSONSchemaTypeObject,
					Properties: map[string]vapi.JSONSchema{
						"resolved": {Type: vapi.JSONSchemaTypeBoolean},
						"orderId":  {Type: vapi.JSONSchemaTypeString, Description: vapi.String("The order id, e.g. A-1001.")},
					},
					Required: []string{"resolved"},
				},
			})
		},
		request:  func() any { return new(vapi.StructuredOutputConfig) },
		response: func() any { return new(vapi.StructuredOutput) },
	},
	{
		name: "svc_evals", method: http.MethodPost, path: "/eval",
		body: map[string]any{
			"name": "vapi-go greets by name", "type": "chat.mockConversation",
			"messages": []any{
				map[string]any{"role": "user", "content": "Hi, I'm Ada."},
				map[string]any{"role": "assistant", "judgePlan": map[string]any{"type": "exact", "content": "Hi Ada, how can I help?"}},
			},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			e, err := c.Client.Evals.Create(ctx, &vapi.EvalConfig{
				Name: vapi.String("vapi-go greets by name"),
				Messages: []vapi.EvalMessage{
					&vapi.ChatEvalUserMessageMock{Content: "Hi, I'm Ada."},
					&vapi.ChatEvalAssistantMessageEvaluation{JudgePlan: &vapi.AssistantMessageJudgePlanExact{Content: "Hi Ada, how can I help?"}},
				},
			})
			if err != nil {
				return nil, err
			}
			require.Len(t, e.Messages, 2)
			assert.IsType(t, &vapi.ChatEvalUserMessageMock{}, e.Messages[0])
			eval, ok := e.Messages[1].(*vapi.ChatEvalAssistantMessageEvaluation)
			require.True(t, ok, "message 1 is %T", e.Messages[1])
			assert.IsType(t, &vapi.AssistantMessageJudgePlanExact{}, eval.JudgePlan)
			return e, nil
		},
		request:  func() any { return new(vapi.EvalConfig) },
		response: func() any { return new(vapi.Eval) },
	},
	{
		name: "svc_simulations", method: http.MethodPost, path: "/eval/simulation",
		body: map[string]any{"name": "vapi-go impatient reorder", "scenarioId": svcScenarioID, "personalityId": svcPersonalityID},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.Simulations.Create(ctx, &vapi.SimulationConfig{
				Name: vapi.String("vapi-go impatient reorder"), ScenarioID: svcScenarioID, PersonalityID: svcPersonalityID,
			})
		},
		request:  func() any { return new(vapi.SimulationConfig) },
		response: func() any { return new(vapi.Simulation) },
	},
	{
		name: "svc_simulation_personalities", method: http.MethodPost, path: "/eval/simulation/personality",
		body: map[string]any{"name": "vapi-go impatient caller", "assistant": mustJSONMap(svcPersonalityAssistant())},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.SimulationPersonalities.Create(ctx, &vapi.PersonalityConfig{
				Name: "vapi-go impatient caller", Assistant: *svcPersonalityAssistant(),
			})
		},
		request:  func() any { return new(vapi.PersonalityConfig) },
		response: func() any { return new(vapi.Personality) },
	},
	{
		name: "svc_simulation_scenarios", method: http.MethodPost, path: "/eval/simulation/scenario",
		body: map[string]any{
			"name":         "vapi-go reorder",
			"instructions": "You ordered A-1001 last week and want the same again, delivered by Friday.",
			"evaluations":  []any{map[string]any{"structuredOutputId": svcStructuredOutputID, "comparator": "=", "value": true}},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.SimulationScenarios.Create(ctx, &vapi.ScenarioConfig{
				Name:         "vapi-go reorder",
				Instructions: "You ordered A-1001 last week and want the same again, delivered by Friday.",
				Evaluations: []vapi.EvaluationPlanItem{{
					StructuredOutputID: vapi.String(svcStructuredOutputID),
					Comparator:         vapi.EvaluationPlanItemComparatorEqual,
					Value:              vapi.EvaluationPlanItemValueBool(true),
				}},
			})
		},
		request:  func() any { return new(vapi.ScenarioConfig) },
		response: func() any { return new(vapi.Scenario) },
	},
	{
		name: "svc_simulation_suites", method: http.MethodPost, path: "/eval/simulation/suite",
		body: map[string]any{"name": "vapi-go nightly", "simulationIds": []any{svcSimulationID}},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.SimulationSuites.Create(ctx, &vapi.SimulationSuiteConfig{
				Name: "vapi-go nightly", SimulationIDs: []string{svcSimulationID},
			})
		},
		request:  func() any { return new(vapi.SimulationSuiteConfig) },
		response: func() any { return new(vapi.SimulationSuite) },
	},
	{
		name: "svc_simulation_runs", method: http.MethodPost, path: "/eval/simulation/run",
		body: map[string]any{
			"simulations": []any{map[string]any{"type": "simulation", "simulationId": svcSimulationID}},
			"target":      map[string]any{"type": "assistant", "assistantId": cassetteAssistantID},
			"iterations":  2,
		},
		want: map[string]any{"status": "queued"},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			r, err := c.Client.SimulationRuns.Create(ctx, &vapi.SimulationRunConfig{
				Simulations: []vapi.SimulationRunSimulation{&vapi.SimulationRunSimulationEntry{SimulationID: vapi.String(svcSimulationID)}},
				Target:      &vapi.SimulationRunTargetAssistant{AssistantID: vapi.String(cassetteAssistantID)},
				Iterations:  vapi.Float64(2),
			})
			if err != nil {
				return nil, err
			}
			assert.Len(t, r.SimulationRunItemIDs, 2, "one item per iteration")
			assert.IsType(t, &vapi.SimulationRunTargetAssistant{}, r.Target)
			return r, nil
		},
		request:  func() any { return new(vapi.SimulationRunConfig) },
		response: func() any { return new(vapi.CreateSimulationRunResponse) },
	},
	{
		name: "svc_insights", method: http.MethodPost, path: "/reporting/insight",
		body: map[string]any{
			"name": "vapi-go average call duration", "type": "bar",
			"queries": []any{map[string]any{
				"type": "vapiql-json", "table": "call", "name": "Average Call Duration",
				"column": "duration", "operation": "average",
			}},
			"timeRange": map[string]any{"step": "day"},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			return c.Client.Insights.Create(ctx, &vapi.BarInsightFromCallTableConfig{
				Name: vapi.String("vapi-go average call duration"),
				Queries: []vapi.BarInsightQuery{&vapi.JSONQueryOnCallTableWithNumberTypeColumn{
					Name:      vapi.String("Average Call Duration"),
					Column:    vapi.JSONQueryOnCallTableWithNumberTypeColumnColumnDuration,
					Operation: vapi.JSONQueryOnCallTableWithNumberTypeColumnOperationAverage,
				}},
				TimeRange: &vapi.InsightTimeRangeWithStep{Step: vapi.InsightTimeRangeWithStepStepDay},
			})
		},
		request:  func() any { return new(vapi.BarInsightFromCallTableConfig) },
		response: func() any { return new(vapi.BarInsight) },
	},
	{
		name: "svc_boards", method: http.MethodPost, path: "/reporting/board",
		body: map[string]any{
			"name":   "vapi-go support overview",
			"layout": map[string]any{"columns": 6},
			"items": []any{map[string]any{
				"type": "insight", "insightId": svcInsightID,
				"position": map[string]any{"x": 0, "y": 0}, "size": map[string]any{"width": 3, "height": 2},
			}},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			b, err := c.Client.Boards.Create(ctx, &vapi.BoardConfig{
				Name:   "vapi-go support overview",
				Layout: vapi.BoardLayout{Columns: 6},
				Items: []vapi.BoardItem{&vapi.BoardInsightItem{
					InsightID: svcInsightID,
					Position:  vapi.BoardItemPosition{X: 0, Y: 0},
					Size:      vapi.BoardItemSize{Width: 3, Height: 2},
				}},
			})
			if err != nil {
				return nil, err
			}
			require.Len(t, b.Items, 1)
			item, ok := b.Items[0].(*vapi.BoardInsightItem)
			require.True(t, ok, "item is %T", b.Items[0])
			assert.Equal(t, svcInsightID, item.InsightID)
			return b, nil
		},
		request:  func() any { return new(vapi.BoardConfig) },
		response: func() any { return new(vapi.Board) },
	},
	{
		name: "svc_scorecards", method: http.MethodPost, path: "/observability/scorecard",
		body: map[string]any{
			"name": "vapi-go resolution", "description": "Ten points for a resolved order question.",
			"metrics": []any{map[string]any{
				"structuredOutputId": svcStructuredOutputID,
				"conditions":         []any{map[string]any{"type": "comparator", "comparator": ">=", "value": 4, "points": 10}},
			}},
			"assistantIds": []any{cassetteAssistantID},
		},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			s, err := c.Client.Scorecards.Create(ctx, &vapi.ScorecardConfig{
				Name:        vapi.String("vapi-go resolution"),
				Description: vapi.String("Ten points for a resolved order question."),
				Metrics: []vapi.ScorecardMetric{{
					StructuredOutputID: svcStructuredOutputID,
					Conditions: []vapi.ScorecardCondition{&vapi.NumberComparatorScorecardMetricCondition{
						Comparator: vapi.EvaluationPlanItemComparatorGreaterThanOrEqual, Value: 4, Points: 10,
					}},
				}},
				AssistantIDs: []string{cassetteAssistantID},
			})
			if err != nil {
				return nil, err
			}
			require.Len(t, s.Metrics, 1)
			require.Len(t, s.Metrics[0].Conditions, 1)
			assert.IsType(t, &vapi.NumberComparatorScorecardMetricCondition{}, s.Metrics[0].Conditions[0])
			return s, nil
		},
		request:  func() any { return new(vapi.ScorecardConfig) },
		response: func() any { return new(vapi.Scorecard) },
	},
	{
		name: "svc_provider_resources", method: http.MethodPost, path: "/provider/cartesia/pronunciation-dictionary",
		want: map[string]any{"provider": "cartesia"},
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			r, err := c.Client.ProviderResources.Create(ctx, "cartesia", "pronunciation-dictionary")
			if err != nil {
				return nil, err
			}
			assert.Equal(t, vapi.ProviderResourceProviderCartesia, r.Provider)
			return r, nil
		},
		response: func() any { return new(vapi.ProviderResource) },
	},
	{
		name: "svc_analytics", method: http.MethodPost, path: "/analytics",
		body: map[string]any{"queries": []any{map[string]any{
			"table": "call", "name": "calls_per_day",
			"operations": []any{map[string]any{"operation": "count", "column": "id", "alias": "calls"}},
			"timeRange":  map[string]any{"step": "day", "start": "2026-01-01T00:00:00Z", "end": "2026-01-15T00:00:00Z"},
		}}},
		noEcho: true,
		run: func(t *testing.T, ctx context.Context, c *cassette.Cassette) (any, error) {
			start, end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
			res, err := c.Client.Analytics.Query(ctx, &vapi.AnalyticsQueryRequest{Queries: []vapi.AnalyticsQuery{{
				Table: vapi.AnalyticsQueryTableCall,
				Name:  "calls_per_day",
				Operations: []vapi.AnalyticsOperation{{
					Operation: vapi.AnalyticsOperationOperationCount, Column: vapi.AnalyticsOperationColumnID, Alias: vapi.String("calls"),
				}},
				TimeRange: &vapi.TimeRange{Step: vapi.TimeRangeStepDay, Start: &start, End: &end},
			}}})
			if err != nil {
				return nil, err
			}
			require.Len(t, res, 1)
			assert.Equal(t, "calls_per_day", res[0].Name)
			assert.Equal(t, vapi.TimeRangeStepDay, res[0].TimeRange.Step)
			return res, nil
		},
		request:  func() any { return new(vapi.AnalyticsQueryRequest) },
		response: func() any { return new([]vapi.AnalyticsQueryResult) },
	},
}

const svcFileContent = "Q: Where is my order?\nA: Ask with your order id, e.g. A-1001.\n"

func init() {
	for _, sc := range svcCalls {
		cassetteTests = append(cassetteTests, struct {
			name string
			opts cassette.Options
			test func(t *testing.T, ctx context.Context, c *cassette.Cassette)
		}{name: sc.name, opts: cassette.Options{FakeOnly: true}, test: sc.test})
	}
}

// test runs the operation and checks its first request and its result.
func (sc svcCall) test(t *testing.T, ctx context.Context, c *cassette.Cassette) {
	got, err := sc.run(t, ctx, c)
	require.NoError(t, err)

	sent := c.Sent()
	require.NotEmpty(t, sent)
	req := sent[0]
	assert.Equal(t, sc.method, req.Method)
	assert.Equal(t, sc.path, req.URL.Path)
	assert.Equal(t, sc.query, req.URL.RawQuery)
	switch {
	case sc.wire != nil:
		sc.wire(t, req)
	case sc.body == nil:
		assert.Empty(t, req.Body)
	default:
		assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
		assert.Equal(t, svcJSON(t, sc.body), svcJSON(t, svcDecode(t, req.Body)), "the request body")
	}

	raw, err := json.Marshal(got)
	require.NoError(t, err)
	obj, ok := svcDecode(t, raw).(map[string]any)
	if !ok {
		return // an array: run checked it
	}
	assert.NotEmpty(t, obj["id"], "the result has an id")
	assert.Equal(t, cassette.FakeOrgID, obj["orgId"], "recorded against vapitest")
	want := map[string]any{}
	if !sc.noEcho {
		for k, v := range sc.body {
			want[k] = v
		}
	}
	for k, v := range sc.want {
		want[k] = v
	}
	for k, v := range want {
		assert.Equal(t, svcJSON(t, v), svcJSON(t, obj[k]), "the result's %s", k)
	}
}

// svcCampaign is a campaign of two customers.
func svcCampaign(name string) *vapi.CampaignConfig {
	return &vapi.CampaignConfig{
		Name:          name,
		AssistantID:   vapi.String(cassetteAssistantID),
		PhoneNumberID: vapi.String(cassettePhoneNumberID),
		Customers: []vapi.CustomerConfig{
			{Number: vapi.String("+14155550123"), Name: vapi.String("Ada Lovelace")},
			{Number: vapi.String("+14155550124"), Name: vapi.String("Grace Hopper")},
		},
	}
}

// svcFunction is the function of a tool that looks an order up.
func svcFunction() *vapi.OpenAIFunction {
	return &vapi.OpenAIFunction{
		Name:        "lookup_order",
		Description: vapi.String("Finds an order by its id."),
		Parameters: &vapi.OpenAIFunctionParameters{
			Properties: map[string]vapi.JSONSchema{
				"orderId": {Type: vapi.JSONSchemaTypeString, Description: vapi.String("The order id, e.g. A-1001.")},
			},
			Required: []string{"orderId"},
		},
	}
}

// svcPersonalityAssistant is the simulated caller of a personality.
func svcPersonalityAssistant() *vapi.AssistantConfig {
	return &vapi.AssistantConfig{
		Model: &vapi.OpenAIModel{
			Model: vapi.OpenAIModelModelGPT4o,
			Messages: []vapi.OpenAIMessage{{
				Role:    vapi.OpenAIMessageRoleSystem,
				Content: vapi.NullableOf("You are an impatient customer. Interrupt when the agent rambles."),
			}},
		},
	}
}

// mustJSONMap is v as the JSON object it encodes to.
func mustJSONMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}

func svcDecode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return v
}

// svcJSON is v encoded as JSON, with sorted keys, for comparisons that
// show the difference.
func svcJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var norm any
	require.NoError(t, json.Unmarshal(b, &norm))
	b, err = json.MarshalIndent(norm, "", "  ")
	require.NoError(t, err)
	return string(b)
}

// cassetteServiceFile reports whether path is a service cassette, which the
// guard tests below check with the types of its operation.
func cassetteServiceFile(path string) bool {
	return strings.HasPrefix(filepath.Base(path), "svc_")
}

// cassetteFakeArtifact reports whether a Location header points where
// vapitest serves call artifacts. The live API's locations are signed URLs,
// which are credentials; vapitest's are not.
func cassetteFakeArtifact(values []string) bool {
	for _, v := range values {
		if !strings.HasPrefix(v, cassette.Origin+"/vapitest/artifact/") || strings.Contains(v, "?") {
			return false
		}
	}
	return len(values) > 0
}

// The request body of a service cassette's operation passes Validate and
// has no property the request type lacks; its response decodes into the
// operation's type and encodes back without losing a property.
func TestServiceCassettesDecodeIntoTheirTypes(t *testing.T) {
	files := cassetteFiles(t)
	for _, sc := range svcCalls {
		t.Run(sc.name, func(t *testing.T) {
			path := filepath.Join(cassette.Dir, sc.name+".yaml")
			c, ok := files[path]
			require.True(t, ok, "no %s", path)
			checked := 0
			for _, i := range c.Interactions {
				u, err := url.Parse(i.Request.URL)
				require.NoError(t, err)
				if i.Request.Method != sc.method || u.Path != sc.path || i.Response.Code/100 != 2 {
					continue
				}
				checked++
				if sc.request != nil {
					req := sc.request()
					require.NoError(t, json.Unmarshal([]byte(i.Request.Body), req), "exchange %d", i.ID)
					if v, ok := req.(interface{ Validate() error }); ok {
						assert.NoError(t, v.Validate(), "exchange %d", i.ID)
					}
					dropped, err := jsonkeys.Dropped([]byte(i.Request.Body), req)
					require.NoError(t, err)
					assert.Empty(t, dropped, "exchange %d: properties %T does not know", i.ID, req)
				}
				v := sc.response()
				body := []byte(i.Response.Body)
				require.NoError(t, json.Unmarshal(body, v), "exchange %d", i.ID)
				lost, err := jsonkeys.Lost(body, v)
				require.NoError(t, err)
				assert.Empty(t, lost, "exchange %d: properties lost in a round trip through %T", i.ID, v)
				if unknown, _ := jsonkeys.Dropped(body, v); len(unknown) > len(lost) {
					t.Logf("exchange %d: properties %T does not know: %v", i.ID, v, unknown)
				}
			}
			assert.Equal(t, 1, checked, "exchanges of %s %s", sc.method, sc.path)
		})
	}
}

// Service cassettes are recorded against vapitest, and say so.
func TestServiceCassettesAreRecordedAgainstVapitest(t *testing.T) {
	for path, c := range cassetteFiles(t) {
		if !cassetteServiceFile(path) {
			continue
		}
		for _, i := range c.Interactions {
			assert.Equal(t, "vapitest", i.Request.Headers.Get(cassette.RecordedAgainst), "%s: exchange %d", path, i.ID)
		}
	}
}
