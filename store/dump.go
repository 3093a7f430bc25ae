package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// DumpFormat names the export format in its first line.
const DumpFormat = "planrep-store"

// dumpHead is the first line of an export.
type dumpHead struct {
	Format string `json:"format"`
	Schema int    `json:"schema"`
}

// dumpLine is one row of one table.
type dumpLine struct {
	Table string         `json:"table"`
	Row   map[string]any `json:"row"`
}

// tables lists the store's tables in the order they were created, so that a
// row is always loaded after the rows it refers to.
func (s *Store) tables(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`)
	if err != nil {
		return nil, s.fail(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, s.fail(err)
		}
		out = append(out, n)
	}
	return out, s.fail(rows.Err())
}

// Export writes every row of every table as JSON lines: a head line naming
// the format and schema version, then {"table": …, "row": {…}} in the order
// of the tables' creation and of their keys. The same store gives the same
// bytes. It reads one consistent snapshot.
func (s *Store) Export(ctx context.Context, w io.Writer) (rows int, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, s.fail(err)
	}
	defer conn.Close()
	// A deferred (read) transaction: a snapshot without the write lock.
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return 0, s.fail(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	tables, err := s.tables(ctx)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(dumpHead{Format: DumpFormat, Schema: Version()}); err != nil {
		return 0, err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`SELECT * FROM "%s" ORDER BY %s`, t, orderOf(ctx, conn, t))
		rs, err := conn.QueryContext(ctx, q)
		if err != nil {
			return rows, s.fail(err)
		}
		cols, err := rs.Columns()
		if err != nil {
			rs.Close()
			return rows, s.fail(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				rs.Close()
				return rows, s.fail(err)
			}
			row := make(map[string]any, len(cols))
			for i, c := range cols {
				row[c] = dumpValue(vals[i])
			}
			if err := enc.Encode(dumpLine{Table: t, Row: row}); err != nil {
				rs.Close()
				return rows, err
			}
			rows++
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return rows, s.fail(err)
		}
	}
	return rows, bw.Flush()
}

// orderOf is the ORDER BY of a table's export: its primary key.
func orderOf(ctx context.Context, conn *sql.Conn, table string) string {
	rows, err := conn.QueryContext(ctx, fmt.Sprintf(`SELECT name, pk FROM pragma_table_info('%s') WHERE pk > 0 ORDER BY pk`, table))
	if err != nil {
		return "rowid"
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var n string
		var pk int
		if rows.Scan(&n, &pk) == nil {
			keys = append(keys, `"`+n+`"`)
		}
	}
	if len(keys) == 0 {
		return "rowid"
	}
	return strings.Join(keys, ", ")
}

// blobValue marks a BLOB in an export.
type blobValue struct {
	Base64 string `json:"$blob"`
}

func dumpValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return blobValue{Base64: base64.StdEncoding.EncodeToString(x)}
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			// Keep a REAL recognisable: 3 would come back as an INTEGER
			// in a column without REAL affinity.
			return json.Number(fmt.Sprintf("%.1f", x))
		}
	}
	return v
}

// ErrNotEmpty is returned by Import into a store that holds data.
var ErrNotEmpty = errors.New("store not empty")

// Import loads an export into this store, which must be empty (new). The
// whole file is loaded in one transaction: a file that fails part-way
// leaves the store empty. The result exports to the same bytes.
func (s *Store) Import(ctx context.Context, r io.Reader) (rows int, err error) {
	tables, err := s.tables(ctx)
	if err != nil {
		return 0, err
	}
	known := map[string]bool{}
	for _, t := range tables {
		var n int
		if err := s.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM "%s"`, t)).Scan(&n); err != nil {
			return 0, s.fail(err)
		}
		if n > 0 {
			return 0, &Error{Path: s.path, Kind: Other, Err: ErrNotEmpty,
				Msg: fmt.Sprintf("数据库 %s 中已有数据：导入只能导入到新的空数据库，请用 --db 指定一个尚不存在的文件", s.path)}
		}
		known[t] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	line := 0
	bad := func(format string, a ...any) error {
		return fmt.Errorf("备份文件第 %d 行%s：请确认它是 planrep db export 导出的完整文件", line, fmt.Sprintf(format, a...))
	}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return 0, err
		}
		return 0, errors.New("备份文件是空的：请确认它是 planrep db export 导出的文件")
	}
	line++
	var head dumpHead
	if err := json.Unmarshal(sc.Bytes(), &head); err != nil || head.Format != DumpFormat {
		return 0, bad("不是 planrep 数据库的导出文件")
	}
	if head.Schema > Version() {
		return 0, fmt.Errorf("备份文件由更新版本的 planrep 导出（数据库结构第 %d 版），本程序只支持到第 %d 版：请升级 planrep 后再导入", head.Schema, Version())
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		stmts := map[string]*sql.Stmt{}
		cols := map[string][]string{}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		for sc.Scan() {
			line++
			if len(strings.TrimSpace(sc.Text())) == 0 {
				continue
			}
			var dl struct {
				Table string                     `json:"table"`
				Row   map[string]json.RawMessage `json:"row"`
			}
			if err := json.Unmarshal(sc.Bytes(), &dl); err != nil {
				return bad("无法解析（%v）", err)
			}
			if !known[dl.Table] {
				return bad("的表 %q 不在本数据库中", dl.Table)
			}
			st, ok := stmts[dl.Table]
			if !ok {
				names := make([]string, 0, len(dl.Row))
				for k := range dl.Row {
					names = append(names, k)
				}
				sort.Strings(names)
				quoted := make([]string, len(names))
				marks := make([]string, len(names))
				for i, n := range names {
					quoted[i], marks[i] = `"`+strings.ReplaceAll(n, `"`, `""`)+`"`, "?"
				}
				var err error
				st, err = tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (%s)`, dl.Table, strings.Join(quoted, ","), strings.Join(marks, ",")))
				if err != nil {
					return bad("的表 %s 与本数据库的列不符（%v）", dl.Table, err)
				}
				stmts[dl.Table], cols[dl.Table] = st, names
			}
			names := cols[dl.Table]
			if len(dl.Row) != len(names) {
				return bad("的列与同一表的其他行不同")
			}
			args := make([]any, len(names))
			for i, n := range names {
				raw, ok := dl.Row[n]
				if !ok {
					return bad("缺少列 %s", n)
				}
				v, err := loadValue(raw)
				if err != nil {
					return bad("的列 %s 无法读取", n)
				}
				args[i] = v
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return bad("无法写入表 %s（%v）", dl.Table, err)
			}
			rows++
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("读取备份文件出错：%w", err)
		}
		if head.Schema < 4 {
			// An export made before the registries' definitions were kept:
			// fill them as the migration does.
			return fillDefinitions(ctx, tx)
		}
		return nil
	})
	return rows, err
}

func loadValue(raw json.RawMessage) (any, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return nil, nil
	case strings.HasPrefix(s, "{"):
		var b blobValue
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		return base64.StdEncoding.DecodeString(b.Base64)
	case strings.HasPrefix(s, `"`):
		var x string
		err := json.Unmarshal(raw, &x)
		return x, err
	case s == "true" || s == "false":
		return s == "true", nil
	case strings.ContainsAny(s, ".eE"):
		var f float64
		err := json.Unmarshal(raw, &f)
		return f, err
	}
	var n int64
	err := json.Unmarshal(raw, &n)
	return n, err
}
