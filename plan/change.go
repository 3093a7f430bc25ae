package plan

import "sort"

// Change is one entry that differs between a department's return and the
// one it corrects: a cell, what it said before and what it says now.
type Change struct {
	Target string `json:"target"`
	Field  string `json:"field"` // 本期完成值, 进展状态, 进展情况, 存在问题, 下步措施
	Sheet  string `json:"sheet,omitempty"`
	Cell   string `json:"cell,omitempty"` // the input cell; narratives name their field instead
	Old    string `json:"old"`
	New    string `json:"new"`
}

// Diff lists what changed from old to new, two returns of one department
// for one period, keyed by target id: the value or milestone status first,
// then the narratives, in the order of the targets in order.
func Diff(old, new map[string]TargetResult, order []string) []Change {
	var out []Change
	seen := map[string]bool{}
	ids := append([]string(nil), order...)
	for _, id := range order {
		seen[id] = true
	}
	var extra []string
	for id := range new {
		if !seen[id] {
			extra = append(extra, id)
			seen[id] = true
		}
	}
	for id := range old {
		if !seen[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	ids = append(ids, extra...)
	for _, id := range ids {
		o, inOld := old[id]
		n, inNew := new[id]
		if !inOld && !inNew {
			continue
		}
		sheet, cell := n.Sheet, n.Cell
		if !inNew {
			sheet, cell = o.Sheet, o.Cell
		}
		input := "本期完成值"
		ov, nv := o.Raw, n.Raw
		if o.Kind == Milestone || n.Kind == Milestone || o.Milestone != "" || n.Milestone != "" {
			input = "进展状态"
			if ov == "" {
				ov = o.Milestone
			}
			if nv == "" {
				nv = n.Milestone
			}
		}
		if ov != nv {
			out = append(out, Change{Target: id, Field: input, Sheet: sheet, Cell: cell, Old: ov, New: nv})
		}
		for _, f := range []struct{ name, o, n string }{
			{"进展情况", o.Note, n.Note}, {"存在问题", o.Problems, n.Problems}, {"下步措施", o.NextSteps, n.NextSteps},
		} {
			if f.o != f.n {
				out = append(out, Change{Target: id, Field: f.name, Sheet: sheet, Old: f.o, New: f.n})
			}
		}
	}
	return out
}
