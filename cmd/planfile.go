package cmd

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"

	"planrep/plan"
)

// loadPlanData parses a registry file already read (store.ReadPlanFile),
// as plan.Load parses it from its folder: the plan text it names is read
// from beside it.
func loadPlanData(path string, data []byte, fi os.FileInfo) (*plan.Plan, plan.Lines, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, err
	}
	name := filepath.Base(abs)
	return plan.Load(readFS{FS: os.DirFS(filepath.Dir(abs)), name: name, data: data, info: fi}, name)
}

// readFS is a folder in which one file's bytes have been read already.
type readFS struct {
	fs.FS
	name string
	data []byte
	info os.FileInfo
}

func (r readFS) Open(name string) (fs.File, error) {
	if name == r.name {
		return &readFile{Reader: bytes.NewReader(r.data), info: r.info}, nil
	}
	return r.FS.Open(name)
}

type readFile struct {
	*bytes.Reader
	info os.FileInfo
}

func (f *readFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *readFile) Close() error               { return nil }
