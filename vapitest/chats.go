package vapitest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govapi/vapi"
)

// WithChatResponder sets the function that writes the assistant's reply to
// each chat turn. It gets the request's context and the conversation so
// far: the messages of the session (or previous chat), then the turn's
// input; it must not modify them. It is called without the server's lock,
// so it may block or call the server; concurrent turns call it
// concurrently.
//
// Without it, the reply is deterministic:
//
//	Reply <n> from vapitest: you said "<text>".
//
// where n counts the user messages in the conversation and text is the
// last one's message.
//
// # The fake Chats API
//
// The server fakes the Chats API. Its routes, all of which need an "Authorization: Bearer
// <key>" header:
//
//   - POST /chat sends one turn: 200 and the Chat, or, when the body says
//     "stream": true, 200 and a text/event-stream of
//     data: {"id":"<chat id>","sessionId":"<session id>","path":"chat.output[0].content","delta":"…"}
//     events, a few words each, flushed one by one, then data: [DONE].
//   - POST /chat/responses sends one turn in the OpenAI Responses format:
//     200 and a ResponseObject when the body says "stream": false, else (the
//     API's default) a text/event-stream of response.output_text.delta
//     events, one response.output_text.done and one response.completed,
//     each with an "event:" line naming its type. The response's id is the
//     chat's.
//   - GET /chat/{id}: 200 and the Chat; DELETE /chat/{id}: removes it, 200
//     and the deleted Chat. An id that is not a UUID is a 400 ("Validation
//     failed (uuid is expected)") unless WithIDGenerator served it, an
//     unknown one a 404 ("Chat not found").
//   - GET /chat: 200 and a ChatPaginatedResponse, filtered by id, idAny,
//     sessionId, previousChatId, assistantId, assistantIdAny and squadId,
//     the createdAt… and updatedAt… ranges, sorted and paginated by
//     sortOrder, sortBy, page and limit as GET /session is (no cursor).
//
// A turn's context is the session's messages (sessionId), or the messages
// and output of the previous chat (previousChatId), or nothing. The reply
// comes from the responder (see above), given that context
// followed by the turn's input. The chat is stored, and the input and the
// reply appended to the session's messages, before the answer starts, so
// that GET /session/{id} and GET /chat/{id} see the turn as soon as the
// stream does. A string input becomes a user message
// ({"role":"user","message":…}); an array input is taken as it is. The
// reply is an assistant message ({"role":"assistant","content":…}). The
// chat's messages hold the context and the input, its output the reply;
// it takes assistantId and squadId from the session or previous chat when
// the request gives none.
//
// Request bodies are checked like those of the session routes, with
// vapi.CreateChatRequest or vapi.OpenAIResponsesRequest and their Validate,
// which also rejects sessionId with previousChatId, and sessionId with
// assistantId, assistant, squadId or squad (a 400 naming the field, for
// example "previousChatId must not be set with sessionId: …"). Then, in
// this order:
//
//   - 404 "Session not found" for a sessionId the server does not hold;
//   - 400 "Session <id> has expired" for a session whose expirationSeconds
//     have passed since its createdAt (by the server's clock, see
//     [WithClock]), and 400 "Session <id> is completed" for one whose status
//     is "completed";
//   - 404 "Chat not found" for an unknown previousChatId;
//   - 400 "chat needs a context: one of assistantId, assistant, squadId,
//     squad, sessionId or previousChatId" when there is none of them.
//
// Chats belong to no session's lifetime: deleting a session leaves its chats.
//
// With [WithWebhookSecret] or [WithWebhookHMAC], every turn delivers
// chat.created, with the Chat as GET /chat/{id} serves it, before its answer
// starts (so before the first event of a stream), and DELETE /chat/{id}
// delivers chat.deleted; see [Server.WebhookDeliveries].
func WithChatResponder(fn func(ctx context.Context, messages []vapi.ChatMessage) string) Option {
	return func(c *config) { c.responder, c.replies = fn, nil }
}

// WithChatStreamInterval makes the server pause d between two events of a
// streamed reply, so that a demo or a test can see the reply arrive in
// pieces. The default is no pause: each event is still flushed on its own.
func WithChatStreamInterval(d time.Duration) Option {
	return func(c *config) { c.streamInterval = d }
}

