package workbook

import (
	"regexp"
	"testing"
)

// FuzzDropAttr: dropAttr removes what the regular expressions it replaced
// removed, on any input.
func FuzzDropAttr(f *testing.F) {
	for _, s := range []string{
		`<sheetView tabSelected="1" workbookViewId="0">`,
		`<sheetView tabSelected="true"/><sheetView	tabSelected="1"/><x tabSelected="0"/>`,
		`<workbookView activeTab="2" firstSheet="1"/>`,
		`<workbookView activeTab="" firstSheet="x1" activeTab="12"activeTab="3"/>`,
		`tabSelected="1" atabSelected="1"` + "\f" + `tabSelected="true`,
		" \tactiveTab=\"1\"firstSheet=\"2\"",
	} {
		f.Add(s)
	}
	tab := regexp.MustCompile(`\stabSelected="(1|true)"`)
	active := regexp.MustCompile(`\s(activeTab|firstSheet)="\d+"`)
	f.Fuzz(func(t *testing.T, s string) {
		got, changed := dropAttr([]byte(s), func(v []byte) bool { return string(v) == "1" || string(v) == "true" }, "tabSelected")
		if want := tab.ReplaceAllString(s, ""); string(got) != want || changed != (want != s) {
			t.Fatalf("tabSelected in %q: got %q (%v), want %q", s, got, changed, want)
		}
		a, _ := dropAttr([]byte(s), digits, "activeTab", "firstSheet")
		if want := active.ReplaceAllString(s, ""); string(a) != want {
			t.Fatalf("activeTab/firstSheet in %q: got %q, want %q", s, a, want)
		}
	})
}
