package extract_test

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
)

// A class of test text is a file testdata/classes/<class>.txt of small
// plans written for it, each followed by what a careful reader lists:
//
//	=== name year [milestones]
//	…the plan's text…
//	---
//	value unit kind comparator [base=N] [binding] 「quote fragment」 [name=…]
//	milestone due 「quote fragment」
//
// The year is the one extract must infer. Milestones are scored only in
// plans marked "milestones".
type classDoc struct {
	name       string
	year       int
	milestones bool
	text       string
	wants      []want
	miles      []mileWant
}

type mileWant struct {
	line     int
	due      string
	fragment string
}

func readClass(t *testing.T, file string) []classDoc {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []classDoc
	var cur *classDoc
	var text []string
	inText := false
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		l := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(l, "=== "):
			f := strings.Fields(l[4:])
			if len(f) < 2 {
				t.Fatalf("%s:%d: want === name year", file, n)
			}
			y, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			docs = append(docs, classDoc{name: f[0], year: y, milestones: len(f) > 2 && f[2] == "milestones"})
			cur = &docs[len(docs)-1]
			text = nil
			inText = true
		case cur == nil:
			continue
		case inText && l == "---":
			cur.text = strings.Join(text, "\n") + "\n"
			inText = false
		case inText:
			text = append(text, raw)
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "milestone "):
			open, close := strings.Index(l, "「"), strings.LastIndex(l, "」")
			f := strings.Fields(l[:max(open, 0)])
			if open < 0 || close < open || len(f) != 2 {
				t.Fatalf("%s:%d: want milestone due 「quote」", file, n)
			}
			cur.miles = append(cur.miles, mileWant{line: n, due: f[1], fragment: l[open+len("「") : close]})
		default:
			w, err := parseWant(l, n)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			cur.wants = append(cur.wants, w)
		}
	}
	if len(docs) == 0 {
		t.Fatalf("%s: no plans", file)
	}
	return docs
}

// score counts what a class's plans gave against what they should.
type score struct {
	want, found, right    int // quantitative
	mWant, mFound, mRight int
}

func (s score) recall() float64    { return ratio(s.right, s.want) }
func (s score) precision() float64 { return ratio(s.right, s.found) }
func (s score) mRecall() float64   { return ratio(s.mRight, s.mWant) }
func (s score) mPrecision() float64 {
	return ratio(s.mRight, s.mFound)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// classFloors are the recall and precision each class of test text reached
// when the rules were last changed; a drop fails. Quantitative targets are
// right when value, unit, quote, kind and comparator all agree.
var classFloors = map[string]struct{ recall, precision float64 }{
	"comparators":  {1, 1},
	"context":      {1, 1},
	"deliverables": {1, 1},
	"numerals":     {1, 1},
	"spacing":      {1, 1},
	"tense":        {1, 1},
	"titles":       {1, 1},
	"traditional":  {1, 1},
	"units":        {1, 1},
}

// milestoneFloor is the same for the deliverables of plans marked so.
var milestoneFloor = struct{ recall, precision float64 }{1, 1}

// TestClasses runs extract on the plans written for each class of text and
// reports recall and precision per class.
func TestClasses(t *testing.T) {
	files, _ := filepath.Glob("testdata/classes/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/classes")
	}
	scores := map[string]*score{}
	var total score
	for _, file := range files {
		class := strings.TrimSuffix(filepath.Base(file), ".txt")
		s := &score{}
		scores[class] = s
		for _, d := range readClass(t, file) {
			scoreDoc(t, class, d, s)
		}
		total.want += s.want
		total.found += s.found
		total.right += s.right
		total.mWant += s.mWant
		total.mFound += s.mFound
		total.mRight += s.mRight
	}
	var names []string
	for c := range scores {
		names = append(names, c)
	}
	sort.Strings(names)
	t.Logf("%-13s %8s %8s %10s %10s", "class", "targets", "found", "recall", "precision")
	for _, c := range names {
		s := scores[c]
		t.Logf("%-13s %8d %8d %9.1f%% %9.1f%%", c, s.want, s.found, 100*s.recall(), 100*s.precision())
		floor, ok := classFloors[c]
		if !ok {
			t.Errorf("class %s has no floor in classFloors", c)
			continue
		}
		if s.recall() < floor.recall-1e-9 || s.precision() < floor.precision-1e-9 {
			t.Errorf("class %s: recall %.3f, precision %.3f; want ≥ %.3f, ≥ %.3f", c, s.recall(), s.precision(), floor.recall, floor.precision)
		}
	}
	t.Logf("%-13s %8d %8d %9.1f%% %9.1f%%", "all", total.want, total.found, 100*total.recall(), 100*total.precision())
	t.Logf("deliverables: %d listed, %d drafted, %d right: recall %.1f%%, precision %.1f%%",
		total.mWant, total.mFound, total.mRight, 100*total.mRecall(), 100*total.mPrecision())
	if total.mRecall() < milestoneFloor.recall-1e-9 || total.mPrecision() < milestoneFloor.precision-1e-9 {
		t.Errorf("deliverables: recall %.3f, precision %.3f; want ≥ %.3f, ≥ %.3f", total.mRecall(), total.mPrecision(), milestoneFloor.recall, milestoneFloor.precision)
	}
}

