package vapitest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func createCall(t *testing.T, srv *vapitest.Server, body string) map[string]any {
	t.Helper()
	res := do(t, srv, "POST", "/call", body)
	if res.status != 201 {
		t.Fatalf("POST /call: %d %s", res.status, res.raw)
	}
	return res.body
}

func TestACallStartsQueuedAndMovesAsTheTestSays(t *testing.T) {
	srv := newServer(t)
	call := createCall(t, srv, `{"customer":{"number":"+15555550100"},"assistant":{"firstMessage":"Hi, Riley here."}}`)
	id := call["id"].(string)
	if call["status"] != "queued" || call["type"] != "outboundPhoneCall" || call["orgId"] != "org-1" {
		t.Fatalf("new call = %v", call)
	}
	steps := []struct {
		status   vapi.CallStatus
		started  bool
		finished bool
	}{
		{vapi.CallStatusRinging, false, false},
		{vapi.CallStatusInProgress, true, false},
		{vapi.CallStatusEnded, true, true},
	}
	for _, st := range steps {
		t.Run("the call becomes "+string(st.status), func(t *testing.T) {
			if err := srv.SetCallStatus(id, st.status); err != nil {
				t.Fatal(err)
			}
			got := do(t, srv, "GET", "/call/"+id, "").body
			if got["status"] != string(st.status) {
				t.Errorf("status = %v", got["status"])
			}
			if _, ok := got["startedAt"]; ok != st.started {
				t.Errorf("startedAt present = %v, want %v", ok, st.started)
			}
			if _, ok := got["endedAt"]; ok != st.finished {
				t.Errorf("endedAt present = %v, want %v", ok, st.finished)
			}
		})
	}
	ended := do(t, srv, "GET", "/call/"+id, "").body
	t.Run("the ended call has a reason, a cost, messages and an artifact", func(t *testing.T) {
		if ended["endedReason"] != "customer-ended-call" {
			t.Errorf("endedReason = %v", ended["endedReason"])
		}
		if ended["cost"] != 0.1 {
			t.Errorf("cost = %v, want 0.1 (one started minute)", ended["cost"])
		}
		msgs, _ := ended["messages"].([]any)
		if len(msgs) != 3 || msgs[0].(map[string]any)["message"] != "Hi, Riley here." || msgs[0].(map[string]any)["role"] != "bot" {
			t.Errorf("messages = %v", msgs)
		}
		art, _ := ended["artifact"].(map[string]any)
		if tr, _ := art["transcript"].(string); !strings.HasPrefix(tr, "AI: Hi, Riley here.\nUser: ") {
			t.Errorf("transcript = %q", tr)
		}
		if u, _ := art["recordingUrl"].(string); !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("recordingUrl = %q", u)
		}
	})
	t.Run("the call decodes as a vapi.Call", func(t *testing.T) {
		var c vapi.Call
		raw := do(t, srv, "GET", "/call/"+id, "").raw
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			t.Fatal(err)
		}
		if c.ID != id || c.Status != vapi.CallStatusEnded || c.EndedReason != vapi.CallEndedReasonCustomerEndedCall {
			t.Errorf("decoded %+v", c)
		}
	})

	errTests := []struct {
		name string
		err  error
		want string
	}{
		{"an ended call cannot change", srv.SetCallStatus(id, vapi.CallStatusRinging), "is ended"},
		{"an ended call cannot end again", srv.EndCall(id, vapi.CallEndedReasonAssistantEndedCall), "is ended"},
		{"an unknown status is refused", srv.SetCallStatus(id, "dancing"), "not a call status"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", tt.err, tt.want)
			}
		})
	}
	t.Run("an unknown call is ErrCallNotFound", func(t *testing.T) {
		if err := srv.SetCallStatus("00000000-0000-4000-8000-00000000dead", vapi.CallStatusRinging); !errors.Is(err, vapitest.ErrCallNotFound) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a call never moves back", func(t *testing.T) {
		other := createCall(t, srv, `{"customerId":"c-1"}`)["id"].(string)
		if err := srv.SetCallStatus(other, vapi.CallStatusInProgress); err != nil {
			t.Fatal(err)
		}
		if err := srv.SetCallStatus(other, vapi.CallStatusRinging); err == nil || !strings.Contains(err.Error(), "cannot move back") {
			t.Errorf("err = %v", err)
		}
		if err := srv.SetCallStatus(other, vapi.CallStatusInProgress); err != nil {
			t.Errorf("setting the status a call has: %v", err)
		}
		if err := srv.EndCall(other, vapi.CallEndedReasonAssistantEndedCall); err != nil {
			t.Fatal(err)
		}
		if got := do(t, srv, "GET", "/call/"+other, "").body["endedReason"]; got != "assistant-ended-call" {
			t.Errorf("endedReason = %v", got)
		}
	})
}

