package workbook

import (
	"bytes"
	"regexp"
	"strings"
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

// FuzzFindCells: findCells finds each cell where bytes.Index finds its
// start tag, on any sheet text.
func FuzzFindCells(f *testing.F) {
	f.Add(`<row r="5"><c r="I5" s="3"><v>1</v></c><c r="I50"/><c r="I5" s="4"/></row>`, "I5", "I50")
	f.Add(`<c r="<c r="A1"><c r="A1"`, "A1", "<c r=")
	f.Fuzz(func(t *testing.T, sheet, ref1, ref2 string) {
		b := []byte(sheet)
		at := findCells(b, map[string]bool{ref1: true, ref2: true})
		for _, ref := range []string{ref1, ref2} {
			want := bytes.Index(b, []byte(`<c r="`+ref+`"`))
			got, ok := at[ref]
			if !ok {
				got = -1
			}
			if strings.Contains(ref, `"`) {
				continue // a reference never holds a quote
			}
			if got != want {
				t.Fatalf("findCells(%q, %q) = %d, bytes.Index %d", sheet, ref, got, want)
			}
		}
	})
}
