// Package workbook reads the returns departments send back: it finds them
// among files, folders and zip archives, tells the usual wrong files apart,
// identifies each return by its stamp, validates it against the registry and
// merges the accepted returns into a plan.Round with findings and feedback.
package workbook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"planrep/plan"
)

// DefaultMaxUnzipped is the decompressed-size limit of one return: a
// template is a few dozen KB, so 100 MiB leaves room and stops zip bombs.
const DefaultMaxUnzipped = 100 << 20

// Options tune a collection run.
type Options struct {
	// Period is the reporting period; nil takes the one most returns carry.
	Period *plan.Period
	// Earlier gives, for a period, each target's accepted value in the latest
	// earlier period of the year (from the store), for the period-over-period
	// checks V17–V19; nil, or a nil map, checks nothing. It is called once a
	// period, from any worker.
	Earlier func(plan.Period) map[string]Prior
	// Previous is the round before this one (--previous round.json), for
	// checking that cumulative values do not fall.
	Previous *plan.Round
	// Progress is called after each file is read; it may be nil.
	Progress func(done, total int)
	// StdXML reads every return with encoding/xml's token reader alone
	// instead of the reader's own tokenizer, for proving the two give the
	// same round (scripts/readerproof).
	StdXML bool
	// MaxUnzipped limits the decompressed size of each file; 0 means DefaultMaxUnzipped.
	MaxUnzipped int64
	// Exclude lists folders never read (the output folder, when it lies inside an input).
	Exclude []string
	// Workers is how many files are read at once; 0 means min(GOMAXPROCS, 4).
	Workers int
	// KeepsYear says the inputs hold the whole year's returns (a
	// workspace's inbox): a return of an earlier period is then skipped with
	// a note, not rejected as a wrong template.
	KeepsYear bool
}

// Feedback is one return that has findings: the department gets a copy with
// each finding marked.
type Feedback struct {
	Source   Source
	SHA256   string
	Dept     string
	Findings []plan.Finding
}

// Result is the outcome of a collection run.
type Result struct {
	Plan     *plan.Plan
	Round    *plan.Round
	Feedback []Feedback // sorted by source path
	// FeedbackWritten counts the feedback copies WriteOutputs wrote; a copy
	// that could not be made is a FileNoFeedback finding instead.
	FeedbackWritten int
	// Sources holds, by path, what the store keeps of each file beyond round.json.
	Sources map[string]SourceMeta
	// Corrections lists, by department, what each resent return changed
	// from the one it corrects; the caller fills it in from the store
	// before WriteOutputs.
	Corrections []Correction
}

// ErrNoPeriod says the period could not be told from the returns.
var ErrNoPeriod = errors.New("没有可识别的本计划填报表，无法确定报告期：请用 --period 指定，如 --period 2025Q3")

// NoPeriodError is ErrNoPeriod with every file read and why none could be
// identified as a return of this plan, so the office sees why first.
type NoPeriodError struct {
	Files []Unidentified // sorted by path
}

// Unidentified is a file that was not identified as a return, and why.
type Unidentified struct {
	Path   string
	Code   string // the finding code, when there is one (F…)
	Reason string
}

func (e *NoPeriodError) Error() string { return ErrNoPeriod.Error() }
func (e *NoPeriodError) Unwrap() error { return ErrNoPeriod }

// item is one source after it has been read.
type item struct {
	src     Source
	sha     string
	size    int64
	problem *fileProblem
	id      *ident   // what the stamp says, when the file is a template
	chk     *checked // the return validated, kept only while it is the best of its department and period
}

// ident is what identifies a return, kept for every file.
type ident struct {
	PlanID, Dept, Deadline string
	Unit                   plan.UnitKind // the kind of unit Dept names, as stamped
	Period                 plan.Period
	Filled                 time.Time
	Filler, Phone          string
	// RowsOf is the department whose targets make up most of the return's
	// rows when they are not the stamp's rows (an empty string otherwise):
	// RowsOfN of its RowsN target rows are that department's.
	RowsOf         string
	RowsOfN, RowsN int
}

