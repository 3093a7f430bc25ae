package cmd

import (
	"context"
	"os"
	"strings"
	"sync"
	"time"

	"planrep/plan"
	"planrep/report"
	"planrep/store"
	"planrep/workbook"
)

// DBPath is the store's file: --db, else $PLANREP_DB, else the workspace's
// store, else planrep.db in the working folder. A workspace whose settings
// cannot be read has already stopped the command (LoadPlan says why).
func (g *Globals) DBPath() string {
	if r, err := g.setting("store", g.DBFile); err == nil && r.Value != "" {
		return r.Value
	}
	if ws, _ := g.Workspace(); ws != nil {
		return ws.StorePath()
	}
	return store.DefaultFile
}

// OpenStore opens the store named by DBPath; create makes it when missing
// (collect does, the history commands do not).
func (g *Globals) OpenStore(create bool) (*store.Store, error) {
	return store.Open(g.DBPath(), store.Options{Create: create, Wait: dbWait()})
}

// dbWait is how long a writer waits for another: PLANREP_DB_WAIT (a Go
// duration such as 5s) or store.DefaultWait.
func dbWait() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("PLANREP_DB_WAIT")); err == nil && d > 0 {
		return d
	}
	return store.DefaultWait
}

// commandLine is the command line as recorded in the store.
func (g *Globals) commandLine() string {
	parts := []string{"planrep"}
	for _, a := range g.Args {
		if a == "" || strings.ContainsAny(a, " \t\"'") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// now is the clock, or the system's when none is set.
func (g *Globals) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// recorder is a collect run's link to the store, for `collect` and for the
// collect `report` runs first: opened before the returns are read, so that
// a store that cannot be used stops the run at once; it gives the run the
// store's earlier periods to compare with, and records the run. A nil
// recorder (--no-db) does nothing.
type recorder struct {
	g          *Globals
	st         *store.Store
	started    time.Time
	earlierErr error
}

// openRecorder opens the store for a collect run, creating it when missing;
// with noDB it returns nil.
func openRecorder(g *Globals, noDB bool) (*recorder, error) {
	if noDB {
		return nil, nil
	}
	st, err := g.OpenStore(true)
	if err != nil {
		return nil, err
	}
	return &recorder{g: g, st: st, started: g.now()}, nil
}

// Close closes the store.
func (r *recorder) Close() {
	if r != nil {
		r.st.Close()
	}
}

// compare has the run check each value against the store's earlier periods.
func (r *recorder) compare(planID string, wopt *workbook.Options) {
	if r != nil {
		wopt.Earlier = earlierFrom(r.st, planID, &r.earlierErr)
	}
}

// annotate fills the corrections of each resent return and reports a
// failure of the earlier reading of the store.
func (r *recorder) annotate(res *workbook.Result) error {
	if r == nil {
		return nil
	}
	if r.earlierErr != nil {
		return r.earlierErr
	}
	return corrections(r.st, res)
}

// record records the run, with the registry file it used.
func (r *recorder) record(res *workbook.Result, inputs []string) error {
	if r == nil {
		return nil
	}
	files := make(map[string]store.FileMeta, len(res.Sources))
	for path, m := range res.Sources {
		files[path] = store.FileMeta{Archive: m.Archive, Member: m.Member, ModTime: m.ModTime, Filler: m.Filler, Phone: m.Phone, Filled: m.Filled}
	}
	_, err := r.st.RecordRound(context.Background(), store.Record{Plan: res.Plan, Round: res.Round, Files: files, PlanFile: r.g.planFile,
		Run: store.Run{Kind: store.KindCollect, Started: r.started, Finished: r.g.now(), Command: r.g.commandLine(), Inputs: inputs}})
	return err
}

// earlierFrom gives collect the store's earlier periods for the
// period-over-period checks; the first failure is kept in *failed.
func earlierFrom(st *store.Store, planID string, failed *error) func(plan.Period) map[string]workbook.Prior {
	var mu sync.Mutex
	return func(per plan.Period) map[string]workbook.Prior {
		got, err := st.Earlier(context.Background(), planID, per)
		if err != nil {
			mu.Lock()
			if *failed == nil {
				*failed = err
			}
			mu.Unlock()
			return nil
		}
		out := make(map[string]workbook.Prior, len(got))
		for id, pr := range got {
			pp, err := plan.ParsePeriod(pr.Period)
			if err != nil {
				continue
			}
			out[id] = workbook.Prior{Period: pp, Value: pr.Value}
		}
		return out
	}
}

// corrections fills res.Corrections from the store: for each department
// whose accepted return corrects an earlier one of the period, what changed.
func corrections(st *store.Store, res *workbook.Result) error {
	rd := res.Round
	sha := map[string]string{}
	for _, f := range rd.Files {
		sha[f.Path] = f.SHA256
	}
	accepted := map[string]string{}
	for _, d := range rd.Departments {
		if d.Submitted {
			accepted[d.Code] = sha[d.File]
		}
	}
	prev, err := st.PreviousReturns(context.Background(), rd.PlanID, rd.Period.String(), accepted)
	if err != nil {
		return err
	}
	for _, d := range rd.Departments {
		pr, ok := prev[d.Code]
		if !ok {
			continue
		}
		now := map[string]plan.TargetResult{}
		var order []string
		for _, t := range rd.Targets {
			if t.Lead == d.Code && t.File == d.File {
				now[t.ID] = t
				order = append(order, t.ID)
				if o, ok := pr.Values[t.ID]; ok {
					o.Kind = t.Kind
					pr.Values[t.ID] = o
				}
			}
		}
		res.Corrections = append(res.Corrections, workbook.Correction{Dept: d.Code, File: d.File, Previous: pr.File,
			PreviousFilled: pr.Filled, Received: pr.Received, Changes: plan.Diff(pr.Values, now, order)})
	}
	return nil
}

// yearOf reads the year up to a round's period from the store, for the brief.
func yearOf(st *store.Store, p *plan.Plan, rd *plan.Round) (*report.History, error) {
	ctx := context.Background()
	runs, err := st.Runs(ctx, rd.PlanID)
	if err != nil {
		return nil, err
	}
	latest := map[string]store.RunInfo{}
	for _, r := range runs {
		latest[r.Period] = r // runs come in the order recorded
	}
	codes, err := st.Periods(ctx, rd.PlanID)
	if err != nil {
		return nil, err
	}
	h := &report.History{}
	for _, code := range codes {
		per, err := plan.ParsePeriod(code)
		if err != nil || per.Year != rd.Period.Year || per.EndMonth() > rd.Period.EndMonth() {
			continue
		}
		ph := report.PeriodHistory{Period: per, Values: map[string]report.PastValue{}}
		if r, ok := latest[code]; ok {
			ph.Expected, ph.Submitted, ph.OnTime = r.Expected, r.Submitted, r.OnTime
		}
		vals, err := st.Values(ctx, rd.PlanID, code)
		if err != nil {
			return nil, err
		}
		for id, v := range vals {
			ph.Values[id] = report.PastValue{Value: v.Value, Progress: v.Progress, Status: v.Status}
		}
		cs, err := st.Corrections(ctx, rd.PlanID, code)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			date := c.Received
			if t, err := time.Parse(store.TimeFormat, c.Received); err == nil {
				date = t.Format("2006-01-02")
			}
			ph.Corrections = append(ph.Corrections, report.Correction{Dept: c.Dept, Date: date, Changes: len(c.Changes)})
		}
		h.Periods = append(h.Periods, ph)
	}
	return h, nil
}

// reportYear is the year for `report`: from the store when there is one (a
// round.json alone makes a brief without the year).
func reportYear(g *Globals, p *plan.Plan, rd *plan.Round) (*report.History, error) {
	path := g.DBPath()
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	st, err := g.OpenStore(false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return yearOf(st, p, rd)
}
