package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"planrep/plan"
)

// PlanFile identifies a registry file: its bytes by SHA-256 and size, and
// its status on disk when it was read (Stat), so that an unchanged file is
// known again without hashing it. A synthetic registry of 460,000 targets
// is 208 MB, and hashing it takes longer than everything else `history
// target` does.
type PlanFile struct {
	SHA256 string
	Size   int64
	// Stat is the file's device, inode, size, mtime and ctime when read, ""
	// when they are unknown or changed while the file was read. Any write
	// to the file changes its ctime; a copy has another inode.
	Stat string
}

// Registry is a recorded registry, as the history commands need it.
type Registry struct {
	ID     int64
	PlanID string
	Title  string
}

// Definition is a target as a recorded registry defines it, without the
// registry: every field of plan.Target that says what is measured and how it
// is judged, under plan.Target's JSON names, so that the stored JSON decodes
// into a plan.Target. The narrative (chapter, task, quote) and the 区县
// split stay in the registry's JSON only.
type Definition struct {
	ID         string             `json:"id"`
	Indicator  string             `json:"indicator"`
	Kind       plan.Kind          `json:"kind"`
	Value      *float64           `json:"value,omitempty"`
	Unit       string             `json:"unit,omitempty"`
	Comparator plan.Comparator    `json:"comparator,omitempty"`
	Qualifiers []string           `json:"qualifiers,omitempty"`
	Binding    bool               `json:"binding,omitempty"`
	Baseline   *plan.Baseline     `json:"baseline,omitempty"`
	Schedule   map[string]float64 `json:"schedule,omitempty"`
	Due        string             `json:"due,omitempty"`
	Lead       string             `json:"lead"`
}

func definitionOf(t *plan.Target) Definition {
	return Definition{ID: t.ID, Indicator: t.Indicator, Kind: t.Kind, Value: t.Value, Unit: t.Unit, Comparator: t.Comparator,
		Qualifiers: t.Qualifiers, Binding: t.Binding, Baseline: t.Baseline, Schedule: t.Schedule, Due: t.Due, Lead: t.Lead}
}

// Target is the definition as a plan.Target (its narrative fields empty).
func (d Definition) Target() plan.Target {
	return plan.Target{ID: d.ID, Indicator: d.Indicator, Kind: d.Kind, Value: d.Value, Unit: d.Unit, Comparator: d.Comparator,
		Qualifiers: d.Qualifiers, Binding: d.Binding, Baseline: d.Baseline, Schedule: d.Schedule, Due: d.Due, Lead: d.Lead}
}

// defRow is one row of registry_targets.
type defRow struct {
	target, lead, leadShort, definition string
}

// definitionRows are the registry_targets rows of p, by target id: the first
// target of an id, as plan.Plan.Target finds it.
func definitionRows(p *plan.Plan) (map[string]defRow, []string, error) {
	short := make(map[string]string, len(p.Depts))
	for _, d := range p.Depts {
		if _, dup := short[d.Code]; !dup {
			short[d.Code] = d.Short
		}
	}
	rows := make(map[string]defRow, len(p.Targets))
	order := make([]string, 0, len(p.Targets))
	for i := range p.Targets {
		t := &p.Targets[i]
		if _, dup := rows[t.ID]; dup {
			continue
		}
		b, err := json.Marshal(definitionOf(t))
		if err != nil {
			return nil, nil, err
		}
		rows[t.ID] = defRow{target: t.ID, lead: t.Lead, leadShort: short[t.Lead], definition: string(b)}
		order = append(order, t.ID)
	}
	return rows, order, nil
}

// headOf is p without its targets, as JSON.
func headOf(p *plan.Plan) (string, error) {
	h := *p
	h.Targets = nil
	b, err := json.Marshal(&h)
	return string(b), err
}

// writeDefinitions fills the head and the target definitions of registry id from p.
func writeDefinitions(ctx context.Context, tx *sql.Tx, id int64, p *plan.Plan) error {
	head, err := headOf(p)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE registries SET head = ? WHERE id = ?`, head, id); err != nil {
		return err
	}
	rows, order, err := definitionRows(p)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO registry_targets (registry_id, target, lead, lead_short, definition) VALUES (?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, tid := range order {
		r := rows[tid]
		if _, err := stmt.ExecContext(ctx, id, r.target, r.lead, r.leadShort, r.definition); err != nil {
			return err
		}
	}
	return nil
}

// fillDefinitions fills the head and definitions of every registry that has
// none yet (those recorded before migration 4, or imported from an export
// made before it), from the registry's JSON.
func fillDefinitions(ctx context.Context, tx *sql.Tx) error {
	ids, err := registryIDs(ctx, tx, `SELECT id FROM registries WHERE head = '' ORDER BY id`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p, err := registryPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := writeDefinitions(ctx, tx, id, p); err != nil {
			return err
		}
	}
	return nil
}

func registryIDs(ctx context.Context, q rowsQuerier, query string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// registryPlan decodes the JSON of registry id.
func registryPlan(ctx context.Context, q querier, id int64) (*plan.Plan, error) {
	var js string
	if err := q.QueryRowContext(ctx, `SELECT registry FROM registries WHERE id = ?`, id).Scan(&js); err != nil {
		return nil, err
	}
	var p plan.Plan
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		return nil, fmt.Errorf("登记表 %d 的 JSON 无法解析：%v", id, err)
	}
	return &p, nil
}

// recordPlanFile notes that registry id was read from the file f.
func recordPlanFile(ctx context.Context, tx *sql.Tx, id int64, f *PlanFile, at string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_files (registry_id, sha256, size, stat, recorded_at) VALUES (?,?,?,?,?)
		ON CONFLICT (sha256, size, stat, registry_id) DO NOTHING`, id, f.SHA256, f.Size, f.Stat, at)
	return err
}

