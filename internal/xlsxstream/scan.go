package xlsxstream

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// The reader's XML tokens. A return's parts are small documents written by
// spreadsheet programs in a narrow dialect of XML: an optional declaration,
// one root element, ASCII names, quoted attributes, the five predefined
// entities and character references. scan tokenises that dialect without
// allocating per token; anything outside it (a DOCTYPE, a comment, CDATA, a
// processing instruction past the declaration, another encoding, a byte
// order mark, a non-ASCII name, a carriage return, anything malformed) makes
// it give up, and walk then reads the document with encoding/xml instead.
// So a document scan accepts is one encoding/xml reads without error, into
// the same tokens (FuzzScan checks this on arbitrary input); every other
// document is read by encoding/xml itself, errors included.

type tokKind uint8

const (
	startTok tokKind = iota + 1
	endTok
	textTok
)

// token is a start tag (with its attributes), an end tag (a self-closing
// tag gives both) or a run of character data with its entities decoded.
// Its byte slices are valid only during the call that receives it.
type token struct {
	kind         tokKind
	space, local []byte
	attrs        []xattr
	text         []byte
}

type xattr struct{ space, local, value []byte }

// span is a piece of the document (or, with the arena bit set, of the
// scanner's arena of decoded text): offsets, so that the scanner's lists
// hold no pointers for the collector to trace or guard.
type span struct{ at, end int32 }

const inArena = 1 << 30 // added to a span's offsets when it is in the arena

// rawTok is a token as scanned.
type rawTok struct {
	kind         tokKind
	depth        int32
	space, local span
	a0, a1       int32 // its attributes, in scanner.attrs
	text         span
}

type rawAttr struct{ space, local, value span }

// is reports whether the token's local name is local.
func (t *token) is(local string) bool { return string(t.local) == local }

// attr finds the attribute of that local name and no prefix.
func (t *token) attr(local string) ([]byte, bool) {
	for i := range t.attrs {
		if len(t.attrs[i].space) == 0 && string(t.attrs[i].local) == local {
			return t.attrs[i].value, true
		}
	}
	return nil, false
}

// attrStr is attr as a string ("" when absent).
func (t *token) attrStr(local string) (string, bool) {
	v, ok := t.attr(local)
	if !ok {
		return "", false
	}
	return string(v), true
}

// attrInt reads an integer attribute as encoding/xml would decode it into an
// int field: absent is 0, blank is 0, unreadable is an error.
func (t *token) attrInt(local string) (int, bool, error) {
	v, ok := t.attr(local)
	if !ok {
		return 0, false, nil
	}
	n, err := parseInt(bytes.TrimSpace(v))
	return n, true, err
}

// parseInt is strconv.ParseInt(s, 10, strconv.IntSize) for "" (0) and
// short decimal numbers without allocating, and strconv itself otherwise.
func parseInt(s []byte) (int, error) {
	if len(s) == 0 {
		return 0, nil
	}
	neg, d := false, s
	if d[0] == '-' || d[0] == '+' {
		neg, d = d[0] == '-', d[1:]
	}
	if len(d) > 0 && len(d) <= 18 {
		n := 0
		for _, c := range d {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int(c-'0')
		}
		if neg {
			n = -n
		}
		return n, nil
	}
slow:
	n, err := strconv.ParseInt(string(s), 10, strconv.IntSize)
	return int(n), err
}

// attrBool reads a boolean attribute as encoding/xml would: absent or
// blank is false.
func (t *token) attrBool(local string) (bool, error) {
	v, ok := t.attr(local)
	if !ok {
		return false, nil
	}
	v = bytes.TrimSpace(v)
	switch string(v) {
	case "":
		return false, nil
	case "1", "t", "T", "true", "TRUE", "True":
		return true, nil
	case "0", "f", "F", "false", "FALSE", "False":
		return false, nil
	}
	return strconv.ParseBool(string(v))
}

// scanner holds a document's tokens; it is pooled.
type scanner struct {
	data  []byte
	toks  []rawTok
	attrs []rawAttr
	stack []span
	arena []byte // decoded text; never grows past the document's length
	view  []xattr
}

