package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migration moves the schema one version up.
type migration struct {
	name string // what it adds, for `db check` and errors
	sql  string // one or more statements, run in one transaction
	// fill, when set, runs after sql in the same transaction: what SQL
	// alone cannot back-fill (it reads JSON with Go's decoder).
	fill func(ctx context.Context, tx *sql.Tx) error
}

// migrations is the schema, in order: version N is the first N entries
// applied. Append at the end; never edit or reorder an entry that has shipped.
var migrations = []migration{
	{"年度数据：登记表、收集批次、文件、报送、数值、问题", schemaYear, nil},
	{"网上报送：报送链接、审核台登录、上传文件、审核记录、操作日志", schemaIntake, nil},
	{"填报单位类别：部门或区县", schemaUnits, nil},
	{"登记表的指标定义和计划文件标识", schemaDefinitions, fillDefinitions},
}

// Version is the schema version this planrep writes.
func Version() int { return len(migrations) }

const schemaYear = `
CREATE TABLE registries (
	id          INTEGER PRIMARY KEY,
	plan_id     TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	title       TEXT NOT NULL,
	year        INTEGER NOT NULL,
	targets     INTEGER NOT NULL,
	registry    TEXT NOT NULL,          -- the registry as JSON
	recorded_at TEXT NOT NULL,
	UNIQUE (plan_id, fingerprint)
);

CREATE TABLE runs (
	id                INTEGER PRIMARY KEY,
	registry_id       INTEGER NOT NULL REFERENCES registries(id),
	plan_id           TEXT NOT NULL,
	period            TEXT NOT NULL,    -- 2025Q3, 2025H1, 2025M09, 2025
	period_end        INTEGER NOT NULL, -- year*100 + last month: orders periods
	kind              TEXT NOT NULL,    -- collect, serve, import
	started_at        TEXT NOT NULL,    -- RFC 3339
	finished_at       TEXT NOT NULL,
	command           TEXT NOT NULL,
	inputs            TEXT NOT NULL,    -- JSON list of the inputs given
	deadline          TEXT NOT NULL,
	expected          INTEGER NOT NULL, -- departments expected to report
	submitted         INTEGER NOT NULL,
	on_time           INTEGER NOT NULL,
	errors            INTEGER NOT NULL,
	warnings          INTEGER NOT NULL,
	infos             INTEGER NOT NULL
);
CREATE INDEX runs_period ON runs (plan_id, period_end);

CREATE TABLE files (
	id      INTEGER PRIMARY KEY,
	run_id  INTEGER NOT NULL REFERENCES runs(id),
	path    TEXT NOT NULL,              -- as found: a path, or zip path!member
	archive TEXT NOT NULL,              -- the zip it came from, '' for a plain file
	member  TEXT NOT NULL,              -- its name inside the zip
	size    INTEGER NOT NULL,
	sha256  TEXT NOT NULL,
	mtime   TEXT NOT NULL,
	dept    TEXT NOT NULL,              -- as stamped, '' when not a template
	period  TEXT NOT NULL,
	verdict TEXT NOT NULL,              -- accepted, rejected, superseded, skipped
	reason  TEXT NOT NULL,
	filler  TEXT NOT NULL,              -- 填报人
	phone   TEXT NOT NULL,              -- 联系电话
	filled  TEXT NOT NULL               -- 填报日期
);
CREATE INDEX files_run ON files (run_id);
CREATE INDEX files_dept ON files (dept);

CREATE TABLE submissions (
	id          INTEGER PRIMARY KEY,
	run_id      INTEGER NOT NULL REFERENCES runs(id),
	file_id     INTEGER NOT NULL REFERENCES files(id),
	plan_id     TEXT NOT NULL,
	period      TEXT NOT NULL,
	period_end  INTEGER NOT NULL,
	dept        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	filled      TEXT NOT NULL,
	on_time     INTEGER,                -- 1, 0, or NULL when unknown
	received_at TEXT NOT NULL,          -- the run that first accepted it
	supersedes  INTEGER UNIQUE REFERENCES submissions(id)
);
CREATE INDEX submissions_period ON submissions (plan_id, period_end, dept);

CREATE TABLE target_values (
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	target        TEXT NOT NULL,
	raw           TEXT NOT NULL,        -- the cell as left
	value         REAL,                 -- as parsed
	milestone     TEXT NOT NULL,
	status        TEXT NOT NULL,
	progress      REAL,
	expected      REAL NOT NULL,
	explanation   TEXT NOT NULL,
	note          TEXT NOT NULL,        -- 进展情况
	problems      TEXT NOT NULL,        -- 存在问题
	next_steps    TEXT NOT NULL,        -- 下步措施
	sheet         TEXT NOT NULL,
	cell          TEXT NOT NULL,
	PRIMARY KEY (submission_id, target)
) WITHOUT ROWID;
CREATE INDEX target_values_target ON target_values (target);

CREATE TABLE findings (
	run_id   INTEGER NOT NULL REFERENCES runs(id),
	seq      INTEGER NOT NULL,          -- order in round.json
	code     TEXT NOT NULL,
	severity TEXT NOT NULL,
	file     TEXT NOT NULL,
	dept     TEXT NOT NULL,
	sheet    TEXT NOT NULL,
	cell     TEXT NOT NULL,
	target   TEXT NOT NULL,
	message  TEXT NOT NULL,
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE VIEW returns AS
SELECT s.id AS id, s.plan_id, s.period, s.dept, f.path AS file, s.sha256, s.filled, s.on_time,
       s.received_at, s.run_id, s.supersedes,
       n.id AS superseded_by, n.id IS NULL AS current
FROM submissions s
JOIN files f ON f.id = s.file_id
LEFT JOIN submissions n ON n.supersedes = s.id;

CREATE VIEW latest_values AS
SELECT s.plan_id, s.period, s.period_end, s.dept, v.target, v.raw, v.value, v.milestone, v.status,
       v.progress, v.expected, v.explanation, v.note, v.problems, v.next_steps,
       f.path AS file, v.sheet, v.cell, s.id AS return_id, s.received_at
FROM submissions s
JOIN target_values v ON v.submission_id = s.id
JOIN files f ON f.id = s.file_id
WHERE NOT EXISTS (SELECT 1 FROM submissions n WHERE n.supersedes = s.id);
`

