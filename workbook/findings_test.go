package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// picks are targets of the registry chosen by kind, so the tests follow the
// registry whatever it holds.
type picks struct {
	cum, share, mile, growth plan.Target
}

func pick(t testing.TB, p *plan.Plan) picks {
	t.Helper()
	var pk picks
	nQuant := map[string]int{}
	for _, tg := range p.Targets {
		if tg.Kind.Quantitative() {
			nQuant[tg.Lead]++
		}
	}
	for _, tg := range p.Targets {
		switch {
		case pk.cum.ID == "" && tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value > 0 && nQuant[tg.Lead] >= 3:
			pk.cum = tg
		case pk.share.ID == "" && tg.Unit == "%" && (tg.Kind == plan.Level || tg.Kind == plan.Ceiling) && tg.Value != nil && *tg.Value > 0 && *tg.Value < 40:
			pk.share = tg
		case pk.mile.ID == "" && tg.Kind == plan.Milestone:
			pk.mile = tg
		case pk.growth.ID == "" && tg.Kind == plan.Growth:
			pk.growth = tg
		}
	}
	if pk.cum.ID == "" || pk.share.ID == "" || pk.mile.ID == "" || pk.growth.ID == "" {
		t.Fatalf("registry lacks a target of some kind: %+v", pk)
	}
	return pk
}

// scene writes every lead department's good return into a folder, except
// those replaced by files, and collects.
type scene struct {
	t     *testing.T
	p     *plan.Plan
	dir   string
	skip  map[string]bool   // departments whose good return is not written
	files map[string][]byte // extra files, by relative path
	opt   Options
}

func newScene(t *testing.T, p *plan.Plan) *scene {
	return &scene{t: t, p: p, dir: t.TempDir(), skip: map[string]bool{}, files: map[string][]byte{}}
}

// replace swaps department dept's good return for one edited by edit.
func (s *scene) replace(dept string, edit func(f *excelize.File)) {
	s.skip[dept] = true
	d, _ := s.p.Dept(dept)
	s.files[templates.FileName(testPeriod, d)] = makeReturn(s.t, s.p, dept, edit)
}

// goodReturns caches each department's good return across tests.
var goodReturns sync.Map

func goodReturn(t testing.TB, p *plan.Plan, dept string) []byte {
	if b, ok := goodReturns.Load(dept); ok {
		return b.([]byte)
	}
	b := makeReturn(t, p, dept, nil)
	goodReturns.Store(dept, b)
	return b
}

func (s *scene) run() *Result {
	s.t.Helper()
	for _, d := range s.p.LeadDepts() {
		if !s.skip[d.Code] {
			writeFile(s.t, filepath.Join(s.dir, templates.FileName(testPeriod, d)), goodReturn(s.t, s.p, d.Code))
		}
	}
	for name, data := range s.files {
		writeFile(s.t, filepath.Join(s.dir, name), data)
	}
	res, err := Collect(s.p, []string{s.dir}, s.opt)
	if err != nil {
		s.t.Fatal(err)
	}
	return res
}

func codes(r *plan.Round) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range r.Findings {
		if !seen[f.Code] {
			seen[f.Code] = true
			out = append(out, f.Code)
		}
	}
	sort.Strings(out)
	return out
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func zipOf(t testing.TB, entries map[string][]byte, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method, Modified: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		mustN(w.Write(entries[n]))
	}
	must(zw.Close())
	return buf.Bytes()
}

// restored rewrites a workbook's zip with every entry stored uncompressed,
// so a test can damage its content without breaking the zip structure.
func restored(t *testing.T, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, f := range zr.File {
		rc := mustGet(f.Open())
		var b bytes.Buffer
		mustGet(b.ReadFrom(rc))
		rc.Close() // only read
		m[f.Name] = b.Bytes()
	}
	return zipOf(t, m, zip.Store)
}

func set(sheet, ref string, v any) func(f *excelize.File) {
	return func(f *excelize.File) {
		switch x := v.(type) {
		case string:
			must(f.SetCellStr(sheet, ref, x))
		case float64:
			must(f.SetCellFloat(sheet, ref, x, -1, 64))
		case nil:
			must(f.SetCellValue(sheet, ref, nil))
		}
	}
}