func scoreDoc(t *testing.T, class string, d classDoc, s *score) {
	t.Helper()
	where := class + "/" + d.name
	s.want += len(d.wants)
	if d.milestones {
		s.mWant += len(d.miles)
	}
	p, err := extract.Extract(d.text, extract.Options{})
	if err != nil {
		t.Logf("%s: %v", where, err)
		return
	}
	if p.Year != d.year {
		t.Logf("%s: year %d; want %d", where, p.Year, d.year)
		return
	}
	var quant, miles []plan.Target
	for _, tg := range p.Targets {
		if !strings.Contains(d.text, tg.Quote) {
			t.Errorf("%s: %s quote not in the text: %q", where, tg.ID, tg.Quote)
		}
		if tg.Kind == plan.Milestone {
			miles = append(miles, tg)
		} else {
			quant = append(quant, tg)
		}
	}
	s.found += len(quant)
	used := map[int]bool{}
	for _, w := range d.wants {
		found := -1
		for i, tg := range quant {
			if !used[i] && w.matches(tg) {
				found = i
				break
			}
		}
		if found < 0 {
			t.Logf("%s: missing %v%s「%s」", where, w.value, w.unit, w.fragment)
			continue
		}
		used[found] = true
		tg := quant[found]
		var wrong []string
		if string(tg.Kind) != w.kind || string(tg.Comparator) != w.comparator {
			wrong = append(wrong, fmt.Sprintf("kind %s %s; want %s %s", tg.Kind, tg.Comparator, w.kind, w.comparator))
		}
		if w.base != nil && (tg.Baseline == nil || math.Abs(tg.Baseline.Value-*w.base) > 1e-9) {
			wrong = append(wrong, fmt.Sprintf("baseline %v; want %v", baseText(tg.Baseline), *w.base))
		}
		if w.binding && !tg.Binding {
			wrong = append(wrong, "not binding")
		}
		if name, ok := w.attrs["name"]; ok && tg.Indicator != name {
			wrong = append(wrong, fmt.Sprintf("name %q; want %q", tg.Indicator, name))
		}
		if len(wrong) > 0 {
			t.Logf("%s: %s「%s」: %s", where, tg.Indicator, w.fragment, strings.Join(wrong, "; "))
			continue
		}
		s.right++
	}
	for i, tg := range quant {
		if !used[i] {
			t.Logf("%s: unexpected %s %v%s %s「%s」", where, tg.Indicator, *tg.Value, tg.Unit, tg.Kind, tg.Quote)
		}
	}
	if !d.milestones {
		return
	}
	s.mFound += len(miles)
	usedM := map[int]bool{}
	for _, w := range d.miles {
		found := -1
		for i, tg := range miles {
			if !usedM[i] && strings.Contains(tg.Quote, w.fragment) {
				found = i
				break
			}
		}
		if found < 0 {
			t.Logf("%s: missing milestone「%s」", where, w.fragment)
			continue
		}
		usedM[found] = true
		if miles[found].Due != w.due {
			t.Logf("%s: milestone「%s」due %s; want %s", where, w.fragment, miles[found].Due, w.due)
			continue
		}
		s.mRight++
	}
	for i, tg := range miles {
		if !usedM[i] {
			t.Logf("%s: unexpected milestone %s「%s」", where, tg.Indicator, tg.Quote)
		}
	}
}
