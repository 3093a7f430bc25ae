package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFoldLeavesSimplified checks that folding changes no character of
// texts written in simplified characters: a key of the table that is also
// a simplified character would corrupt them.
func TestFoldLeavesSimplified(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	files = append(files, "../seeds/zibo-2025/plan.txt")
	more, _ := filepath.Glob("testdata/classes/*.txt")
	files = append(files, more...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if strings.HasSuffix(f, "traditional.txt") {
			continue
		}
		// Years in Chinese digits are the one change folding makes.
		got, want := []rune(fold(text)), []rune(text)
		for i := range got {
			if got[i] != want[i] && !(isDigit(got[i]) && hanDigit[want[i]] >= 0 && strings.ContainsRune("〇零○一二三四五六七八九", want[i])) {
				t.Errorf("%s: fold changed %q to %q", f, want[i], got[i])
			}
		}
	}
	for k, v := range tradMap {
		if k == v || !utf8.ValidRune(v) {
			t.Errorf("table maps %q to %q", k, v)
		}
		if _, again := tradMap[v]; again {
			t.Errorf("table maps %q to %q, which it maps again", k, v)
		}
	}
}

func TestFoldAndUnfold(t *testing.T) {
	orig := "香江市二〇二六年國民經濟和社會發展計劃\n城鎮新增就業3.5萬人"
	f := fold(orig)
	if want := "香江市2026年国民经济和社会发展计划\n城镇新增就业3.5万人"; f != want {
		t.Errorf("fold = %q; want %q", f, want)
	}
	if got := unfold(orig, f, "城镇新增就业3.5万人"); got != "城鎮新增就業3.5萬人" {
		t.Errorf("unfold = %q", got)
	}
}

func TestHanNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"建成三个园区":        "建成3个园区",
		"新改建农村公路一百二十公里": "新改建农村公路120公里",
		"培育两个特色小镇":      "培育2个特色小镇",
		"力争数量翻一番":       "力争数量增长100%",
		"控制在千分之五以内":     "控制在5‰以内",
		"达到百分之二点八":      "达到2.8%",
		"建设一批项目，推动“五个淄博”建设，实施三年行动": "建设一批项目，推动“五个淄博”建设，实施三年行动",
		"第三个，十四五，二三个":              "第三个，十四五，二三个",
		"粮食产量 50 万吨，PM2.5 浓度":      "粮食产量50万吨，PM2.5浓度",
		"Zibo City 5 %":            "Zibo City5%",
	} {
		if got := string(normalizeNumbers([]rune(in))); got != want {
			t.Errorf("normalizeNumbers(%q) = %q; want %q", in, got, want)
		}
	}
}
