package vapitest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// callReceiver is a webhook.Router on a loopback server that keeps the
// messages it accepted, in order, and the raw body of every request.
type callReceiver struct {
	URL string

	mu     sync.Mutex
	msgs   []vapi.ServerMessage
	bodies [][]byte
}

func newCallReceiver(t *testing.T, opts ...webhook.Option) *callReceiver {
	t.Helper()
	rec := &callReceiver{}
	router, err := webhook.NewRouter(opts...)
	require.NoError(t, err)
	router.Handle(func(_ context.Context, msg vapi.ServerMessage) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.msgs = append(rec.msgs, msg)
		return nil
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.bodies = append(rec.bodies, body)
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		router.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL + "/vapi/calls"
	return rec
}

func (rec *callReceiver) got() []vapi.ServerMessage {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]vapi.ServerMessage(nil), rec.msgs...)
}

// deliveredTypes lists the types of the server's deliveries, in order.
func deliveredTypes(srv *vapitest.Server) []string {
	var out []string
	for _, d := range srv.WebhookDeliveries() {
		out = append(out, d.Type)
	}
	return out
}

func TestACallsStatusChangesReachItsAssistantsServerURL(t *testing.T) {
	ctx := context.Background()
	rec := newCallReceiver(t, webhook.WithSecret("s3cret"))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s3cret"))
	assistant, err := client.Assistants.Create(ctx, &vapi.AssistantConfig{
		Name:   vapi.String("Order desk"),
		Server: &vapi.Server{URL: vapi.String(rec.URL)},
	})
	require.NoError(t, err)
	call, err := client.Calls.Create(ctx, &vapi.CallConfig{
		AssistantID: vapi.String(assistant.ID),
		Customer:    &vapi.CustomerConfig{Number: vapi.String("+15555550100")},
	})
	require.NoError(t, err)

	steps := []struct {
		name   string
		move   func() error
		status vapi.CallStatus
	}{
		{"creating the call delivers queued before Create returns", func() error { return nil }, vapi.CallStatusQueued},
		{"ringing is delivered before SetCallStatus returns", func() error { return srv.SetCallStatus(call.ID, vapi.CallStatusRinging) }, vapi.CallStatusRinging},
		{"in-progress is delivered", func() error { return srv.SetCallStatus(call.ID, vapi.CallStatusInProgress) }, vapi.CallStatusInProgress},
		{"forwarding is delivered", func() error { return srv.SetCallStatus(call.ID, vapi.CallStatusForwarding) }, vapi.CallStatusForwarding},
		{"setting the same status again delivers nothing", func() error { return srv.SetCallStatus(call.ID, vapi.CallStatusForwarding) }, ""},
		{"ending the call delivers ended, then the report", func() error { return srv.EndCall(call.ID, vapi.CallEndedReasonAssistantEndedCall) }, vapi.CallStatusEnded},
	}
	seen := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			require.NoError(t, st.move())
			got := rec.got()
			if st.status == "" {
				assert.Len(t, got, seen)
				return
			}
			require.Greater(t, len(got), seen)
			m, ok := got[seen].(*vapi.ServerMessageStatusUpdate)
			require.True(t, ok, "got %T", got[seen])
			seen++
			assert.Equal(t, st.status, m.Status)
			require.NotNil(t, m.Call)
			assert.Equal(t, call.ID, m.Call.ID)
			assert.Equal(t, st.status, m.Call.Status, "the call is the stored call, after the change")
			require.NotNil(t, m.Timestamp)
			if st.status == vapi.CallStatusEnded {
				assert.Equal(t, vapi.CallEndedReasonAssistantEndedCall, m.EndedReason)
				require.NotNil(t, m.Artifact, "the ended call's artifact")
			} else {
				assert.Empty(t, m.EndedReason, "endedReason is only sent when the status is ended")
			}
			require.NotNil(t, m.Assistant)
			assert.Equal(t, "Order desk", *m.Assistant.Name, "the stored assistant the call runs")
			require.NotNil(t, m.Customer)
			assert.Equal(t, "+15555550100", *m.Customer.Number)
		})
	}

	var resp vapi.Response
	stored, err := client.Calls.Get(ctx, call.ID, vapi.WithResponseInto(&resp))
	require.NoError(t, err)
	got := rec.got()
	require.Len(t, got, seen+1, "one end-of-call-report after the last status-update")
	report, ok := got[seen].(*vapi.ServerMessageEndOfCallReport)
	require.True(t, ok, "got %T", got[seen])

	t.Run("the report holds the ended call's reason, cost, times and artifact", func(t *testing.T) {
		assert.Equal(t, vapi.CallEndedReasonAssistantEndedCall, report.EndedReason)
		assert.Equal(t, stored.EndedReason, report.EndedReason)
		require.NotNil(t, report.Cost)
		assert.Equal(t, *stored.Cost, *report.Cost)
		require.NotNil(t, report.StartedAt)
		require.NotNil(t, report.EndedAt)
		assert.True(t, stored.StartedAt.Equal(*report.StartedAt))
		assert.True(t, stored.EndedAt.Equal(*report.EndedAt))
		assert.Equal(t, stored.Artifact.Transcript, report.Artifact.Transcript)
		assert.Equal(t, stored.Artifact.Messages, report.Artifact.Messages)
		assert.Equal(t, stored.Artifact.RecordingURL, report.Artifact.RecordingURL)
		assert.Equal(t, vapi.Analysis{}, report.Analysis, "the fake analyses nothing, and says nothing")
		assert.Equal(t, stored, report.Call, "the call is the call GET /call/{id} serves")
	})
	t.Run("the report's call member is the stored call, byte for byte", func(t *testing.T) {
		rec.mu.Lock()
		last := rec.bodies[len(rec.bodies)-1]
		rec.mu.Unlock()
		var body struct {
			Message struct {
				Call json.RawMessage `json:"call"`
			} `json:"message"`
		}
		require.NoError(t, json.Unmarshal(last, &body))
		assert.Equal(t, string(resp.Body), string(body.Message.Call))
	})
	t.Run("every delivery is recorded, in order, and succeeded", func(t *testing.T) {
		assert.Equal(t, []string{"status-update", "status-update", "status-update", "status-update", "status-update", "end-of-call-report"}, deliveredTypes(srv))
		for _, d := range srv.WebhookDeliveries() {
			assert.Equal(t, rec.URL, d.URL)
			assert.Equal(t, 200, d.StatusCode)
			assert.NoError(t, d.Err)
			assert.Equal(t, "s3cret", d.Header.Get("X-Vapi-Secret"))
		}
	})
}

