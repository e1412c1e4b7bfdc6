package vapitest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
	"github.com/govapi/vapi/webhook"
)

// sseEvent is one event of a streamed answer.
type sseEvent struct {
	typ  string
	data string
}

// postStream posts body to path and reads the text/event-stream answer.
func postStream(t *testing.T, srv *vapitest.Server, path, body string) (http.Header, []sseEvent) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var events []sseEvent
	var ev sseEvent
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			events = append(events, ev)
			ev = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			ev.typ = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			require.Empty(t, ev.data, "one data line per event")
			ev.data = strings.TrimPrefix(line, "data: ")
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
	require.NoError(t, sc.Err())
	require.Equal(t, sseEvent{}, ev, "the stream ends with a blank line")
	return resp.Header, events
}

// createSession creates a session with body and returns its id.
func createSession(t *testing.T, srv *vapitest.Server, body string) string {
	t.Helper()
	res := do(t, srv, "POST", "/session", body)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	return res.body["id"].(string)
}

// roles lists the role and text of each message, as "role: text".
func roles(t *testing.T, messages any) []string {
	t.Helper()
	list, _ := messages.([]any)
	var out []string
	for _, m := range list {
		m := m.(map[string]any)
		text, _ := m["content"].(string)
		if msg, ok := m["message"].(string); ok {
			text = msg
		}
		out = append(out, fmt.Sprint(m["role"], ": ", text))
	}
	return out
}

func TestChatTurns(t *testing.T) {
	t.Run("a turn in a session answers the Chat and appends input and reply to the session", func(t *testing.T) {
		srv := newServer(t)
		id := createSession(t, srv, `{"assistantId":"asst-1"}`)
		res := do(t, srv, "POST", "/chat", `{"sessionId":"`+id+`","input":"Hi there"}`)
		require.Equal(t, http.StatusOK, res.status, res.raw)
		chat := res.body
		assert.Equal(t, "00000000-0000-4000-8000-000000000002", chat["id"])
		assert.Equal(t, "org-1", chat["orgId"])
		assert.Equal(t, id, chat["sessionId"])
		assert.Equal(t, "asst-1", chat["assistantId"], "taken from the session")
		assert.Equal(t, "Hi there", chat["input"])
		assert.Equal(t, "2026-01-02T03:04:06.000Z", chat["createdAt"])
		assert.Equal(t, []string{"user: Hi there"}, roles(t, chat["messages"]))
		assert.Equal(t, []string{`assistant: Reply 1 from vapitest: you said "Hi there".`}, roles(t, chat["output"]))

		var decoded vapi.Chat
		require.NoError(t, json.Unmarshal([]byte(res.raw), &decoded), "the Chat decodes into the SDK's type")

		session := do(t, srv, "GET", "/session/"+id, "")
		assert.Equal(t, []string{"user: Hi there", `assistant: Reply 1 from vapitest: you said "Hi there".`}, roles(t, session.body["messages"]))
		assert.Equal(t, "2026-01-02T03:04:06.000Z", session.body["updatedAt"], "the turn moved updatedAt on")
	})
	t.Run("the responder gets the session's history and the new input, and the request's context", func(t *testing.T) {
		var mu sync.Mutex
		var seen [][]string
		srv := newServer(t, vapitest.WithChatResponder(func(ctx context.Context, messages []vapi.ChatMessage) string {
			assert.NotNil(t, ctx.Done(), "the request's context")
			var got []string
			for _, m := range messages {
				switch m := m.(type) {
				case *vapi.UserMessage:
					got = append(got, "user: "+m.Message)
				case *vapi.AssistantMessage:
					got = append(got, "assistant: "+*m.Content)
				case *vapi.SystemMessage:
					got = append(got, "system: "+m.Message)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, got)
			return fmt.Sprintf("answer %d", len(seen))
		}))
		id := createSession(t, srv, `{"assistant":{"name":"Riley"}}`)
		do(t, srv, "POST", "/chat", `{"sessionId":"`+id+`","input":"one"}`)
		do(t, srv, "POST", "/chat", `{"sessionId":"`+id+`","input":[{"role":"system","message":"be brief","time":0,"secondsFromStart":0},{"role":"user","message":"two","time":0,"endTime":0,"secondsFromStart":0}]}`)
		assert.Equal(t, [][]string{
			{"user: one"},
			{"user: one", "assistant: answer 1", "system: be brief", "user: two"},
		}, seen)
		session := do(t, srv, "GET", "/session/"+id, "")
		assert.Len(t, session.body["messages"], 5)
	})
	t.Run("a turn after a previous chat continues its messages and output", func(t *testing.T) {
		srv := newServer(t)
		first := do(t, srv, "POST", "/chat", `{"assistantId":"asst-1","input":"one"}`)
		require.Equal(t, http.StatusOK, first.status, first.raw)
		assert.Nil(t, first.body["sessionId"])
		second := do(t, srv, "POST", "/chat", `{"previousChatId":"`+first.body["id"].(string)+`","input":"two"}`)
		require.Equal(t, http.StatusOK, second.status, second.raw)
		assert.Equal(t, first.body["id"], second.body["previousChatId"])
		assert.Equal(t, "asst-1", second.body["assistantId"], "taken from the previous chat")
		assert.Equal(t, []string{"user: one", `assistant: Reply 1 from vapitest: you said "one".`, "user: two"}, roles(t, second.body["messages"]))
		assert.Equal(t, []string{`assistant: Reply 2 from vapitest: you said "two".`}, roles(t, second.body["output"]))
	})
	t.Run("concurrent turns in one session all land in its messages", func(t *testing.T) {
		srv := newServer(t)
		id := createSession(t, srv, `{"assistantId":"asst-1"}`)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := do(t, srv, "POST", "/chat", fmt.Sprintf(`{"sessionId":"%s","input":"turn %d"}`, id, i))
				assert.Equal(t, http.StatusOK, res.status)
			}()
		}
		wg.Wait()
		session := do(t, srv, "GET", "/session/"+id, "")
		assert.Len(t, session.body["messages"], 40)
	})
}

