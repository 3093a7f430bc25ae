package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"planrep/plan"
)

// Source is one candidate return found among the inputs: a file on disk or
// a member of a zip archive. Its content is read only when it is processed,
// so discovering thousands of returns costs little memory.
type Source struct {
	// Path names the source to people (findings, round.json): a file's path,
	// or Archive + "!" + Nested + "!" + Member for a member; forward slashes.
	// Code never takes it apart: a file's own name may hold a "!".
	Path    string
	Archive string    // the .zip file on disk a member is read from; "" for a plain file
	Nested  string    // the name, in Archive, of the zip that holds Member; "" when Archive holds it
	Member  string    // the member's name in its archive; "" for a plain file
	ModTime time.Time // the file's (or zip member's) modification time
	Size    int64     // size on disk or in the archive, when known

	skip    string                 // why it is skipped (lock file, hidden file), if it is
	problem *fileProblem           // why it cannot be read at all, if known at discovery
	open    func() ([]byte, error) // reads while the run's archives are open
	reopen  func() ([]byte, error) // reads again from disk, after the run
}

// reread reads the source again from disk (for feedback copies, after the
// run's archives are closed).
func (s Source) reread() ([]byte, error) {
	if s.reopen == nil {
		return nil, errors.New("no content")
	}
	return s.reopen()
}

// Name is the source's base name (a zip member's own name).
func (s Source) Name() string {
	if s.Member != "" {
		return path.Base(s.Member)
	}
	return path.Base(s.Path)
}

// InArchive reports whether the source is a member of a zip archive.
func (s Source) InArchive() bool { return s.Archive != "" }

// Read returns the source's content.
func (s Source) Read() ([]byte, error) {
	if s.open == nil {
		return nil, errors.New("no content")
	}
	return s.open()
}

// discovery walks the inputs. Archives stay open until close is called, so
// members can be read later (archive/zip allows concurrent reads).
type discovery struct {
	limit   int64
	exclude []string // absolute folders never to descend into (the output folder)
	seen    map[string]bool
	out     []Source
	closers []io.Closer
}

// Discover finds every candidate return in inputs: files, folders (recursive)
// and .zip archives (one level of nested zips), in a stable order. A path that
// does not exist is an error: the command line was wrong. Everything else that
// is wrong with a file becomes a Source carrying a problem, reported as a
// finding. Call close when done with the sources.
func Discover(inputs []string, limit int64, exclude []string) (sources []Source, close func(), err error) {
	d := &discovery{limit: limit, seen: map[string]bool{}}
	for _, e := range exclude {
		if abs, err := filepath.Abs(e); err == nil {
			d.exclude = append(d.exclude, abs)
		}
	}
	close = func() {
		for _, c := range d.closers {
			c.Close()
		}
	}
	for _, in := range inputs {
		if err := d.input(in); err != nil {
			close()
			return nil, func() {}, err
		}
	}
	sort.SliceStable(d.out, func(i, j int) bool { return d.out[i].Path < d.out[j].Path })
	return d.out, close, nil
}

func (d *discovery) input(in string) error {
	fi, err := os.Stat(in)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("找不到 %s：请检查路径是否正确", in)
		}
		return fmt.Errorf("无法读取 %s：%v", in, err)
	}
	clean := filepath.ToSlash(filepath.Clean(in))
	if !fi.IsDir() {
		d.file(clean, fi)
		return nil
	}
	return filepath.WalkDir(in, func(p string, e fs.DirEntry, err error) error {
		rel := filepath.ToSlash(filepath.Clean(p))
		if err != nil {
			d.add(Source{Path: rel, problem: problem(plan.FileCorrupt, "无法读取：%v", err)})
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if abs, err := filepath.Abs(p); err == nil && d.excluded(abs) {
				return fs.SkipDir
			}
			if p != in && strings.HasPrefix(e.Name(), ".") {
				d.add(Source{Path: rel + "/", skip: "隐藏文件夹，其中的文件未读取"})
				return fs.SkipDir
			}
			return nil
		}
		fi, err := os.Stat(p) // follows a symlink
		if err != nil {
			d.add(Source{Path: rel, problem: problem(plan.FileCorrupt, "无法读取：%v", err)})
			return nil
		}
		if fi.IsDir() {
			return nil
		}
		d.file(rel, fi)
		return nil
	})
}

func (d *discovery) excluded(abs string) bool {
	for _, e := range d.exclude {
		if abs == e {
			return true
		}
	}
	return false
}

func (d *discovery) add(s Source) {
	if d.seen[s.Path] {
		return
	}
	d.seen[s.Path] = true
	d.out = append(d.out, s)
}

// skipReason says why a file is not a return, or "".
func skipReason(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~$"):
		return "Office 打开文件时产生的临时锁定文件（~$ 开头），不是报表"
	case strings.HasPrefix(name, "."):
		return "隐藏文件"
	case lower == "thumbs.db" || lower == "desktop.ini":
		return "系统文件"
	}
	return ""
}

