package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"planrep/plan"
)

// Run kinds.
const (
	KindCollect = "collect" // planrep collect
	KindServe   = "serve"   // an upload through planrep serve
	KindImport  = "import"  // planrep db import
)

// TimeFormat is how times are kept: RFC 3339 with the offset, so that text
// order is time order within one zone and any SQLite tool can read them.
const TimeFormat = time.RFC3339

// Run describes one collect run (or one upload).
type Run struct {
	Kind     string // KindCollect, KindServe
	Started  time.Time
	Finished time.Time
	Command  string   // the command line
	Inputs   []string // files, folders and zips given
}

// FileMeta is what the store keeps of a file beyond round.json: where it lay
// and what its stamp said. Keyed by plan.InputFile.Path.
type FileMeta struct {
	Archive string // the zip it came from, "" for a plain file
	Member  string // its name inside the zip
	ModTime time.Time
	Filler  string // 填报人
	Phone   string // 联系电话
	Filled  string // 填报日期, YYYY-MM-DD
}

// Record is one run to record.
type Record struct {
	Plan  *plan.Plan
	Round *plan.Round
	Run   Run
	Files map[string]FileMeta // by path; may be nil
	// PlanFile identifies the file Plan was read from; nil for the
	// embedded plan or a plan from elsewhere.
	PlanFile *PlanFile
}

// Recorded says what RecordRound added.
type Recorded struct {
	RunID   int64
	Returns int // new returns (first-time or corrected submissions)
	Values  int
}

// periodEnd orders periods: year*100 + last month.
func periodEnd(p plan.Period) int { return p.Year*100 + p.EndMonth() }

