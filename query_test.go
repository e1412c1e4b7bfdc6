package vapi

import (
	"net/url"
	"reflect"
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

// TestEveryQueryFieldIsSentWhenSet sets each field of each generated params
// type, one at a time, and checks that exactly its tag's name is sent.
func TestEveryQueryFieldIsSentWhenSet(t *testing.T) {
	for _, p := range []listParams{
		&ListAssistantsParams{}, &ListCallsParams{}, &ListCampaignsParams{}, &ListCampaignsV2Params{},
		&ListCampaignContactsParams{}, &ListToolsParams{}, &ListFilesParams{}, &ListSimulationsParams{},
		&ListSimulationRunsParams{}, &ListSimulationRunItemsParams{}, &ListEvalRunsParams{}, &ListInsightsParams{},
		&ListPhoneNumbersParams{}, &ListStructuredOutputsParams{}, &ListProviderResourcesParams{}, &GetCampaignParams{},
	} {
		rt := reflect.TypeOf(p).Elem()
		for i := 0; i < rt.NumField(); i++ {
			sf := rt.Field(i)
			tag := sf.Tag.Get("query")
			name := tag
			if j := len(tag) - len(",required"); j > 0 && tag[j:] == ",required" {
				name = tag[:j]
			}
			t.Run(rt.Name()+"."+sf.Name+" is sent as "+name, func(t *testing.T) {
				v := reflect.New(rt)
				f := v.Elem().Field(i)
				setSample(f)
				got := v.Interface().(listParams).values()
				assert.NotEmpty(t, got.Get(name), "%s not sent: %v", name, got)
				for k := range got {
					if k != name {
						assert.Contains(t, rt.Name(), "Files", "%s sent with %s set", k, sf.Name) // purpose is always sent
					}
				}
			})
		}
	}
}

// setSample puts a value that is not the zero value in f.
func setSample(f reflect.Value) {
	switch f.Kind() {
	case reflect.Pointer:
		f.Set(reflect.New(f.Type().Elem()))
		setSample(f.Elem())
	case reflect.Slice:
		f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		setSample(f.Index(0))
	case reflect.String:
		f.SetString("x")
	case reflect.Int, reflect.Int64:
		f.SetInt(7)
	case reflect.Float64:
		f.SetFloat(0.5)
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Struct:
		if f.Type() == reflect.TypeFor[time.Time]() {
			f.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		}
	}
}