// Collect finds every return in inputs, reads each once (a few at a time,
// never holding more than one workbook per worker), validates and merges
// them. Its error is reserved for inputs that do not exist or cannot be
// listed, and for a period that cannot be determined; everything wrong with a
// return is a finding. The result is the same whatever the order of inputs.
func Collect(p *plan.Plan, inputs []string, opt Options) (*Result, error) {
	if p == nil {
		return nil, errors.New("没有计划登记表")
	}
	return collect(func() *index { return newIndex(p) }, inputs, opt)
}

// Collector collects against one registry that it indexes once: a server
// that judges uploads one at a time reuses it for every upload instead of
// hashing and indexing the registry again for each. It is safe for
// concurrent use; the plan must not change while it is in use.
type Collector struct{ ix *index }

// NewCollector indexes p for Collect.
func NewCollector(p *plan.Plan) *Collector { return &Collector{ix: newIndex(p)} }

// Collect is Collect against the collector's registry.
func (c *Collector) Collect(inputs []string, opt Options) (*Result, error) {
	return collect(func() *index { return c.ix }, inputs, opt)
}

func collect(indexed func() *index, inputs []string, opt Options) (*Result, error) {
	limit := opt.MaxUnzipped
	if limit <= 0 {
		limit = DefaultMaxUnzipped
	}
	srcs, closeAll, err := Discover(inputs, limit, opt.Exclude)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	ix := indexed()
	items := readAll(srcs, limit, opt, checker(ix, opt), retainer(ix))
	return merge(ix, items, opt)
}

// checker returns the function that validates a return as soon as it is
// read, against the period its stamp names: only a return of the period the
// round ends up with can be accepted, and for it the two periods are the
// same. What is kept of a return is then its verdict on its own targets and
// its findings — what the round holds anyway — never the cells it was read
// from. The function is called from every worker at once; it only reads ix.
func checker(ix *index, opt Options) func(name string, id *ident, ret *returnData) *checked {
	// A 区县's figures are compared with its own previous figures, never
	// with the city's.
	prev := map[string]float64{}
	prevDistrict := map[string]map[string]float64{}
	if pr := opt.Previous; pr != nil {
		for _, t := range pr.Targets {
			if t.Value != nil && t.Status != plan.Invalid {
				prev[t.ID] = *t.Value
			}
		}
		for _, t := range pr.DistrictTargets {
			if t.Value != nil && t.Status != plan.Invalid {
				if prevDistrict[t.District] == nil {
					prevDistrict[t.District] = map[string]float64{}
				}
				prevDistrict[t.District][t.ID] = *t.Value
			}
		}
	}
	none := map[string]float64{}
	early := earlierCache(opt.Earlier)
	return func(name string, id *ident, ret *returnData) *checked {
		if id.PlanID == ix.p.ID {
			id.RowsOf, id.RowsOfN, id.RowsN = ix.rowsOf(ret)
			if id.RowsOf != "" && id.RowsOf != id.Dept {
				return nil // another department's return under this stamp: counted for neither
			}
		}
		per := id.Period
		if id.PlanID != ix.p.ID || !ix.reports(id.Dept, id.Unit) || (opt.Period != nil && per != *opt.Period) {
			return nil
		}
		pv := none
		if Comparable(opt.Previous, ix.p.ID, per) {
			pv = prev
			if id.Unit == plan.UnitDistrict {
				pv = prevDistrict[id.Dept]
			}
		}
		// The store's earlier periods are the city figures: a 区县's are
		// compared with its own previous round only.
		ev := early(per)
		if id.Unit == plan.UnitDistrict {
			ev = nil
		}
		c := validateYear(ix, per, pv, ev, name, id.Dept, ret)
		return &c
	}
}

// retainer returns the function that decides, as each file is read, whether
// its content is still needed: only the best return of each department and
// period can win, so memory stays flat however many copies are sent. The
// order is total (see newer), so the outcome does not depend on which file
// is read first.
func retainer(ix *index) func(items []item, i int) {
	p := ix.p
	type deptPeriod struct {
		dept   string
		period plan.Period
	}
	best := map[deptPeriod]int{}
	return func(items []item, i int) {
		it := &items[i]
		if it.chk == nil {
			return
		}
		id := it.id
		if id.PlanID != p.ID || !ix.reports(id.Dept, id.Unit) {
			it.chk = nil
			return
		}
		k := deptPeriod{id.Dept, id.Period}
		j, ok := best[k]
		switch {
		case !ok:
			best[k] = i
		case newer(items, candidate{idx: i, filled: id.Filled}, candidate{idx: j, filled: items[j].id.Filled}):
			items[j].chk = nil
			best[k] = i
		default:
			it.chk = nil
		}
	}
}

