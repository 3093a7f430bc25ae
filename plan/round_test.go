package plan

import (
	"math/rand"
	"reflect"
	"testing"
)

func TestCellLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"A9", "A10", true},
		{"A10", "A9", false},
		{"Z1", "AA1", true},
		{"AA1", "Z1", false},
		{"B1", "A2", true}, // row first
		{"A2", "B1", false},
		{"A1", "B1", true},
		{"A1", "A1", false},
		{"", "A1", true}, // no cell before any cell
		{"A1", "", false},
		{"AZ5", "BA5", true},
		{"ZZ5", "AAA5", true},
	}
	for _, tt := range tests {
		if got := cellLess(tt.a, tt.b); got != tt.want {
			t.Errorf("cellLess(%q, %q) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSortFindingsDeterministic(t *testing.T) {
	want := []Finding{
		{Dept: "", File: "a.xlsx", Severity: Error, Code: "F01", Message: "无法打开"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "I5", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "I9", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "I10", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "Z10", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "AA10", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "AA10", Code: "V02", Message: "乙"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "指标进度", Cell: "AA10", Code: "V02", Message: "甲"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "重点任务", Code: "S01", Target: "1-02", Message: "行被删除"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "重点任务", Code: "S01", Target: "1-03", Message: "行被删除"},
		{Dept: "FGW", File: "a.xlsx", Severity: Error, Sheet: "重点任务", Cell: "F5", Code: "V01"},
		{Dept: "FGW", File: "a.xlsx", Severity: Warning, Sheet: "指标进度", Cell: "I5", Code: "V10"},
		{Dept: "FGW", File: "a.xlsx", Severity: Info, Code: "F20"},
		{Dept: "FGW", File: "b.xlsx", Severity: Error, Code: "F02"},
		{Dept: "SWJ", Severity: Error, Code: "M01"},
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 100; i++ {
		got := append([]Finding(nil), want...)
		rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		SortFindings(got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d: SortFindings gave\n%v\nwant\n%v", i, got, want)
		}
	}
}

func TestSeverityLabel(t *testing.T) {
	for s, want := range map[Severity]string{Error: "错误", Warning: "警告", Info: "提示"} {
		if got := s.Label(); got != want {
			t.Errorf("%s.Label() = %q; want %q", s, got, want)
		}
	}
}

func TestRoundFingerprintAndResult(t *testing.T) {
	r := &Round{Schema: RoundSchema, PlanID: "demo", Period: MustPeriod("2025Q3"),
		Targets: []TargetResult{{ID: "a", Status: Done}, {ID: "b", Status: Behind}}}
	fp := r.Fingerprint()
	if again := r.Fingerprint(); again != fp {
		t.Errorf("Fingerprint() = %s then %s; want stable", fp, again)
	}
	r.Targets[1].Status = OnTrack
	if r.Fingerprint() == fp {
		t.Errorf("Fingerprint unchanged after a status changed; want a new one")
	}
	if got, ok := r.Result("b"); !ok || got.Status != OnTrack {
		t.Errorf("Result(b) = %+v, %v; want status %s", got, ok, OnTrack)
	}
	if _, ok := r.Result("z"); ok {
		t.Errorf("Result(z) found; want not found")
	}
}