// bytes is what a span stands for.
func (s *scanner) bytes(sp span) []byte {
	if sp.at >= inArena {
		return s.arena[sp.at-inArena : sp.end-inArena : sp.end-inArena]
	}
	return s.data[sp.at:sp.end:sp.end]
}

// token gives fn's view of a scanned token.
func (s *scanner) token(r *rawTok, t *token) {
	*t = token{kind: r.kind}
	if r.kind == textTok {
		t.text = s.bytes(r.text)
		return
	}
	t.space, t.local = s.bytes(r.space), s.bytes(r.local)
	if r.a1 > r.a0 {
		s.view = s.view[:0]
		for _, a := range s.attrs[r.a0:r.a1] {
			s.view = append(s.view, xattr{s.bytes(a.space), s.bytes(a.local), s.bytes(a.value)})
		}
		t.attrs = s.view
	}
}

var scanners = sync.Pool{New: func() any { return new(scanner) }}

// errGiveUp says scan met something outside its dialect.
var errGiveUp = errors.New("xlsxstream: not in the scanned dialect")

// walk feeds fn the tokens of an XML document's root element, as
// encoding/xml's raw token reader gives them, with the nesting depth of each
// (the root is 1). Like Decode it stops at the root's end and takes a
// document with no element at all for an empty one; unlike the raw reader it
// insists that every end tag closes the element it should. std reads the
// document with encoding/xml alone.
func walk(data []byte, std bool, fn func(t *token, depth int) error) error {
	if !std {
		s := scanners.Get().(*scanner)
		defer s.release()
		if s.scan(data) == nil {
			var t token
			for i := range s.toks {
				s.token(&s.toks[i], &t)
				if err := fn(&t, int(s.toks[i].depth)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return walkStd(data, fn)
}

func (s *scanner) release() {
	if cap(s.arena) > 1<<20 || cap(s.toks) > 1<<16 {
		return // a big document's buffers are not kept
	}
	s.toks, s.attrs, s.stack, s.data = s.toks[:0], s.attrs[:0], s.stack[:0], nil
	clear(s.view[:cap(s.view)])
	s.view = s.view[:0]
	scanners.Put(s)
}

// walkStd is walk on encoding/xml's raw token reader.
func walkStd(data []byte, fn func(t *token, depth int) error) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	var stack []xml.Name
	var tok token
	var attrs []xattr
	for {
		t, err := d.RawToken()
		if err == io.EOF {
			if len(stack) > 0 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch x := t.(type) {
		case xml.StartElement:
			stack = append(stack, x.Name)
			attrs = attrs[:0]
			for _, a := range x.Attr {
				attrs = append(attrs, xattr{[]byte(a.Name.Space), []byte(a.Name.Local), []byte(a.Value)})
			}
			tok = token{kind: startTok, space: []byte(x.Name.Space), local: []byte(x.Name.Local), attrs: attrs}
			if err := fn(&tok, len(stack)); err != nil {
				return err
			}
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != x.Name {
				return errors.New("xml: end tag does not match")
			}
			tok = token{kind: endTok, space: []byte(x.Name.Space), local: []byte(x.Name.Local)}
			if err := fn(&tok, len(stack)); err != nil {
				return err
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
		case xml.CharData:
			if len(stack) > 0 {
				tok = token{kind: textTok, text: x}
				if err := fn(&tok, len(stack)); err != nil {
					return err
				}
			}
		}
	}
}

// scan tokenises data into s, or gives up.
func (s *scanner) scan(data []byte) error {
	if len(data) >= inArena {
		return errGiveUp
	}
	s.data, s.toks, s.attrs, s.stack = data, s.toks[:0], s.attrs[:0], s.stack[:0]
	if cap(s.arena) < len(data) {
		s.arena = make([]byte, 0, len(data))
	}
	s.arena = s.arena[:0]
	i, ok := prologue(data)
	if !ok {
		return errGiveUp
	}
	for i < len(data) {
		if data[i] != '<' {
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				return errGiveUp // the root never closes
			}
			text, ok := s.text(i, i+j, 0)
			if !ok {
				return errGiveUp
			}
			s.toks = append(s.toks, rawTok{kind: textTok, text: text, depth: int32(len(s.stack))})
			i += j
			continue
		}
		if i+1 >= len(data) {
			return errGiveUp
		}
		switch data[i+1] {
		case '!', '?':
			return errGiveUp
		case '/':
			space, local, n, ok := qname(data, i+2)
			if !ok {
				return errGiveUp
			}
			j := skipSpace(data, i+2+n)
			if j >= len(data) || data[j] != '>' {
				return errGiveUp
			}
			if len(s.stack) == 0 || !bytes.Equal(s.bytes(s.stack[len(s.stack)-1]), data[i+2:i+2+n]) {
				return errGiveUp
			}
			s.toks = append(s.toks, rawTok{kind: endTok, space: space, local: local, depth: int32(len(s.stack))})
			s.stack = s.stack[:len(s.stack)-1]
			if len(s.stack) == 0 {
				return nil // the rest of the document is not read
			}
			i = j + 1
		default:
			j, ok := s.start(data, i+1)
			if !ok {
				return errGiveUp
			}
			if len(s.stack) == 0 {
				return nil
			}
			i = j
		}
	}
	return errGiveUp
}

// prologue skips an XML declaration encoding/xml would accept without a
// charset reader, and the white space around it, to the root's "<". ok is
// false for anything else before the root (a BOM, a comment, a DOCTYPE).
func prologue(data []byte) (int, bool) {
	i := 0
	if bytes.HasPrefix(data, []byte("<?xml")) && len(data) > 5 && isSpace(data[5]) {
		end := bytes.Index(data, []byte("?>"))
		if end < 0 {
			return 0, false
		}
		content := data[6:end]
		for len(content) > 0 {
			k := skipSpace(content, 0)
			content = content[k:]
			if len(content) == 0 {
				break
			}
			eq := bytes.IndexByte(content, '=')
			if eq < 0 {
				return 0, false
			}
			name := string(bytes.TrimRight(content[:eq], " \t\r\n"))
			rest := content[skipSpace(content, eq+1):]
			if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
				return 0, false
			}
			q := bytes.IndexByte(rest[1:], rest[0])
			if q < 0 {
				return 0, false
			}
			val := string(rest[1 : 1+q])
			switch {
			case name == "version" && val == "1.0":
			case name == "encoding" && strings.EqualFold(val, "utf-8"):
			case name == "standalone" && (val == "yes" || val == "no"):
			default:
				return 0, false
			}
			if strings.ContainsAny(val, "'\"") {
				return 0, false
			}
			content = rest[2+q:]
			if len(content) > 0 && !isSpace(content[0]) {
				return 0, false
			}
		}
		i = end + 2
	}
	for i < len(data) && isSpace(data[i]) {
		if data[i] == '\r' {
			return 0, false
		}
		i++
	}
	if i >= len(data) || data[i] != '<' {
		return 0, false
	}
	return i, true
}

// start reads a start tag whose name begins at data[i]; it returns the
// offset just past its ">".
func (s *scanner) start(data []byte, i int) (int, bool) {
	space, local, n, ok := qname(data, i)
	if !ok {
		return 0, false
	}
	raw := span{int32(i), int32(i + n)}
	i += n
	a0 := len(s.attrs)
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return 0, false
		}
		switch data[i] {
		case '/':
			if i+1 >= len(data) || data[i+1] != '>' {
				return 0, false
			}
			d := int32(len(s.stack) + 1)
			s.toks = append(s.toks,
				rawTok{kind: startTok, space: space, local: local, depth: d, a0: int32(a0), a1: int32(len(s.attrs))},
				rawTok{kind: endTok, space: space, local: local, depth: d})
			return i + 2, true
		case '>':
			s.stack = append(s.stack, raw)
			s.toks = append(s.toks, rawTok{kind: startTok, space: space, local: local, depth: int32(len(s.stack)), a0: int32(a0), a1: int32(len(s.attrs))})
			return i + 1, true
		}
		as, al, an, ok := qname(data, i)
		if !ok {
			return 0, false
		}
		i = skipSpace(data, i+an)
		if i >= len(data) || data[i] != '=' {
			return 0, false
		}
		i = skipSpace(data, i+1)
		if i >= len(data) || (data[i] != '"' && data[i] != '\'') {
			return 0, false
		}
		q := bytes.IndexByte(data[i+1:], data[i])
		if q < 0 {
			return 0, false
		}
		val, ok := s.text(i+1, i+1+q, data[i])
		if !ok {
			return 0, false
		}
		s.attrs = append(s.attrs, rawAttr{as, al, val})
		i += q + 2
	}
}

// qname reads an ASCII name at data[at:] as encoding/xml's nsname splits
// it: n is its length. A name that does not start with a letter or "_",
// holds a byte past ASCII or more than one colon is given up on.
func qname(data []byte, at int) (space, local span, n int, ok bool) {
	b := data[at:]
	if len(b) == 0 || !(b[0] >= 'A' && b[0] <= 'Z' || b[0] >= 'a' && b[0] <= 'z' || b[0] == '_') {
		return span{}, span{}, 0, false
	}
	colon := -1
	for n = 1; n < len(b); n++ {
		c := b[n]
		if c >= 0x80 {
			return span{}, span{}, 0, false
		}
		if !isNameByte(c) {
			break
		}
		if c == ':' {
			if colon >= 0 {
				return span{}, span{}, 0, false
			}
			colon = n
		}
	}
	a := int32(at)
	if colon < 0 || colon == n-1 {
		return span{a, a}, span{a, a + int32(n)}, n, true
	}
	return span{a, a + int32(colon)}, span{a + int32(colon) + 1, a + int32(n)}, n, true
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// text checks and decodes character data (quote 0) or an attribute's value
// (between quote characters): the bytes themselves when there is nothing
// to decode, else its decoding in the arena. It gives up on a carriage
// return, "]]>" outside an attribute, a "<" inside one, an entity it does
// not know, and any character XML does not allow.
func (s *scanner) text(from, to int, quote byte) (span, bool) {
	b := s.data[from:to]
	no := span{}
	plain := true
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= 0x20 && c < 0x80:
			switch c {
			case '&':
				plain = false
			case '<':
				return no, false
			case '>':
				if quote == 0 && i >= 2 && b[i-1] == ']' && b[i-2] == ']' {
					return no, false
				}
			}
			i++
		case c == '\t' || c == '\n':
			i++
		case c < 0x20:
			return no, false // \r and the control characters
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 || !inCharRange(r) {
				return no, false
			}
			i += size
		}
	}
	if plain {
		return span{int32(from), int32(to)}, true
	}
	at := len(s.arena)
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], '&')
		if k < 0 {
			s.arena = append(s.arena, b[i:]...)
			break
		}
		s.arena = append(s.arena, b[i:i+k]...)
		i += k
		semi := bytes.IndexByte(b[i:], ';')
		if semi < 0 {
			return no, false
		}
		ref := b[i+1 : i+semi]
		switch string(ref) {
		case "lt":
			s.arena = append(s.arena, '<')
		case "gt":
			s.arena = append(s.arena, '>')
		case "amp":
			s.arena = append(s.arena, '&')
		case "apos":
			s.arena = append(s.arena, '\'')
		case "quot":
			s.arena = append(s.arena, '"')
		default:
			r, ok := charRef(ref)
			if !ok {
				return no, false
			}
			s.arena = utf8.AppendRune(s.arena, r)
		}
		i += semi + 1
	}
	return span{int32(at) + inArena, int32(len(s.arena)) + inArena}, true
}

// charRef decodes "#123" or "#x1F" to a character XML allows.
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 6 {
		return 0, false
	}
	r := 0
	for _, c := range digits {
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + d
	}
	if !inCharRange(rune(r)) || r >= 0xD800 && r <= 0xDFFF || r == '\r' {
		return 0, false
	}
	return rune(r), true
}

// inCharRange is the Char production of XML 1.0.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