// readAll reads every source with a few workers; items come back in the
// sources' order. check is called by the workers for each return read;
// retain is called for each item as it completes, from one goroutine.
func readAll(srcs []Source, limit int64, opt Options, check func(string, *ident, *returnData) *checked, retain func([]item, int)) []item {
	items := make([]item, len(srcs))
	workers := opt.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	jobs := make(chan int)
	done := make(chan int, len(srcs))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				items[i] = readItem(srcs[i], limit, opt.StdXML, check)
				done <- i
			}
		}()
	}
	go func() {
		for i := range srcs {
			jobs <- i
		}
		close(jobs)
	}()
	for n := 1; n <= len(srcs); n++ {
		i := <-done
		if retain != nil {
			retain(items, i)
		}
		if opt.Progress != nil {
			opt.Progress(n, len(srcs))
		}
	}
	wg.Wait()
	return items
}

func readItem(s Source, limit int64, std bool, check func(string, *ident, *returnData) *checked) item {
	it := item{src: s, size: s.Size}
	if s.skip != "" || s.problem != nil {
		it.problem = s.problem
		return it
	}
	data, err := s.Read()
	switch {
	case err == nil:
	case s.InArchive():
		it.problem = memberProblem(err, limit)
		return it
	case errors.Is(err, errTooLarge):
		it.problem = problem(plan.FileTooLarge, "文件大小超过 %d MB 的上限，已拒收：填报模板正常只有几十 KB", limit>>20)
		return it
	default:
		it.problem = problem(plan.FileCorrupt, "文件无法读取（%v）：请检查文件权限，或重新保存后报送", err)
		return it
	}
	sum := sha256.Sum256(data)
	it.sha = hex.EncodeToString(sum[:])
	it.size = int64(len(data))
	read := readReturnWith
	if std {
		read = readReturnStd
	}
	ret, pr := read(s.Name(), data, limit)
	it.problem = pr
	if ret != nil {
		st := ret.Stamp
		it.id = &ident{PlanID: st.PlanID, Dept: st.Dept, Unit: st.Unit.Or(), Period: st.Period, Deadline: st.Deadline, Filled: ret.Filled,
			Filler: ret.Filler, Phone: ret.Phone}
		if check != nil {
			it.chk = check(s.Path, it.id, ret)
		}
	}
	return it
}

// readReturnWith is the reader collect uses (a variable, so tests can watch it).
var readReturnWith = readReturnStream

// candidate is a return identified as this plan's, competing for its department.
type candidate struct {
	idx    int
	dept   string
	filled time.Time
}

