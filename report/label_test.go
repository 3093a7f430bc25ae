package report

import "testing"

func TestChapterLabel(t *testing.T) {
	for in, want := range map[string]string{
		"二、主要预期目标":    "主要预期目标",
		"（一）坚持扩内需稳外贸": "（一）扩内需稳外贸",
		"（五）生态":       "（五）生态",
		"":            "其他",
		"（十二）着力推进城乡融合发展和乡村全面振兴": "（十二）推进城乡融合发展和乡村全面振兴",
	} {
		if got := chapterLabel(in); got != want {
			t.Errorf("chapterLabel(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestNumeral(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 12: "十二", 20: "二十", 36: "三十六", 99: "九十九", 100: "100"} {
		if got := Numeral(n); got != want {
			t.Errorf("Numeral(%d) = %q; want %q", n, got, want)
		}
	}
}