func TestCallsWithCustomersAreABatch(t *testing.T) {
	srv := newServer(t)
	batch := createCall(t, srv, `{"name":"reminders","customers":[{"number":"+15555550101"},{"number":"+15555550102"}]}`)
	results, _ := batch["results"].([]any)
	if errs, ok := batch["errors"].([]any); !ok || len(errs) != 0 || len(results) != 2 {
		t.Fatalf("batch = %v", batch)
	}
	for i, r := range results {
		c := r.(map[string]any)
		if c["customer"].(map[string]any)["number"] != fmt.Sprintf("+1555555010%d", i+1) || c["status"] != "queued" || c["customers"] != nil {
			t.Errorf("result %d = %v", i, c)
		}
	}
	var list []any
	req, _ := http.NewRequest("GET", srv.URL+"/call?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &list); err != nil || len(list) != 1 {
		t.Errorf("GET /call?limit=1 = %s", b)
	}
}

func TestDeletingACallTakesTheIDsOfItsBody(t *testing.T) {
	srv := newServer(t)
	a := createCall(t, srv, `{"customerId":"c-1"}`)["id"].(string)
	b := createCall(t, srv, `{"customerId":"c-2"}`)["id"].(string)
	res := do(t, srv, "DELETE", "/call/"+a, `{"ids":["`+b+`"]}`)
	if res.status != 200 || res.body["id"] != a {
		t.Fatalf("DELETE: %d %s", res.status, res.raw)
	}
	for _, id := range []string{a, b} {
		wantError(t, do(t, srv, "GET", "/call/"+id, ""), 404, "Call not found")
	}
}

func TestArtifactsAreBehindA302ThatNeedsNoKey(t *testing.T) {
	srv := newServer(t)
	id := createCall(t, srv, `{"customer":{"number":"+15555550100"}}`)["id"].(string)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(url string, withKey bool) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if withKey {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	if resp, _ := get(srv.URL+"/call/"+id+"/mono-recording", true); resp.StatusCode != 404 {
		t.Errorf("before the call ends: %d, want 404", resp.StatusCode)
	}
	if err := srv.EndCall(id, vapi.CallEndedReasonCustomerEndedCall); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mono-recording", "stereo-recording", "video-recording", "customer-recording", "assistant-recording", "pcap", "call-logs"} {
		t.Run(name+" redirects to bytes served without a key", func(t *testing.T) {
			resp, _ := get(srv.URL+"/call/"+id+"/"+name, true)
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, srv.URL+"/") {
				t.Fatalf("status %d, Location %q", resp.StatusCode, loc)
			}
			if resp, _ := get(srv.URL+"/call/"+id+"/"+name, false); resp.StatusCode != 401 {
				t.Errorf("the API route without a key: %d, want 401", resp.StatusCode)
			}
			resp, body := get(loc, false)
			if resp.StatusCode != 200 || !bytes.Equal(body, vapitest.ArtifactBytes(id, name)) || len(body) == 0 {
				t.Errorf("GET Location without a key: %d, %d bytes", resp.StatusCode, len(body))
			}
		})
	}
	t.Run("a recording is a WAV and the capture a pcap", func(t *testing.T) {
		if b := vapitest.ArtifactBytes(id, "mono-recording"); string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
			t.Errorf("recording starts %q", b[:12])
		}
		if b := vapitest.ArtifactBytes(id, "pcap"); len(b) != 24 || b[0] != 0xd4 {
			t.Errorf("pcap = % x", b)
		}
	})
	t.Run("an unknown call is a 404", func(t *testing.T) {
		resp, _ := get(srv.URL+"/call/00000000-0000-4000-8000-00000000dead/pcap", true)
		if resp.StatusCode != 404 {
			t.Errorf("status %d", resp.StatusCode)
		}
		if resp, _ := get(srv.URL+"/vapitest/artifact/00000000-0000-4000-8000-00000000dead/pcap", false); resp.StatusCode != 404 {
			t.Errorf("artifact bytes of an unknown call: %d", resp.StatusCode)
		}
	})
}

