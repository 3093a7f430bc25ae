package xlsxstream

import "strings"

// numFormats is what a reader needs of the styles: each cell format's number
// format id, and the custom number formats' codes.
type numFormats struct {
	xf     []int          // cell format index → number format id
	hasXfs bool           // the styles have a cellXfs list
	custom map[int]string // custom number format id → code
}

// parseStyles reads the number formats and cell formats of xl/styles.xml;
// fonts, fills, borders and the rest are not looked at. A styles part that
// cannot be parsed gives no formats: no cell then shows a percentage.
func parseStyles(data []byte, std bool) *numFormats {
	nf := &numFormats{custom: map[int]string{}}
	section := ""
	err := walk(data, std, func(t *token, depth int) error {
		switch t.kind {
		case startTok:
			switch {
			case depth == 2:
				section = string(t.local)
				if section == "cellXfs" {
					nf.hasXfs = true
				}
			case depth == 3 && section == "numFmts" && t.is("numFmt"):
				id, _, err := t.attrInt("numFmtId")
				if err != nil {
					return err
				}
				code, _ := t.attrStr("formatCode")
				for _, a := range t.attrs {
					if string(a.local) == "formatCode16" && len(a.space) != 0 && len(a.value) != 0 {
						code = string(a.value)
					}
				}
				if _, dup := nf.custom[id]; !dup {
					nf.custom[id] = code
				}
			case depth == 3 && section == "cellXfs" && t.is("xf"):
				id, _, err := t.attrInt("numFmtId")
				if err != nil {
					return err
				}
				nf.xf = append(nf.xf, id)
			}
		case endTok:
			if depth == 2 {
				section = ""
			}
		}
		return nil
	})
	if err != nil {
		return &numFormats{}
	}
	return nf
}

func (b *Book) formats() *numFormats {
	b.once.Do(func() {
		b.fmts = parseStyles(b.styles, b.std)
		b.styles = nil
	})
	return b.fmts
}

// ShowsPercent reports whether a number v in a cell of format style is shown
// with a trailing percent sign (55% typed into Excel is stored as 0.55 and
// shown so), as excelize's formatted value would show it.
func (b *Book) ShowsPercent(style int, v float64) bool {
	if style == 0 {
		return false
	}
	nf := b.formats()
	if !nf.hasXfs || style < 0 || style >= len(nf.xf) {
		return false
	}
	id := nf.xf[style]
	if code, ok := nf.custom[id]; ok {
		return codeShowsPercent(code, v)
	}
	return id == 9 || id == 10
}

// codeShowsPercent reports whether a number format code shows v ending in %.
func codeShowsPercent(code string, v float64) bool {
	sections := splitSections(code)
	// excelize shows zero with the first section too, and a negative
	// number with the second when there is one.
	s := sections[0]
	if v < 0 && len(sections) > 1 {
		s = sections[1]
	}
	last := rune(0) // the last character shown that is not a space
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				if rs[j] != ' ' {
					last = rs[j]
				}
				j++
			}
			i = j
		case '\\':
			if i+1 < len(rs) {
				i++
				if rs[i] != ' ' {
					last = rs[i]
				}
			}
		case '[':
			for i < len(rs) && rs[i] != ']' {
				i++
			}
		case '_', '*':
			i++
		case ' ':
		default:
			last = r
		}
	}
	return last == '%'
}

// splitSections splits a format code at the semicolons that are not quoted
// or escaped.
func splitSections(code string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	rs := []rune(code)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"':
			quoted = !quoted
		case r == '\\' && !quoted && i+1 < len(rs):
			b.WriteRune(r)
			i++
			r = rs[i]
		case r == ';' && !quoted:
			out = append(out, b.String())
			b.Reset()
			continue
		}
		b.WriteRune(r)
	}
	return append(out, b.String())
}
