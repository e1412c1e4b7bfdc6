package vapi_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// nestedGroups builds a tool rejection plan whose group conditions nest
// depth levels deep, each with its discriminator ("type") last, the shape
// that made look-ahead decoding quadratic.
func nestedGroups(depth int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"assistant":{"model":{"provider":"openai","model":"gpt-4o","tools":[{"type":"endCall","rejectionPlan":{"conditions":[`)
	for i := 0; i < depth; i++ {
		b.WriteString(`{"operator":"AND","conditions":[`)
	}
	b.WriteString(`{"regex":"x","target":{"role":"user"},"type":"regex"}`)
	for i := 0; i < depth; i++ {
		b.WriteString(`],"type":"group"}`)
	}
	b.WriteString(`]}}]}}}`)
	return b.Bytes()
}

// minTime runs f n times and returns the fastest run.
func minTime(n int, f func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for i := 0; i < n; i++ {
		start := time.Now()
		f()
		best = min(best, time.Since(start))
	}
	return best
}

func TestDecodingStaysLinearWithDiscriminatorsLast(t *testing.T) {
	for _, depth := range []int{100, 1000, 3000} {
		doc := nestedGroups(depth)
		t.Run("unions nested "+strconv.Itoa(depth)+" deep decode in at most 10 times a map decode", func(t *testing.T) {
			var req vapi.CreateSessionRequest
			require.NoError(t, json.Unmarshal(doc, &req))
			group := req.Assistant.Model.(*vapi.OpenAIModel).Tools[0].(*vapi.EndCallToolConfig).RejectionPlan.Conditions[0]
			for i := 0; i < depth; i++ {
				g, ok := group.(*vapi.GroupCondition)
				require.True(t, ok, "level %d is %T", i, group)
				group = g.Conditions[0]
			}
			assert.IsType(t, &vapi.RegexCondition{}, group)

			sdk := minTime(5, func() {
				var r vapi.CreateSessionRequest
				_ = r.UnmarshalJSON(doc)
			})
			generic := minTime(5, func() {
				var m map[string]any
				_ = json.Unmarshal(doc, &m)
			})
			t.Logf("%d levels, %d bytes: SDK %v, map[string]any %v (%.2fx)", depth, len(doc), sdk, generic, float64(sdk)/float64(generic))
			assert.LessOrEqual(t, float64(sdk), 10*float64(generic), "SDK %v vs map %v", sdk, generic)
		})
	}
}
