package store

import (
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
