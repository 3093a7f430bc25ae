package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"planrep/plan"
)

// The web intake's rows: the units' secret links, the office's login and
// sessions, every file a unit handed in with its verdict, the office's
// review actions and the audit log of every request that changed something.
// They are kept beside the collect runs, append-only like them.

// Review actions, as stored.
const (
	ReviewApprove = "approve" // 审核通过
	ReviewReturn  = "return"  // 退回, with a reason the unit sees
	ReviewRevoke  = "revoke"  // 撤销: the last approval or return no longer stands
)

// ReviewLabel is an action's (or a state's) Chinese name; "" is 待审核.
func ReviewLabel(action string) string {
	switch action {
	case ReviewApprove:
		return "审核通过"
	case ReviewReturn:
		return "已退回"
	case ReviewRevoke:
		return "已撤销审核"
	}
	return "待审核"
}

// Submission is one file a unit handed in through its link, with the
// verdict collect's code gave it.
type Submission struct {
	ID       int64
	Period   string // canonical, e.g. 2025Q3
	Unit     string // the unit's code
	Seq      int    // 1 for the unit's first submission of the period, then 2, 3 …
	At       time.Time
	Name     string // the upload's file name, for display only (never a path)
	Size     int64
	SHA256   string
	Verdict  string // plan.Accepted or plan.Rejected
	Reason   string // why it was rejected
	Errors   int
	Warnings int
	Infos    int
	Filled   string // 填报日期, YYYY-MM-DD, when the return says
	Filler   string
	Phone    string
	Addr     string              // the address it came from
	Findings []plan.Finding      // this file's findings, File set to Name
	Values   []plan.TargetResult // the unit's targets as read, for what changed
}

// Review is one review action on a submission.
type Review struct {
	ID         int64
	Submission int64
	Period     string
	Unit       string
	Action     string // ReviewApprove, ReviewReturn, ReviewRevoke
	Reason     string // for a return: what the unit is told
	By         string // who acted
	At         time.Time
}

// AuditEntry is one request that changed something.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // "unit:CODE", "admin:NAME", "cli:NAME"
	Action string // upload, login, logout, approve, return, revoke, write-round, token, password …
	Unit   string // the unit concerned, if any
	SHA256 string // the file concerned, if any
	Addr   string // the client's address ("" from the command line)
	Detail string
}

// Session is a logged-in office user; the cookie carries the id, the store
// only its SHA-256.
type Session struct {
	IDHash  string
	User    string
	CSRF    string
	Created time.Time
	Expires time.Time
}

// UnitToken is a unit's secret link token.
type UnitToken struct {
	Unit    string
	Token   string
	Created time.Time
}

// schemaIntake holds the web intake's tables (migration 2). Uploads, files,
// reviews and the audit log are append-only; a unit's current token is its
// latest, the desk's password the latest set; only sessions are deleted (at
// logout).
const schemaIntake = `
CREATE TABLE unit_tokens (
	id         INTEGER PRIMARY KEY,
	unit       TEXT NOT NULL,           -- the unit's code
	token      TEXT NOT NULL UNIQUE,    -- the secret of its link; the latest row of a unit is current
	created_at TEXT NOT NULL
);
CREATE INDEX unit_tokens_unit ON unit_tokens (unit, id);

CREATE TABLE admin_passwords (
	id     INTEGER PRIMARY KEY,
	hash   TEXT NOT NULL,               -- bcrypt; the latest row is current
	set_at TEXT NOT NULL
);

CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,        -- SHA-256 of the cookie's value
	user       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE upload_files (
	sha256 TEXT PRIMARY KEY,
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE uploads (
	id          INTEGER PRIMARY KEY,
	plan_id     TEXT NOT NULL,
	period      TEXT NOT NULL,
	unit        TEXT NOT NULL,
	seq         INTEGER NOT NULL,       -- 1 for the unit's first upload of the period
	received_at TEXT NOT NULL,
	name        TEXT NOT NULL,          -- the upload's file name, shown only
	size        INTEGER NOT NULL,
	sha256      TEXT NOT NULL REFERENCES upload_files(sha256),
	verdict     TEXT NOT NULL,          -- accepted, rejected
	reason      TEXT NOT NULL,
	errors      INTEGER NOT NULL,
	warnings    INTEGER NOT NULL,
	infos       INTEGER NOT NULL,
	filled      TEXT NOT NULL,          -- 填报日期
	filler      TEXT NOT NULL,
	phone       TEXT NOT NULL,
	addr        TEXT NOT NULL,          -- the client's address
	findings    TEXT NOT NULL,          -- JSON list of the file's findings
	values_read TEXT NOT NULL,          -- JSON list of the unit's targets as read
	UNIQUE (plan_id, period, unit, seq)
);

CREATE TABLE reviews (
	id        INTEGER PRIMARY KEY,
	upload_id INTEGER NOT NULL REFERENCES uploads(id),
	plan_id   TEXT NOT NULL,
	period    TEXT NOT NULL,
	unit      TEXT NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('approve', 'return', 'revoke')),
	reason    TEXT NOT NULL,
	by_whom   TEXT NOT NULL,
	at        TEXT NOT NULL
);
CREATE INDEX reviews_period ON reviews (plan_id, period, id);

CREATE TABLE audit (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,               -- unit:CODE, admin:NAME, cli:NAME
	action TEXT NOT NULL,
	unit   TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	addr   TEXT NOT NULL,
	detail TEXT NOT NULL
);
`

