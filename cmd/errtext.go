package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"syscall"
)

// fileErr says in Chinese why a file could not be read or written: the
// operating system's own words are English.
func fileErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在，请检查路径是否正确"
	case errors.Is(err, fs.ErrPermission):
		return "没有访问权限，请检查文件权限"
	case errors.Is(err, syscall.EISDIR):
		return "这是一个文件夹，请指定其中的文件"
	case errors.Is(err, syscall.ENOTDIR):
		return "路径中的某一级不是文件夹，请检查路径是否正确"
	case errors.Is(err, syscall.ENOSPC):
		return "磁盘空间不足"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("无法%s（%v）", opVerb(pe.Op), pe.Err)
	}
	return err.Error()
}

func opVerb(op string) string {
	switch op {
	case "open", "read":
		return "读取"
	case "write":
		return "写入"
	case "mkdir":
		return "创建文件夹"
	case "stat", "lstat":
		return "访问"
	}
	return "访问"
}

// jsonErr says in Chinese what is wrong with a JSON document.
func jsonErr(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("JSON 格式错误（第 %d 个字节附近）", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("字段 %s 的类型不对（应为 %s）", te.Field, te.Type)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "文件不完整（内容意外结束）"
	}
	s := err.Error()
	if f, ok := strings.CutPrefix(s, "json: unknown field "); ok {
		return "含有未知字段 " + f
	}
	if strings.HasPrefix(s, "json: ") {
		return "JSON 内容无法解析（" + strings.TrimPrefix(s, "json: ") + "）"
	}
	return s
}

// sysErrRe matches the operating system's English words about a file, as
// an error formatted with %v leaves them in a message: "open x: no such
// file or directory".
var sysErrRe = regexp.MustCompile(`(?:(?:open|read|write|stat|lstat|mkdir|remove|rename|readdirent|close) [^:：]*: )?(no such file or directory|permission denied|is a directory|not a directory|no space left on device|read-only file system|file exists|directory not empty|too many open files|input/output error)`)

var sysErrZh = map[string]string{
	"no such file or directory": "文件或文件夹不存在，请检查路径是否正确",
	"permission denied":         "没有访问权限，请检查文件权限",
	"is a directory":            "这是一个文件夹，请指定其中的文件",
	"not a directory":           "路径中的某一级不是文件夹，请检查路径是否正确",
	"no space left on device":   "磁盘空间不足",
	"read-only file system":     "磁盘为只读，无法写入",
	"file exists":               "同名文件已存在",
	"directory not empty":       "文件夹不是空的",
	"too many open files":       "同时打开的文件过多，请稍后重试",
	"input/output error":        "磁盘读写出错",
}

// zhSystem puts the operating system's English words that reached a
// message into Chinese: one place for every command, whatever wrapped them.
func zhSystem(msg string) string {
	return sysErrRe.ReplaceAllStringFunc(msg, func(m string) string {
		sm := sysErrRe.FindStringSubmatch(m)
		return sysErrZh[sm[1]]
	})
}

// readError is an input that could not be read: its message is Chinese, and
// it unwraps to the system's error (commands tell unreadable inputs, exit 2,
// from bad ones by the *fs.PathError inside).
type readError struct {
	msg string
	err error
}

func (e *readError) Error() string { return e.msg }
func (e *readError) Unwrap() error { return e.err }
