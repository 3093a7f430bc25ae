package plan

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func TestShareStrings(t *testing.T) {
	p := samplePlan()
	for i := range p.Targets {
		// Equal texts, each its own copy, as a decoder makes them.
		p.Targets[i].Quote = strings.Clone("地区生产总值增长5%以上")
		p.Targets[i].Qualifiers = []string{strings.Clone("以上")}
		p.Targets[i].Kind = Kind(strings.Clone(string(Growth)))
	}
	want := samplePlan()
	for i := range want.Targets {
		want.Targets[i].Quote = "地区生产总值增长5%以上"
		want.Targets[i].Qualifiers = []string{"以上"}
		want.Targets[i].Kind = Growth
	}
	fp := p.Fingerprint()
	p.ShareStrings()
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("ShareStrings changed the registry:\n%+v\nwant\n%+v", p, want)
	}
	if p.Fingerprint() != fp {
		t.Error("fingerprint changed")
	}
	a, b := p.Targets[0], p.Targets[2]
	if unsafe.StringData(a.Quote) != unsafe.StringData(b.Quote) ||
		unsafe.StringData(a.Qualifiers[0]) != unsafe.StringData(b.Qualifiers[0]) ||
		unsafe.StringData(string(a.Kind)) != unsafe.StringData(string(b.Kind)) {
		t.Error("equal strings still have their own copies")
	}
}
