package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/templates"
)

// ManifestSchema is the version of simulate.json's layout.
const ManifestSchema = 1

// job is one department's return to make.
type job struct {
	dept     string
	district bool                                     // a 区县's return, not a department's
	template string                                   // the template's file name
	registry func() *plan.Plan                        // the registry its targets come from
	open     func(*plan.Plan) (*excelize.File, error) // the template, opened or built
}

// Run fills the templates found in templatesDir — identified by their
// stamps, not by their names — or, when templatesDir is "", templates built
// here from p, and writes the returns into outDir/returns and the manifest
// into outDir/simulate.json. A template of another plan or period is
// skipped and listed.
func Run(p *plan.Plan, templatesDir, outDir string, opt Options) (*Manifest, error) {
	var jobs []job
	var skipped []string
	if templatesDir != "" {
		var err error
		if jobs, skipped, err = findTemplates(p, templatesDir, &opt); err != nil {
			return nil, err
		}
	} else {
		if opt.Period.Year == 0 {
			return nil, errors.New("没有指定报告期：请用 --period 指定，如 2025Q3")
		}
		topt := opt.templateOptions()
		for _, d := range p.LeadDepts() {
			d := d
			jobs = append(jobs, job{dept: d.Code, template: templates.FileName(opt.Period, d), registry: whole(p),
				open: func(p *plan.Plan) (*excelize.File, error) { return templates.Build(p, d, topt) }})
		}
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("在 %s 中没有找到本计划（%s）%s 的填报模板：请先用 planrep templates 生成", templatesDir, p.ID, opt.Period)
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].dept < jobs[j].dept })
	m := &Manifest{
		Schema: ManifestSchema, PlanID: p.ID, PlanFingerprint: p.Fingerprint(), Period: opt.Period,
		Seed: opt.Seed, FaultRate: opt.Faults, Skipped: skipped,
	}
	var keep []Return
	err := produce(outDir, m, jobs, opt, func(r Return) { keep = append(keep, r) })
	if err != nil {
		return nil, err
	}
	m.Returns = keep
	if m.Returns == nil {
		m.Returns = []Return{}
	}
	return m, nil
}

// templateOptions are the options of templates built here: sent out the
// morning after the period ends, so that the same seed makes the same files.
func (o Options) templateOptions() templates.Options {
	now := o.Now
	if now.IsZero() {
		now = o.Period.End().AddDate(0, 0, 1).Add(9 * time.Hour)
	}
	deadline := o.Deadline
	if deadline == "" {
		deadline = o.Period.End().AddDate(0, 0, 10).Format("2006-01-02")
	}
	return templates.Options{Period: o.Period, Deadline: deadline, Now: now}
}

// findTemplates lists the templates of p in dir, by their stamps.
func findTemplates(p *plan.Plan, dir string, opt *Options) ([]job, []string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.IsDir() && strings.EqualFold(filepath.Ext(name), ".xlsx") && !strings.HasPrefix(name, "~$") && !strings.HasPrefix(name, ".") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("无法读取模板文件夹：%w", err)
	}
	sort.Strings(paths)
	var jobs []job
	var skipped []string
	seen := map[string]string{}
	for _, path := range paths {
		name := filepath.Base(path)
		st, err := stampOf(path)
		switch {
		case errors.Is(err, templates.ErrStampPeriod):
			skipped = append(skipped, name+"：报告期无法识别")
			continue
		case err != nil:
			skipped = append(skipped, name+"：不是填报模板")
			continue
		case st.PlanID != p.ID:
			skipped = append(skipped, fmt.Sprintf("%s：属于其他计划（%s）", name, st.PlanID))
			continue
		}
		period := st.Period
		if opt.Period.Year == 0 {
			opt.Period = period
		}
		if period != opt.Period {
			skipped = append(skipped, fmt.Sprintf("%s：属于其他报告期（%s）", name, st.Period))
			continue
		}
		if other, dup := seen[st.Dept]; dup {
			skipped = append(skipped, fmt.Sprintf("%s：与 %s 是同一部门（%s）的模板", name, other, st.Dept))
			continue
		}
		seen[st.Dept] = name
		path := path
		jobs = append(jobs, job{dept: st.Dept, template: name, registry: whole(p),
			open: func(*plan.Plan) (*excelize.File, error) { return excelize.OpenFile(path) }})
	}
	return jobs, skipped, nil
}

func whole(p *plan.Plan) func() *plan.Plan { return func() *plan.Plan { return p } }

func stampOf(path string) (templates.Stamp, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return templates.Stamp{}, err
	}
	defer f.Close()
	return templates.ReadStamp(f)
}

