package extract

import (
	"math"
	"sort"
	"strings"

	"planrep/plan"
)

// Pair is a draft target beside the registry target it stands for.
type Pair struct {
	Draft    plan.Target
	Registry plan.Target
}

// Comparison sets a draft against a registry. Two targets are the same when
// their quotes overlap in the plan's text (or, without the text, share a
// substring) and they carry the same value and unit.
type Comparison struct {
	// Matched pairs agree on quote, value and unit; their kinds may differ
	// (see KindDiffers).
	Matched []Pair
	// Differ pairs quote the same words but disagree on value or unit.
	Differ []Pair
	// Missing are the registry's quantitative targets the draft lacks.
	Missing []plan.Target
	// Extra are the draft's targets the registry lacks.
	Extra []plan.Target
	// Milestones are draft targets that quote what the registry keeps as a
	// milestone (重点任务); they are among Extra too.
	Milestones []Pair
	// Quantitative counts the registry's quantitative targets; Found the
	// draft's.
	Quantitative, Found int

	// Deliverables pairs the draft's milestones with the registry's
	// milestones whose quotes overlap theirs; NoDeliverable are the
	// registry's milestones the draft lacks, ExtraDeliverable the draft's
	// milestones the registry lacks.
	Deliverables     []Pair
	NoDeliverable    []plan.Target
	ExtraDeliverable []plan.Target
}

// DeliverableRecall is the share of the registry's milestones the draft found.
func (c Comparison) DeliverableRecall() float64 {
	return ratio(len(c.Deliverables), len(c.Deliverables)+len(c.NoDeliverable))
}

// DeliverablePrecision is the share of the draft's milestones the registry holds.
func (c Comparison) DeliverablePrecision() float64 {
	return ratio(len(c.Deliverables), len(c.Deliverables)+len(c.ExtraDeliverable))
}

// Recall is the share of the registry's quantitative targets the draft found.
func (c Comparison) Recall() float64 { return ratio(len(c.Matched), c.Quantitative) }

// Precision is the share of the draft's targets that the registry holds.
func (c Comparison) Precision() float64 { return ratio(len(c.Matched), c.Found) }

// KindDiffers are the matched pairs whose kinds differ.
func (c Comparison) KindDiffers() []Pair {
	var out []Pair
	for _, p := range c.Matched {
		if p.Draft.Kind != p.Registry.Kind {
			out = append(out, p)
		}
	}
	return out
}

// ByKind counts, for each kind of the registry, its quantitative targets and
// how many of them the draft found.
func (c Comparison) ByKind() map[plan.Kind][2]int {
	out := map[plan.Kind][2]int{}
	for _, p := range c.Matched {
		v := out[p.Registry.Kind]
		v[0]++
		v[1]++
		out[p.Registry.Kind] = v
	}
	for _, t := range c.Missing {
		v := out[t.Kind]
		v[0]++
		out[t.Kind] = v
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Compare matches a draft's targets with a registry's. text is the plan's
// text both quote; "" falls back to comparing the quotes themselves.
func Compare(all, registry []plan.Target, text string) Comparison {
	var c Comparison
	var draft, draftMiles []plan.Target
	for _, t := range all {
		if t.Kind.Quantitative() {
			draft = append(draft, t)
		} else {
			draftMiles = append(draftMiles, t)
		}
	}
	var quant []plan.Target
	var miles []plan.Target
	for _, t := range registry {
		if t.Kind.Quantitative() {
			quant = append(quant, t)
		} else {
			miles = append(miles, t)
		}
	}
	c.Quantitative, c.Found = len(quant), len(draft)
	spans := spanIndex{text: text, cache: map[string][][2]int{}}
	c.compareDeliverables(draftMiles, miles, spans)

	type cand struct{ d, r, overlap int }
	var strict, loose []cand
	for di, d := range draft {
		for ri, r := range quant {
			ov := spans.overlap(d.Quote, r.Quote)
			if ov == 0 {
				continue
			}
			if sameValue(d, r) && d.Unit == r.Unit {
				strict = append(strict, cand{di, ri, ov})
			} else {
				loose = append(loose, cand{di, ri, ov})
			}
		}
	}
	byOverlap := func(cs []cand) {
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].overlap != cs[j].overlap {
				return cs[i].overlap > cs[j].overlap
			}
			if cs[i].r != cs[j].r {
				return cs[i].r < cs[j].r
			}
			return cs[i].d < cs[j].d
		})
	}
	byOverlap(strict)
	byOverlap(loose)
	usedD, usedR := map[int]bool{}, map[int]bool{}
	var matched, differ []cand
	for _, k := range strict {
		if !usedD[k.d] && !usedR[k.r] {
			usedD[k.d], usedR[k.r] = true, true
			matched = append(matched, k)
		}
	}
	for _, k := range loose {
		if !usedD[k.d] && !usedR[k.r] {
			usedD[k.d], usedR[k.r] = true, true
			differ = append(differ, k)
		}
	}
	sort.Slice(matched, func(i, j int) bool { return matched[i].r < matched[j].r })
	sort.Slice(differ, func(i, j int) bool { return differ[i].r < differ[j].r })
	inDiffer := map[int]bool{}
	for _, k := range matched {
		c.Matched = append(c.Matched, Pair{draft[k.d], quant[k.r]})
	}
	for _, k := range differ {
		c.Differ = append(c.Differ, Pair{draft[k.d], quant[k.r]})
		inDiffer[k.d] = true
	}
	matchedR := map[int]bool{}
	for _, k := range matched {
		matchedR[k.r] = true
	}
	for ri, r := range quant {
		if !matchedR[ri] {
			c.Missing = append(c.Missing, r)
		}
	}
	matchedD := map[int]bool{}
	for _, k := range matched {
		matchedD[k.d] = true
	}
	for di, d := range draft {
		if matchedD[di] {
			continue
		}
		c.Extra = append(c.Extra, d)
		if inDiffer[di] {
			continue
		}
		best, bestOv := -1, 0
		for mi, m := range miles {
			if ov := spans.overlap(d.Quote, m.Quote); ov > bestOv {
				best, bestOv = mi, ov
			}
		}
		if best >= 0 {
			c.Milestones = append(c.Milestones, Pair{d, miles[best]})
		}
	}
	return c
}

