package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"planrep/plan"
)

// RunInfo is one recorded run.
type RunInfo struct {
	ID        int64    `json:"id"`
	PlanID    string   `json:"plan_id"`
	Period    string   `json:"period"`
	Kind      string   `json:"kind"`
	Started   string   `json:"started"`
	Finished  string   `json:"finished"`
	Command   string   `json:"command"`
	Inputs    []string `json:"inputs"`
	Deadline  string   `json:"deadline,omitempty"`
	Expected  int      `json:"expected"`
	Submitted int      `json:"submitted"`
	OnTime    int      `json:"on_time"`
	Errors    int      `json:"errors"`
	Warnings  int      `json:"warnings"`
	Infos     int      `json:"infos"`
	Files     int      `json:"files"`
	Returns   int      `json:"returns"` // returns this run added (new or corrected)
}

// Runs lists the runs of a plan ("" for every plan), by period, then in the order recorded.
func (s *Store) Runs(ctx context.Context, planID string) ([]RunInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.plan_id, r.period, r.kind, r.started_at, r.finished_at, r.command, r.inputs,
		r.deadline, r.expected, r.submitted, r.on_time, r.errors, r.warnings, r.infos,
		(SELECT count(*) FROM files f WHERE f.run_id = r.id),
		(SELECT count(*) FROM submissions s WHERE s.run_id = r.id)
		FROM runs r WHERE ? = '' OR r.plan_id = ? ORDER BY r.plan_id, r.period_end, r.period, r.id`, planID, planID)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var r RunInfo
		var inputs string
		if err := rows.Scan(&r.ID, &r.PlanID, &r.Period, &r.Kind, &r.Started, &r.Finished, &r.Command, &inputs,
			&r.Deadline, &r.Expected, &r.Submitted, &r.OnTime, &r.Errors, &r.Warnings, &r.Infos, &r.Files, &r.Returns); err != nil {
			return nil, s.fail(err)
		}
		_ = json.Unmarshal([]byte(inputs), &r.Inputs)
		out = append(out, r)
	}
	return out, s.fail(rows.Err())
}

// Point is a target's accepted value for one period.
type Point struct {
	Period      string      `json:"period"`
	Dept        string      `json:"dept"`
	File        string      `json:"file"`
	Sheet       string      `json:"sheet,omitempty"`
	Cell        string      `json:"cell,omitempty"`
	Raw         string      `json:"raw,omitempty"`
	Value       *float64    `json:"value,omitempty"`
	Milestone   string      `json:"milestone,omitempty"`
	Status      plan.Status `json:"status"`
	Progress    *float64    `json:"progress,omitempty"`
	Expected    float64     `json:"expected"`
	Explanation string      `json:"explanation"`
	Note        string      `json:"note,omitempty"`
	Problems    string      `json:"problems,omitempty"`
	NextSteps   string      `json:"next_steps,omitempty"`
	ReturnID    int64       `json:"return_id"`
	Received    string      `json:"received"`
}

const pointCols = `period, dept, file, sheet, cell, raw, value, milestone, status, progress, expected, explanation,
	note, problems, next_steps, return_id, received_at`

func scanPoint(rows *sql.Rows) (Point, error) {
	var p Point
	var st string
	err := rows.Scan(&p.Period, &p.Dept, &p.File, &p.Sheet, &p.Cell, &p.Raw, &p.Value, &p.Milestone, &st, &p.Progress,
		&p.Expected, &p.Explanation, &p.Note, &p.Problems, &p.NextSteps, &p.ReturnID, &p.Received)
	p.Status = plan.Status(st)
	return p, err
}

// TargetYear gives a target's accepted value for each period of the plan
// that has one, earliest first.
func (s *Store) TargetYear(ctx context.Context, planID, target string) ([]Point, error) {
	// The view's rows for one target, from the target's index outwards: CROSS
	// JOIN keeps SQLite from starting at the plan's submissions instead,
	// which at 100,000 returns is a hundred times slower.
	rows, err := s.db.QueryContext(ctx, `SELECT s.period, s.dept, f.path, v.sheet, v.cell, v.raw, v.value, v.milestone,
		v.status, v.progress, v.expected, v.explanation, v.note, v.problems, v.next_steps, s.id, s.received_at
		FROM target_values v CROSS JOIN submissions s CROSS JOIN files f
		WHERE v.target = ? AND s.id = v.submission_id AND f.id = s.file_id AND s.plan_id = ?
		  AND NOT EXISTS (SELECT 1 FROM submissions n WHERE n.supersedes = s.id)
		ORDER BY s.period_end, s.period`, target, planID)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, s.fail(err)
		}
		out = append(out, p)
	}
	return out, s.fail(rows.Err())
}

// Values gives every accepted value of a period, by target.
func (s *Store) Values(ctx context.Context, planID, period string) (map[string]Point, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT target, `+pointCols+` FROM latest_values WHERE plan_id = ? AND period = ?`, planID, period)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	out := map[string]Point{}
	for rows.Next() {
		var id string
		var p Point
		var st string
		if err := rows.Scan(&id, &p.Period, &p.Dept, &p.File, &p.Sheet, &p.Cell, &p.Raw, &p.Value, &p.Milestone, &st, &p.Progress,
			&p.Expected, &p.Explanation, &p.Note, &p.Problems, &p.NextSteps, &p.ReturnID, &p.Received); err != nil {
			return nil, s.fail(err)
		}
		p.Status = plan.Status(st)
		out[id] = p
	}
	return out, s.fail(rows.Err())
}