// RegistryByStat finds the registry last recorded from a file whose status
// on disk is stat (PlanFile.Stat): the file has not been written since.
func (s *Store) RegistryByStat(ctx context.Context, stat string) (Registry, bool, error) {
	if stat == "" {
		return Registry{}, false, nil
	}
	return s.registryBy(ctx, `f.stat = ?`, stat)
}

// RegistryByContent finds the registry last recorded from a file of these bytes.
func (s *Store) RegistryByContent(ctx context.Context, sha256 string, size int64) (Registry, bool, error) {
	return s.registryBy(ctx, `f.sha256 = ? AND f.size = ?`, sha256, size)
}

func (s *Store) registryBy(ctx context.Context, where string, args ...any) (Registry, bool, error) {
	var r Registry
	err := s.db.QueryRowContext(ctx, `SELECT r.id, r.plan_id, r.title FROM plan_files f JOIN registries r ON r.id = f.registry_id
		WHERE `+where+` ORDER BY f.id DESC LIMIT 1`, args...).Scan(&r.ID, &r.PlanID, &r.Title)
	if err == sql.ErrNoRows {
		return Registry{}, false, nil
	}
	if err != nil {
		return Registry{}, false, s.fail(err)
	}
	return r, true, nil
}

// TargetDefinition gives a target of a recorded registry and its lead
// department's short name, without decoding the registry.
func (s *Store) TargetDefinition(ctx context.Context, registryID int64, target string) (plan.Target, string, bool, error) {
	var js, short string
	err := s.db.QueryRowContext(ctx, `SELECT definition, lead_short FROM registry_targets WHERE registry_id = ? AND target = ?`,
		registryID, target).Scan(&js, &short)
	if err == sql.ErrNoRows {
		return plan.Target{}, "", false, nil
	}
	if err != nil {
		return plan.Target{}, "", false, s.fail(err)
	}
	var d Definition
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		return plan.Target{}, "", false, fmt.Errorf("数据库中登记表 %d 的指标 %s 的定义无法解析：%v。请运行 planrep db check", registryID, target, err)
	}
	return d.Target(), short, true, nil
}

// Head gives a recorded registry without its targets: its metadata,
// departments and 区县.
func (s *Store) Head(ctx context.Context, registryID int64) (*plan.Plan, error) {
	var js string
	if err := s.db.QueryRowContext(ctx, `SELECT head FROM registries WHERE id = ?`, registryID).Scan(&js); err != nil {
		return nil, s.fail(err)
	}
	var p plan.Plan
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		return nil, fmt.Errorf("数据库中登记表 %d 的基本信息无法解析：%v。请运行 planrep db check", registryID, err)
	}
	return &p, nil
}

// checkDefinitions compares each registry's head and target definitions
// with its JSON, and returns every disagreement.
func (s *Store) checkDefinitions(ctx context.Context) ([]string, error) {
	ids, err := registryIDs(ctx, s.db, `SELECT id FROM registries ORDER BY id`)
	if err != nil {
		return nil, s.fail(err)
	}
	var problems []string
	for _, id := range ids {
		p, err := registryPlan(ctx, s.db, id)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		var head string
		if err := s.db.QueryRowContext(ctx, `SELECT head FROM registries WHERE id = ?`, id).Scan(&head); err != nil {
			return nil, s.fail(err)
		}
		if want, err := headOf(p); err != nil {
			return nil, err
		} else if head != want {
			problems = append(problems, fmt.Sprintf("登记表 %d 的基本信息（head）与登记表 JSON 不符", id))
		}
		want, _, err := definitionRows(p)
		if err != nil {
			return nil, err
		}
		rows, err := s.db.QueryContext(ctx, `SELECT target, lead, lead_short, definition FROM registry_targets WHERE registry_id = ? ORDER BY target`, id)
		if err != nil {
			return nil, s.fail(err)
		}
		var bad []string
		have := make(map[string]bool, len(want))
		for rows.Next() {
			var r defRow
			if err := rows.Scan(&r.target, &r.lead, &r.leadShort, &r.definition); err != nil {
				rows.Close()
				return nil, s.fail(err)
			}
			have[r.target] = true
			w, ok := want[r.target]
			switch {
			case !ok:
				bad = append(bad, r.target+"（登记表中没有）")
			case w != r:
				bad = append(bad, r.target)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.fail(err)
		}
		var missing []string
		for tid := range want {
			if !have[tid] {
				missing = append(missing, tid)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			problems = append(problems, fmt.Sprintf("登记表 %d 有 %d 个指标没有定义记录（%s）", id, len(missing), listSome(missing)))
		}
		if len(bad) > 0 {
			problems = append(problems, fmt.Sprintf("登记表 %d 有 %d 个指标的定义记录与登记表 JSON 不符（%s）", id, len(bad), listSome(bad)))
		}
	}
	return problems, nil
}

// listSome joins the first few items of a list for a message.
func listSome(items []string) string {
	const most = 5
	if len(items) <= most {
		return strings.Join(items, "、")
	}
	return strings.Join(items[:most], "、") + "等"
}