// compareDeliverables pairs milestones whose quotes overlap, the largest
// overlaps first.
func (c *Comparison) compareDeliverables(draft, registry []plan.Target, spans spanIndex) {
	type cand struct{ d, r, overlap int }
	var cs []cand
	for di, d := range draft {
		for ri, r := range registry {
			if ov := spans.overlap(d.Quote, r.Quote); ov > 0 {
				cs = append(cs, cand{di, ri, ov})
			}
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].overlap != cs[j].overlap {
			return cs[i].overlap > cs[j].overlap
		}
		if cs[i].r != cs[j].r {
			return cs[i].r < cs[j].r
		}
		return cs[i].d < cs[j].d
	})
	usedD, usedR := map[int]bool{}, map[int]bool{}
	var pairs []cand
	for _, k := range cs {
		if !usedD[k.d] && !usedR[k.r] {
			usedD[k.d], usedR[k.r] = true, true
			pairs = append(pairs, k)
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].r < pairs[j].r })
	for _, k := range pairs {
		c.Deliverables = append(c.Deliverables, Pair{draft[k.d], registry[k.r]})
	}
	for ri, r := range registry {
		if !usedR[ri] {
			c.NoDeliverable = append(c.NoDeliverable, r)
		}
	}
	for di, d := range draft {
		if !usedD[di] {
			c.ExtraDeliverable = append(c.ExtraDeliverable, d)
		}
	}
}

func sameValue(a, b plan.Target) bool {
	if a.Value == nil || b.Value == nil {
		return false
	}
	return math.Abs(*a.Value-*b.Value) <= 1e-9*math.Max(1, math.Abs(*b.Value))
}

// spanIndex finds where quotes sit in the plan's text.
type spanIndex struct {
	text  string
	cache map[string][][2]int
}

func (s spanIndex) spans(q string) [][2]int {
	if v, ok := s.cache[q]; ok {
		return v
	}
	var out [][2]int
	if q != "" && s.text != "" {
		for off := 0; off < len(s.text); {
			i := strings.Index(s.text[off:], q)
			if i < 0 {
				break
			}
			out = append(out, [2]int{off + i, off + i + len(q)})
			off += i + len(q)
		}
	}
	s.cache[q] = out
	return out
}

// overlap is how many bytes two quotes share: where they sit in the text,
// or, when either is not found there, their longest common substring.
func (s spanIndex) overlap(a, b string) int {
	sa, sb := s.spans(a), s.spans(b)
	if len(sa) > 0 && len(sb) > 0 {
		best := 0
		for _, x := range sa {
			for _, y := range sb {
				if ov := min(x[1], y[1]) - max(x[0], y[0]); ov > best {
					best = ov
				}
			}
		}
		return best
	}
	a, b = strings.Join(strings.Fields(a), ""), strings.Join(strings.Fields(b), "")
	if a == "" || b == "" {
		return 0
	}
	if strings.Contains(a, b) {
		return len(b)
	}
	if strings.Contains(b, a) {
		return len(a)
	}
	n := commonSubstring([]rune(a), []rune(b))
	// A few shared characters are chance; half the shorter quote is not.
	if n*2 < min(len([]rune(a)), len([]rune(b))) || n < 4 {
		return 0
	}
	return n
}

func commonSubstring(a, b []rune) int {
	if len(a) > 2000 || len(b) > 2000 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] > best {
					best = cur[j]
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}
