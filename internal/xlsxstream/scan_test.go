package xlsxstream

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// tokens records what walk (or walkStd) gives fn, as text.
func tokens(data []byte, std bool) ([]string, error) {
	var out []string
	fn := func(t *token, depth int) error {
		var b strings.Builder
		fmt.Fprintf(&b, "%d %d %q:%q", depth, t.kind, t.space, t.local)
		for _, a := range t.attrs {
			fmt.Fprintf(&b, " %q:%q=%q", a.space, a.local, a.value)
		}
		if t.kind == textTok {
			fmt.Fprintf(&b, " %q", t.text)
		}
		out = append(out, b.String())
		return nil
	}
	if std {
		return out, walkStd(data, fn)
	}
	s := scanners.Get().(*scanner)
	defer s.release()
	if err := s.scan(data); err != nil {
		return nil, err
	}
	var t token
	for i := range s.toks {
		s.token(&s.toks[i], &t)
		must(fn(&t, int(s.toks[i].depth)))
	}
	return out, nil
}

// scanSeeds are documents scan must read (accept) and documents it must
// leave to encoding/xml.
var scanSeeds = []struct {
	doc    string
	accept bool
}{
	{sheetXML, true},
	{sstXML, true},
	{stylesXML, true},
	{`<a/>`, true},
	{`<?xml version='1.0' encoding='utf-8'?>` + "\n<a b = 'x' c=\"y\"><b/>t&lt;&#x4E2D;&#25991;</a>trailing <junk", true},
	{`<a><b>&amp;&quot;&apos;&gt;]]&gt;</b></a>`, true},
	{`<a x="]]>"/>`, true},
	{`<r:a xmlns:r="u"><r:b r:c="1">x</r:b></r:a>`, true},
	{`<a b="1"c="2"/>`, true},
	{"<a>\t\n</a>", true},
	{"<a>\r\n</a>", false},          // a carriage return
	{`<a><!-- c --></a>`, false},    // a comment
	{`<a><![CDATA[x]]></a>`, false}, // CDATA
	{`<!DOCTYPE a><a/>`, false},     // a DOCTYPE
	{"\ufeff<a/>", false},           // a byte order mark
	{`<?xml version="1.0" encoding="GBK"?><a/>`, false},
	{`<a>]]></a>`, false},      // an error for encoding/xml too
	{`<a>&nbsp;</a>`, false},   // an unknown entity
	{`<a>&#0;</a>`, false},     // a character XML does not allow
	{`<a b="<"/>`, false},      // "<" in an attribute
	{`<a:b:c/>`, false},        // two colons
	{`<1a/>`, false},           // a name starting with a digit
	{`<中/>`, false},            // a name past ASCII
	{`<a></b>`, false},         // a mismatched end tag
	{`<a>`, false},             // never closed
	{"<a>\x01</a>", false},     // a control character
	{"<a>\xff</a>", false},     // not UTF-8
	{`<a b=c/>`, false},        // an unquoted attribute
	{`<a b/>`, false},          // an attribute without a value
	{`<a><?pi x?></a>`, false}, // a processing instruction
	{`<?xml version="1.1"?><a/>`, false},
}

// TestScanAgreesWithEncodingXML: every document scan accepts is read by
// encoding/xml without error into the same tokens, and scan leaves the
// documents it does not know to encoding/xml.
func TestScanAgreesWithEncodingXML(t *testing.T) {
	for _, c := range scanSeeds {
		got, err := tokens([]byte(c.doc), false)
		if (err == nil) != c.accept {
			t.Errorf("scan(%q): error %v, want accepted %v", c.doc, err, c.accept)
			continue
		}
		if err != nil {
			continue
		}
		want, err := tokens([]byte(c.doc), true)
		if err != nil {
			t.Errorf("scan accepted %q, which encoding/xml refuses: %v", c.doc, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scan(%q):\n got %q\nwant %q", c.doc, got, want)
		}
	}
	// Decoded text never outgrows its source, so the arena never moves.
	doc := []byte(`<a>` + strings.Repeat("&#x10FFFF;&lt;x", 1000) + `</a>`)
	got, err := tokens(doc, false)
	must(err)
	if want := mustGet(tokens(doc, true)); !reflect.DeepEqual(got, want) || len(got) != 3 {
		t.Fatalf("scan of a long decoded text:\n got %.200q\nwant %.200q", got, want)
	}
}

// FuzzScan: on any input, a document scan accepts is one encoding/xml reads
// without error into the same tokens.
func FuzzScan(f *testing.F) {
	for _, c := range scanSeeds {
		f.Add([]byte(c.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := tokens(data, false)
		if err != nil {
			return
		}
		want, err := tokens(data, true)
		if err != nil {
			t.Fatalf("scan accepted %q, which encoding/xml refuses: %v", data, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scan(%q):\n got %q\nwant %q", data, got, want)
		}
	})
}

// TestWalkFallsBack: a document scan leaves is read by encoding/xml, and an
// error fn returns stops either reader.
func TestWalkFallsBack(t *testing.T) {
	var texts []string
	must(walk([]byte("<a><!-- c -->x&#13;y<b/></a>"), false, func(t *token, depth int) error {
		if t.kind == textTok {
			texts = append(texts, string(t.text))
		}
		return nil
	}))
	if want := []string{"x\ry"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
	stop := fmt.Errorf("stop")
	for _, doc := range []string{"<a><b/></a>", "<a><!-- c --><b/></a>"} {
		n := 0
		err := walk([]byte(doc), false, func(*token, int) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("walk(%q) after an error: %v, %d calls", doc, err, n)
		}
	}
	if err := walk([]byte("<a><b></a>"), false, func(*token, int) error { return nil }); err == nil {
		t.Error("a mismatched end tag was read without error")
	}
}
