package vapitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// Code under test gets the fake's URL as its base URL; the fake answers like
// the live API, errors and retries included.
func Example() {
	srv := vapitest.NewServer(vapitest.WithAPIKey("test-key"))
	defer srv.Close()

	client, err := vapi.NewClient(
		vapi.WithBaseURL(srv.URL),
		vapi.WithAPIKey("test-key"),
		vapi.WithRetryWait(time.Millisecond, 10*time.Millisecond),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// Two 503s in a row: the client retries and the third attempt succeeds.
	srv.Fail(vapitest.Failure{Count: 2, Status: http.StatusServiceUnavailable})
	var resp vapi.Response
	s, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name:        vapi.String("support"),
		AssistantID: vapi.String("asst-1"),
	}, vapi.WithResponseInto(&resp))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name != nil && *s.Name == "support", s.Status, *s.ExpirationSeconds, resp.Attempts)

	_, err = client.Sessions.Get(ctx, "00000000-0000-4000-8000-000000000000")
	fmt.Println(errors.Is(err, vapi.ErrNotFound))

	// Output:
	// true active 86400 3
	// true
}

// A fake Sessions API with deterministic ids and timestamps, spoken to with
// plain net/http.
func Example_rawHTTP() {
	srv := vapitest.NewServer(
		vapitest.WithAPIKey("test-key"),
		vapitest.WithOrgID("org-1"),
		vapitest.WithIDGenerator(vapitest.SequentialIDs()),
		vapitest.WithClock(vapitest.StepClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Second)),
	)
	defer srv.Close()

	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(b))
	}

	send("POST", "/session", `{"name":"support","assistantId":"asst-1"}`)
	send("PATCH", "/session/00000000-0000-4000-8000-000000000001", `{"color":"red"}`)

	// The next request fails, as a struggling API would.
	srv.Fail(vapitest.Failure{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}})
	send("GET", "/session/00000000-0000-4000-8000-000000000001", "")

	// Output:
	// 201 {"assistantId":"asst-1","createdAt":"2026-01-02T03:04:05.000Z","expirationSeconds":86400,"id":"00000000-0000-4000-8000-000000000001","name":"support","orgId":"org-1","status":"active","updatedAt":"2026-01-02T03:04:05.000Z"}
	// 400 {"message":["property color should not exist"],"error":"Bad Request","statusCode":400}
	// 503 {"message":"Service Unavailable","error":"Service Unavailable","statusCode":503}
}

// A test moves a call created with POST /call through its statuses; the
// ended call carries a cost, a transcript and its recordings, all fake.
func ExampleServer_SetCallStatus() {
	srv := vapitest.NewServer(vapitest.WithAPIKey("test-key"), vapitest.WithIDGenerator(vapitest.SequentialIDs()))
	defer srv.Close()

	post := func(method, path, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test-key")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var call struct {
		ID       string  `json:"id"`
		Status   string  `json:"status"`
		Cost     float64 `json:"cost"`
		Artifact struct {
			Transcript string `json:"transcript"`
		} `json:"artifact"`
	}
	_ = json.Unmarshal([]byte(post("POST", "/call", `{"customer":{"number":"+15555550100"}}`)), &call)
	fmt.Println(call.ID, call.Status)

	for _, st := range []vapi.CallStatus{vapi.CallStatusRinging, vapi.CallStatusInProgress} {
		if err := srv.SetCallStatus(call.ID, st); err != nil {
			fmt.Println(err)
		}
	}
	if err := srv.EndCall(call.ID, vapi.CallEndedReasonCustomerEndedCall); err != nil {
		fmt.Println(err)
	}
	_ = json.Unmarshal([]byte(post("GET", "/call/"+call.ID, "")), &call)
	fmt.Println(call.Status, call.Cost)
	fmt.Print(call.Artifact.Transcript)
	// Output:
	// 00000000-0000-4000-8000-000000000001 queued
	// ended 0.1
	// AI: Hello, this is a vapitest fake call.
	// User: This is a placeholder customer line from vapitest.
	// AI: Goodbye.
}