func (d *discovery) file(p string, fi fs.FileInfo) {
	s := Source{Path: p, ModTime: fi.ModTime().UTC(), Size: fi.Size()}
	if r := skipReason(path.Base(p)); r != "" {
		s.skip = r
		d.add(s)
		return
	}
	if !fi.Mode().IsRegular() {
		s.skip = "不是普通文件（设备、管道等）"
		d.add(s)
		return
	}
	if strings.EqualFold(path.Ext(p), ".zip") {
		d.archive(p, fi)
		return
	}
	if fi.Size() > d.limit {
		s.problem = problem(plan.FileTooLarge, "文件大小超过 %d MB 的上限，已拒收：填报模板正常只有几十 KB", d.limit>>20)
		d.add(s)
		return
	}
	osPath, limit := filepath.FromSlash(p), d.limit
	s.open = func() ([]byte, error) { return readFileLimited(osPath, limit) }
	s.reopen = s.open
	d.add(s)
}

func (d *discovery) archive(p string, fi fs.FileInfo) {
	zr, err := zip.OpenReader(filepath.FromSlash(p))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		d.add(Source{Path: p, ModTime: fi.ModTime().UTC(), Size: fi.Size(),
			problem: problem(plan.FileArchive, "压缩包无法打开（%s）：请重新打包后发送，或直接发送其中的 .xlsx 文件", zipErr(err))})
		return
	}
	d.closers = append(d.closers, zr)
	osPath := filepath.FromSlash(p)
	d.members(p, "", &zr.Reader, 0, func() (*zip.Reader, func(), error) {
		zr, err := zip.OpenReader(osPath)
		if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
			return nil, nil, err
		}
		return &zr.Reader, func() { zr.Close() }, nil
	})
}

// zipOpener opens an archive again from disk; done releases it.
type zipOpener func() (zr *zip.Reader, done func(), err error)

func zipErr(err error) string {
	if errors.Is(err, zip.ErrFormat) {
		return "不是有效的 zip 文件或已损坏"
	}
	return err.Error()
}

// members lists an archive's files: the archive is the zip on disk, nested
// the name of the zip inside it being listed ("" for the archive itself).
func (d *discovery) members(archive, nested string, zr *zip.Reader, depth int, again zipOpener) {
	prefix := archive
	if nested != "" {
		prefix += "!" + nested
	}
	for i, f := range zr.File {
		name := memberName(f)
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.Contains(name, "/__MACOSX/") {
			continue
		}
		s := Source{Path: prefix + "!" + name, Archive: archive, Nested: nested, Member: name, ModTime: f.Modified.UTC(), Size: int64(f.UncompressedSize64)}
		if r := skipReason(path.Base(name)); r != "" {
			s.skip = r
			d.add(s)
			continue
		}
		if hiddenDir(name) {
			s.skip = "位于隐藏文件夹中"
			d.add(s)
			continue
		}
		if f.UncompressedSize64 > uint64(d.limit) {
			s.problem = problem(plan.FileTooLarge, "文件解压后超过 %d MB 的上限，已拒收", d.limit>>20)
			d.add(s)
			continue
		}
		if f.Flags&0x1 != 0 {
			s.problem = problem(plan.FileArchive, "压缩包设有密码，无法读取其中的文件：请去掉密码后重新打包，或直接发送 .xlsx 文件")
			d.add(s)
			continue
		}
		f, i := f, i
		read := func() ([]byte, error) { return readMember(f, d.limit) }
		limit := d.limit
		reread := func() ([]byte, error) {
			zr, done, err := again()
			if err != nil {
				return nil, err
			}
			defer done()
			if i >= len(zr.File) {
				return nil, errors.New("archive changed")
			}
			return readMember(zr.File[i], limit)
		}
		if strings.EqualFold(path.Ext(name), ".zip") {
			if depth > 0 {
				s.problem = problem(plan.FileArchive, "压缩包中套了多层压缩包，未读取：请解压后直接发送其中的 .xlsx 文件，或只打包一层")
				d.add(s)
				continue
			}
			data, err := read()
			if err != nil {
				s.problem = memberProblem(err, d.limit)
				d.add(s)
				continue
			}
			inner, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
				s.problem = problem(plan.FileArchive, "压缩包无法打开（%s）：请重新打包后发送", zipErr(err))
				d.add(s)
				continue
			}
			d.members(archive, name, inner, depth+1, func() (*zip.Reader, func(), error) {
				data, err := reread()
				if err != nil {
					return nil, nil, err
				}
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
					return nil, nil, err
				}
				return zr, func() {}, nil
			})
			continue
		}
		s.open, s.reopen = read, reread
		d.add(s)
	}
}

func hiddenDir(name string) bool {
	parts := strings.Split(name, "/")
	for _, p := range parts[:len(parts)-1] {
		if strings.HasPrefix(p, ".") && p != "." && p != ".." {
			return true
		}
	}
	return false
}

var errTooLarge = errors.New("too large")

// readFileLimited reads a file, refusing one that grows past limit.
func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

func readMember(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// memberProblem turns a failure to read a zip member into a finding.
func memberProblem(err error, limit int64) *fileProblem {
	if errors.Is(err, errTooLarge) {
		return problem(plan.FileTooLarge, "文件解压后超过 %d MB 的上限，已拒收", limit>>20)
	}
	return problem(plan.FileCorrupt, "压缩包中的此文件已损坏（%s）：请重新打包后发送", zipErr(err))
}

// memberName decodes a member's name: zips made on Chinese Windows write GBK
// names without the UTF-8 flag.
func memberName(f *zip.File) string {
	name := f.Name
	if f.Flags&0x800 == 0 && !utf8.ValidString(name) {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
			name = dec
		}
	}
	name = strings.ReplaceAll(name, "\\", "/")
	name = strings.ReplaceAll(name, "!", "！") // "!" separates archive and member in paths
	return strings.ToValidUTF8(name, "�")
}
