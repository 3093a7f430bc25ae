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
	led         map[string][]*plan.Target // unit code → what it reports on, registry order
	target      map[string]*plan.Target   // id → the first target of that id
	// districts are the 区县 that carry a quota or an own target, roster
	// order; their entries of led point at the targets as each 区县 carries
	// them (its quota or own target as the value), made once here.
	districts []plan.District
	// kind maps the code of every unit expected to report to its kind.
	kind map[string]plan.UnitKind
}

func newIndex(p *plan.Plan) *index {
	ix := &index{p: p, fingerprint: p.Fingerprint(), isLead: map[string]bool{}, kind: map[string]plan.UnitKind{},
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
			ix.kind[d.Code] = plan.UnitDept
		}
	}
	// Each 区县's targets in one pass over the registry: asking the plan
	// 区县 by 区县 would scan every target once per 区县, which a scale run
	// of thousands of 区县 and tens of thousands of targets cannot afford.
	carried := map[string][]*plan.Target{}
	for i := range p.Targets {
		t := &p.Targets[i]
		for _, m := range []map[string]float64{t.Quotas, t.Own} {
			for code := range m {
				if dt, ok := t.ForDistrict(code); ok {
					carried[code] = append(carried[code], &dt)
				}
			}
		}
	}
	for _, d := range p.Districts {
		if len(carried[d.Code]) == 0 {
			continue
		}
		if _, taken := ix.kind[d.Code]; taken {
			continue // plan check refuses a 区县 code equal to a department's
		}
		ix.led[d.Code] = carried[d.Code]
		ix.districts = append(ix.districts, d)
		ix.kind[d.Code] = plan.UnitDistrict
	}
	return ix
}

// rowsOf tells whose return ret is by its rows: when fewer than half of its
// target rows are rows its stamp lists, and more than half are led by one
// department, that department (with how many of how many rows); otherwise
// "". A stamp copied from another department's template is told this way.
func (ix *index) rowsOf(ret *returnData) (dept string, n, of int) {
	stamped := map[string]bool{}
	for _, id := range ret.Stamp.QuantRows {
		stamped[id] = true
	}
	for _, id := range ret.Stamp.MilestoneRows {
		stamped[id] = true
	}
	match := 0
	by := map[string]int{}
	for _, sd := range []*sheetData{&ret.Quant, &ret.Mile} {
		for _, rd := range sd.Rows {
			if rd.ID == "" {
				continue
			}
			of++
			if stamped[rd.ID] {
				match++
			}
			if t, ok := ix.target[rd.ID]; ok {
				by[t.Lead]++
			}
		}
	}
	if of == 0 || match*2 >= of {
		return "", 0, of
	}
	for d, k := range by {
		if k*2 > of && (k > n || (k == n && d < dept)) {
			dept, n = d, k
		}
	}
	return dept, n, of
}

// reports reports whether the unit a stamp names is expected to report in
// this round, as the kind of unit it is stamped as.
func (ix *index) reports(code string, kind plan.UnitKind) bool {
	k, ok := ix.kind[code]
	return ok && k == kind.Or()
}
