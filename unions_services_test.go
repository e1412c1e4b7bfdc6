package vapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// A tool and an insight of a type this SDK does not know, as a newer API
// would send them.
const (
	futureToolJSON    = `{"id":"tool-9","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:03:11.482Z","type":"quantumCall","qubits":[1,2,{"x":null}]}`
	futureInsightJSON = `{"id":"ins-9","orgId":"org-1","createdAt":"2026-11-20T14:03:11.482Z","updatedAt":"2026-11-20T14:03:11.482Z","type":"radar","queries":[],"spokes":7}`
)

func TestUnionAnswersOfAnUnknownTypeKeepTheirJSON(t *testing.T) {
	tests := []struct {
		name string
		body string
		call func(c *vapi.Client) (any, error)
		typ  func(v any) (string, json.RawMessage, bool)
	}{
		{
			name: "Tools.Get answers a tool of an unknown type with an UnknownToolResource",
			body: futureToolJSON,
			call: func(c *vapi.Client) (any, error) { return c.Tools.Get(context.Background(), "tool-9") },
			typ: func(v any) (string, json.RawMessage, bool) {
				u, ok := v.(*vapi.UnknownToolResource)
				if !ok {
					return "", nil, false
				}
				return u.Type, u.Raw, true
			},
		},
		{
			name: "Tools.Delete answers a tool of an unknown type with an UnknownToolResource",
			body: futureToolJSON,
			call: func(c *vapi.Client) (any, error) { return c.Tools.Delete(context.Background(), "tool-9") },
			typ: func(v any) (string, json.RawMessage, bool) {
				u, ok := v.(*vapi.UnknownToolResource)
				if !ok {
					return "", nil, false
				}
				return u.Type, u.Raw, true
			},
		},
		{
			name: "Insights.Get answers an insight of an unknown type with an UnknownInsightResource",
			body: futureInsightJSON,
			call: func(c *vapi.Client) (any, error) { return c.Insights.Get(context.Background(), "ins-9") },
			typ: func(v any) (string, json.RawMessage, bool) {
				u, ok := v.(*vapi.UnknownInsightResource)
				if !ok {
					return "", nil, false
				}
				return u.Type, u.Raw, true
			},
		},
		{
			name: "Insights.Update answers an insight of an unknown type with an UnknownInsightResource",
			body: futureInsightJSON,
			call: func(c *vapi.Client) (any, error) {
				return c.Insights.Update(context.Background(), "ins-9", &vapi.UpdateBarInsightFromCallTableRequest{Name: vapi.String("x")})
			},
			typ: func(v any) (string, json.RawMessage, bool) {
				u, ok := v.(*vapi.UnknownInsightResource)
				if !ok {
					return "", nil, false
				}
				return u.Type, u.Raw, true
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, tt.body) })
			got, err := tt.call(newTestClient(t, srv))
			require.NoError(t, err)
			typ, raw, ok := tt.typ(got)
			require.Truef(t, ok, "got %T", got)
			var want struct{ Type string }
			require.NoError(t, json.Unmarshal([]byte(tt.body), &want))
			assert.Equal(t, want.Type, typ)
			assert.JSONEq(t, tt.body, string(raw))
			back, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(back), "it marshals back byte for byte")
		})
	}
}

func TestToolsListAllWalksUnknownToolsBackInTimeToo(t *testing.T) {
	// Three tools, newest first, one of an unknown type in the middle; the
	// server honours limit and createdAtLe as the API does.
	tools := []string{
		`{"id":"t3","orgId":"o","createdAt":"2026-11-20T14:03:13Z","updatedAt":"2026-11-20T14:03:13Z","type":"endCall"}`,
		strings.Replace(futureToolJSON, `"2026-11-20T14:03:11.482Z","updatedAt"`, `"2026-11-20T14:03:12Z","updatedAt"`, 1),
		`{"id":"t1","orgId":"o","createdAt":"2026-11-20T14:03:11Z","updatedAt":"2026-11-20T14:03:11Z","type":"function","function":{"name":"f"}}`,
	}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		var le *time.Time
		if q := r.URL.Query().Get("createdAtLe"); q != "" {
			t, err := time.Parse(time.RFC3339Nano, q)
			if err != nil {
				reply(w, 400, `{"message":"createdAtLe must be a date","error":"Bad Request","statusCode":400}`)
				return
			}
			le = &t
		}
		var out []string
		for _, tool := range tools {
			var v struct{ CreatedAt time.Time }
			_ = json.Unmarshal([]byte(tool), &v)
			if le == nil || !v.CreatedAt.After(*le) {
				out = append(out, tool)
			}
		}
		if len(out) > 2 {
			out = out[:2]
		}
		reply(w, 200, "["+strings.Join(out, ",")+"]")
	})
	client := newTestClient(t, srv)
	limit := 2
	var kinds []string
	for tool, err := range client.Tools.ListAll(context.Background(), &vapi.ListToolsParams{Limit: &limit}) {
		require.NoError(t, err)
		kinds = append(kinds, fmt.Sprintf("%T", tool))
	}
	assert.Equal(t, []string{"*vapi.EndCallTool", "*vapi.UnknownToolResource", "*vapi.FunctionTool"}, kinds)
	assert.GreaterOrEqual(t, srv.Count(), 2, "the walk asked for more than one page")
}

func TestStructuredOutputsRunTellsARerunFromAPreview(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"an answer with a message is a rerun", `{"workflowId":"wf-1","message":"rerun started"}`, "*vapi.StructuredOutputRerunResponse"},
		{"an answer keyed by structured output ids is a preview", `{"6f1c2d3e-0000-4000-8000-000000000001":{"name":"sentiment","result":"positive"},"skipped":{}}`, "*vapi.StructuredOutputRunPreviewResponse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, tt.body) })
			got, err := newTestClient(t, srv).StructuredOutputs.Run(context.Background(), &vapi.RunStructuredOutputRequest{
				StructuredOutputID: vapi.String("6f1c2d3e-0000-4000-8000-000000000001"),
				CallIDs:            []string{"call-1"},
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, fmt.Sprintf("%T", got))
			back, err := json.Marshal(got)
			require.NoError(t, err)
			assert.JSONEq(t, tt.body, string(back), "nothing is lost")
		})
	}
}

func TestUnionUpdateBodiesSayTheirKind(t *testing.T) {
	tests := []struct {
		name string
		call func(c *vapi.Client) error
		want string
	}{
		{"a tool update sends its type", func(c *vapi.Client) error {
			_, err := c.Tools.Update(context.Background(), "t1", &vapi.UpdateFunctionToolRequest{})
			return err
		}, `{"type":"function"}`},
		{"a phone number update sends its provider", func(c *vapi.Client) error {
			_, err := c.PhoneNumbers.Update(context.Background(), "p1", &vapi.UpdateTwilioPhoneNumberRequest{})
			return err
		}, `{"provider":"twilio"}`},
		{"an insight update sends its type", func(c *vapi.Client) error {
			_, err := c.Insights.Update(context.Background(), "i1", &vapi.UpdatePieInsightFromCallTableRequest{})
			return err
		}, `{"type":"pie"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, futureToolJSON) })
			_ = tt.call(newTestClient(t, srv))
			require.Equal(t, 1, srv.Count())
			req := srv.Requests()[0]
			assert.Equal(t, http.MethodPatch, req.Method)
			assert.JSONEq(t, tt.want, string(req.Body))
		})
	}
}
