package templates

import (
	"bytes"
	"fmt"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/internal/safefile"
	"planrep/internal/xlsxdim"
	"planrep/plan"
)

// RosterFile is the distribution list WriteAll writes beside the templates.
const RosterFile = "发放清单.xlsx"

// Written is one template WriteAll wrote.
type Written struct {
	Dept    plan.Department // the unit, in a department's shape
	Kind    plan.UnitKind
	File    string // path of the workbook
	Targets int    // targets the unit reports on (quantitative and milestones)
}

// WriteAll writes every department's template and the distribution list
// into dir. Every workbook is built before the first is written, and each is
// written atomically, so a failure leaves no half-written file.
func WriteAll(dir string, p *plan.Plan, depts []plan.Department, opt Options) ([]Written, error) {
	units := make([]plan.Unit, len(depts))
	for i, d := range depts {
		units[i] = d.Unit()
	}
	return WriteUnits(dir, p, units, opt)
}

// WriteUnits writes the template of every unit, departments and 区县 alike,
// and the distribution list into dir, as WriteAll does.
func WriteUnits(dir string, p *plan.Plan, units []plan.Unit, opt Options) ([]Written, error) {
	type out struct {
		name string
		data []byte
	}
	var files []out
	var written []Written
	seen := map[string]string{}
	for _, u := range units {
		u.Kind = u.Kind.Or()
		d := u.Department()
		name := FileName(opt.Period, d)
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s %s 与 %s 的模板文件名相同（%s）：请检查登记表中的简称和代码", u.Kind.Label(), d.Code, other, name)
		}
		seen[name] = d.Code
		var buf bytes.Buffer
		if err := WriteUnit(&buf, p, u, opt); err != nil {
			return nil, err
		}
		files = append(files, out{name, buf.Bytes()})
		written = append(written, Written{Dept: d, Kind: u.Kind, File: filepath.Join(dir, name), Targets: len(unitTargets(p, u))})
	}
	roster, err := rosterWorkbook(p, written, opt)
	if err != nil {
		return nil, err
	}
	files = append(files, out{RosterFile, roster})
	for _, o := range files {
		if err := safefile.WriteBytes(filepath.Join(dir, o.name), o.data); err != nil {
			return nil, err
		}
	}
	return written, nil
}

// unitTargets is what unit u reports on.
func unitTargets(p *plan.Plan, u plan.Unit) []plan.Target {
	if u.Kind == plan.UnitDistrict {
		return p.DistrictTargets(u.Code)
	}
	return p.Led(u.Code)
}

// rosterWorkbook is 发放清单.xlsx: who gets which file, how many targets, by when.
func rosterWorkbook(p *plan.Plan, ws []Written, opt Options) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "发放清单"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return nil, err
	}
	if err := f.SetDefaultFont(fontBody); err != nil {
		return nil, err
	}
	headers := []string{"序号", "填报单位", "单位代码", "文件名", "指标数", "其中量化指标", "其中重点任务", "截止日期", "类别"}
	widths := []float64{6, 22, 12, 40, 8, 12, 12, 14, 8}
	if len(opt.Links) > 0 {
		headers = append(headers, "网上报送链接（本单位专用，请勿转发）")
		widths = append(widths, 64)
	}
	for i, w := range widths {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, c, c, w); err != nil {
			return nil, err
		}
	}
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontTitle, Size: 14, Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontTitle, Size: 10, Bold: true}, Fill: fill(colorFixedHead), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: border()})
	body, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontBody, Size: 10}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border()})
	center, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontBody, Size: 10}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: border()})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(headers))
	if err := f.MergeCell(sh, "A1", last+"1"); err != nil {
		return nil, err
	}
	if err := f.SetCellStr(sh, "A1", fmt.Sprintf("%s填报模板发放清单（%s）", p.Title, opt.Period.Label())); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sh, "A1", last+"1", title); err != nil {
		return nil, err
	}
	if err := f.SetRowHeight(sh, 1, 32); err != nil {
		return nil, err
	}
	for i, h := range headers {
		if err := f.SetCellStr(sh, cell(i+1, 2), h); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(sh, "A2", last+"2", head); err != nil {
		return nil, err
	}
	deadline := "按通知要求"
	if opt.Deadline != "" {
		deadline = opt.Deadline
	}
	for i, w := range ws {
		r := i + 3
		quant := 0
		for _, t := range unitTargets(p, plan.Unit{Kind: w.Kind, Code: w.Dept.Code}) {
			if t.Kind.Quantitative() {
				quant++
			}
		}
		row := []any{i + 1, w.Dept.Short, w.Dept.Code, filepath.Base(w.File), w.Targets, quant, w.Targets - quant, deadline, w.Kind.Or().Label()}
		link := ""
		if len(opt.Links) > 0 {
			link = opt.Links[w.Dept.Code]
			row = append(row, link)
		}
		for c, v := range row {
			if err := f.SetCellValue(sh, cell(c+1, r), v); err != nil {
				return nil, err
			}
		}
		if err := f.SetCellStyle(sh, cell(1, r), cell(len(row), r), center); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, cell(2, r), cell(2, r), body); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, cell(4, r), cell(4, r), body); err != nil {
			return nil, err
		}
		if link != "" {
			c := cell(len(row), r)
			if err := f.SetCellStyle(sh, c, c, body); err != nil {
				return nil, err
			}
			if err := f.SetCellHyperLink(sh, c, link, "External"); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	orient, size, one, zero := "landscape", 9, 1, 0
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return nil, err
	}
	yes := true
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return nil, err
	}
	now := opt.Now.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: "填报模板发放清单", Creator: p.Planner, Created: now, Modified: now, Language: "zh-CN"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := xlsxdim.WriteTo(&buf, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
