package main

import (
	"fmt"
	"regexp"
	"strings"
)

// jsLiteral matches a pattern written as a JavaScript regular expression
// literal, /body/flags, as class-validator's @Matches puts it in the spec.
var jsLiteral = regexp.MustCompile(`^/(.*)/([dgimsuvy]*)$`)

// jsSpace is what \s matches in JavaScript (Go's \s is ASCII only).
const jsSpace = `\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// jsDot is what . matches in JavaScript without the s flag.
const jsDot = `[^\n\r\x{2028}\x{2029}]`

// translatePattern turns a spec pattern, a JavaScript regular expression
// (as /body/flags or as a bare body), into a Go regexp that accepts exactly
// the same strings. It fails for what RE2 cannot express (look-around,
// back-references) or where the two dialects would disagree; the caller
// then skips the check rather than risk rejecting what the API accepts.
func translatePattern(p string) (string, error) {
	body, flags := p, ""
	if m := jsLiteral.FindStringSubmatch(p); m != nil {
		body, flags = m[1], m[2]
	}
	unicodeMode := strings.ContainsAny(flags, "uv")
	var out strings.Builder
	for _, f := range flags {
		switch f {
		case 'i':
			out.WriteString("(?i)")
		case 'm':
			out.WriteString("(?m)")
		case 's':
			out.WriteString("(?s)")
		}
	}
	dotAll := strings.ContainsRune(flags, 's')
	inClass := false
	rs := []rune(body)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 >= len(rs) {
				return "", fmt.Errorf("pattern %q ends in a backslash", p)
			}
			i++
			c := rs[i]
			switch {
			case c >= '1' && c <= '9', c == 'k':
				return "", fmt.Errorf("pattern %q: back-references are not RE2", p)
			case c == 's':
				if inClass {
					out.WriteString(jsSpace)
				} else {
					out.WriteString("[" + jsSpace + "]")
				}
			case c == 'S':
				if inClass {
					return "", fmt.Errorf("pattern %q: \\S inside a class is not RE2", p)
				}
				out.WriteString("[^" + jsSpace + "]")
			case c == 'p' || c == 'P':
				if !unicodeMode {
					return "", fmt.Errorf("pattern %q: \\%c without the u flag is a plain letter in JavaScript", p, c)
				}
				out.WriteRune('\\')
				out.WriteRune(c)
			case c == 'u':
				hex, n, err := jsUnicodeEscape(rs[i+1:], unicodeMode)
				if err != nil {
					return "", fmt.Errorf("pattern %q: %w", p, err)
				}
				out.WriteString(`\x{` + hex + `}`)
				i += n
			case c == 'c', c == '0':
				return "", fmt.Errorf("pattern %q: \\%c escapes are not translated", p, c)
			default:
				out.WriteRune('\\')
				out.WriteRune(c)
			}
		case inClass:
			if r == ']' {
				inClass = false
			}
			if r == '[' {
				out.WriteString(`\[`)
				continue
			}
			out.WriteRune(r)
		case r == '[':
			if strings.HasPrefix(string(rs[i:]), "[^]") || strings.HasPrefix(string(rs[i:]), "[]") {
				return "", fmt.Errorf("pattern %q: empty classes are not RE2", p)
			}
			inClass = true
			out.WriteRune(r)
			if i+1 < len(rs) && rs[i+1] == '^' {
				out.WriteRune('^')
				i++
			}
			if i+1 < len(rs) && rs[i+1] == ']' {
				// A ] first in a class is literal in Go but ends an empty
				// class in JavaScript.
				return "", fmt.Errorf("pattern %q: ] first in a class", p)
			}
		case r == '(' && i+2 < len(rs) && rs[i+1] == '?' && (rs[i+2] == '=' || rs[i+2] == '!' ||
			(rs[i+2] == '<' && i+3 < len(rs) && (rs[i+3] == '=' || rs[i+3] == '!'))):
			return "", fmt.Errorf("pattern %q: look-around is not RE2", p)
		case r == '.' && !dotAll:
			out.WriteString(jsDot)
		default:
			out.WriteRune(r)
		}
	}
	if inClass {
		return "", fmt.Errorf("pattern %q: unterminated class", p)
	}
	re := out.String()
	if _, err := regexp.Compile(re); err != nil {
		return "", fmt.Errorf("pattern %q: %w", p, err)
	}
	return re, nil
}

// jsUnicodeEscape reads the hex digits of \uXXXX, or of \u{X…} in unicode
// mode, and reports how many runes it used.
func jsUnicodeEscape(rs []rune, unicodeMode bool) (string, int, error) {
	isHex := func(r rune) bool {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
	}
	if unicodeMode && len(rs) > 0 && rs[0] == '{' {
		for j := 1; j < len(rs); j++ {
			if rs[j] == '}' && j > 1 {
				return string(rs[1:j]), j + 1, nil
			}
			if !isHex(rs[j]) {
				break
			}
		}
		return "", 0, fmt.Errorf("bad \\u{…} escape")
	}
	if len(rs) < 4 {
		return "", 0, fmt.Errorf("short \\u escape")
	}
	for _, r := range rs[:4] {
		if !isHex(r) {
			return "", 0, fmt.Errorf("bad \\u escape")
		}
	}
	return string(rs[:4]), 4, nil
}