func rowOf(ref string) int {
	_, r, _ := excelize.CellNameToCoordinates(ref)
	return r
}

// TestFindingCodes builds one return (or file) per finding code and checks
// that collect reports exactly the codes expected, at the right place.
func TestFindingCodes(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	cumSheet, cumActual := cellOf(p, pk.cum.ID, templates.ColActual)
	_, cumTarget := cellOf(p, pk.cum.ID, templates.ColTarget)
	_, cumProblems := cellOf(p, pk.cum.ID, templates.ColProblems)
	_, cumNote := cellOf(p, pk.cum.ID, templates.ColNote)
	shareSheet, shareActual := cellOf(p, pk.share.ID, templates.ColActual)
	mileSheet, mileStatus := cellOf(p, pk.mile.ID, templates.ColStatus)
	cumDept := pk.cum.Lead
	goodCum := goodValue(pk.cum, testPeriod)
	other := func(code string) plan.Department { // a lead department other than code
		for _, d := range p.LeadDepts() {
			if d.Code != code {
				return d
			}
		}
		return plan.Department{}
	}
	altPlan := func(edit func(q *plan.Plan)) *plan.Plan {
		q := *p
		q.Targets = append([]plan.Target(nil), p.Targets...)
		edit(&q)
		return &q
	}
	buildWith := func(q *plan.Plan, dept string, per plan.Period) []byte {
		d, _ := q.Dept(dept)
		opt := tmplOptions()
		opt.Period = per
		f, err := templates.Build(q, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fillGood(t, f, q, dept)
		b := mustGet(f.WriteToBuffer())
		return b.Bytes()
	}

	type check struct {
		code, target, cell string
		status             plan.Status // of target, when set
	}
	cases := []struct {
		name  string
		setup func(s *scene)
		want  []string // every code expected, exactly
		check []check
	}{
		{"F01 xls", func(s *scene) { s.files["旧版.xls"] = readTestdata(t, "old.xls") }, []string{"F01"}, nil},
		{"F01 xls renamed xlsx", func(s *scene) { s.files["改名.xlsx"] = readTestdata(t, "old.xls") }, []string{"F01"}, nil},
		{"F02 encrypted", func(s *scene) { s.files["加密.xlsx"] = readTestdata(t, "encrypted.xlsx") }, []string{"F02"}, nil},
		{"F03 wps", func(s *scene) { s.files["表格.et"] = readTestdata(t, "old.xls") }, []string{"F03"}, nil},
		{"F04 csv", func(s *scene) { s.files["导出.csv"] = readTestdata(t, "return.csv") }, []string{"F04"}, nil},
		{"F05 pdf", func(s *scene) { s.files["打印.pdf"] = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n") }, []string{"F05"}, nil},
		{"F06 docx renamed", func(s *scene) {
			s.files["说明.xlsx"] = zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "word/document.xml": []byte("<w:document/>")}, zip.Deflate)
		}, []string{"F06"}, nil},
		{"F07 empty", func(s *scene) { s.files["空.xlsx"] = nil }, []string{"F07"}, nil},
		{"F08 truncated", func(s *scene) {
			d := makeReturn(t, p, cumDept, nil)
			s.files["截断.xlsx"] = d[:len(d)/2]
		}, []string{"F08"}, nil},
		{"F08 crc", func(s *scene) {
			d := restored(t, makeReturn(t, p, cumDept, nil))
			i := bytes.Index(d, []byte("<sheetData"))
			d[i+3] ^= 0x20
			s.files["损坏.xlsx"] = d
		}, []string{"F08"}, nil},
		{"F09 too large", func(s *scene) {
			s.opt.MaxUnzipped = 1 << 20
			big := bytes.Repeat([]byte{'A'}, 2<<20)
			s.files["炸弹.zip"] = zipOf(t, map[string][]byte{"炸弹.xlsx": big}, zip.Deflate)
			s.files["膨胀.xlsx"] = zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/workbook.xml": []byte("<workbook/>"), "xl/worksheets/sheet1.xml": big}, zip.Deflate)
		}, []string{"F09"}, nil},
		{"F09 sheet too large", func(s *scene) {
			s.files["大表.xlsx"] = zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/workbook.xml": []byte("<workbook/>"),
				"xl/worksheets/sheet1.xml": bytes.Repeat([]byte{' '}, maxXMLPart+1)}, zip.Deflate)
		}, []string{"F09"}, nil},
		{"F10 not a template", func(s *scene) {
			f := excelize.NewFile()
			must(f.SetCellStr("Sheet1", "A1", "自制表格"))
			b := mustGet(f.WriteToBuffer())
			s.files["自制.xlsx"] = b.Bytes()
		}, []string{"F10"}, nil},
		{"F11 other plan", func(s *scene) {
			q := altPlan(func(q *plan.Plan) { q.ID = "other-2025" })
			s.files["他计划.xlsx"] = buildWith(q, cumDept, testPeriod)
		}, []string{"F11"}, nil},
		{"F12 other period", func(s *scene) {
			s.skip[cumDept] = true
			s.opt.Period = &testPeriod
			s.files["上期.xlsx"] = buildWith(p, cumDept, plan.MustPeriod("2025H1"))
		}, []string{"F12", "M01"}, nil},
		{"F12 old period beside a current return", func(s *scene) {
			s.opt.Period = &testPeriod
			s.files["上期.xlsx"] = buildWith(p, cumDept, plan.MustPeriod("2025H1"))
		}, []string{"F12"}, nil},
		{"F13 outdated template", func(s *scene) {
			s.skip[cumDept] = true
			q := altPlan(func(q *plan.Plan) {
				for i := range q.Targets {
					if q.Targets[i].ID == pk.cum.ID {
						v := *q.Targets[i].Value + 1
						q.Targets[i].Value = &v
					}
				}
			})
			s.files["旧模板.xlsx"] = buildWith(q, cumDept, testPeriod)
		}, []string{"F13"}, []check{{code: "F13", target: pk.cum.ID}}},
		{"F14 superseded", func(s *scene) {
			s.files["早先.xlsx"] = makeReturn(t, p, cumDept, set(templates.SheetQuant, templates.CellDate, "2025-10-01"))
		}, []string{"F14"}, nil},
		{"F15 lock and hidden files", func(s *scene) {
			s.files["~$填报表.xlsx"] = []byte{1, 2, 3}
			s.files[".隐藏.xlsx"] = []byte{1}
		}, []string{"F15"}, nil},
		{"F16 stamp conflict", func(s *scene) {
			s.skip[cumDept] = true
			s.files["改标识.xlsx"] = makeReturn(t, p, cumDept, func(f *excelize.File) {
				rows := mustGet(f.GetRows(templates.SheetMeta))
				for i, r := range rows {
					if len(r) > 1 && r[0] == templates.MetaDept {
						must(f.SetCellStr(templates.SheetMeta, fmt.Sprintf("B%d", i+1), other(cumDept).Code))
					}
				}
			})
		}, []string{"F16", "M01"}, nil},
		{"F17 unknown", func(s *scene) { s.files["照片.xlsx"] = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") }, []string{"F17"}, nil},
		{"F18 bad archive", func(s *scene) { s.files["坏包.zip"] = []byte("PK\x03\x04 this is not a zip") }, []string{"F18"}, nil},
		{"F18 nested too deep", func(s *scene) {
			inner := zipOf(t, map[string][]byte{"a.zip": zipOf(t, map[string][]byte{"x.xlsx": {1}}, zip.Deflate)}, zip.Deflate)
			s.files["三层.zip"] = zipOf(t, map[string][]byte{"b.zip": inner}, zip.Deflate)
		}, []string{"F18"}, nil},

		{"S01 row deleted", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) { must(f.RemoveRow(cumSheet, rowOf(cumActual))) })
		}, []string{"S01"}, []check{{code: "S01", target: pk.cum.ID, status: plan.Invalid}}},
		{"S02 target altered", func(s *scene) {
			s.replace(cumDept, set(cumSheet, cumTarget, *pk.cum.Value/2))
		}, []string{"S02"}, []check{{code: "S02", target: pk.cum.ID, cell: cumTarget, status: plan.Invalid}}},
		{"S03 rows reordered", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) {
				n := 0
				for _, tg := range p.Led(cumDept) {
					if tg.Kind.Quantitative() {
						n++
					}
				}
				must(f.DuplicateRowTo(cumSheet, templates.FirstDataRow, templates.FirstDataRow+n))
				must(f.RemoveRow(cumSheet, templates.FirstDataRow))
			})
		}, []string{"S03"}, nil},
		{"S04 row inserted", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) {
				must(f.InsertRows(cumSheet, templates.FirstDataRow+1, 1))
				must(f.SetCellStr(cumSheet, fmt.Sprintf("C%d", templates.FirstDataRow+1), "自行增加的指标"))
			})
		}, []string{"S04"}, nil},
		{"S05 row hidden", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) { must(f.SetRowVisible(cumSheet, rowOf(cumActual), false)) })
		}, []string{"S05"}, []check{{code: "S05", target: pk.cum.ID}}},
		{"S06 sheet deleted", func(s *scene) {
			s.replace(pk.mile.Lead, func(f *excelize.File) { must(f.DeleteSheet(templates.SheetMilestone)) })
		}, []string{"S06"}, []check{{target: pk.mile.ID, status: plan.Invalid}}},
		{"S07 row duplicated", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) { must(f.DuplicateRowTo(cumSheet, rowOf(cumActual), rowOf(cumActual)+1)) })
		}, []string{"S07"}, []check{{code: "S07", target: pk.cum.ID}}},
		{"S08 column inserted", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) { must(f.InsertCols(cumSheet, "B", 1)) })
		}, []string{"S08"}, nil},
		{"S09 column heading changed", func(s *scene) {
			s.replace(cumDept, set(cumSheet, fmt.Sprintf("%s%d", templates.Col(templates.QuantColumns, templates.ColActual), templates.HeaderRow), "完成"))
		}, []string{"S09"}, []check{{target: pk.cum.ID, status: plan.Invalid}}},

		{"S10 stamp sheet deleted", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) { must(f.DeleteSheet(templates.SheetMeta)) })
		}, []string{"S10"}, []check{{code: "S10", status: ""}}},

		{"V01 missing", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, nil)) }, []string{"V01"},
			[]check{{code: "V01", target: pk.cum.ID, cell: cumActual, status: plan.Missing}}},
		{"V01 milestone status missing", func(s *scene) { s.replace(pk.mile.Lead, set(mileSheet, mileStatus, nil)) }, []string{"V01"},
			[]check{{code: "V01", target: pk.mile.ID, cell: mileStatus, status: plan.Missing}}},
		{"V02 about", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, "约5")) }, []string{"V02"},
			[]check{{code: "V02", target: pk.cum.ID, cell: cumActual, status: plan.Invalid}}},
		{"V02 range", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, "5-6")) }, []string{"V02"}, nil},
		{"V02 chinese numerals", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, "五万")) }, []string{"V02"}, nil},
		{"V02 to be counted", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, "待统计")) }, []string{"V02"}, nil},
		{"V03 full width", func(s *scene) {
			s.replace(cumDept, set(cumSheet, cumActual, narrowInverse(plan.FormatNumber(goodCum))))
		}, []string{"V03"}, []check{{code: "V03", target: pk.cum.ID, cell: cumActual, status: plan.OnTrack}}},
		{"V03 unit", func(s *scene) {
			s.replace(cumDept, set(cumSheet, cumActual, plan.FormatNumber(goodCum)+pk.cum.Unit))
		}, []string{"V03"}, []check{{code: "V03", target: pk.cum.ID, status: plan.OnTrack}}},
		{"V03 percent format", func(s *scene) {
			s.replace(pk.share.Lead, func(f *excelize.File) {
				must(f.SetCellFloat(shareSheet, shareActual, goodValue(pk.share, testPeriod)/100, -1, 64))
				st, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
				must(f.SetCellStyle(shareSheet, shareActual, shareActual, st))
			})
		}, []string{"V03"}, []check{{code: "V03", target: pk.share.ID, cell: shareActual}}},
		{"V04 text number", func(s *scene) {
			s.replace(cumDept, set(cumSheet, cumActual, plan.FormatNumber(goodCum)))
		}, []string{"V04"}, []check{{code: "V04", target: pk.cum.ID, status: plan.OnTrack}}},
		{"V05 negative", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, -3.0)) }, []string{"V05"},
			[]check{{code: "V05", target: pk.cum.ID, status: plan.Invalid}}},
		{"V06 share over 100", func(s *scene) { s.replace(pk.share.Lead, set(shareSheet, shareActual, 120.0)) }, []string{"V06"},
			[]check{{code: "V06", target: pk.share.ID, status: plan.Invalid}}},
		{"V07 implausible", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, *pk.cum.Value*10)) }, []string{"V07"},
			[]check{{code: "V07", target: pk.cum.ID, status: plan.Done}}},
		{"V08 below previous", func(s *scene) {
			v := goodCum * 1.5
			s.opt.Previous = &plan.Round{PlanID: p.ID, Period: plan.MustPeriod("2025H1"), Targets: []plan.TargetResult{{ID: pk.cum.ID, Value: &v, Status: plan.OnTrack}}}
		}, []string{"V08"}, []check{{code: "V08", target: pk.cum.ID, cell: cumActual}}},
		{"V17 fell below the store's earlier period", func(s *scene) {
			s.opt.Earlier = earlierOf(pk.cum.ID, "2025H1", goodCum*1.5)
		}, []string{"V17"}, []check{{code: "V17", target: pk.cum.ID, cell: cumActual, status: plan.Invalid}}},
		{"V18 level jumped", func(s *scene) {
			s.opt.Earlier = earlierOf(pk.share.ID, "2025H1", goodValue(pk.share, testPeriod)/3)
		}, []string{"V18"}, []check{{code: "V18", target: pk.share.ID, cell: shareActual}}},
		{"V19 the same as the earlier period", func(s *scene) {
			s.opt.Earlier = earlierOf(pk.cum.ID, "2025H1", goodCum)
		}, []string{"V19"}, []check{{code: "V19", target: pk.cum.ID, cell: cumActual, status: plan.OnTrack}}},
		{"V17 not against a later period", func(s *scene) {
			s.opt.Earlier = earlierOf(pk.cum.ID, "2025", goodCum*1.5)
		}, nil, nil},
		{"V09 behind without problems", func(s *scene) { s.replace(cumDept, set(cumSheet, cumActual, *pk.cum.Value*0.1)) }, []string{"V09"},
			[]check{{code: "V09", target: pk.cum.ID, cell: cumProblems, status: plan.FarBehind}}},
		{"V09 not when explained", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) {
				must(f.SetCellFloat(cumSheet, cumActual, *pk.cum.Value*0.1, -1, 64))
				must(f.SetCellStr(cumSheet, cumProblems, "受市场影响，项目落地放缓。"))
			})
		}, nil, []check{{target: pk.cum.ID, status: plan.FarBehind}}},
		{"V10 formula", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) {
				must(f.SetCellFloat(cumSheet, cumActual, goodCum, -1, 64))
				must(f.SetCellFormula(cumSheet, cumActual, plan.FormatNumber(goodCum)+"*1"))
			})
		}, []string{"V10"}, []check{{code: "V10", target: pk.cum.ID, cell: cumActual, status: plan.OnTrack}}},
		{"V11 external link", func(s *scene) {
			s.replace(cumDept, func(f *excelize.File) {
				must(f.SetCellFloat(cumSheet, cumActual, goodCum, -1, 64))
				must(f.SetCellFormula(cumSheet, cumActual, "[1]Sheet1!A1"))
			})
		}, []string{"V11"}, []check{{code: "V11", target: pk.cum.ID, cell: cumActual, status: plan.OnTrack}}},
		{"V12 formula-like text", func(s *scene) { s.replace(cumDept, set(cumSheet, cumNote, "=HYPERLINK(\"http://x\")")) }, []string{"V12"},
			[]check{{code: "V12", target: pk.cum.ID, cell: cumNote}}},
		{"V13 bad milestone status", func(s *scene) { s.replace(pk.mile.Lead, set(mileSheet, mileStatus, "差不多了")) }, []string{"V13"},
			[]check{{code: "V13", target: pk.mile.ID, cell: mileStatus, status: plan.Invalid}}},
		{"V14 narrative past the template's limit", func(s *scene) {
			s.replace(cumDept, set(cumSheet, cumNote, strings.Repeat("进", templates.MaxNarrative+1)))
		}, []string{"V14"}, []check{{code: "V14", target: pk.cum.ID, cell: cumNote}}},

		{"M01 department missing", func(s *scene) { s.skip[cumDept] = true }, []string{"M01"},
			[]check{{code: "M01"}, {target: pk.cum.ID, status: plan.Missing}}},
		{"M02 target not in template", func(s *scene) {
			s.skip[cumDept] = true
			q := altPlan(func(q *plan.Plan) {
				var keep []plan.Target
				for _, tg := range q.Targets {
					if tg.ID != pk.cum.ID {
						keep = append(keep, tg)
					}
				}
				q.Targets = keep
			})
			s.files["少一项.xlsx"] = buildWith(q, cumDept, testPeriod)
		}, []string{"M02"}, []check{{code: "M02", target: pk.cum.ID, status: plan.Missing}}},
		{"C01 区县 sum and city figure differ", func(s *scene) {
			st := splitTarget(t, p)
			d := p.ReportingDistricts()[0]
			s.withDistricts(nil, map[string]func(f *excelize.File){
				d.Code: set(templates.SheetQuant, districtCell(p, d.Code, st.ID, templates.ColActual), districtGood(st, d.Code)+goodValue(st, testPeriod)*0.1),
			})
		}, []string{"C01"}, []check{{code: "C01", target: splitTarget(t, p).ID}}},
		{"C02 区县 missing", func(s *scene) { s.withDistricts(map[string]bool{p.ReportingDistricts()[0].Code: true}, nil) },
			[]string{"C02"}, []check{{code: "C02"}}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newScene(t, p)
			c.setup(s)
			res := s.run()
			r := res.Round
			want := map[string]bool{}
			for _, w := range c.want {
				want[w] = true
				covered[w] = true
			}
			var wantList []string
			for w := range want {
				wantList = append(wantList, w)
			}
			sort.Strings(wantList)
			if got := codes(r); strings.Join(got, ",") != strings.Join(wantList, ",") {
				t.Errorf("codes %v; want %v\n%s", got, wantList, dumpFindings(r))
			}
			for _, ch := range c.check {
				if ch.code != "" {
					ok := false
					for _, f := range findingsWith(r, ch.code) {
						if (ch.target == "" || f.Target == ch.target) && (ch.cell == "" || f.Cell == ch.cell) {
							ok = true
							if f.Message == "" || (f.Severity != plan.Info && f.File == "" && f.Code != plan.MissingDept && f.Code != plan.MissingDistrict) {
								t.Errorf("finding lacks message or file: %+v", f)
							}
						}
					}
					if !ok {
						t.Errorf("no %s at target %q cell %q\n%s", ch.code, ch.target, ch.cell, dumpFindings(r))
					}
				}
				if ch.status != "" {
					tr, _ := r.Result(ch.target)
					if tr.Status != ch.status {
						t.Errorf("target %s status %s (%s); want %s", ch.target, tr.Status, tr.Explanation, ch.status)
					}
				}
			}
			for _, f := range r.Findings {
				def, ok := plan.Def(f.Code)
				if !ok {
					t.Errorf("code %s not in catalogue", f.Code)
				} else if f.Severity != def.Severity && f.Code != plan.FileOtherPeriod {
					t.Errorf("%s severity %s; catalogue says %s", f.Code, f.Severity, def.Severity)
				}
			}
		})
	}
	// Codes that arise outside Collect, tested where they arise.
	elsewhere := map[string]string{
		plan.FileNoFeedback: "TestFeedbackCopyFailures (WriteOutputs)",
		"F24":               "serve's TestAttackOtherUnitsToken",
		"F25":               "serve's TestAttackSeveralFilesInOneUpload",
	}
	for _, d := range plan.Catalogue {
		if _, ok := elsewhere[d.Code]; !covered[d.Code] && !ok {
			t.Errorf("no test case for %s", d.Code)
		}
	}
}

// narrowInverse writes digits and the point in full width: 5.5 → ５．５.
func narrowInverse(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune('０' + (r - '0'))
		case r == '.':
			b.WriteRune('．')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// earlierOf is an Options.Earlier that knows one target's value in one period.
func earlierOf(id, period string, v float64) func(plan.Period) map[string]Prior {
	return func(plan.Period) map[string]Prior {
		return map[string]Prior{id: {Period: plan.MustPeriod(period), Value: v}}
	}
}
