package workbook

import "planrep/plan"

// index holds what a run looks up again and again in the registry, computed
// once: a registry of tens of thousands of targets must not be scanned (or
// its fingerprint hashed) once per return. It points into the plan rather
// than copying targets, so it costs a few words a target.
type index struct {
	p           *plan.Plan
	fingerprint string
	leads       []plan.Department         // roster order
	isLead      map[string]bool           // department code → leads a target
	led         map[string][]*plan.Target // department code → its targets, registry order
	target      map[string]*plan.Target   // id → the first target of that id
}

func newIndex(p *plan.Plan) *index {
	ix := &index{p: p, fingerprint: p.Fingerprint(), isLead: map[string]bool{},
		led: map[string][]*plan.Target{}, target: make(map[string]*plan.Target, len(p.Targets))}
	for i := range p.Targets {
		t := &p.Targets[i]
		ix.led[t.Lead] = append(ix.led[t.Lead], t)
		if _, dup := ix.target[t.ID]; !dup {
			ix.target[t.ID] = t
		}
	}
	for _, d := range p.Depts {
		if len(ix.led[d.Code]) > 0 && !ix.isLead[d.Code] {
			ix.isLead[d.Code] = true
			ix.leads = append(ix.leads, d)
		}
	}
	return ix
}