// produce makes the returns of jobs in outDir and writes the manifest m
// (whose Returns it fills in job order) as it goes, so that memory does not
// grow with the number of returns. keep, when set, also gets each return.
func produce(outDir string, m *Manifest, jobs []job, opt Options, keep func(Return)) error {
	if opt.Missing < 0 || opt.Missing > len(jobs) {
		return fmt.Errorf("--missing %d 超出范围：共有 %d 个部门报送", opt.Missing, len(jobs))
	}
	if opt.Faults < 0 || opt.Faults > 1 {
		return fmt.Errorf("--faults %v 超出范围：应为 0 到 1 之间的比例，如 0.05", opt.Faults)
	}
	missing := map[string]bool{}
	for _, i := range newRand(opt.Seed, "\x00missing").Perm(len(jobs))[:opt.Missing] {
		missing[jobs[i].dept] = true
	}
	m.Missing = []MissingDept{}
	var todo []job
	for _, j := range jobs {
		if missing[j.dept] {
			code := plan.MissingDept
			if j.district {
				code = plan.MissingDistrict
			}
			m.Missing = append(m.Missing, MissingDept{Dept: j.dept, Code: code})
		} else {
			todo = append(todo, j)
		}
	}
	if err := os.MkdirAll(filepath.Join(outDir, ReturnsDir), 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹：%w", err)
	}
	return safefile.Write(filepath.Join(outDir, ManifestName), func(w io.Writer) error {
		mw, err := beginManifest(w, m)
		if err != nil {
			return err
		}
		tot := &Totals{Missing: len(m.Missing), ByCode: map[string]int{}}
		for _, md := range m.Missing {
			tot.ByCode[md.Code]++
		}
		err = parallel(len(todo), opt.Workers, func(i int) (Return, error) {
			return makeReturn(outDir, todo[i], opt)
		}, func(r Return) error {
			tot.Returns++
			tot.Rows += r.Rows
			tot.Faults += len(r.Faults)
			for _, f := range r.Faults {
				tot.ByCode[f.Code]++
			}
			if keep != nil {
				keep(r)
			}
			return mw.add(r)
		}, opt.Progress)
		if err != nil {
			return err
		}
		m.Totals = tot
		return mw.end(tot)
	})
}

// makeReturn fills one template and writes the return.
func makeReturn(outDir string, j job, opt Options) (Return, error) {
	p := j.registry()
	f, err := j.open(p)
	if err != nil {
		return Return{}, fmt.Errorf("无法打开 %s 的模板 %s：%w", j.dept, j.template, err)
	}
	defer f.Close()
	name := returnName(newRand(opt.Seed, "\x00name"+j.dept), j.template)
	file := ReturnsDir + "/" + name
	ret, err := Fill(f, p, opt, file)
	if err != nil {
		return Return{}, fmt.Errorf("填写 %s 时出错：%w", j.template, err)
	}
	ret.Template = j.template
	err = safefile.WriteNoSync(filepath.Join(outDir, ReturnsDir, name), func(w io.Writer) error { return Save(f, w) })
	return ret, err
}

// parallel runs do(0…n-1) on workers and hands the results to emit in
// index order, so the output is the same whatever the scheduling.
func parallel(n, workers int, do func(int) (Return, error), emit func(Return) error, progress func(done, total int)) error {
	if workers <= 0 {
		workers = 2
	}
	type result struct {
		i   int
		r   Return
		err error
	}
	idx := make(chan int)
	out := make(chan result, workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				r, err := do(i)
				select {
				case out <- result{i, r, err}:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() {
		defer close(idx)
		for i := 0; i < n; i++ {
			select {
			case idx <- i:
			case <-stop:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()
	pending := map[int]Return{}
	next := 0
	var firstErr error
	for res := range out {
		if firstErr != nil {
			continue
		}
		if res.err != nil {
			firstErr = res.err
			close(stop)
			continue
		}
		pending[res.i] = res.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := emit(r); err != nil {
				firstErr = err
				close(stop)
				break
			}
			if progress != nil {
				progress(next, n)
			}
		}
	}
	return firstErr
}

// manifestWriter writes simulate.json one return at a time.
type manifestWriter struct {
	w io.Writer
	n int
}

func beginManifest(w io.Writer, m *Manifest) (*manifestWriter, error) {
	head := *m
	head.Returns, head.Totals = nil, nil
	b, err := marshal(head, "")
	if err != nil {
		return nil, err
	}
	// Returns is the last field: open its array in place of null.
	const null = "\"returns\": null\n}\n"
	if !bytes.HasSuffix(b, []byte(null)) {
		return nil, errors.New("simulate.json: unexpected layout")
	}
	b = append(b[:len(b)-len(null)], "\"returns\": ["...)
	_, err = w.Write(b)
	return &manifestWriter{w: w}, err
}

func (mw *manifestWriter) add(r Return) error {
	b, err := marshal(r, "    ")
	if err != nil {
		return err
	}
	sep := ",\n    "
	if mw.n == 0 {
		sep = "\n    "
	}
	mw.n++
	_, err = io.WriteString(mw.w, sep+strings.TrimRight(string(b), "\n"))
	return err
}

func (mw *manifestWriter) end(tot *Totals) error {
	b, err := marshal(tot, "  ")
	if err != nil {
		return err
	}
	tail := "\n  ],\n  \"totals\": "
	if mw.n == 0 {
		tail = "],\n  \"totals\": "
	}
	_, err = io.WriteString(mw.w, tail+strings.TrimRight(string(b), "\n")+"\n}\n")
	return err
}

func marshal(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadManifest reads simulate.json.
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s 格式有误：%w", path, err)
	}
	return &m, nil
}
