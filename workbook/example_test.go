package workbook_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"planrep/plan"
	"planrep/seeds"
	"planrep/templates"
	"planrep/workbook"
)

// A department sends back its template without filling it in: the return is
// accepted, and each of its targets gets a V01 finding (value missing).
func ExampleCollect() {
	p, _, err := seeds.Default()
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "returns")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir) // cleanup of a temporary folder
	per := plan.MustPeriod("2025Q3")
	d := p.LeadDepts()[0]
	f, err := os.Create(filepath.Join(dir, templates.FileName(per, d)))
	if err != nil {
		panic(err)
	}
	if err := templates.Write(f, p, d, templates.Options{Period: per, Now: time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}

	res, err := workbook.Collect(p, []string{dir}, workbook.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Round
	missing := 0
	for _, x := range r.Findings {
		if x.Code == plan.ValueMissing {
			missing++
		}
	}
	fmt.Println(r.Period, r.Files[0].Verdict, r.Departments[0].Submitted)
	fmt.Println(missing == len(p.Led(d.Code)))
	// Output:
	// 2025Q3 accepted true
	// true
}
