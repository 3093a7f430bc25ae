// Package seeds embeds the default plan: the registry of 淄博市 2025 年国民经济和
// 社会发展计划 and the plan's text it is traced to.
package seeds

import (
	"embed"
	"io/fs"

	"planrep/plan"
)

//go:embed zibo-2025/plan.yaml zibo-2025/plan.txt
var files embed.FS

// DefaultPath is the default plan's registry inside FS.
const DefaultPath = "zibo-2025/plan.yaml"

// FS holds the embedded plans.
func FS() fs.FS { return files }

// Default loads the embedded default plan.
func Default() (*plan.Plan, plan.Lines, error) {
	return plan.Load(files, DefaultPath)
}
