package extract_test

import (
	"fmt"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
	"planrep/seeds"
)

func describe(t plan.Target) string {
	v := ""
	if t.Value != nil {
		v = plan.FormatNumber(*t.Value)
	}
	return fmt.Sprintf("%s %s%s %s %s「%s」", t.ID, v, t.Unit, t.Comparator, t.Kind, t.Quote)
}

// TestQuality runs extract on the embedded plan's text and compares the
// draft with the curated registry, whatever its size at test time.
func TestQuality(t *testing.T) {
	reg, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	if reg.Text == "" {
		t.Fatal("embedded plan has no text")
	}
	draft, err := extract.Extract(reg.Text, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if draft.Year != reg.Year {
		t.Errorf("inferred year %d; want %d", draft.Year, reg.Year)
	}
	c := extract.Compare(draft.Targets, reg.Targets, reg.Text)
	t.Logf("registry: %d quantitative targets; draft: %d targets; matched %d", c.Quantitative, c.Found, len(c.Matched))
	t.Logf("recall %.1f%%, precision %.1f%%", 100*c.Recall(), 100*c.Precision())
	byKind := c.ByKind()
	for _, k := range plan.Kinds {
		if v, ok := byKind[k]; ok {
			t.Logf("  %-10s %d/%d found", k, v[1], v[0])
		}
	}
	for _, p := range c.KindDiffers() {
		t.Errorf("kind: draft %s; registry %s", describe(p.Draft), describe(p.Registry))
	}
	for _, p := range c.Differ {
		t.Errorf("value/unit: draft %s; registry %s", describe(p.Draft), describe(p.Registry))
	}
	sameComp := 0
	for _, p := range c.Matched {
		if p.Draft.Comparator == p.Registry.Comparator {
			sameComp++
		} else {
			t.Logf("comparator differs: draft %s; registry %s", describe(p.Draft), describe(p.Registry))
		}
	}
	t.Logf("comparators: %d/%d the same", sameComp, len(c.Matched))
	sameQual, sameBinding := 0, 0
	for _, p := range c.Matched {
		if strings.Join(p.Draft.Qualifiers, "、") == strings.Join(p.Registry.Qualifiers, "、") {
			sameQual++
		} else {
			t.Logf("qualifiers differ: %s draft %v; registry %v", p.Registry.ID, p.Draft.Qualifiers, p.Registry.Qualifiers)
		}
		if p.Draft.Binding == p.Registry.Binding {
			sameBinding++
		} else {
			t.Logf("binding differs: draft %v; registry %s %v", p.Draft.Binding, p.Registry.ID, p.Registry.Binding)
		}
	}
	t.Logf("qualifiers: %d/%d the same; binding: %d/%d the same", sameQual, len(c.Matched), sameBinding, len(c.Matched))
	var regBase, draftBase, agree int
	for _, p := range c.Matched {
		rb, db := p.Registry.Baseline, p.Draft.Baseline
		if rb != nil {
			regBase++
		}
		if db != nil {
			draftBase++
		}
		switch {
		case rb != nil && db != nil && rb.Value == db.Value && rb.Year == db.Year:
			agree++
		case rb != nil || db != nil:
			t.Logf("baseline differs: registry %s %v; draft %v", p.Registry.ID, baseText(rb), baseText(db))
		}
	}
	t.Logf("baselines: registry %d, draft %d, same %d", regBase, draftBase, agree)
	for _, m := range c.Missing {
		t.Logf("missing: %s", describe(m))
	}
	for _, e := range c.Extra {
		note := ""
		for _, p := range c.Milestones {
			if p.Draft.ID == e.ID {
				note = " (registry milestone " + p.Registry.ID + ")"
			}
		}
		t.Logf("extra: %s%s", describe(e), note)
	}
	// The embedded plan is read whole: every quantitative target, nothing else.
	if c.Recall() < 1 {
		t.Errorf("recall %.3f; want 1", c.Recall())
	}
	if c.Precision() < 1 {
		t.Errorf("precision %.3f; want 1", c.Precision())
	}
	t.Logf("deliverables: registry %d, draft %d, matched %d: recall %.1f%%, precision %.1f%%",
		len(c.Deliverables)+len(c.NoDeliverable), len(c.Deliverables)+len(c.ExtraDeliverable), len(c.Deliverables),
		100*c.DeliverableRecall(), 100*c.DeliverablePrecision())
	for _, p := range c.Deliverables {
		if p.Draft.Due != p.Registry.Due {
			t.Errorf("deliverable %s: due %s; registry %s", p.Registry.ID, p.Draft.Due, p.Registry.Due)
		}
	}
	for _, m := range c.NoDeliverable {
		t.Logf("deliverable missing: %s %s「%s」", m.ID, m.Indicator, m.Quote)
	}
	for _, e := range c.ExtraDeliverable {
		t.Logf("deliverable extra: %s %s「%s」", e.ID, e.Indicator, e.Quote)
	}
	if c.DeliverableRecall() < deliverableFloor.recall || c.DeliverablePrecision() < deliverableFloor.precision {
		t.Errorf("deliverables: recall %.3f, precision %.3f; want ≥ %.3f, ≥ %.3f",
			c.DeliverableRecall(), c.DeliverablePrecision(), deliverableFloor.recall, deliverableFloor.precision)
	}
	for _, d := range draft.Targets {
		if !strings.Contains(reg.Text, d.Quote) {
			t.Errorf("%s: quote not in text: %s", d.ID, d.Quote)
		}
	}
}

// deliverableFloor is the recall and precision of the embedded plan's
// deliverables against its registry when the rules were last changed.
var deliverableFloor = struct{ recall, precision float64 }{0.686, 0.833}

func baseText(b *plan.Baseline) string {
	if b == nil {
		return "无"
	}
	return fmt.Sprintf("%s (%d)", plan.FormatNumber(b.Value), b.Year)
}

func BenchmarkExtract(b *testing.B) {
	reg, _, err := seeds.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(reg.Text)))
	for b.Loop() {
		if _, err := extract.Extract(reg.Text, extract.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
