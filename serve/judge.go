package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"planrep/plan"
	"planrep/store"
	"planrep/workbook"
)

// knownExt are the extensions an upload keeps when it is judged: collect
// tells an .et, a .csv or a .zip apart partly by its extension. Any other
// name is judged by content alone. The name itself never reaches the disk.
var knownExt = map[string]bool{".xlsx": true, ".xlsm": true, ".xls": true, ".et": true, ".ett": true, ".csv": true,
	".txt": true, ".pdf": true, ".zip": true, ".doc": true, ".docx": true}

// displayName is an upload's file name made fit to show: its base name only
// (a browser may send a whole Windows path), no control characters, at most
// 120 characters. It is only ever shown, escaped, never used as a path.
func displayName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" || name == "." || name == "/" {
		name = "未命名文件"
	}
	return name
}

// judge judges one uploaded file for unit u with collect's own code: the
// file is written under a name of the server's choosing into a folder of its
// own and collected alone for the server's period. What the server adds is
// only who may send what: a return of another unit (F24) and an upload
// holding several files (F25) are refused.
func (s *Server) judge(u plan.Unit, name string, data []byte) (*store.Submission, error) {
	s.judges <- struct{}{}
	defer func() { <-s.judges }()
	dir, err := os.MkdirTemp(s.tmp, "judge-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ext := strings.ToLower(path.Ext(name))
	if !knownExt[ext] {
		ext = ""
	}
	file := filepath.Join(dir, "upload"+ext)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, err
	}
	res, err := s.collect([]string{file}, 1)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	sub := &store.Submission{Period: s.per.String(), Unit: u.Code, Name: name, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Verdict: plan.Rejected}
	key := filepath.ToSlash(file)
	mine := func(p string) bool { return p == key || strings.HasPrefix(p, key+"!") }
	rename := func(p string) string {
		if p == key {
			return name
		}
		if strings.HasPrefix(p, key+"!") {
			return name + "!" + p[len(key)+1:]
		}
		return p
	}
	var files []plan.InputFile
	for _, f := range res.Round.Files {
		if mine(f.Path) && f.Verdict != plan.Skipped {
			files = append(files, f)
		}
	}
	var findings []plan.Finding
	for _, f := range res.Round.Findings {
		if mine(f.File) {
			f.File = rename(f.File)
			f.Message = strings.ReplaceAll(f.Message, key, name)
			findings = append(findings, f)
		}
	}
	switch {
	case len(files) > 1:
		msg := fmt.Sprintf("压缩包中有 %d 个文件：请每次只上传本单位的一个 .xlsx 填报表，不要打包", len(files))
		sub.Reason = msg
		findings = []plan.Finding{{Code: plan.UploadSeveral, Severity: plan.Error, File: name, Dept: u.Code, Message: msg}}
	case len(files) == 0:
		sub.Reason = "没有可读取的文件"
		if len(findings) == 0 {
			findings = []plan.Finding{{Code: plan.FileUnknown, Severity: plan.Error, File: name, Dept: u.Code,
				Message: "上传的内容中没有可读取的文件：请上传本单位填好的 .xlsx 填报表"}}
		}
	case files[0].Dept != "" && files[0].Dept != u.Code:
		other := files[0].Dept
		if d, ok := s.p.Dept(other); ok {
			other = fmt.Sprintf("%s（%s）", d.Short, d.Code)
		}
		msg := fmt.Sprintf("这是%s的填报表，不是%s的：请在本单位的专用链接中上传本单位的填报表；如需代报，请使用对方单位的链接", clipRunes(other, 40), u.Short)
		sub.Reason = msg
		findings = []plan.Finding{{Code: plan.UploadOtherUnit, Severity: plan.Error, File: name, Dept: u.Code, Message: msg}}
	default:
		f := files[0]
		sub.Verdict, sub.Reason = f.Verdict, f.Reason
		if f.Verdict == plan.Accepted {
			// A department's figures are the round's targets, a 区县's
			// its district targets; the unit's standing is in either list.
			for _, list := range [][]plan.TargetResult{res.Round.Targets, res.Round.DistrictTargets} {
				for _, t := range list {
					if t.File == f.Path {
						t.File = name
						sub.Values = append(sub.Values, t)
					}
				}
			}
			for _, list := range [][]plan.DeptResult{res.Round.Departments, res.Round.Districts} {
				for _, d := range list {
					if d.Code == u.Code {
						sub.Filled, sub.Filler, sub.Phone = d.Filled, d.Filler, d.Phone
					}
				}
			}
		}
	}
	for i := range findings {
		findings[i].Dept = u.Code
		switch findings[i].Severity {
		case plan.Error:
			sub.Errors++
		case plan.Warning:
			sub.Warnings++
		default:
			sub.Infos++
		}
	}
	plan.SortFindings(findings)
	sub.Findings = findings
	return sub, nil
}

// feedback makes the 反馈 copy of a stored submission with collect's own
// writer: the file is collected again alone and its outputs written into a
// scratch folder, from which the one feedback copy is taken. It returns nil
// when the submission has no copy (no findings, or not a workbook).
func (s *Server) feedback(sub store.Submission) ([]byte, error) {
	data, err := s.st.SubmissionData(sub.ID)
	if err != nil {
		return nil, err
	}
	s.judges <- struct{}{}
	defer func() { <-s.judges }()
	dir, err := os.MkdirTemp(s.tmp, "feedback-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ext := strings.ToLower(path.Ext(sub.Name))
	if !knownExt[ext] || ext == ".zip" {
		ext = ".xlsx"
	}
	file := filepath.Join(dir, "in", fmt.Sprintf("%s_%d%s", sub.Period, sub.Seq, ext))
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, err
	}
	res, err := s.collect([]string{file}, 1)
	if err != nil {
		return nil, err
	}
	if len(res.Feedback) == 0 {
		return nil, nil
	}
	out := filepath.Join(dir, "out")
	if err := res.WriteOutputs(out); err != nil {
		return nil, err
	}
	if res.FeedbackWritten == 0 { // the copy could not be made: its findings say why
		return nil, nil
	}
	ents, err := os.ReadDir(filepath.Join(out, workbook.FeedbackDir))
	if err != nil || len(ents) != 1 {
		return nil, err
	}
	return os.ReadFile(filepath.Join(out, workbook.FeedbackDir, ents[0].Name()))
}

// feedbackStem names a submission's files for download: period, unit, the
// how-manieth submission.
func feedbackStem(s *Server, sub store.Submission) string {
	short := sub.Unit
	if u, ok := s.unitByID[sub.Unit]; ok {
		short = u.Short
	}
	return fmt.Sprintf("%s_%s_%s_第%d次报送", sub.Period, short, sub.Unit, sub.Seq)
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