// Prior is the latest accepted value of a target in an earlier period.
type Prior struct {
	Period string
	Value  float64
	File   string
	Cell   string
}

// Earlier gives, for each target, its accepted value in the latest period of
// the same year that ends before per and has a sound value for it (a value
// marked 数据有误 is passed over).
func (s *Store) Earlier(ctx context.Context, planID string, per plan.Period) (map[string]Prior, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT target, period, value, file, cell FROM latest_values
		WHERE plan_id = ? AND period_end >= ? AND period_end < ? AND value IS NOT NULL AND status <> ? AND unit = 'dept'
		ORDER BY period_end, period`, planID, per.Year*100, periodEnd(per), string(plan.Invalid))
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	out := map[string]Prior{}
	for rows.Next() {
		var id string
		var p Prior
		if err := rows.Scan(&id, &p.Period, &p.Value, &p.File, &p.Cell); err != nil {
			return nil, s.fail(err)
		}
		out[id] = p // later periods come later and win
	}
	return out, s.fail(rows.Err())
}

// Return is one return: a department's accepted file for a period, kept
// until a corrected one supersedes it.
type Return struct {
	ID           int64         `json:"id"`
	Period       string        `json:"period"`
	Dept         string        `json:"dept"`
	File         string        `json:"file"`
	SHA256       string        `json:"sha256"`
	Filled       string        `json:"filled,omitempty"`
	OnTime       *bool         `json:"on_time,omitempty"`
	Received     string        `json:"received"`
	RunID        int64         `json:"run_id"`
	Supersedes   int64         `json:"supersedes,omitempty"`
	SupersededBy int64         `json:"superseded_by,omitempty"`
	Changes      []plan.Change `json:"changes,omitempty"` // from the return it supersedes
}

// Current reports whether no later return supersedes this one.
func (r Return) Current() bool { return r.SupersededBy == 0 }

const returnCols = `id, period, dept, file, sha256, filled, on_time, received_at, run_id, coalesce(supersedes, 0), coalesce(superseded_by, 0)`

func scanReturn(rows *sql.Rows) (Return, error) {
	var r Return
	var on sql.NullBool
	err := rows.Scan(&r.ID, &r.Period, &r.Dept, &r.File, &r.SHA256, &r.Filled, &on, &r.Received, &r.RunID, &r.Supersedes, &r.SupersededBy)
	if on.Valid {
		r.OnTime = &on.Bool
	}
	return r, err
}

// CurrentReturns gives each department's current return for a period, with
// the values recorded from it.
func (s *Store) CurrentReturns(ctx context.Context, planID, period string) (map[string]ReturnValues, error) {
	rets, err := s.returns(ctx, `plan_id = ? AND period = ? AND current`, planID, period)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ReturnValues, len(rets))
	for _, r := range rets {
		vals, err := s.returnValues(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out[r.Dept] = ReturnValues{Return: r, Values: vals}
	}
	return out, nil
}

// ReturnValues is a return with the values read from it, by target.
type ReturnValues struct {
	Return
	Values map[string]plan.TargetResult
}

func (s *Store) returnValues(ctx context.Context, id int64) (map[string]plan.TargetResult, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.target, s.dept, v.raw, v.value, v.milestone, v.status, v.progress, v.expected,
		v.explanation, v.note, v.problems, v.next_steps, f.path, v.sheet, v.cell
		FROM target_values v JOIN submissions s ON s.id = v.submission_id JOIN files f ON f.id = s.file_id
		WHERE v.submission_id = ?`, id)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	out := map[string]plan.TargetResult{}
	for rows.Next() {
		var t plan.TargetResult
		var st string
		if err := rows.Scan(&t.ID, &t.Lead, &t.Raw, &t.Value, &t.Milestone, &st, &t.Progress, &t.Expected, &t.Explanation,
			&t.Note, &t.Problems, &t.NextSteps, &t.File, &t.Sheet, &t.Cell); err != nil {
			return nil, s.fail(err)
		}
		t.Status = plan.Status(st)
		out[t.ID] = t
	}
	return out, s.fail(rows.Err())
}

// FileSeen is one file a department sent, however many runs saw it.
type FileSeen struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Period    string `json:"period"`
	Filled    string `json:"filled,omitempty"`
	ModTime   string `json:"mtime,omitempty"`
	FirstSeen string `json:"first_seen"` // when a run first saw it
	Verdict   string `json:"verdict"`    // in the latest run that saw it
	Reason    string `json:"reason,omitempty"`
	Runs      int    `json:"runs"` // how many runs saw it
}

