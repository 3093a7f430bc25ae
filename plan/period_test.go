package plan

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		code    string
		elapsed float64
		end     string // YYYY-MM-DD
		label   string
		covers  string
	}{
		{"2025Q1", Period{2025, Quarter, 1}, "2025Q1", 0.25, "2025-03-31", "2025年一季度", "2025年1月1日至3月31日"},
		{"2025Q2", Period{2025, Quarter, 2}, "2025Q2", 0.5, "2025-06-30", "2025年上半年", "2025年1月1日至6月30日"},
		{"2025Q3", Period{2025, Quarter, 3}, "2025Q3", 0.75, "2025-09-30", "2025年前三季度", "2025年1月1日至9月30日"},
		{"2025Q4", Period{2025, Quarter, 4}, "2025Q4", 1, "2025-12-31", "2025年全年", "2025年1月1日至12月31日"},
		{"2025H1", Period{2025, Half, 1}, "2025H1", 0.5, "2025-06-30", "2025年上半年", "2025年1月1日至6月30日"},
		{"2025H2", Period{2025, Half, 2}, "2025H2", 1, "2025-12-31", "2025年全年", "2025年1月1日至12月31日"},
		{"2025M01", Period{2025, Month, 1}, "2025M01", 1.0 / 12, "2025-01-31", "2025年1月", "2025年1月1日至1月31日"},
		{"2025M02", Period{2025, Month, 2}, "2025M02", 2.0 / 12, "2025-02-28", "2025年1-2月", "2025年1月1日至2月28日"},
		{"2025M03", Period{2025, Month, 3}, "2025M03", 3.0 / 12, "2025-03-31", "2025年1-3月", "2025年1月1日至3月31日"},
		{"2025M04", Period{2025, Month, 4}, "2025M04", 4.0 / 12, "2025-04-30", "2025年1-4月", "2025年1月1日至4月30日"},
		{"2025M05", Period{2025, Month, 5}, "2025M05", 5.0 / 12, "2025-05-31", "2025年1-5月", "2025年1月1日至5月31日"},
		{"2025M06", Period{2025, Month, 6}, "2025M06", 6.0 / 12, "2025-06-30", "2025年1-6月", "2025年1月1日至6月30日"},
		{"2025M07", Period{2025, Month, 7}, "2025M07", 7.0 / 12, "2025-07-31", "2025年1-7月", "2025年1月1日至7月31日"},
		{"2025M08", Period{2025, Month, 8}, "2025M08", 8.0 / 12, "2025-08-31", "2025年1-8月", "2025年1月1日至8月31日"},
		{"2025M09", Period{2025, Month, 9}, "2025M09", 9.0 / 12, "2025-09-30", "2025年1-9月", "2025年1月1日至9月30日"},
		{"2025M10", Period{2025, Month, 10}, "2025M10", 10.0 / 12, "2025-10-31", "2025年1-10月", "2025年1月1日至10月31日"},
		{"2025M11", Period{2025, Month, 11}, "2025M11", 11.0 / 12, "2025-11-30", "2025年1-11月", "2025年1月1日至11月30日"},
		{"2025M12", Period{2025, Month, 12}, "2025M12", 1, "2025-12-31", "2025年1-12月", "2025年1月1日至12月31日"},
		{"2025-09", Period{2025, Month, 9}, "2025M09", 0.75, "2025-09-30", "2025年1-9月", "2025年1月1日至9月30日"},
		{"2025-1", Period{2025, Month, 1}, "2025M01", 1.0 / 12, "2025-01-31", "2025年1月", "2025年1月1日至1月31日"},
		{"2025M9", Period{2025, Month, 9}, "2025M09", 0.75, "2025-09-30", "2025年1-9月", "2025年1月1日至9月30日"},
		{"2025", Period{2025, Year, 0}, "2025", 1, "2025-12-31", "2025年全年", "2025年1月1日至12月31日"},
		{"2025q3", Period{2025, Quarter, 3}, "2025Q3", 0.75, "2025-09-30", "2025年前三季度", "2025年1月1日至9月30日"},
		{"2025h1", Period{2025, Half, 1}, "2025H1", 0.5, "2025-06-30", "2025年上半年", "2025年1月1日至6月30日"},
		{"2025m09", Period{2025, Month, 9}, "2025M09", 0.75, "2025-09-30", "2025年1-9月", "2025年1月1日至9月30日"},
		{" 2025Q3 ", Period{2025, Quarter, 3}, "2025Q3", 0.75, "2025-09-30", "2025年前三季度", "2025年1月1日至9月30日"},
		{"2024M02", Period{2024, Month, 2}, "2024M02", 2.0 / 12, "2024-02-29", "2024年1-2月", "2024年1月1日至2月29日"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if err != nil {
				t.Fatalf("ParsePeriod(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParsePeriod(%q) = %+v; want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.code {
				t.Errorf("String() = %q; want %q", s, tt.code)
			}
			if e := got.Elapsed(); e != tt.elapsed {
				t.Errorf("Elapsed() = %v; want %v", e, tt.elapsed)
			}
			if e := got.End().Format(time.DateOnly); e != tt.end {
				t.Errorf("End() = %s; want %s", e, tt.end)
			}
			if l := got.Label(); l != tt.label {
				t.Errorf("Label() = %q; want %q", l, tt.label)
			}
			if c := got.Covers(); c != tt.covers {
				t.Errorf("Covers() = %q; want %q", c, tt.covers)
			}
			// The canonical code reads back as the same period.
			if again, err := ParsePeriod(got.String()); err != nil || again != got {
				t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", got.String(), again, err, got)
			}
		})
	}
}

