package simulate

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"planrep/plan"
)

// newRand is the random source of one department: it depends only on the
// seed and the department's code, so the returns are the same whatever
// order or how many workers they are made in.
func newRand(seed uint64, dept string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(dept))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// actual is a plausible reported value for a quantitative target: around
// the schedule, some ahead and some behind.
func actual(r *rand.Rand, t plan.Target, p plan.Period) float64 {
	goal := 0.0
	if t.Value != nil {
		goal = *t.Value
	}
	e := t.Expected(p)
	noise := func(sd float64) float64 { return 1 + r.NormFloat64()*sd }
	var v float64
	switch t.Kind {
	case plan.Growth:
		v = goal + r.NormFloat64()*math.Max(0.6, math.Abs(goal)*0.15)
		if goal >= 0 {
			v = math.Max(v, 0.1)
		}
	case plan.Level:
		if t.Baseline != nil {
			b := t.Baseline.Value
			v = b + (goal-b)*e*noise(0.15)
		} else {
			v = goal * math.Min(1.05, noise(0.06)-0.06)
		}
	case plan.Ceiling:
		v = goal * noise(0.035) * 0.97
	default: // cumulative, reduction
		v = goal * e * noise(0.15)
	}
	if t.Kind != plan.Growth {
		v = math.Max(v, 0)
		if goal > 0 {
			v = math.Min(v, 2*goal) // never implausible by accident
		}
	}
	if t.Unit == "%" && t.Kind != plan.Growth {
		v = math.Min(v, 100)
	}
	return roundTo(v, decimals(t))
}

// decimals is how precisely a department states the value.
func decimals(t plan.Target) int {
	goal := 0.0
	if t.Value != nil {
		goal = math.Abs(*t.Value)
	}
	switch {
	case t.Unit == "%" || t.Unit == "个百分点":
		return 1
	case countUnit(t.Unit): // nobody reports 1.16 处 or 0.57 个
		return 0
	case goal >= 1000:
		return 0
	case goal < 10:
		return 2
	}
	return 1
}

func countUnit(u string) bool {
	switch u {
	case "个", "家", "项", "场", "件", "人", "名", "人次", "所", "张", "座", "处", "条", "台", "辆", "户",
		"套", "车", "列", "次", "部", "批", "篇", "栋", "间", "个村", "床", "标箱":
		return true
	}
	return false
}

func roundTo(v float64, d int) float64 {
	m := math.Pow(10, float64(d))
	return math.Round(v*m) / m
}

// numText prints a value as a department types it.
func numText(v float64, t plan.Target) string {
	return plan.FormatNumber(roundTo(v, decimals(t)))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Names and words for the narratives.
var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "曹", "许", "邓", "冯", "崔", "毕", "翟", "蒲"}
	given    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "华", "慧", "鹏", "建国", "晓东", "海燕", "志强", "红梅", "立新", "文静", "国庆", "春雷", "晓燕", "振华", "金凤", "庆林", "秀英", "学军", "玉兰", "卫东", "雪梅", "成刚", "德胜"}

	progressTails = []string{
		"各项工作有序推进。",
		"重点项目按时间节点推进。",
		"已建立月调度机制，定期通报进展。",
		"主要指标运行总体平稳。",
		"已分解落实到各区县和责任单位。",
		"工作专班每周调度，推进情况良好。",
	}
	problems = []string{
		"受市场需求偏弱影响，部分企业生产经营承压，指标增速放缓。",
		"部分重点项目受用地、环评等前期手续影响，开工时间较计划推迟。",
		"资金到位较慢，项目建设进度受到一定影响。",
		"汛期施工受限，部分工程进度有所滞后。",
		"部分区县推进力度不平衡，进度差异较大。",
		"原材料价格波动较大，部分企业投资意愿不足。",
		"个别项目招标程序调整，实施周期延长。",
		"跨部门协调事项较多，审批环节用时较长。",
	}
	nextSteps = []string{
		"加强调度，倒排工期，确保完成全年目标。",
		"建立问题清单，逐项协调解决用地、资金等要素保障问题。",
		"加大督导力度，对进度滞后的区县开展专项督办。",
		"强化部门协同，定期会商，推动项目加快建设。",
		"用好专项债券和政策性资金，加快资金拨付使用。",
		"实行周调度、月通报，压实责任，加快推进。",
	}
	keepUp = []string{
		"继续加强跟踪调度，巩固向好态势。",
		"持续抓好落实，确保全年目标顺利完成。",
		"做好四季度各项工作衔接，力争超额完成。",
	}
	milestoneNotes = []string{
		"已完成前期手续办理，正在组织施工。",
		"主体工程加快建设，完成年度投资的%d%%。",
		"已制定工作方案，各项工作按时间节点推进。",
		"已完成招标，施工单位已进场。",
		"完成阶段性任务，正在开展下一阶段工作。",
	}
	doneNotes = []string{
		"已按期完成，正在组织验收。",
		"任务已全部完成，相关资料已归档。",
		"已完成并投入使用，运行情况良好。",
	}
	lateNotes = []string{
		"前期手续仍在办理中，尚未全面开工。",
		"项目已开工，但进度慢于计划。",
		"方案正在论证完善，实施时间推迟。",
	}
)

