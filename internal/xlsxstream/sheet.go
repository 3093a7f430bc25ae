package xlsxstream

import (
	"bytes"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"
)

// Cell is one cell of a sheet read.
type Cell struct {
	Col, Row int
	Type     string // the t attribute as written: "" or "n" a number, "s", "inlineStr", "str", "b", "e", "d"
	Value    string // as excelize's raw cell value: strings resolved, numbers as stored, a formula's cached result
	Formula  string // the formula ("" when none), a shared formula translated to this cell
	Style    int    // index into the cell formats of the styles
	Bad      bool   // a shared string index that does not exist: excelize fails to read the cell

	fm formula
}

type formula struct {
	has     bool
	content string
	shared  bool
	si      int
	hasSI   bool
	ref     string
}

// Row is a row of a sheet read.
type Row struct {
	Num    int
	Hidden bool
	Cells  []Cell
}

// Sheet is a worksheet's cells. Err says it could not be read: then every
// cell reads empty, as with excelize, and Rows holds the rows read before
// the problem, in the order read. Absent says the workbook lists the sheet
// but its part is missing or is not a worksheet.
type Sheet struct {
	Name   string
	Err    error
	Absent bool
	Rows   []Row // by row number, each number once

	merges   [][4]int // col1, row1, col2, row2 (sorted), and the cell the range reads from
	mergeTo  [][2]int
	mergeBad bool
	masters  map[int]*Cell // shared formula index → its master cell
}

// row finds row n.
func (s *Sheet) row(n int) *Row {
	i := sort.Search(len(s.Rows), func(i int) bool { return s.Rows[i].Num >= n })
	if i < len(s.Rows) && s.Rows[i].Num == n {
		return &s.Rows[i]
	}
	return nil
}

// Cell is the cell at col, row as excelize reads it: a cell inside a merged
// range reads as the range's first cell. ok is false for a cell that is not
// in the sheet (or cannot be read); its Value is then "".
func (s *Sheet) Cell(col, row int) (c Cell, ok bool) {
	if s == nil || s.Err != nil || s.mergeBad {
		return Cell{}, false
	}
	for i, m := range s.merges {
		if col >= m[0] && col <= m[2] && row >= m[1] && row <= m[3] {
			col, row = s.mergeTo[i][0], s.mergeTo[i][1]
			break
		}
	}
	r := s.row(row)
	if r == nil {
		return Cell{}, false
	}
	for i := range r.Cells {
		if r.Cells[i].Col == col {
			return r.Cells[i], true // a Bad cell's Value is "", as excelize reads it
		}
	}
	return Cell{}, false
}

// Value is the cell's raw value, "" when there is none.
func (s *Sheet) Value(col, row int) string {
	c, _ := s.Cell(col, row)
	return c.Value
}

// RowHidden reports whether row n is hidden, as excelize's GetRowVisible
// tells it: a row past the sheet's last counts as not visible.
func (s *Sheet) RowHidden(n int) bool {
	if s == nil || s.Err != nil {
		return false
	}
	if len(s.Rows) == 0 || n > s.Rows[len(s.Rows)-1].Num {
		return true
	}
	if r := s.row(n); r != nil {
		return r.Hidden
	}
	return false
}

