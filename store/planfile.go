package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"
)

// ReadPlanFile reads a registry file once and says what identifies it: the
// SHA-256 and size of the bytes read, and the file's status on disk when
// it did not change while being read.
func ReadPlanFile(path string) ([]byte, os.FileInfo, *PlanFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return nil, nil, nil, err
	}
	// Sized from the status: a registry of hundreds of thousands of
	// targets is hundreds of megabytes, read once without regrowing.
	buf := bytes.NewBuffer(make([]byte, 0, before.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, nil, nil, err
	}
	data := buf.Bytes()
	sum := sha256.Sum256(data)
	id := &PlanFile{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	if after, err := f.Stat(); err == nil && after.Size() == id.Size {
		a, ctime := fileStat(before)
		b, _ := fileStat(after)
		// A file written in the last moments may be written again within
		// the same tick of the clock that stamps ctime, leaving its status
		// as it was: such a file is known by its content only (as git
		// treats a "racily clean" entry).
		if a != "" && a == b && time.Since(ctime) >= racyWindow {
			id.Stat = a
		}
	}
	return data, before, id, nil
}

// racyWindow is how old a file's last change must be for its status to
// identify it: more than the coarsest timestamps kept (FAT's 2 seconds).
const racyWindow = 2 * time.Second

// HashPlanFile gives the SHA-256 and size of the file at path, reading it
// a piece at a time: finding a file in the store by content needs no more.
func HashPlanFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<20))
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// PlanFileStat is the status on disk of the file at path, as ReadPlanFile
// notes it in PlanFile.Stat; "" when it cannot be told.
func PlanFileStat(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	s, _ := fileStat(fi)
	return s
}

// statText formats a file's device, inode, size, mtime and ctime.
func statText(dev, ino uint64, size int64, mtime, ctime time.Time) string {
	return fmt.Sprintf("%d:%d:%d:%d:%d", dev, ino, size, mtime.UnixNano(), ctime.UnixNano())
}