func TestCallMessagesGoWhereVapisPrecedenceSays(t *testing.T) {
	// The receivers a case can name.
	const (
		toAssistant = "assistant"
		toOverride  = "override"
		toPhone     = "phone number"
		toOrg       = "org"
	)
	cases := []struct {
		name string
		// call returns the POST /call body, given the receivers' URLs;
		// it may store the resources the call names first.
		call func(t *testing.T, srv *vapitest.Server, url map[string]string) string
		want string
	}{
		{"the inline assistant's server.url", func(t *testing.T, _ *vapitest.Server, url map[string]string) string {
			return `{"customerId":"c","assistant":{"server":{"url":"` + url[toAssistant] + `"}}}`
		}, toAssistant},
		{"the stored assistant's server.url, by assistantId", func(t *testing.T, srv *vapitest.Server, url map[string]string) string {
			id := createdID(t, srv, "/assistant", `{"server":{"url":"`+url[toAssistant]+`"}}`)
			return `{"customerId":"c","assistantId":"` + id + `"}`
		}, toAssistant},
		{"the call's assistantOverrides.server before the assistant's", func(t *testing.T, srv *vapitest.Server, url map[string]string) string {
			id := createdID(t, srv, "/assistant", `{"server":{"url":"`+url[toAssistant]+`"}}`)
			return `{"customerId":"c","assistantId":"` + id + `","assistantOverrides":{"server":{"url":"` + url[toOverride] + `"}}}`
		}, toOverride},
		{"the assistant's server before the phone number's", func(t *testing.T, srv *vapitest.Server, url map[string]string) string {
			pn := createdID(t, srv, "/phone-number", phoneNumberBody(url[toPhone]))
			return `{"customerId":"c","phoneNumberId":"` + pn + `","assistant":{"server":{"url":"` + url[toAssistant] + `"}}}`
		}, toAssistant},
		{"the stored phone number's server when the assistant has none", func(t *testing.T, srv *vapitest.Server, url map[string]string) string {
			pn := createdID(t, srv, "/phone-number", phoneNumberBody(url[toPhone]))
			return `{"customerId":"c","phoneNumberId":"` + pn + `","assistant":{"name":"no server"}}`
		}, toPhone},
		{"the inline phone number's server", func(t *testing.T, _ *vapitest.Server, url map[string]string) string {
			return `{"customerId":"c","phoneNumber":{"twilioPhoneNumber":"+15555550100","twilioAccountSid":"AC1","server":{"url":"` + url[toPhone] + `"}}}`
		}, toPhone},
		{"the first member of an inline squad", func(t *testing.T, _ *vapitest.Server, url map[string]string) string {
			return `{"customerId":"c","squad":{"members":[{"assistant":{"server":{"url":"` + url[toAssistant] + `"}}},{"assistant":{"server":{"url":"` + url[toOrg] + `"}}}]}}`
		}, toAssistant},
		{"the stored squad's first member, with the squad's membersOverrides", func(t *testing.T, srv *vapitest.Server, url map[string]string) string {
			a := createdID(t, srv, "/assistant", `{"server":{"url":"`+url[toAssistant]+`"}}`)
			sq := createdID(t, srv, "/squad", `{"members":[{"assistantId":"`+a+`"}],"membersOverrides":{"server":{"url":"`+url[toOverride]+`"}}}`)
			return `{"customerId":"c","squadId":"` + sq + `"}`
		}, toOverride},
		{"the org's, the URL of WithWebhookSecret, when neither has one", func(t *testing.T, _ *vapitest.Server, _ map[string]string) string {
			return `{"customerId":"c","assistant":{"name":"no server"}}`
		}, toOrg},
		{"the org's when the assistantId names no stored assistant", func(t *testing.T, _ *vapitest.Server, _ map[string]string) string {
			return `{"customerId":"c","assistantId":"00000000-0000-4000-8000-00000000dead"}`
		}, toOrg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			receivers := map[string]*rawReceiver{}
			urls := map[string]string{}
			for _, name := range []string{toAssistant, toOverride, toPhone, toOrg} {
				receivers[name] = newRawReceiver(t, 200, `{}`)
				urls[name] = receivers[name].URL
			}
			srv := newServer(t, vapitest.WithWebhookSecret(urls[toOrg], "org-secret"))
			id := createCall(t, srv, tc.call(t, srv, urls))["id"].(string)
			for name, r := range receivers {
				r.mu.Lock()
				n := len(r.bodies)
				var body string
				if n > 0 {
					body = r.bodies[0]
				}
				r.mu.Unlock()
				if name != tc.want {
					assert.Zero(t, n, "%s's server got a message", name)
					continue
				}
				require.Equal(t, 1, n, "%s's server gets the queued status-update", name)
				assert.Contains(t, body, `"type":"status-update","status":"queued"`)
				assert.Contains(t, body, `"id":"`+id+`"`)
			}
			d := srv.WebhookDeliveries()
			require.Len(t, d, 1)
			assert.Equal(t, urls[tc.want], d[0].URL)
		})
	}
}

