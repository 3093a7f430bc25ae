package cmd

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"planrep/plan"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated parts of README.md")

// TestREADMEFindings keeps the README's findings table equal to the catalogue
// that `planrep findings` prints. Run with -update to regenerate it.
func TestREADMEFindings(t *testing.T) {
	var b strings.Builder
	b.WriteString("| code | severity | finding | what to do |\n|---|---|---|---|\n")
	for _, d := range plan.Catalogue {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", d.Code, d.Severity.Label(), cellText(d.Title), cellText(d.Advice))
	}
	checkReadmeSection(t, "findings", b.String())
}

func cellText(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// checkReadmeSection compares the text between <!-- name:begin --> and
// <!-- name:end --> in README.md with want, or rewrites it with -update.
func checkReadmeSection(t *testing.T, name, want string) {
	t.Helper()
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q and %q", begin, end)
	}
	got := s[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md section %q is out of date; run go test ./cmd -run TestREADME -update\ngot:\n%s\nwant:\n%s", name, got, want)
}
