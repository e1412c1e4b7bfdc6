package specgen

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
)

// jsLiteral matches a JavaScript regular expression literal: /body/flags.
var jsLiteral = regexp.MustCompile(`^/(.*)/([a-z]*)$`)

// GoPattern translates a spec pattern to Go's regexp syntax. The spec
// writes JavaScript regular expressions, sometimes as literals with flags
// (/^\p{L}[\p{L}\d]*$/u); a bare pattern is used as it is. The flags i, m
// and s become inline flags; u needs nothing, since RE2 always reads
// \p{…}, and \d and \w are ASCII in both languages; g, y and d do not
// change what matches. The v flag (set notation) has no RE2 form.
func GoPattern(p string) (string, error) {
	m := jsLiteral.FindStringSubmatch(p)
	if m == nil {
		return p, nil
	}
	body, inline := m[1], ""
	for _, f := range m[2] {
		switch f {
		case 'i', 'm', 's':
			inline += string(f)
		case 'u', 'g', 'y', 'd':
		default:
			return "", fmt.Errorf("flag %q has no RE2 equivalent", f)
		}
	}
	if inline != "" {
		body = "(?" + inline + ")" + body
	}
	if _, err := syntax.Parse(body, syntax.Perl); err != nil {
		return "", err
	}
	return body, nil
}

// matching makes a string that matches a spec pattern and has lo..hi
// counted code points, by walking the pattern's syntax tree.
func (g *Generator) matching(pattern string, lo, hi int) string {
	re := g.regexpOf(pattern)
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		panic(err) // regexpOf compiled it already
	}
	for attempt := 0; attempt < 100; attempt++ {
		var b strings.Builder
		if g.emit(&b, tree) && re.MatchString(b.String()) && lengthOK(b.String(), lo, hi) {
			return b.String()
		}
	}
	panic(fmt.Sprintf("specgen: cannot make a string of %d..%d characters matching %s", lo, hi, pattern))
}

// classSample are the characters tried first for a character class: the
// printable ASCII range and some letters every Unicode version agrees on,
// so that other engines (JavaScript, Python's regex) read them the same.
var classSample = func() []rune {
	var rs []rune
	for r := rune(' '); r <= '~'; r++ {
		rs = append(rs, r)
	}
	return append(rs, []rune("éßñÆøŁğЖжλΩ中文あア한ÿ")...)
}()

// emit writes a random string the regexp tree matches; false when the
// tree cannot match anything.
func (g *Generator) emit(b *strings.Builder, re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && g.chance(0.5) {
				r = unicode.SimpleFold(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(g.classRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteString(g.char())
	case syntax.OpCapture:
		return g.emit(b, re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpPlus:
			lo, hi = 1, -1
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		n := lo + g.rng.IntN(4)
		switch {
		case hi >= 0 && g.chance(0.15):
			n = hi
		case hi >= 0 && n > hi:
			n = lo + g.rng.IntN(hi-lo+1)
		}
		for i := 0; i < n; i++ {
			if !g.emit(b, re.Sub[0]) {
				return false
			}
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !g.emit(b, sub) {
				return false
			}
		}
	case syntax.OpAlternate:
		return g.emit(b, re.Sub[g.rng.IntN(len(re.Sub))])
	}
	// Anchors, boundaries and the empty match write nothing.
	return true
}

// classRune picks a rune of a character class (pairs of inclusive ranges),
// preferably from classSample.
func (g *Generator) classRune(ranges []rune) rune {
	in := func(r rune) bool {
		for i := 0; i < len(ranges); i += 2 {
			if r >= ranges[i] && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	var cands []rune
	for _, r := range classSample {
		if in(r) {
			cands = append(cands, r)
		}
	}
	if len(cands) > 0 {
		return cands[g.rng.IntN(len(cands))]
	}
	i := 2 * g.rng.IntN(len(ranges)/2)
	return ranges[i] + g.rng.Int32N(ranges[i+1]-ranges[i]+1)
}
