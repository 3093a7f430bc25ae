package plan

// FindingDef is one entry of the findings catalogue: a stable code, its
// severity, a short Chinese title and what the reader should do about it.
type FindingDef struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Advice   string   `json:"advice"`
}

// Catalogue lists every finding planrep can report, by code. Codes are
// stable: F file, S structure, V value, M completeness.
var Catalogue = []FindingDef{}

// Def returns the catalogue entry of a code.
func Def(code string) (FindingDef, bool) {
	for _, d := range Catalogue {
		if d.Code == code {
			return d, true
		}
	}
	return FindingDef{}, false
}