// DeptLog is a department's submission log.
type DeptLog struct {
	Dept    string     `json:"dept"`
	Files   []FileSeen `json:"files"`   // first seen first
	Returns []Return   `json:"returns"` // received first; each with its changes from the one it supersedes
}

// Log gives a department's submission log for a plan: every file stamped
// with its code, and every return with what changed from the one before.
func (s *Store) Log(ctx context.Context, planID, dept string) (*DeptLog, error) {
	log := &DeptLog{Dept: dept, Files: []FileSeen{}, Returns: []Return{}}
	rows, err := s.db.QueryContext(ctx, `SELECT f.path, f.sha256, f.size, f.period, f.filled, f.mtime,
		min(r.started_at), count(*),
		(SELECT g.verdict FROM files g WHERE g.path = f.path AND g.sha256 = f.sha256 AND g.dept = f.dept ORDER BY g.run_id DESC LIMIT 1),
		(SELECT g.reason FROM files g WHERE g.path = f.path AND g.sha256 = f.sha256 AND g.dept = f.dept ORDER BY g.run_id DESC LIMIT 1)
		FROM files f JOIN runs r ON r.id = f.run_id
		WHERE f.dept = ? AND r.plan_id = ?
		GROUP BY f.path, f.sha256
		ORDER BY min(r.id), f.path`, dept, planID)
	if err != nil {
		return nil, s.fail(err)
	}
	for rows.Next() {
		var f FileSeen
		if err := rows.Scan(&f.Path, &f.SHA256, &f.Size, &f.Period, &f.Filled, &f.ModTime, &f.FirstSeen, &f.Runs, &f.Verdict, &f.Reason); err != nil {
			rows.Close()
			return nil, s.fail(err)
		}
		log.Files = append(log.Files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fail(err)
	}
	if log.Returns, err = s.returns(ctx, `plan_id = ? AND dept = ? ORDER BY id`, planID, dept); err != nil {
		return nil, err
	}
	for i, r := range log.Returns {
		if r.Supersedes == 0 {
			continue
		}
		old, err := s.returnValues(ctx, r.Supersedes)
		if err != nil {
			return nil, err
		}
		cur, err := s.returnValues(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		log.Returns[i].Changes = plan.Diff(old, cur, sortedKeys(cur))
	}
	return log, nil
}

// PreviousReturns gives, for each department in accepted (department →
// SHA-256 of the file this run accepted for the period), the return that
// file corrects: the department's current return when the file is new to
// the store, or the return that the file's own return superseded when the
// store already has it as current. Departments with nothing earlier are left
// out. The answer is the same before and after RecordRound, so a feedback
// copy lists the same corrections however often a folder is collected.
func (s *Store) PreviousReturns(ctx context.Context, planID, period string, accepted map[string]string) (map[string]ReturnValues, error) {
	all, err := s.returns(ctx, `plan_id = ? AND period = ? ORDER BY id`, planID, period)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Return{}
	current := map[string]Return{}
	for _, r := range all {
		byID[r.ID] = r
		if r.Current() {
			current[r.Dept] = r
		}
	}
	out := map[string]ReturnValues{}
	for dept, sha := range accepted {
		cur, ok := current[dept]
		if !ok {
			continue
		}
		prev := cur
		if cur.SHA256 == sha {
			if cur.Supersedes == 0 {
				continue
			}
			prev = byID[cur.Supersedes]
		}
		vals, err := s.returnValues(ctx, prev.ID)
		if err != nil {
			return nil, err
		}
		out[dept] = ReturnValues{Return: prev, Values: vals}
	}
	return out, nil
}

// Periods lists the periods of a plan that have runs, earliest first.
func (s *Store) Periods(ctx context.Context, planID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT period FROM runs WHERE plan_id = ? GROUP BY period ORDER BY min(period_end), period`, planID)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, s.fail(err)
		}
		out = append(out, p)
	}
	return out, s.fail(rows.Err())
}

// Corrections lists the returns of a period that correct an earlier one,
// each with what changed, in the order received.
func (s *Store) Corrections(ctx context.Context, planID, period string) ([]Return, error) {
	out, err := s.returns(ctx, `plan_id = ? AND period = ? AND supersedes IS NOT NULL ORDER BY id`, planID, period)
	if err != nil {
		return nil, err
	}
	for i, r := range out {
		old, err := s.returnValues(ctx, r.Supersedes)
		if err != nil {
			return nil, err
		}
		cur, err := s.returnValues(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out[i].Changes = plan.Diff(old, cur, sortedKeys(cur))
	}
	return out, nil
}

// returns lists the returns that where (an SQL condition on the returns
// view, with its order) selects.
func (s *Store) returns(ctx context.Context, where string, args ...any) ([]Return, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+returnCols+` FROM returns WHERE `+where, args...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	var out []Return
	for rows.Next() {
		r, err := scanReturn(rows)
		if err != nil {
			return nil, s.fail(err)
		}
		out = append(out, r)
	}
	return out, s.fail(rows.Err())
}