// person is a plausible 填报人.
func person(r *rand.Rand) string { return pick(r, surnames) + pick(r, given) }

// phone is a landline of the city (0533) or a mobile number.
func phone(r *rand.Rand) string {
	if r.IntN(5) == 0 {
		return fmt.Sprintf("1%d%d%08d", pick(r, []int{3, 5, 8}), r.IntN(10), r.IntN(100000000))
	}
	return fmt.Sprintf("0533-%d%06d", pick(r, []int{2, 3, 6, 7, 8}), r.IntN(1000000))
}

// filledOn is a 填报日期 a few days before the deadline.
func filledOn(r *rand.Rand, deadline time.Time) time.Time {
	return deadline.AddDate(0, 0, -r.IntN(6))
}

// quantNote is 进展情况 for a quantitative target.
func quantNote(r *rand.Rand, t plan.Target, p plan.Period, v float64, ev plan.Evaluation) string {
	label := strings.TrimPrefix(p.Label(), fmt.Sprint(p.Year, "年"))
	val := numText(v, t) + t.Unit
	var head string
	switch t.Kind {
	case plan.Growth:
		head = fmt.Sprintf("%s，%s%s", label, t.Indicator, val)
	case plan.Level, plan.Ceiling:
		head = fmt.Sprintf("截至%d月底，%s为%s", p.EndMonth(), t.Indicator, val)
	case plan.Reduction:
		head = fmt.Sprintf("%s，%s%s", label, t.Indicator, val)
	default:
		head = fmt.Sprintf("%s累计完成%s", label, val)
		if ev.Progress != nil {
			head += fmt.Sprintf("，占年度目标的%.1f%%", *ev.Progress*100)
		}
	}
	switch {
	case ev.Status == plan.Done:
		return head + "，已完成年度目标。"
	case ev.Status.Lagging():
		return head + "，进度慢于预期。"
	}
	return head + "，" + pick(r, progressTails)
}

// milestoneNote is 进展情况 for a milestone in the given status.
func milestoneNote(r *rand.Rand, status string) string {
	switch status {
	case plan.MilestoneDone:
		return pick(r, doneNotes)
	case plan.MilestoneBehind, plan.MilestoneNotBegun:
		return pick(r, lateNotes)
	}
	n := pick(r, milestoneNotes)
	if strings.Contains(n, "%d") {
		n = fmt.Sprintf(n, 55+r.IntN(35))
	}
	return n
}

// milestoneStatus is the status a department picks.
func milestoneStatus(r *rand.Rand, t plan.Target, p plan.Period) string {
	due, err := plan.ParsePeriod(t.Due)
	passed := err == nil && t.Due != "" && !due.End().After(p.End())
	x := r.Float64()
	if passed {
		if x < 0.85 {
			return plan.MilestoneDone
		}
		return plan.MilestoneBehind
	}
	switch {
	case x < 0.15:
		return plan.MilestoneDone
	case x < 0.85:
		return plan.MilestoneOnPlan
	case x < 0.97:
		return plan.MilestoneBehind
	}
	return plan.MilestoneNotBegun
}

// behindValue is a value clearly behind schedule, for a fault that needs one.
func behindValue(r *rand.Rand, t plan.Target, p plan.Period) float64 {
	goal := *t.Value
	e := t.Expected(p)
	var v float64
	switch t.Kind {
	case plan.Growth:
		v = goal - math.Max(0.8, math.Abs(goal)*0.3)*(1+r.Float64())
		if goal >= 0 {
			v = math.Max(v, 0.1)
		}
	case plan.Ceiling:
		v = goal * (1.08 + 0.1*r.Float64())
	case plan.Level:
		if t.Baseline != nil {
			b := t.Baseline.Value
			v = b + (goal-b)*e*(0.4+0.2*r.Float64())
		} else {
			v = goal * e * (0.4 + 0.2*r.Float64())
		}
	default:
		v = goal * e * (0.4 + 0.2*r.Float64())
	}
	return roundTo(v, decimals(t))
}