func merge(ix *index, items []item, opt Options) (*Result, error) {
	p := ix.p
	round := &plan.Round{Schema: plan.RoundSchema, PlanID: p.ID, PlanTitle: p.Title, PlanFingerprint: ix.fingerprint,
		Findings: []plan.Finding{}, Files: []plan.InputFile{}}
	files := make([]plan.InputFile, len(items))
	fileFindings := make([][]plan.Finding, len(items))
	reject := func(i int, code, dept, msg string) {
		files[i].Verdict = plan.Rejected
		files[i].Reason = msg
		fileFindings[i] = append(fileFindings[i], newFinding(code, items[i].src.Path, dept, "", "", "", msg))
	}
	periods := map[plan.Period]int{}
	for i, it := range items {
		files[i] = plan.InputFile{Path: it.src.Path, SHA256: it.sha, Size: it.size}
		switch {
		case it.src.skip != "":
			files[i].Verdict, files[i].Reason = plan.Skipped, it.src.skip
			fileFindings[i] = append(fileFindings[i], newFinding(plan.FileSkipped, it.src.Path, "", "", "", "", "已跳过："+it.src.skip))
			continue
		case it.problem != nil:
			reject(i, it.problem.Code, it.problem.Dept, it.problem.Message)
			continue
		}
		st := it.id
		files[i].Dept, files[i].Unit, files[i].Period = st.Dept, st.Unit, st.Period
		switch {
		case st.PlanID != p.ID:
			reject(i, plan.FileOtherPlan, "", fmt.Sprintf("这是计划“%s”的填报模板，不是本计划（%s）的：请使用本计划下发的模板重新填写", clip(st.PlanID, 40), p.ID))
		case ix.kind[st.Dept] != "" && !ix.reports(st.Dept, st.Unit):
			reject(i, plan.FileBadStamp, "", fmt.Sprintf("模板标识中“%s”的单位类别为%s，登记表中为%s：请使用本期下发给本单位的模板重新填写",
				clip(st.Dept, 20), st.Unit.Label(), ix.kind[st.Dept].Label()))
		case !ix.reports(st.Dept, st.Unit) && st.Unit == plan.UnitDistrict:
			reject(i, plan.FileBadStamp, "", fmt.Sprintf("模板标识中的区县代码“%s”不在本计划承担分解任务的区县名单中：请使用本期下发给本单位的模板重新填写", clip(st.Dept, 20)))
		case !ix.reports(st.Dept, st.Unit):
			reject(i, plan.FileBadStamp, "", fmt.Sprintf("模板标识中的部门代码“%s”不在本计划的牵头部门名单中：请使用本期下发给本单位的模板重新填写", clip(st.Dept, 20)))
		case st.RowsOf != "" && st.RowsOf != st.Dept:
			a, _ := p.Dept(st.Dept)
			b, _ := p.Dept(st.RowsOf)
			files[i].Dept = b.Code
			reject(i, plan.FileBadStamp, b.Code, fmt.Sprintf("模板标识写的是%s（%s），但表中 %d 行指标有 %d 行是%s（%s）牵头的：标识可能是从其他部门的模板复制来的，模板标识已损坏，此文件未计入任何部门。请%s使用下发给本单位的模板重新填报",
				a.Short, a.Code, st.RowsN, st.RowsOfN, b.Short, b.Code, b.Short))
		default:
			periods[st.Period]++
		}
	}
	// The period: as asked, or the one most returns carry (ties: the latest).
	var period plan.Period
	if opt.Period != nil {
		period = *opt.Period
	} else {
		var best plan.Period
		n := 0
		for k, c := range periods {
			if c > n || (c == n && periodAfter(k, best)) {
				best, n = k, c
			}
		}
		if best.IsZero() {
			e := &NoPeriodError{}
			for i, fl := range files {
				u := Unidentified{Path: fl.Path, Reason: fl.Reason}
				if len(fileFindings[i]) > 0 {
					u.Code = fileFindings[i][0].Code
				}
				e.Files = append(e.Files, u)
			}
			sort.Slice(e.Files, func(a, b int) bool { return e.Files[a].Path < e.Files[b].Path })
			return nil, e
		}
		period = best
	}
	round.Period = period

	// Candidates per department; the newest wins.
	byDept := map[string][]candidate{}
	var otherPeriod []int
	for i, it := range items {
		if files[i].Verdict != "" || it.id == nil {
			continue
		}
		st := it.id
		if st.Period != period {
			otherPeriod = append(otherPeriod, i) // reported below, once the winners are known
			continue
		}
		byDept[st.Dept] = append(byDept[st.Dept], candidate{idx: i, dept: st.Dept, filled: st.Filled})
	}
	winner := map[string]int{}
	for dept, cs := range byDept {
		sort.Slice(cs, func(a, b int) bool { return newer(items, cs[a], cs[b]) })
		winner[dept] = cs[0].idx
		files[cs[0].idx].Verdict = plan.Accepted
		for _, c := range cs[1:] {
			w := items[cs[0].idx].src.Path
			files[c.idx].Verdict = plan.Superseded
			files[c.idx].Reason = "同一部门有更新的报送：" + w
			fileFindings[c.idx] = append(fileFindings[c.idx], newFinding(plan.FileSuperseded, items[c.idx].src.Path, dept, "", "", "",
				fmt.Sprintf("本部门另有更新的报送（%s），此文件未采用。如需以此文件为准，请重新报送并更新填报日期", w)))
		}
	}
	for _, i := range otherPeriod {
		it := items[i]
		st := it.id
		label := st.Period.Label()
		msg := fmt.Sprintf("这是%s的填报模板，本次汇总的是%s：请使用本期下发的模板重新填写", label, period.Label())
		files[i].Verdict, files[i].Reason = plan.Rejected, msg
		f := newFinding(plan.FileOtherPeriod, it.src.Path, st.Dept, "", "", "", msg)
		if opt.KeepsYear && periodAfter(period, st.Period) {
			f.Severity = plan.Info
			f.Message = fmt.Sprintf("这是%s的填报表（往期报送），本次汇总%s，此文件不使用", label, period.Label())
			files[i].Verdict, files[i].Reason = plan.Skipped, f.Message
		} else if _, ok := winner[st.Dept]; ok {
			// The department has a return for this period: the old file is only noise.
			f.Severity = plan.Info
			f.Message = fmt.Sprintf("这是%s的填报模板，本部门已报送%s的填报表，此文件已忽略", label, period.Label())
		}
		fileFindings[i] = append(fileFindings[i], f)
	}

	// The winners, validated as they were read.
	results := map[string]*plan.TargetResult{}
	districtResults := map[string]map[string]*plan.TargetResult{} // 区县 code → target id → result
	deadline := map[string]int{}
	for _, i := range winner {
		it := items[i]
		if it.chk == nil { // cannot happen: retainer keeps every possible winner
			return nil, fmt.Errorf("内部错误：%s 的内容未保留", it.src.Path)
		}
		c := it.chk
		fileFindings[i] = append(fileFindings[i], c.findings...)
		for k := range c.results {
			r := &c.results[k]
			if r.District != "" {
				if districtResults[r.District] == nil {
					districtResults[r.District] = map[string]*plan.TargetResult{}
				}
				districtResults[r.District][r.ID] = r
				continue
			}
			results[r.ID] = r
		}
		if d := it.id.Deadline; d != "" {
			deadline[d]++
		}
	}
	round.Deadline = mostCommon(deadline)

	// Targets, in registry order.
	if len(p.Targets) > 0 {
		round.Targets = make([]plan.TargetResult, 0, len(p.Targets))
	}
	for _, t := range p.Targets {
		if r, ok := results[t.ID]; ok {
			round.Targets = append(round.Targets, *r)
			continue
		}
		ev := plan.Evaluate(t, period, plan.Report{}, p.Thresholds)
		r := plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind, Status: ev.Status, Expected: ev.Expected, Explanation: "牵头部门未报送"}
		round.Targets = append(round.Targets, r)
	}

	// 区县 are expected once any 区县 return of the round is in: a round the
	// office collects from departments alone says nothing of 区县.
	districts := ix.districts
	withDistricts := false
	for code := range winner {
		withDistricts = withDistricts || ix.kind[code] == plan.UnitDistrict
	}
	if !withDistricts {
		districts = nil
	}
	// 区县 figures, 区县 by 区县, each judged on its quota or own target.
	for _, d := range districts {
		for _, t := range ix.led[d.Code] {
			if r, ok := districtResults[d.Code][t.ID]; ok {
				round.DistrictTargets = append(round.DistrictTargets, *r)
				continue
			}
			ev := plan.Evaluate(*t, period, plan.Report{}, p.Thresholds)
			round.DistrictTargets = append(round.DistrictTargets, plan.TargetResult{ID: t.ID, District: d.Code, Lead: t.Lead, Kind: t.Kind,
				Status: ev.Status, Expected: ev.Expected, Explanation: "区县未报送"})
		}
	}

	// Departments and completeness.
	var all []plan.Finding
	for i := range items {
		all = append(all, fileFindings[i]...)
	}
	standing := func(u plan.Unit) plan.DeptResult {
		dr := plan.DeptResult{Unit: u.Kind, Code: u.Code, Name: u.Name, Short: u.Short, Targets: len(ix.led[u.Code])}
		if i, ok := winner[u.Code]; ok {
			ret := items[i].id
			dr.Submitted = true
			dr.File = items[i].src.Path
			dr.Filler, dr.Phone = clean(ret.Filler), clean(ret.Phone)
			if !ret.Filled.IsZero() {
				dr.Filled = ret.Filled.Format("2006-01-02")
				if dl, err := time.Parse("2006-01-02", round.Deadline); err == nil {
					on := !ret.Filled.After(dl)
					dr.OnTime = &on
				}
			}
		}
		return dr
	}
	for _, d := range ix.leads {
		dr := standing(d.Unit())
		if !dr.Submitted {
			all = append(all, newFinding(plan.MissingDept, "", d.Code, "", "", "",
				fmt.Sprintf("%s（%s）未报送%s的填报表，牵头的 %d 项指标没有数据：请督促其尽快报送", d.Short, d.Code, period.Label(), dr.Targets)))
		}
		round.Departments = append(round.Departments, dr)
	}
	for _, d := range districts {
		dr := standing(d.Unit())
		if !dr.Submitted {
			all = append(all, newFinding(plan.MissingDistrict, "", d.Code, "", "", "",
				fmt.Sprintf("%s（%s）未报送%s的区县填报表，承担的 %d 项分解任务和区县目标没有数据，区县合计暂不含该区县：请督促其尽快报送",
					d.Short, d.Code, period.Label(), dr.Targets)))
		}
		round.Districts = append(round.Districts, dr)
	}
	if withDistricts {
		rollups, inconsistent := plan.RollUp(p, round)
		round.Rollups = rollups
		all = append(all, inconsistent...)
	}
	for k := range all {
		if all[k].Dept != "" {
			all[k].Unit = ix.kind[all[k].Dept]
		}
	}
	plan.SortFindings(all)
	type at struct {
		list []plan.DeptResult
		k    int
	}
	unitAt := map[string]at{}
	for k, d := range round.Departments {
		unitAt[d.Code] = at{round.Departments, k}
	}
	for k, d := range round.Districts {
		unitAt[d.Code] = at{round.Districts, k}
	}
	for _, f := range all {
		if u, ok := unitAt[f.Dept]; ok {
			switch f.Severity {
			case plan.Error:
				u.list[u.k].Errors++
			case plan.Warning:
				u.list[u.k].Warnings++
			}
		}
	}
	round.Findings = all
	round.Files = files
	sort.SliceStable(round.Files, func(a, b int) bool { return round.Files[a].Path < round.Files[b].Path })

	res := &Result{Plan: p, Round: round, Sources: sourcesOf(items)}
	for i, it := range items {
		if it.id == nil {
			continue
		}
		var fs []plan.Finding
		for _, f := range fileFindings[i] {
			if f.Severity != plan.Info {
				fs = append(fs, fileFindings[i]...)
				break
			}
		}
		if len(fs) == 0 {
			continue
		}
		for k := range fs {
			if fs[k].Dept != "" {
				fs[k].Unit = ix.kind[fs[k].Dept]
			}
		}
		plan.SortFindings(fs)
		dept := it.id.Dept
		if it.id.RowsOf != "" {
			dept = it.id.RowsOf // a copied stamp: the copy goes to the department the rows belong to
		}
		res.Feedback = append(res.Feedback, Feedback{Source: it.src, SHA256: it.sha, Dept: dept, Findings: fs})
	}
	return res, nil
}