// defaultResponder is the reply of a server without WithChatResponder.
func defaultResponder(_ context.Context, messages []vapi.ChatMessage) string {
	n, last := 0, ""
	for _, m := range messages {
		if u, ok := m.(*vapi.UserMessage); ok && u != nil {
			n, last = n+1, u.Message
		}
	}
	return fmt.Sprintf("Reply %d from vapitest: you said %q.", n, last)
}

// chatOp is a request to /chat… made ready outside the lock.
type chatOp struct {
	kind  chatKind
	id    string    // get, delete
	turn  *chatTurn // create, respond
	query listQuery // list
	bad   *response // a 400 for the body or query, answered after auth
}

type chatKind int

const (
	chatNotFound chatKind = iota
	chatCreate
	chatRespond
	chatList
	chatGet
	chatDelete
)

// chatTurn is a checked POST /chat or POST /chat/responses.
type chatTurn struct {
	responses bool // the OpenAI Responses format
	stream    bool

	sessionID, previousChatID *string
	assistantID, squadID      *string
	assistant                 *vapi.AssistantConfig
	squad                     *vapi.SquadConfig
	overrides                 *vapi.AssistantOverrides
	name                      *string
	input                     vapi.ChatInput
}

// chatListRoute is GET /chat.
var chatListRoute = listRoute{
	exact: map[string][]string{
		"id":             {"id"},
		"assistantId":    {"assistantId"},
		"squadId":        {"squadId"},
		"sessionId":      {"sessionId"},
		"previousChatId": {"previousChatId"},
	},
	any: map[string][]string{
		"idAny":          {"id"},
		"assistantIdAny": {"assistantId"},
	},
}

// prepareChat finds the route of a request to /chat… and decodes its body
// or query. It needs no lock.
func prepareChat(r *http.Request, segs []string, body []byte) op {
	c := &chatOp{}
	switch {
	case len(segs) == 1 && r.Method == http.MethodPost:
		var req vapi.CreateChatRequest
		c.kind = chatCreate
		if _, c.bad = decodeRequest(body, &req); c.bad == nil {
			c.turn = &chatTurn{
				stream:    req.Stream != nil && *req.Stream,
				sessionID: req.SessionID, previousChatID: req.PreviousChatID,
				assistantID: req.AssistantID, squadID: req.SquadID,
				assistant: req.Assistant, squad: req.Squad, overrides: req.AssistantOverrides,
				name: req.Name, input: req.Input,
			}
		}
	case len(segs) == 2 && segs[1] == "responses" && r.Method == http.MethodPost:
		var req vapi.OpenAIResponsesRequest
		c.kind = chatRespond
		if _, c.bad = decodeRequest(body, &req); c.bad == nil {
			c.turn = &chatTurn{
				responses: true,
				stream:    req.Stream == nil || *req.Stream,
				sessionID: req.SessionID, previousChatID: req.PreviousChatID,
				assistantID: req.AssistantID, squadID: req.SquadID,
				assistant: req.Assistant, squad: req.Squad, overrides: req.AssistantOverrides,
				name: req.Name, input: req.Input,
			}
		}
	case len(segs) == 1 && r.Method == http.MethodGet:
		c.kind = chatList
		var msgs []string
		c.query, msgs = parseListQuery(r.URL.Query(), chatListRoute)
		if len(msgs) > 0 {
			bad := errorResponse(http.StatusBadRequest, msgs)
			c.bad = &bad
		}
	case len(segs) == 2 && r.Method == http.MethodGet:
		c.kind, c.id = chatGet, segs[1]
	case len(segs) == 2 && r.Method == http.MethodDelete:
		c.kind, c.id = chatDelete, segs[1]
	}
	if c.kind == chatNotFound {
		return op{kind: opNotFound}
	}
	return op{kind: opChat, chat: c}
}

// routeChat answers a prepared request to /chat… under the lock; a turn
// returns the function that writes the reply once the lock is released.
func (s *Server) routeChat(r *http.Request, c *chatOp, now time.Time) (response, func() response) {
	if c.bad != nil {
		return *c.bad, nil
	}
	switch c.kind {
	case chatList:
		return s.list(s.chats, c.query, false), nil
	case chatGet:
		rec, bad := s.lookupChat(c.id)
		if bad != nil {
			return *bad, nil
		}
		return response{status: http.StatusOK, body: rec.body}, nil
	case chatDelete:
		rec, bad := s.lookupChat(c.id)
		if bad != nil {
			return *bad, nil
		}
		delete(s.chats, c.id)
		return response{status: http.StatusOK, body: rec.body, webhooks: s.lifecycleMessage("chat.deleted", "chat", rec.body, now)}, nil
	}
	return s.startTurn(r, c.turn, now)
}