// Intake is the web intake's view of the store for one plan: what
// planrep serve and planrep review read and write.
type Intake struct {
	s      *Store
	planID string
	mu     sync.Mutex // one writer in this process: SQLite takes one anyway
}

// Intake returns the intake's rows of plan planID.
func (s *Store) Intake(planID string) *Intake { return &Intake{s: s, planID: planID} }

// DB is the store's database, for reads (tests, other tools).
func (in *Intake) DB() *sql.DB { return in.s.db }

// intakeTime is how the intake keeps times: to the nanosecond, so that the
// order of two uploads in one second is kept.
const intakeTime = time.RFC3339Nano

func parseTime(s string) time.Time {
	t, _ := time.Parse(intakeTime, s)
	return t
}

func (in *Intake) write(fn func(tx *sql.Tx) error) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.s.Write(context.Background(), fn)
}

// UnitTokens returns each unit's current token.
func (in *Intake) UnitTokens() ([]UnitToken, error) {
	rows, err := in.s.db.Query(`SELECT unit, token, created_at FROM unit_tokens t
		WHERE id = (SELECT max(id) FROM unit_tokens u WHERE u.unit = t.unit) ORDER BY unit`)
	if err != nil {
		return nil, in.s.fail(err)
	}
	defer rows.Close()
	var out []UnitToken
	for rows.Next() {
		var t UnitToken
		var at string
		if err := rows.Scan(&t.Unit, &t.Token, &at); err != nil {
			return nil, in.s.fail(err)
		}
		t.Created = parseTime(at)
		out = append(out, t)
	}
	return out, in.s.fail(rows.Err())
}

// SetUnitToken makes t its unit's current token; the unit's earlier ones
// stop working.
func (in *Intake) SetUnitToken(t UnitToken) error {
	return in.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO unit_tokens (unit, token, created_at) VALUES (?, ?, ?)`, t.Unit, t.Token, t.Created.Format(intakeTime))
		return err
	})
}

// AdminPassword returns the desk's current password hash, "" when none is set.
func (in *Intake) AdminPassword() (string, error) {
	var h string
	err := in.s.db.QueryRow(`SELECT hash FROM admin_passwords ORDER BY id DESC LIMIT 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h, in.s.fail(err)
}

// SetAdminPassword sets the desk's password hash; every session ends.
func (in *Intake) SetAdminPassword(hash string, at time.Time) error {
	return in.write(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO admin_passwords (hash, set_at) VALUES (?, ?)`, hash, at.Format(intakeTime)); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM sessions`)
		return err
	})
}

// AddSession records a login.
func (in *Intake) AddSession(s Session) error {
	return in.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO sessions (id_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.IDHash, s.User, s.Created.Format(intakeTime), s.Expires.Format(intakeTime))
		return err
	})
}

// Session finds a session by the hash of its id.
func (in *Intake) Session(idHash string) (Session, bool, error) {
	s := Session{IDHash: idHash}
	var c, e string
	err := in.s.db.QueryRow(`SELECT user, created_at, expires_at FROM sessions WHERE id_hash = ?`, idHash).Scan(&s.User, &c, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, in.s.fail(err)
	}
	s.Created, s.Expires = parseTime(c), parseTime(e)
	return s, true, nil
}

// DeleteSession ends a session.
func (in *Intake) DeleteSession(idHash string) error {
	return in.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE id_hash = ?`, idHash)
		return err
	})
}

// AddSubmission records an upload and its file in one transaction, giving
// it the unit's next sequence number of the period.
func (in *Intake) AddSubmission(sub *Submission, data []byte) error {
	fs, err := json.Marshal(nonNilList(sub.Findings))
	if err != nil {
		return err
	}
	vs, err := json.Marshal(nonNilList(sub.Values))
	if err != nil {
		return err
	}
	return in.write(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT OR IGNORE INTO upload_files (sha256, size, data) VALUES (?, ?, ?)`, sub.SHA256, len(data), data); err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRow(`SELECT coalesce(max(seq), 0) + 1 FROM uploads WHERE plan_id = ? AND period = ? AND unit = ?`,
			in.planID, sub.Period, sub.Unit).Scan(&seq); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO uploads (plan_id, period, unit, seq, received_at, name, size, sha256, verdict, reason,
			errors, warnings, infos, filled, filler, phone, addr, findings, values_read)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.planID, sub.Period, sub.Unit, seq, sub.At.Format(intakeTime), sub.Name, sub.Size, sub.SHA256, sub.Verdict, sub.Reason,
			sub.Errors, sub.Warnings, sub.Infos, sub.Filled, sub.Filler, sub.Phone, sub.Addr, string(fs), string(vs))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		sub.ID, sub.Seq = id, seq
		return nil
	})
}