// phoneNumberBody is a Twilio number to store, with a server URL.
func phoneNumberBody(url string) string {
	return `{"provider":"twilio","number":"+15555550111","twilioAccountSid":"AC1","twilioAuthToken":"t","server":{"url":"` + url + `"}}`
}

// createdID stores a resource with POST path and returns its id.
func createdID(t *testing.T, srv *vapitest.Server, path, body string) string {
	t.Helper()
	res := do(t, srv, "POST", path, body)
	require.Equal(t, 201, res.status, "POST %s: %s", path, res.raw)
	return res.body["id"].(string)
}

func TestACallWithoutAServerURLDeliversNothing(t *testing.T) {
	srv := newServer(t)
	id := createCall(t, srv, `{"customerId":"c","assistant":{"firstMessage":"Hi."}}`)["id"].(string)
	require.NoError(t, srv.SetCallStatus(id, vapi.CallStatusInProgress))
	require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall))
	assert.Empty(t, srv.WebhookDeliveries())

	t.Run("the same call with a server URL delivers, so the check above can fail", func(t *testing.T) {
		rec := newRawReceiver(t, 200, `{}`)
		id := createCall(t, srv, `{"customerId":"c","assistant":{"server":{"url":"`+rec.URL+`"}}}`)["id"].(string)
		require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall))
		assert.Equal(t, []string{"status-update", "status-update", "end-of-call-report"}, deliveredTypes(srv))
	})
}