// lookupChat finds a chat as lookup finds a session.
func (s *Server) lookupChat(id string) (*record, *response) {
	if rec := s.chats[id]; rec != nil {
		return rec, nil
	}
	var resp response
	if !uuidPattern.MatchString(id) {
		resp = errorResponse(http.StatusBadRequest, "Validation failed (uuid is expected)")
	} else {
		resp = errorResponse(http.StatusNotFound, "Chat not found")
	}
	return nil, &resp
}

// startTurn checks a turn's context under the lock and reserves the chat's
// id; the function it returns asks the responder for the reply, stores the
// chat, appends the turn to the session, and answers.
func (s *Server) startTurn(r *http.Request, t *chatTurn, now time.Time) (response, func() response) {
	var session, previous *record
	switch {
	case t.sessionID != nil:
		session = s.sessions[*t.sessionID]
		if session == nil {
			return errorResponse(http.StatusNotFound, "Session not found"), nil
		}
		if bad := sessionClosed(session, now); bad != nil {
			return *bad, nil
		}
	case t.previousChatID != nil:
		previous = s.chats[*t.previousChatID]
		if previous == nil {
			return errorResponse(http.StatusNotFound, "Chat not found"), nil
		}
	case t.assistantID == nil && t.assistant == nil && t.squadID == nil && t.squad == nil:
		return errorResponse(http.StatusBadRequest, []string{"chat needs a context: one of assistantId, assistant, squadId, squad, sessionId or previousChatId"}), nil
	}
	id := s.cfg.newID()
	if _, dup := s.chats[id]; dup || id == "" || s.sessions[id] != nil {
		return errorResponse(http.StatusInternalServerError, "vapitest: the id generator returned an empty or already used id: "+id), nil
	}
	s.seq++
	seq := s.seq
	s.chats[id] = nil // reserved until the turn is stored
	return response{}, func() response {
		rec, reply, err := s.finishTurn(r.Context(), t, id, seq, session, previous, now)
		if err != nil {
			return errorResponse(http.StatusInternalServerError, "vapitest: "+err.Error())
		}
		resp := response{status: http.StatusOK, webhooks: s.lifecycleMessage("chat.created", "chat", rec.body, now)}
		switch {
		case t.responses && t.stream:
			resp.stream = s.responseEvents(id, reply, now)
		case t.responses:
			resp.body = mustJSON(responseObject(id, reply, now))
		case t.stream:
			output, _ := rec.obj["output"].([]any)
			resp.stream = s.chatEvents(id, t.sessionID, reply, max(len(output)-1, 0))
		default:
			resp.body = rec.body
		}
		return resp
	}
}

// sessionClosed returns the 400 for a session that takes no more chats:
// expired or completed.
func sessionClosed(rec *record, now time.Time) *response {
	if exp, ok := rec.obj["expirationSeconds"].(float64); ok {
		if !now.Before(rec.createdAt.Add(time.Duration(exp * float64(time.Second)))) {
			resp := errorResponse(http.StatusBadRequest, "Session "+rec.id+" has expired")
			return &resp
		}
	}
	if rec.obj["status"] == string(vapi.SessionStatusCompleted) {
		resp := errorResponse(http.StatusBadRequest, "Session "+rec.id+" is completed")
		return &resp
	}
	return nil
}

