package templates

import "github.com/xuri/excelize/v2"

// styles are the cell styles of one workbook.
type styles struct {
	title, subtitle, note, empty int
	label, value, alert          int // header block and guide tables
	inputText, inputPhone        int
	inputDate                    int
	headFixed, headInput         int
	headCalc                     int
	text, center, number         int // locked definition cells
	inNumber, inText, inList     int // unlocked input cells
	calcPct, calcShare, calcText int
	check                        int
	flag, unfilled               int // conditional formats: a row the self-check flags; 未填
	pending, swatchPending       int // a row not filled in yet: its conditional format, its legend swatch
	heading, body, bodyBold      int // guide sheet
	swatchInput, swatchCalc      int
	swatchFixed, swatchFlag      int
}

func border() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: colorBorder, Style: 1})
	}
	return out
}

func fill(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

func (b *builder) newStyles() error {
	f := b.f
	var firstErr error
	mk := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return id
	}
	body := func(size float64) *excelize.Font { return &excelize.Font{Family: fontBody, Size: size} }
	bold := func(size float64, color string) *excelize.Font {
		return &excelize.Font{Family: fontTitle, Size: size, Bold: true, Color: color}
	}
	wrap := func(h string) *excelize.Alignment {
		a := &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true}
		if h == "left" {
			a.Indent = 1 // keep text off the border
		}
		return a
	}
	unlocked := &excelize.Protection{Locked: false}
	locked := &excelize.Protection{Locked: true}
	pct1, pct0 := "0.0%", "0%"
	date := "yyyy-mm-dd"

	s := &b.st
	s.title = mk(&excelize.Style{Font: bold(16, "000000"), Alignment: wrap("center"), Protection: locked})
	s.subtitle = mk(&excelize.Style{Font: &excelize.Font{Family: fontTitle, Size: 11, Color: colorNote}, Alignment: wrap("center"), Protection: locked})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Family: fontBody, Size: 9.5, Color: colorNote}, Alignment: wrap("left"), Protection: locked})
	s.empty = mk(&excelize.Style{Font: &excelize.Font{Family: fontTitle, Size: 12, Color: colorNote}, Alignment: wrap("center"), Border: border(), Protection: locked})
	s.label = mk(&excelize.Style{Font: bold(10, "000000"), Fill: fill(colorLabel), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.value = mk(&excelize.Style{Font: body(10), Alignment: wrap("left"), Border: border(), Protection: locked})
	s.alert = mk(&excelize.Style{Font: bold(10, colorAlert), Alignment: wrap("left"), Protection: locked})
	s.inputText = mk(&excelize.Style{Font: body(10), Fill: fill(colorInput), Alignment: wrap("left"), Border: border(), Protection: unlocked})
	s.inputPhone = mk(&excelize.Style{Font: body(10), Fill: fill(colorInput), Alignment: wrap("left"), Border: border(), Protection: unlocked, NumFmt: 49})
	s.inputDate = mk(&excelize.Style{Font: body(10), Fill: fill(colorInput), Alignment: wrap("left"), Border: border(), Protection: unlocked, CustomNumFmt: &date})
	s.headFixed = mk(&excelize.Style{Font: bold(10, "000000"), Fill: fill(colorFixedHead), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.headInput = mk(&excelize.Style{Font: bold(10, "000000"), Fill: fill(colorInputHead), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.headCalc = mk(&excelize.Style{Font: bold(10, "000000"), Fill: fill(colorCalcHead), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.text = mk(&excelize.Style{Font: body(10), Alignment: wrap("left"), Border: border(), Protection: locked})
	s.center = mk(&excelize.Style{Font: body(10), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.number = mk(&excelize.Style{Font: body(10), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.inNumber = mk(&excelize.Style{Font: body(10.5), Fill: fill(colorInput), Alignment: wrap("center"), Border: border(), Protection: unlocked})
	s.inText = mk(&excelize.Style{Font: body(10), Fill: fill(colorInput), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true, Indent: 1}, Border: border(), Protection: unlocked})
	s.inList = mk(&excelize.Style{Font: body(10), Fill: fill(colorInput), Alignment: wrap("center"), Border: border(), Protection: unlocked})
	s.calcPct = mk(&excelize.Style{Font: body(10), Fill: fill(colorCalc), Alignment: wrap("center"), Border: border(), Protection: locked, CustomNumFmt: &pct1})
	s.calcShare = mk(&excelize.Style{Font: body(10), Fill: fill(colorCalc), Alignment: wrap("center"), Border: border(), Protection: locked, CustomNumFmt: &pct0})
	s.calcText = mk(&excelize.Style{Font: body(10), Fill: fill(colorCalc), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.check = mk(&excelize.Style{Font: &excelize.Font{Family: fontTitle, Size: 10, Bold: true, Color: colorAlert}, Fill: fill(colorCalc), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.heading = mk(&excelize.Style{Font: bold(12, colorHeading), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "bottom"}, Protection: locked})
	s.body = mk(&excelize.Style{Font: body(10.5), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true, Indent: 1}, Border: border(), Protection: locked})
	s.bodyBold = mk(&excelize.Style{Font: bold(10.5, "000000"), Fill: fill(colorLabel), Alignment: wrap("center"), Border: border(), Protection: locked})
	s.swatchInput = mk(&excelize.Style{Fill: fill(colorInput), Border: border(), Protection: locked})
	s.swatchCalc = mk(&excelize.Style{Fill: fill(colorCalc), Border: border(), Protection: locked})
	s.swatchFixed = mk(&excelize.Style{Border: border(), Protection: locked})
	s.swatchFlag = mk(&excelize.Style{Fill: fill(colorFlag), Border: border(), Protection: locked})
	s.swatchPending = mk(&excelize.Style{Fill: fill(colorPending), Border: border(), Protection: locked})
	if firstErr != nil {
		return firstErr
	}
	var err error
	if s.flag, err = f.NewConditionalStyle(&excelize.Style{Fill: fill(colorFlag)}); err != nil {
		return err
	}
	if s.pending, err = f.NewConditionalStyle(&excelize.Style{Fill: fill(colorPending)}); err != nil {
		return err
	}
	s.unfilled, err = f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "8C8C8C"}, Fill: fill(colorPending)})
	return err
}
