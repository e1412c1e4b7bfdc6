package vapi

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast path of chat events decodes what it accepts exactly as the
// generated decoder does.
func FuzzChatEventFastPath(f *testing.F) {
	for _, seed := range []string{
		`{"id":"c1","sessionId":"s1","path":"chat.output[0].content","delta":"Hel"}`,
		` { "delta" : "lo" , "id":"c1" , "sessionId" : null } `,
		`{"id":"c1","sessionId":"s1","path":"p","delta":"caf\u00e9"}`,
		`{"id":"c1","delta":"café ☕"}`,
		`{"id":"c1","delta":"\xff"}`,
		`{"id":"c1","delta":"a \"quote\"\n\ud83d\ude00 \ud83d \\"}`,
		`{"id":"c\u0031","delta":"\q"}`,
		`{"id":"c1","id":"c2"}`,
		`{"id":"c1","extra":{"a":[1,2]}}`,
		`{"id":null,"path":null,"delta":null}`,
		`{"id":7}`,
		`{}`,
		`{"id":"c1",}`,
		`{"id":"c1"} x`,
		`[]`,
		`{"id":"c1"`,
	} {
		f.Add([]byte(seed), "c1", "s1")
	}
	f.Fuzz(func(t *testing.T, data []byte, prevID, prevSession string) {
		prev := &ChatStreamEvent{ID: prevID, SessionID: &prevSession, Path: "chat.output[0].content"}
		var fast chatEventBox
		if !fast.decodeFast(data, prev) {
			return
		}
		var full ChatStreamEvent
		require.NoError(t, full.UnmarshalJSON(data), "the fast path accepted %q", data)
		assert.Equal(t, full, fast.ev, "%q", data)
	})
}

func TestChatEventFastPath(t *testing.T) {
	prev := &ChatStreamEvent{ID: "c1", SessionID: String("s1"), Path: "chat.output[0].content"}
	tests := []struct {
		name string
		data string
		ok   bool
	}{
		{"takes the form the API sends", `{"id":"c1","sessionId":"s1","path":"chat.output[0].content","delta":"Hel"}`, true},
		{"takes whitespace", ` { "id" : "c1" , "path" : "p" , "delta" : "x" } `, true},
		{"takes UTF-8", `{"id":"c1","path":"p","delta":"café ☕"}`, true},
		{"takes escapes", `{"id":"c1","path":"p","delta":"say \"caf\u00e9\"\n\ud83d\ude00"}`, true},
		{"takes invalid UTF-8", "{\"id\":\"c1\",\"path\":\"p\",\"delta\":\"\xff\"}", true},
		{"leaves null to the generated decoder, which keeps it", `{"id":"c1","sessionId":null,"path":"p","delta":"x"}`, false},
		{"leaves an event without a required member to the generated decoder, which keeps it absent", `{"id":"c1","delta":"x"}`, false},
		{"leaves an escaped key to the generated decoder", `{"d\u0065lta":"x"}`, false},
		{"leaves a bad escape to the generated decoder", `{"delta":"\q"}`, false},
		{"leaves another member to the generated decoder", `{"delta":"x","extra":1}`, false},
		{"leaves a repeated member to the generated decoder", `{"delta":"x","delta":"y"}`, false},
		{"leaves a number to the generated decoder", `{"delta":7}`, false},
		{"leaves trailing bytes to the generated decoder", `{"delta":"x"} {}`, false},
		{"leaves a truncated object to the generated decoder", `{"delta":"x"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b chatEventBox
			assert.Equal(t, tt.ok, b.decodeFast([]byte(tt.data), prev))
		})
	}
	t.Run("shares the strings that repeat the previous event's", func(t *testing.T) {
		var b chatEventBox
		require.True(t, b.decodeFast([]byte(`{"id":"c1","sessionId":"s1","path":"chat.output[0].content","delta":"x"}`), prev))
		assert.Equal(t, ChatStreamEvent{ID: "c1", SessionID: String("s1"), Path: "chat.output[0].content", Delta: "x"}, b.ev)
		assert.True(t, unsafeSameString(prev.ID, b.ev.ID))
		assert.True(t, unsafeSameString(prev.Path, b.ev.Path))
		assert.True(t, unsafeSameString(*prev.SessionID, *b.ev.SessionID))
		assert.NotSame(t, prev.SessionID, b.ev.SessionID, "each event has a SessionID of its own")
	})
}

// unsafeSameString reports whether a and b share their bytes.
func unsafeSameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

func TestChatEventFastPathAllocations(t *testing.T) {
	prev := &ChatStreamEvent{ID: "c1", SessionID: String("s1"), Path: "chat.output[0].content"}
	tests := []struct {
		name string
		data string
		max  float64
	}{
		{"an event in the usual form costs its box and its delta", `{"id":"c1","sessionId":"s1","path":"chat.output[0].content","delta":"Hello "}`, 2},
		{"an event whose delta has escapes costs two more", `{"id":"c1","sessionId":"s1","path":"chat.output[0].content","delta":"say \"hi\"\n"}`, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			allocs := testing.AllocsPerRun(100, func() {
				b := new(chatEventBox)
				if !b.decodeFast(data, prev) {
					t.Fatal("not decoded")
				}
				sink = b
			})
			assert.LessOrEqual(t, allocs, tt.max)
		})
	}
}

var sink *chatEventBox
