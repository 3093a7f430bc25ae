// Package store keeps the year: every registry used, every collect run, every
// file seen, every value read and every finding, in one embedded SQLite
// database (planrep.db by default). It knows rows, not workbooks: callers
// hand it a plan.Plan and a plan.Round and ask it questions back.
//
// The store is append-only. A resubmission adds a return that names the one
// it supersedes; nothing recorded is overwritten or deleted, except by Prune,
// which says what it removes.
//
// # Opening
//
//	st, err := store.Open(path, store.Options{Create: true})
//	defer st.Close()
//
// Open refuses, with a Chinese message naming the file, a file that is not a
// SQLite database, a truncated one, and a store written by a newer planrep
// (its user_version is above the last migration known here); it never writes
// to such a file. Each connection runs with WAL, foreign keys and a busy
// timeout (Options.Wait): a second writer waits that long, then gets an
// *Error of kind Busy. Every write is one IMMEDIATE transaction, so a run is
// recorded whole or not at all, whatever kills the process.
//
// # Schema and migrations
//
// The schema is the ordered list migrations (migrate.go): version N is the
// first N entries applied, each in its own transaction that also sets
// PRAGMA user_version. Append new migrations at the end; never edit one that
// has shipped. A migration may also fill what SQL cannot, in Go, inside the
// same transaction (migration 4 decodes each registry's JSON). Tables:
// registries, runs, files, submissions, target_values, findings,
// registry_targets (each registry's target definitions) and plan_files (the
// files each registry was read from); views: returns (every return with its
// superseding one) and latest_values (each target's accepted value for each
// period). See docs/store.md for the columns.
//
// # Writing
//
// RecordRound records one collect run (or one upload, Kind "serve") in one
// transaction: the registry if new, the run, every file with its verdict, a
// return for each department whose accepted file differs from its current
// one for the period, the values read from it, and the run's findings.
// Write runs any other change (for other packages' tables) in the same kind
// of transaction.
//
// # Reading
//
// Runs lists the runs; TargetYear gives a target's accepted value for each
// period; DeptLog gives a department's returns and what changed between
// them; Earlier gives, for each target, the latest accepted value of an
// earlier period (collect's period-over-period checks); CurrentReturn and
// ReturnValues give what a department sent last for a period (resubmission
// diffs). RegistryByStat and RegistryByContent find the registry recorded
// from a plan file, and TargetDefinition and Head read one target or the
// roster of it, so that the history commands need not decode a large
// registry. Export, Import, Check and Prune back the `planrep db` commands.
package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// DefaultFile is the store's file name in the working folder.
const DefaultFile = "planrep.db"

// DefaultWait is how long a writer waits for another to finish.
const DefaultWait = 30 * time.Second

// Options tune Open.
type Options struct {
	// Create makes a new, empty store when the file does not exist.
	// Without it, a missing file is an error of kind NotFound.
	Create bool
	// Wait is how long to wait for another process's write; 0 means DefaultWait.
	Wait time.Duration
}

// Store is an open store. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	wait time.Duration
}

// Kind classifies what went wrong with a store.
type Kind int

const (
	Other    Kind = iota
	NotFound      // the file does not exist and Create was not set
	NotStore      // the file is not a SQLite database, or is empty or truncated
	Corrupt       // SQLite reports the database damaged
	Newer         // written by a newer planrep
	Busy          // another process holds the write lock longer than Options.Wait
	ReadOnly      // the file or its folder cannot be written
	Full          // the disk is full
)

// Error is a store failure, with a message in Chinese that names the file
// and says what to do.
type Error struct {
	Path string
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// IsKind reports whether err is a store Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// DB is the underlying database, for reads by other packages' tables.
// Writes go through Write.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the store; the WAL is checkpointed into the file.
func (s *Store) Close() error { return s.db.Close() }

// Open opens the store at path, creating it when opt.Create is set, and
// brings its schema up to date.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		path = DefaultFile
	}
	wait := opt.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	if strings.ContainsAny(path, "?#") {
		return nil, &Error{Path: path, Kind: Other, Msg: fmt.Sprintf("数据库路径 %s 含有 ? 或 #：请换一个文件名", path)}
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if !opt.Create {
			return nil, &Error{Path: path, Kind: NotFound, Err: err,
				Msg: fmt.Sprintf("数据库 %s 不存在：请先用 planrep collect 收集一期报送（会自动建库），或用 --db 指定数据库文件", path)}
		}
		if err := create(path, wait); err != nil {
			return nil, err
		}
		st, err = os.Stat(path)
	}
	switch {
	case err != nil:
		return nil, classify(path, wait, err)
	case st.IsDir():
		return nil, &Error{Path: path, Kind: NotStore, Msg: fmt.Sprintf("%s 是文件夹，不是数据库文件：请用 --db 指定数据库文件的路径", path)}
	default:
		if err := sniff(path, st.Size()); err != nil {
			return nil, err
		}
	}
	return open(path, wait)
}

func open(path string, wait time.Duration) (*Store, error) {
	return openTo(path, wait, len(migrations))
}