// parseSheet reads a worksheet's rows and merged ranges.
func parseSheet(sh *Sheet, data []byte, sst []string, std bool) {
	var (
		rows     []Row
		at       = map[int]int{} // row number → index in rows
		prev     int             // the last row number given
		cur      *Row            // the row being read
		curR0    bool            // it had no usable number
		cols     int             // cells counted in the row, as excelize counts them
		cell     *Cell
		is       stringItem
		inIS     bool
		inV, inF bool
		v, f     []byte
		rowBuf   []Cell
		isStr    bool
		inData   bool
	)
	fail := errors.New("cell")
	endRow := func() error {
		r := cur
		cur = nil
		defer func(buf []Cell) { rowBuf = buf[:0] }(r.Cells)
		num := r.Num
		if curR0 {
			// A row without a number (or repeating the last) goes after the
			// last, or where its cells say, and its cells win.
			last := 0
			for _, c := range r.Cells {
				if c.Row > last {
					last = c.Row
				}
			}
			if last > prev {
				prev = last
			}
			if last == 0 {
				prev++
			}
			num = prev
			r.Num = num
			if i, ok := at[num]; ok {
				old := &rows[i]
				for _, c := range r.Cells {
					c.Row = num
					replaced := false
					for k := range old.Cells {
						if old.Cells[k].Col == c.Col {
							old.Cells[k] = c
							replaced = true
							break
						}
					}
					if !replaced {
						old.Cells = append(old.Cells, c)
					}
				}
				return nil
			}
			for k := range r.Cells {
				r.Cells[k].Row = num
			}
		} else {
			prev = num
			// Cells whose reference names another row cannot be found.
			keep := r.Cells[:0]
			for _, c := range r.Cells {
				if c.Row == 0 || c.Row == num {
					c.Row = num
					keep = append(keep, c)
				}
			}
			r.Cells = keep
		}
		r.Cells = append([]Cell(nil), r.Cells...)
		if i, ok := at[num]; ok {
			rows[i] = *r
			return nil
		}
		at[num] = len(rows)
		rows = append(rows, *r)
		return nil
	}
	fn := func(t *token, depth int) error {
		depth++ // the fragments read are children of the worksheet
		switch t.kind {
		case startTok:
			switch {
			case depth == 2 && t.is("sheetData"):
				inData = true
			case depth == 2 && t.is("mergeCells"):
			case depth == 3 && t.is("mergeCell"):
				ref, _ := t.attrStr("ref")
				if ref == "" {
					return nil
				}
				if strings.Count(ref, ":") != 1 {
					ref += ":" + ref
				}
				parts := strings.Split(strings.ReplaceAll(ref, "$", ""), ":")
				c1, r1, err1 := excelize.CellNameToCoordinates(parts[0])
				c2, r2, err2 := excelize.CellNameToCoordinates(parts[1])
				if err1 != nil || err2 != nil {
					sh.mergeBad = true
					return nil
				}
				to := [2]int{c1, r1}
				if c1 > c2 {
					c1, c2 = c2, c1
				}
				if r1 > r2 {
					r1, r2 = r2, r1
				}
				sh.merges = append(sh.merges, [4]int{c1, r1, c2, r2})
				sh.mergeTo = append(sh.mergeTo, to)
			case inData && depth == 3 && t.is("row"):
				n, _, err := t.attrInt("r")
				if err != nil {
					return err
				}
				if n < 0 || n > excelize.TotalRows {
					return fail
				}
				hidden, err := t.attrBool("hidden")
				if err != nil {
					return err
				}
				if _, _, err := t.attrInt("s"); err != nil {
					return err
				}
				cur = &Row{Num: n, Hidden: hidden, Cells: rowBuf[:0]}
				curR0 = n == 0 || n == prev
				cols = 0
			case cur != nil && depth == 4 && t.is("c"):
				cur.Cells = append(cur.Cells, Cell{})
				cell = &cur.Cells[len(cur.Cells)-1]
				cols++
				if ref, ok := t.attr("r"); ok && len(ref) != 0 {
					c, r, err := cellCoords(ref)
					if err != nil {
						return fail
					}
					cell.Col, cell.Row = c, r
					if c > cols {
						cols = c
					}
				} else {
					cell.Col = cols
				}
				s, _, err := t.attrInt("s")
				if err != nil {
					return err
				}
				cell.Style = s
				cell.Type = cellType(t)
				v, f, isStr, inIS = v[:0], f[:0], false, false
			case cell != nil && depth == 5 && t.is("v"):
				inV, v = true, v[:0]
			case cell != nil && depth == 5 && t.is("f"):
				inF, f = true, f[:0]
				cell.fm.has = true
				ft, _ := t.attr("t")
				cell.fm.shared = string(ft) == "shared"
				cell.fm.ref, _ = t.attrStr("ref")
				si, ok, err := t.attrInt("si")
				if err != nil {
					return err
				}
				cell.fm.si, cell.fm.hasSI = si, ok
			case cell != nil && depth == 5 && t.is("is"):
				inIS, isStr = true, true
				is.reset(5)
			case inIS:
				is.token(t, depth)
			}
		case textTok:
			switch {
			case inV && depth == 5:
				v = append(v, t.text...)
			case inF && depth == 5:
				f = append(f, t.text...)
			case inIS:
				is.token(t, depth)
			}
		case endTok:
			switch {
			case depth == 2 && t.is("sheetData"):
				inData = false
			case inIS && depth == 5:
				inIS = false
			case inIS:
				is.token(t, depth)
			case inV && depth == 5:
				inV = false
			case inF && depth == 5:
				inF = false
				cell.fm.content = string(f)
			case cell != nil && depth == 4:
				finishCell(cell, v, isStr, &is, sst)
				cell = nil
			case cur != nil && depth == 3:
				if err := endRow(); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// Only the rows and the merged ranges are read: validations, conditional
	// formats, protection and the rest are not a reader's business.
	var err error
	start, end := element(data, "sheetData", 0)
	if start >= 0 {
		err = walk(data[start:end], std, fn)
	}
	if ms, me := element(data, "mergeCells", max(end, 0)); err == nil && ms >= 0 {
		err = walk(data[ms:me], std, fn)
	}
	if err != nil {
		sh.Err = err
		sh.Rows = rows // in the order read, for a reader that goes as far as it can
		return
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Num < rows[j].Num })
	sh.Rows = rows
	// Shared formulas: the first cell (in sheet order) that carries the
	// range is the master of its index.
	for i := range sh.Rows {
		for k := range sh.Rows[i].Cells {
			c := &sh.Rows[i].Cells[k]
			if c.fm.has && c.fm.shared && c.fm.hasSI && c.fm.ref != "" {
				if sh.masters == nil {
					sh.masters = map[int]*Cell{}
				}
				if _, ok := sh.masters[c.fm.si]; !ok {
					sh.masters[c.fm.si] = c
				}
			}
		}
	}
	for i := range sh.Rows {
		for k := range sh.Rows[i].Cells {
			c := &sh.Rows[i].Cells[k]
			switch {
			case !c.fm.has:
			case c.fm.shared && c.fm.hasSI:
				if m := sh.masters[c.fm.si]; m != nil {
					c.Formula = shiftFormula(m.fm.content, c.Col-m.Col, c.Row-m.Row)
				}
			default:
				c.Formula = c.fm.content
			}
		}
	}
}

// finishCell sets a cell's value from what was read, as excelize's raw value.
func finishCell(c *Cell, v []byte, isStr bool, is *stringItem, sst []string) {
	switch c.Type {
	case "s":
		if len(v) == 0 {
			return
		}
		i, _ := strconv.Atoi(strings.TrimSpace(string(v)))
		if i < 0 || i >= len(sst) {
			c.Bad = true
			return
		}
		c.Value = sst[i]
	case "inlineStr":
		if isStr {
			c.Value = is.String()
			return
		}
		c.Value = string(v)
	default:
		c.Value = string(v)
	}
}

// shiftFormula moves a shared formula's relative references by the offset
// of the cell from its master, as excelize does.
func shiftFormula(content string, dCol, dRow int) string {
	ps := efp.ExcelParser()
	tokens := ps.Parse(content)
	for i := range tokens {
		if tokens[i].TType == efp.TokenTypeOperand && tokens[i].TSubType == efp.TokenSubTypeRange {
			tokens[i].TValue = shiftCell(tokens[i].TValue, dCol, dRow)
		}
	}
	return ps.Render()
}

func shiftCell(val string, dCol, dRow int) string {
	parts := strings.Split(val, ":")
	for j := range parts {
		cell := parts[j]
		trimmed := strings.ReplaceAll(cell, "$", "")
		c, r, err := excelize.CellNameToCoordinates(trimmed)
		if err == nil {
			absCol := strings.Index(cell, "$") == 0
			absRow := strings.LastIndex(cell, "$") > 0
			if !absCol && !absRow {
				parts[j], _ = excelize.CoordinatesToCellName(c+dCol, r+dRow)
			}
			if !absCol && absRow {
				name, _ := excelize.ColumnNumberToName(c + dCol)
				parts[j] = name + "$" + strconv.Itoa(r)
			}
			if absCol && !absRow {
				name, _ := excelize.ColumnNumberToName(c)
				parts[j] = "$" + name + strconv.Itoa(r+dRow)
			}
			continue
		}
		c, err = excelize.ColumnNameToNumber(trimmed)
		if err == nil && !strings.HasPrefix(cell, "$") {
			parts[j], _ = excelize.ColumnNumberToName(c + dCol)
			continue
		}
		r, err = strconv.Atoi(trimmed)
		if err == nil && !strings.HasPrefix(cell, "$") {
			parts[j] = strconv.Itoa(r + dRow)
		}
	}
	return strings.Join(parts, ":")
}

// element finds the first element of a local name at or after from: the
// offsets of its start tag's "<" and just past its end tag (or past the start
// tag when it closes itself, or the data's end when it is never closed).
// start is -1 when there is none.
func element(data []byte, local string, from int) (start, end int) {
	name := []byte(local)
	for i := from; ; {
		k := bytes.Index(data[i:], name)
		if k < 0 {
			return -1, -1
		}
		at := i + k
		i = at + len(name)
		if i >= len(data) || !strings.ContainsRune(" \t\r\n/>", rune(data[i])) {
			continue
		}
		lt := at - 1
		if lt >= 0 && data[lt] == ':' { // a prefix
			for lt--; lt >= 0 && data[lt] != '<' && data[lt] != '>' && data[lt] != ' '; lt-- {
			}
		}
		if lt < 0 || data[lt] != '<' {
			continue
		}
		prefix := data[lt+1 : at]
		gt := bytes.IndexByte(data[i:], '>')
		if gt < 0 {
			return lt, len(data)
		}
		if data[i+gt-1] == '/' {
			return lt, i + gt + 1
		}
		closing := append(append([]byte("</"), prefix...), append(name, '>')...)
		if c := bytes.Index(data[i+gt:], closing); c >= 0 {
			return lt, i + gt + c + len(closing)
		}
		return lt, len(data)
	}
}

// cellCoords is excelize.CellNameToCoordinates for a reference of capital
// letters and digits, without allocating; anything else goes to excelize.
func cellCoords(ref []byte) (col, row int, err error) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(ref) || len(ref)-i > 7 || col > excelize.MaxColumns {
		return excelize.CellNameToCoordinates(string(ref))
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return excelize.CellNameToCoordinates(string(ref))
		}
		row = row*10 + int(c-'0')
	}
	if row < 1 || row > excelize.TotalRows {
		return excelize.CellNameToCoordinates(string(ref))
	}
	return col, row, nil
}

// cellType is a cell's t attribute, the usual values without allocating.
func cellType(t *token) string {
	v, _ := t.attr("t")
	switch string(v) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(v)
}
