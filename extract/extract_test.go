package extract_test

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.yaml")

// want is one expected target from a testdata/*.want file:
//
//	value unit kind comparator [base=N] [binding] 「quote fragment」 [chapter=… section=… name=…]
type want struct {
	line                   int
	value                  float64
	unit, kind, comparator string
	base                   *float64
	binding                bool
	fragment               string
	attrs                  map[string]string
}

func readWant(t *testing.T, name string) (int, []want) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	year := 0
	var out []want
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if y, ok := strings.CutPrefix(l, "year "); ok {
			year, _ = strconv.Atoi(y)
			continue
		}
		w, err := parseWant(l, n)
		if err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, w)
	}
	return year, out
}

// parseWant reads one expected target: value unit kind comparator
// [base=N] [binding] 「quote fragment」 [key=value …].
func parseWant(l string, n int) (want, error) {
	open, close := strings.Index(l, "「"), strings.LastIndex(l, "」")
	if open < 0 || close < open {
		return want{}, errors.New("no 「quote」")
	}
	w := want{line: n, fragment: l[open+len("「") : close], attrs: map[string]string{}}
	f := strings.Fields(l[:open])
	if len(f) < 4 {
		return want{}, errors.New("want value unit kind comparator")
	}
	var err error
	w.value, err = strconv.ParseFloat(f[0], 64)
	if err != nil {
		return want{}, err
	}
	w.unit, w.kind, w.comparator = f[1], f[2], f[3]
	for _, x := range f[4:] {
		switch {
		case x == "binding":
			w.binding = true
		case strings.HasPrefix(x, "base="):
			v, err := strconv.ParseFloat(x[5:], 64)
			if err != nil {
				return want{}, err
			}
			w.base = &v
		}
	}
	for _, x := range strings.Fields(l[close+len("」"):]) {
		k, v, _ := strings.Cut(x, "=")
		w.attrs[k] = v
	}
	return w, nil
}

func (w want) matches(t plan.Target) bool {
	return t.Value != nil && math.Abs(*t.Value-w.value) < 1e-9 && t.Unit == w.unit && strings.Contains(t.Quote, w.fragment)
}

// TestTexts runs extract on small plans written in the style of other
// cities and provinces, each with the targets a careful reader would list.
func TestTexts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			year, wants := readWant(t, strings.TrimSuffix(file, ".txt")+".want")
			text, err := extract.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := extract.Extract(text, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Year != year {
				t.Errorf("year %d; want %d", p.Year, year)
			}
			// Deliverables are scored in TestClasses and TestQuality; here
			// they are only part of the golden draft.
			used := map[int]bool{}
			for i, d := range p.Targets {
				if d.Kind == plan.Milestone {
					used[i] = true
				}
			}
			for _, w := range wants {
				found := -1
				for i, d := range p.Targets {
					if !used[i] && w.matches(d) {
						found = i
						break
					}
				}
				if found < 0 {
					t.Errorf("line %d: missing %v%s「%s」", w.line, w.value, w.unit, w.fragment)
					continue
				}
				used[found] = true
				d := p.Targets[found]
				if string(d.Kind) != w.kind || string(d.Comparator) != w.comparator {
					t.Errorf("line %d: %s got kind %s %s; want %s %s", w.line, d.Indicator, d.Kind, d.Comparator, w.kind, w.comparator)
				}
				switch {
				case w.base == nil && d.Baseline != nil:
					t.Errorf("line %d: %s got baseline %v; want none", w.line, d.Indicator, d.Baseline.Value)
				case w.base != nil && d.Baseline == nil:
					t.Errorf("line %d: %s got no baseline; want %v", w.line, d.Indicator, *w.base)
				case w.base != nil && (math.Abs(d.Baseline.Value-*w.base) > 1e-9 || d.Baseline.Year != year-1):
					t.Errorf("line %d: %s got baseline %v (%d); want %v (%d)", w.line, d.Indicator, d.Baseline.Value, d.Baseline.Year, *w.base, year-1)
				}
				if d.Binding != w.binding {
					t.Errorf("line %d: %s got binding %v; want %v", w.line, d.Indicator, d.Binding, w.binding)
				}
				for k, v := range w.attrs {
					got := map[string]string{"chapter": d.Chapter, "section": d.Section, "name": d.Indicator}[k]
					if got != v {
						t.Errorf("line %d: %s got %s %q; want %q", w.line, d.Indicator, k, got, v)
					}
				}
				if !strings.Contains(text, d.Quote) {
					t.Errorf("line %d: quote not in the text: %q", w.line, d.Quote)
				}
			}
			// The whole draft, names and chapters included, against a golden
			// file that `go test -update` rewrites.
			p.Source = filepath.Base(file)
			got, err := extract.MarshalDraft(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The notes are comments: the draft reads back as it was.
			back, _, err := plan.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := plan.Marshal(p)
			if again, _ := plan.Marshal(back); !bytes.Equal(again, plain) {
				t.Errorf("the annotated draft does not read back as the draft")
			}
			golden := strings.TrimSuffix(file, ".txt") + ".golden.yaml"
			if *update {
				must(os.WriteFile(golden, got, 0o644))
			} else if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(got, want) {
				t.Errorf("draft differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
			for i, d := range p.Targets {
				if !used[i] {
					t.Errorf("unexpected target %s %v%s %s「%s」", d.Indicator, *d.Value, d.Unit, d.Kind, d.Quote)
				}
			}
		})
	}
}
