package vapitest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govapi/vapi"
)

// The fake Calls API. POST /call with one customer (customer or
// customerId) creates a call that starts "queued", of type
// "outboundPhoneCall"; with customers it creates one call per customer and
// answers a CallBatchResponse ({"results": [...], "errors": []}). Both, or
// neither, is a 400. Nothing moves a call on by itself: a test moves it
// with [Server.SetCallStatus] or [Server.EndCall], and reads it with GET
// /call/{id}. Each status a call gets is delivered to its server URL as a
// status-update message, its end also as an end-of-call-report (see
// lifecycle.go). DELETE /call/{id} removes the call, and the calls its body's
// ids name.
//
// The seven downloads GET /call/{id}/mono-recording, stereo-recording,
// video-recording, customer-recording, assistant-recording, pcap and
// call-logs answer, once the call has ended, 302 with a Location on the
// same server (/vapitest/artifact/{id}/{artifact}), which serves fixed
// bytes without asking for a key, as the API's presigned storage URLs do:
// a short silent WAV for the recordings, an empty pcap capture, and JSON
// lines for the logs (the video is a few placeholder bytes, not a video).
// Before the call ends they are a 404, as is an unknown call.

// callStatusRank orders the statuses a call goes through; a call never
// moves back, and one that has ended (or was not found) stays so.
var callStatusRank = map[vapi.CallStatus]int{
	vapi.CallStatusScheduled:      0,
	vapi.CallStatusQueued:         1,
	vapi.CallStatusRinging:        2,
	vapi.CallStatusInProgress:     3,
	vapi.CallStatusForwarding:     4,
	vapi.CallStatusEnded:          5,
	vapi.CallStatusNotFound:       5,
	vapi.CallStatusDeletionFailed: 5,
}

// ErrCallNotFound is returned by [Server.SetCallStatus] and [Server.EndCall]
// for an id the server holds no call for.
var ErrCallNotFound = errors.New("vapitest: no such call")

// SetCallStatus moves the call id on to status, as the live call would:
// "queued", "ringing", "in-progress", "forwarding", then "ended" (or
// "not-found", "deletion-failed"). A call moves forward only, possibly
// skipping statuses; setting the status it has is a no-op; a call that has
// ended cannot change. Reaching "in-progress" or later sets startedAt;
// ending sets what [Server.EndCall] describes, with the endedReason
// "customer-ended-call". Each change moves updatedAt on. The error wraps
// [ErrCallNotFound] for an unknown id.
//
// Each status a call gets (queued when POST /call creates it, then each
// change) is delivered as a status-update message to the call's server
// URL, before the request or SetCallStatus returns:
//
//	{"message":{"type":"status-update","status":"ringing","timestamp":<ms>,
//	  "assistant":{...},"customer":{...},"phoneNumber":{...},"call":{...}}}
//
// where call is the call as GET /call/{id} serves it after the change,
// assistant the assistant it runs (with the call's overrides applied),
// customer and phoneNumber the call's (each left out when the call has
// none), and timestamp the server's clock in milliseconds. When the call
// has ended (its status is "ended", or "not-found" or "deletion-failed")
// the message also has the call's endedReason and artifact, and a second
// message follows: an end-of-call-report with the call's
// endedReason, cost, costs, artifact, analysis (empty when the call has
// none: the fake analyses nothing), startedAt, endedAt and the same
// members, every value as the stored call has it.
//
// The server URL is the one Vapi's precedence gives: the server.url of
// the call's assistant, with its assistantOverrides (the inline assistant,
// the stored one of assistantId, or the first member of the call's squad,
// inline or stored, with the member's assistantOverrides, the squad's
// membersOverrides and the call's squadOverrides), else the server.url of
// its phone number (inline, or the stored one of phoneNumberId), else the
// org's: for this fake, every URL given with [WithWebhookSecret] or
// [WithWebhookHMAC]. Without any, nothing is delivered. When the
// assistant's serverMessages is set, only the messages it lists are
// delivered; unset, Vapi's default list applies, which has both.
//
// Deliveries are signed as that URL's [WithWebhookSecret] and
// [WithWebhookHMAC] options say (unsigned without one), exactly as
// [Server.SendServerMessage] signs, and recorded in
// [Server.WebhookDeliveries]. A delivery that fails (a status other than
// 2xx, no answer) is recorded there, never returned: the status change has
// happened all the same.
func (s *Server) SetCallStatus(id string, status vapi.CallStatus) error {
	return s.setCallStatus(id, status, vapi.CallEndedReasonCustomerEndedCall)
}

// EndCall ends the call id with reason, from whatever status it has
// reached. The ended call gets endedAt, endedReason, startedAt (when it
// never started: then it lasted no time), a cost of $0.10 per started
// minute between startedAt and endedAt (at least one), and fixed fake
// content clearly marked as such: messages (a greeting, one customer
// line, a goodbye, in the transcript form with role "bot" and "user"), an
// artifact with those messages, their transcript ("AI: …\nUser: …") and the
// URLs of the seven downloads. Ending an ended call is an error.
func (s *Server) EndCall(id string, reason vapi.CallEndedReason) error {
	return s.setCallStatus(id, vapi.CallStatusEnded, reason)
}

