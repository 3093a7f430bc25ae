package workbook

import "testing"

func TestParseNumber(t *testing.T) {
	cases := []struct {
		raw, unit string
		want      float64
		lenient   bool
		bad       bool
	}{
		{"430", "个", 430, false, false},
		{" 5.5 ", "%", 5.5, false, false},
		{"５．５", "%", 5.5, true, false},
		{"1,234", "个", 1234, true, false},
		{"1,234.5", "亿元", 1234.5, true, false},
		{"12,34", "个", 0, false, true},
		{"5.5%", "%", 5.5, true, false},
		{"430个", "个", 430, true, false},
		{"1181亿元", "亿元", 1181, true, false},
		{"－3", "个", -3, true, false},
		{"约5", "个", 0, false, true},
		{"5-6", "个", 0, false, true},
		{"五万", "个", 0, false, true},
		{"待统计", "个", 0, false, true},
		{"5万", "个", 0, false, true},
		{"NaN", "个", 0, false, true},
		{"Inf", "个", 0, false, true},
		{"1e3", "个", 1000, false, false},
		{"", "个", 0, false, true},
		{"个", "个", 0, false, true},
	}
	for _, c := range cases {
		got := parseNumber(c.raw, c.unit)
		if (got.Problem != "") != c.bad {
			t.Errorf("%q: problem %q; want bad=%v", c.raw, got.Problem, c.bad)
			continue
		}
		if c.bad {
			continue
		}
		if got.Value != c.want || (len(got.Notes) > 0) != c.lenient {
			t.Errorf("%q: got %v notes %v; want %v lenient=%v", c.raw, got.Value, got.Notes, c.want, c.lenient)
		}
	}
}

func TestParseDate(t *testing.T) {
	for raw, want := range map[string]string{
		"45938":                "2025-10-08",
		"2025-10-08":           "2025-10-08",
		"2025/10/8":            "2025-10-08",
		"2025年10月8日":           "2025-10-08",
		"2025.10.08":           "2025-10-08",
		"2025-10-08T00:00:00Z": "2025-10-08",
	} {
		got, ok := parseDate(raw)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("%q: %v %v; want %s", raw, got, ok, want)
		}
	}
	for _, raw := range []string{"", "昨天", "0", "-5"} {
		if _, ok := parseDate(raw); ok {
			t.Errorf("%q parsed", raw)
		}
	}
}
