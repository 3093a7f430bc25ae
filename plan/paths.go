package plan

import "strings"

// SourceDir is the deepest folder that holds every input file of the round:
// the folder the returns were collected from, as the office knows it.
func (r *Round) SourceDir() string {
	var common []string
	first := true
	add := func(p string) {
		if p == "" {
			return
		}
		dir := splitPath(p)
		dir = dir[:len(dir)-1] // the folder, not the file (nor a zip's member)
		if first {
			common, first = dir, false
			return
		}
		n := 0
		for n < len(common) && n < len(dir) && common[n] == dir[n] {
			n++
		}
		common = common[:n]
	}
	for _, f := range r.Files {
		add(f.Path)
	}
	if first {
		for _, d := range r.Departments {
			add(d.File)
		}
	}
	if len(common) == 0 {
		return ""
	}
	return strings.Join(common, "/")
}

// splitPath cuts a path at / and \ (a return may come from Windows), and a
// zip's member (补报.zip!文件.xlsx) from its archive.
func splitPath(p string) []string {
	p = strings.ReplaceAll(p, "\\", "/")
	if i := strings.Index(p, ".zip!"); i >= 0 {
		p = p[:i+len(".zip")] + "/" + p[i+len(".zip!"):]
	}
	return strings.Split(p, "/")
}

// RelativePath is p within dir (as SourceDir gives it), or p when it is
// not inside dir: the path the office sees in its collect folder.
func RelativePath(dir, p string) string {
	if dir == "" || p == "" {
		return p
	}
	norm := strings.ReplaceAll(p, "\\", "/")
	if strings.HasPrefix(norm, dir+"/") {
		return norm[len(dir)+1:]
	}
	return p
}