func (s *Server) setCallStatus(id string, status vapi.CallStatus, reason vapi.CallEndedReason) error {
	to, ok := callStatusRank[status]
	if !ok {
		return fmt.Errorf("vapitest: %q is not a call status", status)
	}
	s.mu.Lock()
	now := s.cfg.clock().UTC()
	rec := s.stores["/call"][id]
	if rec == nil {
		s.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrCallNotFound, id)
	}
	cur, _ := rec.obj["status"].(string)
	from := vapi.CallStatus(cur)
	switch {
	case from == status && status != vapi.CallStatusEnded:
		s.mu.Unlock()
		return nil
	case callStatusRank[from] == 5:
		s.mu.Unlock()
		return fmt.Errorf("vapitest: call %s is %s; it cannot become %s", id, from, status)
	case to < callStatusRank[from]:
		s.mu.Unlock()
		return fmt.Errorf("vapitest: call %s is %s; it cannot move back to %s", id, from, status)
	}
	obj := cloneObj(rec.obj)
	obj["status"] = string(status)
	stamp := now.Truncate(time.Millisecond).Format(timeLayout)
	if _, started := obj["startedAt"]; !started && to >= callStatusRank[vapi.CallStatusInProgress] {
		obj["startedAt"] = stamp
	}
	if to == 5 {
		s.endCall(obj, reason, now)
	}
	next := s.replace("/call", rec, obj, now)
	msgs := s.callStatusChanged(next, from, status, now)
	s.mu.Unlock()
	s.deliver(context.Background(), msgs)
	return nil
}

// endCall fills what an ended call carries: see EndCall.
func (s *Server) endCall(obj map[string]any, reason vapi.CallEndedReason, now time.Time) {
	now = now.Truncate(time.Millisecond)
	started := now
	if v, ok := obj["startedAt"].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			started = t
		}
	}
	obj["endedAt"] = now.Format(timeLayout)
	obj["endedReason"] = string(reason)
	minutes := math.Max(1, math.Ceil(now.Sub(started).Minutes()))
	obj["cost"] = math.Round(minutes*0.10*100) / 100

	greeting := "Hello, this is a vapitest fake call."
	if a, ok := obj["assistant"].(map[string]any); ok {
		if fm, ok := a["firstMessage"].(string); ok && fm != "" {
			greeting = fm
		}
	}
	lines := []struct{ role, text string }{
		{"bot", greeting},
		{"user", "This is a placeholder customer line from vapitest."},
		{"bot", "Goodbye."},
	}
	var msgs []any
	var transcript strings.Builder
	span := now.Sub(started)
	for i, l := range lines {
		at := started.Add(span * time.Duration(i) / time.Duration(len(lines)))
		end := started.Add(span * time.Duration(i+1) / time.Duration(len(lines)))
		msgs = append(msgs, map[string]any{
			"role": l.role, "message": l.text,
			"time": at.UnixMilli(), "endTime": end.UnixMilli(),
			"secondsFromStart": at.Sub(started).Seconds(), "duration": end.Sub(at).Milliseconds(),
		})
		who := "AI"
		if l.role == "user" {
			who = "User"
		}
		transcript.WriteString(who + ": " + l.text + "\n")
	}
	id, _ := obj["id"].(string)
	url := func(name string) string { return s.URL + "/" + artifactPrefix + "/artifact/" + id + "/" + name }
	obj["messages"] = msgs
	obj["artifact"] = map[string]any{
		"messages":           msgs,
		"transcript":         transcript.String(),
		"recordingUrl":       url("mono-recording"),
		"stereoRecordingUrl": url("stereo-recording"),
		"videoRecordingUrl":  url("video-recording"),
		"pcapUrl":            url("pcap"),
		"logUrl":             url("call-logs"),
	}
}

// createCall answers POST /call: one call, or a batch of one per customer.
func (s *Server) createCall(o *resOp, now time.Time) response {
	customers, _ := o.fields["customers"].([]any)
	_, one := o.fields["customer"]
	_, oneID := o.fields["customerId"]
	switch {
	case len(customers) > 0 && (one || oneID):
		return errorResponse(http.StatusBadRequest, []string{"customers must not be set with customer or customerId"})
	case len(customers) == 0 && !one && !oneID:
		return errorResponse(http.StatusBadRequest, []string{"call needs a customer: one of customer, customerId or customers"})
	}
	if len(customers) == 0 {
		rec, bad := s.newCall(o, o.fields, now)
		if bad != nil {
			return *bad
		}
		return response{status: o.ep.status, body: rec.body, webhooks: s.callStatusChanged(rec, "", vapi.CallStatusQueued, now)}
	}
	var results []any
	var msgs []webhookMessage
	for _, c := range customers {
		fields := cloneObj(o.fields)
		delete(fields, "customers")
		fields["customer"] = c
		rec, bad := s.newCall(o, fields, now)
		if bad != nil {
			return *bad
		}
		results = append(results, rec.obj)
		msgs = append(msgs, s.callStatusChanged(rec, "", vapi.CallStatusQueued, now)...)
	}
	return response{status: o.ep.status, body: mustJSON(map[string]any{"results": results, "errors": []any{}}), webhooks: msgs}
}