// uploadBody streams a multipart body through a pipe, so the server reads
// it as it is written.
func uploadBody(t *testing.T, parts map[string]string, file string, size int) (io.Reader, string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, v := range parts {
			_ = mw.WriteField(k, v)
		}
		if file != "" {
			w, err := mw.CreateFormFile("file", file)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			chunk := bytes.Repeat([]byte("x"), 32<<10)
			for n := size; n > 0; n -= len(chunk) {
				if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

func TestUploadsAreReadAsAStream(t *testing.T) {
	srv := newServer(t)
	send := func(parts map[string]string, file string, size int, withKey bool) result {
		t.Helper()
		body, ct := uploadBody(t, parts, file, size)
		req, _ := http.NewRequest("POST", srv.URL+"/file", body)
		req.Header.Set("Content-Type", ct)
		if withKey {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		res := result{status: resp.StatusCode, header: resp.Header, raw: string(b)}
		_ = json.Unmarshal(b, &res.body)
		return res
	}
	const size = 20 << 20 // larger than the 10 MiB bound of JSON bodies
	res := send(map[string]string{"purpose": "knowledge-base-v2", "metadata": `{"source":"test"}`}, "manual.pdf", size, true)
	if res.status != 201 {
		t.Fatalf("upload: %d %s", res.status, res.raw)
	}
	f := res.body
	for k, want := range map[string]any{"name": "manual.pdf", "bytes": float64(size), "purpose": "knowledge-base-v2", "mimetype": "application/octet-stream", "status": "done", "object": "file"} {
		if f[k] != want {
			t.Errorf("%s = %v, want %v", k, f[k], want)
		}
	}
	id := f["id"].(string)
	if got := do(t, srv, "GET", "/file/"+id, ""); got.status != 200 || got.body["bytes"] != float64(size) {
		t.Errorf("GET /file/%s: %d %s", id, got.status, got.raw)
	}
	if got := do(t, srv, "PATCH", "/file/"+id, `{"name":"handbook.pdf"}`); got.body["name"] != "handbook.pdf" {
		t.Errorf("PATCH: %s", got.raw)
	}
	bad := []struct {
		name  string
		parts map[string]string
		file  string
		want  string
	}{
		{"an unknown purpose", map[string]string{"purpose": "fun"}, "a.txt", "purpose must be one of the following values: assistant, composer-attachment, knowledge-base-v2"},
		{"an unknown part", map[string]string{"colour": "red"}, "a.txt", "property colour should not exist"},
		{"no file part", map[string]string{"purpose": "assistant"}, "", "file should not be empty"},
		{"metadata that is not a JSON object", map[string]string{"metadata": "[1]"}, "a.txt", "metadata must be a JSON object"},
	}
	for _, tt := range bad {
		t.Run("an upload with "+tt.name+" is a 400", func(t *testing.T) {
			wantError(t, send(tt.parts, tt.file, 10, true), 400, tt.want)
		})
	}
	t.Run("an upload without a key is a 401", func(t *testing.T) {
		if res := send(nil, "a.txt", 10, false); res.status != 401 {
			t.Errorf("status %d", res.status)
		}
	})
	t.Run("an upload is recorded without its body", func(t *testing.T) {
		reqs := srv.Requests()
		if last := reqs[len(reqs)-1]; last.URL.Path != "/file" || len(last.Body) != 0 {
			t.Errorf("last request %s with %d bytes", last.URL, len(last.Body))
		}
	})
}
