package workbook

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"

	"planrep/plan"
)

// fileProblem is why a file cannot be read as a workbook: a finding code and
// a message that says what is wrong with this file in particular.
type fileProblem struct {
	Code    string
	Message string
	Dept    string // the department the file names, when it can be told
}

func (p *fileProblem) Error() string { return p.Message }

func problem(code, format string, args ...any) *fileProblem {
	return &fileProblem{Code: code, Message: fmt.Sprintf(format, args...)}
}

// maxXMLPart bounds each XML part of a workbook (a sheet, the shared strings):
// a template's are a few hundred KB at most.
const maxXMLPart = 16 << 20

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// checkPackage tells the usual wrong files apart by their first bytes and
// name (old .xls, encrypted workbooks, WPS, CSV, PDF, Word documents, empty
// files). A zip passes (nil): openStream reads it entry by entry.
func checkPackage(name string, data []byte) *fileProblem {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case len(data) == 0:
		return problem(plan.FileEmpty, "文件为空（0 字节），可能在传输中损坏：请重新发送")
	case bytes.HasPrefix(data, oleMagic):
		return checkOLE(ext, data)
	case bytes.HasPrefix(data, []byte("%PDF")):
		return problem(plan.FilePDF, "这是 PDF 文件，不是 Excel 工作簿：请报送填好的 .xlsx 模板原件")
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return nil // a zip: openStream reads it
	case ext == ".et" || ext == ".ett":
		return problem(plan.FileWPS, "这是 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case looksText(data):
		if ext == ".csv" || bytes.Count(data[:min(len(data), 4096)], []byte(",")) > 0 {
			return problem(plan.FileText, "这是 CSV 文本文件，不是 Excel 工作簿：请在下发的 .xlsx 模板中填写后报送")
		}
		return problem(plan.FileText, "这是文本文件，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	return problem(plan.FileUnknown, "无法识别的文件类型（不是 Excel 工作簿）：请报送下发的 .xlsx 填报模板")
}

// checkOLE tells apart the compound-document formats: an encrypted OOXML
// workbook carries an EncryptionInfo stream, a .xls a Workbook or Book
// stream, a Word document a WordDocument stream.
func checkOLE(ext string, data []byte) (p *fileProblem) {
	defer func() {
		if recover() != nil {
			p = problem(plan.FileCorrupt, "文件已损坏（复合文档结构无法读取）：请用 Excel 或 WPS 打开确认后重新保存报送")
		}
	}()
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return problem(plan.FileCorrupt, "文件已损坏（复合文档结构无法读取）：请用 Excel 或 WPS 打开确认后重新保存报送")
	}
	streams := map[string]bool{}
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		streams[e.Name] = true
		if len(streams) > 10000 {
			break
		}
	}
	switch {
	case streams["EncryptionInfo"] || streams["EncryptedPackage"]:
		return problem(plan.FileEncrypted, "文件设有打开密码：请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空后确定），保存后重新报送")
	case ext == ".et" || ext == ".ett":
		return problem(plan.FileWPS, "这是 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case streams["Workbook"] || streams["Book"]:
		return problem(plan.FileOldExcel, "这是旧版 Excel 97-2003（.xls）文件：请在下发的 .xlsx 模板中填写，或用 Excel/WPS“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case streams["WordDocument"]:
		return problem(plan.FileNotWorkbook, "这是 Word 文档，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case streams["PowerPoint Document"]:
		return problem(plan.FileNotWorkbook, "这是 PowerPoint 文档，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	return problem(plan.FileUnknown, "这是一个 Office 复合文档，但不是可读取的 Excel 工作簿：请报送下发的 .xlsx 填报模板")
}

// looksText reports whether data's beginning reads as text (UTF-8, or GBK
// without NUL bytes).
func looksText(data []byte) bool {
	head := data[:min(len(data), 4096)]
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	if utf8.Valid(head) {
		return true
	}
	// GBK text: no control characters apart from whitespace.
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
