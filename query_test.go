package vapi

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestQueryParamsAreEncodedByTheirTags(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
	tests := []struct {
		name   string
		params listParams
		want   url.Values
	}{
		{"nil params send nothing", (*ListToolsParams)(nil), url.Values{}},
		{"zero params send nothing", &ListToolsParams{}, url.Values{}},
		{"a limit and a time range", &ListToolsParams{Limit: Int(5), CreatedAtLt: &at},
			url.Values{"limit": {"5"}, "createdAtLt": {"2026-01-02T03:04:05.6Z"}}},
		{"a string, an enum and an array", &ListSimulationsParams{IDAny: []string{"a", "b"}, SortOrder: SortOrderASC, Limit: Int(0)},
			url.Values{"idAny": {"a", "b"}, "sortOrder": {"ASC"}, "limit": {"0"}}},
		{"a boolean set to false is sent", &GetCampaignParams{IncludeCounters: Bool(false)},
			url.Values{"includeCounters": {"false"}}},
		{"an array of enums repeats its key", &ListCampaignContactsParams{Status: []CampaignContactWithOutcomeStatus{"queued", "completed"}},
			url.Values{"status": {"queued", "completed"}}},
		{"a required string is sent even when empty", &ListFilesParams{}, url.Values{"purpose": {""}}},
		{"an id filter", &ListCallsParams{ID: String("c1"), AssistantID: String("a1")},
			url.Values{"id": {"c1"}, "assistantId": {"a1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.params.values())
		})
	}
}
