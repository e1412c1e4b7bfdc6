// To add as vapitest/services_sdk_test.go once the services and fake branches are both merged:
// every service of the SDK against the fake, through the generated methods (it passed on a
// local merge of services 215530a and fake at c02147e).
package vapitest_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func TestEveryServiceOfTheSDKWorksAgainstTheFake(t *testing.T) {
	srv := vapitest.NewServer(vapitest.WithAPIKey("k"))
	defer srv.Close()
	c, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("k"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	a, err := c.Assistants.Create(ctx, &vapi.AssistantConfig{Name: vapi.String("Riley")})
	check("Assistants.Create", err)
	if a != nil {
		_, err = c.Assistants.Get(ctx, a.ID)
		check("Assistants.Get", err)
		_, err = c.Assistants.Update(ctx, a.ID, &vapi.UpdateAssistantRequest{Name: vapi.String("R2")})
		check("Assistants.Update", err)
		n := 0
		for _, err := range c.Assistants.ListAll(ctx, nil) {
			check("Assistants.ListAll", err)
			n++
		}
		if n != 1 {
			t.Errorf("ListAll %d", n)
		}
		_, err = c.Assistants.Delete(ctx, a.ID)
		check("Assistants.Delete", err)
	}
	tool, err := c.Tools.Create(ctx, &vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "lookup"}})
	check("Tools.Create", err)
	if _, ok := tool.(*vapi.FunctionTool); !ok {
		t.Errorf("Tools.Create answered a %T, want a *vapi.FunctionTool", tool)
	}
	tools, err := c.Tools.List(ctx, nil)
	check("Tools.List", err)
	if len(tools) != 1 {
		t.Errorf("Tools.List %d", len(tools))
	}
	pn, err := c.PhoneNumbers.Create(ctx, &vapi.BYOPhoneNumberConfig{Number: vapi.String("+15555550100"), CredentialID: "cred"})
	check("PhoneNumbers.Create", err)
	if byo, ok := pn.(*vapi.BYOPhoneNumber); !ok {
		t.Errorf("PhoneNumbers.Create answered a %T, want a *vapi.BYOPhoneNumber", pn)
	} else {
		_, err = c.PhoneNumbers.Update(ctx, byo.ID, &vapi.UpdateBYOPhoneNumberRequest{Name: vapi.String("desk")})
		check("PhoneNumbers.Update", err)
	}
	_, err = c.PhoneNumbers.List(ctx, nil)
	check("PhoneNumbers.List", err)
	call, err := c.Calls.Create(ctx, &vapi.CallConfig{Customer: &vapi.CustomerConfig{Number: vapi.String("+15555550101")}})
	check("Calls.Create", err)
	if call != nil {
		check("SetCallStatus", srv.SetCallStatus(call.ID, vapi.CallStatusInProgress))
		check("EndCall", srv.EndCall(call.ID, vapi.CallEndedReasonCustomerEndedCall))
		got, err := c.Calls.Get(ctx, call.ID)
		check("Calls.Get", err)
		if got != nil && (got.Status != vapi.CallStatusEnded || got.Cost == nil) {
			t.Errorf("ended call %+v", got)
		}
		u, err := c.Calls.ArtifactURL(ctx, call.ID, vapi.CallArtifactMonoRecording)
		check("ArtifactURL", err)
		t.Log("artifact url", u)
		rc, err := c.Calls.DownloadArtifact(ctx, call.ID, vapi.CallArtifactCallLogs)
		check("DownloadArtifact", err)
		if rc != nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.Contains(string(b), "placeholder log") {
				t.Errorf("logs %q", b)
			}
		}
		_, err = c.Calls.List(ctx, nil)
		check("Calls.List", err)
		_, err = c.Calls.Delete(ctx, call.ID, nil)
		check("Calls.Delete", err)
	}
	b, err := c.Calls.CreateBatch(ctx, &vapi.CallConfig{Customers: []vapi.CustomerConfig{{Number: vapi.String("+15555550102")}, {Number: vapi.String("+15555550103")}}})
	check("Calls.CreateBatch", err)
	if b != nil && len(b.Results) != 2 {
		t.Errorf("batch %+v", b)
	}
	f, err := c.Files.Upload(ctx, "notes.txt", strings.NewReader("hello"), &vapi.UploadFileParams{Purpose: "knowledge-base-v2"})
	check("Files.Upload", err)
	_, err = c.Files.List(ctx, &vapi.ListFilesParams{Purpose: "knowledge-base-v2"})
	check("Files.List", err)
	kb, err := c.KnowledgeBases.Create(ctx, &vapi.KnowledgeBaseV2Config{Name: "docs"})
	check("KnowledgeBases.Create", err)
	if kb != nil && f != nil {
		_, err = c.KnowledgeBases.AttachFile(ctx, kb.ID, &vapi.AttachKnowledgeBaseV2FileRequest{FileID: f.ID})
		check("AttachFile", err)
		_, err = c.KnowledgeBases.Get(ctx, kb.ID)
		check("KnowledgeBases.Get", err)
		_, err = c.KnowledgeBases.ListFiles(ctx, kb.ID)
		check("ListFiles", err)
	}
	_, err = c.Simulations.Concurrency(ctx)
	check("Concurrency", err)
	_, err = c.Boards.MetricsOverview(ctx)
	check("MetricsOverview", err)
	_, err = c.ProviderResources.Create(ctx, "cartesia", "pronunciation-dictionary")
	check("ProviderResources.Create", err)
	_, err = c.ProviderResources.List(ctx, "cartesia", "pronunciation-dictionary", nil)
	check("ProviderResources.List", err)
	_, err = c.Analytics.Query(ctx, &vapi.AnalyticsQueryRequest{})
	t.Log("Analytics.Query:", err)
	camp, err := c.CampaignsV2.Create(ctx, &vapi.CampaignConfig{Name: "spring", Customers: []vapi.CustomerConfig{{Number: vapi.String("+15555550104")}}})
	check("CampaignsV2.Create", err)
	if camp != nil {
		_, err = c.CampaignsV2.Get(ctx, camp.ID, nil)
		check("CampaignsV2.Get", err)
		_, err = c.CampaignsV2.ListContacts(ctx, camp.ID, nil)
		check("ListContacts", err)
		_, err = c.CampaignsV2.List(ctx, nil)
		check("CampaignsV2.List", err)
	}
	_, err = c.Evals.ListRuns(ctx, nil)
	check("ListRuns", err)
	_, err = c.SimulationRuns.List(ctx, nil)
	check("SimulationRuns.List", err)
	_, err = c.Insights.List(ctx, nil)
	check("Insights.List", err)
	_, err = c.StructuredOutputs.List(ctx, nil)
	check("StructuredOutputs.List", err)
	_, err = c.Squads.List(ctx, nil)
	check("Squads.List", err)
}
func TestTheSDKRunsSimulationsEvalsAndActionsAgainstTheFake(t *testing.T) {
	srv := vapitest.NewServer(vapitest.WithAPIKey("k"))
	defer srv.Close()
	c, _ := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("k"))
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	run, err := c.SimulationRuns.Create(ctx, &vapi.SimulationRunConfig{
		Simulations: []vapi.SimulationRunSimulation{&vapi.SimulationRunSimulationEntry{SimulationID: vapi.String("00000000-0000-4000-8000-0000000000aa")}},
		Target:      &vapi.SimulationRunTargetAssistant{AssistantID: vapi.String("00000000-0000-4000-8000-0000000000bb")},
	})
	check("SimulationRuns.Create", err)
	if run != nil {
		items, err := c.SimulationRuns.ListItems(ctx, run.ID, nil)
		check("ListItems", err)
		if len(items) == 1 {
			_, err = c.SimulationRuns.GetItem(ctx, run.ID, items[0].ID)
			check("GetItem", err)
			check("GenerateSuggestions", c.SimulationRuns.GenerateSuggestions(ctx, run.ID, items[0].ID, &vapi.GenerateSuggestionsParams{Force: "true"}))
			_, err = c.SimulationRuns.CancelItem(ctx, run.ID, items[0].ID)
			check("CancelItem", err)
		} else {
			t.Errorf("items %d", len(items))
		}
		_, err = c.SimulationRuns.Cancel(ctx, run.ID)
		check("Cancel", err)
		_, err = c.SimulationRuns.Get(ctx, run.ID)
		check("Get", err)
	}
	_, err = c.Evals.Run(ctx, &vapi.EvalRunConfig{Target: &vapi.EvalRunTargetAssistant{AssistantID: vapi.String("x")}})
	check("Evals.Run", err)
	_, err = c.StructuredOutputs.Run(ctx, &vapi.RunStructuredOutputRequest{StructuredOutputID: vapi.String("00000000-0000-4000-8000-0000000000cc"), CallIDs: []string{"00000000-0000-4000-8000-0000000000dd"}})
	check("StructuredOutputs.Run", err)
	_, err = c.Simulations.GenerateScenarios(ctx, &vapi.GenerateScenariosRequest{AssistantID: vapi.String("a")})
	check("GenerateScenarios", err)
}
