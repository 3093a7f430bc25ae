package extract

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"planrep/plan"
)

// SuggestionNote says, in the words the office reads, what a suggested
// lead rests on.
func SuggestionNote(s Suggestion) string {
	if len(s.Basis) == 0 {
		return "建议：未匹配到部门职责关键词，暂由计划主管部门牵头，请指定"
	}
	return "建议（依据职责关键词：" + strings.Join(s.Basis, "、") + "），请核实"
}

// draftHead opens a draft registry: what it is and what is left to do.
const draftHead = `登记表草稿：由 planrep extract 从计划原文生成，请审核后使用。
每项指标的牵头部门（lead）和配合部门（support）都是按部门职责关键词表给出的建议，
行尾注明了依据；请逐项核实修改，再用 planrep plan check 检查。
重点任务（kind: milestone）的计划完成时间（due）取自原文，未写明的按年底。`

// MarshalDraft writes a draft registry as YAML, as plan.Marshal does, with
// a note on every lead and supporting department saying it is a suggestion
// from the roster and what it rests on.
func MarshalDraft(p *plan.Plan, r *Roster) ([]byte, error) {
	if r == nil {
		r = builtin()
	}
	var doc yaml.Node
	if err := doc.Encode(p); err != nil {
		return nil, err
	}
	doc.HeadComment = draftHead
	targets := mapValue(&doc, "targets")
	if targets == nil || len(targets.Content) != len(p.Targets) {
		return nil, fmt.Errorf("草稿的指标无法逐项标注（%d 项）", len(p.Targets))
	}
	for i, t := range p.Targets {
		node := targets.Content[i]
		s := r.Suggest(t)
		if lead := mapValue(node, "lead"); lead != nil && t.Lead == s.Lead {
			lead.LineComment = SuggestionNote(s)
		}
		if key := mapKey(node, "support"); key != nil && len(t.Support) > 0 {
			key.LineComment = "建议配合部门，请核实"
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mapKey returns the key node of key in a mapping node, nil if absent.
func mapKey(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// mapValue returns the value of key in a mapping node, nil if absent.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
