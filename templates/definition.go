package templates

import (
	"strconv"

	"planrep/plan"
)

// Definition is the text the template shows in target t's locked column key
// (a definition column of either data sheet): what a return's cell must
// still hold. The target value is a number, given as its shortest decimal.
// It is a department's row: a 区县's 目标表述 is builder.rowStatement's.
func Definition(t plan.Target, key string) string {
	switch key {
	case ColID:
		return t.ID
	case ColChapter:
		return t.Chapter
	case ColIndicator:
		return t.Indicator
	case ColTarget:
		if goal, ok := goalOf(t); ok {
			return strconv.FormatFloat(goal, 'f', -1, 64)
		}
		return ""
	case ColUnit:
		return t.Unit
	case ColStatement:
		return statement(t)
	case ColKind:
		return t.Kind.Label()
	case ColQuote:
		return t.Quote
	case ColDue:
		return dueText(t)
	}
	return ""
}
