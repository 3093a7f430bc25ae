package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Check runs SQLite's own integrity and foreign-key checks and the store's
// invariants, and returns every problem found, in Chinese; none means sound.
// An error means the check itself could not run.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, s.fail(err)
	}
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return nil, s.fail(err)
		}
		if msg != "ok" {
			problems = append(problems, "SQLite 完整性检查："+msg)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fail(err)
	}
	fk, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, s.fail(err)
	}
	for fk.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var idx int
		if err := fk.Scan(&table, &rowid, &parent, &idx); err != nil {
			fk.Close()
			return nil, s.fail(err)
		}
		problems = append(problems, fmt.Sprintf("表 %s 第 %d 行引用的 %s 记录不存在", table, rowid.Int64, parent))
	}
	fk.Close()
	if err := fk.Err(); err != nil {
		return nil, s.fail(err)
	}
	v, err := s.userVersion(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if v != Version() {
		problems = append(problems, fmt.Sprintf("数据库结构为第 %d 版，应为第 %d 版", v, Version()))
	}
	for _, inv := range invariants {
		rows, err := s.db.QueryContext(ctx, inv.query)
		if err != nil {
			return nil, s.fail(err)
		}
		for rows.Next() {
			var a, b any
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, s.fail(err)
			}
			problems = append(problems, fmt.Sprintf(inv.msg, a, b))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.fail(err)
		}
	}
	if v >= 4 {
		defs, err := s.checkDefinitions(ctx)
		if err != nil {
			return nil, err
		}
		problems = append(problems, defs...)
	}
	return problems, nil
}

// invariants are what the store's own writing guarantees; each query
// returns two columns for its message, one row a violation.
var invariants = []struct {
	query, msg string
}{
	{`SELECT s.id, f.id FROM submissions s JOIN files f ON f.id = s.file_id
		WHERE f.run_id <> s.run_id OR f.verdict <> 'accepted' OR f.sha256 <> s.sha256 OR f.dept <> s.dept`,
		"报送 %v 与其文件 %v 不符（批次、结论、SHA-256 或部门不同）"},
	{`SELECT s.id, o.id FROM submissions s JOIN submissions o ON o.id = s.supersedes
		WHERE o.id >= s.id OR o.plan_id <> s.plan_id OR o.period <> s.period OR o.dept <> s.dept`,
		"报送 %v 更正的报送 %v 不是同一部门同一期更早的报送"},
	{`SELECT plan_id || ' ' || period || ' ' || dept, count(*) FROM returns WHERE current
		GROUP BY plan_id, period, dept HAVING count(*) > 1`,
		"%v 有 %v 份当前报送，应只有一份"},
	{`SELECT r.id, r.period FROM runs r JOIN submissions s ON s.run_id = r.id WHERE s.period <> r.period OR s.plan_id <> r.plan_id`,
		"批次 %v 中有不属于报告期 %v 的报送"},
	{`SELECT r.id, r.errors || '/' || r.warnings || '/' || r.infos FROM runs r
		WHERE r.errors <> (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'error')
		   OR r.warnings <> (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'warning')
		   OR r.infos <> (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity NOT IN ('error', 'warning'))`,
		"批次 %v 记下的错误/警告/提示数 %v 与问题记录不符"},
	{`SELECT r.id, r.submitted FROM runs r
		WHERE r.kind = 'collect' AND (r.submitted > r.expected OR r.submitted <> (SELECT count(DISTINCT f.dept) FROM files f WHERE f.run_id = r.id AND f.verdict = 'accepted' AND f.unit = 'dept'))`,
		"批次 %v 记下的已报送部门数 %v 与采用的文件不符"},
	{`SELECT s.id, count(v.target) FROM submissions s LEFT JOIN target_values v ON v.submission_id = s.id
		GROUP BY s.id HAVING count(v.target) = 0`,
		"报送 %v 没有任何数值记录（%v 条）"},
}

// Pruned says what Prune removed (or would remove).
type Pruned struct {
	Runs     int   `json:"runs"`
	Files    int   `json:"files"`
	Findings int   `json:"findings"`
	RunIDs   []int `json:"run_ids"`
}

// pruneable are the runs that added no return and are not the latest run of
// their period: collecting the same folder again records only this.
const pruneable = `SELECT r.id FROM runs r
	WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.run_id = r.id)
	  AND r.id <> (SELECT max(l.id) FROM runs l WHERE l.plan_id = r.plan_id AND l.period = r.period)
	ORDER BY r.id`

// Prune removes the runs that added no return, except the latest run of
// each period, with their file and finding records; every return, value
// and the latest findings of each period stay. With dryRun it only counts.
// The file is then compacted (VACUUM).
func (s *Store) Prune(ctx context.Context, dryRun bool) (Pruned, error) {
	var out Pruned
	count := func(q querier) error {
		out = Pruned{}
		return s.scanIDs(ctx, q, &out)
	}
	if dryRun {
		return out, count(s.db)
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		if err := count(tx); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM findings WHERE run_id IN (` + pruneable + `)`,
			`DELETE FROM files WHERE run_id IN (` + pruneable + `)`,
			`DELETE FROM runs WHERE id IN (` + pruneable + `)`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if out.Runs > 0 {
		if _, err := s.db.ExecContext(ctx, "VACUUM"); err != nil {
			return out, s.fail(err)
		}
	}
	return out, nil
}

type rowsQuerier interface {
	querier
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) scanIDs(ctx context.Context, q querier, out *Pruned) error {
	rq, ok := q.(rowsQuerier)
	if !ok {
		return fmt.Errorf("internal: querier cannot list rows")
	}
	rows, err := rq.QueryContext(ctx, pruneable)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		out.RunIDs = append(out.RunIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	out.Runs = len(out.RunIDs)
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM files WHERE run_id IN (`+pruneable+`)`).Scan(&out.Files); err != nil {
		return err
	}
	return q.QueryRowContext(ctx, `SELECT count(*) FROM findings WHERE run_id IN (`+pruneable+`)`).Scan(&out.Findings)
}