func TestChatStreams(t *testing.T) {
	t.Run("stream true answers Server-Sent Events a few words each, ending with [DONE]", func(t *testing.T) {
		srv := newServer(t)
		id := createSession(t, srv, `{"assistantId":"asst-1"}`)
		header, events := postStream(t, srv, "/chat", `{"sessionId":"`+id+`","input":"Where is my order?","stream":true}`)
		assert.Equal(t, "text/event-stream", header.Get("Content-Type"))
		assert.NotEmpty(t, header.Get("X-Request-Id"))
		require.Greater(t, len(events), 2)
		assert.Equal(t, sseEvent{data: "[DONE]"}, events[len(events)-1])
		var text strings.Builder
		chatID := ""
		for _, ev := range events[:len(events)-1] {
			assert.Empty(t, ev.typ)
			var e map[string]any
			require.NoError(t, json.Unmarshal([]byte(ev.data), &e))
			if chatID == "" {
				chatID = e["id"].(string)
			}
			assert.Equal(t, chatID, e["id"])
			assert.Equal(t, id, e["sessionId"])
			assert.Equal(t, "chat.output[0].content", e["path"])
			delta := e["delta"].(string)
			assert.LessOrEqual(t, len(strings.Fields(delta)), 3, "a few words at a time: %q", delta)
			text.WriteString(delta)
		}
		assert.Equal(t, `Reply 1 from vapitest: you said "Where is my order?".`, text.String())

		chat := do(t, srv, "GET", "/chat/"+chatID, "")
		require.Equal(t, http.StatusOK, chat.status)
		assert.Equal(t, []string{"assistant: " + text.String()}, roles(t, chat.body["output"]))
		session := do(t, srv, "GET", "/session/"+id, "")
		assert.Len(t, session.body["messages"], 2)
	})
	t.Run("each event is flushed as it is written", func(t *testing.T) {
		srv := newServer(t, vapitest.WithChatStreamInterval(100*time.Millisecond))
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/chat", strings.NewReader(`{"assistantId":"a","input":"one two three four five six seven","stream":true}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(line, "data: {"), line)
		assert.Less(t, time.Since(start), 100*time.Millisecond, "the first event came before the pause")
	})
	t.Run("a client that goes away mid-stream ends the handler", func(t *testing.T) {
		srv := newServer(t, vapitest.WithChatStreamInterval(time.Hour))
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/chat", strings.NewReader(`{"assistantId":"a","input":"one two three four","stream":true}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, err = bufio.NewReader(resp.Body).ReadString('\n')
		require.NoError(t, err)
		resp.Body.Close()
		done := make(chan struct{})
		go func() { srv.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Close waited for a stream whose client had gone")
		}
	})
}

func TestChatResponses(t *testing.T) {
	t.Run("stream false answers a ResponseObject whose id is the chat's", func(t *testing.T) {
		srv := newServer(t)
		res := do(t, srv, "POST", "/chat/responses", `{"assistantId":"a","input":"Hi","stream":false}`)
		require.Equal(t, http.StatusOK, res.status, res.raw)
		var obj vapi.ResponseObject
		require.NoError(t, json.Unmarshal([]byte(res.raw), &obj))
		assert.Equal(t, "response", res.body["object"])
		assert.Equal(t, "completed", string(obj.Status))
		assert.Equal(t, float64(t0.Unix()), obj.CreatedAt)
		require.Len(t, obj.Output, 1)
		assert.Equal(t, `Reply 1 from vapitest: you said "Hi".`, obj.Output[0].Content[0].Text)
		chat := do(t, srv, "GET", "/chat/"+obj.ID, "")
		assert.Equal(t, http.StatusOK, chat.status)
	})
	t.Run("without stream it answers OpenAI Responses events, typed on their event line", func(t *testing.T) {
		srv := newServer(t)
		_, events := postStream(t, srv, "/chat/responses", `{"assistantId":"a","input":"Hi"}`)
		require.Greater(t, len(events), 2)
		var text strings.Builder
		for i, ev := range events {
			var data map[string]any
			require.NoError(t, json.Unmarshal([]byte(ev.data), &data))
			assert.Equal(t, ev.typ, data["type"])
			switch {
			case i < len(events)-2:
				assert.Equal(t, "response.output_text.delta", ev.typ)
				text.WriteString(data["delta"].(string))
			case i == len(events)-2:
				assert.Equal(t, "response.output_text.done", ev.typ)
				assert.Equal(t, text.String(), data["text"])
			default:
				assert.Equal(t, "response.completed", ev.typ)
				var completed vapi.ResponseCompletedEvent
				require.NoError(t, json.Unmarshal([]byte(ev.data), &completed))
				assert.Equal(t, text.String(), completed.Response.Output[0].Content[0].Text)
			}
		}
		assert.Equal(t, `Reply 1 from vapitest: you said "Hi".`, text.String())
	})
}

func TestChatErrors(t *testing.T) {
	var now atomic.Pointer[time.Time]
	start := t0
	now.Store(&start)
	srv := newServer(t, vapitest.WithClock(func() time.Time { return *now.Load() }))
	completed := createSession(t, srv, `{"assistantId":"a","status":"completed"}`)
	expired := createSession(t, srv, `{"assistantId":"a","expirationSeconds":60}`)
	later := t0.Add(30 * time.Second)
	now.Store(&later)
	active := createSession(t, srv, `{"assistantId":"a","expirationSeconds":60}`)
	expiry := t0.Add(61 * time.Second)
	now.Store(&expiry)

	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		want   string // in the message
	}{
		{"both sessionId and previousChatId are a 400", "POST", "/chat",
			`{"sessionId":"` + active + `","previousChatId":"` + active + `","input":"x"}`, 400, "previousChatId must not be set with sessionId"},
		{"sessionId with an assistant is a 400", "POST", "/chat",
			`{"sessionId":"` + active + `","assistant":{"name":"x"},"input":"x"}`, 400, "assistant must not be set with sessionId"},
		{"an unknown session is a 404", "POST", "/chat",
			`{"sessionId":"00000000-0000-4000-8000-00000000dead","input":"x"}`, 404, "Session not found"},
		{"an expired session is a 400", "POST", "/chat",
			`{"sessionId":"` + expired + `","input":"x"}`, 400, "Session " + expired + " has expired"},
		{"a completed session is a 400", "POST", "/chat",
			`{"sessionId":"` + completed + `","input":"x"}`, 400, "Session " + completed + " is completed"},
		{"an unknown previous chat is a 404", "POST", "/chat",
			`{"previousChatId":"00000000-0000-4000-8000-00000000dead","input":"x"}`, 404, "Chat not found"},
		{"a turn without any context is a 400", "POST", "/chat",
			`{"input":"x"}`, 400, "chat needs a context"},
		{"a turn without input is a 400", "POST", "/chat",
			`{"sessionId":"` + active + `"}`, 400, "input"},
		{"an unknown property is a 400", "POST", "/chat",
			`{"sessionId":"` + active + `","input":"x","foo":1}`, 400, "property foo should not exist"},
		{"the responses endpoint checks the same rules", "POST", "/chat/responses",
			`{"sessionId":"` + expired + `","input":"x"}`, 400, "has expired"},
		{"an id that is not a UUID is a 400", "GET", "/chat/nope", "", 400, "uuid is expected"},
		{"an unknown chat is a 404", "GET", "/chat/00000000-0000-4000-8000-00000000dead", "", 404, "Chat not found"},
		{"deleting an unknown chat is a 404", "DELETE", "/chat/00000000-0000-4000-8000-00000000dead", "", 404, "Chat not found"},
		{"an unknown route under /chat is a 404", "PATCH", "/chat/00000000-0000-4000-8000-00000000dead", `{}`, 404, "Cannot PATCH"},
		{"a cursor is not a parameter of GET /chat", "GET", "/chat?cursor=abc", "", 400, "property cursor should not exist"},
		{"a limit out of range is a 400", "GET", "/chat?limit=5000", "", 400, "limit must not be greater than 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, srv, tt.method, tt.path, tt.body)
			require.Equal(t, tt.status, res.status, res.raw)
			assert.Equal(t, float64(tt.status), res.body["statusCode"])
			assert.Equal(t, http.StatusText(tt.status), res.body["error"])
			assert.Contains(t, fmt.Sprint(res.body["message"]), tt.want)
		})
	}
	t.Run("an active session still takes turns", func(t *testing.T) {
		res := do(t, srv, "POST", "/chat", `{"sessionId":"`+active+`","input":"x"}`)
		assert.Equal(t, http.StatusOK, res.status, res.raw)
	})
	t.Run("a request without the key is a 401", func(t *testing.T) {
		res := do(t, srv, "GET", "/chat", "", "Authorization", "")
		assert.Equal(t, http.StatusUnauthorized, res.status)
	})
}