func (s *Server) newCall(o *resOp, fields map[string]any, now time.Time) (*record, *response) {
	obj := instance(o.ep, "", now)
	for k, v := range fields {
		obj[k] = v
	}
	obj["status"] = string(vapi.CallStatusQueued)
	obj["type"] = string(vapi.CallTypeOutboundPhoneCall)
	return s.insert("/call", "", obj, now)
}

// deleteCalls removes the calls a DeleteCallDTO's ids name.
func (s *Server) deleteCalls(fields map[string]any) {
	ids, _ := fields["ids"].([]any)
	for _, id := range ids {
		if id, ok := id.(string); ok {
			s.remove("/call", id)
		}
	}
}

// artifactPrefix starts the paths the fake serves artifact bytes at.
const artifactPrefix = "vapitest"

// artifactRedirect answers GET /call/{id}/<artifact>.
func (s *Server) artifactRedirect(o *resOp) response {
	rec, bad := s.find("/call", "", o.member, o.memberUUID())
	if bad != nil {
		return *bad
	}
	if rec.obj["status"] != string(vapi.CallStatusEnded) {
		return errorResponse(http.StatusNotFound, "Call "+rec.id+" has not ended: its artifacts do not exist yet")
	}
	name := o.ep.segs[len(o.ep.segs)-1]
	h := http.Header{}
	h.Set("Location", s.URL+"/"+artifactPrefix+"/artifact/"+rec.id+"/"+name)
	return response{status: http.StatusFound, header: h}
}

// prepareArtifact routes /vapitest/artifact/{id}/{artifact}.
func prepareArtifact(segs []string) op {
	if segs[1] != "artifact" || artifactTypes[segs[3]] == "" {
		return op{kind: opNotFound}
	}
	return op{kind: opArtifact, id: segs[2] + "/" + segs[3]}
}

// artifactTypes are the media types of the artifacts' bytes.
var artifactTypes = map[string]string{
	"mono-recording":      "audio/wav",
	"stereo-recording":    "audio/wav",
	"customer-recording":  "audio/wav",
	"assistant-recording": "audio/wav",
	"video-recording":     "application/octet-stream",
	"pcap":                "application/vnd.tcpdump.pcap",
	"call-logs":           "application/x-ndjson",
}

// artifactContent serves an ended call's artifact bytes, with no key.
func (s *Server) artifactContent(key string) response {
	id, name, _ := strings.Cut(key, "/")
	rec := s.stores["/call"][id]
	if rec == nil || rec.obj["status"] != string(vapi.CallStatusEnded) {
		return errorResponse(http.StatusNotFound, "Not Found")
	}
	h := http.Header{}
	h.Set("Content-Type", artifactTypes[name])
	return response{status: http.StatusOK, header: h, body: ArtifactBytes(id, name)}
}

// ArtifactBytes returns the bytes the server serves for artifact name
// ("mono-recording", "pcap", "call-logs", …) of the ended call id, so a
// test can compare what it downloaded. They depend on nothing else: a
// 0.1 s silent 8 kHz 16-bit WAV (two channels for the stereo recording),
// an empty pcap capture (its 24-byte header), three JSON log lines, or,
// for the video, the text "vapitest placeholder video for call <id>". It
// returns nil for an unknown artifact name.
func ArtifactBytes(id, name string) []byte {
	switch name {
	case "mono-recording", "customer-recording", "assistant-recording":
		return silentWAV(1)
	case "stereo-recording":
		return silentWAV(2)
	case "pcap":
		b := make([]byte, 24)
		binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
		binary.LittleEndian.PutUint16(b[4:], 2)
		binary.LittleEndian.PutUint16(b[6:], 4)
		binary.LittleEndian.PutUint32(b[16:], 65535)
		binary.LittleEndian.PutUint32(b[20:], 1) // Ethernet
		return b
	case "call-logs":
		var b strings.Builder
		for i, msg := range []string{"call queued", "call started", "call ended"} {
			b.WriteString(`{"seq":` + strconv.Itoa(i+1) + `,"callId":` + strconv.Quote(id) + `,"message":` + strconv.Quote(msg+" (vapitest placeholder log)") + "}\n")
		}
		return []byte(b.String())
	case "video-recording":
		return []byte("vapitest placeholder video for call " + id)
	}
	return nil
}

// silentWAV is 0.1 s of silence, 8 kHz, 16-bit PCM.
func silentWAV(channels int) []byte {
	const rate, bits = 8000, 16
	data := rate / 10 * channels * bits / 8
	b := make([]byte, 44+data)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], uint16(channels))
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*channels*bits/8))
	binary.LittleEndian.PutUint16(b[32:], uint16(channels*bits/8))
	binary.LittleEndian.PutUint16(b[34:], bits)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	return b
}
