package extract_test

import (
	"os"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
	"planrep/seeds"
)

// leadFloor is how often the default roster's suggested lead agreed with
// the embedded registry's lead when the roster was last changed: over all
// the registry's targets, and over the draft's targets that match one.
var leadFloor = struct{ registry, draft float64 }{0.945, 0.929}

// TestLeadAgreement measures the suggested leads against the leads the
// office gave the embedded plan's targets.
func TestLeadAgreement(t *testing.T) {
	reg, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := extract.DefaultRoster()
	agree, support, supportWant, supportGot := 0, 0, 0, 0
	byLead := map[string][2]int{}
	for _, tg := range reg.Targets {
		s := r.Suggest(tg)
		v := byLead[tg.Lead]
		v[0]++
		if s.Lead == tg.Lead {
			agree++
			v[1]++
		} else {
			t.Logf("lead: %s %s: suggested %s (%v); registry %s", tg.ID, tg.Indicator, s.Lead, s.Basis, tg.Lead)
		}
		byLead[tg.Lead] = v
		supportWant += len(tg.Support)
		supportGot += len(s.Support)
		for _, x := range s.Support {
			for _, y := range tg.Support {
				if x == y {
					support++
				}
			}
		}
	}
	regShare := float64(agree) / float64(len(reg.Targets))
	t.Logf("leads on the registry's %d targets: %d agree (%.1f%%)", len(reg.Targets), agree, 100*regShare)
	t.Logf("supporting departments: registry %d, suggested %d, in both %d", supportWant, supportGot, support)
	for _, d := range reg.Depts {
		if v, ok := byLead[d.Code]; ok {
			t.Logf("  %-6s %2d/%2d", d.Code, v[1], v[0])
		}
	}

	draft, err := extract.Extract(reg.Text, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := extract.Compare(draft.Targets, reg.Targets, reg.Text)
	pairs := append(append([]extract.Pair{}, c.Matched...), c.Deliverables...)
	same := 0
	for _, p := range pairs {
		if p.Draft.Lead == p.Registry.Lead {
			same++
		}
	}
	draftShare := float64(same) / float64(len(pairs))
	t.Logf("leads on the draft's %d targets that match the registry's: %d agree (%.1f%%)", len(pairs), same, 100*draftShare)
	if regShare < leadFloor.registry || draftShare < leadFloor.draft {
		t.Errorf("lead agreement %.3f (registry), %.3f (draft); want ≥ %.3f, ≥ %.3f", regShare, draftShare, leadFloor.registry, leadFloor.draft)
	}
	for _, tg := range draft.Targets {
		if _, ok := draft.Dept(tg.Lead); !ok {
			t.Errorf("%s: lead %q is not a department of the draft", tg.ID, tg.Lead)
		}
		for _, s := range tg.Support {
			if _, ok := draft.Dept(s); !ok || s == tg.Lead {
				t.Errorf("%s: support %q is not another department of the draft", tg.ID, s)
			}
		}
	}
	if n := len(plan.Check(draft, nil)); n != 0 {
		for _, p := range plan.Check(draft, nil) {
			t.Logf("check: %s", p.Message)
		}
		t.Errorf("the draft of the embedded plan has %d problems in plan check; want none", n)
	}
}

// madeUpFloor is how often the suggested lead agreed with the lead judged
// for each sentence of testdata/leads/sentences.txt when the roster last changed.
var madeUpFloor = 0.986

// TestLeadsMadeUp measures the suggested leads on sentences written for
// other places, each with the department a planning office would give it.
func TestLeadsMadeUp(t *testing.T) {
	data, err := os.ReadFile("testdata/leads/sentences.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := extract.DefaultRoster()
	n, agree := 0, 0
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, sentence, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("sentences.txt:%d: want CODE sentence", i+1)
		}
		if _, ok := rosterHas(r, code); !ok {
			t.Fatalf("sentences.txt:%d: %s is not in the default roster", i+1, code)
		}
		p, err := extract.Extract("二、2026年主要目标\n"+sentence, extract.Options{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Targets) == 0 {
			t.Errorf("sentences.txt:%d: no target in %s", i+1, sentence)
			continue
		}
		n++
		if got := p.Targets[0].Lead; got == code {
			agree++
		} else {
			t.Logf("sentences.txt:%d: %s: suggested %s (%v); judged %s", i+1, sentence, got, r.Suggest(p.Targets[0]).Basis, code)
		}
	}
	share := float64(agree) / float64(n)
	t.Logf("leads on %d made-up sentences: %d agree (%.1f%%)", n, agree, 100*share)
	if share < madeUpFloor {
		t.Errorf("lead agreement %.3f; want ≥ %.3f", share, madeUpFloor)
	}
}

func rosterHas(r *extract.Roster, code string) (extract.RosterDept, bool) {
	for _, d := range r.Depts {
		if d.Code == code {
			return d, true
		}
	}
	return extract.RosterDept{}, false
}

func FuzzParseRoster(f *testing.F) {
	data, err := os.ReadFile("roster.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("departments:\n  - {code: A, name: a, short: b, keywords: [x]}"))
	f.Add([]byte("planner: [\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := extract.ParseRoster(b)
		if err != nil {
			return
		}
		s := r.Suggest(plan.Target{Indicator: "城镇新增就业", Quote: "城镇新增就业5万人"})
		if _, ok := rosterHas(r, s.Lead); !ok {
			t.Fatalf("lead %q not in the roster", s.Lead)
		}
	})
}
