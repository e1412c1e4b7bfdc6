package vapitest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// newUnionServer is a fake whose clock steps a second per read, so that
// every resource has a createdAt of its own and ListAll can walk back.
func newUnionServer(t *testing.T) *vapitest.Server {
	t.Helper()
	return newServer(t, vapitest.WithClock(vapitest.StepClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), time.Second)))
}

func TestToolsAnswerWithTheConcreteKindOfTool(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		req   vapi.Tool
		check func(t *testing.T, got vapi.ToolResource) string // returns the id
	}{
		{
			name: "a function tool comes back as a *vapi.FunctionTool",
			req:  &vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "lookup_order"}},
			check: func(t *testing.T, got vapi.ToolResource) string {
				ft, ok := got.(*vapi.FunctionTool)
				require.Truef(t, ok, "got %T", got)
				require.NotNil(t, ft.Function)
				assert.Equal(t, "lookup_order", ft.Function.Name)
				return ft.ID
			},
		},
		{
			name: "an end-call tool comes back as a *vapi.EndCallTool",
			req:  &vapi.EndCallToolConfig{},
			check: func(t *testing.T, got vapi.ToolResource) string {
				et, ok := got.(*vapi.EndCallTool)
				require.Truef(t, ok, "got %T", got)
				return et.ID
			},
		},
		{
			name: "a DTMF tool comes back as a *vapi.DTMFTool",
			req:  &vapi.DTMFToolConfig{},
			check: func(t *testing.T, got vapi.ToolResource) string {
				dt, ok := got.(*vapi.DTMFTool)
				require.Truef(t, ok, "got %T", got)
				return dt.ID
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := newSDK(t, newUnionServer(t))
			created, err := client.Tools.Create(ctx, tt.req)
			require.NoError(t, err)
			id := tt.check(t, created)
			require.NotEmpty(t, id)

			got, err := client.Tools.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, id, tt.check(t, got))

			list, err := client.Tools.List(ctx, nil)
			require.NoError(t, err)
			require.Len(t, list, 1)
			assert.Equal(t, id, tt.check(t, list[0]))

			deleted, err := client.Tools.Delete(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, id, tt.check(t, deleted))
			_, err = client.Tools.Get(ctx, id)
			assert.ErrorIs(t, err, vapi.ErrNotFound)
		})
	}
}

func TestToolsUpdateTakesTheUpdateOfItsKind(t *testing.T) {
	ctx := context.Background()
	client := newSDK(t, newUnionServer(t))
	created, err := client.Tools.Create(ctx, &vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "lookup_order"}})
	require.NoError(t, err)
	ft := created.(*vapi.FunctionTool)

	updated, err := client.Tools.Update(ctx, ft.ID, &vapi.UpdateFunctionToolRequest{Function: &vapi.OpenAIFunction{Name: "find_order"}})
	require.NoError(t, err)
	got, ok := updated.(*vapi.FunctionTool)
	require.Truef(t, ok, "got %T", updated)
	assert.Equal(t, "find_order", got.Function.Name)

	_, err = client.Tools.Update(ctx, ft.ID, nil)
	assert.Error(t, err, "a nil union body is an error before sending")
}

func TestToolsListAllWalksEveryToolOnce(t *testing.T) {
	ctx := context.Background()
	client := newSDK(t, newUnionServer(t))
	want := map[string]bool{}
	for i := 0; i < 7; i++ {
		var req vapi.Tool = &vapi.EndCallToolConfig{}
		if i%2 == 0 {
			req = &vapi.FunctionToolConfig{Function: &vapi.OpenAIFunction{Name: "f"}}
		}
		created, err := client.Tools.Create(ctx, req)
		require.NoError(t, err)
		want[toolID(t, created)] = true
	}
	for _, limit := range []int{2, 3, 7, 100} {
		t.Run("with a limit of "+strconv.Itoa(limit)+" every tool comes once", func(t *testing.T) {
			seen := map[string]int{}
			for tool, err := range client.Tools.ListAll(ctx, &vapi.ListToolsParams{Limit: &limit}) {
				require.NoError(t, err)
				seen[toolID(t, tool)]++
			}
			assert.Len(t, seen, len(want))
			for id, n := range seen {
				assert.Truef(t, want[id], "%s was not created", id)
				assert.Equalf(t, 1, n, "%s came %d times", id, n)
			}
		})
	}
	t.Run("with a limit of 1 the walk cannot pass the newest tool and ends with an error, not a loop", func(t *testing.T) {
		limit := 1
		var n int
		var last error
		for tool, err := range client.Tools.ListAll(ctx, &vapi.ListToolsParams{Limit: &limit}) {
			if err != nil {
				assert.Nil(t, tool)
				last = err
				continue
			}
			n++
		}
		assert.Equal(t, 1, n)
		assert.ErrorContains(t, last, "ask with a larger Limit")
	})
}

