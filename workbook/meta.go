package workbook

import "time"

// SourceMeta is what a run knows of a file beyond round.json: where it lay
// and what its stamp said. The store keeps it.
type SourceMeta struct {
	Archive string    // the zip it came from ("a.zip" or "a.zip!b.zip"), "" for a plain file
	Member  string    // its name inside that zip
	ModTime time.Time // the file's or member's modification time
	Filler  string    // 填报人, when the file is a return
	Phone   string    // 联系电话
	Filled  string    // 填报日期, YYYY-MM-DD
}

// sourcesOf keys what is known of each item by its path.
func sourcesOf(items []item) map[string]SourceMeta {
	out := make(map[string]SourceMeta, len(items))
	for _, it := range items {
		m := SourceMeta{ModTime: it.src.ModTime, Archive: it.src.Archive, Member: it.src.Member}
		if it.src.Nested != "" {
			m.Archive += "!" + it.src.Nested
		}
		if id := it.id; id != nil {
			m.Filler, m.Phone = clean(id.Filler), clean(id.Phone)
			if !id.Filled.IsZero() {
				m.Filled = id.Filled.Format("2006-01-02")
			}
		}
		out[it.src.Path] = m
	}
	return out
}
