package store

import (
	"sort"

	"planrep/plan"
)

func sortedKeys(m map[string]plan.TargetResult) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
