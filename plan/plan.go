// Package plan is the domain model of planrep: a plan and its targets, the
// departments that lead them, reporting periods, how progress is judged, and
// the merged round of returns that reports are made from.
//
// It imports nothing of the project.
package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"iter"
	"slices"
	"sort"
)

// Plan is one annual plan's registry: its metadata, departments and targets.
type Plan struct {
	ID         string       `yaml:"id" json:"id"`
	Title      string       `yaml:"title" json:"title"`
	Year       int          `yaml:"year" json:"year"`
	Office     string       `yaml:"office" json:"office"`         // issuing office, e.g. 淄博市人民政府
	Planner    string       `yaml:"planner" json:"planner"`       // the office that runs the reporting, e.g. 市发展改革委
	Source     string       `yaml:"source" json:"source"`         // file name of the plan text, beside plan.yaml
	Thresholds Thresholds   `yaml:"thresholds" json:"thresholds"` // how progress is judged
	Depts      []Department `yaml:"departments" json:"departments"`
	// Districts are the 区县 and 功能区 of the plan's city, the second
	// roster of reporting units; Split says where their quotas come from.
	Districts []District `yaml:"districts,omitempty" json:"districts,omitempty"`
	Split     *SplitNote `yaml:"split,omitempty" json:"split,omitempty"`
	Targets   []Target   `yaml:"targets" json:"targets"`

	// Text is the plan's source text, loaded from Source; not part of the registry.
	Text string `yaml:"-" json:"-"`
}

// Department is a municipal department that leads or supports targets.
type Department struct {
	Code    string `yaml:"code" json:"code"`   // short, stable ASCII code, e.g. FGW
	Name    string `yaml:"name" json:"name"`   // full name, e.g. 淄博市发展和改革委员会
	Short   string `yaml:"short" json:"short"` // short name, e.g. 市发展改革委
	Contact string `yaml:"contact,omitempty" json:"contact,omitempty"`
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
}

// Thresholds say how far behind the elapsed share of the year a target may be.
type Thresholds struct {
	// Tolerance is how far (as a share, 0.05 = 5 points) progress may fall
	// below the elapsed share of the year and still count as 序时推进.
	Tolerance float64 `yaml:"tolerance" json:"tolerance"`
	// Serious is how far below the elapsed share counts as 严重滞后.
	Serious float64 `yaml:"serious" json:"serious"`
	// Approx is the relative slack a 左右 target gets (0.02 = 2% of the target).
	Approx float64 `yaml:"approx" json:"approx"`
	// Consistency is how far (a share of the city figure, 0.02 = 2%) the sum
	// of the 区县 may differ from the lead department's city figure and
	// still count as the same figure; 0 means DefaultConsistency.
	Consistency float64 `yaml:"consistency,omitempty" json:"consistency,omitempty"`
}

// DefaultThresholds are used where a plan file gives none.
var DefaultThresholds = Thresholds{Tolerance: 0.05, Serious: 0.15, Approx: 0.02}

// Dept returns the department with the given code.
func (p *Plan) Dept(code string) (Department, bool) {
	for _, d := range p.Depts {
		if d.Code == code {
			return d, true
		}
	}
	return Department{}, false
}

// Target returns the target with the given id.
func (p *Plan) Target(id string) (Target, bool) {
	for _, t := range p.Targets {
		if t.ID == id {
			return t, true
		}
	}
	return Target{}, false
}

// Led returns the targets led by the department, in registry order.
func (p *Plan) Led(code string) []Target {
	var out []Target
	for _, t := range p.Targets {
		if t.Lead == code {
			out = append(out, t)
		}
	}
	return out
}

// LeadDepts returns the departments that lead at least one target, in roster order.
func (p *Plan) LeadDepts() []Department {
	leads := map[string]bool{}
	for _, t := range p.Targets {
		leads[t.Lead] = true
	}
	var out []Department
	for _, d := range p.Depts {
		if leads[d.Code] {
			out = append(out, d)
		}
	}
	return out
}

// Fingerprint is a short hash over the registry's content (metadata,
// departments, target definitions). It ignores the source text and field order
// in the YAML file, so reformatting plan.yaml does not change it.
func (p *Plan) Fingerprint() string {
	if len(p.Targets) >= 1000 {
		return FingerprintOf(p, slices.Values(p.Targets))
	}
	b, _ := json.Marshal(canonical(p, p.Targets))
	return shortHash(b)
}

// FingerprintOf is the Fingerprint of a registry of 1,000 targets or more
// whose metadata and departments are in head and whose targets come from
// targets one at a time, in registry order. The same bytes are hashed, a
// target at a time, so a synthetic registry of hundreds of thousands of
// targets never has to be held or encoded in one piece.
func FingerprintOf(head *Plan, targets iter.Seq[Target]) string {
	h := sha256.New()
	b, _ := json.Marshal(canonical(head, nil))
	h.Write(bytes.TrimSuffix(b, []byte("null}")))
	h.Write([]byte("["))
	first := true
	for t := range targets {
		if !first {
			h.Write([]byte(","))
		}
		first = false
		b, _ := json.Marshal(&t)
		h.Write(b)
	}
	h.Write([]byte("]}"))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

type canon struct {
	ID, Title string
	Year      int
	Th        Thresholds
	Depts     []Department
	// A registry without 区县 hashes as it did before they existed.
	Districts []District `json:",omitempty"`
	Split     *SplitNote `json:",omitempty"`
	Targets   []Target
}

// canonical is what the fingerprint hashes: departments and 区县 sorted by code.
func canonical(p *Plan, targets []Target) canon {
	depts := append([]Department(nil), p.Depts...)
	sort.Slice(depts, func(i, j int) bool { return depts[i].Code < depts[j].Code })
	var districts []District
	if len(p.Districts) > 0 {
		districts = append(districts, p.Districts...)
		sort.Slice(districts, func(i, j int) bool { return districts[i].Code < districts[j].Code })
	}
	return canon{p.ID, p.Title, p.Year, p.Thresholds, depts, districts, p.Split, targets}
}

func shortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
