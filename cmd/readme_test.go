package cmd

import (
	"flag"
	"fmt"
	"os"
	"regexp"
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

// TestREADMESetUp keeps the README's set-up true: the Go version go.mod
// requires, exactly the two commands, and the Debian packages .ci/run installs
// (-update rewrites the list).
func TestREADMESetUp(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	for _, want := range []string{"Go " + string(m[1]) + " or later", "安装 Go " + string(m[1]) + " 或更高版本"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md does not say %q (go.mod requires go %s)", want, m[1])
		}
	}
	setUp := string(readme)
	setUp = setUp[strings.Index(setUp, "## Set up"):]
	block := setUp[strings.Index(setUp, "```\n")+4:]
	block = block[:strings.Index(block, "```")]
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		cmds = append(cmds, strings.TrimSpace(strings.SplitN(l, "#", 2)[0]))
	}
	if strings.Join(cmds, "\n") != "go run ./cmd/planrep demo\ngo test ./..." {
		t.Errorf("the set-up block holds %q; want exactly go run ./cmd/planrep demo and go test ./...", cmds)
	}

	ci, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	p := regexp.MustCompile(`(?s)\npkgs=\(([^)]*)\)`).FindSubmatch(ci)
	if p == nil {
		t.Fatal(".ci/run has no pkgs=( … ) list")
	}
	checkReadmeSection(t, "ci-packages", "```\napt-get install "+strings.Join(strings.Fields(string(p[1])), " ")+"\n```\n")
}
