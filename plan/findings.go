package plan

// FindingDef is one entry of the findings catalogue: a stable code, its
// severity, a short Chinese title and what the reader should do about it.
type FindingDef struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Advice   string   `json:"advice"`
}

// Finding codes. F: the file as a whole; S: the structure of the sheets;
// V: one entered value; M: completeness of the round; C: consistency
// between units (the 区县 and the city). Codes are stable:
// round.json, feedback copies and tests refer to them.
const (
	FileOldExcel    = "F01" // .xls (Excel 97-2003)
	FileEncrypted   = "F02" // password to open
	FileWPS         = "F03" // WPS .et
	FileText        = "F04" // .csv or other plain text
	FilePDF         = "F05" // PDF
	FileNotWorkbook = "F06" // another Office document (Word .docx/.doc, PowerPoint) or a zip that is not a workbook
	FileEmpty       = "F07" // zero bytes
	FileCorrupt     = "F08" // damaged zip, CRC error, unreadable workbook
	FileTooLarge    = "F09" // decompressed size over the limit (zip bomb)
	FileNotTemplate = "F10" // no planrep stamp
	FileOtherPlan   = "F11" // stamped for another plan
	FileOtherPeriod = "F12" // stamped for another period
	FileOutdated    = "F13" // generated from an older registry; this target changed since
	FileSuperseded  = "F14" // a newer return of the same department wins
	FileSkipped     = "F15" // Office lock file ~$…, hidden or system file
	FileBadStamp    = "F16" // stamp unreadable: unknown department or schema version
	FileUnknown     = "F17" // a file of unknown type (image, archive of another kind …)
	FileArchive     = "F18" // an input .zip that cannot be read, or zips nested too deep
	FileNoFeedback  = "F19" // the feedback copy of a return could not be made
	UploadOtherUnit = "F24" // uploaded through one unit's link, stamped for another
	UploadSeveral   = "F25" // one upload holding several files (a zip of many)

	StructRowDeleted   = "S01" // a target row deleted
	StructAltered      = "S02" // a locked cell changed: a target definition or the 填报单位
	StructReordered    = "S03" // target rows reordered
	StructInserted     = "S04" // a row inserted, or a row of a target the department does not lead
	StructHidden       = "S05" // a target row hidden
	StructSheetMissing = "S06" // a data sheet deleted or renamed
	StructDuplicateRow = "S07" // the same target twice
	StructColumns      = "S08" // columns moved or inserted (read by heading)
	StructBadColumns   = "S09" // a required column missing: the sheet cannot be read
	StructNoStampSheet = "S10" // the stamp sheet deleted; identified by the document properties

	ValueMissing     = "V01" // no actual value / milestone status
	ValueNotNumber   = "V02" // not a number (约5, 5-6, 五万, 待统计)
	ValueLenient     = "V03" // read leniently: 全角数字, 1,234, trailing % or unit, percent format
	ValueText        = "V04" // a number stored as text
	ValueNegative    = "V05" // negative where it cannot be
	ValuePercent     = "V06" // a share outside 0–100
	ValueImplausible = "V07" // more than 3× the target
	ValueBelowPrev   = "V08" // cumulative value below the previous round's
	ValueNoProblems  = "V09" // behind schedule, 存在问题 empty
	ValueFormula     = "V10" // a formula in an input cell (cached value used)
	ValueExternal    = "V11" // an external link in an input cell
	ValueFormulaText = "V12" // text starting with = + - @ (kept as text)
	ValueBadChoice   = "V13" // a milestone status not in the list
	ValueLongText    = "V14" // a narrative past the template's limit (kept whole), or past collect's bound (cut)
	ValueFell        = "V17" // cumulative value below the store's earlier period
	ValueJump        = "V18" // a level far from the store's earlier period
	ValueUnchanged   = "V19" // cumulative value equal to the store's earlier period

	MissingDept   = "M01" // a department sent nothing
	MissingTarget = "M02" // a target with no value in an accepted return

	ConsistencyDiffers = "C01" // the sum of the 区县 and the lead department's city figure differ (口径不一致)
	MissingDistrict    = "C02" // a 区县 that carries quotas sent nothing
)

