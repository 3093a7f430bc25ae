package workbook

import (
	"archive/zip"
	"bytes"
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
	w.Write([]byte("garbage"))
	zw.Close()
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
