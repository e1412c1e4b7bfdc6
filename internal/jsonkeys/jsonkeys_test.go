package jsonkeys

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

type voice interface{ isVoice() }

type elevenLabs struct {
	VoiceID   string   `json:"voiceId"`
	Stability *float64 `json:"stability,omitempty"`
}

func (elevenLabs) isVoice() {}

// MarshalJSON writes the discriminator, which is not a struct field.
func (v elevenLabs) MarshalJSON() ([]byte, error) {
	type plain elevenLabs
	b, _ := json.Marshal(plain(v))
	return append([]byte(`{"provider":"11labs",`), b[1:]...), nil
}

type assistant struct {
	Name  *string        `json:"name,omitempty"`
	Voice voice          `json:"-"`
	Vars  map[string]any `json:"vars,omitempty"`
	Tags  []string       `json:"tags,omitempty"`
}

func (a assistant) MarshalJSON() ([]byte, error) {
	type plain assistant
	m := map[string]any{}
	b, _ := json.Marshal(plain(a))
	_ = json.Unmarshal(b, &m)
	if a.Voice != nil {
		m["voice"] = a.Voice
	}
	return json.Marshal(m)
}

func (a *assistant) UnmarshalJSON(b []byte) error {
	type plain assistant
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var raw struct {
		Voice *elevenLabs `json:"voice"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*a = assistant(p)
	if raw.Voice != nil {
		a.Voice = *raw.Voice
	}
	return nil
}

type embedded struct {
	Extra string `json:"extra,omitempty"`
}

type request struct {
	embedded
	ID        string     `json:"id"`
	Assistant *assistant `json:"assistant,omitempty"`
	Items     []item     `json:"items,omitempty"`
	Ignored   string     `json:"-"`
}

type item struct {
	Role string `json:"role"`
}

func TestDropped(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"all known", `{"id":"a","assistant":{"name":"n","voice":{"provider":"11labs","voiceId":"v"}},"items":[{"role":"user"}]}`, nil},
		{"top-level unknown", `{"id":"a","foo":1}`, []string{"foo"}},
		{"unknown null at top level", `{"id":"a","foo":null}`, []string{"foo"}},
		{"known field with empty values", `{"id":"","assistant":{"name":null,"vars":{},"tags":[]},"extra":""}`, nil},
		{"nested unknown", `{"assistant":{"foo":"x","bar":{}}}`, []string{"assistant.bar", "assistant.foo"}},
		{"discriminator is kept, unknown inside union", `{"assistant":{"voice":{"provider":"11labs","voiceId":"v","stability":null,"speed":2}}}`, []string{"assistant.voice.speed"}},
		{"unknown in array element", `{"items":[{"role":"user"},{"role":"bot","x":true}]}`, []string{"items[1].x"}},
		{"case differs", `{"ID":"a"}`, []string{"ID"}},
		{"json:\"-\" field is unknown", `{"Ignored":"x"}`, []string{"Ignored"}},
		{"free-form map keeps everything", `{"assistant":{"vars":{"a":{"b":null}}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r request
			if err := json.Unmarshal([]byte(tt.raw), &r); err != nil {
				t.Fatal(err)
			}
			paths, err := Dropped([]byte(tt.raw), &r)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paths {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Dropped = %q, want %q", got, tt.want)
			}
		})
	}
}

// lossy keeps a declared field out of its JSON, as a buggy codec would.
type lossy struct {
	Kept  string         `json:"kept"`
	Lost  string         `json:"lost"`
	Inner *lossy         `json:"inner,omitempty"`
	Free  map[string]any `json:"free,omitempty"`
}

func (l lossy) MarshalJSON() ([]byte, error) {
	m := map[string]any{"kept": l.Kept}
	if l.Inner != nil {
		m["inner"] = l.Inner
	}
	if l.Free != nil {
		free := map[string]any{}
		for k, v := range l.Free {
			if k != "drop" {
				free[k] = v
			}
		}
		m["free"] = free
	}
	return json.Marshal(m)
}

func TestLost(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"nothing lost", `{"kept":"a"}`, nil},
		{"declared field lost", `{"kept":"a","lost":"b"}`, []string{"lost"}},
		{"nested declared field lost", `{"inner":{"lost":"b"}}`, []string{"inner.lost"}},
		{"unknown fields are not lost", `{"kept":"a","newer":{"x":1}}`, nil},
		{"empty values are not lost", `{"lost":""}`, nil},
		{"free-form map entries are declared", `{"free":{"keep":1,"drop":2}}`, []string{"free.drop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v lossy
			if err := json.Unmarshal([]byte(tt.raw), &v); err != nil {
				t.Fatal(err)
			}
			paths, err := Lost([]byte(tt.raw), &v)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paths {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lost = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDroppedInvalidJSON(t *testing.T) {
	if _, err := Dropped([]byte(`{`), &request{}); err == nil {
		t.Fatal("want error for invalid JSON")
	}
}

func TestPathString(t *testing.T) {
	for _, tt := range []struct {
		p    Path
		want string
	}{
		{nil, ""},
		{Path{"a"}, "a"},
		{Path{"messages", "1", "content"}, "messages[1].content"},
		{Path{"0", "a"}, "[0].a"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%q.String() = %q, want %q", []string(tt.p), got, tt.want)
		}
	}
}

// nested returns a document whose "vars" nests depth objects, each with one
// member "a", and whose innermost object has an unknown member.
func nested(depth int) []byte {
	return []byte(`{"vars":` + strings.Repeat(`{"a":`, depth) + `1` + strings.Repeat(`}`, depth) + `,"junk":1}`)
}

// TestDroppedIsLinearInDepth walks a 16 KB body nested 8,000 deep: copying
// the path at every level would allocate about 8,000²/2 path elements (half
// a gigabyte); a walk that keeps one path stack allocates in proportion to
// the input.
func TestDroppedIsLinearInDepth(t *testing.T) {
	for _, depth := range []int{1000, 8000} {
		raw := nested(depth)
		var a assistant
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got, err := Dropped(raw, a)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if want := []Path{{"junk"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("depth %d: Dropped = %v, want %v", depth, got, want)
		}
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("depth %d, %d bytes in: %d bytes allocated", depth, len(raw), allocated)
		if limit := uint64(2000 * len(raw)); allocated > limit {
			t.Errorf("depth %d: %d bytes allocated for %d bytes in, want at most %d", depth, allocated, len(raw), limit)
		}
	}
}
