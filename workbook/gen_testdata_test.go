package workbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestGenTestdata writes the seed files the committed testdata came from.
func TestGenTestdata(t *testing.T) {
	if os.Getenv("PLANREP_GEN") == "" {
		t.Skip("set PLANREP_GEN=1 to regenerate")
	}
	p := loadPlan(t)
	data := makeReturn(t, p, "SLJ", nil)
	writeFile(t, "/tmp/gen/return.xlsx", data)
	f, err := excelize.OpenReader(bytesReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join("testdata", "encrypted.xlsx"), excelize.Options{Password: "123456"}); err != nil {
		t.Fatal(err)
	}
}
