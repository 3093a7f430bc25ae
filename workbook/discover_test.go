package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "收件")
	for _, name := range []string{"a.xlsx", "子目录/b.xlsx", "~$a.xlsx", ".DS_Store", "Thumbs.db", ".git/config", "汇总/round.json"} {
		writeFile(t, filepath.Join(in, name), []byte("x"))
	}
	writeFile(t, filepath.Join(in, "包.zip"), zipOf(t, map[string][]byte{
		"__MACOSX/._c.xlsx": {1}, "c.xlsx": {1}, "文件夹/": nil, ".隐藏/d.xlsx": {1}, "~$c.xlsx": {1},
		"深/e!f.xlsx": {1},
	}, zip.Deflate))
	if err := syscall.Mkfifo(filepath.Join(in, "管道.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "密.xlsx", Method: zip.Deflate, Flags: 0x1})
	mustN(w.Write([]byte("garbage")))
	must(zw.Close())
	writeFile(t, filepath.Join(in, "加密包.zip"), buf.Bytes())
	srcs, done, err := Discover([]string{in, filepath.Join(in, "a.xlsx")}, 1<<20, []string{filepath.Join(in, "汇总")})
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	got := map[string]string{}
	for _, s := range srcs {
		rel := strings.TrimPrefix(s.Path, filepath.ToSlash(in)+"/")
		switch {
		case s.skip != "":
			got[rel] = "skip"
		case s.problem != nil:
			got[rel] = s.problem.Code
		default:
			got[rel] = "read"
			if b, err := s.Read(); err != nil || len(b) == 0 {
				t.Errorf("%s: %v", rel, err)
			}
		}
	}
	want := map[string]string{
		"a.xlsx": "read", "子目录/b.xlsx": "read", "~$a.xlsx": "skip", ".DS_Store": "skip", "Thumbs.db": "skip",
		".git/": "skip", "包.zip!c.xlsx": "read", "包.zip!.隐藏/d.xlsx": "skip", "包.zip!~$c.xlsx": "skip",
		"包.zip!深/e！f.xlsx": "read", "管道.xlsx": "skip", "加密包.zip!密.xlsx": "F18",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q; want %q", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected source %s", k)
		}
	}
	if _, _, err := Discover([]string{filepath.Join(dir, "没有")}, 1<<20, nil); err == nil || !strings.Contains(err.Error(), "找不到") {
		t.Errorf("missing input: %v", err)
	}
	// Sources can be read again from disk after the archives are closed.
	for _, s := range srcs {
		if strings.HasSuffix(s.Path, "!c.xlsx") {
			done()
			if b, err := s.reread(); err != nil || len(b) != 1 {
				t.Errorf("reread: %v %v", b, err)
			}
		}
	}
}

// TestSourceFields: a source's archive and member are fields of their own;
// a "!" in a file's own name does not make it a zip member.
func TestSourceFields(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "收件")
	writeFile(t, filepath.Join(in, "张店!市工信局.xlsx"), []byte("x"))
	inner := zipOf(t, map[string][]byte{"内/丙.xlsx": {1}}, zip.Deflate)
	writeFile(t, filepath.Join(in, "包.zip"), zipOf(t, map[string][]byte{"甲.xlsx": {1}, "套.zip": inner}, zip.Deflate))
	srcs, done, err := Discover([]string{in}, 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	zipPath := filepath.ToSlash(filepath.Join(in, "包.zip"))
	want := map[string][4]string{ // path → archive, nested, member, name
		filepath.ToSlash(filepath.Join(in, "张店!市工信局.xlsx")): {"", "", "", "张店!市工信局.xlsx"},
		zipPath + "!甲.xlsx":         {zipPath, "", "甲.xlsx", "甲.xlsx"},
		zipPath + "!套.zip!内/丙.xlsx": {zipPath, "套.zip", "内/丙.xlsx", "丙.xlsx"},
	}
	if len(srcs) != len(want) {
		t.Fatalf("%d sources; want %d: %+v", len(srcs), len(want), srcs)
	}
	for _, s := range srcs {
		w, ok := want[s.Path]
		if !ok {
			t.Errorf("unexpected source %s", s.Path)
			continue
		}
		if got := [4]string{s.Archive, s.Nested, s.Member, s.Name()}; got != w {
			t.Errorf("%s: archive, nested, member, name = %q; want %q", s.Path, got, w)
		}
		if s.InArchive() != (w[0] != "") {
			t.Errorf("%s: InArchive %v", s.Path, s.InArchive())
		}
	}
	// A plain file that cannot be read is not described as a damaged zip member.
	it := readItem(Source{Path: "收件/张店!市工信局.xlsx", open: func() ([]byte, error) { return nil, errors.New("设备错误") }}, 1<<20, false, nil)
	if it.problem == nil || strings.Contains(it.problem.Message, "压缩包") || !strings.Contains(it.problem.Message, "文件无法读取") {
		t.Errorf("unreadable file with ! in its name: %+v", it.problem)
	}
	// Its feedback copy keeps the whole name.
	if got := feedbackName(Source{Path: "收件/张店!市工信局.xlsx"}.Name()); got != "张店_市工信局_反馈.xlsx" {
		t.Errorf("feedback name %q; want 张店_市工信局_反馈.xlsx", got)
	}
}
