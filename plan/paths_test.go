package plan

import "testing"

func TestRelativeFiles(t *testing.T) {
	r := &Round{Files: []InputFile{
		{Path: `/home/fgw/汇总/收件箱/市商务局/2025Q3_市商务局_SWJ.xlsx`},
		{Path: `/home/fgw/汇总/收件箱/补报.zip!2025Q3_市水利局_SLJ.xlsx`},
		{Path: `/home/fgw/汇总/收件箱/2025Q3_市财政局_CZJ.xlsx`},
	}}
	dir := r.SourceDir()
	if dir != "/home/fgw/汇总/收件箱" {
		t.Fatalf("sourceDir = %q", dir)
	}
	for in, want := range map[string]string{
		r.Files[0].Path:     "市商务局/2025Q3_市商务局_SWJ.xlsx",
		r.Files[1].Path:     "补报.zip!2025Q3_市水利局_SLJ.xlsx",
		"/elsewhere/x.xlsx": "/elsewhere/x.xlsx",
		"":                  "",
	} {
		if got := RelativePath(dir, in); got != want {
			t.Errorf("RelativePath(%q) = %q; want %q", in, got, want)
		}
	}
	win := &Round{Files: []InputFile{{Path: `C:\汇总\收件箱\a.xlsx`}, {Path: `C:\汇总\收件箱\b\c.xlsx`}}}
	if d := win.SourceDir(); RelativePath(d, `C:\汇总\收件箱\b\c.xlsx`) != "b/c.xlsx" {
		t.Errorf("windows: dir %q, relative %q", d, RelativePath(d, `C:\汇总\收件箱\b\c.xlsx`))
	}
}
