package pdf

import (
	"strings"
	"unicode"
)

// Chinese text has no spaces to break on, and gofpdf's own wrapping drops a
// character at every automatic break, so lines are cut here, rune by rune.

// noStart are characters that must not begin a line (closing punctuation).
const noStart = "，。、；：？！）》」』】〕〉”’％%…·—,.;:?!)]}"

// noEnd are characters that must not end a line (opening punctuation).
const noEnd = "（《「『【〔〈“‘([{"

// replacement stands for a character the PDF cannot show (above U+FFFF):
// 〓 is the customary mark for a missing character in Chinese typesetting.
const replacement = '〓'

// clean makes text safe for gofpdf: runes above U+FFFF (which make it panic)
// become 〓, control characters become spaces, line breaks are kept as \n.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r > 0xFFFF, r == unicode.ReplacementChar:
			b.WriteRune(replacement)
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isClean(s string) bool {
	for _, r := range s {
		if r > 0xFFFF || r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n') {
			return false
		}
	}
	return true
}

// isWordRune reports whether r belongs to a Latin word or a number, which
// must stay whole on one line: letters, digits and the marks inside numbers.
func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".,%+-_/:@#&'=~", r)) ||
		(r >= 0xFF10 && r <= 0xFF19) // full-width digits
}

// nbsp joins a number to its unit in the brief's text.
const nbsp = '\u00a0'

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// units cuts a line into the pieces wrapping may not split: a Latin word or
// number (with its unit: a number is never parted from the one to three
// Chinese characters joined to it by a no-break space, nor from the one or
// two written right after it, as in 5.5万人), one space, or one other character.
func units(line string) []string {
	var out []string
	rs := []rune(line)
	for i := 0; i < len(rs); {
		j := i + 1
		if isWordRune(rs[i]) {
			digits := false
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			for _, r := range rs[i:j] {
				digits = digits || unicode.IsDigit(r) || r >= 0xFF10 && r <= 0xFF19
			}
			if digits {
				max := 2
				if j < len(rs) && rs[j] == nbsp {
					j++
					max = 3
				}
				for k := 0; k < max && j < len(rs) && isHan(rs[j]); k++ {
					j++
				}
			}
		} else if rs[i] == nbsp {
			// A no-break space stays with what follows.
			for j < len(rs) && (isWordRune(rs[j]) || isHan(rs[j])) && j-i < 4 {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

// wrapText cuts text into lines no wider than width, as measured by measure.
// Every character of the text is kept (only spaces at a break are dropped);
// closing punctuation never begins a line, opening punctuation never ends
// one, and Latin words and numbers are kept whole when they fit on a line.
func wrapText(text string, width float64, measure func(string) float64) []string {
	var lines []string
	for _, hard := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(hard, width, measure)...)
	}
	return lines
}

func wrapLine(text string, width float64, measure func(string) float64) []string {
	if text == "" {
		return []string{""}
	}
	var lines []string
	var cur []string
	var curW float64
	flush := func() {
		s := strings.TrimRight(strings.Join(cur, ""), " ")
		lines = append(lines, s)
		cur, curW = nil, 0
	}
	us := units(text)
	for i := 0; i < len(us); i++ {
		u := us[i]
		w := measure(u)
		if curW+w <= width || len(cur) == 0 && w <= width {
			if u == " " && len(cur) == 0 && len(lines) > 0 {
				continue // no space at the start of a wrapped line
			}
			cur = append(cur, u)
			curW += w
			continue
		}
		switch {
		case u == " ":
			flush()
			continue
		case w > width:
			// A word wider than the line: cut it where it must be cut.
			if len(cur) > 0 {
				flush()
			}
			rs := []rune(u)
			var part []rune
			var pw float64
			for _, r := range rs {
				rw := measure(string(r))
				if pw+rw > width && len(part) > 0 {
					lines = append(lines, string(part))
					part, pw = nil, 0
				}
				part = append(part, r)
				pw += rw
			}
			cur, curW = []string{string(part)}, pw
			continue
		case strings.Contains(noStart, firstRune(u)) && len(cur) > 1:
			// Take the last character of this line down with the punctuation
			// (and any punctuation right before it, as in 。”).
			j := len(cur) - 1
			for j > 0 && strings.Contains(noStart, firstRune(cur[j])) {
				j--
			}
			// Nor may the line left behind end in opening punctuation: （ goes down too.
			for j > 0 && strings.Contains(noEnd, firstRune(cur[j-1])) {
				j--
			}
			if j == 0 {
				flush()
				break
			}
			moved := append([]string(nil), cur[j:]...)
			cur = cur[:j]
			flush()
			cur = moved
			curW = measure(strings.Join(moved, ""))
		case len(cur) > 1 && strings.Contains(noEnd, firstRune(cur[len(cur)-1])):
			last := cur[len(cur)-1]
			cur = cur[:len(cur)-1]
			flush()
			cur, curW = []string{last}, measure(last)
		default:
			flush()
		}
		if curW+w > width && len(cur) > 0 {
			flush()
		}
		cur = append(cur, u)
		curW += w
	}
	if len(cur) > 0 {
		flush()
	}
	return lines
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}