// Comparable reports whether a previous round can be compared with this one:
// the same plan, the same year, an earlier period.
func Comparable(prev *plan.Round, planID string, period plan.Period) bool {
	if prev == nil || prev.PlanID != planID {
		return false
	}
	pp := prev.Period
	return !pp.IsZero() && pp.Year == period.Year && pp.EndMonth() < period.EndMonth()
}

// newer orders two returns of one department: the later 填报日期 first, then
// the later modification time, then the greater path — a total order, so the
// winner does not depend on the order the files came in.
func newer(items []item, a, b candidate) bool {
	if !a.filled.Equal(b.filled) {
		return a.filled.After(b.filled)
	}
	ma, mb := items[a.idx].src.ModTime, items[b.idx].src.ModTime
	if !ma.Equal(mb) {
		return ma.After(mb)
	}
	return items[a.idx].src.Path > items[b.idx].src.Path
}

// periodAfter orders periods for the choice of a round's period: the later
// end first, then the canonical code, so ties never depend on map order.
func periodAfter(a, b plan.Period) bool {
	if b.IsZero() {
		return true
	}
	if a.Year != b.Year {
		return a.Year > b.Year
	}
	if a.EndMonth() != b.EndMonth() {
		return a.EndMonth() > b.EndMonth()
	}
	return a.String() > b.String()
}

func mostCommon(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}
