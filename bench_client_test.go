package vapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/govapi/vapi"
)

// BenchmarkCreate compares Sessions.Create with what a user would write
// without the SDK, against the same loopback server returning the same
// realistic session:
//
//   - SDK: Sessions.Create with a typed request (validated, encoded, sent
//     through the retry layer) and a typed response.
//   - NetHTTPMap: encode the same request with encoding/json, POST it,
//     decode the response into map[string]any.
//   - NetHTTPFloor: POST pre-encoded bytes and discard the response; the
//     cost of the HTTP round trip alone.
//
// The server runs in the process, so its allocations count in every case.
func BenchmarkCreate(b *testing.B) {
	sessionJSON, err := os.ReadFile("testdata/bench/session.json")
	if err != nil {
		b.Fatal(err)
	}
	var session vapi.Session
	if err := json.Unmarshal(sessionJSON, &session); err != nil {
		b.Fatal(err)
	}
	req := &vapi.CreateSessionRequest{
		Name:              session.Name,
		ExpirationSeconds: session.ExpirationSeconds,
		Assistant:         session.Assistant,
		Messages:          session.Messages,
		Customer:          session.Customer,
		PhoneNumberID:     session.PhoneNumberID,
	}
	if err := req.Validate(); err != nil {
		b.Fatal(err)
	}
	reqJSON, err := json.Marshal(req)
	if err != nil {
		b.Fatal(err)
	}
	// The request as a user without the SDK would hold it.
	var reqMap map[string]any
	if err := json.Unmarshal(reqJSON, &reqMap); err != nil {
		b.Fatal(err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(sessionJSON)))
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(sessionJSON)
	}))
	defer srv.Close()
	ctx := context.Background()
	auth := "Bearer " + testAPIKey

	b.Run("SDK", func(b *testing.B) {
		c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey), vapi.WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			s, err := c.Sessions.Create(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			if s.ID == "" {
				b.Fatal("no id")
			}
		}
	})

	b.Run("NetHTTPMap", func(b *testing.B) {
		hc := cleanhttp.DefaultPooledClient()
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			body, err := json.Marshal(reqMap)
			if err != nil {
				b.Fatal(err)
			}
			r, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/session", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			r.Header.Set("Authorization", auth)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", "application/json")
			resp, err := hc.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			var out map[string]any
			err = json.NewDecoder(resp.Body).Decode(&out)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusCreated {
				b.Fatal(resp.StatusCode, err)
			}
			if out["id"] == "" {
				b.Fatal("no id")
			}
		}
	})

	b.Run("NetHTTPFloor", func(b *testing.B) {
		hc := cleanhttp.DefaultPooledClient()
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			r, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/session", bytes.NewReader(reqJSON))
			if err != nil {
				b.Fatal(err)
			}
			r.Header.Set("Authorization", auth)
			r.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Fatal(resp.StatusCode)
			}
		}
	})
}
