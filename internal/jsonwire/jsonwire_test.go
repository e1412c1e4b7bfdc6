package jsonwire

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// decodeAny decodes a whole document with the Decoder.
func decodeAny(b []byte) (any, error) {
	d := NewDecoder(b)
	v := d.Any()
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}

var corpus = []string{
	`null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-12.25E-2`, `1e400`, `"plain"`,
	`"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800 \udc00x \ud800\u0041"`,
	"\"bad utf8 \xff\xfe end\"", "\"ctl \x01\"", `{"a":1,"b":[1,2,{"c":null}],"d":{}}`,
	`[]`, `{}`, ` { "k" : [ true , false ] } `, `[1,]`, `{"a":1,}`, `{,}`, `[,1]`, `{"a" 1}`,
	`{"a":1 "b":2}`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `1e+`, `tru`, `nul`, `"unterminated`,
	`"\x"`, `"\u12"`, `{"a":1}x`, `[1]]`, ``, ` `, `{"dup":1,"dup":2}`, `"<>&\u2028"`,
}

func TestDecoderAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range corpus {
		t.Run(in, func(t *testing.T) { checkAgainstStdlib(t, []byte(in)) })
	}
}

func checkAgainstStdlib(t *testing.T, in []byte) {
	t.Helper()
	var want any
	wantErr := json.Unmarshal(in, &want)
	got, gotErr := decodeAny(in)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("input %q: encoding/json error %v, jsonwire error %v", in, wantErr, gotErr)
	}
	if wantErr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("input %q: encoding/json %#v, jsonwire %#v", in, want, got)
	}
	if wantErr != nil {
		return
	}
	// The encoder must write what encoding/json writes.
	wantOut, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var e Encoder
	e.Any(got)
	gotOut, err := e.Bytes()
	if err != nil {
		t.Fatalf("encode %#v: %v", got, err)
	}
	if string(wantOut) != string(gotOut) {
		t.Fatalf("encode %#v: encoding/json %s, jsonwire %s", got, wantOut, gotOut)
	}
}

func FuzzDecoderAgreesWithEncodingJSON(f *testing.F) {
	for _, in := range corpus {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkAgainstStdlib(t, in) })
}

func TestEncoderFormatsNumbersLikeEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.1, 1e-7, 1e-6, 123456789, 1e20, 1e21, 1.5e300, -2.5e-10, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		want, _ := json.Marshal(f)
		var e Encoder
		e.Float64(f)
		got, err := e.Bytes()
		if err != nil || string(got) != string(want) {
			t.Errorf("Float64(%v) = %s, %v; want %s", f, got, err, want)
		}
	}
}

func TestEncoderRejectsNaN(t *testing.T) {
	var e Encoder
	e.Float64(math.NaN())
	if _, err := e.Bytes(); err == nil {
		t.Fatal("NaN encoded without error")
	}
}

func TestEncoderEscapesStringsLikeEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\"back\\slash", "<script>&</script>", "\u2028\u2029", "\x00\x1f\b\f\n\r\t", "bad \xff utf8", "ünïcödé 😀"} {
		want, _ := json.Marshal(s)
		var e Encoder
		e.String(s)
		got, _ := e.Bytes()
		if string(got) != string(want) {
			t.Errorf("String(%q) = %s; want %s", s, got, want)
		}
	}
}

func TestTimeRoundTripsLikeTimePackage(t *testing.T) {
	ts := time.Date(2026, 11, 20, 14, 3, 11, 482000000, time.UTC)
	var e Encoder
	e.Time(ts)
	b, err := e.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(ts)
	if string(b) != string(want) {
		t.Fatalf("Time = %s; want %s", b, want)
	}
	d := NewDecoder(b)
	if got := d.Time(); !got.Equal(ts) || d.End() != nil {
		t.Fatalf("decoded %v, %v; want %v", got, d.Err(), ts)
	}
	bad := NewDecoder([]byte(`"yesterday"`))
	bad.Time()
	if bad.Err() == nil {
		t.Fatal("a malformed timestamp decoded without error")
	}
}

