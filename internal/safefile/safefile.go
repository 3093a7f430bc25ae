// Package safefile writes files atomically: to a temporary name in the same
// folder, synced, then renamed, so a reader never sees half a file and a
// failed run leaves the old file in place.
package safefile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path by calling fill with a writer, then syncs it to disk and
// renames it into place.
func Write(path string, fill func(w io.Writer) error) error { return write(path, fill, true) }

// WriteNoSync is Write without waiting for the disk: for many files that can
// be made again (simulated returns), where a sync per file costs most of the
// run. A crash may leave a file empty, never half replaced.
func WriteNoSync(path string, fill func(w io.Writer) error) error { return write(path, fill, false) }

func write(path string, fill func(w io.Writer) error, sync bool) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹 %s：%w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("无法在 %s 中写文件：%w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", path, err)
	}
	if sync {
		if err = tmp.Sync(); err != nil {
			return fmt.Errorf("写入 %s 失败：%w", path, err)
		}
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	return nil
}

// WriteBytes writes data to path atomically.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
