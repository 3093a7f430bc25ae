package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestBriefGolden(t *testing.T) {
	b := sample.Brief(t)
	got, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "brief.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -run TestBriefGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("brief differs from %s (run with -update if the change is intended):\n%s", golden, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "line "+itoa(i+1)+":\n  want "+a+"\n  got  "+b)
			if len(out) == 10 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// itoa drops json.Marshal's error on purpose: an int always encodes.
func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestBriefInvariants checks, on the embedded default plan, facts that hold
// whatever its size: counts add up and every lagging target is listed.
func TestBriefInvariants(t *testing.T) {
	for name, p := range map[string]*plan.Plan{"default": sample.DefaultPlan(t), "testdata": sample.TestPlan(t)} {
		t.Run(name, func(t *testing.T) {
			r := sample.Round(p, sample.Period)
			b := report.Compute(p, r, sample.Options())
			h := b.Headline
			if h.Targets != len(p.Targets) {
				t.Errorf("targets = %d; want %d", h.Targets, len(p.Targets))
			}
			sum := 0
			for _, c := range h.ByStatus {
				sum += c.Count
			}
			if sum != h.Targets {
				t.Errorf("statuses add up to %d; want %d", sum, h.Targets)
			}
			lagging := 0
			for _, tr := range r.Targets {
				if tr.Status.Lagging() {
					lagging++
				}
			}
			if len(b.Behind) != lagging || h.Lagging != lagging {
				t.Errorf("behind list %d, headline %d; want %d", len(b.Behind), h.Lagging, lagging)
			}
			for i := 1; i < len(b.Behind); i++ {
				if b.Behind[i-1].Status == plan.Behind && b.Behind[i].Status == plan.FarBehind {
					t.Errorf("behind list not most behind first at %d", i)
				}
			}
			chSum, deptSum := 0, 0
			for _, c := range b.Chapters {
				chSum += c.Total
			}
			for _, d := range b.Depts {
				deptSum += d.Targets
			}
			if chSum != h.Targets {
				t.Errorf("chapters hold %d targets; want %d", chSum, h.Targets)
			}
			if deptSum != h.Targets {
				t.Errorf("departments lead %d targets; want %d", deptSum, h.Targets)
			}
			missing := 0
			for _, d := range r.Departments {
				if !d.Submitted {
					missing++
				}
			}
			if len(b.Missing) != missing || h.DeptsExpected-h.DeptsIn != missing {
				t.Errorf("missing %d (headline %d); want %d", len(b.Missing), h.DeptsExpected-h.DeptsIn, missing)
			}
			nf := 0
			for _, g := range b.Findings {
				nf += len(g.Items)
			}
			if nf != len(r.Findings) {
				t.Errorf("findings %d; want %d", nf, len(r.Findings))
			}
			for _, g := range b.MainGoals {
				if !strings.HasPrefix(g.Chapter, "二") {
					t.Errorf("main goal %s in chapter %s", g.ID, g.Chapter)
				}
			}
			if b.Meta.Fingerprint != r.Fingerprint() {
				t.Errorf("fingerprint %s; want %s", b.Meta.Fingerprint, r.Fingerprint())
			}
			if len(b.Charts.StatusByChapter.Series) != len(report.Statuses) {
				t.Errorf("chart series %d; want %d", len(b.Charts.StatusByChapter.Series), len(report.Statuses))
			}
			// Every headline box says what the text says.
			for _, f := range h.Boxes {
				phrase := f.Label + " " + f.Value
				if f.Unit != "" {
					phrase += "\u00a0" + f.Unit
				}
				if f.Label == "目标任务" {
					phrase = "目标任务共 " + f.Value + "\u00a0项"
				}
				if !strings.Contains(h.Summary, phrase) {
					t.Errorf("box %q is not in the summary %q", phrase, h.Summary)
				}
			}
			// 未报送 means the department sent nothing; a blank in a return sent is 未填报.
			sent := map[string]bool{}
			for _, d := range r.Departments {
				sent[d.Code] = d.Submitted
			}
			for _, row := range b.Rows {
				if row.Status == plan.Missing && sent[row.DeptCode] {
					t.Errorf("%s is 未报送 but %s sent a return", row.ID, row.DeptCode)
				}
				if row.Status == report.Blank && !sent[row.DeptCode] {
					t.Errorf("%s is 未填报 but %s sent nothing", row.ID, row.DeptCode)
				}
			}
			for _, d := range b.Depts {
				if !d.Submitted && d.Completion != nil {
					t.Errorf("%s sent nothing but has a completion of %v", d.Short, *d.Completion)
				}
			}
			for i, absent := range b.Charts.CompletionByDept.Absent {
				if absent && b.Charts.CompletionByDept.Labels[i] != "未报送" {
					t.Errorf("chart label of an absent department: %q", b.Charts.CompletionByDept.Labels[i])
				}
			}
		})
	}
}

func TestBriefDeterministic(t *testing.T) {
	p := sample.TestPlan(t)
	a := mustGet(json.Marshal(report.Compute(p, sample.Round(p, sample.Period), sample.Options())))(t)
	b := mustGet(json.Marshal(report.Compute(p, sample.Round(p, sample.Period), sample.Options())))(t)
	if !bytes.Equal(a, b) {
		t.Error("same round, different briefs")
	}
}

func TestBriefEmptyRound(t *testing.T) {
	p := sample.TestPlan(t)
	b := report.Compute(p, &plan.Round{}, report.Options{})
	if b.Headline.Targets != len(p.Targets) || b.Headline.Count(plan.Missing) != len(p.Targets) {
		t.Errorf("empty round: %d targets, %d missing; want all %d missing",
			b.Headline.Targets, b.Headline.Count(plan.Missing), len(p.Targets))
	}
	if b.Meta.Title != report.DefaultTitle {
		t.Errorf("title %q; want %q", b.Meta.Title, report.DefaultTitle)
	}
}

// TestOddRound computes briefs of rounds collect would never write: nothing
// may panic and each brief marshals (the renderers draw them in their tests).
func TestOddRound(t *testing.T) {
	for _, b := range sample.OddBriefs(t) {
		if _, err := json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBriefQuestionedBlankAndAbsent pins what the brief says of the three
// cases that used to mislead: a value V07 questions (4.2× its target), a
// blank cell in a return that was sent, and a department that sent nothing.
func TestBriefQuestionedBlankAndAbsent(t *testing.T) {
	b := sample.Brief(t)
	byID := map[string]report.TargetRow{}
	for _, r := range b.Rows {
		byID[r.ID] = r
	}
	q := byID["1-01"]
	if q.Status != report.Unconfirmed || q.Assessed != plan.Done || q.Doubt == "" {
		t.Errorf("the V07 outlier: status %s, assessed %s, doubt %q; want 待核实, 已完成, the finding", q.Status, q.Assessed, q.Doubt)
	}
	if !strings.Contains(q.Account, "422.7%") || !strings.Contains(q.Account, "待核实") {
		t.Errorf("the V07 outlier's account %q", q.Account)
	}
	if len(b.Doubtful) != 1 || b.Doubtful[0].ID != "1-01" {
		t.Errorf("doubtful list %v", b.Doubtful)
	}
	if n := b.Headline.Count(plan.Done); n != 2 {
		t.Errorf("已完成 %d; want 2 (the outlier is not one)", n)
	}
	if r := byID["1-03"]; r.Status != report.Blank || r.Account != "已报送，但未填报完成值" {
		t.Errorf("the blank cell: %s %q; want 未填报", r.Status, r.Account)
	}
	for _, id := range []string{"5-01", "5-02"} {
		if r := byID[id]; r.Status != plan.Missing || r.Account != "牵头单位未报送" {
			t.Errorf("%s of a department that sent nothing: %s %q; want 未报送", id, r.Status, r.Account)
		}
	}
	for _, d := range b.Depts {
		if !d.Submitted && (d.Completion != nil || !strings.HasPrefix(d.Standing, "未报送")) {
			t.Errorf("%s sent nothing: completion %v, standing %q", d.Short, d.Completion, d.Standing)
		}
	}
	for i, c := range b.Charts.CompletionByDept.Categories {
		if b.Charts.CompletionByDept.Absent[i] && !strings.HasSuffix(c, "（未报送）") {
			t.Errorf("chart category %q of an absent department", c)
		}
	}
	var body strings.Builder
	for _, s := range b.Body {
		body.WriteString(strings.Join(s.Paragraphs, ""))
	}
	if strings.Contains(body.String(), "请以下单位") || strings.Contains(body.String(), "0.0%") {
		t.Error("the body speaks to departments or shows 0.0%")
	}
}

// TestBriefDoubtFromStore: a value the store's check doubts (V17, fell since
// the last period) is 待核实 too, in words that say why.
func TestBriefDoubtFromStore(t *testing.T) {
	p := sample.TestPlan(t)
	r := sample.Round(p, sample.Period)
	var id string
	for _, tr := range r.Targets {
		if tr.Status == plan.OnTrack && tr.Value != nil {
			id = tr.ID
			r.Findings = append(r.Findings, plan.Finding{Code: plan.ValueFell, Severity: plan.Error, Dept: tr.Lead,
				Target: tr.ID, Message: "累计值比上期减少"})
			break
		}
	}
	b := report.Compute(p, r, sample.Options())
	for _, row := range b.Rows {
		if row.ID != id {
			continue
		}
		if row.Status != report.Unconfirmed || row.Assessed != plan.OnTrack || !strings.HasSuffix(row.Account, "与上期相比存疑，待核实") {
			t.Errorf("%s: %s (assessed %s) %q; want 待核实 with the reason", id, row.Status, row.Assessed, row.Account)
		}
		return
	}
	t.Fatalf("no row %s", id)
}
