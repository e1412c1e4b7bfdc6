package vapi

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedactKey(t *testing.T) {
	const key = "sk-demo/1"
	tests := []struct {
		name string
		key  string
		in   string
		cut  bool
		want string
	}{
		{"text without the key is returned as it is", key, `{"name":"sk-dem0"}`, false, `{"name":"sk-dem0"}`},
		{"the key as is is redacted", key, `a sk-demo/1 b`, false, `a [REDACTED] b`},
		{"a \\u escape of its first character is redacted", key, `a \u0073k-demo/1 b`, false, `a [REDACTED] b`},
		{"upper-case hex digits are redacted", key, `\u0073\u006B-demo/1`, false, `[REDACTED]`},
		{"an escaped slash is redacted", key, `sk-demo\/1`, false, `[REDACTED]`},
		{"every character escaped is redacted", key, `\u0073\u006b\u002d\u0064\u0065\u006d\u006f\u002f\u0031`, false, `[REDACTED]`},
		{"several spellings in one text are all redacted", key, `sk-demo/1,\u0073k-demo\/1`, false, `[REDACTED],[REDACTED]`},
		{"a key spelled with a character too many is not the key", key, `sk-demo//1`, false, `sk-demo//1`},
		{"an escape of another character is not the key", key, `\u0074k-demo/1`, false, `\u0074k-demo/1`},
		{"a start of the key at the end of a cut text is redacted", key, `abc sk-de`, true, `abc [REDACTED]`},
		{"an escaped start of the key at the end of a cut text is redacted", key, `abc \u0073k-de`, true, `abc [REDACTED]`},
		{"an escape cut in two at the end of a cut text is redacted", key, `abc \u00`, true, `abc [REDACTED]`},
		{"a start of the key at the end of a whole text is not redacted", key, `abc sk-de`, false, `abc sk-de`},
		{"a one-letter key is redacted in text, as errors need", "k", `Thanks`, false, `Than[REDACTED]s`},
		{"a key beyond the BMP matches its surrogate pair", "sk-😀", `sk-\ud83d\ude00`, false, `[REDACTED]`},
		{"a key beyond the BMP matches as is", "sk-😀", `x sk-😀`, false, `x [REDACTED]`},
		{"a key with a quote matches its short escape", `sk"q`, `sk\"q`, false, `[REDACTED]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert := func(got string) {
				t.Helper()
				if got != tt.want {
					t.Errorf("redactKey(%q, %q, %v) = %q, want %q", tt.in, tt.key, tt.cut, got, tt.want)
				}
			}
			assert(string(redactKey([]byte(tt.in), tt.key, tt.cut)))
			if !tt.cut {
				if got, want := spellsKey(tt.in, tt.key), tt.in != tt.want; got != want {
					t.Errorf("spellsKey(%q, %q) = %v, want %v", tt.in, tt.key, got, want)
				}
			}
		})
	}
}

// FuzzRedactKey: whatever the text, once redacted it decodes (as the body
// of a JSON string) to a text without the key.
func FuzzRedactKey(f *testing.F) {
	f.Add(`my \u0073k-demo name`, "sk-demo")
	f.Add(`sk-demo\/1 and \u0073\u006B`, "sk-demo/1")
	f.Add(`\\u0073k-demo`, "sk-demo")
	f.Add(`ssk-demo`, "sk-demo")
	f.Fuzz(func(t *testing.T, text, key string) {
		if key == "" || !utf8.ValidString(key) || !utf8.ValidString(text) ||
			strings.ContainsAny(key, `[]REDACT\"`) || !json.Valid([]byte(`"`+key+`"`)) {
			t.Skip()
		}
		out := redactKey([]byte(text), key, false)
		var decoded string
		if json.Unmarshal([]byte(`"`+string(out)+`"`), &decoded) != nil {
			return // not the body of a JSON string: nothing decodes it
		}
		if strings.Contains(decoded, key) {
			t.Fatalf("redactKey(%q, %q) = %q, which decodes to %q", text, key, out, decoded)
		}
	})
}