func TestPeekFindsDiscriminatorWithoutConsuming(t *testing.T) {
	tests := []struct {
		name, in, key, want string
		found               bool
	}{
		{"first member", `{"provider":"11labs","voiceId":"burt"}`, "provider", "11labs", true},
		{"after nested values", `{"a":{"provider":"x"},"b":[1,{"c":2}],"provider":"openai"}`, "provider", "openai", true},
		{"absent", `{"a":1}`, "provider", "", false},
		{"not a string", `{"provider":7}`, "provider", "", false},
		{"not an object", `"off"`, "provider", "", false},
		{"escaped", `{"provider":"eleven\u006cabs"}`, "provider", "elevenlabs", true},
	}
	for _, tt := range tests {
		t.Run("peeks the discriminator when it is "+tt.name, func(t *testing.T) {
			d := NewDecoder([]byte(tt.in))
			got, found := d.Peek(tt.key)
			if got != tt.want || found != tt.found {
				t.Fatalf("Peek = %q, %v; want %q, %v", got, found, tt.want, tt.found)
			}
			view, found := d.PeekView(tt.key)
			if string(view) != tt.want || found != tt.found {
				t.Fatalf("PeekView = %q, %v; want %q, %v", view, found, tt.want, tt.found)
			}
			// Nothing was consumed: the whole value still reads.
			d.Skip()
			if err := d.End(); err != nil {
				t.Fatalf("after Peek the value no longer reads: %v", err)
			}
		})
	}
	t.Run("PeekView of a plain string does not allocate", func(t *testing.T) {
		d := NewDecoder([]byte(`{"a":[1,2],"provider":"11labs"}`))
		allocs := testing.AllocsPerRun(100, func() {
			if v, _ := d.PeekView("provider"); string(v) != "11labs" {
				t.Fatalf("PeekView = %q", v)
			}
		})
		if allocs != 0 {
			t.Fatalf("PeekView allocates %v times", allocs)
		}
	})
}

func TestErrorsNameThePathOfTheBadValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"customer":{"number":5}}`, `"customer.number"`},
		{`{"messages":[{"role":"user"},{"content":[}]}`, `"messages[1].content[0]"`},
		{`{"a":{"b":["x","y",tru]}}`, `"a.b[2]"`},
	}
	for _, tt := range tests {
		t.Run("an error in "+tt.in+" names "+tt.want, func(t *testing.T) {
			d := NewDecoder([]byte(tt.in))
			// Walk the document reading every leaf as a string, so that
			// numbers are type errors and bad literals syntax errors.
			var walk func()
			walk = func() {
				switch d.Kind() {
				case '{':
					d.Object()
					for n := 0; d.Field(n); n++ {
						walk()
					}
				case '[':
					d.Array()
					for n := 0; d.Elem(n); n++ {
						walk()
					}
				default:
					_ = d.String()
				}
			}
			walk()
			err := d.Err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v does not name %s", err, tt.want)
			}
		})
	}
}

func TestExactFloatAgreesWithStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := []string{"0", "-0", "1", "-1", "0.5", "0.0142", "1240", "123456789012345", "1234567890123456",
		"0.1", "0.3", "9007199254740993", "3.141592653589793", "-0.000001", "99.99", "1e5", "1.5e-3"}
	for i := 0; i < 20000; i++ {
		digits := strconv.FormatUint(rng.Uint64N(1_000_000_000_000_000), 10)
		cut := rng.IntN(len(digits) + 1)
		s := digits
		if cut < len(digits) && cut > 0 {
			s = digits[:cut] + "." + digits[cut:]
		}
		if rng.IntN(2) == 0 {
			s = "-" + s
		}
		inputs = append(inputs, s)
	}
	for _, in := range inputs {
		want, err := strconv.ParseFloat(in, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := exactFloat([]byte(in)); ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactFloat(%q) = %v, strconv says %v", in, got, want)
		}
	}
}

func TestPlainEndFindsTheFirstSpecialByte(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{`abcdefghijklmnop"`, 16}, {`abcdefgh"ijk"`, 8}, {`abcdefghij\"x"`, -1}, {"abcdefghijk\x01\"", -1},
		{`héllo wörld, grüße"`, 22}, {"ab\xffcdefghij\"", -1}, {`"`, 0}, {`abc`, -1},
	} {
		if got := plainEnd([]byte(tt.in), 0); got != tt.want {
			t.Errorf("plainEnd(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