// finishTurn runs a turn without the lock: the context, the responder, the
// chat; then it stores the chat and appends the turn to the session.
func (s *Server) finishTurn(ctx context.Context, t *chatTurn, id string, seq int, session, previous *record, now time.Time) (*record, string, error) {
	chat := vapi.Chat{
		ID: id, OrgID: s.cfg.orgID,
		SessionID: t.sessionID, PreviousChatID: t.previousChatID,
		AssistantID: t.assistantID, Assistant: t.assistant, AssistantOverrides: t.overrides,
		SquadID: t.squadID, Squad: t.squad,
		Name: t.name, Input: t.input,
		CreatedAt: now, UpdatedAt: now,
	}
	var history []vapi.ChatMessage
	var start time.Time // of the conversation, for secondsFromStart
	assistant := t.assistant
	switch {
	case session != nil:
		var sess vapi.Session
		if err := json.Unmarshal(session.body, &sess); err != nil {
			return nil, "", s.abandon(id, err)
		}
		history, start = sess.Messages, session.createdAt
		assistant = cmp.Or(assistant, sess.Assistant)
		chat.AssistantID = firstSet(chat.AssistantID, sess.AssistantID)
		chat.SquadID = firstSet(chat.SquadID, sess.SquadID)
	case previous != nil:
		var prev vapi.Chat
		if err := json.Unmarshal(previous.body, &prev); err != nil {
			return nil, "", s.abandon(id, err)
		}
		history = append(append(history, prev.Messages...), prev.Output...)
		start = previous.createdAt
		assistant = cmp.Or(assistant, prev.Assistant)
		chat.AssistantID = firstSet(chat.AssistantID, prev.AssistantID)
		chat.SquadID = firstSet(chat.SquadID, prev.SquadID)
	default:
		start = now
	}
	input := inputMessages(t.input, now, start)
	chat.Messages = append(append(make([]vapi.ChatMessage, 0, len(history)+len(input)), history...), input...)

	output, reply, err := s.reply(ctx, turnContext{chat: chat, assistant: assistant, messages: chat.Messages, now: now})
	if err != nil {
		return nil, "", s.abandon(id, err)
	}
	chat.Output = output

	rec, err := newChatRecord(&chat, seq)
	if err != nil {
		return nil, "", s.abandon(id, err)
	}
	s.mu.Lock()
	s.chats[id] = rec
	s.mu.Unlock()
	if session != nil {
		if err := s.appendTurn(session.id, append(input, chat.Output...), now); err != nil {
			return nil, "", err
		}
	}
	return rec, reply, nil
}

// abandon frees a reserved chat id after a failure.
func (s *Server) abandon(id string, err error) error {
	s.mu.Lock()
	if s.chats[id] == nil {
		delete(s.chats, id)
	}
	s.mu.Unlock()
	return fmt.Errorf("building the chat: %w", err)
}

func firstSet(a, b *string) *string {
	if a != nil {
		return a
	}
	return b
}

// inputMessages turns a chat's input into the messages it adds to the
// conversation: a string is one user message, sent now.
func inputMessages(in vapi.ChatInput, now, start time.Time) []vapi.ChatMessage {
	switch in := in.(type) {
	case vapi.ChatInputText:
		ms := float64(now.UnixMilli())
		return []vapi.ChatMessage{&vapi.UserMessage{
			Message: string(in), Time: ms, EndTime: ms,
			SecondsFromStart: now.Sub(start).Seconds(),
		}}
	case vapi.ChatInputMessages:
		return append([]vapi.ChatMessage(nil), in...)
	}
	return nil
}

// newChatRecord builds a stored chat, its timestamps written with
// milliseconds as the API writes them.
func newChatRecord(chat *vapi.Chat, seq int) (*record, error) {
	createdAt := chat.CreatedAt.UTC().Truncate(time.Millisecond)
	updatedAt := chat.UpdatedAt.UTC().Truncate(time.Millisecond)
	b, err := json.Marshal(chat)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	obj["createdAt"] = createdAt.Format(timeLayout)
	obj["updatedAt"] = updatedAt.Format(timeLayout)
	return &record{seq: seq, id: chat.ID, createdAt: createdAt, updatedAt: updatedAt, obj: obj, body: mustJSON(obj)}, nil
}

// appendTurn appends msgs to the messages of the session with the given id
// and moves its updatedAt on. Like update, it builds the new session
// without the lock and stores it only if no other request changed the
// session in between (else it tries again on the newer one). A session
// deleted in between is left deleted.
func (s *Server) appendTurn(id string, msgs []vapi.ChatMessage, now time.Time) error {
	added := make([]any, 0, len(msgs))
	for _, m := range msgs {
		var v any
		if err := json.Unmarshal(mustJSON(m), &v); err != nil {
			return fmt.Errorf("appending to the session: %w", err)
		}
		added = append(added, v)
	}
	s.mu.Lock()
	rec := s.sessions[id]
	s.mu.Unlock()
	for rec != nil {
		fields := make(map[string]any, len(rec.obj)+1)
		for k, v := range rec.obj {
			fields[k] = v
		}
		old, _ := rec.obj["messages"].([]any)
		fields["messages"] = append(append(make([]any, 0, len(old)+len(added)), old...), added...)
		next, err := newRecord(fields, rec.seq, rec.createdAt, now)
		if err != nil {
			return fmt.Errorf("appending to the session: %w", err)
		}
		s.mu.Lock()
		cur := s.sessions[id]
		if cur == rec {
			s.sessions[id] = next
		}
		s.mu.Unlock()
		if cur == rec {
			return nil
		}
		rec = cur
	}
	return nil
}