// Catalogue lists every finding planrep can report, by code. Codes are
// stable: F file, S structure, V value, M completeness, C consistency
// between units.
var Catalogue = []FindingDef{
	{FileOldExcel, Error, "文件为旧版 Excel（.xls）格式", "请在下发的 .xlsx 模板中填写；如已填在 .xls 中，请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再报送。"},
	{FileEncrypted, Error, "文件设有打开密码", "请取消文件的打开密码（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码），保存后重新报送。"},
	{FileWPS, Error, "文件为 WPS 表格（.et）格式", "请在 WPS 中用“另存为”选择 Excel 工作簿（*.xlsx）格式后重新报送。"},
	{FileText, Error, "文件为 CSV 或文本文件，不是 Excel 工作簿", "请在下发的 .xlsx 模板中填写后报送，不要导出为 CSV 或文本。"},
	{FilePDF, Error, "文件为 PDF，不是 Excel 工作簿", "请报送填好的 .xlsx 模板原件，不要打印或导出为 PDF。"},
	{FileNotWorkbook, Error, "文件不是 Excel 工作簿（可能是 Word 等文档改了扩展名）", "请报送下发的 .xlsx 填报模板，不要改扩展名。"},
	{FileEmpty, Error, "文件为空（0 字节）", "文件在传输中可能损坏，请重新发送。"},
	{FileCorrupt, Error, "文件已损坏，无法读取", "请用 Excel 或 WPS 打开确认文件完好，重新保存后再报送。"},
	{FileTooLarge, Error, "文件解压后过大，已拒收", "填报模板正常只有几十 KB，请确认没有粘贴大量图片或数据，用下发的模板重新填写。"},
	{FileNotTemplate, Error, "不是本工具生成的填报模板", "请使用市发展改革委下发的填报模板填写，不要新建表格或复制内容到其他文件。"},
	{FileOtherPlan, Error, "模板属于其他计划", "请使用本年度计划的填报模板重新填写。"},
	{FileOtherPeriod, Error, "模板属于其他报告期", "请使用本期下发的填报模板重新填写。"},
	{FileOutdated, Warning, "模板由旧版指标登记表生成，该指标已调整", "本期数据已按新的指标定义汇总；下期请使用新下发的模板。"},
	{FileSuperseded, Info, "同一部门有更新的报送，此文件未采用", "如需以此文件为准，请重新报送并更新填报日期。"},
	{FileSkipped, Info, "已跳过（临时文件、隐藏文件或系统文件）", "无需处理；Office 打开文件时产生的 ~$ 临时文件不是报表。"},
	{FileBadStamp, Error, "模板标识无法识别", "模板的隐藏标识被改动或版本不符，请使用本期下发的模板重新填写。"},
	{FileUnknown, Error, "无法识别的文件类型", "请报送下发的 .xlsx 填报模板。"},
	{FileArchive, Error, "压缩包无法读取或嵌套过深", "请把填报表直接报送，或重新打包为一层 zip 压缩包。"},
	{FileNoFeedback, Warning, "无法生成反馈表", "该文件的问题都已列入校验结果.xlsx，请据此通知报送单位逐条修改。"},
	{UploadOtherUnit, Error, "上传的不是本单位的填报表", "请在本单位的专用报送链接中上传本单位的填报表；代其他单位报送时，请使用该单位的链接。"},
	{UploadSeveral, Error, "一次上传了多个文件", "请每次只上传本单位的一个 .xlsx 填报表，不要把多个文件打包上传。"},

	{StructRowDeleted, Error, "指标行被删除", "请使用下发的模板，保留所有指标行，逐行填写。"},
	{StructAltered, Error, "锁定的单元格被改动", "填报单位和指标定义（所属领域、指标名称、年度目标、单位、目标表述、指标类型、计划原文、计划完成时间）以登记表为准，不得修改；请在原模板中只填写带底色的填报栏。"},
	{StructReordered, Warning, "指标行顺序被调整", "已按指标编号读取；请勿调整行的顺序。"},
	{StructInserted, Warning, "插入了模板以外的行", "插入的行已忽略；如需补充说明，请写在“进展情况”栏中。"},
	{StructHidden, Warning, "指标行被隐藏", "已照常读取；请取消隐藏，确认该行已填写。"},
	{StructSheetMissing, Error, "工作表被删除或改名", "请使用下发的模板，不要删除或重命名工作表。"},
	{StructDuplicateRow, Warning, "同一指标出现多行", "已采用第一行；请删除重复的行。"},
	{StructColumns, Warning, "列的位置被改动", "已按列标题读取；请勿插入、删除或移动列。"},
	{StructBadColumns, Error, "缺少必要的列，无法读取", "请使用下发的模板，不要删除列或修改列标题。"},
	{StructNoStampSheet, Info, "模板标识工作表被删除", "已按文档属性中保存的标识识别本表；下次请使用下发的模板，不要删除隐藏的工作表。"},

	{ValueMissing, Error, "未填写", "请填写本期完成值（重点任务请选择进展状态）。"},
	{ValueNotNumber, Error, "不是有效数字", "请只填写一个阿拉伯数字，不要加“约”、区间、中文数字或文字说明；说明写在“进展情况”栏。"},
	{ValueLenient, Warning, "数字格式不规范，已自动识别", "请只填写数字本身（半角、不加千分位和单位），并核对自动识别的结果。"},
	{ValueText, Warning, "数字以文本形式存储", "已按数字读取；请把单元格设为数值格式后重新输入。"},
	{ValueNegative, Error, "数值为负数", "除增长率外，完成值不应为负数，请核对后重新填写。"},
	{ValuePercent, Error, "百分比超出 0–100 的范围", "请按百分数填写（如 55.5 表示 55.5%），不要填成小数或超过 100。"},
	{ValueImplausible, Warning, "数值超过年度目标 3 倍，明显异常", "请核对单位和数量级（如万元与亿元、个与万个）。"},
	{ValueBelowPrev, Warning, "累计值小于上期报送值", "累计值应自年初起累计，一般不会减少，请核对；如上期数据有误，请在“进展情况”中说明。"},
	{ValueNoProblems, Warning, "进度滞后但未填写存在问题", "请在“存在问题”栏写明滞后原因，并在“下步措施”栏写明打算。"},
	{ValueFormula, Warning, "填报栏中是公式", "已按公式的计算结果读取；请直接填写数值。"},
	{ValueExternal, Warning, "填报栏引用了其他文件", "已按保存时的结果读取；外部链接在汇总时无法更新，请直接填写数值。"},
	{ValueFormulaText, Info, "文字以 = + - @ 开头", "已按文字原样保存（不会作为公式执行），无需处理。"},
	{ValueBadChoice, Error, "进展状态不在可选范围内", "请从下拉列表中选择：已完成、按计划推进、滞后、未启动。"},
	{ValueLongText, Warning, "文字超过模板限定的长度", "请把进展情况、存在问题和下步措施各精简到 2000 字以内；更详细的材料请另行报送。"},
	{ValueFell, Error, "累计值比上期已采用的数值减少", "累计值自年初起累计，不应比上期减少：请核对本期数值；如上期报送有误，请在“进展情况”中说明，并联系市发展改革委更正。"},
	{ValueJump, Warning, "数值较上期变化过大", "与上期相比变动超过一半，请核对数值和单位；如确有大幅变化，请在“进展情况”中说明原因。"},
	{ValueUnchanged, Info, "与上期相同，请确认是否已更新", "累计值与上期报送的相同：如本期确无新增，请在“进展情况”中说明；否则请填写本期的累计数。"},

	{MissingDept, Error, "部门未报送", "请督促该部门在截止日期前报送填报表。"},
	{MissingTarget, Error, "指标没有数据", "模板中缺少该指标，请使用本期下发的模板补报。"},

	{ConsistencyDiffers, Warning, "区县合计与全市数口径不一致", "请牵头部门与各区县核实统计口径和数据，有误的更正后重新报送；核实无误的，请牵头部门在“进展情况”中说明差异原因。"},
	{MissingDistrict, Error, "区县未报送", "请督促该区县（功能区）在截止日期前报送填报表；未报送的区县不计入区县合计。"},
}

// Def returns the catalogue entry of a code.
func Def(code string) (FindingDef, bool) {
	for _, d := range Catalogue {
		if d.Code == code {
			return d, true
		}
	}
	return FindingDef{}, false
}