// schemaUnits records which kind of unit a file, a return and a finding
// concern: a department or a 区县. Rows written before 区县 existed were
// all departments'; a finding naming no unit keeps ”.
const schemaUnits = `
ALTER TABLE files ADD COLUMN unit TEXT NOT NULL DEFAULT 'dept';       -- dept or district, as stamped ('' when not a template)
ALTER TABLE submissions ADD COLUMN unit TEXT NOT NULL DEFAULT 'dept'; -- dept or district
ALTER TABLE findings ADD COLUMN unit TEXT NOT NULL DEFAULT '';        -- the kind of the unit dept names
UPDATE files SET unit = '' WHERE dept = '';
UPDATE findings SET unit = 'dept' WHERE dept <> '';

DROP VIEW returns;
CREATE VIEW returns AS
SELECT s.id AS id, s.plan_id, s.period, s.dept, s.unit, f.path AS file, s.sha256, s.filled, s.on_time,
       s.received_at, s.run_id, s.supersedes,
       n.id AS superseded_by, n.id IS NULL AS current
FROM submissions s
JOIN files f ON f.id = s.file_id
LEFT JOIN submissions n ON n.supersedes = s.id;

DROP VIEW latest_values;
CREATE VIEW latest_values AS
SELECT s.plan_id, s.period, s.period_end, s.dept, s.unit, v.target, v.raw, v.value, v.milestone, v.status,
       v.progress, v.expected, v.explanation, v.note, v.problems, v.next_steps,
       f.path AS file, v.sheet, v.cell, s.id AS return_id, s.received_at
FROM submissions s
JOIN target_values v ON v.submission_id = s.id
JOIN files f ON f.id = s.file_id
WHERE NOT EXISTS (SELECT 1 FROM submissions n WHERE n.supersedes = s.id);
`

