package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