func TestInsightsAnswerWithTheConcreteKindOfInsight(t *testing.T) {
	ctx := context.Background()
	client := newSDK(t, newUnionServer(t))

	bar, err := client.Insights.Create(ctx, &vapi.BarInsightFromCallTableConfig{Name: vapi.String("calls"), Queries: []vapi.BarInsightQuery{}})
	require.NoError(t, err)
	b, ok := bar.(*vapi.BarInsight)
	require.Truef(t, ok, "got %T", bar)
	assert.Equal(t, "calls", *b.Name)

	text, err := client.Insights.Create(ctx, &vapi.TextInsightFromCallTableConfig{Name: vapi.String("total"), Queries: []vapi.PieInsightQuery{}})
	require.NoError(t, err)
	_, ok = text.(*vapi.TextInsight)
	require.Truef(t, ok, "got %T", text)

	got, err := client.Insights.Get(ctx, b.ID)
	require.NoError(t, err)
	gb, ok := got.(*vapi.BarInsight)
	require.Truef(t, ok, "got %T", got)
	assert.Equal(t, b.ID, gb.ID)

	updated, err := client.Insights.Update(ctx, b.ID, &vapi.UpdateBarInsightFromCallTableRequest{Name: vapi.String("calls per day")})
	require.NoError(t, err)
	ub, ok := updated.(*vapi.BarInsight)
	require.Truef(t, ok, "got %T", updated)
	assert.Equal(t, "calls per day", *ub.Name)

	deleted, err := client.Insights.Delete(ctx, b.ID)
	require.NoError(t, err)
	_, ok = deleted.(*vapi.BarInsight)
	assert.Truef(t, ok, "got %T", deleted)
	_, err = client.Insights.Get(ctx, b.ID)
	assert.ErrorIs(t, err, vapi.ErrNotFound)
}

func TestInsightsListAllWalksEveryInsightOnce(t *testing.T) {
	ctx := context.Background()
	client := newSDK(t, newUnionServer(t))
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		created, err := client.Insights.Create(ctx, &vapi.PieInsightFromCallTableConfig{Queries: []vapi.PieInsightQuery{}})
		require.NoError(t, err)
		p, ok := created.(*vapi.PieInsight)
		require.Truef(t, ok, "got %T", created)
		want[p.ID] = true
	}
	limit := 2
	seen := map[string]int{}
	for in, err := range client.Insights.ListAll(ctx, &vapi.ListInsightsParams{Limit: &limit}) {
		require.NoError(t, err)
		seen[in.ID]++
	}
	assert.Len(t, seen, len(want))
	for id, n := range seen {
		assert.Truef(t, want[id], "%s was not created", id)
		assert.Equalf(t, 1, n, "%s came %d times", id, n)
	}
}

func TestPhoneNumbersUpdateTakesTheUpdateOfItsProvider(t *testing.T) {
	ctx := context.Background()
	client := newSDK(t, newUnionServer(t))
	created, err := client.PhoneNumbers.Create(ctx, &vapi.BYOPhoneNumberConfig{Number: vapi.String("+15555550100"), CredentialID: "cred"})
	require.NoError(t, err)
	byo, ok := created.(*vapi.BYOPhoneNumber)
	require.Truef(t, ok, "got %T", created)

	updated, err := client.PhoneNumbers.Update(ctx, byo.ID, &vapi.UpdateBYOPhoneNumberRequest{Name: vapi.String("front desk")})
	require.NoError(t, err)
	u, ok := updated.(*vapi.BYOPhoneNumber)
	require.Truef(t, ok, "got %T", updated)
	assert.Equal(t, "front desk", *u.Name)
}

// toolID is the id of any kind of tool the fake stores.
func toolID(t *testing.T, tool vapi.ToolResource) string {
	t.Helper()
	switch x := tool.(type) {
	case *vapi.FunctionTool:
		return x.ID
	case *vapi.EndCallTool:
		return x.ID
	}
	t.Fatalf("unexpected tool %T", tool)
	return ""
}
