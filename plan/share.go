package plan

// ShareStrings makes equal strings of the registry share one copy. A
// registry made of many alike departments (a province's counties, a scale
// run of `simulate --scale`) repeats the same chapters, tasks, indicators
// and quotes thousands of times, and a decoder gives each its own copy: for
// 46,182 targets that is 10 MB of text of which 1 MB differs. Nothing a
// caller can see changes.
func (p *Plan) ShareStrings() {
	seen := map[string]string{}
	share := func(s *string) {
		if v, ok := seen[*s]; ok {
			*s = v
		} else {
			seen[*s] = *s
		}
	}
	for i := range p.Depts {
		d := &p.Depts[i]
		for _, s := range []*string{&d.Name, &d.Short, &d.Contact, &d.Phone} {
			share(s)
		}
	}
	for i := range p.Targets {
		t := &p.Targets[i]
		for _, s := range []*string{&t.Chapter, &t.Section, &t.Task, &t.Indicator, (*string)(&t.Kind), &t.Unit,
			(*string)(&t.Comparator), &t.Due, &t.Quote} {
			share(s)
		}
		for j := range t.Qualifiers {
			share(&t.Qualifiers[j])
		}
	}
}
