package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"planrep/plan"
)

// A workspace is the folder an office works in all year: planrep.yaml at its
// root, and beside it the folders of the cycle. Commands run anywhere inside
// it find it by walking up, as git finds its repository.
const (
	SettingsFile = "planrep.yaml"
	GuideFile    = "使用说明.txt"

	DirTemplates = "模板"  // templates/<period>/
	DirInbox     = "收件箱" // whatever comes back, as it comes
	DirCollected = "汇总"  // collect's outputs, <period>/
	DirReports   = "报告"  // report's outputs, <period>/
	DirPlan      = "计划"  // the registry drafted by init --from
	defaultStore = "planrep.db"
)

// Settings are the contents of planrep.yaml. Paths are relative to the
// workspace's root.
type Settings struct {
	Plan     string         `yaml:"plan"`
	Store    string         `yaml:"store"`
	Office   OfficeSettings `yaml:"office"`
	Deadline DeadlineRule   `yaml:"deadline"`
	Report   ReportLines    `yaml:"report"`
	Units    []string       `yaml:"units"`
}

// OfficeSettings name the office that runs the reporting.
type OfficeSettings struct {
	Name    string `yaml:"name"`    // printed on reports as the issuer
	Contact string `yaml:"contact"` // printed in every template
}

// DeadlineRule says when returns are due.
type DeadlineRule struct {
	// DaysAfter is how many days after a period's end returns are due.
	DaysAfter int `yaml:"days_after_period"`
}

// ReportLines are the 报送 and 抄送 lines of the office's bulletin.
type ReportLines struct {
	SubmitTo string `yaml:"submit_to"`
	CopyTo   string `yaml:"copy_to"`
}

// Workspace is a workspace found on disk.
type Workspace struct {
	Root     string // absolute
	Settings Settings
}

// File is the absolute path of planrep.yaml.
func (w *Workspace) File() string { return filepath.Join(w.Root, SettingsFile) }

// Path joins parts to the workspace's root.
func (w *Workspace) Path(parts ...string) string {
	return filepath.Join(append([]string{w.Root}, parts...)...)
}

// PlanPath is the registry the settings name, or "" for the embedded plan.
func (w *Workspace) PlanPath() string {
	if strings.TrimSpace(w.Settings.Plan) == "" {
		return ""
	}
	return w.resolve(w.Settings.Plan)
}

// StorePath is the store the settings name.
func (w *Workspace) StorePath() string {
	s := strings.TrimSpace(w.Settings.Store)
	if s == "" {
		s = defaultStore
	}
	return w.resolve(s)
}

func (w *Workspace) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(w.Root, filepath.FromSlash(p))
}

// FindWorkspace walks up from dir to the first folder holding planrep.yaml.
// It returns nil and no error when there is none: outside a workspace every
// command works as it always did.
func FindWorkspace(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; {
		f := filepath.Join(d, SettingsFile)
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			return LoadWorkspace(d)
		}
		up := filepath.Dir(d)
		if up == d {
			return nil, nil
		}
		d = up
	}
}

// LoadWorkspace reads the settings of the workspace rooted at root.
func LoadWorkspace(root string) (*Workspace, error) {
	f := filepath.Join(root, SettingsFile)
	data, err := os.ReadFile(f)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作区设置 %s：%v", f, err)
	}
	var s Settings
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("工作区设置 %s 有误：%s。请按文件中的说明修改，或删除后重新运行 planrep init", f, settingsErr(err))
	}
	if s.Deadline.DaysAfter < 0 || s.Deadline.DaysAfter > 366 {
		return nil, fmt.Errorf("工作区设置 %s 有误：deadline.days_after_period 为 %d，应为 0 到 366 之间的天数", f, s.Deadline.DaysAfter)
	}
	return &Workspace{Root: root, Settings: s}, nil
}

// settingsErr puts yaml's messages into Chinese where they are common.
func settingsErr(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.ReplaceAll(s, "unmarshal errors:\n  ", "")
	if i := strings.Index(s, "field "); i >= 0 && strings.Contains(s, "not found in type") {
		name := strings.Fields(s[i+len("field "):])[0]
		return fmt.Sprintf("%s没有设置项 %q", lineOf(s), name)
	}
	if strings.Contains(s, "cannot unmarshal") {
		return lineOf(s) + "取值的类型不对（例如天数应为数字、报送单位应为列表）"
	}
	return s
}

func lineOf(s string) string {
	if i := strings.Index(s, "line "); i >= 0 {
		n := strings.TrimRight(strings.Fields(s[i+len("line "):])[0], ":")
		if _, err := strconv.Atoi(n); err == nil {
			return "第 " + n + " 行"
		}
	}
	return ""
}

// Workspace returns the workspace the working folder is in, or nil. It is
// looked up once per run.
func (g *Globals) Workspace() (*Workspace, error) {
	if !g.wsDone {
		g.wsDone = true
		g.ws, g.wsErr = FindWorkspace(".")
	}
	return g.ws, g.wsErr
}

// rel shows path relative to the working folder when it lies below it.
func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	r, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(r, "..") && len(r) > len(path) {
		return path
	}
	return r
}

// dirShown is a folder as printed: relative, with a trailing separator.
func dirShown(path string) string {
	return strings.TrimSuffix(rel(path), string(filepath.Separator)) + string(filepath.Separator)
}

// periodDirs lists the subfolders of dir named after a period of year (any
// year when year is 0), earliest first.
func periodDirs(dir string, year int) []plan.Period {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []plan.Period
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p, err := plan.ParsePeriod(e.Name())
		if err != nil || p.String() != e.Name() || year != 0 && p.Year != year {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return periodLess(out[i], out[j]) })
	return out
}

// periodLess orders periods by the day they end, a longer span first on a tie
// (2025Q3 before 2025M09: both end on 30 September).
func periodLess(a, b plan.Period) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.EndMonth() != b.EndMonth() {
		return a.EndMonth() < b.EndMonth()
	}
	return a.Span < b.Span
}

// currentPeriod is the round a workspace is in: the latest period templates
// were written for, else the latest collected. ok is false when neither is.
func (w *Workspace) currentPeriod(year int) (plan.Period, bool) {
	var all []plan.Period
	all = append(all, periodDirs(w.Path(DirTemplates), year)...)
	all = append(all, periodDirs(w.Path(DirCollected), year)...)
	if len(all) == 0 {
		return plan.Period{}, false
	}
	best := all[0]
	for _, p := range all[1:] {
		if periodLess(best, p) {
			best = p
		}
	}
	return best, true
}

// roundFile is where collect leaves the round of period per.
func (w *Workspace) roundFile(per plan.Period) string {
	return w.Path(DirCollected, per.String(), "round.json")
}

// previousRound is the round.json of the latest period of the same year
// collected before per, or "".
func (w *Workspace) previousRound(per plan.Period) string {
	prev := ""
	for _, p := range periodDirs(w.Path(DirCollected), per.Year) {
		if !periodLess(p, per) || p.EndMonth() == per.EndMonth() {
			continue
		}
		if _, err := os.Stat(w.roundFile(p)); err == nil {
			prev = w.roundFile(p)
		}
	}
	return prev
}
