package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
)

// TestFingerprintLargeRegistry checks that a large registry, hashed a target
// at a time, gets the fingerprint of its whole encoding.
func TestFingerprintLargeRegistry(t *testing.T) {
	p := samplePlan()
	p.Depts = append(p.Depts, Department{Code: "0a", Name: "<&>部门"})
	base := p.Targets
	p.Targets = nil
	for i := 0; len(p.Targets) < 1200; i++ {
		for _, tg := range base {
			tg.ID = fmt.Sprintf("%s-%d", tg.ID, i)
			tg.Quote = "“引号”<b>&" + tg.Quote
			p.Targets = append(p.Targets, tg)
		}
	}
	whole := func(p *Plan) string {
		type canon struct {
			ID, Title string
			Year      int
			Th        Thresholds
			Depts     []Department
			Targets   []Target
		}
		depts := append([]Department(nil), p.Depts...)
		sort.Slice(depts, func(i, j int) bool { return depts[i].Code < depts[j].Code })
		b, _ := json.Marshal(canon{p.ID, p.Title, p.Year, p.Thresholds, depts, p.Targets})
		return shortHash(b)
	}
	if got, want := p.Fingerprint(), whole(p); got != want {
		t.Errorf("Fingerprint() = %s, whole encoding gives %s", got, want)
	}
}
