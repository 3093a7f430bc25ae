package pdf

import (
	"planrep/report/internal/sample"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixedMeasure measures a CJK character as 2 and anything else as 1.
func fixedMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w++
		} else {
			w += 2
		}
	}
	return w
}

func TestWrapText(t *testing.T) {
	tests := []struct {
		in    string
		width float64
		want  []string
	}{
		{"", 10, []string{""}},
		{"一二三四五六", 6, []string{"一二三", "四五六"}},
		// Closing punctuation does not start a line: the character before it comes along.
		{"一二三，四五", 6, []string{"一二", "三，四", "五"}},
		{"一二三。”四", 6, []string{"一二", "三。”", "四"}},
		// Opening punctuation does not end a line.
		{"一二（三四", 6, []string{"一二", "（三四"}},
		// Numbers and Latin words stay whole.
		{"完成12345亿元", 8, []string{"完成", "12345亿", "元"}},
		{"增长 62.5% 左右", 8, []string{"增长", "62.5% 左", "右"}},
		{"ab cd ef", 5, []string{"ab cd", "ef"}},
		// A word longer than the line is cut where it must be.
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		// A number keeps its unit: joined by a no-break space, or written right after it.
		{"完成 5.21\u00a0万人，为", 12, []string{"完成", "5.21\u00a0万人，", "为"}},
		{"一二三四5.5万人以上", 12, []string{"一二三四", "5.5万人以上"}},
		// Pulling a character down for a closing mark takes an opening mark before it too.
		{"一二（34）", 8, []string{"一二", "（34）"}},
		// Hard line breaks are kept.
		{"一二\n三", 10, []string{"一二", "三"}},
	}
	for _, tt := range tests {
		got := wrapText(tt.in, tt.width, fixedMeasure)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapText(%q, %v) = %q; want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestWrapKeepsEveryCharacter(t *testing.T) {
	for _, width := range []float64{2, 3, 5, 8, 13, 40} {
		lines := wrapText(sample.LongProblem, width, fixedMeasure)
		if got := strings.Join(lines, ""); got != sample.LongProblem {
			t.Errorf("width %v: lost characters:\n got %s\nwant %s", width, got, sample.LongProblem)
		}
		for _, l := range lines {
			if fixedMeasure(l) > width && utf8.RuneCountInString(l) > 1 {
				t.Errorf("width %v: line %q is %v wide", width, l, fixedMeasure(l))
			}
		}
		for i, l := range lines[1:] {
			if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune("，。、；：？！）》」", r) && width >= 13 {
				// (On very narrow lines a number and its punctuation may fill a
				// line alone; then the punctuation has nowhere else to go.)
				t.Errorf("width %v: line %d starts with %q", width, i+2, r)
			}
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"普通文本 abc":    "普通文本 abc",
		"𠮷野家😀":        "〓野家〓",
		"a\tb\r\nc":   "a b\nc",
		"bad\xffbyte": "bad〓byte",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q; want %q", in, got, want)
		}
	}
}

func FuzzWrapText(f *testing.F) {
	f.Add(sample.LongProblem, 7.0)
	f.Add("ab （cd）， ef。", 3.0)
	f.Add("为年度目标（5.5\u00a0万人以上）的94.7%，一二（34）", 6.0)
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if width < 2 || width > 1000 || !utf8.ValidString(s) || strings.ContainsAny(s, " \n") {
			return
		}
		if got := strings.Join(wrapText(s, width, fixedMeasure), ""); got != s {
			t.Errorf("wrapText lost characters: %q -> %q", s, got)
		}
	})
}