// streamChunks splits a reply into the deltas of a stream: a few words
// each, spaces kept, so that they join back into the reply.
func streamChunks(reply string) []string {
	const wordsPerChunk = 3
	words := strings.SplitAfter(reply, " ")
	var chunks []string
	for len(words) > 0 {
		n := min(wordsPerChunk, len(words))
		chunks = append(chunks, strings.Join(words[:n], ""))
		words = words[n:]
	}
	if len(chunks) == 1 && chunks[0] == "" {
		return nil
	}
	return chunks
}

// sseWriter writes Server-Sent Events, flushing each one, and pausing between
// them as WithChatStreamInterval says. Each method reports whether the
// client is still there.
type sseWriter struct {
	w        http.ResponseWriter
	ctx      context.Context
	interval time.Duration
	n        int
	buf      bytes.Buffer
}

func startSSE(w http.ResponseWriter, r *http.Request, interval time.Duration) *sseWriter {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	return &sseWriter{w: w, ctx: r.Context(), interval: interval}
}

// event writes one event: an "event:" line when typ is set, then data.
func (e *sseWriter) event(typ string, data []byte) bool {
	if e.n > 0 && e.interval > 0 {
		t := time.NewTimer(e.interval)
		select {
		case <-t.C:
		case <-e.ctx.Done():
			t.Stop()
			return false
		}
	}
	e.n++
	e.buf.Reset()
	if typ != "" {
		e.buf.WriteString("event: " + typ + "\n")
	}
	e.buf.WriteString("data: ")
	e.buf.Write(data)
	e.buf.WriteString("\n\n")
	if _, err := e.w.Write(e.buf.Bytes()); err != nil {
		return false
	}
	if f, ok := e.w.(http.Flusher); ok {
		f.Flush()
	}
	return e.ctx.Err() == nil
}

// chatEvents writes the stream of a chat turn, whose reply is the output
// message at index (0 unless tools were called first).
func (s *Server) chatEvents(id string, sessionID *string, reply string, index int) func(http.ResponseWriter, *http.Request) {
	path := "chat.output[" + strconv.Itoa(index) + "].content"
	return func(w http.ResponseWriter, r *http.Request) {
		out := startSSE(w, r, s.cfg.streamInterval)
		for _, delta := range streamChunks(reply) {
			ev := vapi.ChatStreamEvent{ID: id, SessionID: sessionID, Path: path, Delta: delta}
			if !out.event("", mustJSON(&ev)) {
				return
			}
		}
		out.event("", []byte("[DONE]"))
	}
}

// responseObject is the reply of a turn in the OpenAI Responses format.
func responseObject(id, reply string, now time.Time) *vapi.ResponseObject {
	return &vapi.ResponseObject{
		ID:        id,
		CreatedAt: float64(now.Unix()),
		Status:    vapi.ResponseObjectStatus("completed"),
		Error:     vapi.Null[string](),
		Output: []vapi.ResponseOutputMessage{{
			ID:      "msg_" + id,
			Status:  vapi.ResponseOutputMessageStatus("completed"),
			Content: []vapi.ResponseOutputText{{Annotations: []map[string]any{}, Text: reply}},
		}},
	}
}

// responseEvents writes the stream of a turn in the OpenAI Responses
// format. Like OpenAI's, it ends after response.completed, without
// [DONE].
func (s *Server) responseEvents(id, reply string, now time.Time) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		out := startSSE(w, r, s.cfg.streamInterval)
		item := "msg_" + id
		for _, delta := range streamChunks(reply) {
			ev := vapi.ResponseTextDeltaEvent{ItemID: item, Delta: delta}
			if !out.event("response.output_text.delta", mustJSON(&ev)) {
				return
			}
		}
		done := vapi.ResponseTextDoneEvent{ItemID: item, Text: reply}
		if !out.event("response.output_text.done", mustJSON(&done)) {
			return
		}
		completed := vapi.ResponseCompletedEvent{Response: *responseObject(id, reply, now)}
		out.event("response.completed", mustJSON(&completed))
	}
}