func nonNilList[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

const uploadCols = `id, period, unit, seq, received_at, name, size, sha256, verdict, reason, errors, warnings, infos,
	filled, filler, phone, addr, findings, values_read`

func (in *Intake) uploads(where string, args ...any) ([]Submission, error) {
	rows, err := in.s.db.Query(`SELECT `+uploadCols+` FROM uploads WHERE plan_id = ? AND `+where+` ORDER BY unit, seq`,
		append([]any{in.planID}, args...)...)
	if err != nil {
		return nil, in.s.fail(err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var x Submission
		var at, fs, vs string
		if err := rows.Scan(&x.ID, &x.Period, &x.Unit, &x.Seq, &at, &x.Name, &x.Size, &x.SHA256, &x.Verdict, &x.Reason,
			&x.Errors, &x.Warnings, &x.Infos, &x.Filled, &x.Filler, &x.Phone, &x.Addr, &fs, &vs); err != nil {
			return nil, in.s.fail(err)
		}
		x.At = parseTime(at)
		if err := json.Unmarshal([]byte(fs), &x.Findings); err != nil {
			return nil, fmt.Errorf("数据库 %s 中第 %d 份上传的问题清单无法读取：%v", in.s.path, x.ID, err)
		}
		if err := json.Unmarshal([]byte(vs), &x.Values); err != nil {
			return nil, fmt.Errorf("数据库 %s 中第 %d 份上传的填报数据无法读取：%v", in.s.path, x.ID, err)
		}
		out = append(out, x)
	}
	return out, in.s.fail(rows.Err())
}

// Submissions returns every upload of the period, by unit, then sequence.
func (in *Intake) Submissions(period string) ([]Submission, error) {
	return in.uploads("period = ?", period)
}

// UnitSubmissions returns a unit's uploads of the period, in sequence.
func (in *Intake) UnitSubmissions(period, unit string) ([]Submission, error) {
	return in.uploads("period = ? AND unit = ?", period, unit)
}

// SubmissionData returns an upload's file.
func (in *Intake) SubmissionData(id int64) ([]byte, error) {
	var data []byte
	err := in.s.db.QueryRow(`SELECT f.data FROM uploads u JOIN upload_files f ON f.sha256 = u.sha256 WHERE u.id = ? AND u.plan_id = ?`,
		id, in.planID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("没有第 %d 份上传", id)
	}
	return data, in.s.fail(err)
}

// AddReview records a review action.
func (in *Intake) AddReview(r *Review) error {
	return in.write(func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO reviews (upload_id, plan_id, period, unit, action, reason, by_whom, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Submission, in.planID, r.Period, r.Unit, r.Action, r.Reason, r.By, r.At.Format(intakeTime))
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		return err
	})
}

// Reviews returns the period's review actions in the order they were taken.
func (in *Intake) Reviews(period string) ([]Review, error) {
	rows, err := in.s.db.Query(`SELECT id, upload_id, period, unit, action, reason, by_whom, at FROM reviews
		WHERE plan_id = ? AND period = ? ORDER BY id`, in.planID, period)
	if err != nil {
		return nil, in.s.fail(err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		var at string
		if err := rows.Scan(&r.ID, &r.Submission, &r.Period, &r.Unit, &r.Action, &r.Reason, &r.By, &at); err != nil {
			return nil, in.s.fail(err)
		}
		r.At = parseTime(at)
		out = append(out, r)
	}
	return out, in.s.fail(rows.Err())
}

// AddAudit appends to the audit log.
func (in *Intake) AddAudit(e AuditEntry) error {
	return in.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit (at, actor, action, unit, sha256, addr, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.At.Format(intakeTime), e.Actor, e.Action, e.Unit, e.SHA256, e.Addr, e.Detail)
		return err
	})
}

// Audit returns the audit log, oldest first.
func (in *Intake) Audit() ([]AuditEntry, error) {
	rows, err := in.s.db.Query(`SELECT id, at, actor, action, unit, sha256, addr, detail FROM audit ORDER BY id`)
	if err != nil {
		return nil, in.s.fail(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Unit, &e.SHA256, &e.Addr, &e.Detail); err != nil {
			return nil, in.s.fail(err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, in.s.fail(rows.Err())
}
