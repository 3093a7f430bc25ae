package store

import "time"

// CreateAt makes a new store at path holding only the first v migrations,
// as an older planrep left it.
func CreateAt(path string, v int) error {
	s, err := openTo(path, time.Second, v)
	if err != nil {
		return err
	}
	return s.Close()
}