// RecordRound records a run in one transaction. A department whose accepted
// file is the one already current for the period (the same SHA-256) adds no
// return: collecting the same folder twice records two runs and one return.
func (s *Store) RecordRound(ctx context.Context, rec Record) (Recorded, error) {
	var out Recorded
	p, rd := rec.Plan, rec.Round
	if p == nil || rd == nil {
		return out, fmt.Errorf("内部错误：没有登记表或汇总结果")
	}
	per := rd.Period
	kind := rec.Run.Kind
	if kind == "" {
		kind = KindCollect
	}
	inputs, _ := json.Marshal(nonNil(rec.Run.Inputs))
	err := s.Write(ctx, func(tx *sql.Tx) error {
		out = Recorded{}
		regID, err := s.registry(ctx, tx, p, rd.PlanFingerprint, rec.Run.Started)
		if err != nil {
			return err
		}
		if rec.PlanFile != nil {
			if err := recordPlanFile(ctx, tx, regID, rec.PlanFile, stamp(rec.Run.Started)); err != nil {
				return err
			}
		}
		var submitted, onTime, nErr, nWarn, nInfo int
		for _, d := range rd.Departments {
			if d.Submitted {
				submitted++
			}
			if d.OnTime != nil && *d.OnTime {
				onTime++
			}
		}
		for _, f := range rd.Findings {
			switch f.Severity {
			case plan.Error:
				nErr++
			case plan.Warning:
				nWarn++
			default:
				nInfo++
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (registry_id, plan_id, period, period_end, kind, started_at, finished_at,
			command, inputs, deadline, expected, submitted, on_time, errors, warnings, infos)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			regID, rd.PlanID, per.String(), periodEnd(per), kind, stamp(rec.Run.Started), stamp(rec.Run.Finished),
			rec.Run.Command, string(inputs), rd.Deadline, len(rd.Departments), submitted, onTime, nErr, nWarn, nInfo)
		if err != nil {
			return err
		}
		runID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		out.RunID = runID

		// Files.
		fileStmt, err := tx.PrepareContext(ctx, `INSERT INTO files (run_id, path, archive, member, size, sha256, mtime, dept, unit, period,
			verdict, reason, filler, phone, filled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer fileStmt.Close()
		fileID := make(map[string]int64, len(rd.Files))
		for _, f := range rd.Files {
			m := rec.Files[f.Path]
			unit := ""
			if f.Dept != "" {
				unit = string(f.Unit.Or())
			}
			res, err := fileStmt.ExecContext(ctx, runID, f.Path, m.Archive, m.Member, f.Size, f.SHA256, stamp(m.ModTime),
				f.Dept, unit, periodCode(f.Period), f.Verdict, f.Reason, m.Filler, m.Phone, m.Filled)
			if err != nil {
				return err
			}
			if fileID[f.Path], err = res.LastInsertId(); err != nil {
				return err
			}
		}

		// Returns: one for each department whose accepted file is new for the period.
		current, err := currentReturns(ctx, tx, rd.PlanID, per.String())
		if err != nil {
			return err
		}
		subStmt, err := tx.PrepareContext(ctx, `INSERT INTO submissions (run_id, file_id, plan_id, period, period_end, dept, unit, sha256,
			filled, on_time, received_at, supersedes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer subStmt.Close()
		valStmt, err := tx.PrepareContext(ctx, `INSERT INTO target_values (submission_id, target, raw, value, milestone, status,
			progress, expected, explanation, note, problems, next_steps, sheet, cell) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer valStmt.Close()
		sha := make(map[string]string, len(rd.Files))
		for _, f := range rd.Files {
			sha[f.Path] = f.SHA256
		}
		newReturn := map[string]int64{} // unit code → its new submission
		units := append(append([]plan.DeptResult(nil), rd.Departments...), rd.Districts...)
		for _, d := range units {
			if !d.Submitted || d.File == "" {
				continue
			}
			fid, ok := fileID[d.File]
			if !ok {
				return fmt.Errorf("内部错误：部门 %s 采用的文件 %s 不在文件清单中", d.Code, d.File)
			}
			cur, has := current[d.Code]
			if has && cur.sha == sha[d.File] {
				continue
			}
			var supersedes any
			if has {
				supersedes = cur.id
			}
			var on any
			if d.OnTime != nil {
				on = *d.OnTime
			}
			res, err := subStmt.ExecContext(ctx, runID, fid, rd.PlanID, per.String(), periodEnd(per), d.Code, string(d.Unit.Or()), sha[d.File],
				d.Filled, on, stamp(rec.Run.Started), supersedes)
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			newReturn[d.Code] = id
			out.Returns++
		}
		for _, list := range [][]plan.TargetResult{rd.Targets, rd.DistrictTargets} {
			for _, t := range list {
				unit := t.Lead
				if t.District != "" {
					unit = t.District // a 区县's figure belongs to its own return
				}
				id, ok := newReturn[unit]
				if !ok || t.File == "" {
					continue
				}
				if _, err := valStmt.ExecContext(ctx, id, t.ID, t.Raw, t.Value, t.Milestone, string(t.Status), t.Progress,
					t.Expected, t.Explanation, t.Note, t.Problems, t.NextSteps, t.Sheet, t.Cell); err != nil {
					return err
				}
				out.Values++
			}
		}

		// Findings, in round.json's order.
		fStmt, err := tx.PrepareContext(ctx, `INSERT INTO findings (run_id, seq, code, severity, file, dept, unit, sheet, cell, target, message)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer fStmt.Close()
		for i, f := range rd.Findings {
			unit := ""
			if f.Dept != "" {
				unit = string(f.Unit.Or())
			}
			if _, err := fStmt.ExecContext(ctx, runID, i+1, f.Code, string(f.Severity), f.File, f.Dept, unit, f.Sheet, f.Cell, f.Target, f.Message); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// registry returns the id of the registry with this fingerprint, recording it first if new.
func (s *Store) registry(ctx context.Context, tx *sql.Tx, p *plan.Plan, fp string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM registries WHERE plan_id = ? AND fingerprint = ?`, p.ID, fp).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	js, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO registries (plan_id, fingerprint, title, year, targets, registry, recorded_at)
		VALUES (?,?,?,?,?,?,?)`, p.ID, fp, p.Title, p.Year, len(p.Targets), string(js), stamp(now))
	if err != nil {
		return 0, err
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, err
	}
	return id, writeDefinitions(ctx, tx, id, p)
}

type curReturn struct {
	id  int64
	sha string
}

// currentReturns maps each department to its current return for the period.
func currentReturns(ctx context.Context, tx *sql.Tx, planID, period string) (map[string]curReturn, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.dept, s.sha256 FROM submissions s
		WHERE s.plan_id = ? AND s.period = ? AND NOT EXISTS (SELECT 1 FROM submissions n WHERE n.supersedes = s.id)`, planID, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]curReturn{}
	for rows.Next() {
		var c curReturn
		var dept string
		if err := rows.Scan(&c.id, &dept, &c.sha); err != nil {
			return nil, err
		}
		out[dept] = c
	}
	return out, rows.Err()
}

func periodCode(p plan.Period) string {
	if p == (plan.Period{}) {
		return ""
	}
	return p.String()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(TimeFormat)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
