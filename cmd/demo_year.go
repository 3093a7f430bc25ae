package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/simulate"
	"planrep/store"
	"planrep/templates"
	"planrep/workbook"
)

// The demo's year: the rounds before its own, collected into its own store.
const (
	demoEarlier = "0-往期"       // earlier rounds: 2025Q1/, 2025H1/, each with returns and results
	demoStore   = "planrep.db" // the demo's store, in its folder
)

// demoYear removes the demo's earlier rounds and store, then collects 一季度
// and 上半年 into a new store — with one department correcting its 上半年
// return after the first collect — so that the demo's own round meets a
// store with a year behind it. Every date is fixed, and so is every file's
// modification time, so two runs give the same bytes.
func demoYear(g *Globals, p *plan.Plan, per plan.Period, out string) (*store.Store, []demoStoryLine, error) {
	for _, name := range []string{demoEarlier, demoStore, demoStore + "-wal", demoStore + "-shm"} {
		if err := os.RemoveAll(filepath.Join(out, name)); err != nil {
			return nil, nil, fmt.Errorf("无法清除上一次的演示结果 %s：%v", filepath.Join(out, name), err)
		}
	}
	st, err := store.Open(filepath.Join(out, demoStore), store.Options{Create: true, Wait: dbWait()})
	if err != nil {
		return nil, nil, err
	}
	var story []demoStoryLine
	fail := func(err error) (*store.Store, []demoStoryLine, error) {
		st.Close()
		return nil, nil, err
	}
	for _, ep := range []plan.Period{{Year: per.Year, Span: plan.Quarter, N: 1}, {Year: per.Year, Span: plan.Half, N: 1}} {
		if ep.EndMonth() >= per.EndMonth() {
			continue
		}
		dir := filepath.Join(out, demoEarlier, ep.String())
		issued := time.Date(ep.Year, time.Month(ep.EndMonth()), 25, 9, 0, 0, 0, demoIssued.Location())
		deadline := ep.End().AddDate(0, 0, 10).Format("2006-01-02")
		sopt := simulate.Options{Period: ep, Seed: demoSeed, Faults: demoFaults, Missing: 1, Deadline: deadline, Now: issued}
		rdir := filepath.Join(dir, demoReturns)
		if _, err := simulate.Run(p, "", rdir, sopt); err != nil {
			return fail(err)
		}
		inbox := filepath.Join(rdir, simulate.ReturnsDir)
		end := ep.End()
		collected := time.Date(end.Year(), end.Month(), end.Day()+12, 9, 0, 0, 0, demoIssued.Location())
		if err := demoTouch(inbox, collected); err != nil {
			return fail(err)
		}
		if _, err := demoCollect(st, p, ep, inbox, filepath.Join(dir, demoCollected), collected); err != nil {
			return fail(err)
		}
		if ep.Span != plan.Half {
			continue
		}
		// A department finds a mistake in its 上半年 figures and resends.
		line, err := demoCorrect(p, inbox, collected.AddDate(0, 0, 2))
		if err != nil {
			return fail(err)
		}
		if line == nil {
			continue
		}
		if _, err := demoCollect(st, p, ep, inbox, filepath.Join(dir, demoCollected), collected.AddDate(0, 0, 3)); err != nil {
			return fail(err)
		}
		story = append(story, *line)
	}
	return st, story, nil
}

// demoCollect collects one earlier round with the store, as `collect` does.
func demoCollect(st *store.Store, p *plan.Plan, per plan.Period, inbox, out string, at time.Time) (*workbook.Result, error) {
	var failed error
	res, err := workbook.Collect(p, []string{inbox}, workbook.Options{Period: &per, Earlier: earlierFrom(st, p.ID, &failed)})
	if err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, failed
	}
	if err := corrections(st, res); err != nil {
		return nil, err
	}
	if err := res.WriteOutputs(out); err != nil {
		return nil, err
	}
	return res, demoRecord(st, res, inbox, at)
}

// demoRecord records a demo run with fixed times and a relative command line.
func demoRecord(st *store.Store, res *workbook.Result, inbox string, at time.Time) error {
	files := make(map[string]store.FileMeta, len(res.Sources))
	for path, m := range res.Sources {
		files[path] = store.FileMeta{Archive: m.Archive, Member: m.Member, ModTime: m.ModTime, Filler: m.Filler, Phone: m.Phone, Filled: m.Filled}
	}
	_, err := st.RecordRound(context.Background(), store.Record{Plan: res.Plan, Round: res.Round, Files: files,
		Run: store.Run{Kind: store.KindCollect, Started: at, Finished: at.Add(time.Minute),
			Command: "planrep demo（收集 " + res.Round.Period.Label() + "）", Inputs: []string{inbox}}})
	return err
}

// demoTouch gives every file under dir the same modification time, as if
// they had arrived together, so that the store records the same times on
// every run of the demo.
func demoTouch(dir string, at time.Time) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(path, at, at)
	})
}

// demoCorrect writes a corrected copy of one clean return beside it: its
// first quantitative value raised by a tenth and its 填报日期 two days later.
func demoCorrect(p *plan.Plan, inbox string, at time.Time) (*demoStoryLine, error) {
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".xlsx") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := excelize.OpenFile(filepath.Join(inbox, name))
		if err != nil {
			continue
		}
		stamp, err := templates.ReadStamp(f)
		if err != nil || len(stamp.QuantRows) == 0 {
			f.Close()
			continue
		}
		d, ok := p.Dept(stamp.Dept)
		if !ok {
			f.Close()
			continue
		}
		cell := templates.Col(templates.QuantColumns, templates.ColActual) + fmt.Sprint(templates.FirstDataRow)
		raw, _ := f.GetCellValue(templates.SheetQuant, cell)
		var v float64
		if _, err := fmt.Sscan(raw, &v); err != nil || v <= 0 {
			f.Close()
			continue
		}
		nv := v * 1.1
		if v >= 10 {
			nv = float64(int64(v*1.1 + 0.5))
		}
		f.SetCellFloat(templates.SheetQuant, cell, nv, -1, 64)
		f.SetCellStr(templates.SheetQuant, templates.CellDate, at.Format("2006-01-02"))
		fixed := filepath.Join(inbox, strings.TrimSuffix(name, ".xlsx")+"（更正）.xlsx")
		err = f.SaveAs(fixed)
		f.Close()
		if err != nil {
			return nil, err
		}
		if err := os.Chtimes(fixed, at, at); err != nil {
			return nil, err
		}
		return &demoStoryLine{d.Short, fmt.Sprintf("%s报送后发现指标 %s 填错，%s更正重报（%s → %s）",
			stamp.Period.Label(), stamp.QuantRows[0], at.Format("1月2日"), plan.FormatNumber(v), plan.FormatNumber(nv))}, nil
	}
	return nil, nil
}