// openTo opens path and applies the migrations up to version n.
func openTo(path string, wait time.Duration, n int) (*Store, error) {
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_txlock=immediate",
		path, wait.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, classify(path, wait, err)
	}
	s := &Store{db: db, path: path, wait: wait}
	if err := s.migrateTo(context.Background(), n); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// create makes a new store at path without ever showing an empty or half-made
// file there: it is built under a temporary name, then linked into place,
// which fails harmlessly when another process got there first.
func create(path string, wait time.Duration) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return classify(path, wait, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.new")
	if err != nil {
		return classify(path, wait, err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	// Readable by the office like every other output (CreateTemp makes 0600).
	if err := os.Chmod(tmp, 0o644); err != nil {
		return classify(path, wait, err)
	}
	s, err := open(tmp, wait)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Path, e.Msg = path, strings.ReplaceAll(e.Msg, tmp, path)
		}
		return err
	}
	if err := s.Close(); err != nil {
		return classify(path, wait, err)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		// A file system without hard links: rename, unless another process
		// has made the store meanwhile.
		if _, serr := os.Stat(path); serr == nil {
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return classify(path, wait, err)
		}
	}
	return nil
}

// header is the first bytes of every SQLite 3 database.
const header = "SQLite format 3\x00"

// sniff refuses, without writing, a file that cannot be a sound SQLite
// database: empty, another format, or shorter than its header says.
func sniff(path string, size int64) error {
	notStore := func(why string) error {
		return &Error{Path: path, Kind: NotStore,
			Msg: fmt.Sprintf("%s 不是 planrep 数据库（%s）：请检查 --db 或 PLANREP_DB 指向的文件；如需从备份恢复，请把它移走后用 planrep db import 导入备份", path, why)}
	}
	if size == 0 {
		return notStore("文件为空")
	}
	f, err := os.Open(path)
	if err != nil {
		return classify(path, 0, err)
	}
	defer f.Close()
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return classify(path, 0, err)
	}
	if n < len(header) || string(h[:len(header)]) != header {
		return notStore("不是 SQLite 数据库文件")
	}
	if n < 100 {
		return notStore("文件不完整，可能已被截断")
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	valid := binary.BigEndian.Uint32(h[24:28]) == binary.BigEndian.Uint32(h[92:96])
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return notStore("文件头已损坏")
	}
	if valid && pages > 0 && size < pages*pageSize {
		return notStore(fmt.Sprintf("文件只有 %d 字节，应有 %d 字节，已被截断", size, pages*pageSize))
	}
	return nil
}

// SQLite primary result codes that get their own message.
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// classify turns a failure of SQLite or the file system into an *Error.
func classify(path string, wait time.Duration, err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	code := 0
	var e *sqlite.Error
	if errors.As(err, &e) {
		code = e.Code() & 0xff
	}
	msg := err.Error()
	switch {
	case code == sqliteBusy || code == sqliteLocked:
		return &Error{Path: path, Kind: Busy, Err: err,
			Msg: fmt.Sprintf("数据库 %s 正被另一个 planrep 进程写入，等待 %s 后仍未完成：本次结果未记入数据库，请等对方结束后重试", path, waitLabel(wait))}
	case code == sqliteFull || strings.Contains(msg, "no space left") || strings.Contains(msg, "file too large"):
		return &Error{Path: path, Kind: Full, Err: err,
			Msg: fmt.Sprintf("磁盘空间不足，数据库 %s 未能写入（数据库保持原状）：请清理磁盘空间后重试", path)}
	case code == sqliteReadOnly || code == sqliteCantOpen || errors.Is(err, os.ErrPermission) || strings.Contains(msg, "permission denied") || strings.Contains(msg, "read-only"):
		return &Error{Path: path, Kind: ReadOnly, Err: err,
			Msg: fmt.Sprintf("数据库 %s 无法写入（文件或所在文件夹只读，或没有权限）：请检查权限，或用 --db 指定可写的位置", path)}
	case code == sqliteCorrupt || code == sqliteNotADB:
		return &Error{Path: path, Kind: Corrupt, Err: err,
			Msg: fmt.Sprintf("数据库 %s 已损坏（%s）：请用 planrep db check 检查；可把它移走后用 planrep db import 从备份恢复", path, sqliteText(err))}
	case code == sqliteIOErr:
		return &Error{Path: path, Kind: Other, Err: err,
			Msg: fmt.Sprintf("读写数据库 %s 出错（%s）：请检查磁盘后重试", path, sqliteText(err))}
	}
	return &Error{Path: path, Kind: Other, Err: err, Msg: fmt.Sprintf("数据库 %s 出错：%v", path, err)}
}

func sqliteText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}

func waitLabel(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%d 秒", int(d.Round(time.Second)/time.Second))
	}
	return fmt.Sprintf("%d 毫秒", d.Milliseconds())
}

// fail classifies err against this store.
func (s *Store) fail(err error) error { return classify(s.path, s.wait, err) }

// Write runs fn in one IMMEDIATE transaction: it takes the write lock at once
// (waiting up to Options.Wait for another writer) and commits only if fn
// returns nil.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.fail(err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(err)
	}
	return nil
}