func TestChatList(t *testing.T) {
	srv := newServer(t)
	s1 := createSession(t, srv, `{"assistantId":"asst-1"}`)
	s2 := createSession(t, srv, `{"squadId":"squad-1"}`)
	var ids []string
	for i, s := range []string{s1, s2, s1, s1} {
		res := do(t, srv, "POST", "/chat", fmt.Sprintf(`{"sessionId":"%s","input":"turn %d"}`, s, i))
		require.Equal(t, http.StatusOK, res.status, res.raw)
		ids = append(ids, res.body["id"].(string))
	}
	other := do(t, srv, "POST", "/chat", `{"previousChatId":"`+ids[1]+`","input":"again"}`)
	ids = append(ids, other.body["id"].(string))

	list := func(t *testing.T, query string) ([]string, map[string]any) {
		t.Helper()
		res := do(t, srv, "GET", "/chat"+query, "")
		require.Equal(t, http.StatusOK, res.status, res.raw)
		var page vapi.ChatPage
		require.NoError(t, json.Unmarshal([]byte(res.raw), &page))
		var got []string
		for _, c := range page.Results {
			got = append(got, c.ID)
		}
		return got, res.body["metadata"].(map[string]any)
	}
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"lists every chat, newest first", "", []string{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{"filters by session", "?sessionId=" + s1 + "&sortOrder=ASC", []string{ids[0], ids[2], ids[3]}},
		{"filters by assistant, taken from the session", "?assistantId=asst-1&sortOrder=ASC", []string{ids[0], ids[2], ids[3]}},
		{"filters by squad, taken from the session and the previous chat", "?squadId=squad-1&sortOrder=ASC", []string{ids[1], ids[4]}},
		{"filters by previous chat", "?previousChatId=" + ids[1], []string{ids[4]}},
		{"filters by any of several ids", "?idAny=" + ids[0] + "," + ids[4] + "&sortOrder=ASC", []string{ids[0], ids[4]}},
		{"filters by any of several assistants", "?assistantIdAny=nope,asst-1&limit=1", []string{ids[3]}},
		{"filters by creation time", "?createdAtGt=" + t0.Add(3*time.Second).Format(time.RFC3339) + "&sortOrder=ASC", []string{ids[2], ids[3], ids[4]}},
		{"pages", "?limit=2&page=2&sortOrder=ASC", []string{ids[2], ids[3]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := list(t, tt.query)
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("reports the pagination in the metadata", func(t *testing.T) {
		_, meta := list(t, "?limit=2")
		assert.Equal(t, map[string]any{"itemsPerPage": 2.0, "totalItems": 5.0, "currentPage": 1.0, "totalPages": 3.0, "hasNextPage": true, "sortOrder": "DESC"}, meta)
	})
	t.Run("a deleted chat is gone from the list and the session keeps its messages", func(t *testing.T) {
		res := do(t, srv, "DELETE", "/chat/"+ids[0], "")
		require.Equal(t, http.StatusOK, res.status)
		assert.Equal(t, ids[0], res.body["id"])
		got, _ := list(t, "?sessionId="+s1+"&sortOrder=ASC")
		assert.Equal(t, []string{ids[2], ids[3]}, got)
		session := do(t, srv, "GET", "/session/"+s1, "")
		assert.Len(t, session.body["messages"], 6)
	})
	t.Run("deleting a session leaves its chats", func(t *testing.T) {
		require.Equal(t, http.StatusOK, do(t, srv, "DELETE", "/session/"+s2, "").status)
		got, _ := list(t, "?sessionId="+s2)
		assert.Equal(t, []string{ids[1]}, got)
	})
}

func TestChatWebhooks(t *testing.T) {
	rec := newHookReceiver(t, webhook.WithSecret("s"))
	srv, client := hookServer(t, vapitest.WithWebhookSecret(rec.URL, "s"))
	ctx := context.Background()
	session, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{AssistantID: vapi.String("asst-1")})
	require.NoError(t, err)

	chat, err := client.Chats.Create(ctx, &vapi.CreateChatRequest{SessionID: vapi.String(session.ID), Input: vapi.ChatInputText("Hi")})
	require.NoError(t, err)
	got := rec.got()
	require.Len(t, got, 2, "chat.created is delivered before Create returns")
	created, ok := got[1].(*vapi.ServerMessageChatCreated)
	require.True(t, ok, "got %T", got[1])
	assert.Equal(t, chat.ID, created.Chat.ID)
	assert.Equal(t, chat.OutputText(), created.Chat.OutputText())

	stream, err := client.Chats.Stream(ctx, &vapi.CreateChatRequest{SessionID: vapi.String(session.ID), Input: vapi.ChatInputText("Again")})
	require.NoError(t, err)
	defer stream.Close()
	got = rec.got()
	require.Len(t, got, 3, "chat.created is delivered before the stream starts")
	streamed, ok := got[2].(*vapi.ServerMessageChatCreated)
	require.True(t, ok, "got %T", got[2])
	for stream.Next() {
	}
	require.NoError(t, stream.Err())
	assert.Equal(t, stream.ChatID(), streamed.Chat.ID)
	assert.Equal(t, stream.Text(), streamed.Chat.OutputText())

	_, err = client.Chats.Delete(ctx, chat.ID)
	require.NoError(t, err)
	got = rec.got()
	require.Len(t, got, 4, "chat.deleted is delivered before Delete returns")
	deleted, ok := got[3].(*vapi.ServerMessageChatDeleted)
	require.True(t, ok, "got %T", got[3])
	assert.Equal(t, chat.ID, deleted.Chat.ID)

	var types []string
	for _, d := range srv.WebhookDeliveries() {
		assert.NoError(t, d.Err)
		types = append(types, d.Type)
	}
	assert.Equal(t, []string{"session.created", "chat.created", "chat.created", "chat.deleted"}, types)
}