func TestTheAssistantsServerMessagesChooseWhatIsDelivered(t *testing.T) {
	all := []string{"status-update", "status-update", "status-update", "end-of-call-report"}
	cases := []struct {
		name      string
		assistant string // members of the inline assistant besides its server
		overrides string // the call's assistantOverrides, when set
		want      []string
	}{
		{"unset, Vapi's default list delivers both", ``, ``, all},
		{"only end-of-call-report", `"serverMessages":["end-of-call-report"]`, ``, []string{"end-of-call-report"}},
		{"only status-update", `"serverMessages":["status-update"]`, ``, all[:3]},
		{"an empty list delivers nothing", `"serverMessages":[]`, ``, nil},
		{"a list of other messages delivers nothing", `"serverMessages":["transcript","hang"]`, ``, nil},
		{"the call's assistantOverrides replace the list", `"serverMessages":["status-update"]`, `{"serverMessages":["end-of-call-report"]}`, []string{"end-of-call-report"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRawReceiver(t, 200, `{}`)
			srv := newServer(t)
			a := `{"server":{"url":"` + rec.URL + `"}`
			if tc.assistant != "" {
				a += "," + tc.assistant
			}
			body := `{"customerId":"c","assistant":` + a + `}}`
			if tc.overrides != "" {
				body = strings.TrimSuffix(body, "}") + `,"assistantOverrides":` + tc.overrides + `}`
			}
			id := createCall(t, srv, body)["id"].(string)
			require.NoError(t, srv.SetCallStatus(id, vapi.CallStatusInProgress))
			require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonSilenceTimedOut))
			assert.Equal(t, tc.want, deliveredTypes(srv))
			rec.mu.Lock()
			assert.Len(t, rec.bodies, len(tc.want), "what is recorded is what the receiver got")
			rec.mu.Unlock()
		})
	}
}

func TestCallMessagesAreSignedAsTheURLsOptionSays(t *testing.T) {
	key := []byte("\xfb\xff\xfe a binary key \xfa")
	forms := []struct {
		name   string
		sender func(url string) vapitest.Option
		verify webhook.Option
		wrong  webhook.Option
	}{
		{
			"an X-Vapi-Secret",
			func(url string) vapitest.Option { return vapitest.WithWebhookSecret(url, "s3cret") },
			webhook.WithSecret("s3cret"), webhook.WithSecret("other"),
		},
		{
			"an HMAC plan's defaults",
			func(url string) vapitest.Option {
				return vapitest.WithWebhookHMAC(url, vapi.HMACAuthenticationPlan{SecretKey: "k1", Algorithm: "sha256"})
			},
			webhook.WithHMAC(vapi.HMACAuthenticationPlan{SecretKey: "k1", Algorithm: "sha256"}),
			webhook.WithHMAC(vapi.HMACAuthenticationPlan{SecretKey: "k2", Algorithm: "sha256"}),
		},
	}
	extra := []struct {
		name string
		plan vapi.HMACAuthenticationPlan
	}{
		{"sha512, base64, a prefix and custom headers", vapi.HMACAuthenticationPlan{
			SecretKey: "k2", Algorithm: "sha512", SignatureEncoding: "base64",
			SignaturePrefix: vapi.String("sha512="), SignatureHeader: vapi.String("X-Hub-Signature"),
			TimestampHeader: vapi.String("X-Hub-Timestamp"),
		}},
		{"sha1 without a timestamp", vapi.HMACAuthenticationPlan{SecretKey: "k3", Algorithm: "sha1", IncludeTimestamp: vapi.Bool(false)}},
		{"a standard base64 secret", vapi.HMACAuthenticationPlan{SecretKey: base64.StdEncoding.EncodeToString(key), SecretIsBase64: vapi.Bool(true), Algorithm: "sha256"}},
		{"an unpadded standard base64 secret", vapi.HMACAuthenticationPlan{SecretKey: base64.RawStdEncoding.EncodeToString(key), SecretIsBase64: vapi.Bool(true), Algorithm: "sha256"}},
		{"a base64url secret", vapi.HMACAuthenticationPlan{SecretKey: base64.URLEncoding.EncodeToString(key), SecretIsBase64: vapi.Bool(true), Algorithm: "sha256"}},
		{"an unpadded base64url secret", vapi.HMACAuthenticationPlan{SecretKey: base64.RawURLEncoding.EncodeToString(key), SecretIsBase64: vapi.Bool(true), Algorithm: "sha256"}},
		{"a Svix-style plan", vapi.HMACAuthenticationPlan{
			SecretKey: "c3ZpeC1zdHlsZS1zZWNyZXQ=", SecretIsBase64: vapi.Bool(true), Algorithm: "sha256",
			SignatureEncoding: "base64", SignaturePrefix: vapi.String("v1,"),
			SignatureHeader: vapi.String("svix-signature"), TimestampHeader: vapi.String("svix-timestamp"),
			MessageIDHeader: vapi.String("svix-id"), PayloadFormat: vapi.String("{svix-id}.{timestamp}.{body}"),
		}},
		{"a payload format with the method and URL", vapi.HMACAuthenticationPlan{
			SecretKey: "k5", Algorithm: "sha256", PayloadFormat: vapi.String("{method} {url}\n{timestamp}\n{body}"),
		}},
	}
	for _, e := range extra {
		plan := e.plan
		wrong := plan
		wrong.SecretKey = base64.StdEncoding.EncodeToString([]byte("not the key"))
		forms = append(forms, struct {
			name   string
			sender func(url string) vapitest.Option
			verify webhook.Option
			wrong  webhook.Option
		}{"an HMAC plan with " + e.name, func(url string) vapitest.Option { return vapitest.WithWebhookHMAC(url, plan) }, webhook.WithHMAC(plan), webhook.WithHMAC(wrong)})
	}

	for _, f := range forms {
		t.Run(f.name+" verifies with webhook.Verify", func(t *testing.T) {
			type check struct{ err, wrongErr, parseErr error }
			var mu sync.Mutex
			var checks []check
			receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				c := check{err: webhook.Verify(r, body, f.verify), wrongErr: webhook.Verify(r, body, f.wrong)}
				_, c.parseErr = webhook.Parse(body)
				mu.Lock()
				checks = append(checks, c)
				mu.Unlock()
			}))
			t.Cleanup(receiver.Close)
			url := receiver.URL + "/hooks?org=1"

			srv := newServer(t, f.sender(url))
			id := createCall(t, srv, `{"customerId":"c","assistant":{"server":{"url":"`+url+`"}}}`)["id"].(string)
			require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall))

			mu.Lock()
			defer mu.Unlock()
			require.Len(t, checks, 3, "queued, ended, end-of-call-report")
			for i, c := range checks {
				assert.NoError(t, c.err, "delivery %d", i)
				assert.Error(t, c.wrongErr, "delivery %d verifies with the wrong credential too", i)
				assert.NoError(t, c.parseErr, "delivery %d", i)
			}
		})
	}
}