func TestPeriodFormsFollowTheYearTyped(t *testing.T) {
	_, err := ParsePeriod("2026Q5")
	if err == nil || !strings.Contains(err.Error(), "2026Q1–2026Q4") || !strings.Contains(err.Error(), "例如 2026Q3") {
		t.Errorf("ParsePeriod(2026Q5): %v; want the forms of 2026", err)
	}
}

func TestParsePeriodErrors(t *testing.T) {
	for _, in := range []string{
		"2025Q5", "2025Q0", "2025H3", "2025H0", "2025M13", "2025M00", "2025-13", "2025-00",
		"25Q1", "", "   ", "2025 Q3", "2025Q", "2025M123", "Q3", "2025年", "2025年前三季度",
		"１９９９", "1999", "2101Q1", "2025Y1", "2025Q3x", "2025/09", "2025-9-30",
	} {
		t.Run(in, func(t *testing.T) {
			p, err := ParsePeriod(in)
			if err == nil {
				t.Fatalf("ParsePeriod(%q) = %+v; want an error", in, p)
			}
			msg := err.Error()
			for _, want := range []string{"报告期", "无法识别", "2025Q1–2025Q4", "2025H1 / 2025H2", "2025M01–2025M12", "2025-01–2025-12", "2025（全年）", "例如 2025Q3"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q; want it to contain %q", msg, want)
				}
			}
			if p != (Period{}) {
				t.Errorf("ParsePeriod(%q) = %+v with an error; want the zero Period", in, p)
			}
		})
	}
}

func TestMustPeriodPanicsOnBadInput(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("MustPeriod(%q) did not panic", "2025Q5")
		}
	}()
	MustPeriod("2025Q5")
}

func TestEndMonth(t *testing.T) {
	tests := map[string]int{
		"2025": 12, "2025H1": 6, "2025H2": 12, "2025Q1": 3, "2025Q2": 6, "2025Q3": 9, "2025Q4": 12, "2025M07": 7,
	}
	for in, want := range tests {
		if got := MustPeriod(in).EndMonth(); got != want {
			t.Errorf("MustPeriod(%q).EndMonth() = %d; want %d", in, got, want)
		}
	}
}

// TestPeriodJSON: a period is its canonical code in JSON, read back parsed;
// a code that is not a period is refused when it is read, not later.
func TestPeriodJSON(t *testing.T) {
	r := Round{Schema: RoundSchema, Period: MustPeriod("2025m9"), Files: []InputFile{{Path: "a"}, {Path: "b", Period: MustPeriod("2025H1")}}}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, `"period":"2025M09"`) || !strings.Contains(s, `{"path":"b","sha256":"","size":0,"period":"2025H1"`) ||
		strings.Contains(s, `{"path":"a","sha256":"","size":0,"period"`) {
		t.Errorf("round.json %s: want period codes, none for a file without one", s)
	}
	var back Round
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Period != r.Period || back.Files[1].Period != r.Files[1].Period || !back.Files[0].Period.IsZero() {
		t.Errorf("read back %+v; want %+v", back, r)
	}
	err = json.Unmarshal([]byte(`{"period":"2025Q5"}`), &back)
	if err == nil || !strings.Contains(err.Error(), "2025Q5") || !strings.Contains(err.Error(), "无法识别") {
		t.Errorf("bad period: %v; want a Chinese error naming it", err)
	}
}
