package xlsxstream

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

type rel struct{ ID, Type, Target string }

func parseRels(data []byte, std bool) ([]rel, error) {
	var out []rel
	err := walk(data, std, func(t *token, depth int) error {
		if t.kind == startTok && depth == 2 && t.is("Relationship") {
			var r rel
			r.ID, _ = t.attrStr("Id")
			r.Type, _ = t.attrStr("Type")
			r.Target, _ = t.attrStr("Target")
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

type wbSheet struct{ name, rid string }

func parseWorkbook(data []byte, std bool) ([]wbSheet, error) {
	var out []wbSheet
	err := walk(data, std, func(t *token, depth int) error {
		if t.kind != startTok {
			return nil
		}
		switch {
		case depth == 2 && t.is("workbookPr"):
			if _, err := t.attrBool("date1904"); err != nil {
				return err
			}
		case depth == 3 && t.is("sheet"):
			var s wbSheet
			s.name, _ = t.attrStr("name")
			if _, _, err := t.attrInt("sheetId"); err != nil {
				return err
			}
			for _, a := range t.attrs {
				if string(a.local) == "id" && len(a.space) != 0 {
					s.rid = string(a.value)
				}
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal decodes the _xHHHH_ escapes of a string item, as excelize does.
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	matches, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), 0
	var b strings.Builder
	for _, m := range matches {
		b.WriteString(s[cursor:m[0]])
		sub := s[m[0]:m[1]]
		cursor = m[1]
		if sub == "_x005F_" {
			b.WriteString("_")
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`)
		b.WriteString(v)
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// stringItem gathers a shared or inline string item (<si> or <is>): its own
// <t> (the last, as a struct field keeps it) and the <t> of each rich-text
// run, in order; phonetic runs are left out.
type stringItem struct {
	base  int // depth of the item element
	t     []byte
	hasT  bool
	runs  [][]byte
	inT   int // depth of the <t> being read, 0 when none
	inRun bool
	runT  []byte
	runHT bool
}

func (s *stringItem) reset(depth int) {
	*s = stringItem{base: depth, t: s.t[:0], runs: s.runs[:0], runT: s.runT[:0]}
}

func (s *stringItem) token(t *token, depth int) {
	switch t.kind {
	case startTok:
		switch {
		case depth == s.base+1 && t.is("t"):
			s.t, s.hasT, s.inT = s.t[:0], true, depth
		case depth == s.base+1 && t.is("r"):
			s.inRun, s.runT, s.runHT = true, s.runT[:0], false
		case depth == s.base+2 && s.inRun && t.is("t"):
			s.runT, s.runHT, s.inT = s.runT[:0], true, depth
		}
	case endTok:
		switch {
		case depth == s.inT:
			s.inT = 0
		case depth == s.base+1 && s.inRun && t.is("r"):
			s.inRun = false
			if s.runHT {
				s.runs = append(s.runs, append([]byte(nil), s.runT...))
			}
		}
	case textTok:
		if s.inT != 0 && depth == s.inT {
			if s.inT == s.base+1 {
				s.t = append(s.t, t.text...)
			} else {
				s.runT = append(s.runT, t.text...)
			}
		}
	}
}

func (s *stringItem) String() string {
	n := len(s.t)
	for _, r := range s.runs {
		n += len(r)
	}
	if n == 0 {
		return ""
	}
	if len(s.runs) == 0 {
		return bstrUnmarshal(string(s.t))
	}
	b := make([]byte, 0, n)
	b = append(b, s.t...)
	for _, r := range s.runs {
		b = append(b, r...)
	}
	return bstrUnmarshal(string(b))
}

func parseSST(data []byte, std bool) ([]string, error) {
	var out []string
	var it stringItem
	in := false
	err := walk(data, std, func(t *token, depth int) error {
		if t.kind == startTok {
			switch {
			case depth == 1:
				for _, a := range []string{"count", "uniqueCount"} {
					if n, _, err := t.attrInt(a); err != nil {
						return err
					} else if a == "uniqueCount" && n > 0 && n < 1<<20 && out == nil {
						out = make([]string, 0, n)
					}
				}
			case depth == 2 && t.is("si"):
				it.reset(2)
				in = true
				return nil
			}
		}
		if !in {
			return nil
		}
		if t.kind == endTok && depth == 2 {
			out = append(out, it.String())
			in = false
			return nil
		}
		it.token(t, depth)
		return nil
	})
	return out, err
}

// parseProps reads docProps/custom.xml as excelize's GetCustomProps does:
// a value it cannot decode makes the whole part unreadable.
func parseProps(data []byte, std bool) (props []Prop, failed, panics bool) {
	var (
		cur    *Prop
		vals   map[string]string
		inVal  string
		text   []byte
		badVal bool
	)
	finish := func() {
		p := *cur
		get := func(k string) (string, bool) { v, ok := vals[k]; return v, ok }
		switch {
		case has(vals, "bool"):
			v, _ := get("bool")
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if strings.TrimSpace(v) == "" {
				b, err = false, nil
			}
			if err != nil {
				badVal = true
			}
			p.Value = b
		case has(vals, "lpwstr"):
			p.Value, _ = get("lpwstr")
		case has(vals, "filetime"):
			v, _ := get("filetime")
			tm, err := time.Parse(time.RFC3339, v)
			if err != nil {
				badVal = true
			}
			p.Value = tm
		default:
			p.Value = nil
			for _, k := range []string{"i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "r4", "r8"} {
				v, ok := get(k)
				if !ok {
					continue
				}
				switch k {
				case "ui1", "ui2", "ui4", "ui8", "uint":
					panics = true
				case "r4", "r8":
					bits := 64
					if k == "r4" {
						bits = 32
					}
					f, err := strconv.ParseFloat(strings.TrimSpace(v), bits)
					if err != nil && strings.TrimSpace(v) != "" {
						badVal = true
					}
					p.Value = f
				default:
					bits := map[string]int{"i1": 8, "i2": 16, "i4": 32, "i8": 64, "int": strconv.IntSize}[k]
					n, err := strconv.ParseInt(strings.TrimSpace(v), 10, bits)
					if err != nil && strings.TrimSpace(v) != "" {
						badVal = true
					}
					p.Value = int32(n)
				}
				break
			}
		}
		props = append(props, p)
	}
	err := walk(data, std, func(t *token, depth int) error {
		switch t.kind {
		case startTok:
			switch {
			case depth == 2 && t.is("property"):
				cur = &Prop{}
				cur.Name, _ = t.attrStr("name")
				if _, _, err := t.attrInt("pid"); err != nil {
					return err
				}
				vals = map[string]string{}
			case depth == 3 && cur != nil:
				inVal, text = string(t.local), text[:0]
			}
		case textTok:
			if depth == 3 && inVal != "" {
				text = append(text, t.text...)
			}
		case endTok:
			switch {
			case depth == 3 && inVal != "":
				vals[inVal] = string(text)
				inVal = ""
			case depth == 2 && cur != nil:
				finish()
				cur = nil
			}
		}
		return nil
	})
	if err != nil || badVal {
		return nil, true, false
	}
	return props, false, panics
}

func has(m map[string]string, k string) bool { _, ok := m[k]; return ok }