func TestCallMessagesDecodeToTheirTypesAndRoundTrip(t *testing.T) {
	rec := newCallReceiver(t, webhook.InsecureSkipVerify())
	srv := newServer(t)
	id := createCall(t, srv, `{"customer":{"number":"+15555550100"},"assistant":{"firstMessage":"Hello there.","server":{"url":"`+rec.URL+`"}}}`)["id"].(string)
	for _, st := range []vapi.CallStatus{vapi.CallStatusRinging, vapi.CallStatusInProgress, vapi.CallStatusForwarding} {
		require.NoError(t, srv.SetCallStatus(id, st))
	}
	require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall))

	rec.mu.Lock()
	bodies := append([][]byte(nil), rec.bodies...)
	rec.mu.Unlock()
	require.Len(t, bodies, 6)
	wantTypes := []string{"*vapi.ServerMessageStatusUpdate", "*vapi.ServerMessageStatusUpdate", "*vapi.ServerMessageStatusUpdate",
		"*vapi.ServerMessageStatusUpdate", "*vapi.ServerMessageStatusUpdate", "*vapi.ServerMessageEndOfCallReport"}
	for i, body := range bodies {
		t.Run(fmt.Sprintf("delivery %d, a %s, round-trips", i+1, wantTypes[i]), func(t *testing.T) {
			msg, err := webhook.Parse(body)
			require.NoError(t, err)
			assert.Equal(t, wantTypes[i], fmt.Sprintf("%T", msg))
			var sent struct {
				Message json.RawMessage `json:"message"`
			}
			require.NoError(t, json.Unmarshal(body, &sent))
			again, err := json.Marshal(msg)
			require.NoError(t, err)
			assert.Equal(t, sameInstants(t, sent.Message), sameInstants(t, again), "nothing lost, nothing invented")
			assert.Empty(t, vapi.UnknownMembers(msg), "the message declares every member it carries")
			var members map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(sent.Message, &members))
			// The spec's required lists: ServerMessageStatusUpdate
			// [type, status], ServerMessageEndOfCallReport [type,
			// endedReason, artifact, analysis].
			required := []string{"type", "status"}
			if i == 5 {
				required = []string{"type", "endedReason", "artifact", "analysis"}
			}
			for _, name := range append(required, "timestamp", "call") {
				assert.Contains(t, members, name)
			}
		})
	}
	t.Run("the router hands them over typed", func(t *testing.T) {
		got := rec.got()
		require.Len(t, got, 6)
		report, ok := got[5].(*vapi.ServerMessageEndOfCallReport)
		require.True(t, ok)
		require.NotNil(t, report.Artifact.Transcript)
		assert.True(t, strings.HasPrefix(*report.Artifact.Transcript, "AI: Hello there.\n"), "the transcript of the stored call")
	})
}

