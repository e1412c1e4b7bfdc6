package specgen

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govapi/vapi/internal/spec"
)

// Length counts a string's length as class-validator's isLength does, and
// so the API: code points, not counting the variation selectors U+FE0E and
// U+FE0F.
func Length(s string) int {
	n := 0
	for _, r := range s {
		if r != '\uFE0E' && r != '\uFE0F' {
			n++
		}
	}
	return n
}

// lengthOK reports whether a string's length is within bounds both as the
// API counts it and as the reference validator does (every code point);
// a negative bound is absent.
func lengthOK(s string, lo, hi int) bool {
	return Length(s) >= lo && (hi < 0 || utf8.RuneCountInString(s) <= hi)
}

func bounds(s *spec.Schema) (lo, hi int) {
	lo, hi = 0, -1
	if s.MinLength != nil {
		lo = *s.MinLength
	}
	if s.MaxLength != nil {
		hi = *s.MaxLength
	}
	return lo, hi
}

func (g *Generator) str(s *spec.Schema) string {
	lo, hi := bounds(s)
	switch {
	case s.Pattern != "":
		return g.matching(s.Pattern, lo, hi)
	case s.Format == "date-time":
		return g.dateTime()
	case s.Format == "uuid":
		return g.uuid()
	case s.Format == "uri":
		return "https://example.com/" + g.text(1, 12, asciiWord)
	}
	return g.text(lo, hi, nil)
}

// Character pools for strings. Each element counts as one code point.
var (
	asciiWord = []string{"a", "b", "c", "x", "y", "z", "A", "Q", "Z", "0", "1", "7", "9", "_", "-"}
	pools     = []struct {
		weight int
		chars  []string
	}{
		{60, asciiWord},
		{8, []string{" ", ".", ",", "!", "?", "/", ":", "{", "}", "[", "]", "'"}},
		{5, []string{"\"", "\\", "\n", "\t", "<", ">", "&", "\u2028", "\u0000", "\u007f"}},
		{10, []string{"é", "ß", "ñ", "Ж", "λ", "中", "あ", "ğ", "€"}},
		{9, []string{"😀", "🎉", "👍", "𝄞", "🇫", "🇷"}},
		{4, []string{"\u0301", "\u0308", "\u200d"}}, // combining marks, zero-width joiner
	}
	// selectors are not counted by class-validator; text places them.
	selectors = []string{"\uFE0F", "\uFE0E"}
	poolTotal = func() int {
		t := 0
		for _, p := range pools {
			t += p.weight
		}
		return t
	}()
)

// char picks one character from the weighted pools.
func (g *Generator) char() string {
	n := g.rng.IntN(poolTotal)
	for _, p := range pools {
		if n < p.weight {
			return p.chars[g.rng.IntN(len(p.chars))]
		}
		n -= p.weight
	}
	panic("unreachable")
}

// textLen picks how many counted code points a string gets.
func (g *Generator) textLen(lo, hi int) int {
	switch {
	case hi >= 0 && hi <= 5000 && g.chance(0.15):
		return hi
	case g.chance(0.1):
		return lo
	}
	top := lo + 16
	if g.chance(0.1) {
		top = lo + 80
	}
	if hi >= 0 && hi < top {
		top = hi
	}
	return lo + g.rng.IntN(top-lo+1)
}

// text makes a string of lo..hi counted code points (hi < 0: unbounded)
// from chars, or from the mixed pools when chars is nil. Variation
// selectors are sprinkled in where they fit under both ways of counting,
// and beyond maxLength when UncountedSelectors is set.
func (g *Generator) text(lo, hi int, chars []string) string {
	n := g.textLen(lo, hi)
	pieces := make([]string, n, n+2)
	for i := range pieces {
		if chars != nil {
			pieces[i] = chars[g.rng.IntN(len(chars))]
		} else {
			pieces[i] = g.char()
		}
	}
	if chars == nil && n > 0 && (g.chance(0.15) || g.UncountedSelectors && n == hi) {
		room := 2
		if hi >= 0 && !g.UncountedSelectors {
			room = min(room, hi-n)
		}
		for i := 0; i < room; i++ {
			pieces = slices.Insert(pieces, g.rng.IntN(len(pieces)+1), selectors[g.rng.IntN(len(selectors))])
		}
	}
	return strings.Join(pieces, "")
}

// number makes a number within the schema's range: often a bound itself,
// an integer, or a short decimal; an integer for "integer".
func (g *Generator) number(s *spec.Schema) float64 {
	lo, hi := math.Inf(-1), math.Inf(1)
	if s.Minimum != nil {
		lo = *s.Minimum
	}
	if s.Maximum != nil {
		hi = *s.Maximum
	}
	integer := s.Type == "integer"
	for attempt := 0; attempt < 100; attempt++ {
		var f float64
		switch r := g.rng.IntN(10); {
		case r == 0 && !math.IsInf(lo, 0):
			f = lo
		case r == 1 && !math.IsInf(hi, 0):
			f = hi
		case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
			f = lo + g.rng.Float64()*(hi-lo)
		case !math.IsInf(lo, 0):
			f = lo + g.spread()
		case !math.IsInf(hi, 0):
			f = hi - g.spread()
		default:
			f = g.spread()
			if g.chance(0.3) {
				f = -f
			}
		}
		switch r := g.rng.IntN(3); {
		case integer || r == 0:
			f = math.Round(f)
		case r == 1:
			f = math.Round(f*100) / 100
		}
		if f >= lo && f <= hi && !(integer && f != math.Trunc(f)) {
			return f
		}
	}
	panic(fmt.Sprintf("specgen: no number in [%v, %v]", lo, hi))
}

// spread is a non-negative magnitude: mostly small, sometimes large or
// tiny.
func (g *Generator) spread() float64 {
	switch g.rng.IntN(10) {
	case 0:
		return g.rng.Float64() * 1e12
	case 1:
		return g.rng.Float64() * 1e-6
	}
	return g.rng.Float64() * 1000
}

// dateTime makes an RFC 3339 timestamp: mostly as JavaScript writes them
// (milliseconds, Z), sometimes with another precision or an offset.
func (g *Generator) dateTime() string {
	t := time.Unix(946684800+g.rng.Int64N(40*365*86400), g.rng.Int64N(1e9)).UTC()
	frac := ".000"
	switch g.rng.IntN(4) {
	case 0:
		frac = ""
	case 1:
		frac = "." + strings.Repeat("0", 1+g.rng.IntN(9))
	}
	zone := "Z"
	if g.chance(0.3) {
		offsets := []int{-12 * 3600, -7*3600 - 30*60, -3600, 3600, 5*3600 + 30*60, 14 * 3600}
		t = t.In(time.FixedZone("", offsets[g.rng.IntN(len(offsets))]))
		zone = "-07:00"
	}
	return t.Format("2006-01-02T15:04:05" + frac + zone)
}

func (g *Generator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// regexpOf compiles a spec pattern (a JavaScript regular expression) for
// Go, cached.
func (g *Generator) regexpOf(pattern string) *regexp.Regexp {
	if re, ok := g.regexps[pattern]; ok {
		return re
	}
	expr, err := GoPattern(pattern)
	if err != nil {
		panic(fmt.Sprintf("specgen: pattern %s: %v", pattern, err))
	}
	re := regexp.MustCompile(expr)
	g.regexps[pattern] = re
	return re
}
