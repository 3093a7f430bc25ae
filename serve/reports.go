package serve

import (
	"io"
	"path/filepath"
	"time"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/report"
	reportpdf "planrep/report/pdf"
	reportxlsx "planrep/report/xlsx"
)

// ReportWriter returns the desk's report writer: the same brief and
// renderers as `planrep report`, dated by now, with the deadline given.
func ReportWriter(now func() time.Time, deadline string) func(p *plan.Plan, r *plan.Round, dir string) ([]string, error) {
	return func(p *plan.Plan, r *plan.Round, dir string) ([]string, error) {
		t := now()
		b := report.Compute(p, r, report.Options{Date: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), Deadline: deadline})
		xlsx := filepath.Join(dir, r.Period.String()+"_进度报告.xlsx")
		pdf := filepath.Join(dir, r.Period.String()+"_简报.pdf")
		if err := safefile.Write(xlsx, func(w io.Writer) error { return reportxlsx.Write(w, b) }); err != nil {
			return nil, err
		}
		if err := safefile.Write(pdf, func(w io.Writer) error { return reportpdf.Write(w, b, nil) }); err != nil {
			return nil, err
		}
		return []string{xlsx, pdf}, nil
	}
}
