package vapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govapi/vapi"
)

// BenchmarkDecodeSession decodes the realistic session body of
// testdata/bench/session.json (a copy of ../shared/bench/session.json) three
// ways, side by side: with the generated one-pass decoder called directly
// (what the client does), through json.Unmarshal (what users write), and
// into map[string]any, the baseline to match or beat.
func BenchmarkDecodeSession(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "bench", "session.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Session", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			var s vapi.Session
			if err := s.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SessionJSONUnmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			var s vapi.Session
			if err := json.Unmarshal(data, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MapAny", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Ratio alternates the two decodes in one loop, so that both meet the
	// same machine, and reports the SDK's time as a fraction of the map's:
	// the number the README quotes, steadier than two separate runs on a
	// busy machine.
	b.Run("Ratio", func(b *testing.B) {
		var sdk, generic time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			var s vapi.Session
			if err := s.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
			mid := time.Now()
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
			sdk += mid.Sub(start)
			generic += time.Since(mid)
		}
		b.ReportMetric(float64(sdk)/float64(generic), "sdk/map")
	})
}

// BenchmarkMarshalCreateRequest encodes a fully populated create request.
func BenchmarkMarshalCreateRequest(b *testing.B) {
	req := fullRequest()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate validates a fully populated, valid create request.
func BenchmarkValidate(b *testing.B) {
	req := fullRequest()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := req.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
