package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// maxDocument bounds how much text a plan may hold once decompressed: plans
// are tens of kilobytes, so anything near this is not a plan (or a zip bomb).
const maxDocument = 64 << 20

// ErrNotUTF8 is wrapped by ReadFile's error for a text file that is not
// UTF-8 (often GBK, as Notepad on Chinese Windows saved it); the caller may
// decode it and call Extract itself.
var ErrNotUTF8 = errors.New("not UTF-8")

// ReadFile reads a plan's text from a UTF-8 .txt file or a Word .docx file.
func ReadFile(name string) (string, error) {
	if fi, err := os.Stat(name); err == nil && fi.Size() > maxDocument {
		return "", fmt.Errorf("%s 过大（%d MB），不像是计划文本", name, fi.Size()>>20)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("无法读取计划文本 %s：%w", name, err)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		txt, err := DocxText(data)
		if err != nil {
			return "", fmt.Errorf("%s：%w", name, err)
		}
		return txt, nil
	case ".doc", ".wps", ".pdf":
		return "", fmt.Errorf("%s：不支持该格式，请在 Word 或 WPS 中另存为 .docx 或 UTF-8 编码的 .txt 后再试", name)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		txt, err := DocxText(data)
		if err != nil {
			return "", fmt.Errorf("%s：%w", name, err)
		}
		return txt, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return "", fmt.Errorf("%s 不是 UTF-8 编码的文本：请用记事本或 WPS 另存为 UTF-8 编码后再试（%w）", name, ErrNotUTF8)
	}
	return string(data), nil
}

// DocxText returns the text of a .docx document: one line per paragraph
// (table cells are paragraphs too), w:tab as a tab and w:br as a line break.
func DocxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errors.New("不是有效的 .docx 文件（无法按压缩包打开）：请确认文件未损坏，或另存为 .docx 后再试")
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("不是 Word 文档（缺少 word/document.xml）：请另存为 .docx 后再试")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("无法读取文档内容：%v", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: maxDocument + 1}
	txt, err := documentText(lr)
	if lr.N <= 0 {
		return "", errors.New("文档内容过大，不像是计划文本")
	}
	if err != nil {
		return "", fmt.Errorf("文档内容已损坏，无法解析：%v", err)
	}
	return txt, nil
}

// documentText walks WordprocessingML: only w:t carries text; paragraph
// ends, tabs and breaks become whitespace so that clauses stay apart.
func documentText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var b bytes.Buffer
	last := func() byte {
		if b.Len() == 0 {
			return 0
		}
		return b.Bytes()[b.Len()-1]
	}
	inText := false
	inPara := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Fallback" {
				// mc:Fallback repeats the mc:Choice before it for older readers.
				if err := dec.Skip(); err != nil {
					return "", err
				}
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				if inPara {
					b.WriteByte('\t')
				}
			case "br", "cr":
				b.WriteByte('\n')
			case "p":
				inPara = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				inPara = false
				b.WriteByte('\n')
			case "tc":
				// A cell's paragraphs already ended with a newline; turn the
				// last one into a tab so that a table row reads as one line.
				if last() == '\n' {
					b.Truncate(b.Len() - 1)
					b.WriteByte('\t')
				}
			case "tr":
				if last() == '\t' {
					b.Truncate(b.Len() - 1)
				}
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