// sameInstants decodes JSON with every RFC 3339 string written as one
// spelling of its instant, since the SDK may re-spell a date-time.
func sameInstants(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				v[k] = walk(e)
			}
		case []any:
			for i, e := range v {
				v[i] = walk(e)
			}
		case string:
			if at, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return at.UTC().Format(time.RFC3339Nano)
			}
		}
		return v
	}
	return walk(v)
}

func TestBatchCallsEachDeliverTheirQueuedStatus(t *testing.T) {
	rec := newRawReceiver(t, 200, `{}`)
	srv := newServer(t)
	res := do(t, srv, "POST", "/call", `{"customers":[{"number":"+15555550101"},{"number":"+15555550102"}],"assistant":{"server":{"url":"`+rec.URL+`"}}}`)
	require.Equal(t, 201, res.status, res.raw)
	results := res.body["results"].([]any)
	require.Len(t, results, 2)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.bodies, 2, "one status-update per call, before the answer")
	for i, r := range results {
		assert.Contains(t, rec.bodies[i], `"id":"`+r.(map[string]any)["id"].(string)+`"`)
		assert.Contains(t, rec.bodies[i], `"status":"queued"`)
	}
}

func TestAFailingServerURLNeverFailsTheStatusChange(t *testing.T) {
	rec := newRawReceiver(t, 500, `oops`)
	srv := newServer(t)
	id := createCall(t, srv, `{"customerId":"c","assistant":{"server":{"url":"`+rec.URL+`"}}}`)["id"].(string)
	require.NoError(t, srv.SetCallStatus(id, vapi.CallStatusInProgress))
	require.NoError(t, srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall))
	assert.Equal(t, "ended", do(t, srv, "GET", "/call/"+id, "").body["status"])
	d := srv.WebhookDeliveries()
	require.Len(t, d, 4)
	for _, d := range d {
		assert.Equal(t, 500, d.StatusCode)
		assert.ErrorContains(t, d.Err, "500")
		assert.Equal(t, "oops", string(d.Response))
	}
}

func TestEveryStatusThatEndsACallIsFollowedByItsReport(t *testing.T) {
	for _, status := range []vapi.CallStatus{vapi.CallStatusEnded, vapi.CallStatusNotFound, vapi.CallStatusDeletionFailed} {
		t.Run(string(status)+" delivers its status-update, then the report", func(t *testing.T) {
			rec := newCallReceiver(t, webhook.InsecureSkipVerify())
			srv := newServer(t)
			id := createCall(t, srv, `{"customerId":"c","assistant":{"server":{"url":"`+rec.URL+`"}}}`)["id"].(string)
			require.NoError(t, srv.SetCallStatus(id, status))
			got := rec.got()
			require.Len(t, got, 3)
			update, ok := got[1].(*vapi.ServerMessageStatusUpdate)
			require.True(t, ok, "got %T", got[1])
			assert.Equal(t, status, update.Status)
			assert.Equal(t, vapi.CallEndedReasonCustomerEndedCall, update.EndedReason)
			report, ok := got[2].(*vapi.ServerMessageEndOfCallReport)
			require.True(t, ok, "got %T", got[2])
			assert.Equal(t, status, report.Call.Status)
		})
	}
	t.Run("a status that does not end the call sends no report", func(t *testing.T) {
		rec := newCallReceiver(t, webhook.InsecureSkipVerify())
		srv := newServer(t)
		id := createCall(t, srv, `{"customerId":"c","assistant":{"server":{"url":"`+rec.URL+`"}}}`)["id"].(string)
		require.NoError(t, srv.SetCallStatus(id, vapi.CallStatusInProgress))
		assert.Equal(t, []string{"status-update", "status-update"}, deliveredTypes(srv))
	})
}