// schemaDefinitions keeps, beside each registry's JSON, what the history
// commands need without decoding it: the registry without its targets
// (head), each target's definition, and the plan files it was read from.
// A synthetic registry of 460,000 targets takes seconds to decode; one
// target's row takes a lookup. fillDefinitions back-fills registries
// recorded before.
const schemaDefinitions = `
ALTER TABLE registries ADD COLUMN head TEXT NOT NULL DEFAULT '';    -- the registry without its targets, as JSON

CREATE TABLE registry_targets (
	registry_id INTEGER NOT NULL REFERENCES registries(id),
	target      TEXT NOT NULL,
	lead        TEXT NOT NULL,          -- the lead department's code
	lead_short  TEXT NOT NULL,          -- its short name, '' when the roster lacks it
	definition  TEXT NOT NULL,          -- the target's defining fields as JSON (see Definition)
	PRIMARY KEY (registry_id, target)
) WITHOUT ROWID;

CREATE TABLE plan_files (
	id          INTEGER PRIMARY KEY,
	registry_id INTEGER NOT NULL REFERENCES registries(id),
	sha256      TEXT NOT NULL,          -- of the file's bytes
	size        INTEGER NOT NULL,
	stat        TEXT NOT NULL,          -- device, inode, mtime and ctime when read; '' when unknown
	recorded_at TEXT NOT NULL,
	UNIQUE (sha256, size, stat, registry_id)
);
CREATE INDEX plan_files_stat ON plan_files (stat);
`

// migrateTo brings the schema up to version n (Version when a store is
// opened; tests make older stores with it), one migration a transaction,
// and refuses a store written by a newer planrep without touching it.
func (s *Store) migrateTo(ctx context.Context, n int) error {
	v, err := s.userVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if err := s.newer(v); err != nil {
		return err
	}
	if v == 0 {
		// A SQLite database of another program: never write into it.
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
			return s.fail(err)
		}
		if n > 0 {
			return &Error{Path: s.path, Kind: NotStore,
				Msg: fmt.Sprintf("%s 是其他程序的 SQLite 数据库，不是 planrep 数据库：请用 --db 指定 planrep 的数据库文件，本程序不会改动它", s.path)}
		}
	}
	// WAL lets readers (history, the server's pages) go on while a run is
	// recorded; the setting is kept in the file.
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return s.fail(err)
	}
	for v < n {
		err := s.Write(ctx, func(tx *sql.Tx) error {
			cur, err := s.userVersion(ctx, tx) // another process may have migrated meanwhile
			if err != nil {
				return err
			}
			if err := s.newer(cur); err != nil {
				return err
			}
			if cur != v {
				v = cur
				return nil
			}
			m := migrations[v]
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("升级数据库结构到第 %d 版（%s）失败：%w", v+1, m.name, err)
			}
			if m.fill != nil {
				if err := m.fill(ctx, tx); err != nil {
					return fmt.Errorf("升级数据库结构到第 %d 版（%s）失败：%w", v+1, m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
				return err
			}
			v++
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, s.fail(err)
	}
	return v, nil
}

func (s *Store) newer(v int) error {
	if v > len(migrations) {
		return &Error{Path: s.path, Kind: Newer,
			Msg: fmt.Sprintf("数据库 %s 由更新版本的 planrep 写入（数据库结构第 %d 版），本程序只支持到第 %d 版：请升级 planrep 后再使用该数据库，本程序不会改动它", s.path, v, len(migrations))}
	}
	return nil
}
