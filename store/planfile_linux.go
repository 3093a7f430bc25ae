package store

import (
	"os"
	"syscall"
	"time"
)

// fileStat is what ReadPlanFile notes of a file's status: any write to the
// file changes its ctime, and a copy or a replacement has another inode.
// The second result is the ctime.
func fileStat(fi os.FileInfo) (string, time.Time) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", time.Time{}
	}
	ctime := time.Unix(st.Ctim.Unix())
	return statText(uint64(st.Dev), uint64(st.Ino), st.Size, time.Unix(st.Mtim.Unix()), ctime), ctime
}
